/**
 * What an action reads of a call and what it may write back
 * (docs/engine.md#what-the-engine-knows-about-each-action), from its
 * compiled expressions: the slots read and set (for MCP tool
 * schemas and the domain cross-check) and the parts of the tracker read
 * (so a front-end can skip building what no action reads), and whether it
 * needs the domain (only then may the server answer 449:
 * docs/protocol.md#where-slotwire-differs-and-why).
 */
import type { NameRead } from './expression.js';
import type { ActionFootprint, ActionPlan, OutcomePlan, TrackerPart } from './plan.js';
import { expressionsIn } from './template.js';
import type { CompiledValue } from './template.js';

/** Which tracker field each root name of an expression comes from. */
const rootParts: Readonly<Record<string, TrackerPart>> = {
  slots: 'slots',
  message: 'latest_message',
  entities: 'latest_message',
  sender_id: 'sender_id',
};

/**
 * The footprint of a compiled action.
 * @param plan - the action, its footprint not yet filled in
 */
export function footprintOf(plan: Omit<ActionPlan, 'footprint' | 'readsDomain'>): ActionFootprint {
  const slotsRead = new Set<string>();
  const parts = new Set<TrackerPart>();
  let allSlots = false;
  let domain = false;
  const readName = ({ root, field }: NameRead): void => {
    if (root === 'domain') domain = true;
    if (root === '$$') {
      domain = true;
      allSlots = true;
      parts.add('*');
    } else if (root === 'tracker') {
      parts.add(field === null ? '*' : (field as TrackerPart));
      if (field === null || field === 'slots') allSlots = true;
    } else if (root === 'slots') {
      parts.add('slots');
      if (field === null) allSlots = true;
      else slotsRead.add(field);
    } else if (rootParts[root] !== undefined) {
      parts.add(rootParts[root]);
    }
  };
  for (const value of valuesOf(plan)) for (const e of expressionsIn(value)) e.reads.forEach(readName);

  const slotsSet = new Set<string>();
  for (const o of [plan.success, plan.onError]) for (const [slot] of o?.slots ?? []) slotsSet.add(slot);
  if (plan.validate?.kind === 'slot') {
    // validate_<slot> reads the candidate from the tracker's slots and sets it (docs/protocol.md#validation-actions).
    parts.add('slots');
    slotsRead.add(plan.validate.slot);
    slotsSet.add(plan.validate.slot);
    for (const [slot] of plan.validate.check.onReject.slots) slotsSet.add(slot);
  } else if (plan.validate?.kind === 'form') {
    // Form candidates are the trailing slot events (docs/protocol.md#validation-actions), and the form's slots are checked.
    parts.add('events');
    for (const [slot, check] of plan.validate.checks) {
      slotsSet.add(slot);
      for (const [other] of check.onReject.slots) slotsSet.add(other);
    }
  }
  // An Idempotency-Key and `dedupe:` name the user turn: message id, else the latest user event, else the event time (execute/scope.ts).
  if (plan.dedupe !== null || plan.groups.some((g) => g.some((s) => s.request.idempotencyKey))) {
    parts.add('latest_message');
    parts.add('events');
    parts.add('latest_event_time');
  }
  return {
    slotsRead: [...slotsRead],
    readsAllSlots: allSlots,
    slotsSet: [...slotsSet],
    trackerParts: [...parts],
    readsDomain: domain,
    methods: [...new Set(plan.groups.flatMap((group) => group.map((step) => step.request.method)))],
  };
}

/** Every compiled value of an action, for whole-action analysis. */
function valuesOf(plan: Omit<ActionPlan, 'footprint' | 'readsDomain'>): (CompiledValue | null)[] {
  const values: (CompiledValue | null)[] = [plan.reject?.when ?? null, plan.reject?.message ?? null];
  for (const group of plan.groups) {
    for (const s of group) {
      const r = s.request;
      values.push(
        s.when,
        r.path,
        r.body?.value ?? null,
        r.successWhen,
        ...r.query.map(([, v]) => v),
        ...r.headers.map(([, v]) => v),
      );
    }
  }
  for (const o of [plan.success, plan.onError]) if (o) values.push(...outcomeValues(o));
  if (plan.validate) {
    const checks = plan.validate.kind === 'slot' ? [plan.validate.check] : [...plan.validate.checks.values()];
    for (const c of checks) values.push(c.acceptWhen, c.normalize, ...outcomeValues({ ...c.onReject, events: [] }));
  }
  return values;
}

function outcomeValues(o: OutcomePlan): (CompiledValue | null)[] {
  const messages = o.responses.flatMap((m) => [
    m.when,
    ...m.fields.map(([, v]) => v),
    ...m.variables.map(([, v]) => v),
  ]);
  const events = o.events.flatMap((e) => [e.when, ...e.fields.map(([, v]) => v)]);
  return [...o.slots.map(([, v]) => v), ...messages, ...events];
}
