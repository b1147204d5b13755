import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { starterApiUrl } from '../../runtime/cli/init.js';
import { json, startServer } from '../http/helpers.js';
import type { TestServer } from '../http/helpers.js';
import { runCli } from './run-cli.js';

describe('slotwire init', () => {
  it('writes a starter that validates and whose tests pass', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slotwire-init-'));
    const r = await runCli(['init', dir]);
    expect(r.code).toBe(0);
    expect(await readFile(join(dir, 'actions.yml'), 'utf8')).toMatch(
      /^# yaml-language-server: \$schema=\.\/actions\.schema\.json/,
    );
    expect(JSON.parse(await readFile(join(dir, 'actions.schema.json'), 'utf8')).title).toBe('slotwire actions.yml');
    expect(await readFile(join(dir, 'endpoints.snippet.yml'), 'utf8')).toContain('url: http://localhost:5055/webhook');
    expect((await runCli(['validate', join(dir, 'actions.yml')])).code).toBe(0);
    const tested = await runCli(['test', join(dir, 'actions.test.yml')]);
    expect(tested.out.trim().split('\n').at(-1)).toBe('3 passed, 0 failed');
  });

  it('points the hints of a broken test file at docs/testing.md, not the actions.yml page', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slotwire-init-'));
    await runCli(['init', dir]);
    await writeFile(join(dir, 'actions.test.yml'), 'tests:\n  - name: no action\n    slots: {}\n');
    const r = await runCli(['test', '--actions', join(dir, 'actions.yml'), join(dir, 'actions.test.yml')]);
    expect(r.code).toBe(1);
    expect(r.err).toContain('SW_SCHEMA_MISSING_KEY');
    expect(r.err).toContain('docs/testing.md');
    expect(r.err).not.toContain('docs/actions-yml.md');
  });

  it('never overwrites a file that is already there', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slotwire-init-'));
    await writeFile(join(dir, 'actions.yml'), 'mine');
    const r = await runCli(['init', dir]);
    expect(r.out).toContain('kept');
    expect(await readFile(join(dir, 'actions.yml'), 'utf8')).toBe('mine');
  });
});

// The starter must work on a machine without internet: its API
// address defaults to a local one, its tests answer from fixtures, and one
// environment variable points it at a real API.
describe('the starter offline', () => {
  let dir: string;
  let api: TestServer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'slotwire-init-'));
    await runCli(['init', dir]);
    api = await startServer((_req, res) => json(res, 200, { current: { temperature_2m: 17.5 } }));
  });
  afterAll(() => api.close());

  it('defaults its API address to a local one', async () => {
    expect(new URL(starterApiUrl).hostname).toBe('localhost');
    const r = await runCli([
      'run',
      'action_check_weather',
      '--actions',
      join(dir, 'actions.yml'),
      '--slot',
      'latitude=52.52',
      '--slot',
      'longitude=13.41',
      '--dry-run',
    ]);
    // 3: the dry run held its call back, as asked.
    expect(r.code).toBe(3);
    expect(r.out).toContain(`→ GET ${starterApiUrl}/forecast?latitude=52.52&longitude=13.41&current=temperature_2m`);
  });

  it('answers its tests from fixtures, never from the API the environment names', async () => {
    const tested = await runCli(['test', join(dir, 'actions.test.yml')], { WEATHER_API_URL: api.origin });
    expect(tested.code).toBe(0);
    expect(tested.out.trim().split('\n').at(-1)).toBe('3 passed, 0 failed');
    expect(api.seen).toEqual([]);
  });

  it('calls the API that WEATHER_API_URL names', async () => {
    const r = await runCli(
      [
        'run',
        'action_check_weather',
        '--actions',
        join(dir, 'actions.yml'),
        '--slot',
        'latitude=52.52',
        '--slot',
        'longitude=13.41',
      ],
      { WEATHER_API_URL: api.origin },
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain('slot temperature = 17.5');
    expect(api.seen.map((s) => s.url)).toEqual(['/forecast?latitude=52.52&longitude=13.41&current=temperature_2m']);
  });
});
