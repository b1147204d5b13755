/**
 * The studio's JSON API (runtime/studio/api.ts, docs/studio.md) as
 * functions. The token is an HttpOnly cookie the browser sends by itself;
 * a 4xx becomes an {@link ApiError} with the server's words and the field.
 */
import type {
  StudioError,
  StudioMapRequest,
  StudioMapResult,
  StudioRunRequest,
  StudioRunResult,
  StudioSaveTestRequest,
  StudioSaveTestResult,
  StudioState,
} from '../api.js';

/** An answer that is not 2xx: what the server said, its code, and which request field it is about. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly field: string | null;
  /** The refusal's code; null when no refusal came (the studio does not answer, or answered without JSON). */
  readonly code: string | null;
  /** How to fix it, when the code is validate's (a slot the domain lacks: the entry to add). */
  readonly hint: string | null;
  constructor(status: number, body: Pick<StudioError, 'error'> & Partial<StudioError>) {
    super(body.error);
    this.status = status;
    this.field = body.field ?? null;
    this.code = body.code ?? null;
    this.hint = body.hint ?? null;
  }
}

/** The actions file as it is on disk now. */
export function getState(): Promise<StudioState> {
  return call<StudioState>('GET', '/api/state');
}

/** Runs an action (fixture, live or dry run). */
export function runAction(request: StudioRunRequest): Promise<StudioRunResult> {
  return call<StudioRunResult>('POST', '/api/run', request);
}

/** Writes `slots.<slot>: "{{ <field> }}"` into the actions file; the run again with it. */
export function mapField(request: StudioMapRequest): Promise<StudioMapResult> {
  return call<StudioMapResult>('POST', '/api/map', request);
}

/** Appends a run to the test file as a case. */
export function saveTest(request: StudioSaveTestRequest): Promise<StudioSaveTestResult> {
  return call<StudioSaveTestResult>('POST', '/api/save-test', request);
}

/** The change stream: open, dropped (the browser retries), or closed for good (the studio refused it). */
export type Connection = 'live' | 'retrying' | 'closed';

/**
 * Calls `onChange` each time the files change on disk (and once on
 * connecting), `onConnection` when the stream opens or drops. EventSource
 * reconnects by itself after a drop, but not after an error answer: a
 * studio started again has a new token, and this page's cookie is stale.
 */
export function watchChanges(
  onChange: (version: number) => void,
  onConnection: (connection: Connection) => void,
): () => void {
  const events = new EventSource('/api/events');
  events.addEventListener('open', () => onConnection('live'));
  events.addEventListener('error', () =>
    onConnection(events.readyState === EventSource.CLOSED ? 'closed' : 'retrying'),
  );
  events.addEventListener('change', (event) => {
    const { version } = JSON.parse((event as MessageEvent<string>).data) as { version: number };
    onChange(version);
  });
  return () => events.close();
}

async function call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(
      path,
      body === undefined
        ? { method }
        : { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    );
  } catch {
    throw new ApiError(0, { error: 'the studio does not answer: is slotwire studio still running?' });
  }
  const answer = (await response
    .json()
    .catch(() => ({ error: `the studio answered ${response.status} without JSON` }))) as unknown;
  if (!response.ok) throw new ApiError(response.status, answer as StudioError);
  return answer as T;
}
