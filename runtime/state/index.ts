/** The state seam: what outlives one call, behind one async interface. */
export { createMemoryState } from './memory.js';
export type { MemoryStateOptions } from './memory.js';
export type { StateChange, StateStore } from './types.js';
