/**
 * undici's Pool and Agent, imported by file rather than through undici's
 * index: the index loads all of undici (fetch, WebSocket, the mock agents,
 * the cache stores and interceptors), about 110 ms of every start, where
 * these two need about 45. undici 7 has no exports map, so its files can
 * be imported by path (undici is pinned to ~7.30 for that; their types are
 * in undici-files.d.ts). The one thing the index does that these need is
 * giving every Dispatcher its `request()`, `stream()`… (the index's
 * `Object.assign(Dispatcher.prototype, api)`), repeated here; loading the
 * index as well does it again, with the same functions. Static imports, so
 * the executable's bundle holds these files (scripts/build-bundle.mjs).
 */
import type * as Undici from 'undici';
import api from 'undici/lib/api/index.js';
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';
import AgentClass from 'undici/lib/dispatcher/agent.js';
import PoolClass from 'undici/lib/dispatcher/pool.js';

Object.assign(Dispatcher.prototype, api);

/** undici's Pool: the connections to one origin. */
export const Pool: typeof Undici.Pool = PoolClass;
/** undici's Agent: a Pool per origin, made as needed. */
export const Agent: typeof Undici.Agent = AgentClass;
/** The options of a Pool (and of an Agent's pools). */
export type PoolOptions = Undici.Pool.Options;
