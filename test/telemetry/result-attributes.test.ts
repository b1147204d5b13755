// The action span's rasa-sdk attributes of a result, and their reuse: a
// result with the same event types, slot names and responses as the last
// one gets the same attributes object; any difference gets its own values.
import { describe, expect, it } from 'vitest';
import type { RunResult } from '../../runtime/engine/index.js';
import { botMessage, slotSet } from '../../runtime/rasa/index.js';
import type { RasaEvent } from '../../runtime/rasa/index.js';
import { ResultAttributes } from '../../runtime/telemetry/result-attributes.js';

const result = (events: RasaEvent[], responses: (string | null)[] = []): RunResult => ({
  events,
  responses: responses.map((response) => botMessage(response === null ? { text: 'hi' } : { response })),
  outcome: { status: 'ok' },
  replayed: false,
});

const followup: RasaEvent = { event: 'followup', timestamp: null, name: 'action_next' };

describe('ResultAttributes', () => {
  it("gives rasa-sdk's values: types and slot names once each, requested_slot left out, named responses", () => {
    const attributes = new ResultAttributes().of(
      result(
        [slotSet('status', 1), slotSet('requested_slot', 'x'), followup, slotSet('status', 2), slotSet('total', 3)],
        ['utter_status', null, 'utter_status'],
      ),
    );
    expect(attributes).toEqual({
      events: '["slot","followup"]',
      slots: '["status","total"]',
      utters: '["utter_status","utter_status"]',
      message_count: 3,
    });
  });

  it('reuses the attributes of a result like the last one', () => {
    const kept = new ResultAttributes();
    const first = kept.of(result([slotSet('status', 'shipped'), followup], ['utter_status']));
    const second = kept.of(
      result([slotSet('status', 'lost'), { ...followup, name: 'action_other' }], ['utter_status']),
    );
    expect(second).toBe(first);
  });

  it.each([
    ['another slot name', result([slotSet('carrier', 1), followup], ['utter_status']), { slots: '["carrier"]' }],
    [
      'another event type',
      result([slotSet('status', 1), slotSet('status', 2)], ['utter_status']),
      { events: '["slot"]' },
    ],
    [
      'the events in another order',
      result([followup, slotSet('status', 1)], ['utter_status']),
      { events: '["followup","slot"]' },
    ],
    [
      'one more event',
      result([slotSet('status', 1), followup, slotSet('total', 2)], ['utter_status']),
      { slots: '["status","total"]' },
    ],
    ['another response', result([slotSet('status', 1), followup], ['utter_lost']), { utters: '["utter_lost"]' }],
    [
      'a text instead of a response',
      result([slotSet('status', 1), followup], [null]),
      { utters: '[]', message_count: 1 },
    ],
    ['one more response', result([slotSet('status', 1), followup], ['utter_status', null]), { message_count: 2 }],
  ])('computes them again for %s', (_what, next, changed) => {
    const kept = new ResultAttributes();
    const first = kept.of(result([slotSet('status', 1), followup], ['utter_status']));
    const attributes = kept.of(next);
    expect(attributes).toEqual({ ...first, ...changed });
    expect(attributes).not.toEqual(first);
  });
});
