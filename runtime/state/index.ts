/** The state seam: what outlives one call, behind one async interface. */
export { createMemoryState } from './memory.js';
export type { MemoryStateOptions } from './memory.js';
export { connectRedisState, describe as describeRedis } from './redis.js';
export type { RedisState, RedisStateOptions } from './redis.js';
export { fallbackState } from './fallback.js';
export { StateStoreUnavailable } from './types.js';
export type { StateChange, StateStore, StoreHealth } from './types.js';
