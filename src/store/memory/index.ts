/** The memory driver's public surface; the other files of this directory are its internals. */
export { createMemoryStore } from './memory-store.js';
