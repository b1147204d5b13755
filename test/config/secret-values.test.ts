/**
 * Issue 12: a value that came from `${VAR}` never appears in a diagnostic,
 * whatever the mistake, so it reaches neither the log, `validate` (text or
 * JSON), `run` nor `/health` (which print these diagnostics).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadPlan } from '../../runtime/compile/index.js';
import { runCli } from '../cli/run-cli.js';

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
