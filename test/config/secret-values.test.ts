/**
 * A value that came from `${VAR}` never appears in a diagnostic, whatever
 * the mistake, so it reaches neither the log, `validate` (text or JSON),
 * `run` nor `/health` (which print these diagnostics). And one put into a
 * connection's headers or auth is masked, by value, in every output: `run`
 * and its dry run, recorded fixtures, the server's log, `/actions`.
 */
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActionServer } from '../../runtime/index.js';
import { loadPlan } from '../../runtime/compile/index.js';
import { createLogger } from '../../runtime/server/index.js';
import { runCli } from '../cli/run-cli.js';
import { json, startServer } from '../http/helpers.js';
import type { TestServer } from '../http/helpers.js';

const SECRET = 'sk-live-TOPSECRET-4242';
// Close to an allowed value, so a "did you mean" made from the value would name it.
const NEAR_ENUM = 'same_origim';
const env = { SECRET, NEAR_ENUM };

// Every connection field a `${VAR}` can wrongly stand in, each a different check:
// schema type, enum, discriminator, duration and size patterns (connection
// `wrong`); base_url parts and the TLS file name (checked by the compiler, so
// in connections that pass the schema).
const actionsYml = `version: 1
connections:
  wrong:
    base_url: https://api.example.com
    redirects: "\${SECRET}"
    timeout: "\${SECRET}"
    headers: "\${SECRET}"
    limits: { max_connections: "\${SECRET}", max_response_size: "\${SECRET}" }
    retry: { attempts: "\${SECRET}", backoff: "\${SECRET}" }
    circuit_breaker: "\${SECRET}"
    auth: { type: "\${SECRET}", token: "\${SECRET}" }
  near:
    base_url: https://api.example.com
    redirects: "\${NEAR_ENUM}"
  parts:
    base_url: "https://bot:\${SECRET}@api.example.com/x?sig=\${SECRET}#\${SECRET}"
    tls: { ca: "certs/\${SECRET}.pem", reject_unauthorized: true }
  whole:
    base_url: "\${SECRET}"
actions:
  get_thing:
    request: { connection: parts, path: /things }
    slots: { thing: "{{ response.body.name }}" }
`;

let file: string;

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'slotwire-secrets-'));
  file = join(dir, 'actions.yml');
  await writeFile(file, actionsYml);
});

describe('values from ${VAR} in diagnostics', () => {
  it('are quoted as written in every diagnostic loadPlan reports', async () => {
    const { plan, diagnostics } = await loadPlan(file, { env });
    expect(plan).toBeNull();
    // The mistakes are all reported, at their places…
    expect(diagnostics).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ code: 'SW_SCHEMA_ENUM', line: 5, col: 16 }),
        expect.objectContaining({ code: 'SW_SCHEMA_DURATION', line: 6, col: 14 }),
        expect.objectContaining({ code: 'SW_SCHEMA_TYPE', line: 7, col: 14 }),
        expect.objectContaining({ code: 'SW_SCHEMA_TYPE', line: 8, col: 32 }),
        expect.objectContaining({ code: 'SW_SCHEMA_SIZE', line: 8, col: 64 }),
        expect.objectContaining({ code: 'SW_SCHEMA_TYPE', line: 9, col: 24 }),
        expect.objectContaining({ code: 'SW_SCHEMA_DURATION', line: 9, col: 46 }),
        expect.objectContaining({ code: 'SW_SCHEMA_ENUM', line: 11, col: 19 }),
        expect.objectContaining({ code: 'SW_SCHEMA_ENUM', line: 14, col: 16 }),
        expect.objectContaining({ code: 'SW_URL_USER_INFO', line: 16, col: 15 }),
        expect.objectContaining({ code: 'SW_URL_QUERY', line: 16, col: 15 }),
        expect.objectContaining({ code: 'SW_URL_FRAGMENT', line: 16, col: 15 }),
        expect.objectContaining({ code: 'SW_TLS_FILE', line: 17, col: 16 }),
        expect.objectContaining({ code: 'SW_URL_INVALID', line: 19, col: 15 }),
      ]),
    );
    // …and quote what the author wrote, never what the environment holds.
    const everything = JSON.stringify(diagnostics);
    expect(everything).not.toContain(SECRET);
    expect(everything).not.toContain('TOPSECRET');
    expect(everything).not.toContain(NEAR_ENUM);
    expect(everything).toContain('${SECRET}');
  });

  it('does not suggest a value that a secret is close to', async () => {
    const { diagnostics } = await loadPlan(file, { env });
    const near = diagnostics.find((d) => d.code === 'SW_SCHEMA_ENUM' && d.line === 14);
    expect(near).toMatchObject({ code: 'SW_SCHEMA_ENUM', line: 14, col: 16 });
    expect(near?.hint).not.toContain('same_origin"?');
  });

  it('never reach slotwire validate output, as text or as JSON', async () => {
    const text = await runCli(['validate', file], env);
    expect(text.code).toBe(1);
    expect(text.err).toContain('SW_URL_USER_INFO');
    expect(`${text.out}\n${text.err}`).not.toContain('TOPSECRET');

    const json = await runCli(['validate', file, '--format', 'json'], env);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.out)).toMatchObject({ ok: false });
    expect(`${json.out}\n${json.err}`).not.toContain('TOPSECRET');
  });

  it('never reach slotwire run output', async () => {
    const r = await runCli(['run', 'get_thing', '--actions', file, '--dry-run'], env);
    expect(r.code).not.toBe(0);
    expect(`${r.out}\n${r.err}`).toContain('SW_URL_USER_INFO');
    expect(`${r.out}\n${r.err}`).not.toContain('TOPSECRET');
  });
});

describe('values from ${VAR} in headers, whatever their names, in every output', () => {
  const secrets = { CUSTOM_HDR: 'custom-hdr-7f3a', PASSWORD_HDR: 'pa55w0rd-9c1e', SIGNATURE: 'sig-body-5d2b' };
  let api: TestServer;
  let dir: string;
  let actions: string;
  const env = (): Record<string, string> => ({ API_URL: api.origin, REGION: 'eu', ...secrets });
  // Any output, with every secret value named, so a failure says which leaked.
  const leaks = (text: string): string[] => Object.values(secrets).filter((v) => text.includes(v));

  beforeAll(async () => {
    // An upstream that echoes what it was sent, as debug endpoints and error pages do.
    api = await startServer((req, res) => {
      const seen = { custom: req.headers['x-custom-auth'], password: req.headers['x-password'] };
      if (req.url === '/fail') json(res, 401, { detail: `key ${String(seen.custom)} is not valid` });
      else json(res, 200, { seen, signature: req.headers['x-signature'] });
    });
    dir = await mkdtemp(join(tmpdir(), 'slotwire-secret-output-'));
    actions = join(dir, 'actions.yml');
    await writeFile(
      actions,
      `version: 1
connections:
  api:
    base_url: \${API_URL}
    headers:
      X-Custom-Auth: "\${CUSTOM_HDR}"
      X-Password: "\${PASSWORD_HDR}"
      X-Signature: "v1=\${SIGNATURE}"
      X-Region: \${REGION}
actions:
  echo:
    description: Checks that ${secrets.CUSTOM_HDR} still works
    request: { connection: api, path: /echo }
    slots: { custom_seen: "{{ response.body.seen.custom }}" }
  fail:
    request: { connection: api, path: /fail }
    slots: { ok: true }
    on_error:
      slots: { why: "{{ $error(response.body.detail) }}" }
`,
    );
  });

  afterAll(() => api.close());

  it('are *** in run and run --dry-run: headers, answer, slots; a value under 4 characters is shown', async () => {
    for (const args of [[], ['--dry-run']]) {
      const r = await runCli(['run', 'echo', '--actions', actions, ...args], env());
      const lines = r.out.split('\n');
      expect(lines).toEqual(
        expect.arrayContaining([
          '  x-custom-auth: ***',
          '  x-password: ***',
          '  x-signature: v1=***',
          '  x-region: eu',
        ]),
      );
      expect(leaks(`${r.out}\n${r.err}`)).toEqual([]);
    }
    const live = await runCli(['run', 'echo', '--actions', actions], env());
    expect(live.out).toContain('slot custom_seen = "***"');
    expect(api.seen.at(-1)?.headers['x-custom-auth']).toBe(secrets.CUSTOM_HDR);
  });

  it('are *** in the fixtures test --record writes', async () => {
    const file = join(dir, 'record.test.yml');
    await writeFile(file, `actions: actions.yml\ntests:\n  - name: echo\n    action: echo\n`);
    const r = await runCli(['test', file, '--record'], env());
    expect(r.code).toBe(0);
    const written = await readFile(file, 'utf8');
    expect(written).toContain('custom: "***"');
    expect(written).toContain('signature: v1=***');
    expect(leaks(`${written}\n${r.out}\n${r.err}`)).toEqual([]);
  });

  it("are *** in the server's log of a failing call and in /actions", async () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _encoding, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const server = await createActionServer({
      actionsFile: actions,
      env: env(),
      logger: createLogger({ destination, pretty: false, level: 'debug' }),
      metrics: { enabled: false },
    });
    try {
      const call = { next_action: 'fail', sender_id: '1', tracker: { sender_id: '1' }, version: '3.13.4' };
      const res = await server.app.request('/webhook', { method: 'POST', body: JSON.stringify(call) });
      expect(res.status).toBe(200);
      const listed = await (await server.app.request('/actions')).text();
      expect(listed).toContain('Checks that *** still works');
      const log = lines.join('');
      // The on_error expression failed on the upstream's answer, and said so in the log.
      expect(log).toContain('key *** is not valid');
      expect(leaks(`${log}\n${listed}`)).toEqual([]);
    } finally {
      await server.close();
    }
  });
});
