// validate's note about `progress:` comes only where the project's
// endpoints.yml says Rasa calls the actions over HTTP: gRPC users, and
// projects whose transport cannot be told, are not told.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { actionTransportOf } from '../../runtime/project/index.js';
import { runCli } from '../cli/run-cli.js';

const ACTIONS = `version: 1
actions:
  check_availability:
    progress:
      - { after: 1s, text: One moment… }
    slots: { available: true }
`;

async function projectWith(endpoints: string | null): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'slotwire-endpoints-'));
  await writeFile(join(dir, 'actions.yml'), ACTIONS);
  await writeFile(
    join(dir, 'domain.yml'),
    'version: "3.1"\nslots:\n  available: { type: bool, mappings: [{ type: custom }] }\nactions: [check_availability]\n',
  );
  if (endpoints !== null) await writeFile(join(dir, 'endpoints.yml'), endpoints);
  return dir;
}

async function codes(dir: string): Promise<string[]> {
  const r = await runCli(['validate', join(dir, 'actions.yml'), '--project', dir, '--format', 'json']);
  return (JSON.parse(r.out) as { diagnostics: { code: string }[] }).diagnostics.map((d) => d.code);
}

describe("the action endpoint's transport", () => {
  it.each([
    ['action_endpoint:\n  url: grpc://localhost:5055\n', 'grpc'],
    ['action_endpoint:\n  url: "http://localhost:5055/webhook"\n', 'http'],
    ['action_endpoint:\n  url: https://actions.example.com/webhook\n', 'http'],
    ['action_endpoint:\n  url: ${ACTION_SERVER_URL}\n', null],
    ['action_endpoint:\n  actions_module: actions\n', null],
    ['{ not: yaml: here', null],
  ])('%j → %s', (text, transport) => {
    expect(actionTransportOf(text)).toBe(transport);
  });
});

describe('validate --project and progress:', () => {
  it('warns at progress: when endpoints.yml points Rasa at an HTTP action server', async () => {
    const dir = await projectWith('action_endpoint:\n  url: http://localhost:5055/webhook\n');
    const r = await runCli(['validate', join(dir, 'actions.yml'), '--project', dir, '--format', 'json']);
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as { diagnostics: object[] }).diagnostics).toEqual([
      expect.objectContaining({ code: 'SW_WARN_PROGRESS_NOT_STREAMED', severity: 'warning', line: 4, col: 5 }),
    ]);
  });

  it.each([
    ['a grpc:// endpoint', 'action_endpoint:\n  url: grpc://localhost:5055\n'],
    ['no endpoints.yml', null],
  ])('says nothing with %s', async (_name, endpoints) => {
    expect(await codes(await projectWith(endpoints))).not.toContain('SW_WARN_PROGRESS_NOT_STREAMED');
  });
});
