// An existing action server for slotwire to stand in front of: the stand-in
// legacy server of examples/migrating (rasa-sdk's protocol) in a process of
// its own, or a recording server whose answers a test scripts byte for byte.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createActionServer, listen } from '../../runtime/index.js';
import type { ActionServer, ActionServerOptions, ServerHandle } from '../../runtime/index.js';
import { writeActionsFile } from '../support/actions-file.js';
import { firstLine, stopProcess } from '../support/server-process.js';
import { silent } from '../server/helpers.js';

const legacyScript = fileURLToPath(new URL('../../examples/migrating/legacy-server.mjs', import.meta.url));

/** A running legacy server: its webhook URL. */
export interface Legacy {
  readonly webhook: string;
  stop(): Promise<void>;
}

/** Starts examples/migrating/legacy-server.mjs on a free port. */
export async function startLegacy(env: Record<string, string> = {}): Promise<Legacy> {
  const child = spawn(process.execPath, [legacyScript, '0'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  const line = await firstLine(child);
  const webhook = /(http:\/\/\S+\/webhook)/.exec(line)?.[1];
  if (webhook === undefined) throw new Error(`legacy server said: ${line}`);
  return {
    webhook,
    stop: async () => {
      await stopProcess(child);
    },
  };
}

/** A request as the recording server got it: the body's exact bytes. */
export interface Recorded {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** What the recording server answers; `hang` never answers. */
export interface Scripted {
  readonly status?: number;
  readonly headers?: Record<string, string>;
  readonly body?: Buffer | string;
  readonly hang?: boolean;
}

/** A recording server: every request, and how many connections were opened. */
export interface Recorder {
  readonly origin: string;
  readonly webhook: string;
  readonly seen: Recorded[];
  connections(): number;
  close(): Promise<void>;
}

/** Starts a server that records each request and answers as `answer` says; `GET /actions` from `actions`. */
export async function startRecorder(
  answer: (request: Recorded) => Scripted,
  actions: readonly string[] = [],
): Promise<Recorder> {
  const seen: Recorded[] = [];
  let connections = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request = {
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks),
      };
      if (req.method === 'GET' && request.url === '/actions') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(actions.map((name) => ({ name }))));
        return;
      }
      seen.push(request);
      const scripted = answer(request);
      if (scripted.hang === true) return;
      res.writeHead(scripted.status ?? 200, scripted.headers ?? {});
      res.end(scripted.body ?? '');
    });
  });
  server.on('connection', () => connections++);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    webhook: `${origin}/webhook`,
    seen,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** slotwire in front of a fallback: the action server and its listener. */
export interface Front {
  readonly url: string;
  readonly server: ActionServer;
  close(): Promise<void>;
}

/** Serves `actionsYml` on a loopback port with `fallback` (and any other option). */
export async function serveFront(
  actionsYml: string,
  fallback: NonNullable<ActionServerOptions['fallback']>,
  options: Partial<ActionServerOptions> = {},
): Promise<Front> {
  const server = await createActionServer({
    actionsFile: writeActionsFile(actionsYml),
    env: {},
    logger: silent,
    fallback,
    ...options,
  });
  const handle: ServerHandle = await listen(server.app, { port: 0, hostname: '127.0.0.1', gracePeriodMs: 500 });
  return {
    url: handle.url,
    server,
    close: async () => {
      await handle.close();
      await server.close();
    },
  };
}

/** An actions file with one GET action, `check_weather`, calling `origin`, and one POST action, `book_table`. */
export function actionsFile(origin: string): string {
  return `version: 1
connections:
  api:
    base_url: ${origin}
    timeout: 2s
actions:
  check_weather:
    description: The weather in a city
    sensitive: [secret_code]
    request:
      connection: api
      path: /weather
      query: { city: "{{ slots.city }}" }
    slots:
      temperature: "{{ response.body.temperature }}"
      secret_code: "{{ response.body.code }}"
  book_table:
    request:
      connection: api
      method: POST
      path: /bookings
      body: { party: "{{ slots.party }}" }
    slots:
      booked: true
`;
}
