/**
 * rasa-sdk's executor attributes of an action span
 * (rasa_sdk/tracing/instrumentation/attribute_extractors.py): the event
 * types, the slot names, the response names (each as a JSON list) and the
 * message count of a run's result. An action's plan mostly fixes them, so
 * one action's results have the same ones call after call; computing them
 * takes two Sets and three JSON.stringify per call. So each action keeps
 * the last result's event types, slot names and responses, and its
 * attributes, and reuses those when the next result has the same, in the
 * same order: a comparison that allocates nothing.
 */
import type { Attributes } from '@opentelemetry/api';
import type { RunResult } from '../engine/index.js';

/** The attributes of one action's results, remembered for the last one. */
export class ResultAttributes {
  private eventTypes: string[] = [];
  /** A slot event's name, null for other events (only their type counts). */
  private slotNames: (string | null)[] = [];
  private responses: (string | null)[] = [];
  private last: Attributes | null = null;

  /** `result`'s attributes; the object is shared between results that have the same, so it is never changed. */
  of(result: RunResult): Attributes {
    if (this.last !== null && this.sameAsLast(result)) return this.last;
    this.eventTypes = result.events.map((e) => e.event);
    this.slotNames = result.events.map((e) => (e.event === 'slot' ? e.name : null));
    this.responses = result.responses.map((m) => m.response);
    this.last = Object.freeze(attributesOf(result));
    return this.last;
  }

  private sameAsLast({ events, responses }: RunResult): boolean {
    if (events.length !== this.eventTypes.length || responses.length !== this.responses.length) return false;
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      if (e.event !== this.eventTypes[i] || (e.event === 'slot' && e.name !== this.slotNames[i])) return false;
    }
    for (let i = 0; i < responses.length; i++) if (responses[i].response !== this.responses[i]) return false;
    return true;
  }
}

/** Event types and slot names each once, in the order first seen; `requested_slot` left out of slots, as rasa-sdk does. */
function attributesOf(result: RunResult): Attributes {
  const events = new Set<string>();
  const slots = new Set<string>();
  for (const e of result.events) {
    events.add(e.event);
    if (e.event === 'slot' && e.name !== 'requested_slot') slots.add(e.name);
  }
  const utters = result.responses.map((m) => m.response).filter((r): r is string => typeof r === 'string' && r !== '');
  return {
    events: JSON.stringify([...events]),
    slots: JSON.stringify([...slots]),
    utters: JSON.stringify(utters),
    message_count: result.responses.length,
  };
}
