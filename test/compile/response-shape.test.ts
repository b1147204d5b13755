// Mappings checked against the answer's shape. An action that
// names its response schema (`response_schema:`, as `slotwire import
// openapi` writes it) gets a warning at each response path that cannot
// exist in that shape, with the right field suggested; `$ref`s within the
// file and across files are followed; where the schema says nothing
// definite, nothing is said.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPlan } from '../../runtime/compile/index.js';

const OPENAPI = `openapi: 3.0.3
info: { title: Tables, version: "1" }
paths:
  /restaurants/{id}/availability:
    get:
      operationId: getAvailability
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Availability" }
  /restaurants:
    get:
      operationId: listRestaurants
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: array
                items: { $ref: "./restaurant.yaml#/Restaurant" }
components:
  schemas:
    Availability:
      type: object
      properties:
        available: { type: boolean }
        reason: { type: string, nullable: true }
        times:
          type: array
          items:
            type: object
            properties:
              time: { type: string }
              max_party: { type: integer }
    Free:
      type: object
      additionalProperties: true
`;

const RESTAURANT = `Restaurant:
  allOf:
    - type: object
      properties:
        id: { type: string }
        name: { type: string }
    - type: object
      properties:
        cuisine: { type: string }
        address: { $ref: "#/Address" }
Address:
  type: object
  properties:
    city: { type: string }
    street: { type: string }
`;

const AVAILABILITY =
  'api.yaml#/paths/~1restaurants~1{id}~1availability/get/responses/200/content/application~1json/schema';
const LIST = 'api.yaml#/paths/~1restaurants/get/responses/200/content/application~1json/schema';

async function diagnose(actions: string, tests?: string, slotTypes?: ReadonlyMap<string, string>): Promise<string[]> {
  const dir = mkdtempSync(join(tmpdir(), 'slotwire-shape-'));
  writeFileSync(join(dir, 'api.yaml'), OPENAPI);
  writeFileSync(join(dir, 'restaurant.yaml'), RESTAURANT);
  if (tests !== undefined) writeFileSync(join(dir, 'actions.test.yml'), tests);
  writeFileSync(
    join(dir, 'actions.yml'),
    `version: 1
connections:
  api: { base_url: "https://tables.example.com" }
actions:
${actions}`,
  );
  const { diagnostics } = await loadPlan(join(dir, 'actions.yml'), slotTypes ? { slotTypes } : {});
  return diagnostics
    .filter((d) => d.code !== 'SW_WARN_SLOT_NEVER_SET')
    .map((d) => `${d.code} ${d.line}:${d.col} ${d.message} | ${d.hint}`);
}

describe('response paths against response_schema', () => {
  it('reports a typo at its line and column, with the right field suggested', async () => {
    const found = await diagnose(`  check:
    request:
      connection: api
      path: /restaurants/{{ slots.restaurant_id }}/availability
      response_schema: ${AVAILABILITY}
    slots:
      has_table: "{{ response.body.availabel }}"
      first_time: "{{ response.body.times[0].tiem }}"
      ok_times: "{{ response.body.times.time }}"
      reason: "{{ response.body.reason ? response.body.reason : 'none' }}"
`);
    expect(found).toEqual([
      `SW_WARN_RESPONSE_FIELD 11:36 "availabel" is not a field of response.body in the answer described by ${AVAILABILITY} | Did you mean "available"? Fields there: available, reason, times.`,
      `SW_WARN_RESPONSE_FIELD 12:46 "tiem" is not a field of response.body.times in the answer described by ${AVAILABILITY} | Did you mean "time"? Fields there: time, max_party.`,
    ]);
  });

  it('follows refs into another file, allOf parts and array items; a field of a string is reported too', async () => {
    const found = await diagnose(`  list:
    request:
      connection: api
      path: /restaurants
      response_schema: ${LIST}
    slots:
      names: "{{ response.body.name }}"
      cities: "{{ response.body.address.city }}"
      kinds: "{{ response.body.cusine }}"
      first: "{{ response.body.name.first }}"
`);
    expect(found).toEqual([
      `SW_WARN_RESPONSE_FIELD 13:32 "cusine" is not a field of response.body in the answer described by ${LIST} | Did you mean "cuisine"? Fields there: id, name, cuisine, address.`,
      `SW_WARN_RESPONSE_FIELD 14:37 "first" is not a field of response.body.name in the answer described by ${LIST} | Fields there: none, response.body.name is a string.`,
    ]);
  });

  it("checks later steps against an earlier step's schema, and says nothing where the schema allows anything", async () => {
    const found = await diagnose(`  two:
    steps:
      - name: avail
        request:
          connection: api
          path: /restaurants/x/availability
          response_schema: ${AVAILABILITY}
      - name: free
        request:
          connection: api
          path: "/restaurants/{{ steps.avail.body.avialable }}"
          response_schema: api.yaml#/components/schemas/Free
    slots:
      anything: "{{ steps.free.body.whatever.deep }}"
      count: "{{ $count(steps.avail.body.times) }}"
`);
    expect(found).toEqual([
      `SW_WARN_RESPONSE_FIELD 15:51 "avialable" is not a field of steps.avail.body in the answer described by ${AVAILABILITY} | Did you mean "available"? Fields there: available, reason, times.`,
    ]);
  });

  it('warns at response_schema when it cannot be read, and checks nothing then', async () => {
    const found = await diagnose(`  check:
    request:
      connection: api
      path: /x
      response_schema: api.yaml#/paths/~1nowhere
    slots:
      has_table: "{{ response.body.availabel }}"
`);
    expect(found).toEqual([
      'SW_WARN_RESPONSE_SCHEMA 9:24 response_schema api.yaml#/paths/~1nowhere cannot be read: api.yaml has nothing at #/paths/~1nowhere | Give a JSON Schema or OpenAPI file relative to actions.yml and a JSON pointer to the schema, e.g. api.yaml#/components/schemas/Pet.',
    ]);
  });

  it('checks against a schema written inline, its refs relative to actions.yml, and names it by its place', async () => {
    const found = await diagnose(`  check:
    request:
      connection: api
      path: /restaurants/x/availability
      response_schema:
        type: object
        properties:
          open: { type: boolean }
          times: { $ref: "api.yaml#/components/schemas/Availability/properties/times" }
    slots:
      open: "{{ response.body.opne }}"
      first: "{{ response.body.times[0].tiem }}"
`);
    const inline = 'actions.check.request.response_schema';
    expect(found).toEqual([
      `SW_WARN_RESPONSE_FIELD 15:31 "opne" is not a field of response.body in the answer described by ${inline} | Did you mean "open"? Fields there: open, times.`,
      `SW_WARN_RESPONSE_FIELD 16:41 "tiem" is not a field of response.body.times in the answer described by ${inline} | Did you mean "time"? Fields there: time, max_party.`,
    ]);
  });

  it('says nothing of a field where the answer may be a list or an object', async () => {
    const found = await diagnose(`  check:
    request:
      connection: api
      path: /x
      response_schema:
        type: [object, array]
        properties: { total: { type: integer } }
        items: { type: object, properties: { id: { type: string } } }
    slots:
      total: "{{ response.body.total }}"
      id: "{{ response.body.id }}"
`);
    expect(found).toEqual([]);
  });

  it('refuses a response_schema that is neither a file reference nor a schema, at its value', async () => {
    const cases = [
      ['5', 'SW_SCHEMA_TYPE'],
      ['[a, b]', 'SW_SCHEMA_TYPE'],
      ['""', 'SW_SCHEMA_VALUE'],
    ] as const;
    for (const [value, code] of cases) {
      const found = await diagnose(`  check:
    request:
      connection: api
      path: /x
      response_schema: ${value}
    slots: { a: 1 }
`);
      expect(found.map((d) => d.split(' ').slice(0, 2).join(' '))).toEqual([`${code} 9:24`]);
    }
  });

  it('without a schema, checks against what the test fixtures recorded, successes only; on_error reads error bodies and is not checked', async () => {
    const found = await diagnose(
      `  check:
    request:
      connection: api
      path: /restaurants/{{ slots.restaurant_id }}/availability
    slots:
      has_table: "{{ response.body.availabel }}"
      times: "{{ response.body.times.time }}"
    on_error:
      slots:
        why: "{{ response.body.error_code }}"
`,
      `tests:
  - name: free
    action: check
    slots: { restaurant_id: a }
    http:
      - path: /restaurants/a/availability
        reply: { json: { available: true, times: [{ time: "19:00" }] } }
  - name: gone
    action: check
    slots: { restaurant_id: b }
    http:
      - path: /restaurants/b/availability
        reply: { status: 404, json: { error_code: not_found } }
`,
    );
    expect(found).toEqual([
      'SW_WARN_RESPONSE_FIELD 10:36 "availabel" is not a field of response.body in the answer described by the fixtures of actions.test.yml | Did you mean "available"? Fields there: available, times.',
    ]);
  });

  it("with the domain's slot types, warns where a mapped path cannot fit the slot", async () => {
    const found = await diagnose(
      `  check:
    request:
      connection: api
      path: /restaurants/{{ slots.restaurant_id }}/availability
      response_schema: ${AVAILABILITY}
    slots:
      has_table: "{{ response.body.reason }}"
      party_max: "{{ response.body.times.max_party }}"
      table_time: "{{ response.body.times.time }}"
      why: "{{ response.body.reason }}"
      open: "{{ response.body.available }}"
`,
      undefined,
      new Map([
        ['has_table', 'bool'],
        ['party_max', 'float'],
        ['table_time', 'list'],
        ['why', 'text'],
        ['open', 'bool'],
      ]),
    );
    expect(found).toEqual([
      `SW_WARN_SLOT_SHAPE_TYPE 11:36 slot "has_table" is bool in the domain, but response.body.reason is string in the answer described by ${AVAILABILITY} | Rasa would store null or a converted value; map a field of the slot's type, or change the slot's type in the domain.`,
      `SW_WARN_SLOT_SHAPE_TYPE 12:42 slot "party_max" is float in the domain, but response.body.times.max_party is a list in the answer described by ${AVAILABILITY} | Rasa would store null or a converted value; map a field of the slot's type, or change the slot's type in the domain.`,
    ]);
  });

  it('follows what JSONata yields: an index is one value, a mapping over a list a list, and only a whole {{ }} is checked', async () => {
    const found = await diagnose(
      `  check:
    request:
      connection: api
      path: /restaurants/{{ slots.restaurant_id }}/availability
      response_schema: ${AVAILABILITY}
    slots:
      first: "{{ response.body.times[0].time }}"
      last: "{{ response.body.times[-1].time }}"
      picked: "{{ response.body.times[max_party > 4][0].time }}"
      some: "{{ response.body.times[max_party > 4].time }}"
      all: "{{ response.body.times.time }}"
      kept: "{{ response.body.times[].time }}"
      count: "{{ $count(response.body.times) }}"
      label: "At {{ response.body.times.time }}"
      listed: ["{{ response.body.times.time }}"]
      why: "{{ response.body.available ? response.body.reason : 'none' }}"
      earliest: "{{ (response.body.times.time)[0] }}"
`,
      undefined,
      new Map([
        ['first', 'text'],
        ['last', 'text'],
        ['picked', 'text'],
        ['some', 'text'],
        ['all', 'text'],
        ['kept', 'text'],
        ['count', 'bool'],
        ['label', 'text'],
        ['listed', 'text'],
        ['why', 'bool'],
        ['earliest', 'float'],
      ]),
    );
    // A path points at its last field, any other expression at its first character.
    expect(found.map((d) => d.replace(/ in the answer described by .*/, ''))).toEqual([
      'SW_WARN_SLOT_SHAPE_TYPE 15:36 slot "all" is text in the domain, but response.body.times.time is a list',
      'SW_WARN_SLOT_SHAPE_TYPE 16:39 slot "kept" is text in the domain, but response.body.times[].time is a list',
      `SW_WARN_SLOT_SHAPE_TYPE 20:16 slot "why" is bool in the domain, but response.body.available ? response.body.reason : 'none' is string`,
      'SW_WARN_SLOT_SHAPE_TYPE 21:21 slot "earliest" is float in the domain, but (response.body.times.time)[0] is string',
    ]);
  });
});
