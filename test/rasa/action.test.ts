import { describe, expect, it } from 'vitest';
import { ActionRejection, serveCodeAction, slotSet, trackerFromDict } from '../../runtime/rasa/index.js';
import type { ActionInput, CodeAction, RasaEvent } from '../../runtime/rasa/index.js';

const input: ActionInput = {
  nextAction: 'a',
  senderId: 's',
  tracker: trackerFromDict({ sender_id: 's' }),
  domain: null,
  version: null,
};

function named(name: string): CodeAction {
  return { name, run: () => [] };
}

describe('serveCodeAction', () => {
  it('defaults readsDomain to false', () => {
    expect(serveCodeAction(named('x')).readsDomain).toBe(false);
    expect(serveCodeAction({ ...named('x'), readsDomain: true }).readsDomain).toBe(true);
  });

  it('returns the events and the uttered messages', async () => {
    const action = serveCodeAction({
      name: 'a',
      async run({ dispatcher }) {
        dispatcher.utter({ response: 'utter_x', n: 1 });
        return [slotSet('done', true)];
      },
    });
    const output = await action.run(input);
    expect(output.events).toEqual([slotSet('done', true)]);
    expect(output.responses).toMatchObject([{ response: 'utter_x', template: 'utter_x', n: 1 }]);
  });

  it('treats a missing return value as no events, as rasa-sdk', async () => {
    const action = serveCodeAction({ name: 'a', run: () => undefined as unknown as RasaEvent[] });
    expect((await action.run(input)).events).toEqual([]);
  });

  it('lets an ActionRejection through for the server to map', async () => {
    const action = serveCodeAction({
      name: 'a',
      run: () => {
        throw new ActionRejection();
      },
    });
    await expect(action.run(input)).rejects.toMatchObject({ code: 'SW_ACTION_REJECTED', usesDefaultMessage: true });
  });
});
