/**
 * Slots an expression reads that nothing gives: `slots.ordr_id`
 * is null at run time, and the call goes quietly to `/orders/`. Against a
 * domain the project cross-check makes each unknown slot an error; without
 * one, a slot read that no action sets and no test gives is a warning here.
 */
import { closest, renameFix } from '../config/index.js';
import type { Position, SlotwireActionsYml, SourceFile } from '../config/index.js';
import { compileAction } from './action.js';
import type { ReadText } from './read-file.js';
import { positionOf, report } from './context.js';
import type { CompileContext, SlotRead } from './context.js';
import type { ActionPlan } from './plan.js';
import { testCasesBeside } from './test-cases.js';

/** A slot read, placed in the file. */
export interface SlotReadSite {
  readonly slot: string;
  readonly action: string;
  readonly at: Position;
}

/**
 * Every `slots.<name>` the actions of a valid file read, with positions.
 * The actions are compiled again for it, without their connections: what
 * that reports is dropped, since the file compiled already.
 */
export function slotReadsOf(config: SlotwireActionsYml, source: SourceFile): SlotReadSite[] {
  const cx: CompileContext = { source, diagnostics: [], slotReads: [], expressions: new Map() };
  for (const [name, a] of Object.entries(config.actions)) compileAction(cx, name, a, { connections: new Map() });
  return (cx.slotReads ?? []).map((r) => ({
    slot: r.slot,
    action: String(r.path[1]),
    at: positionOf(cx, r.path, r.index),
  }));
}

/**
 * Warns at the first read of each slot that no action sets and the test
 * file beside the actions file does not give (SW_WARN_SLOT_NEVER_SET).
 */
export function warnSlotsNeverSet(
  cx: CompileContext,
  reads: readonly SlotRead[],
  actions: Iterable<ActionPlan>,
  readText: ReadText,
): void {
  const given = new Set([...actions].flatMap((a) => a.footprint.slotsSet));
  if (reads.some((r) => !given.has(r.slot))) for (const slot of slotsInTests(readText)) given.add(slot);
  const warned = new Set<string>();
  for (const r of reads) {
    if (given.has(r.slot) || warned.has(r.slot)) continue;
    warned.add(r.slot);
    const suggestion = closest(r.slot, given);
    report(
      cx,
      'SW_WARN_SLOT_NEVER_SET',
      positionOf(cx, r.path, r.index),
      [r.slot],
      [suggestion ? `Did you mean "${suggestion}"? ` : ''],
      renameFix(r.slot, suggestion),
    );
  }
}

/** Slots the test cases put in the tracker; none when there is no readable test file. */
function slotsInTests(readText: ReadText): string[] {
  return testCasesBeside(readText).flatMap((t) => {
    const { slots, tracker } = t as { slots?: unknown; tracker?: { slots?: unknown } };
    return [slots, tracker?.slots].flatMap((s) => (s && typeof s === 'object' ? Object.keys(s) : []));
  });
}
