/**
 * The actions a fallback action server serves, for `slotwire validate
 * --fallback URL` (docs/testing.md#actions-served-by-a-fallback). The URL is
 * the fallback's webhook, as Rasa's endpoints.yml names it; rasa-sdk serves
 * `GET /actions` beside `POST /webhook`, so the list is asked for there,
 * bounded in time and size. A fallback that cannot be asked is the user's
 * setup, not a bug: one line naming where the URL came from and what went
 * wrong, never its query string (it may carry a token).
 */

/** How long the fallback has to answer `/actions`, body included. */
export const FALLBACK_TIMEOUT_MS: number = 5000;
/** The largest `/actions` answer read: a list of thousands of names is far smaller. */
export const FALLBACK_MAX_BYTES: number = 1024 * 1024;

/** A fallback that could not be asked, or whose answer is no action list; the message is the whole line after the command. */
export class FallbackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FallbackError';
  }
}

/** Where the fallback's URL came from and the URL itself. */
export interface FallbackSource {
  /** `--fallback` or `SLOTWIRE_FALLBACK_URL` */
  readonly from: string;
  readonly url: string;
}

/**
 * The `/actions` URL beside a webhook URL (`http://legacy:5055/webhook` →
 * `http://legacy:5055/actions`, its query string kept), or the usage problem
 * with the URL.
 */
export function actionsUrlOf(source: FallbackSource): URL | { readonly problem: string } {
  const url = URL.canParse(source.url) ? new URL(source.url) : null;
  if (url === null || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    return { problem: `${source.from} must be an http:// or https:// URL, not "${shown(source.url)}"` };
  if (!url.pathname.endsWith('/webhook'))
    return {
      problem: `${source.from} must be the action server's webhook URL, ending in /webhook, as in endpoints.yml, not "${shown(source.url)}"`,
    };
  url.pathname = `${url.pathname.slice(0, -'webhook'.length)}actions`;
  return url;
}

/**
 * The names the fallback lists on `/actions` (rasa-sdk: `[{"name": …}, …]`).
 * Throws FallbackError when it cannot be reached in time, does not answer 200,
 * or answers something else than that list.
 */
export async function fetchFallbackActions(
  source: FallbackSource,
  actionsUrl: URL,
  { timeoutMs = FALLBACK_TIMEOUT_MS }: { readonly timeoutMs?: number } = {},
): Promise<string[]> {
  const fail = (why: string) =>
    new FallbackError(`${source.from} ${shown(source.url)} cannot be used: GET ${shown(actionsUrl.href)} ${why}`);
  let response: Response;
  try {
    // A redirect is not followed: it could carry the query's token to another host.
    response = await fetch(actionsUrl, {
      redirect: 'manual',
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (err) {
    throw fail(reasonOf(err, timeoutMs));
  }
  if (response.status !== 200) {
    await response.body?.cancel();
    throw fail(`answered ${response.status}, not 200 with the action list`);
  }
  let text: string;
  try {
    text = await boundedText(response);
  } catch (err) {
    throw fail(err instanceof FallbackError ? err.message : reasonOf(err, timeoutMs));
  }
  const names = actionNames(text);
  if (names === null) throw fail('answered something other than a list of {"name": …} objects');
  return names;
}

/** The body as text, at most FALLBACK_MAX_BYTES; throws FallbackError past that. */
async function boundedText(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (reader === undefined) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > FALLBACK_MAX_BYTES) {
      await reader.cancel();
      throw new FallbackError(`answered more than ${FALLBACK_MAX_BYTES / 1024 / 1024} MiB`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** The names of rasa-sdk's `/actions` answer; null when it is not that shape. */
function actionNames(text: string): string[] | null {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  if (!Array.isArray(value)) return null;
  const names: string[] = [];
  for (const item of value) {
    const name = (item as { name?: unknown } | null)?.name;
    if (typeof name !== 'string') return null;
    names.push(name);
  }
  return names;
}

/** Why fetch failed, said plainly: node's "fetch failed" hides the reason in its cause. */
function reasonOf(err: unknown, timeoutMs: number): string {
  if (err instanceof DOMException && (err.name === 'TimeoutError' || err.name === 'AbortError'))
    return `did not answer within ${timeoutMs / 1000} s`;
  const cause = (err as { cause?: { code?: unknown; message?: unknown } } | null)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : null;
  if (code !== null && code in NETWORK_REASONS) return NETWORK_REASONS[code] ?? code;
  if (code !== null) return `failed: ${code}`;
  return `failed: ${typeof cause?.message === 'string' ? cause.message : String(err)}`;
}

const NETWORK_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'was refused: nothing listens there',
  ENOTFOUND: 'failed: the host name is not known',
  EAI_AGAIN: 'failed: the host name could not be looked up',
  ECONNRESET: 'failed: the connection was reset',
  UND_ERR_SOCKET: 'failed: the connection was closed',
};

/** A URL as it may be printed: without a user part or a query string, either of which may hold a secret. */
function shown(url: string): string {
  const cut = url.search(/[?#]/);
  const bare = (cut < 0 ? url : url.slice(0, cut)).replace(/\/\/[^/]*@/, '//***@');
  return cut < 0 ? bare : `${bare}?…`;
}
