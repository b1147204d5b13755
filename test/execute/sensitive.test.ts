import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlan } from '../../runtime/compile/index.js';
import type { ActionPlan } from '../../runtime/compile/index.js';
import { runAction } from '../../runtime/execute/index.js';
import { createHttpClient } from '../../runtime/http/index.js';
import { trackerFromDict } from '../../runtime/rasa/index.js';

describe('sensitive slots', () => {
  it('never put their values in a log line, even when the value does not fit the slot type', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'slotwire-sensitive-'));
    await writeFile(
      join(dir, 'actions.yml'),
      'version: 1\nactions:\n  a:\n    sensitive: [pin]\n    slots:\n      pin: "{{ slots.given }}"\n      other: "{{ slots.given }}"\n',
    );
    const plan = (await loadPlan(join(dir, 'actions.yml'))).plan!;
    const lines: string[] = [];
    const logger = { warn: (obj: object, msg: string) => lines.push(JSON.stringify(obj) + msg), info() {} };
    const domain = {
      slots: { pin: { type: 'rasa.shared.core.slots.FloatSlot' }, other: { type: 'rasa.shared.core.slots.FloatSlot' } },
    };
    const tracker = trackerFromDict({ sender_id: 's', slots: { given: 'secret-1234x' } });
    const http = createHttpClient([]);
    const run = await runAction(
      plan.actions.get('a') as ActionPlan,
      { nextAction: 'a', senderId: 's', tracker, domain, version: null },
      { http, logger },
    );
    await http.close();
    expect(run.events).toMatchObject([
      { name: 'pin', value: null },
      { name: 'other', value: null },
    ]);
    expect(lines).toHaveLength(2);
    expect(lines[0]).not.toContain('secret-1234x');
    expect(lines[1]).toContain('secret-1234x');
  });
});
