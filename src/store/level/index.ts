/** The level driver's public surface; the other files of this directory are its internals. */
export { openLevelStore, type LevelStoreOptions } from './open-level-store.js';
export type { StoreStatus } from './level-store.js';
