/**
 * An action's `progress:` messages for one call: their words (a `text:`,
 * or a domain `response:` as Rasa would say it in this conversation), and
 * when each is said: after its delay from the start of the run, again
 * every `every:` while the run lasts. Timers only; what saying means is
 * the caller's (a stream's chunks).
 */
import type { ProgressPlan } from '../engine/index.js';
import { isObject } from '../rasa/index.js';
import type { DomainDict } from '../rasa/index.js';

/** A progress message with its words. */
export interface ProgressMessage {
  readonly afterMs: number;
  /** null: said once */
  readonly everyMs: number | null;
  readonly text: string;
}

/**
 * The messages of `plans` for a call with this domain and tracker. A
 * `response:` is the first of its text variations without a `condition`
 * or a `channel` (gRPC's tracker does not say the channel), with `{slot}`
 * filled from the tracker's slots, as Rasa fills a response (a placeholder
 * of no set slot stays as written). A response the domain does not have,
 * or a call without a domain, says nothing for that item (`validate
 * --project` reports an unknown response).
 */
export function progressMessages(
  plans: readonly ProgressPlan[],
  domain: DomainDict | null,
  tracker: unknown,
): ProgressMessage[] {
  const out: ProgressMessage[] = [];
  for (const plan of plans) {
    const text = plan.text ?? responseText(plan.response ?? '', domain, tracker);
    if (text !== null) out.push({ afterMs: plan.afterMs, everyMs: plan.everyMs, text });
  }
  return out;
}

function responseText(name: string, domain: DomainDict | null, tracker: unknown): string | null {
  const chosen = (domain?.responses?.[name] ?? []).find(
    (v) => typeof v['text'] === 'string' && isUnset(v['condition']) && isUnset(v['channel']),
  );
  if (chosen === undefined) return null;
  const slots = isObject(tracker) && isObject(tracker['slots']) ? tracker['slots'] : {};
  return (chosen['text'] as string).replace(/\{(\w+)\}/g, (whole, slot: string) =>
    Object.hasOwn(slots, slot) && slots[slot] !== null ? String(slots[slot]) : whole,
  );
}

/**
 * Schedules the messages; returns the function that stops all of them (the
 * run ended, the user barged in, the caller hung up). Items due at the same
 * time are said in file order (node runs equal timers in creation order).
 */
export function scheduleProgress(progress: readonly ProgressMessage[], say: (text: string) => void): () => void {
  const timers = new Set<NodeJS.Timeout>();
  for (const item of progress) {
    const first = setTimeout(() => {
      timers.delete(first);
      say(item.text);
      if (item.everyMs !== null) timers.add(setInterval(() => say(item.text), item.everyMs));
    }, item.afterMs);
    timers.add(first);
  }
  return () => {
    // clearTimeout clears intervals too.
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
  };
}

function isUnset(value: unknown): boolean {
  return value === undefined || value === null;
}
