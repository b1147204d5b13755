/**
 * An action as an MCP tool: its parameters are the slots it reads, its
 * result the slots it sets, the outcome and the bot's messages
 * (docs/mcp.md). Parameter types come, in this order, from the Rasa
 * domain's slot types, from the values the action's test cases give the
 * slot (how it is used), or are left open (any JSON value).
 */
import type { ActionInfo } from '../engine/index.js';

/** A JSON Schema, as MCP carries it. */
export type JsonSchema = Record<string, unknown>;

/** Where a slot's type comes from, and the type. */
export interface SlotType {
  readonly schema: JsonSchema;
  /** Said in the parameter's description: `domain`, `tests`. */
  readonly from: 'domain' | 'tests';
}

/** Looks up the type of a slot; null when nothing says. */
export type SlotTypes = (slot: string) => SlotType | null;

/** What a tool is: the MCP `Tool` object, and the action behind it. */
export interface ToolSpec {
  readonly action: string;
  readonly tool: {
    readonly name: string;
    readonly description: string;
    readonly inputSchema: JsonSchema & { type: 'object' };
    readonly outputSchema: JsonSchema & { type: 'object' };
    readonly annotations: { readonly title: string };
  };
}

/** The outcome part of every result: `ok`, or the error a flow branches on. */
const OUTCOME_SCHEMA: JsonSchema = {
  type: 'object',
  required: ['status'],
  properties: {
    status: {
      enum: ['ok', 'error', 'rejected'],
      description: 'ok; error: the call failed (see error); rejected: the action refused to run (see message)',
    },
    error: {
      type: 'object',
      required: ['kind', 'code', 'message'],
      properties: {
        kind: {
          type: 'string',
          description: 'timeout, network, status, parse, too_large, circuit_open, expression or invalid_request',
        },
        reason: {
          type: ['string', 'null'],
          description: 'for status: bad_request, rejected, not_found, rate_limited, unavailable or other',
        },
        status: { type: ['integer', 'null'], description: 'the upstream HTTP status, when one came back' },
        code: { type: 'string', description: 'the stable error code (SW_…)' },
        message: { type: 'string' },
      },
    },
    message: { type: 'string', description: 'why a rejected action refused to run' },
  },
};

/**
 * The tool of an action that is one (`info.tool` not null).
 * @param types - slot types from the domain or the tests
 */
export function toolSpec(info: ActionInfo, types: SlotTypes): ToolSpec {
  const tool = info.tool;
  if (tool === null) throw new TypeError(`action "${info.name}" is not a tool`);
  const optional = new Set(tool.optional);
  const properties: Record<string, JsonSchema> = {};
  // Rasa's call: step sends an unset slot as null: an optional parameter takes null as "not given".
  for (const slot of info.slotsRead)
    properties[slot] = optional.has(slot)
      ? orNull(parameterSchema(slot, types(slot)))
      : parameterSchema(slot, types(slot));
  const required = info.slotsRead.filter((s) => !optional.has(s));
  const slotProperties: Record<string, JsonSchema> = {};
  // An action can set a slot to null (on_error), whatever its type.
  for (const slot of info.slotsSet) slotProperties[slot] = orNull(types(slot)?.schema ?? {});
  return {
    action: info.name,
    tool: {
      name: tool.name,
      description: info.description ?? `Runs the action ${info.name}.`,
      inputSchema: {
        type: 'object',
        properties,
        ...(required.length > 0 ? { required } : {}),
        // An action that reads the whole slots object takes any slot.
        additionalProperties: info.readsAllSlots,
      },
      outputSchema: {
        type: 'object',
        required: ['slots', 'outcome', 'messages'],
        properties: {
          slots: {
            type: 'object',
            description: 'The slots the action set, by name.',
            properties: slotProperties,
            additionalProperties: false,
          },
          outcome: OUTCOME_SCHEMA,
          messages: {
            type: 'array',
            description: 'What the bot would say: rasa-sdk message objects (text, buttons, image, custom, response…).',
            items: { type: 'object' },
          },
        },
      },
      annotations: { title: info.name },
    },
  };
}

function parameterSchema(slot: string, type: SlotType | null): JsonSchema {
  if (type === null) return { description: `The value of slot ${slot}.` };
  return {
    ...type.schema,
    description: `The value of slot ${slot} (type from the ${type.from === 'domain' ? 'Rasa domain' : 'test cases'}).`,
  };
}

/** `schema` or null; a schema without a type or enum already takes null. */
function orNull(schema: JsonSchema): JsonSchema {
  if ('enum' in schema) return { ...schema, enum: [...(schema['enum'] as unknown[]), null] };
  const type = schema['type'];
  if (type === undefined) return schema;
  return { ...schema, type: [...(Array.isArray(type) ? type : [type]), 'null'] };
}

/** A Rasa slot type (`domain.yml`) as JSON Schema; null for `any` and unknown types. */
export function domainSlotSchema(type: string, values: readonly unknown[]): JsonSchema | null {
  switch (type) {
    case 'text':
      return { type: 'string' };
    case 'float':
      return { type: 'number' };
    case 'bool':
      return { type: 'boolean' };
    case 'list':
      return { type: 'array' };
    case 'categorical':
      return values.length > 0
        ? { enum: values.map((v) => (typeof v === 'string' ? v : String(v))) }
        : { type: 'string' };
    default:
      return null;
  }
}

/** The JSON types of the values given, as one schema; null when there are none (or only nulls). */
export function usageSchema(values: readonly unknown[]): JsonSchema | null {
  const types = new Set<string>();
  for (const v of values) {
    if (v === null || v === undefined) continue;
    if (Array.isArray(v)) types.add('array');
    else if (typeof v === 'number') types.add(Number.isInteger(v) ? 'integer' : 'number');
    else types.add(typeof v === 'object' ? 'object' : typeof v);
  }
  // An integer among numbers is a number.
  if (types.has('number')) types.delete('integer');
  const list = [...types].sort();
  if (list.length === 0) return null;
  return { type: list.length === 1 ? list[0] : list };
}
