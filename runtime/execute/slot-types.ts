/**
 * Slot values checked against the domain's slot types
 * (docs/actions-yml.md#slots-and-the-domains-types):
 * Rasa stores whatever an action sends, so a `bool` slot could silently hold
 * "maybe". Values are coerced where Rasa's own collect-step rules would
 * accept them ("true" → true, "3.5" → 3.5, a categorical value's casing);
 * a value that cannot fit becomes null, with a reason for the log.
 */
import type { DomainDict } from '../rasa/index.js';

/** The checked value, and why it changed when it did. */
export interface SlotCheck {
  readonly value: unknown;
  readonly problem: string | null;
}

/** Checks one value; unknown slots, unknown types and null pass unchanged. */
export function checkSlotType(domain: DomainDict | null, slot: string, value: unknown): SlotCheck {
  const def = domain?.slots?.[slot] as { type?: unknown; values?: unknown } | undefined;
  if (!def || value === null || value === undefined) return { value, problem: null };
  const type = typeof def.type === 'string' ? shortType(def.type) : null;
  switch (type) {
    case 'bool':
      return coerceBool(value);
    case 'float':
      return coerceFloat(value);
    case 'categorical':
      return coerceCategorical(value, Array.isArray(def.values) ? def.values : []);
    case 'list':
      return { value: Array.isArray(value) ? value : [value], problem: null };
    case 'text':
      return typeof value === 'string'
        ? { value, problem: null }
        : { value: typeof value === 'object' ? JSON.stringify(value) : String(value), problem: null };
    default:
      return { value, problem: null };
  }
}

/** `rasa.shared.core.slots.BooleanSlot` (wire) or `bool` (YAML) → `bool`. */
function shortType(type: string): string {
  const byClass: Record<string, string> = {
    BooleanSlot: 'bool',
    FloatSlot: 'float',
    CategoricalSlot: 'categorical',
    ListSlot: 'list',
    TextSlot: 'text',
    AnySlot: 'any',
  };
  return byClass[type.split('.').pop() ?? type] ?? type;
}

function coerceBool(value: unknown): SlotCheck {
  if (typeof value === 'boolean') return { value, problem: null };
  if (typeof value === 'number') return { value: value === 1, problem: null };
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (v === 'true' || v === 'yes') return { value: true, problem: null };
    if (v === 'false' || v === 'no') return { value: false, problem: null };
    if (/^[0-9]+$/.test(value)) return { value: Number(value) === 1, problem: null };
  }
  return { value: null, problem: `${JSON.stringify(value)} is not a boolean` };
}

function coerceFloat(value: unknown): SlotCheck {
  if (typeof value === 'number') return { value, problem: null };
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return { value: Number(value), problem: null };
  return { value: null, problem: `${JSON.stringify(value)} is not a number` };
}

function coerceCategorical(value: unknown, allowed: readonly unknown[]): SlotCheck {
  const text = String(value).toLowerCase();
  const match = allowed.find((a) => String(a).toLowerCase() === text);
  if (match !== undefined) return { value: match, problem: null };
  return { value: null, problem: `${JSON.stringify(value)} is not one of ${JSON.stringify(allowed)}` };
}
