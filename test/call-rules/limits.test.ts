// How often both front-ends look for requests past their time limit: node's
// connectionsCheckingInterval for HTTP, the request clock of gRPC's call limits.
import { describe, expect, it } from 'vitest';
import { checkingIntervalMs } from '../../runtime/call-rules/index.js';

describe('checkingIntervalMs', () => {
  it('checks every quarter of the shortest limit in force', () => {
    expect(checkingIntervalMs([2_000])).toBe(500);
    expect(checkingIntervalMs([3_000, 400, 0])).toBe(100);
  });

  it('checks at least every second, however long the limits', () => {
    expect(checkingIntervalMs([10_000, 30_000])).toBe(1_000);
  });

  it('checks at most every 10 ms, however short the limits', () => {
    expect(checkingIntervalMs([8])).toBe(10);
  });

  it("keeps node's 30 s default when no limit is in force", () => {
    expect(checkingIntervalMs([0, 0])).toBe(30_000);
    expect(checkingIntervalMs([])).toBe(30_000);
  });
});
