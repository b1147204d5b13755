// A body that would make JSON.parse build millions of objects is refused
// before it is parsed, and the server goes on answering meanwhile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MAX_BODY_VALUES, overValueLimit } from '../../runtime/server/body-values.js';
import type { ServerHandle } from '../../runtime/server/index.js';
import { call, expectError, expectOk, post, startServer } from './helpers.js';

/** A webhook body whose tracker has `n` events `{"event":"action"}` or, with `empty`, `{}`. */
function withEvents(n: number, empty = false): Buffer {
  const event = empty ? '{}' : '{"event":"action","name":"action_listen"}';
  const head = JSON.stringify(call('action_set_slot')).replace('"tracker":{', '"tracker":{"events":[EVENTS],');
  const [before, after] = head.split('EVENTS');
  return Buffer.concat([Buffer.from(before), Buffer.from(Array(n).fill(event).join(',')), Buffer.from(after)]);
}

describe('overValueLimit', () => {
  it('counts the bytes that open an object or an array, strings included', () => {
    expect(overValueLimit(Buffer.from('{"a":[{},{}],"s":"[[["}'), 6)).toBe(true);
    expect(overValueLimit(Buffer.from('{"a":[{},{}],"s":"[[["}'), 7)).toBe(false);
  });

  it('does not read a body shorter than the limit', () => {
    expect(overValueLimit(Buffer.from('[[[[]]]]'), 8)).toBe(false);
  });
});

describe('a webhook body with too many objects and arrays', () => {
  let handle: ServerHandle;
  beforeAll(async () => {
    handle = await startServer({ maxBodyValues: 1_000 });
  });
  afterAll(() => handle.close());

  it('is answered at the limit and refused past it, with a 413 naming the limit', async () => {
    // The call itself opens 3 (the body, the tracker, the events array).
    await expectOk(await post(handle.url, withEvents(997)));
    const refused = await expectError(await post(handle.url, withEvents(998)), 413);
    expect(refused).toEqual({ error: 'Request body has more than 1000 objects and arrays.' });
  });

  it('keeps /health answering while a 30 MB body of empty events is refused', async () => {
    const big = await startServer();
    try {
      const body = withEvents(10_000_000, true);
      expect(body.length).toBeGreaterThan(28 * 1024 * 1024);
      let done = false;
      const refused = post(big.url, body).then(async (response) => {
        done = true;
        return expectError(response, 413);
      });
      const waits: number[] = [];
      while (!done) {
        const started = performance.now();
        expect((await fetch(`${big.url}/health`)).status).toBe(200);
        waits.push(performance.now() - started);
      }
      expect(await refused).toEqual({
        error: `Request body has more than ${DEFAULT_MAX_BODY_VALUES} objects and arrays.`,
      });
      // Parsing it took 21 s before the bound, and /health waited as long.
      expect(Math.max(...waits)).toBeLessThan(2_000);
    } finally {
      await big.close();
    }
  }, 60_000);
});
