/** The memory store (the default) against the StateStore contract, on a clock the test moves. */
import { describe } from 'vitest';
import { createMemoryState } from '../../runtime/index.js';
import { storeContract } from './store-contract.js';

describe('memory state store', () => {
  let now = Date.parse('2030-01-01T00:00:00Z');
  storeContract({
    open: () => Promise.resolve(createMemoryState({ now: () => now })),
    elapse: (ms) => {
      now += ms;
      return Promise.resolve();
    },
    ttlMs: 60_000,
  });
});
