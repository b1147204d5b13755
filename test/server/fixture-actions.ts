// Code actions the server tests serve: one per behaviour of the protocol a test checks (docs/protocol.md).
import { ActionRejection, getSlot, sessionEnded, slotSet, slotsToValidate } from '../../runtime/rasa/index.js';
import type { CodeAction, DomainDict, RasaEvent } from '../../runtime/rasa/index.js';
import { createEngine } from '../../runtime/engine/index.js';
import type { Engine } from '../../runtime/engine/index.js';

const SECRET = 's3cr3t-value';

function requiredSlots(domain: DomainDict | null, form: string): string[] {
  const slots = domain?.forms?.[form]?.required_slots;
  return Array.isArray(slots) ? slots.filter((s): s is string => typeof s === 'string') : [];
}

/** The actions, in registration order. */
export const codeActions: CodeAction[] = [
  // a sync and an async action, as in rasa-sdk's endpoint tests
  { name: 'action_set_slot', run: () => [slotSet('test', 'bar')] },
  { name: 'action_two_slots', run: async () => [slotSet('a', 1), slotSet('b', 2)] },
  // returns the stack as the action saw it
  { name: 'action_echo_stack', run: ({ tracker }) => [slotSet('stack', tracker.stack)] },
  // needs the domain: the only kind that may get a 449
  { name: 'action_domain', readsDomain: true, run: ({ domain }) => [slotSet('intents', domain?.intents ?? null)] },
  { name: 'action_no_domain', run: ({ domain }) => [slotSet('had_domain', domain !== null)] },
  {
    name: 'action_reject',
    run: () => {
      throw new ActionRejection('No table free.');
    },
  },
  {
    name: 'action_reject_default',
    run: () => {
      throw new ActionRejection();
    },
  },
  {
    name: 'action_crash',
    run: () => {
      throw new Error('test exception');
    },
  },
  {
    name: 'action_crash_secret',
    run: () => {
      throw new Error(`GET https://api.example/x?token=${SECRET} failed: Authorization: Bearer ${SECRET}`);
    },
  },
  { name: 'action_session_ended', run: () => [sessionEnded()] },
  {
    name: 'action_bad_slot',
    run: () => [{ event: 'slot', timestamp: null, name: 7, value: 1 } as unknown as RasaEvent],
  },
  // rasa-sdk's eight message keys; a domain response's variables at the top level (docs/protocol.md#bot-messages)
  {
    name: 'action_utter',
    run: ({ dispatcher }) => {
      dispatcher.utter({ response: 'utter_booked', time: '19:30' });
      dispatcher.utter({ text: 'Pick one', buttons: [{ title: 'Yes', payload: '/affirm' }] });
      return [];
    },
  },
  // reject bad candidates, leave the others out (docs/protocol.md#validation-actions)
  {
    name: 'action_validate_slot_mappings',
    run: ({ tracker, dispatcher }) => {
      const candidates = slotsToValidate(tracker);
      if (candidates.city === 'Atlantis') {
        dispatcher.utter({ response: 'utter_no_such_city' });
        return [slotSet('city', null)];
      }
      return [];
    },
  },
  // validate_<form>: only the form's required slots; normalise a value
  {
    name: 'validate_restaurant_form',
    readsDomain: true,
    run: ({ tracker, domain }) => {
      const required = requiredSlots(domain, 'restaurant_form');
      return Object.entries(slotsToValidate(tracker))
        .filter(([name]) => required.includes(name))
        .map(([name, value]) =>
          name === 'cuisine' && typeof value === 'string' ? slotSet(name, value.toLowerCase()) : slotSet(name, value),
        );
    },
  },
  // CALM validate_<slot>: nothing on the first pass, reject or normalise after
  {
    name: 'validate_party_size',
    run: ({ tracker, dispatcher }) => {
      const value = getSlot(tracker, 'party_size');
      if (value === null) return [];
      const size = Number(value);
      if (!Number.isInteger(size) || size < 1 || size > 12) {
        dispatcher.utter({ response: 'utter_invalid_party_size' });
        return [slotSet('party_size', null)];
      }
      return [slotSet('party_size', size)];
    },
  },
  // CALM action_ask_<slot>: messages only
  {
    name: 'action_ask_party_size',
    run: ({ dispatcher }) => {
      dispatcher.utter({ text: 'For how many?', buttons: [{ title: '2', payload: '/SetSlots(party_size=2)' }] });
      return [];
    },
  },
  // slot values of each JSON type
  {
    name: 'action_typed_slots',
    run: () => [
      slotSet('is_open', true),
      slotSet('rating', 4.5),
      slotSet('times', ['18:00']),
      slotSet('cuisine', 'italian'),
    ],
  },
];

/** The secret that must never show in an error body. */
export const CRASH_SECRET: string = SECRET;

/** An engine serving `actions` (default: `codeActions`) and no actions file. */
export function codeEngine(actions: readonly CodeAction[] = codeActions): Promise<Engine> {
  return createEngine({ codeActions: actions });
}
