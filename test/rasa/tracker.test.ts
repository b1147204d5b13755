import { describe, expect, it } from 'vitest';
import {
  actionExecuted,
  activeLoopName,
  actionReverted,
  appliedEvents,
  collectingSlot,
  eventsAfterLatestRestart,
  getLastEventFor,
  getSlot,
  intentOfLatestMessage,
  lastExecutedActionHas,
  latestEntityValues,
  latestInputChannel,
  restarted,
  slotSet,
  slotsToValidate,
  trackerFromDict,
  userUtteranceReverted,
  userUttered,
} from '../../runtime/rasa/index.js';
import type { TrackerState } from '../../runtime/rasa/index.js';

const ACTION_LISTEN = 'action_listen';

function trackerWith(events: unknown[], extra: Record<string, unknown> = {}): TrackerState {
  return trackerFromDict({ sender_id: 'sender', events, ...extra });
}

function userWithIntent(intent: string): ReturnType<typeof userUttered> {
  return userUttered('Random', { intent: { name: intent, confidence: 1 } });
}

describe('trackerFromDict', () => {
  it("fills rasa-sdk's defaults from a minimal tracker", () => {
    const tracker = trackerFromDict({ sender_id: '1', conversation_id: 'default' });
    expect(tracker).toMatchObject({
      sender_id: '1',
      slots: {},
      latest_message: {},
      events: [],
      paused: false,
      followup_action: null,
      active_loop: {},
      latest_action_name: null,
      stack: [],
      user_id: null,
    });
  });

  it('falls back to active_form and tolerates a null latest_message', () => {
    const tracker = trackerFromDict({ sender_id: '1', active_form: { name: 'old_form' }, latest_message: null });
    expect(tracker.active_loop).toEqual({ name: 'old_form' });
    expect(tracker.latest_message).toEqual({});
  });

  it('keeps the CALM stack verbatim', () => {
    const stack = [
      {
        frame_id: 'CP6JP9GQ',
        flow_id: 'check_balance',
        step_id: '0_check_balance',
        frame_type: 'regular',
        type: 'flow',
      },
    ];
    expect(trackerFromDict({ sender_id: '1', stack }).stack).toEqual(stack);
  });

  it('keeps events of unknown types', () => {
    expect(trackerWith([{ event: 'some_future_event', x: 1 }]).events).toHaveLength(1);
  });

  it('requires a string sender_id, as rasa-sdk', () => {
    expect(() => trackerFromDict({ slots: {} })).toThrow(TypeError);
    expect(() => trackerFromDict(null)).toThrow(TypeError);
  });
});

describe('slot and entity helpers', () => {
  it('getSlot returns null for an absent slot', () => {
    const tracker = trackerWith([], { slots: { city: 'Berlin', empty: null } });
    expect(getSlot(tracker, 'city')).toBe('Berlin');
    expect(getSlot(tracker, 'missing')).toBeNull();
  });

  it('latestEntityValues matches role and group exactly, null only matching null', () => {
    const tracker = trackerWith([], {
      latest_message: {
        entities: [
          { entity: 'city', value: 'Berlin', role: 'from' },
          { entity: 'city', value: 'Paris', role: 'to' },
          { entity: 'city', value: 'Rome' },
          { entity: 'city', value: 'Oslo', role: null, group: '1' },
        ],
      },
    });
    expect(latestEntityValues(tracker, 'city')).toEqual(['Rome']);
    expect(latestEntityValues(tracker, 'city', 'to')).toEqual(['Paris']);
    expect(latestEntityValues(tracker, 'city', null, '1')).toEqual(['Oslo']);
  });
});

describe('intentOfLatestMessage (rasa-sdk test_tracker.py)', () => {
  it('returns null without intent_ranking, even when intent is set', () => {
    expect(intentOfLatestMessage(trackerWith([]))).toBeNull();
    expect(
      intentOfLatestMessage(trackerWith([], { latest_message: { intent: { name: 'nlu_fallback', confidence: 0.9 } } })),
    ).toBeNull();
  });

  it('skips a lone nlu_fallback unless asked not to', () => {
    const tracker = trackerWith([], {
      latest_message: { intent_ranking: [{ name: 'nlu_fallback', confidence: 0.9 }] },
    });
    expect(intentOfLatestMessage(tracker)).toBeNull();
    expect(intentOfLatestMessage(tracker, false)).toBe('nlu_fallback');
  });

  it('returns the second intent after nlu_fallback', () => {
    const ranking = [
      { name: 'nlu_fallback', confidence: 0.9 },
      { name: 'hello', confidence: 0.8 },
      { name: 'goodbye', confidence: 0.7 },
    ];
    const tracker = trackerWith([], { latest_message: { intent_ranking: ranking } });
    expect(intentOfLatestMessage(tracker)).toBe('hello');
    expect(intentOfLatestMessage(tracker, false)).toBe('nlu_fallback');
  });
});

describe('event history helpers', () => {
  it('latestInputChannel reads the last user event', () => {
    expect(
      latestInputChannel(trackerWith([userUttered('my message text', {}, 'superchat'), actionExecuted(ACTION_LISTEN)])),
    ).toBe('superchat');
  });

  it('getLastEventFor honours skip and exclude', () => {
    const events = [actionExecuted('one'), userWithIntent('two'), actionExecuted('three')];
    expect(getLastEventFor(trackerWith(events.slice(0, 2)), 'action')?.name).toBe('one');
    expect(getLastEventFor(trackerWith(events), 'action', { skip: 1 })?.name).toBe('one');
    expect(getLastEventFor(trackerWith(events), 'action', { exclude: ['three'] })?.name).toBe('one');
    expect(getLastEventFor(trackerWith(events), 'bot')).toBeNull();
  });

  it('appliedEvents starts after the last restart', () => {
    const tracker = trackerWith([actionExecuted('one'), userWithIntent('two'), restarted(), actionExecuted('three')]);
    expect(appliedEvents(tracker)).toEqual([actionExecuted('three')]);
    expect(eventsAfterLatestRestart(tracker)).toEqual([actionExecuted('three')]);
  });

  it('appliedEvents undoes back to the previous action, and rewinds the user turn with its action_listen', () => {
    const undo = trackerWith([
      actionExecuted('one'),
      slotSet('a', 1),
      actionExecuted('two'),
      slotSet('b', 2),
      actionReverted(),
    ]);
    expect(appliedEvents(undo)).toEqual([actionExecuted('one'), slotSet('a', 1)]);
    const rewind = trackerWith([
      actionExecuted('one'),
      actionExecuted(ACTION_LISTEN),
      userWithIntent('x'),
      userUtteranceReverted(),
    ]);
    expect(appliedEvents(rewind)).toEqual([actionExecuted('one')]);
  });

  it('lastExecutedActionHas ignores action_listen', () => {
    const tracker = trackerWith([actionExecuted('one'), userWithIntent('two'), actionExecuted(ACTION_LISTEN)]);
    expect(lastExecutedActionHas(tracker, 'one')).toBe(true);
    expect(lastExecutedActionHas(tracker, 'another')).toBe(false);
  });

  it.each([
    [[], {}],
    [[actionExecuted('my_form')], {}],
    [[actionExecuted('my_form'), slotSet('my_slot', 'some_value')], { my_slot: 'some_value' }],
    [
      [actionExecuted('my_form'), slotSet('my_slot', 'v1'), slotSet('some_other', 'v2')],
      { my_slot: 'v1', some_other: 'v2' },
    ],
    [[slotSet('my_slot', 'some_value'), actionExecuted('my_form')], {}],
  ])('slotsToValidate takes the trailing slot events (%#)', (events, expected) => {
    expect(slotsToValidate(trackerWith(events))).toEqual(expected);
  });
});

describe('loop and stack helpers', () => {
  it("activeLoopName is null for none and for rasa-sdk's should_not_be_set", () => {
    expect(activeLoopName(trackerWith([]))).toBeNull();
    expect(activeLoopName(trackerWith([], { active_loop: { name: 'should_not_be_set' } }))).toBeNull();
    expect(activeLoopName(trackerWith([], { active_loop: { name: 'my_form' } }))).toBe('my_form');
  });

  it('collectingSlot reads the collect of a top pattern_collect_information frame', () => {
    const flow = { frame_id: 'A', flow_id: 'transfer', step_id: '1', frame_type: 'regular', type: 'flow' };
    const collect = {
      frame_id: 'B',
      flow_id: 'pattern_collect_information',
      step_id: 'start',
      type: 'pattern_collect_information',
      collect: 'amount',
    };
    expect(collectingSlot(trackerWith([], { stack: [flow, collect] }))).toBe('amount');
    expect(collectingSlot(trackerWith([], { stack: [collect, flow] }))).toBeNull();
    expect(collectingSlot(trackerWith([]))).toBeNull();
  });
});
