/**
 * undici's Pool and Agent, required by file rather than through undici's
 * index: the index loads all of undici (fetch, WebSocket, the mock agents,
 * the cache stores and interceptors), about 110 ms of every start, where
 * these two need about 45. undici 7 has no exports map, so its files can
 * be required by path (undici is pinned to ~7.30 for that). The one thing
 * the index does that these need is giving every Dispatcher its
 * `request()`, `stream()`… (the index's `Object.assign(Dispatcher.prototype,
 * api)`), repeated here; loading the index as well does it again, with the
 * same functions. The types are the index's.
 */
import { createRequire } from 'node:module';
import type * as Undici from 'undici';

const require = createRequire(import.meta.url);

const dispatcher = require('undici/lib/dispatcher/dispatcher.js') as { readonly prototype: object };
Object.assign(dispatcher.prototype, require('undici/lib/api/index.js') as object);

/** undici's Pool: the connections to one origin. */
export const Pool: typeof Undici.Pool = require('undici/lib/dispatcher/pool.js') as typeof Undici.Pool;
/** undici's Agent: a Pool per origin, made as needed. */
export const Agent: typeof Undici.Agent = require('undici/lib/dispatcher/agent.js') as typeof Undici.Agent;
/** The options of a Pool (and of an Agent's pools). */
export type PoolOptions = Undici.Pool.Options;
