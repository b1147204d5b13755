/**
 * The per-action response cache (`cache: { ttl: 60s }`): a bounded LRU with a
 * TTL per entry. It is not RFC 9111 caching (undici's `cache()` interceptor
 * follows Cache-Control; LIBRARIES.md §4): the action decides the lifetime,
 * whatever the upstream says. Only successes are stored, so a failure is
 * always retried on the next turn.
 */
import type { HttpResponse } from './types.js';

interface Entry {
  readonly value: HttpResponse;
  readonly expiresAt: number;
}

/**
 * The key of a request as it goes on the wire: connection, method, final
 * URL (query included), the request's own headers and the encoded body. The
 * connection's auth is left out: it is the same for every call of the connection.
 * @param headers - the request's headers, any case
 * @param body - the encoded body, '' when none
 */
export function cacheKey(
  connection: string,
  method: string,
  url: string,
  headers: Readonly<Record<string, string>>,
  body: string,
): string {
  const varying = Object.entries(headers)
    .map(([name, value]) => [name.toLowerCase(), value] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify([connection, method, url, varying, body]);
}

/** Bounded LRU with per-entry expiry. A Map keeps insertion order, so re-inserting marks an entry as recent. */
export class ResponseCache {
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;
  #maxEntries: number;

  /**
   * @param maxEntries - entries kept at most; the least recently used goes first
   * @param now - the clock, ms
   */
  constructor(maxEntries: number, now: () => number) {
    this.#maxEntries = Math.max(1, maxEntries);
    this.#now = now;
  }

  /** Entries currently held, expired ones included until touched. */
  get size(): number {
    return this.#entries.size;
  }

  /** Changes the bound; a smaller one evicts at the next `set`. */
  resize(maxEntries: number): void {
    this.#maxEntries = Math.max(1, maxEntries);
  }

  /** A fresh entry, or undefined. Treat the response as read-only: hits share it. */
  get(key: string): HttpResponse | undefined {
    const entry = this.#entries.get(key);
    if (entry == null) return undefined;
    this.#entries.delete(key);
    if (entry.expiresAt <= this.#now()) return undefined;
    this.#entries.set(key, entry);
    return entry.value;
  }

  /** Stores a response for `ttlMs`, evicting the least recently used beyond the bound. */
  set(key: string, value: HttpResponse, ttlMs: number): void {
    if (ttlMs <= 0) return;
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAt: this.#now() + ttlMs });
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next();
      if (oldest.done === true) break;
      this.#entries.delete(oldest.value);
    }
  }

  /** Drops everything. */
  clear(): void {
    this.#entries.clear();
  }
}
