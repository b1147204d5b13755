/**
 * The Rasa project cross-check (`slotwire validate --domain/--project`):
 * every slot an action reads or sets exists in the domain and literal
 * values fit its type, every slot a flow branches on exists and something
 * sets it, every domain response used exists, every action is listed in the
 * domain; plus what a designer wants to see: which flows branch on slots the
 * actions set, and the `actions:` block to paste.
 */
import { slotReadsOf } from '../compile/index.js';
import type { SlotReadSite } from '../compile/index.js';
import { closest, diagnostic, locate, positionOfNode, renameFix } from '../config/index.js';
import type { Action, Diagnostic, NodePath, ResponseMessage, SourceFile, SlotwireActionsYml } from '../config/index.js';
import type { DomainSlot, FlowCall, FlowCondition, ProjectDomain } from './domain.js';

/** Where a slot is set, and with what. */
interface SlotWrite {
  readonly action: string;
  readonly slot: string;
  readonly value: unknown;
  /** Path of the slot's key; the value sits under it. */
  readonly path: NodePath;
  /** False for `validate:` targets, whose value comes from the user. */
  readonly literal: boolean;
}

/** What the cross-check found. */
export interface CrossCheck {
  readonly diagnostics: readonly Diagnostic[];
  /** Flows whose conditions read a slot an action sets. */
  readonly branches: readonly (FlowCondition & { readonly setBy: readonly string[] })[];
  /** Domain actions that this file does not serve, nor the fallback when one was asked (without one, they may live elsewhere). */
  readonly notServed: readonly string[];
  /** With a fallback: the domain actions it serves and this file does not. */
  readonly servedByFallback: readonly string[];
  /** With a fallback: the actions of this file that it serves too; slotwire answers them, the fallback no longer gets them. */
  readonly takenOver: readonly string[];
  /** The `actions:` block to paste into the domain: only the actions it lacks; null when it lists them all. */
  readonly actionsBlock: string | null;
}

/**
 * Cross-checks a loaded actions file against a project's domain and flows.
 * @param calls - the flows' `call:` steps: the tools they call need no domain entry, and the slots their outputs fill are set
 * @param fallback - the actions the fallback action server lists, when one was asked; they count as served
 * @param reads - the slots the actions read, when the compile collected them already; default: read from the file again
 */
export function crossCheck(
  config: SlotwireActionsYml,
  source: SourceFile,
  domain: ProjectDomain,
  flows: readonly FlowCondition[],
  calls: readonly FlowCall[] = [],
  fallback: ReadonlySet<string> | null = null,
  reads: readonly SlotReadSite[] = slotReadsOf(config, source),
): CrossCheck {
  const out: Diagnostic[] = [];
  const at = (path: NodePath, key = true) => {
    const found = locate(source, path);
    return positionOfNode(source, key ? (found.key ?? found.node) : (found.node ?? found.key));
  };
  const writes = Object.entries(config.actions).flatMap(([name, a]) => slotWrites(name, a));
  for (const w of writes) {
    const slot = domain.slots.get(w.slot);
    if (!slot) {
      const suggestion = closest(w.slot, domain.slots.keys());
      out.push(
        diagnostic(
          'SW_DOMAIN_UNKNOWN_SLOT',
          at(w.path),
          [w.slot],
          [suggestion ? `Did you mean "${suggestion}"? ` : ''],
          renameFix(w.slot, suggestion),
        ),
      );
      continue;
    }
    const problem = w.literal ? literalMismatch(slot, w.value) : null;
    if (problem) out.push(diagnostic('SW_DOMAIN_SLOT_TYPE', at(w.path, false), [w.slot, describeType(slot), problem]));
  }
  for (const read of reads) {
    if (!domain.slots.has(read.slot)) {
      const suggestion = closest(read.slot, domain.slots.keys());
      out.push(
        diagnostic(
          'SW_DOMAIN_UNKNOWN_SLOT',
          read.at,
          [read.slot],
          [suggestion ? `Did you mean "${suggestion}"? ` : ''],
          renameFix(read.slot, suggestion),
        ),
      );
    }
  }
  const setHere = new Set([...writes.map((w) => w.slot), ...calls.flatMap((c) => c.outputSlots)]);
  const called = new Set(calls.map((c) => c.tool));
  for (const f of flows) {
    const at = { file: f.file, line: f.line, col: f.col };
    const slot = domain.slots.get(f.slot);
    if (!slot) {
      const suggestion = closest(f.slot, domain.slots.keys());
      out.push(
        diagnostic(
          'SW_DOMAIN_FLOW_SLOT',
          at,
          [f.flow, f.slot],
          [suggestion ? `Did you mean "${suggestion}"? ` : ''],
          renameFix(f.slot, suggestion),
        ),
      );
    } else if (!setHere.has(f.slot) && onlyActionsFill(slot)) {
      out.push(diagnostic('SW_WARN_FLOW_SLOT_UNSET', at, [f.flow, f.slot]));
    }
  }
  const missing: string[] = [];
  for (const [name, a] of Object.entries(config.actions)) {
    for (const [path, m] of messages(name, a)) {
      if (typeof m.response === 'string' && !m.response.includes('{{') && !domain.responses.has(m.response)) {
        const suggestion = closest(m.response, domain.responses);
        out.push(
          diagnostic(
            'SW_DOMAIN_UNKNOWN_RESPONSE',
            at([...path, 'response'], false),
            [m.response],
            [suggestion ? `Did you mean "${suggestion}"? ` : ''],
            renameFix(m.response, suggestion),
          ),
        );
      }
    }
    // A tool a flow calls with `call:` is reached over MCP, not by an `action:` step (docs/mcp.md).
    const tool = typeof a.tool === 'object' ? (a.tool.name ?? name) : name;
    if (!domain.actions.includes(name) && !called.has(tool)) {
      missing.push(name);
      out.push(
        diagnostic('SW_WARN_ACTION_NOT_IN_DOMAIN', at(['actions', name]), [name], [], {
          kind: 'list-action',
          action: name,
        }),
      );
    }
  }
  const served = new Set(Object.keys(config.actions));
  const setters = new Map<string, string[]>();
  for (const w of writes) setters.set(w.slot, [...new Set([...(setters.get(w.slot) ?? []), w.action])]);
  const elsewhere = domain.actions.filter(
    (n) => !served.has(n) && !n.startsWith('utter_') && !n.startsWith('action_listen'),
  );
  return {
    diagnostics: out,
    branches: flows.filter((f) => setters.has(f.slot)).map((f) => ({ ...f, setBy: setters.get(f.slot) ?? [] })),
    notServed: fallback === null ? elsewhere : elsewhere.filter((n) => !fallback.has(n)),
    servedByFallback: fallback === null ? [] : elsewhere.filter((n) => fallback.has(n)),
    takenOver: fallback === null ? [] : [...served].filter((n) => fallback.has(n)),
    // What to add, not the whole list: the actions the domain lists already need no edit.
    actionsBlock: missing.length === 0 ? null : ['actions:', ...missing.map((n) => `  - ${n}`)].join('\n'),
  };
}

/** True when the domain says only actions fill the slot: every mapping it declares is `custom` or `controlled`. */
function onlyActionsFill(slot: DomainSlot): boolean {
  return (
    slot.mappings !== null &&
    slot.mappings.length > 0 &&
    slot.mappings.every((m) => m === 'custom' || m === 'controlled')
  );
}

/** Every slot the action can set, with the value when the file gives one. */
function slotWrites(action: string, a: Action): SlotWrite[] {
  const base = ['actions', action];
  const from = (slots: Record<string, unknown> | undefined, path: NodePath): SlotWrite[] =>
    Object.entries(slots ?? {}).map(([slot, value]) => ({ action, slot, value, path: [...path, slot], literal: true }));
  const out = [...from(a.slots, [...base, 'slots']), ...from(a.on_error?.slots, [...base, 'on_error', 'slots'])];
  const v = a.validate;
  if (v) {
    if (v.form === undefined) {
      out.push({
        action,
        slot: v.slot ?? action.replace(/^validate_/, ''),
        value: null,
        path: v.slot ? [...base, 'validate', 'slot'] : base,
        literal: false,
      });
      out.push(...from(v.on_reject?.slots, [...base, 'validate', 'on_reject', 'slots']));
    }
    for (const [slot, check] of Object.entries(v.slots ?? {})) {
      out.push({ action, slot, value: null, path: [...base, 'validate', 'slots', slot], literal: false });
      out.push(...from(check.on_reject?.slots, [...base, 'validate', 'slots', slot, 'on_reject', 'slots']));
    }
  }
  return out;
}

/** Every message of the action with its path, `progress:` items included (they may name a response too). */
function messages(action: string, a: Action): [NodePath, Pick<ResponseMessage, 'response'>][] {
  const base = ['actions', action];
  const list = (
    ms: readonly Pick<ResponseMessage, 'response'>[] | undefined,
    path: NodePath,
  ): [NodePath, Pick<ResponseMessage, 'response'>][] => (ms ?? []).map((m, i) => [[...path, i], m]);
  const out = [
    ...list(a.responses, [...base, 'responses']),
    ...list(a.on_error?.responses, [...base, 'on_error', 'responses']),
    ...list(a.progress, [...base, 'progress']),
  ];
  if (a.validate?.on_reject)
    out.push(...list(a.validate.on_reject.responses, [...base, 'validate', 'on_reject', 'responses']));
  for (const [slot, check] of Object.entries(a.validate?.slots ?? {}))
    out.push(...list(check.on_reject?.responses, [...base, 'validate', 'slots', slot, 'on_reject', 'responses']));
  return out;
}

/** Why a literal cannot be stored in the slot, or null when it fits. Expressions are checked at run time. */
function literalMismatch(slot: DomainSlot, value: unknown): string | null {
  if (value === null || (typeof value === 'string' && value.includes('{{'))) return null;
  const shown =
    typeof value === 'string'
      ? `the string ${JSON.stringify(value)}`
      : Array.isArray(value)
        ? 'a list'
        : typeof value === 'object'
          ? 'a mapping'
          : `the ${typeof value} ${String(value)}`;
  switch (slot.type) {
    case 'bool':
      return typeof value === 'boolean' ? null : shown;
    case 'float':
      return typeof value === 'number' ? null : shown;
    case 'text':
      return typeof value === 'string' ? null : shown;
    case 'list':
      return Array.isArray(value) ? null : shown;
    case 'categorical':
      return slot.values.some((v) => String(v).toLowerCase() === String(value).toLowerCase()) ? null : shown;
    default:
      return null;
  }
}

function describeType(slot: DomainSlot): string {
  return slot.type === 'categorical'
    ? `categorical (${slot.values.map((v) => JSON.stringify(v)).join(', ')})`
    : slot.type;
}
