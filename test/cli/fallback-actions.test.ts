// `slotwire validate --fallback URL` against a real action server on
// loopback: its /actions, found beside the webhook URL, counts as served in
// the domain check; a fallback that cannot be asked is one line, exit 1,
// that names the URL without its query; without a fallback nothing changes.
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchFallbackActions } from '../../runtime/cli/fallback-actions.js';
import { holdRefusedAddress } from '../support/refused-address.js';
import { runCli } from './run-cli.js';

/** A loopback server answering every request with `answer`; `paths` records what was asked. */
async function fallbackServer(
  answer: (req: IncomingMessage, res: ServerResponse) => void,
): Promise<{ url: string; paths: string[]; close(): Promise<void> }> {
  const paths: string[] = [];
  const server: Server = createServer((req, res) => {
    paths.push(`${req.method} ${req.url}`);
    answer(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    paths,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** rasa-sdk's answer to GET /actions. */
const rasaSdkActions =
  (names: readonly string[]) =>
  (_req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(names.map((name) => ({ name }))));
  };

let dir: string;
let file: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slotwire-validate-fallback-'));
  await writeFile(
    join(dir, 'domain.yml'),
    'version: "3.1"\nslots: {}\nactions:\n  - action_moved\n  - action_legacy\n  - action_nowhere\n  - utter_greet\n',
  );
  file = join(dir, 'actions.yml');
  await writeFile(file, 'version: 1\nactions:\n  action_moved:\n    responses:\n      - text: moved\n');
});

interface Report {
  ok: boolean;
  not_served: string[];
  served_by_fallback?: string[];
  taken_over?: string[];
}

describe('validate --fallback', () => {
  let legacy: Awaited<ReturnType<typeof fallbackServer>>;
  beforeAll(async () => {
    legacy = await fallbackServer(rasaSdkActions(['action_legacy', 'action_moved', 'action_unlisted']));
  });
  afterAll(() => legacy.close());

  it('counts what the fallback lists as served, asking /actions beside the webhook, query kept', async () => {
    const r = await runCli([
      'validate',
      file,
      '--project',
      dir,
      '--fallback',
      `${legacy.url}/legacy/webhook?token=s3cret`,
      '--format',
      'json',
    ]);
    expect(r.code).toBe(0);
    expect(legacy.paths.at(-1)).toBe('GET /legacy/actions?token=s3cret');
    const report = JSON.parse(r.out) as Report;
    expect(report).toMatchObject({
      ok: true,
      not_served: ['action_nowhere'],
      served_by_fallback: ['action_legacy'],
      taken_over: ['action_moved'],
    });
  });

  it('says in text which domain actions each side serves', async () => {
    const r = await runCli(['validate', file, '--project', dir, '--fallback', `${legacy.url}/webhook`]);
    expect(r.code).toBe(0);
    expect(r.out.split('\n')).toEqual(
      expect.arrayContaining([
        'domain actions served by the fallback: action_legacy',
        'actions this file takes over from the fallback: action_moved',
        'domain actions served by neither this file nor the fallback: action_nowhere',
      ]),
    );
  });

  it('reads SLOTWIRE_FALLBACK_URL when the flag is not given, and only with a project', async () => {
    const before = legacy.paths.length;
    const withProject = await runCli(['validate', file, '--project', dir, '--format', 'json'], {
      SLOTWIRE_FALLBACK_URL: `${legacy.url}/webhook`,
    });
    expect(withProject.code).toBe(0);
    expect((JSON.parse(withProject.out) as Report).not_served).toEqual(['action_nowhere']);
    expect(legacy.paths.length).toBe(before + 1);
    const alone = await runCli(['validate', file], { SLOTWIRE_FALLBACK_URL: `${legacy.url}/webhook` });
    expect(alone.code).toBe(0);
    expect(legacy.paths.length).toBe(before + 1);
  });
});

describe('validate without a fallback', () => {
  it('keeps the domain check as it was', async () => {
    const r = await runCli(['validate', file, '--project', dir, '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out) as Report;
    expect(report.not_served).toEqual(['action_legacy', 'action_nowhere']);
    expect(report).not.toHaveProperty('served_by_fallback');
    const text = await runCli(['validate', file, '--project', dir]);
    expect(text.out).toContain('domain actions not in this file (served elsewhere?): action_legacy, action_nowhere');
  });
});

describe('a fallback that cannot be asked', () => {
  it('down: one line naming the URL and the /actions asked, exit 1', async () => {
    const refused = await holdRefusedAddress();
    try {
      const r = await runCli(['validate', file, '--project', dir, '--fallback', `${refused.origin}/webhook`]);
      expect(r.code).toBe(1);
      expect(r.out).toBe('');
      expect(r.err).toBe(
        `slotwire validate: --fallback ${refused.origin}/webhook cannot be used: GET ${refused.origin}/actions was refused: nothing listens there`,
      );
    } finally {
      await refused.close();
    }
  });

  it.each([
    [
      'an error status',
      (_: IncomingMessage, res: ServerResponse) => res.writeHead(401).end('{"error":"Unauthorized"}'),
      'answered 401',
    ],
    ['no list', rasaSdkActionsOf({ actions: [] }), 'answered something other than a list'],
    ['a list without names', rasaSdkActionsOf([{ title: 'x' }]), 'answered something other than a list'],
    [
      'more than 1 MiB',
      (_: IncomingMessage, res: ServerResponse) => res.writeHead(200).end(`[${'{"name":"a"},'.repeat(100_000)}]`),
      'answered more than 1 MiB',
    ],
    [
      'a redirect',
      (_: IncomingMessage, res: ServerResponse) => res.writeHead(302, { location: 'http://127.0.0.1:1/' }).end(),
      'answered 302',
    ],
  ])('%s: one line, exit 1, the token never shown', async (_, answer, problem) => {
    const server = await fallbackServer(answer);
    try {
      const r = await runCli([
        'validate',
        file,
        '--project',
        dir,
        '--fallback',
        `${server.url}/webhook?token=s3cret`,
        '--format',
        'json',
      ]);
      expect(r.code).toBe(1);
      expect(r.err.split('\n')).toHaveLength(1);
      expect(r.err).toContain(`--fallback ${server.url}/webhook?… cannot be used: GET ${server.url}/actions?… `);
      expect(r.err).toContain(problem);
      expect(r.err).not.toContain('s3cret');
    } finally {
      await server.close();
    }
  });

  it('silent past its deadline: a clear reason, not a hang', async () => {
    const server = await fallbackServer(() => {});
    try {
      const url = `${server.url}/webhook`;
      await expect(
        fetchFallbackActions({ from: '--fallback', url }, new URL(`${server.url}/actions`), { timeoutMs: 50 }),
      ).rejects.toThrow(`--fallback ${url} cannot be used: GET ${server.url}/actions did not answer within 0.05 s`);
    } finally {
      await server.close();
    }
  });
});

describe('--fallback usage errors', () => {
  it.each([
    [['--fallback', 'http://127.0.0.1:5055/webhook'], "--fallback counts the domain's actions as served"],
    [['--project', '.', '--fallback', 'http://127.0.0.1:5055/'], "must be the action server's webhook URL"],
    [['--project', '.', '--fallback', 'ftp://127.0.0.1/webhook'], 'must be an http:// or https:// URL'],
    [['--project', '.', '--fallback', 'not a url'], 'must be an http:// or https:// URL'],
  ])('%j: exit 2', async (args, problem) => {
    const r = await runCli(['validate', ...args]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(problem);
  });

  it('a bad SLOTWIRE_FALLBACK_URL is named as the variable', async () => {
    const r = await runCli(['validate', file, '--project', dir], { SLOTWIRE_FALLBACK_URL: 'http://127.0.0.1:5055' });
    expect(r.code).toBe(2);
    expect(r.err).toContain('SLOTWIRE_FALLBACK_URL must be the action server');
  });
});

/** An answer of 200 with `body` as JSON. */
function rasaSdkActionsOf(body: unknown) {
  return (_req: IncomingMessage, res: ServerResponse): void => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
}
