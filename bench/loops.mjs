// How the load generators (load.mjs and rasa-load.mjs over HTTP, grpc-load.mjs
// over gRPC) pace their calls, so all drive a server the same way.
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Makes calls with `once` for `ms`, or until `calls` have been started when
 * a count is given: with `rate` (total calls per second) on a fixed schedule
 * whatever the answers do (open loop), else `connections` at a time, each
 * starting the next as soon as its answer arrived (closed loop).
 * @param {() => Promise<void>} once - one call; never throws
 * @param {{ connections: number, rate?: number }} pace
 * @param {number} ms
 * @param {number} [calls]
 */
export function drive(once, pace, ms, calls) {
  const until = performance.now() + ms;
  return pace.rate ? openLoop(once, until, pace.rate) : closedLoop(once, pace.connections, until, calls);
}

async function closedLoop(once, connections, until, calls) {
  let left = calls ?? Infinity;
  const worker = async () => {
    while (calls === undefined ? performance.now() < until : left-- > 0) await once();
  };
  await Promise.all(Array.from({ length: connections }, worker));
}

// At most as many calls in flight as the schedule makes; the client queues them (undici per connection, grpc-js per channel).
async function openLoop(once, until, rate) {
  const interval = 1000 / rate;
  const inFlight = new Set();
  let next = performance.now();
  while (next < until) {
    const now = performance.now();
    while (next <= now) {
      const p = once().finally(() => inFlight.delete(p));
      inFlight.add(p);
      next += interval;
    }
    await sleep(Math.max(0, next - performance.now()));
  }
  await Promise.all(inFlight);
}
