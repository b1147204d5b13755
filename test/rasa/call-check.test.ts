// checkCall / checkTracker: which shapes of a webhook body are the caller's
// mistake (named by field) and which Rasa really sends (accepted).
import { describe, expect, it } from 'vitest';
import { CallShapeError, checkCall, checkTracker, describeProblem, trackerFromDict } from '../../runtime/rasa/index.js';

/** A call shaped as Rasa Pro sends it (docs/protocol.md#the-request), every checked field present. */
function rasaCall(): Record<string, unknown> {
  return {
    next_action: 'action_x',
    sender_id: 'u1',
    version: '3.13.4',
    domain_digest: 'abc',
    domain: {
      config: { store_entities_as_slots: true },
      session_config: { session_expiration_time: 60 },
      intents: ['greet'],
      entities: ['city'],
      slots: { city: { type: 'rasa.shared.core.slots.TextSlot' } },
      responses: { utter_hi: [{ text: 'hi' }] },
      actions: ['action_x'],
      forms: {},
      e2e_actions: [],
    },
    tracker: {
      sender_id: 'u1',
      slots: { city: 'Berlin', requested_slot: null },
      latest_message: {
        text: 'to Berlin',
        intent: { name: 'inform', confidence: 0.9 },
        intent_ranking: [{ name: 'inform', confidence: 0.9 }],
        entities: [
          {
            entity: 'city',
            value: 'Berlin',
            start: 3,
            end: 9,
            confidence_entity: 0.99,
            extractor: 'DIETClassifier',
            role: null,
            group: null,
          },
        ],
        message_id: 'm1',
        metadata: {},
        commands: [{ command: 'set slot', name: 'city', value: 'Berlin' }],
      },
      latest_event_time: 1.5,
      followup_action: null,
      paused: false,
      stack: [{ frame_id: 'F', type: 'flow', flow_id: 'book', step_id: '0' }],
      events: [
        { event: 'action', name: 'action_listen' },
        { event: 'user', text: 'to Berlin', parse_data: {} },
        { event: 'some_future_event' },
      ],
      latest_input_channel: 'rest',
      active_loop: { name: 'f', is_interrupted: false, rejected: false, trigger_message: {} },
      latest_action: { action_name: 'action_listen' },
      latest_action_name: 'action_listen',
      user_id: null,
    },
  };
}

/** The call with `path` (dotted, numbers index arrays) set to `value`, or deleted when `value` is `DELETE`. */
const DELETE = Symbol('delete');
function withValue(path: string, value: unknown): Record<string, unknown> {
  const call = rasaCall();
  const keys = path.split('.');
  let at: Record<string, unknown> = call;
  for (const key of keys.slice(0, -1)) at = at[key] as Record<string, unknown>;
  const last = keys.at(-1) as string;
  if (value === DELETE) delete at[last];
  else at[last] = value;
  return call;
}

describe('checkCall', () => {
  it('accepts a full Rasa call', () => {
    expect(checkCall(rasaCall())).toBeNull();
  });

  it.each([
    // the cases a fuzz of the webhook once found as 500s
    ['tracker', 'a string', 'tracker'],
    ['tracker', [], 'tracker'],
    ['tracker', DELETE, 'tracker'],
    ['tracker.latest_message.entities', { city: 'Berlin' }, 'tracker.latest_message.entities'],
    ['tracker.sender_id', DELETE, 'tracker.sender_id'],
    ['tracker.sender_id', 7, 'tracker.sender_id'],
    // top level
    ['next_action', 7, 'next_action'],
    ['next_action', ['action_x'], 'next_action'],
    ['next_action', false, 'next_action'],
    ['sender_id', null, 'sender_id'],
    ['sender_id', {}, 'sender_id'],
    ['domain', 'x', 'domain'],
    ['domain', [], 'domain'],
    ['domain_digest', 5, 'domain_digest'],
    ['version', 3.13, 'version'],
    // tracker
    ['tracker.slots', [], 'tracker.slots'],
    ['tracker.latest_message', 'hi', 'tracker.latest_message'],
    ['tracker.latest_event_time', '1.5', 'tracker.latest_event_time'],
    ['tracker.followup_action', 1, 'tracker.followup_action'],
    ['tracker.paused', 'no', 'tracker.paused'],
    ['tracker.stack', {}, 'tracker.stack'],
    ['tracker.stack.0', 'frame', 'tracker.stack[0]'],
    ['tracker.events', {}, 'tracker.events'],
    ['tracker.events.1', null, 'tracker.events[1]'],
    ['tracker.events.1', [], 'tracker.events[1]'],
    ['tracker.events.2.event', 3, 'tracker.events[2].event'],
    ['tracker.events.2.event', DELETE, 'tracker.events[2].event'],
    ['tracker.latest_input_channel', {}, 'tracker.latest_input_channel'],
    ['tracker.active_loop', 'f', 'tracker.active_loop'],
    ['tracker.active_loop.name', 1, 'tracker.active_loop.name'],
    ['tracker.active_loop.is_interrupted', 'yes', 'tracker.active_loop.is_interrupted'],
    ['tracker.active_loop.rejected', null, 'tracker.active_loop.rejected'],
    ['tracker.active_loop.trigger_message', [], 'tracker.active_loop.trigger_message'],
    ['tracker.latest_action', 'action_listen', 'tracker.latest_action'],
    ['tracker.latest_action_name', {}, 'tracker.latest_action_name'],
    ['tracker.user_id', 42, 'tracker.user_id'],
    // latest message
    ['tracker.latest_message.text', 5, 'tracker.latest_message.text'],
    ['tracker.latest_message.intent', 'inform', 'tracker.latest_message.intent'],
    ['tracker.latest_message.intent.name', 1, 'tracker.latest_message.intent.name'],
    ['tracker.latest_message.intent.confidence', '0.9', 'tracker.latest_message.intent.confidence'],
    ['tracker.latest_message.intent_ranking', null, 'tracker.latest_message.intent_ranking'],
    ['tracker.latest_message.intent_ranking.0', 'inform', 'tracker.latest_message.intent_ranking[0]'],
    ['tracker.latest_message.intent_ranking.0.name', [], 'tracker.latest_message.intent_ranking[0].name'],
    ['tracker.latest_message.entities', null, 'tracker.latest_message.entities'],
    ['tracker.latest_message.entities.0', 'city', 'tracker.latest_message.entities[0]'],
    ['tracker.latest_message.entities.0.entity', DELETE, 'tracker.latest_message.entities[0].entity'],
    ['tracker.latest_message.entities.0.entity', 3, 'tracker.latest_message.entities[0].entity'],
    ['tracker.latest_message.entities.0.value', DELETE, 'tracker.latest_message.entities[0].value'],
    ['tracker.latest_message.entities.0.start', '3', 'tracker.latest_message.entities[0].start'],
    ['tracker.latest_message.entities.0.role', 1, 'tracker.latest_message.entities[0].role'],
    ['tracker.latest_message.message_id', 1, 'tracker.latest_message.message_id'],
    ['tracker.latest_message.metadata', 'x', 'tracker.latest_message.metadata'],
    ['tracker.latest_message.commands', {}, 'tracker.latest_message.commands'],
    ['tracker.latest_message.commands.0', 'start flow', 'tracker.latest_message.commands[0]'],
    // domain's top-level keys
    ['domain.slots', [], 'domain.slots'],
    ['domain.intents', {}, 'domain.intents'],
    ['domain.forms', null, 'domain.forms'],
    ['domain.actions', 'action_x', 'domain.actions'],
    ['domain.responses', [], 'domain.responses'],
    ['domain.config', true, 'domain.config'],
  ])('%s = %j → field %s', (path, value, field) => {
    const problem = checkCall(withValue(path, value));
    expect(problem).toMatchObject({ field });
  });

  it('reports a JSON number beyond a double (1e999) as out of range', () => {
    expect(checkCall(withValue('tracker.latest_event_time', JSON.parse('1e999')))).toEqual({
      field: 'tracker.latest_event_time',
      expected: 'number?',
      got: 'out-of-range number',
    });
  });

  it.each([
    ['latest_message null', 'tracker.latest_message', null],
    ['events null (event verbosity NONE)', 'tracker.events', null],
    ['no stack (pre-3.8 Rasa)', 'tracker.stack', DELETE],
    ['no active_loop', 'tracker.active_loop', DELETE],
    ['an empty active_loop', 'tracker.active_loop', {}],
    ['a null trigger_message', 'tracker.active_loop.trigger_message', null],
    ['a null intent (CALM)', 'tracker.latest_message.intent', null],
    ['an empty intent (CALM)', 'tracker.latest_message.intent', {}],
    ["Rasa's empty parse data: intent name null", 'tracker.latest_message.intent.name', null],
    ['an entity value of any type', 'tracker.latest_message.entities.0.value', { amount: [1, 2] }],
    ['a null entity value', 'tracker.latest_message.entities.0.value', null],
    ['domain {} (rasa-sdk tests)', 'domain', {}],
    ['domain null', 'domain', null],
    ['no domain', 'domain', DELETE],
    ['no top-level sender_id', 'sender_id', DELETE],
    ['no user_id', 'tracker.user_id', DELETE],
    ['unknown top-level keys', 'surprise', { nested: [1] }],
    ['unknown tracker keys', 'tracker.future_field', 1],
    ['an opaque slot value', 'tracker.slots.city', [[[{ deep: true }]]]],
    ['an opaque event payload', 'tracker.events.1.parse_data', 'not checked'],
    ['an opaque stack frame', 'tracker.stack.0', { anything: [1] }],
    ['opaque domain contents', 'domain.slots', { city: 'not an object' }],
  ])('accepts %s', (_name, path, value) => {
    expect(checkCall(withValue(path, value))).toBeNull();
  });

  it('reads nothing else of a call without an action (rasa-sdk answers null first)', () => {
    for (const next of [undefined, null, '']) {
      expect(checkCall({ next_action: next, tracker: 'junk', domain: 5 })).toBeNull();
    }
  });

  it('reads the legacy active_form only when active_loop is absent', () => {
    const legacy = withValue('tracker.active_loop', DELETE);
    (legacy.tracker as Record<string, unknown>).active_form = { name: 3 };
    expect(checkCall(legacy)).toMatchObject({ field: 'tracker.active_form.name' });
    (legacy.tracker as Record<string, unknown>).active_form = 'f';
    expect(checkCall(legacy)).toMatchObject({ field: 'tracker.active_form' });
    const both = rasaCall();
    (both.tracker as Record<string, unknown>).active_form = 'ignored';
    expect(checkCall(both)).toBeNull();
  });

  it('describes a problem with its field first', () => {
    const problem = checkCall(withValue('tracker.latest_message.entities', {}));
    expect(problem).toEqual({ field: 'tracker.latest_message.entities', expected: 'array', got: 'object' });
    expect(describeProblem(problem!)).toMatch(/^tracker\.latest_message\.entities /);
  });
});

describe('trackerFromDict on checked shapes', () => {
  it('throws CallShapeError (a TypeError) naming the field', () => {
    const error = (() => {
      try {
        trackerFromDict({ sender_id: '1', latest_message: { entities: {} } });
      } catch (err) {
        return err;
      }
      return null;
    })();
    expect(error).toBeInstanceOf(TypeError);
    expect(error).toBeInstanceOf(CallShapeError);
    expect(error).toMatchObject({ code: 'SW_CALL_SHAPE', field: 'tracker.latest_message.entities' });
  });

  it('passes arrays through without copying, and fills null fields with the defaults', () => {
    const events = [{ event: 'user' }];
    const tracker = trackerFromDict({
      sender_id: '1',
      events,
      slots: null,
      latest_message: null,
      paused: null,
      stack: null,
      active_loop: null,
      active_form: { name: 'old' },
    });
    expect(tracker.events).toBe(events);
    expect(tracker).toMatchObject({
      slots: {},
      latest_message: {},
      paused: false,
      stack: [],
      active_loop: { name: 'old' },
    });
  });

  it('accepts exactly what checkTracker accepts', () => {
    const state = rasaCall().tracker;
    expect(checkTracker(state)).toBeNull();
    expect(() => trackerFromDict(state)).not.toThrow();
  });
});
