import { describe, expect, it } from 'vitest';
import {
  actionExecuted,
  actionExecutionRejected,
  actionReverted,
  activeLoop,
  agentUttered,
  allSlotsReset,
  botUttered,
  checkEvents,
  CLASSIC_EVENT_TYPES,
  conversationPaused,
  conversationResumed,
  entitiesAdded,
  followupAction,
  loopInterrupted,
  PRO_EVENT_TYPES,
  reminderCancelled,
  reminderScheduled,
  restarted,
  sessionEnded,
  sessionStarted,
  slotSet,
  userUtteranceReverted,
  userUttered,
} from '../../runtime/rasa/index.js';
import { validateClassic, validatePro } from './response-schema.js';

const classicBuilt = [
  slotSet('city', 'Berlin'),
  slotSet('city', null),
  allSlotsReset(),
  restarted(),
  sessionStarted(),
  followupAction('action_listen'),
  reminderScheduled('remind', new Date(Date.UTC(2030, 0, 1)), { name: 'r1' }),
  reminderCancelled({ name: 'r1' }),
  reminderCancelled(),
  conversationPaused(),
  conversationResumed(),
  userUtteranceReverted(),
  actionReverted(),
  actionExecuted('action_x', 'policy', 0.9),
  actionExecutionRejected('my_form'),
  userUttered('hi'),
  userUttered('hi', { intent: { name: 'greet', confidence: 1 } }, 'rest'),
  botUttered('hello', { buttons: [] }),
  agentUttered('hey'),
  activeLoop('my_form'),
  activeLoop(null),
  loopInterrupted(true),
  entitiesAdded([{ entity: 'city', value: 'Paris' }]),
];

describe('event builders', () => {
  it('build events that pass the classic response schema, each with timestamp null', () => {
    for (const event of classicBuilt) {
      expect(event.timestamp).toBeNull();
      expect(validateClassic({ events: [event], responses: [] }), JSON.stringify(event)).toBe(true);
    }
  });

  it('build the wire shapes of rasa-sdk events.py', () => {
    expect(slotSet('test', 'bar')).toEqual({ event: 'slot', timestamp: null, name: 'test', value: 'bar' });
    expect(followupAction('a')).toEqual({ event: 'followup', timestamp: null, name: 'a' });
    expect(reminderScheduled('i', '2030-01-01T00:00:00Z')).toEqual({
      event: 'reminder',
      timestamp: null,
      intent: 'i',
      date_time: '2030-01-01T00:00:00Z',
      entities: null,
      name: null,
      kill_on_user_msg: true,
    });
  });

  it('turn an undefined slot value into null so the key survives JSON', () => {
    expect(JSON.parse(JSON.stringify(slotSet('a', undefined)))).toMatchObject({ name: 'a', value: null });
  });

  it('always give user events an object parse_data', () => {
    expect(userUttered('hi').parse_data).toEqual({});
  });

  it('mark session_ended as a pro-only event', () => {
    expect(validateClassic({ events: [sessionEnded()], responses: [] })).toBe(false);
    expect(validatePro({ events: [sessionEnded()], responses: [] })).toBe(true);
  });
});

describe('event type lists', () => {
  it('list the 23 classic and 14 newer event types, disjoint', () => {
    expect(CLASSIC_EVENT_TYPES).toHaveLength(23);
    expect(PRO_EVENT_TYPES).toHaveLength(14);
    expect(CLASSIC_EVENT_TYPES.filter((t) => PRO_EVENT_TYPES.includes(t))).toEqual([]);
  });
});

describe('checkEvents', () => {
  it("drops items that are not objects or have no event, as rasa-sdk's validate_events", () => {
    const check = checkEvents([1, ['asd'], 'asd', 3.2, null, { event_without_event_property: 4 }, slotSet('a', 1)]);
    expect(check).toMatchObject({ ok: true, dropped: 6, events: [slotSet('a', 1)] });
  });

  it('refuses a newer type for the classic target and accepts it for pro', () => {
    expect(checkEvents([slotSet('a', 1), sessionEnded()])).toMatchObject({
      ok: false,
      index: 1,
      event: 'session_ended',
      problem: 'not_allowed',
    });
    expect(checkEvents([sessionEnded()], 'pro')).toMatchObject({ ok: true });
  });

  it('refuses export and stack unless allowed', () => {
    expect(checkEvents([{ event: 'export', timestamp: null }])).toMatchObject({ ok: false, problem: 'not_allowed' });
    expect(checkEvents([{ event: 'export', timestamp: null }], 'classic', ['export'])).toMatchObject({ ok: true });
    expect(checkEvents([{ event: 'stack', timestamp: null, update: '[]' }], 'pro')).toMatchObject({
      ok: false,
      problem: 'not_allowed',
    });
    expect(checkEvents([{ event: 'stack', timestamp: null, update: '[]' }], 'pro', ['stack'])).toMatchObject({
      ok: true,
    });
  });

  it('refuses unknown types', () => {
    expect(checkEvents([{ event: 'slot_set', name: 'a', value: 1 }])).toMatchObject({
      ok: false,
      problem: 'not_allowed',
      event: 'slot_set',
    });
  });

  it.each([
    [{ event: 'slot', name: 'a' }, 'value'],
    [{ event: 'slot', name: 'a', value: undefined }, 'value'],
    [{ event: 'slot', name: 3, value: 1 }, 'name'],
    [{ event: 'user', text: 'hi', parse_data: null }, 'parse_data'],
    [{ event: 'user', text: 'hi' }, 'parse_data'],
    [{ event: 'slot', name: 'a', value: 1, timestamp: '2024-01-01T00:00:00Z' }, 'timestamp'],
    [{ event: 'slot', name: 'a', value: 1, metadata: [] }, 'metadata'],
    [{ event: 'action', name: 'x', confidence: '1' }, 'confidence'],
    [{ event: 'entities', entities: [{ value: 1 }] }, 'entities'],
  ])('refuses %j (bad %s)', (event, field) => {
    expect(checkEvents([event])).toMatchObject({ ok: false, problem: 'bad_shape', field });
  });

  it('agrees with the response schema on every case above and on the builders', () => {
    const cases: unknown[] = [
      ...classicBuilt,
      { event: 'slot', name: 'a' },
      { event: 'slot', name: 3, value: 1 },
      { event: 'user', text: 'hi', parse_data: null },
      { event: 'slot', name: 'a', value: 1, timestamp: 'x' },
      { event: 'action', name: 'x', confidence: '1' },
      { event: 'entities', entities: [{ value: 1 }] },
      { event: 'bot', text: 'x', metadata: null },
      { event: 'form', name: 'f' },
      { event: 'flow_started', flow_id: 1 },
      { event: 'flow_completed', flow_id: 'f', step_id: 's' },
    ];
    for (const event of cases) {
      const schemaSays = validatePro({ events: [event], responses: [] });
      // `user` without parse_data is schema-valid but crashes Rasa's deserialisation: we are stricter there.
      const check = checkEvents([event], 'pro', ['export', 'stack']);
      expect(check.ok, JSON.stringify(event)).toBe(schemaSays);
    }
  });
});
