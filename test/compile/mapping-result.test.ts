// What a mapping yields, one value or a list, as the slot-type check reads
// it from the answer's schema — checked as a property against JSONata
// itself: for each expression of the table, the claim must hold for what
// the `jsonata` package answers on answers generated from the schema, with
// every list empty, of one item (JSONata unwraps a sequence of one) and of
// three, and with lengths mixed at random. "one" must hold on every sample
// (never a list; of the claimed JSON types when something comes back);
// "list" must be a list where every list has three items; "unknown" claims
// nothing, and the table pins which expressions are unknown.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsonata from 'jsonata';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { astNodes } from '../../runtime/compile/ast-nodes.js';
import { boundVariables } from '../../runtime/compile/builtins.js';
import { mappingResult } from '../../runtime/compile/mapping-result.js';
import type { MappingResult } from '../../runtime/compile/mapping-result.js';
import type { ResponseShapes } from '../../runtime/compile/names.js';
import { loadShape } from '../../runtime/compile/response-shape.js';
import { seededRandom } from '../support/seeded-random.js';

const ANSWER = `type: object
properties:
  available: { type: boolean }
  reason: { type: [string, "null"] }
  count: { type: integer }
  code: { oneOf: [{ type: string }, { type: integer }] }
  mixed: { type: [string, array], items: { type: string } }
  times:
    type: array
    items:
      type: object
      properties:
        time: { type: string }
        max_party: { type: integer }
  tags: { type: array, items: { type: string } }
  matrix: { type: array, items: { type: array, items: { type: number } } }
  restaurants: { type: array, items: { $ref: "#/definitions/Restaurant" } }
  meta:
    type: object
    properties:
      page: { type: integer }
      next: { type: string }
  free: { type: object, additionalProperties: true }
definitions:
  Restaurant:
    allOf:
      - type: object
        properties:
          name: { type: string }
          tags: { type: array, items: { type: string } }
      - type: object
        properties:
          rating: { type: number }
`;

const LIST = `type: array
items:
  type: object
  properties:
    id: { type: string }
    name: { type: string }
`;

type Claim = 'one' | 'list' | 'unknown';

/** [expression, the claim the check makes, the JSON types it claims for one value]. */
const table: readonly (readonly [string, Claim, ...string[]])[] = [
  // Indexes pick one item; a negative one counts from the end.
  ['response.body.times[0].time', 'one', 'string'],
  ['response.body.times[-1].time', 'one', 'string'],
  ['response.body.times[0]', 'one', 'object'],
  ['response.body.times[0][0]', 'one', 'object'],
  ['response.body.tags[0]', 'one', 'string'],
  ['response.body.tags[1]', 'one', 'string'],
  ['response.body.matrix[0]', 'list'],
  ['response.body.matrix[0][1]', 'one', 'number'],
  ['response.body.restaurants[0].name', 'one', 'string'],
  ['response.body.restaurants[0].rating', 'one', 'number'],
  ['response.body.restaurants[0]', 'one', 'object'],
  ['response.body.restaurants[0].tags[0]', 'one', 'string'],
  // Mapping over a list gives a list; a list read whole stays a list.
  ['response.body.times.time', 'list'],
  ['response.body.times', 'list'],
  ['response.body.tags', 'list'],
  ['response.body.restaurants.name', 'list'],
  ['response.body.restaurants.tags', 'list'],
  // A filter on a step applies to each value it reads: the first tag of every restaurant, the time of every item.
  ['response.body.restaurants.tags[0]', 'list'],
  ['response.body.times.time[0]', 'list'],
  // Over a whole value it picks among all of them.
  ['(response.body.times.time)[0]', 'one', 'string'],
  ['(response.body.times.time)[-1]', 'one', 'string'],
  ['(response.body.times)[1].max_party', 'one', 'integer'],
  // [] keeps a list of one a list.
  ['response.body.times[].time', 'list'],
  ['response.body.tags[]', 'list'],
  // Predicates pick an unknown number, unless an index follows.
  ['response.body.times[max_party > 2]', 'unknown'],
  ['response.body.times[max_party > 2].time', 'unknown'],
  ['response.body.times[max_party > 2][0].time', 'one', 'string'],
  ['response.body.restaurants[name = "x"].rating', 'unknown'],
  ['response.body[available]', 'one', 'object'],
  // Built-ins that always answer one value.
  ['$count(response.body.times)', 'one', 'number'],
  ['$join(response.body.times.time, ", ")', 'one', 'string'],
  ['$string(response.body.times)', 'one', 'string'],
  ['$exists(response.body.times[0])', 'one', 'boolean'],
  ['$sum(response.body.times.max_party)', 'one', 'number'],
  ['$max(response.body.times.max_party)', 'one', 'number'],
  ['$average(response.body.restaurants.rating)', 'one', 'number'],
  ['response.body.times ~> $count()', 'one', 'number'],
  ['$split(response.body.times[0].time, ":")', 'unknown'],
  ['$keys(response.body.meta)', 'unknown'],
  // Scalars, operators, constructors, conditions.
  ['response.body.available', 'one', 'boolean'],
  ['response.body.reason', 'one', 'string'],
  ['response.body.count', 'one', 'integer'],
  ['response.body.code', 'one', 'string', 'integer'],
  ['response.body.meta.page', 'one', 'integer'],
  ['response.body.meta', 'one', 'object'],
  ['response.body.count + 1', 'one', 'number'],
  ['response.body.times.time = "19:00"', 'one', 'boolean'],
  ['"At " & response.body.times[0].time', 'one', 'string'],
  ['[response.body.times[0].time]', 'list'],
  ['response.body.times{time: max_party}', 'one', 'object'],
  ['response.body.available ? response.body.times[0].time : "none"', 'one', 'string'],
  ['response.body.available ? response.body.times.time : "none"', 'unknown'],
  // Where the schema cannot tell, or the expression leaves the known paths.
  ['response.body.mixed', 'unknown'],
  ['response.body.free.anything', 'unknown'],
  ['response.body.times.{ "t": time }', 'unknown'],
  ['($t := response.body.times; $t[0].time)', 'unknown'],
  ['($count := function($x) { [$x] }; $count(response.body.times))', 'unknown'],
  // A step's answer, by its own schema: a list at the top.
  ['steps.list.body', 'list'],
  ['steps.list.body.name', 'list'],
  ['steps.list.body[0].name', 'one', 'string'],
];

type Schema = Record<string, unknown>;

/** A value `schema` allows: every field present, every list of `length()` items. */
function sample(schema: Schema, root: Schema, length: () => number, random: () => number): unknown {
  const ref = schema['$ref'];
  if (typeof ref === 'string') {
    const definitions = root['definitions'] as Record<string, Schema>;
    return sample(definitions[ref.split('/').at(-1) ?? ''], root, length, random);
  }
  if (Array.isArray(schema['allOf']))
    return Object.assign({}, ...(schema['allOf'] as Schema[]).map((part) => sample(part, root, length, random)));
  if (Array.isArray(schema['oneOf'])) {
    const parts = schema['oneOf'] as Schema[];
    return sample(parts[Math.floor(random() * parts.length)], root, length, random);
  }
  const types = [schema['type']].flat().filter((t) => t !== 'null');
  const type = types[Math.floor(random() * types.length)];
  switch (type) {
    case 'object':
      return Object.fromEntries(
        Object.entries((schema['properties'] ?? {}) as Record<string, Schema>).map(([k, v]) => [
          k,
          sample(v, root, length, random),
        ]),
      );
    case 'array':
      return Array.from({ length: length() }, () => sample(schema['items'] as Schema, root, length, random));
    case 'string':
      return `s${Math.floor(random() * 100)}`;
    case 'integer':
      return Math.floor(random() * 10);
    case 'number':
      return random() * 10;
    case 'boolean':
      return random() < 0.5;
    default:
      return null;
  }
}

/** Answers for both schemas: every list of 0, 1 or 3 items, then lengths mixed, several times each. */
function samples(): { readonly all: number | null; readonly scope: Record<string, unknown> }[] {
  const answer = parse(ANSWER) as Schema;
  const list = parse(LIST) as Schema;
  const random = seededRandom(18);
  const out: { all: number | null; scope: Record<string, unknown> }[] = [];
  for (const all of [0, 1, 3, null, null, null, null, null, null])
    for (let repeat = 0; repeat < 3; repeat++) {
      const length = () => all ?? [0, 1, 3][Math.floor(random() * 3)];
      out.push({
        all,
        scope: {
          response: { status: 200, headers: {}, body: sample(answer, answer, length, random) },
          steps: { list: { status: 200, headers: {}, body: sample(list, list, length, random) } },
          slots: {},
        },
      });
    }
  return out;
}

function shapes(): ResponseShapes {
  const dir = mkdtempSync(join(tmpdir(), 'slotwire-yield-'));
  writeFileSync(join(dir, 'answer.yaml'), ANSWER);
  writeFileSync(join(dir, 'list.yaml'), LIST);
  const readText = (path: string) => readFileSync(join(dir, path), 'utf8');
  const place = { file: 'actions.yml', name: 'inline' };
  return {
    response: loadShape('answer.yaml', readText, place),
    steps: new Map([['list', loadShape('list.yaml', readText, place)]]),
  };
}

function claimOf(result: MappingResult | null): readonly [Claim, ...string[]] {
  if (result === null) return ['unknown'];
  return result.count === 'list' ? ['list'] : ['one', ...(result.types ?? [])];
}

/** The JSON type of a value JSONata answered, `integer` for whole numbers. */
function jsonTypes(value: unknown): string[] {
  if (value === null) return ['null'];
  if (typeof value === 'number') return Number.isInteger(value) ? ['integer', 'number'] : ['number'];
  return [typeof value];
}

describe('what a mapping yields, against what JSONata answers', () => {
  const known = shapes();
  const answers = samples();

  it('has a table of at least 30 expressions, and samples with lists of 0, 1 and 3 items', () => {
    expect(table.length).toBeGreaterThanOrEqual(30);
    expect(new Set(answers.map((a) => a.all))).toEqual(new Set([0, 1, 3, null]));
  });

  it.each(table)('%s: %s', async (expression, claim, ...types) => {
    const ast = jsonata(expression).ast();
    const found = claimOf(mappingResult(ast, known, boundVariables(astNodes(ast))));
    expect(found).toEqual([claim, ...types]);
    for (const { all, scope } of answers) {
      const value: unknown = await jsonata(expression).evaluate(scope);
      const seen = { expression, all, value };
      if (claim === 'one') {
        expect(Array.isArray(value), JSON.stringify(seen)).toBe(false);
        if (value !== undefined && value !== null)
          expect(
            jsonTypes(value).some((t) => types.includes(t)),
            JSON.stringify(seen),
          ).toBe(true);
      }
      if (claim === 'list' && all === 3) expect(Array.isArray(value), JSON.stringify(seen)).toBe(true);
    }
  });
});
