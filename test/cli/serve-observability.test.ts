// `slotwire serve` as operators run it: /ready through start and SIGTERM
// (draining), /metrics on its own port or off, the flags' usage errors, and
// traces exported over OTLP/HTTP to a receiver on loopback, configured only
// by the standard OTEL_* variables.
import { spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeActionsFile } from '../support/actions-file.js';
import { holdRefusedAddress } from '../support/refused-address.js';
import { startUpstream } from '../support/upstream.js';
import type { Upstream } from '../support/upstream.js';
import { waitFor } from '../support/wait-for.js';
import { runCli } from './run-cli.js';

const bin = fileURLToPath(new URL('../../runtime/cli/bin.ts', import.meta.url));
const TRACE_ID = '0af7651916cd43dd8448eb211c80319c';

type Child = ChildProcessByStdio<null, Readable, Readable>;

interface Served {
  readonly child: Child;
  readonly url: string;
  /** Everything printed on stdout so far. */
  out(): string;
  /** Sends SIGTERM; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Starts `slotwire serve` (from source) and waits for the lines matching `ready`. */
async function serve(
  actionsFile: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  ready = /serving/,
): Promise<Served> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      bin,
      'serve',
      '--actions',
      actionsFile,
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--log-level',
      'silent',
      ...args,
    ],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => {
    err += chunk.toString();
  });
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (ready.test(out)) resolve();
    });
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${out}${err}`)));
  });
  const url = /on (http:\/\/127\.0\.0\.1:\d+)\/webhook/.exec(out)?.[1] as string;
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    url,
    out: () => out,
    stop() {
      child.kill('SIGTERM');
      return exited;
    },
  };
}

/** GET on a connection of its own (as a kubelet probes). */
async function get(url: string): Promise<{ status: number; body: string }> {
  const res = await fetch(url, { headers: { connection: 'close' } });
  return { status: res.status, body: await res.text() };
}

describe('slotwire serve: /ready', () => {
  it('is 200 with what is served, then 503 while draining after SIGTERM, then the process exits 0', async () => {
    const file = writeActionsFile('version: 1\nactions:\n  a:\n    slots: { x: 1 }\n');
    const s = await serve(file, ['--drain-delay', '1']);
    try {
      const ready = await get(`${s.url}/ready`);
      expect(ready.status).toBe(200);
      const body = JSON.parse(ready.body) as Record<string, unknown>;
      expect(body).toMatchObject({
        status: 'ready',
        actions: 1,
        generation: 1,
        last_reload_at: null,
        last_reload_error: null,
      });
      expect(body['actions_hash']).toMatch(/^[0-9a-f]{16}$/);
      expect(Date.parse(body['loaded_at'] as string)).toBeGreaterThan(Date.now() - 60_000);
      expect(JSON.parse((await get(`${s.url}/health`)).body)).toMatchObject({ status: 'ok' });

      const exited = s.stop();
      // /ready turns 503 once the process has handled SIGTERM, and stays so for the drain delay.
      const draining = await waitFor(
        async () => {
          const answer = await get(`${s.url}/ready`);
          return answer.status === 503 && answer;
        },
        { timeoutMs: 5_000, what: '/ready answers 503 after SIGTERM' },
      );
      expect(JSON.parse(draining.body)).toMatchObject({ status: 'draining', actions: 1 });
      // Still serving during the delay: liveness and calls are answered.
      expect((await get(`${s.url}/health`)).status).toBe(200);
      expect(await exited).toBe(0);
    } finally {
      s.child.kill('SIGKILL');
    }
  });
});

describe('slotwire serve: /metrics', () => {
  it('moves to --metrics-port, bound to --host', async () => {
    const file = writeActionsFile('version: 1\nactions:\n  a:\n    slots: { x: 1 }\n');
    const s = await serve(file, ['--metrics-port', '0'], {}, /metrics on/);
    try {
      const metricsUrl = /metrics on (http:\/\/127\.0\.0\.1:\d+)\/metrics/.exec(s.out())?.[1] as string;
      expect(metricsUrl).not.toBe(s.url);
      expect((await get(`${s.url}/metrics`)).status).toBe(404);
      const scraped = await get(`${metricsUrl}/metrics`);
      expect(scraped.status).toBe(200);
      expect(scraped.body).toContain('# TYPE slotwire_action_duration_seconds histogram');
      expect((await get(`${metricsUrl}/webhook`)).status).toBe(404);
      expect(await s.stop()).toBe(0);
    } finally {
      s.child.kill('SIGKILL');
    }
  });

  it('is off with SLOTWIRE_METRICS=off', async () => {
    const file = writeActionsFile('version: 1\nactions: {}\n');
    const s = await serve(file, [], { SLOTWIRE_METRICS: 'off' });
    try {
      expect((await get(`${s.url}/metrics`)).status).toBe(404);
      expect(await s.stop()).toBe(0);
    } finally {
      s.child.kill('SIGKILL');
    }
  });

  it.each([
    [['--metrics', 'yes'], '--metrics must be on, off or auth, not "yes"'],
    [['--metrics', 'auth'], "--metrics auth asks for the webhook's credentials: give --auth-token too"],
    [['--metrics-port', 'x'], '--metrics-port must be a port number, not "x"'],
    [['--port', '6000', '--metrics-port', '6000'], '--metrics-port must differ from --port'],
    [['--metrics', 'off', '--metrics-port', '9464'], '--metrics-port has nothing to serve with --metrics off'],
    [['--drain-delay', 'soon'], '--drain-delay must be a number of seconds, not "soon"'],
  ])('refuses %j with one line and exit 2', async (args, message) => {
    const r = await runCli(['serve', ...args]);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe(`slotwire serve: ${message} (see: slotwire serve --help)`);
  });

  it('refuses an OTLP protocol it cannot export with, with one line and exit 2', async () => {
    const r = await runCli(['serve'], {
      OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4317',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
    });
    expect(r.code).toBe(2);
    expect(r.err).toBe(
      'slotwire serve: OTEL_EXPORTER_OTLP_PROTOCOL=grpc is not supported; slotwire exports OTLP over HTTP: use http/protobuf (the default) or http/json',
    );
  });
});

describe('slotwire serve: traces exported over OTLP/HTTP', () => {
  interface Received {
    readonly path: string;
    readonly type: string;
    readonly body: Buffer;
  }
  let receiver: Server;
  let receiverUrl: string;
  const received: Received[] = [];
  let upstream: Upstream;
  let file: string;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ path: req.url ?? '', type: req.headers['content-type'] ?? '', body: Buffer.concat(chunks) });
        res.writeHead(200, { 'content-type': req.headers['content-type'] ?? 'application/json' });
        res.end(req.headers['content-type']?.includes('json') ? '{}' : '');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
    upstream = await startUpstream([{ match: { path: '/status' }, reply: { json: { ok: true } } }]);
    file = writeActionsFile(
      'version: 1\nconnections:\n  api: { base_url: "${UPSTREAM}" }\nactions:\n  check:\n    request: { connection: api, path: /status }\n    slots: { ok: "{{ response.body.ok }}" }\n',
    );
  });
  afterAll(async () => {
    await new Promise((resolve) => receiver?.close(resolve));
    await upstream?.close();
  });

  async function callAndStop(env: NodeJS.ProcessEnv): Promise<Served> {
    const s = await serve(
      file,
      [],
      { UPSTREAM: upstream.origin, OTEL_EXPORTER_OTLP_ENDPOINT: receiverUrl, ...env },
      /tracing on/,
    );
    try {
      const res = await fetch(`${s.url}/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', traceparent: `00-${TRACE_ID}-b7ad6b7169203331-01` },
        body: JSON.stringify({ next_action: 'check', sender_id: 's', tracker: { sender_id: 's' } }),
      });
      expect(res.status).toBe(200);
      await res.text();
      // Spans are batched: SIGTERM flushes them before the process exits.
      expect(await s.stop()).toBe(0);
      return s;
    } finally {
      s.child.kill('SIGKILL');
    }
  }

  it('sends the spans as OTLP JSON with OTEL_EXPORTER_OTLP_PROTOCOL=http/json, named by OTEL_SERVICE_NAME', async () => {
    received.length = 0;
    const s = await callAndStop({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_SERVICE_NAME: 'bot-actions' });
    expect(s.out()).toContain('slotwire: tracing on (OTLP over http/json)');
    expect(received.map((r) => [r.path, r.type])).toEqual([['/v1/traces', 'application/json']]);
    const payload = JSON.parse(received[0].body.toString('utf8')) as {
      resourceSpans: {
        resource: { attributes: { key: string; value: { stringValue?: string } }[] };
        scopeSpans: { spans: { traceId: string; name: string }[] }[];
      }[];
    };
    const resource = payload.resourceSpans[0]?.resource.attributes.find((a) => a.key === 'service.name');
    expect(resource?.value.stringValue).toBe('bot-actions');
    const spans = payload.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
    expect(spans.map((sp) => sp.name).sort()).toEqual(['GET', 'POST /webhook', 'action check']);
    for (const span of spans) expect(span.traceId).toBe(TRACE_ID);
  });

  it('answers calls at once and exits 0 when the collector is down, with a warning in the log', async () => {
    const dead = await holdRefusedAddress();
    const s = await serve(
      file,
      ['--log-level', 'warn'],
      { UPSTREAM: upstream.origin, OTEL_EXPORTER_OTLP_ENDPOINT: dead.origin },
      /tracing on/,
    );
    try {
      const started = performance.now();
      const res = await fetch(`${s.url}/webhook`, {
        method: 'POST',
        body: JSON.stringify({ next_action: 'check', sender_id: 's', tracker: { sender_id: 's' } }),
      });
      expect(res.status).toBe(200);
      await res.text();
      expect(performance.now() - started).toBeLessThan(1_000);
      const stoppedAt = performance.now();
      expect(await s.stop()).toBe(0);
      // The last spans are given 5 s to go out, no more.
      expect(performance.now() - stoppedAt).toBeLessThan(8_000);
      expect(s.out()).toMatch(/"msg":"tracing: export failed"/);
    } finally {
      s.child.kill('SIGKILL');
      await dead.close();
    }
  }, 20_000);

  it('sends protobuf by default (the OTLP default protocol)', async () => {
    received.length = 0;
    const s = await callAndStop({});
    expect(s.out()).toContain('slotwire: tracing on (OTLP over http/protobuf)');
    expect(received.map((r) => [r.path, r.type])).toEqual([['/v1/traces', 'application/x-protobuf']]);
    // Trace ids travel as 16 raw bytes in the protobuf encoding.
    expect(received[0].body.includes(Buffer.from(TRACE_ID, 'hex'))).toBe(true);
  });
});
