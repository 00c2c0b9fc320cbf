import { describe } from 'vitest';
import { createMemoryStore } from '../../../src/store/memory/index.js';
import { storeContract } from './contract.js';

describe('memory store', () => {
  storeContract(async () => createMemoryStore());
});
