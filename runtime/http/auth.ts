/**
 * Authentication per connection. Static schemes (bearer, basic, API key)
 * are computed once per connection; OAuth2 client credentials (RFC 6749
 * §4.4) fetch a token, keep it in the state store until shortly before it
 * expires (so it survives reloads and, with a shared store, serves every
 * replica), share one fetch between concurrent callers of this process and,
 * through a claim in the store, of every replica sharing it, and
 * drop it when the upstream answers 401 so the request can be re-sent once
 * with a fresh one (request.ts).
 */
import type { Dispatcher } from 'undici';
import { claimOnce } from '../state/claim.js';
import type { ClaimRecord, Produced } from '../state/claim.js';
import type { StateStore } from '../state/index.js';
import type { AbortLike } from './deadline.js';
import {
  TOKEN_CLAIM_SLACK_MS,
  TOKEN_DEFAULT_LIFETIME_MS,
  TOKEN_EXPIRY_SKEW_MS,
  TOKEN_MAX_RESPONSE_BYTES,
} from './defaults.js';
import { errorCode, networkError, timeoutError } from './errors.js';
import { readBody } from './limits.js';
import type { AuthPolicy, HttpError } from './types.js';

/** What a static scheme adds to every request. */
export interface StaticAuth {
  readonly headers: Readonly<Record<string, string>>;
  readonly query: ReadonlyArray<readonly [string, string]>;
  /** Query keys holding secrets, masked in the Exchange url. */
  readonly secretQueryNames: ReadonlySet<string>;
}

const NO_AUTH: StaticAuth = { headers: {}, query: [], secretQueryNames: new Set() };

/**
 * Headers and query pairs for bearer, basic and API key auth; nothing for
 * OAuth2 (its header is per request) or none.
 * @param auth - the connection's auth
 */
export function staticAuth(auth: AuthPolicy | null): StaticAuth {
  if (auth == null) return NO_AUTH;
  switch (auth.type) {
    case 'bearer':
      return { ...NO_AUTH, headers: { authorization: `Bearer ${auth.token}` } };
    case 'basic':
      // RFC 7617 §2.1: user-id ":" password, UTF-8, base64.
      return {
        ...NO_AUTH,
        headers: { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` },
      };
    case 'api_key':
      return auth.in === 'header'
        ? { ...NO_AUTH, headers: { [auth.name.toLowerCase()]: auth.value } }
        : { headers: {}, query: [[auth.name, auth.value]], secretQueryNames: new Set([auth.name]) };
    case 'oauth2_client_credentials':
      return NO_AUTH;
  }
}

/** A token, or why none could be had. */
export type TokenResult = { ok: true; token: string } | { ok: false; error: HttpError };

type OAuth2Policy = Extract<AuthPolicy, { type: 'oauth2_client_credentials' }>;

function tokenFailure(status: number): HttpError {
  // RFC 6749 §5.2: bad credentials come back as 400 or 401; either way the upstream refused us.
  return {
    kind: 'status',
    reason: status >= 500 ? 'unavailable' : 'rejected',
    status,
    message: `token endpoint answered ${status}`,
    response: null,
    code: 'SW_TOKEN_STATUS',
  };
}

const TOKEN_PARSE: HttpError = {
  kind: 'parse',
  reason: null,
  status: null,
  message: 'token endpoint answer has no access_token',
  response: null,
  code: 'SW_TOKEN_PARSE',
};

/** A token as the state store keeps it. */
interface StoredToken {
  readonly value: string;
  readonly expiresAt: number;
}

/** Where a token source keeps its token. */
export interface TokenStore {
  readonly state: StateStore;
  /** The record's key, one per connection declaration. */
  readonly key: string;
  /** Told when a token request ends, and whether it got a token. Default: nobody */
  readonly onFetch?: (ok: boolean) => void;
}

/** OAuth2 client-credentials tokens for one connection. A class: it owns the in-flight fetch. */
export class OAuth2TokenSource {
  readonly #policy: OAuth2Policy;
  readonly #dispatcher: Dispatcher;
  readonly #url: URL;
  readonly #timeoutMs: number;
  readonly #now: () => number;
  readonly #store: TokenStore;
  #pending: Promise<TokenResult> | null = null;
  /**
   * The token this process last got, kept until it expires: with a network
   * store, reading it there on every call would cost a round trip per call
   * for a value that cannot change before its expiry, except by a 401, which
   * this process sees itself (invalidate).
   */
  #memo: StoredToken | null = null;

  /**
   * @param policy - token URL and client credentials
   * @param dispatcher - where to send the token request (the connection's pool for that origin)
   * @param timeoutMs - bound of one token request
   * @param now - the clock, ms
   * @param store - where the token is kept between calls
   */
  constructor(policy: OAuth2Policy, dispatcher: Dispatcher, timeoutMs: number, now: () => number, store: TokenStore) {
    this.#policy = policy;
    this.#dispatcher = dispatcher;
    this.#url = new URL(policy.tokenUrl);
    this.#timeoutMs = timeoutMs;
    this.#now = now;
    this.#store = store;
  }

  /**
   * A valid token: the stored one, or the result of a single shared fetch.
   * Rejects with the signal's reason if `signal` aborts first; the shared
   * fetch runs on under its own timeout for the other callers.
   */
  async token(signal: AbortLike): Promise<TokenResult> {
    if (this.#memo !== null && this.#memo.expiresAt > this.#now()) return { ok: true, token: this.#memo.value };
    const record = (await this.#store.state.get(this.#store.key)) as ClaimRecord<StoredToken> | undefined;
    if (record?.state === 'done' && record.value.expiresAt > this.#now()) {
      this.#memo = record.value;
      return { ok: true, token: record.value.value };
    }
    this.#pending ??= this.#fetchOnce().finally(() => {
      this.#pending = null;
    });
    return raceSignal(this.#pending, signal);
  }

  /** Forgets `token` after a 401, unless a newer one already replaced it. */
  async invalidate(token: string): Promise<void> {
    if (this.#memo?.value === token) this.#memo = null;
    await this.#store.state.update(this.#store.key, (current) => {
      const record = current as ClaimRecord<StoredToken> | undefined;
      const stale = record?.state === 'done' && record.value.value === token;
      return stale ? { value: undefined, ttlMs: 0, result: undefined } : { unchanged: true, result: undefined };
    });
  }

  /**
   * One fetch among every process sharing the store (state/claim.ts): the
   * others wait for its token. A failed fetch stores nothing, so the next
   * caller tries again.
   */
  async #fetchOnce(): Promise<TokenResult> {
    const deadline = Date.now() + this.#timeoutMs + TOKEN_CLAIM_SLACK_MS;
    const fetchToken = async (): Promise<Produced<StoredToken, TokenResult>> => {
      const fetched = await this.#request();
      this.#store.onFetch?.(fetched.ok);
      if (!fetched.ok) return { result: fetched, keep: null };
      this.#memo = fetched.stored;
      return {
        result: { ok: true, token: fetched.stored.value },
        keep: { value: fetched.stored, ttlMs: fetched.stored.expiresAt - this.#now() },
      };
    };
    const answer = await claimOnce(this.#store.state, this.#store.key, { deadline }, fetchToken);
    if ('produced' in answer) return answer.produced;
    // Another replica's fetch still holds the claim past this caller's wait: fetch without it.
    if ('busy' in answer) return (await fetchToken()).result;
    this.#memo = answer.found;
    return { ok: true, token: answer.found.value };
  }

  async #request(): Promise<{ ok: true; stored: StoredToken } | { ok: false; error: HttpError }> {
    const p = this.#policy;
    const fields: Array<[string, string]> = [['grant_type', 'client_credentials']];
    if (p.scope != null) fields.push(['scope', p.scope]);
    if (p.audience != null) fields.push(['audience', p.audience]);
    const headers: Record<string, string> = {
      'content-type': 'application/x-www-form-urlencoded',
      accept: 'application/json',
    };
    if (p.clientAuth === 'body') {
      fields.push(['client_id', p.clientId], ['client_secret', p.clientSecret]);
    } else {
      // RFC 6749 §2.3.1: id and secret are form-encoded before being joined for Basic.
      const id = encodeURIComponent(p.clientId);
      const secret = encodeURIComponent(p.clientSecret);
      headers['authorization'] = `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
    }
    const startedAt = this.#now();
    try {
      const res = await this.#dispatcher.request({
        origin: this.#url.origin,
        path: this.#url.pathname + this.#url.search,
        method: 'POST',
        headers,
        body: new URLSearchParams(fields).toString(),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      const read = await readBody(res.body, flat(res.headers['content-length']), TOKEN_MAX_RESPONSE_BYTES);
      if (res.statusCode < 200 || res.statusCode > 299) return { ok: false, error: tokenFailure(res.statusCode) };
      if (!read.ok) return { ok: false, error: TOKEN_PARSE };
      const answer = parseTokenAnswer(read.bytes.toString('utf8'));
      if (answer == null) return { ok: false, error: TOKEN_PARSE };
      const lifetime = answer.expiresInMs ?? TOKEN_DEFAULT_LIFETIME_MS;
      const skew = Math.min(TOKEN_EXPIRY_SKEW_MS, lifetime / 2);
      return { ok: true, stored: { value: answer.token, expiresAt: startedAt + lifetime - skew } };
    } catch (err) {
      if (err instanceof DOMException && err.name === 'TimeoutError') {
        return { ok: false, error: timeoutError('SW_TOKEN_TIMEOUT', this.#timeoutMs) };
      }
      return { ok: false, error: networkError(errorCode(err)) };
    }
  }
}

function flat(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function parseTokenAnswer(text: string): { token: string; expiresInMs: number | null } | null {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return null;
  }
  if (typeof json !== 'object' || json == null) return null;
  const { access_token: token, expires_in: expiresIn } = json as Record<string, unknown>;
  if (typeof token !== 'string' || token === '') return null;
  // RFC 6749 §5.1 says a number, but some servers send a numeric string.
  const seconds = typeof expiresIn === 'string' ? Number(expiresIn) : expiresIn;
  return {
    token,
    expiresInMs: typeof seconds === 'number' && Number.isFinite(seconds) && seconds > 0 ? seconds * 1000 : null,
  };
}

function raceSignal<T>(promise: Promise<T>, signal: AbortLike): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
