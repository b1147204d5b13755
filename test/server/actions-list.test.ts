// GET /actions: rasa-sdk's [{name}] list, plus each YAML action's
// `description` when it has one (the schema promises it appears there).
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../runtime/engine/index.js';
import { slotSet } from '../../runtime/rasa/index.js';
import { createApp } from '../../runtime/server/index.js';
import { silent } from './helpers.js';

const actionsYml = `version: 1
actions:
  action_described:
    description: Says what it does.
    slots: { done: true }
  action_plain:
    slots: { done: false }
`;

describe('GET /actions', () => {
  it('adds description only to the actions that have one, in declaration order', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slotwire-actions-list-'));
    await writeFile(join(dir, 'actions.yml'), actionsYml);
    const engine = await createEngine({
      actionsFile: join(dir, 'actions.yml'),
      env: {},
      codeActions: [{ name: 'action_code', run: () => [slotSet('done', true)] }],
    });
    try {
      const response = await createApp({ engine, logger: silent }).request('/actions');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await response.json()).toEqual([
        { name: 'action_described', description: 'Says what it does.' },
        { name: 'action_plain' },
        { name: 'action_code' },
      ]);
    } finally {
      await engine.close();
    }
  });
});
