/**
 * The StateStore contract (runtime/state/types.ts), written once and run
 * against every store: the memory store (memory.test.ts) and the Redis store
 * (redis.test.ts). The engine swaps one store for the other without
 * noticing (docs/engine.md), so whatever one store does, the other must do
 * too: records, lifetimes, claims, atomic updates, cached answers.
 */
import { describe, expect, it } from 'vitest';
import { CLAIM_GRACE_MS, claimOnce } from '../../runtime/state/claim.js';
import type { Claimed, ClaimRecord } from '../../runtime/state/claim.js';
import type { StateStore } from '../../runtime/state/index.js';
import { waitFor } from '../support/wait-for.js';

/** A store under test, and how time passes for it. */
export interface StoreSubject {
  /** A new store that sees none of the records of the stores opened before. */
  open(): Promise<StateStore>;
  /**
   * Lets `ms` pass for the records of the stores opened: moves the clock the
   * store was given, or, for a store that keeps time itself (Redis expires
   * keys on its own clock), waits the time out.
   */
  elapse(ms: number): Promise<void>;
  /**
   * The lifetime of the records that must expire, in ms: long for an
   * injected clock (nothing expires by accident while a test reads), and as
   * short as a read right after a write can be trusted to beat for a store
   * on real time, whose tests wait it out.
   */
  readonly ttlMs: number;
}

/** Long enough never to expire during a test. */
const LONG_MS = 600_000;

/**
 * Runs `claimOnce` on each of `stores` at once (several callers of one
 * store, or one per replica) for one key. The claimer's work waits until
 * every other caller has lost the claim, so the others really wait for its
 * result instead of arriving after it.
 */
export async function claimRace(
  stores: readonly StateStore[],
  key: string,
): Promise<{ readonly produced: number; readonly answers: ReadonlyArray<Claimed<string, string>> }> {
  let lost = 0;
  let produced = 0;
  const counting = (store: StateStore): StateStore => ({
    ...store,
    add: async (k, value, ttlMs) => {
      const won = await store.add(k, value, ttlMs);
      if (!won) lost++;
      return won;
    },
  });
  const answers = await Promise.all(
    stores.map((store) =>
      claimOnce<string, string>(counting(store), key, { deadline: Date.now() + 10_000 }, async () => {
        produced++;
        await waitFor(() => lost >= stores.length - 1, { timeoutMs: 5000, what: 'every other caller lost the claim' });
        return { result: 'fresh', keep: { value: 'fresh', ttlMs: LONG_MS } };
      }),
    ),
  );
  return { produced, answers };
}

/** Registers the contract's tests for `subject` inside the caller's describe. */
export function storeContract(subject: StoreSubject): void {
  const { ttlMs } = subject;

  describe('records', () => {
    it('keeps a JSON record as it was stored, and answers undefined for a key never stored', async () => {
      const s = await subject.open();
      const record = { n: 1.5, text: 'é "quoted"', list: ['x', null, true, 0], nested: { empty: {} } };
      await s.set('a', record, LONG_MS);
      expect(await s.get('a')).toEqual(record);
      expect(await s.get('never')).toBeUndefined();
    });

    it('replaces a record on set, and removes it on delete (a missing key is no error)', async () => {
      const s = await subject.open();
      await s.set('a', 1, LONG_MS);
      await s.set('a', 'two', LONG_MS);
      expect(await s.get('a')).toBe('two');
      await s.delete('a');
      expect(await s.get('a')).toBeUndefined();
      await expect(s.delete('a')).resolves.toBeUndefined();
    });

    it('forgets a record once its lifetime has passed', async () => {
      const s = await subject.open();
      await s.set('short', 'soon gone', ttlMs);
      await s.set('long', 'stays', LONG_MS);
      expect(await s.get('short')).toBe('soon gone');
      await subject.elapse(ttlMs);
      expect(await s.get('short')).toBeUndefined();
      expect(await s.get('long')).toBe('stays');
    });

    it('stores nothing for a lifetime of 0, and removes what was there', async () => {
      const s = await subject.open();
      await s.set('a', 1, LONG_MS);
      await s.set('a', 2, 0);
      await s.set('b', 3, 0);
      expect([await s.get('a'), await s.get('b')]).toEqual([undefined, undefined]);
    });
  });

  describe('add (a claim)', () => {
    it('stores only when no record is there, and says whether it did', async () => {
      const s = await subject.open();
      expect(await s.add('k', 'first', LONG_MS)).toBe(true);
      expect(await s.add('k', 'second', LONG_MS)).toBe(false);
      expect(await s.get('k')).toBe('first');
      await s.delete('k');
      expect(await s.add('k', 'third', LONG_MS)).toBe(true);
      expect(await s.get('k')).toBe('third');
    });

    it('can claim a key again once the record there expired', async () => {
      const s = await subject.open();
      expect(await s.add('k', 'first', ttlMs)).toBe(true);
      await subject.elapse(ttlMs);
      expect(await s.add('k', 'again', LONG_MS)).toBe(true);
      expect(await s.get('k')).toBe('again');
    });

    it('lets exactly one of many concurrent adds win', async () => {
      const s = await subject.open();
      const wins = await Promise.all(Array.from({ length: 12 }, (_, i) => s.add('k', i, LONG_MS)));
      expect(wins.filter(Boolean)).toHaveLength(1);
      expect(await s.get('k')).toBe(wins.indexOf(true));
    });

    it('claims nothing with a lifetime of 0', async () => {
      const s = await subject.open();
      expect(await s.add('k', 'never kept', 0)).toBe(false);
      expect(await s.get('k')).toBeUndefined();
    });
  });

  describe('update', () => {
    const bump = (s: StateStore, ttl = LONG_MS): Promise<number> =>
      s.update('count', (current) => {
        const next = ((current as number | undefined) ?? 0) + 1;
        return { value: next, ttlMs: ttl, result: next };
      });

    it('sees undefined for no record, writes the new record and answers its result', async () => {
      const s = await subject.open();
      const seen: unknown[] = [];
      const result = await s.update('k', (current) => {
        seen.push(current);
        return { value: { v: 1 }, ttlMs: LONG_MS, result: 'written' };
      });
      expect(result).toBe('written');
      expect(seen[0]).toBeUndefined();
      expect(await s.get('k')).toEqual({ v: 1 });
    });

    it('applies concurrent updates of one key one after the other', async () => {
      const s = await subject.open();
      const results = await Promise.all(Array.from({ length: 40 }, () => bump(s)));
      expect(await s.get('count')).toBe(40);
      expect([...results].sort((a, b) => a - b)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    });

    it('deletes the record for an undefined value or a lifetime of 0', async () => {
      const s = await subject.open();
      await s.set('a', 1, LONG_MS);
      await s.set('b', 1, LONG_MS);
      expect(await s.update('a', () => ({ value: undefined, ttlMs: LONG_MS, result: 'gone' }))).toBe('gone');
      await s.update('b', () => ({ value: 2, ttlMs: 0, result: null }));
      expect([await s.get('a'), await s.get('b')]).toEqual([undefined, undefined]);
    });

    it('gives the record it writes the lifetime it names', async () => {
      const s = await subject.open();
      await bump(s, ttlMs);
      expect(await s.get('count')).toBe(1);
      await subject.elapse(ttlMs);
      expect(await s.get('count')).toBeUndefined();
    });

    it('leaves the record and its lifetime as they were when unchanged', async () => {
      const s = await subject.open();
      await s.set('k', 'kept', ttlMs);
      expect(await s.update('k', (current) => ({ unchanged: true, result: current }))).toBe('kept');
      expect(await s.get('k')).toBe('kept');
      await subject.elapse(ttlMs);
      expect(await s.get('k')).toBeUndefined();
    });
  });

  describe('cached answers', () => {
    it('answers what was cached in a scope, and undefined for anything else', async () => {
      const s = await subject.open();
      await s.putCached('api@1:weather', 'GET /weather?city=Oslo', { status: 200, body: { t: 3 } }, LONG_MS, 10);
      expect(await s.getCached('api@1:weather', 'GET /weather?city=Oslo')).toEqual({ status: 200, body: { t: 3 } });
      expect(await s.getCached('api@1:weather', 'GET /weather?city=Rome')).toBeUndefined();
      expect(await s.getCached('api@1:other', 'GET /weather?city=Oslo')).toBeUndefined();
      // A record and a cached answer with the same name are different things.
      expect(await s.get('GET /weather?city=Oslo')).toBeUndefined();
    });

    it('replaces an answer cached again under the same key', async () => {
      const s = await subject.open();
      await s.putCached('scope', 'k', 'old', LONG_MS, 10);
      await s.putCached('scope', 'k', 'new', LONG_MS, 10);
      expect(await s.getCached('scope', 'k')).toBe('new');
    });

    it('forgets an answer once its lifetime has passed, and caches nothing for a lifetime of 0', async () => {
      const s = await subject.open();
      await s.putCached('scope', 'short', 'soon gone', ttlMs, 10);
      await s.putCached('scope', 'none', 'never kept', 0, 10);
      expect(await s.getCached('scope', 'short')).toBe('soon gone');
      expect(await s.getCached('scope', 'none')).toBeUndefined();
      await subject.elapse(ttlMs);
      expect(await s.getCached('scope', 'short')).toBeUndefined();
    });

    // Both stores drop the oldest answer first when every answer has the same
    // lifetime; the memory store also counts a read as a use, Redis does not
    // (its index is ordered by expiry), so reads are left out of the contract.
    it('keeps at most maxEntries per scope, the oldest going first, without evicting another scope', async () => {
      const s = await subject.open();
      await s.putCached('other', 'k', 'v', LONG_MS, 1);
      for (let i = 1; i <= 5; i++) await s.putCached('weather', `city-${i}`, i, LONG_MS, 3);
      const kept = await Promise.all([1, 2, 3, 4, 5].map((i) => s.getCached('weather', `city-${i}`)));
      expect(kept).toEqual([undefined, undefined, 3, 4, 5]);
      expect(await s.getCached('other', 'k')).toBe('v');
    });

    it('keeps one answer when maxEntries is 0 or less', async () => {
      const s = await subject.open();
      await s.putCached('scope', 'a', 1, LONG_MS, 0);
      await s.putCached('scope', 'b', 2, LONG_MS, 0);
      expect([await s.getCached('scope', 'a'), await s.getCached('scope', 'b')]).toEqual([undefined, 2]);
    });
  });

  describe('claims (claimOnce)', () => {
    it('runs the work once among concurrent callers; the others get its stored result', async () => {
      const s = await subject.open();
      const { produced, answers } = await claimRace([s, s, s], 'token:api');
      expect(produced).toBe(1);
      expect(answers.filter((a) => 'produced' in a)).toEqual([{ produced: 'fresh' }]);
      expect(answers.filter((a) => 'found' in a)).toEqual([{ found: 'fresh' }, { found: 'fresh' }]);
      expect(await s.get('token:api')).toEqual({ state: 'done', value: 'fresh' } satisfies ClaimRecord<string>);
    });

    it('releases the claim when the work throws, so the next caller does it', async () => {
      const s = await subject.open();
      const options = { deadline: Date.now() + LONG_MS };
      await expect(claimOnce(s, 'k', options, () => Promise.reject(new Error('upstream down')))).rejects.toThrow(
        'upstream down',
      );
      expect(await s.get('k')).toBeUndefined();
      const next = await claimOnce(s, 'k', options, async () => ({ result: 'ok', keep: null }));
      expect(next).toEqual({ produced: 'ok' });
      // keep: null stores nothing: the caller after does the work again.
      expect(await s.get('k')).toBeUndefined();
    });

    it('writes its owner and deadline in a claim', async () => {
      const s = await subject.open();
      const deadline = Date.now() + LONG_MS;
      let seen: unknown;
      await claimOnce(s, 'k', { deadline }, async () => {
        seen = await s.get('k');
        return { result: 'ok', keep: null };
      });
      expect(seen).toEqual({ state: 'running', owner: expect.stringMatching(/^[\w-]{16}$/), deadline });
    });

    it('takes over a claim whose owner vanished: once it expires, or at once past its deadline', async () => {
      const s = await subject.open();
      const work = async () => ({ result: 'mine', keep: { value: 'mine', ttlMs: LONG_MS } });
      const options = { deadline: Date.now() + LONG_MS };
      await s.add('expired', claimBy('gone', Date.now() + LONG_MS), ttlMs);
      await subject.elapse(ttlMs);
      expect(await claimOnce(s, 'expired', options, work)).toEqual({ produced: 'mine' });
      await s.add('stale', claimBy('gone', Date.now() - CLAIM_GRACE_MS - 1), LONG_MS);
      expect(await claimOnce(s, 'stale', options, work)).toEqual({ produced: 'mine' });
      expect(await s.get('stale')).toEqual({ state: 'done', value: 'mine' });
    });

    it('lets exactly one of several waiters take over a claim past its deadline', async () => {
      const s = await subject.open();
      await s.add('stale', claimBy('gone', Date.now() - CLAIM_GRACE_MS - 1), LONG_MS);
      const { produced, answers } = await claimRace([s, s, s], 'stale');
      expect(produced).toBe(1);
      expect(answers.filter((a) => 'found' in a)).toEqual([{ found: 'fresh' }, { found: 'fresh' }]);
    });

    it('waits for a live claim no longer than its own deadline, and leaves the claim alone', async () => {
      const s = await subject.open();
      const live = claimBy('alive', Date.now() + LONG_MS);
      await s.add('k', live, LONG_MS);
      const started = Date.now();
      let ran = false;
      const answer = await claimOnce(s, 'k', { deadline: started + 150 }, async () => {
        ran = true;
        return { result: 'mine', keep: null };
      });
      expect(answer).toEqual({ busy: true });
      expect(Date.now() - started).toBeGreaterThanOrEqual(150);
      expect(Date.now() - started).toBeLessThan(250);
      expect(ran).toBe(false);
      expect(await s.get('k')).toEqual(live);
    });

    it('releases only its own claim: not one a waiter took over meanwhile', async () => {
      const s = await subject.open();
      const taker = claimBy('taker', Date.now() + LONG_MS);
      const answer = claimOnce(s, 'k', { deadline: Date.now() + LONG_MS }, async () => {
        await s.set('k', taker, LONG_MS);
        throw new Error('upstream down');
      });
      await expect(answer).rejects.toThrow('upstream down');
      expect(await s.get('k')).toEqual(taker);
    });
  });
}

/** A claim of `owner`'s as another caller would have written it. */
function claimBy(owner: string, deadline: number): ClaimRecord<string> {
  return { state: 'running', owner, deadline };
}
