// `slotwire import openapi` on published descriptions (test/data/openapi/README.md):
// each import is written as actions.yml beside a copy of the description,
// must load with no error, and must run: a loopback server answers each
// operation with the description's example (or a minimal value of its
// schema) and checks the request the action sent.
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dereference } from '@readme/openapi-parser';
import { afterEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { loadPlan } from '../../runtime/compile/index.js';
import { createEngine } from '../../runtime/index.js';
import { draftToYaml } from '../../runtime/import/index.js';
import type { Draft } from '../../runtime/import/index.js';
import { importOpenApi, listOperations, OpenApiError } from '../../runtime/import/openapi.js';
import type { OpenApiErrorCode } from '../../runtime/import/openapi.js';
import { json, startServer } from '../http/helpers.js';
import type { Seen, TestServer } from '../http/helpers.js';

const data = resolve(dirname(fileURLToPath(import.meta.url)), '../data/openapi');

const cleanup: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const done of cleanup.splice(0).reverse()) await done();
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'slotwire-openapi-'));
  cleanup.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A copy of a test/data/openapi folder in a fresh folder, with the actions file beside it. */
async function workspace(folder: string): Promise<{ dir: string; copy: string; actionsFile: string }> {
  const dir = await tempDir();
  await cp(join(data, folder), join(dir, folder), { recursive: true });
  return { dir, copy: join(dir, folder), actionsFile: join(dir, 'actions.yml') };
}

async function rejection(promise: Promise<unknown>): Promise<OpenApiError> {
  const err = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(OpenApiError);
  return err as OpenApiError;
}

async function expectCode(promise: Promise<unknown>, code: OpenApiErrorCode): Promise<string> {
  const err = await rejection(promise);
  expect(err.code).toBe(code);
  expect(err.message).not.toContain('\n');
  return err.message;
}

// ---------------------------------------------------------------- what the test server answers

type Obj = Record<string, unknown>;

/** A value the schema accepts: its example, const, enum or default, else the least of its type. */
function sample(schema: unknown, depth = 0): unknown {
  const s = (schema ?? {}) as Obj;
  if (s['example'] !== undefined) return s['example'];
  if ('const' in s) return s['const'];
  if (Array.isArray(s['enum'])) return s['enum'][0];
  if (s['default'] !== undefined) return s['default'];
  if (Array.isArray(s['allOf'])) return Object.assign({}, ...s['allOf'].map((p) => sample(p, depth + 1)));
  for (const k of ['oneOf', 'anyOf']) if (Array.isArray(s[k])) return sample(s[k][0], depth + 1);
  const type = Array.isArray(s['type']) ? s['type'][0] : s['type'];
  if (type === 'array' || (type === undefined && s['items'] !== undefined))
    return depth > 4 ? [] : [sample(s['items'], depth + 1)];
  if (type === 'object' || s['properties'] !== undefined) {
    if (depth > 4) return {};
    return Object.fromEntries(
      Object.entries((s['properties'] ?? {}) as Obj).map(([k, p]) => [k, sample(p, depth + 1)]),
    );
  }
  if (type === 'integer' || type === 'number') return typeof s['minimum'] === 'number' ? s['minimum'] : 1;
  if (type === 'boolean') return true;
  return 'x'.repeat(typeof s['minLength'] === 'number' ? s['minLength'] : 1);
}

interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/** The success answer the description gives for an operation: its example or a sample of its schema. */
function answerOf(doc: Obj, path: string, method: string): Answer {
  const responses = ((((doc['paths'] as Obj)[path] as Obj)[method] as Obj)['responses'] ?? {}) as Obj;
  const code = ['200', '201', '202', '204'].find((c) => c in responses) ?? '200';
  const response = (responses[code] ?? {}) as Obj;
  if ('swagger' in doc) {
    const examples = (response['examples'] ?? {}) as Obj;
    return {
      status: Number(code),
      body: examples['application/json'] ?? (response['schema'] ? sample(response['schema']) : undefined),
    };
  }
  const media = ((response['content'] ?? {}) as Obj)['application/json'] as Obj | undefined;
  if (media === undefined) return { status: Number(code), body: undefined };
  const named = Object.values((media['examples'] ?? {}) as Obj)[0] as Obj | undefined;
  return { status: Number(code), body: media['example'] ?? named?.['value'] ?? sample(media['schema']) };
}

/** A path template as a pattern: `/pets/{petId}` matches `/pets/p1`. */
function pattern(basePath: string, path: string): RegExp {
  const escaped = path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{[^}]+\\?\}/g, '[^/]+');
  return new RegExp(`^${basePath}${escaped}$`);
}

/**
 * A loopback API answering the description's operations as it says, and
 * OAuth2 client-credentials token requests on /oauth2/token.
 */
async function describedApi(doc: Obj, basePath: string): Promise<TestServer> {
  const server = await startServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://api');
    if (url.pathname === '/oauth2/token')
      return json(res, 200, { access_token: 'token-from-test', token_type: 'Bearer', expires_in: 3600 });
    for (const [path, item] of Object.entries(doc['paths'] as Obj)) {
      const method = (req.method ?? 'GET').toLowerCase();
      if (!pattern(basePath, path).test(url.pathname) || !(method in (item as Obj))) continue;
      const answer = answerOf(doc, path, method);
      if (answer.body === undefined) {
        res.writeHead(answer.status);
        res.end();
      } else json(res, answer.status, answer.body);
      return;
    }
    json(res, 404, { error: `no operation for ${req.method} ${url.pathname}` });
  });
  cleanup.push(() => server.close());
  return server;
}

// ---------------------------------------------------------------- import, check, run

/** Placeholder values for every variable the draft asks for, so the file loads. */
function placeholders(draft: Draft): Record<string, string> {
  return Object.fromEntries(
    draft.variables.map((v) => [v.name, v.name.endsWith('_URL') ? 'https://api.example.com' : `value-of-${v.name}`]),
  );
}

/** Writes the draft as actions.yml and loads it as `slotwire validate` does: no error allowed. */
async function expectValid(draft: Draft, actionsFile: string): Promise<string> {
  const text = draftToYaml(draft);
  await writeFile(actionsFile, text);
  const { plan, diagnostics } = await loadPlan(actionsFile, { env: placeholders(draft) });
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  // Every response_schema can be read by the checker that validates mappings against it.
  expect(diagnostics.filter((d) => d.code === 'SW_WARN_RESPONSE_SCHEMA')).toEqual([]);
  expect(plan).not.toBeNull();
  return text;
}

/** Each response_schema names a file beside the actions file and a pointer that leads to a schema there. */
async function expectSchemasResolve(draft: Draft, actionsFile: string): Promise<void> {
  for (const action of draft.actions) {
    if (action.responseSchema === null) continue;
    const [file = '', pointer = ''] = action.responseSchema.split('#');
    let node: unknown = parseYaml(await readFile(join(dirname(actionsFile), file), 'utf8'));
    for (const token of pointer.split('/').slice(1))
      node = (node as Obj)[token.replace(/~1/g, '/').replace(/~0/g, '~')];
    expect(node, action.responseSchema).toBeTypeOf('object');
  }
}

interface Run {
  readonly action: string;
  readonly slots: Record<string, unknown>;
  /** What the API must have received. */
  readonly expect: (seen: Seen) => void;
}

/**
 * The draft's file with its base URL (and token URL) pointed at a loopback
 * API, run through the engine: every run must end ok with the action's
 * status slot set to ok.
 */
async function expectRuns(
  draft: Draft,
  text: string,
  dir: string,
  description: string,
  env: Record<string, string>,
  runs: readonly Run[],
): Promise<void> {
  const doc = (await dereference(description)) as unknown as Obj;
  const base = new URL(draft.connection.baseUrl);
  const basePath = base.pathname.replace(/\/$/, '');
  const api = await describedApi(doc, basePath);
  let served = text.replace(`base_url: ${draft.connection.baseUrl}`, `base_url: ${api.origin}${basePath}`);
  const auth = draft.connection.auth;
  if (auth?.type === 'oauth2_client_credentials')
    served = served.replace(`token_url: ${auth.token_url}`, `token_url: ${api.origin}/oauth2/token`);
  expect(served).not.toBe(text);
  const actionsFile = join(dir, 'served.yml');
  await writeFile(actionsFile, served);
  const engine = await createEngine({ actionsFile, env });
  cleanup.push(() => engine.close());
  for (const run of runs) {
    const before = api.seen.filter((s) => s.url !== '/oauth2/token').length;
    const { events, outcome } = await engine.run(run.action, { slots: run.slots });
    expect(outcome, run.action).toEqual({ status: 'ok' });
    expect(events).toContainEqual(
      expect.objectContaining({ event: 'slot', name: `${run.action}_status`, value: 'ok' }),
    );
    const calls = api.seen.filter((s) => !s.url.startsWith('/oauth2/token'));
    expect(calls.length).toBe(before + 1);
    run.expect(calls[calls.length - 1]);
  }
}

function urlOf(seen: Seen): URL {
  return new URL(seen.url, 'http://api');
}

// ---------------------------------------------------------------- the published descriptions

describe('OpenAPI 3.0: the Petstore', () => {
  it('lists the three operations', async () => {
    const ops = await listOperations(join(data, 'petstore/petstore.yaml'));
    expect(ops).toEqual([
      { operationId: 'listPets', method: 'GET', path: '/pets', summary: 'List all pets', tags: ['pets'] },
      { operationId: 'createPets', method: 'POST', path: '/pets', summary: 'Create a pet', tags: ['pets'] },
      {
        operationId: 'showPetById',
        method: 'GET',
        path: '/pets/{petId}',
        summary: 'Info for a specific pet',
        tags: ['pets'],
      },
    ]);
  });

  it('finds the description in its folder', async () => {
    expect(await listOperations(join(data, 'petstore'))).toHaveLength(3);
  });

  it('imports a path parameter, a JSON body and an array answer, which load and run', async () => {
    const { dir, copy, actionsFile } = await workspace('petstore');
    const draft = await importOpenApi(copy, { operations: ['showPetById', 'createPets', 'listPets'], actionsFile });
    expect(draft.connection).toEqual({
      name: 'swagger_petstore',
      baseUrl: 'http://petstore.swagger.io/v1',
      auth: null,
    });
    expect(draft.variables).toEqual([]);
    const [show, create, list] = draft.actions;
    expect(show).toMatchObject({
      name: 'show_pet_by_id',
      description: 'Info for a specific pet',
      method: 'GET',
      path: '/pets/{{ slots.pet_id }}',
      query: {},
      body: null,
      responseSchema:
        'petstore/petstore.yaml#/paths/~1pets~1{petId}/get/responses/200/content/application~1json/schema',
      responseFields: ['id', 'name', 'tag'],
      notes: ['GET /pets/{petId}'],
    });
    // Pet requires id and name; tag is optional, so it is left out and said.
    expect(create).toMatchObject({
      name: 'create_pets',
      method: 'POST',
      body: { kind: 'json', value: { id: '{{ slots.id }}', name: '{{ slots.name }}' } },
      responseSchema: null,
    });
    expect(create?.notes).toEqual([
      'POST /pets',
      'optional body fields left out: tag',
      'the 201 answer has no JSON schema',
    ]);
    expect(list).toMatchObject({ name: 'list_pets', query: {}, responseFields: ['[].id', '[].name', '[].tag'] });
    expect(list?.notes).toEqual(['GET /pets', 'optional query parameters left out: limit']);

    const text = await expectValid(draft, actionsFile);
    await expectSchemasResolve(draft, actionsFile);
    await expectRuns(draft, text, dir, join(copy, 'petstore.yaml'), {}, [
      {
        action: 'show_pet_by_id',
        slots: { pet_id: 'p 1' },
        expect: (seen) => expect([seen.method, seen.url]).toEqual(['GET', '/v1/pets/p%201']),
      },
      {
        action: 'create_pets',
        slots: { id: 7, name: 'Rex' },
        expect: (seen) => {
          expect([seen.method, seen.url]).toEqual(['POST', '/v1/pets']);
          expect(JSON.parse(seen.body)).toEqual({ id: 7, name: 'Rex' });
        },
      },
      { action: 'list_pets', slots: {}, expect: (seen) => expect(seen.url).toBe('/v1/pets') },
    ]);
  });
});

describe('Swagger 2.0: the Uber API (no operationIds, an API key in the query)', () => {
  it('names each operation <method>_<path>', async () => {
    const ops = await listOperations(join(data, 'uber/uber.yaml'));
    expect(ops.map((o) => o.operationId)).toEqual([
      'get_products',
      'get_estimates_price',
      'get_estimates_time',
      'get_me',
      'get_history',
    ]);
  });

  it('sends the key as the query parameter the scheme names, from a variable', async () => {
    const { dir, copy, actionsFile } = await workspace('uber');
    const draft = await importOpenApi(join(copy, 'uber.yaml'), {
      operations: ['get_products', 'get_estimates_time'],
      actionsFile,
    });
    // "Uber API" → uber: the variable reads UBER_API_KEY, not UBER_API_API_KEY.
    expect(draft.connection).toEqual({
      name: 'uber',
      baseUrl: 'https://api.uber.com/v1',
      auth: { type: 'api_key', in: 'query', name: 'server_token', value: '${UBER_API_KEY}' },
    });
    expect(draft.variables.map((v) => v.name)).toEqual(['UBER_API_KEY']);
    expect(draft.variables[0]?.why).toContain('"apikey"');
    const [products, time] = draft.actions;
    expect(products).toMatchObject({
      name: 'get_products',
      query: { latitude: '{{ slots.latitude }}', longitude: '{{ slots.longitude }}' },
      responseSchema: 'uber/uber.yaml#/paths/~1products/get/responses/200/schema',
      responseFields: ['[].product_id', '[].description', '[].display_name', '[].capacity', '[].image'],
    });
    expect(time?.notes).toContain('optional query parameters left out: customer_uuid, product_id');

    const text = await expectValid(draft, actionsFile);
    await expectSchemasResolve(draft, actionsFile);
    await expectRuns(draft, text, dir, join(copy, 'uber.yaml'), { UBER_API_KEY: 'key-123' }, [
      {
        action: 'get_products',
        slots: { latitude: 37.775, longitude: -122.418 },
        expect: (seen) => {
          const url = urlOf(seen);
          expect(url.pathname).toBe('/v1/products');
          expect(Object.fromEntries(url.searchParams)).toEqual({
            latitude: '37.775',
            longitude: '-122.418',
            server_token: 'key-123',
          });
        },
      },
    ]);
  });
});

describe('Swagger 2.0 in JSON, $refs across files: petstore-separate', () => {
  it('imports a body defined in another file, which loads and runs', async () => {
    const { dir, copy, actionsFile } = await workspace('petstore-separate');
    const ops = await listOperations(join(copy, 'spec'));
    expect(ops.map((o) => o.operationId)).toEqual(['findPets', 'addPet', 'find pet by id', 'deletePet']);
    const draft = await importOpenApi(join(copy, 'spec'), { operations: ['addPet', 'find pet by id'], actionsFile });
    expect(draft.connection.baseUrl).toBe('http://petstore.swagger.io/api');
    expect(draft.actions.map((a) => a.name)).toEqual(['add_pet', 'find_pet_by_id']);
    // NewPet is allOf [Pet.json (requires id, name), { description }]: the required fields of both parts.
    expect(draft.actions[0]).toMatchObject({
      body: { kind: 'json', value: { id: '{{ slots.id }}', name: '{{ slots.name }}' } },
      responseFields: ['id', 'name', 'tag'],
    });
    expect(draft.actions[0]?.notes).toContain('optional body fields left out: tag, description');
    expect(draft.actions[1]).toMatchObject({
      path: '/pets/{{ slots.id }}',
      responseSchema: 'petstore-separate/spec/swagger.json#/paths/~1pets~1{id}/get/responses/200/schema',
    });

    const text = await expectValid(draft, actionsFile);
    await expectSchemasResolve(draft, actionsFile);
    await expectRuns(draft, text, dir, join(copy, 'spec/swagger.json'), {}, [
      {
        action: 'add_pet',
        slots: { id: 1, name: 'Rex' },
        expect: (seen) =>
          expect([seen.method, seen.url, JSON.parse(seen.body)]).toEqual(['POST', '/api/pets', { id: 1, name: 'Rex' }]),
      },
      { action: 'find_pet_by_id', slots: { id: 42 }, expect: (seen) => expect(seen.url).toBe('/api/pets/42') },
    ]);
  });
});

describe('OpenAPI 3.1 over many files: Redocly Cafe (OAuth2 client credentials)', () => {
  it('finds openapi.yaml in the folder and lists every operation', async () => {
    const ops = await listOperations(join(data, 'redocly-cafe'));
    expect(ops).toHaveLength(12);
    expect(ops.find((o) => o.operationId === 'getOrderById')).toEqual({
      operationId: 'getOrderById',
      method: 'GET',
      path: '/orders/{orderId}',
      summary: 'Retrieve an order',
      tags: ['Orders'],
    });
  });

  it('uses the client-credentials flow with the scopes the operations ask for, and points response_schema into the file that holds it', async () => {
    const { dir, copy, actionsFile } = await workspace('redocly-cafe');
    const draft = await importOpenApi(copy, {
      operations: ['listMenuItems', 'getOrderById', 'createOrder', 'updateOrder', 'createMenuItem'],
      actionsFile,
      connection: 'cafe',
    });
    expect(draft.connection).toEqual({
      name: 'cafe',
      baseUrl: 'https://api.cafe.redocly.com',
      auth: {
        type: 'oauth2_client_credentials',
        token_url: 'https://api.cafe.redocly.com/oauth2/token',
        client_id: '${CAFE_CLIENT_ID}',
        client_secret: '${CAFE_CLIENT_SECRET}',
        scope: 'orders:read orders:write menu:write',
      },
    });
    expect(draft.variables.map((v) => v.name)).toEqual(['CAFE_CLIENT_ID', 'CAFE_CLIENT_SECRET']);
    const byName = new Map(draft.actions.map((a) => [a.name, a]));
    // The path item is a $ref to paths/orders_{orderId}.yaml: the pointer continues there.
    expect(byName.get('get_order_by_id')?.responseSchema).toBe(
      'redocly-cafe/paths/orders_{orderId}.yaml#/get/responses/200/content/application~1json/schema',
    );
    expect(byName.get('get_order_by_id')?.responseFields).toEqual([
      'id',
      'object',
      'customerName',
      'status',
      'totalPrice',
      'createdAt',
      'updatedAt',
      'orderItems',
    ]);
    // Order's required fields; readOnly ones (id, status, …) are never sent.
    expect(byName.get('create_order')?.body).toEqual({
      kind: 'json',
      value: { customerName: '{{ slots.customer_name }}', orderItems: [] },
    });
    expect(byName.get('update_order')?.body).toEqual({ kind: 'json', value: { status: '{{ slots.status }}' } });
    // A oneOf answer lists the fields of every alternative.
    expect(byName.get('create_menu_item')?.responseFields).toEqual(
      expect.arrayContaining(['category', 'volume', 'calories', 'name', 'price']),
    );
    expect(byName.get('create_menu_item')?.body).toBeNull();
    expect(byName.get('create_menu_item')?.notes?.some((n) => n.includes('multipart/form-data'))).toBe(true);

    const text = await expectValid(draft, actionsFile);
    await expectSchemasResolve(draft, actionsFile);
    // validate follows the reference (and the $ref to components/schemas/Order.yaml there) to check a mapping.
    const mapped = (field: string) =>
      text.replace(
        '      get_order_by_id_status: ok\n',
        `      customer: "{{ response.body.${field} }}"\n      get_order_by_id_status: ok\n`,
      );
    const checked = join(dir, 'mapped.yml');
    await writeFile(checked, mapped('customerNam'));
    const { diagnostics } = await loadPlan(checked, { env: placeholders(draft) });
    expect(diagnostics.filter((d) => d.code === 'SW_WARN_RESPONSE_FIELD')).toHaveLength(1);
    await writeFile(checked, mapped('customerName'));
    expect(
      (await loadPlan(checked, { env: placeholders(draft) })).diagnostics.filter(
        (d) => d.code === 'SW_WARN_RESPONSE_FIELD',
      ),
    ).toEqual([]);

    await expectRuns(
      draft,
      text,
      dir,
      join(copy, 'openapi.yaml'),
      { CAFE_CLIENT_ID: 'client', CAFE_CLIENT_SECRET: 'secret' },
      [
        {
          action: 'get_order_by_id',
          slots: { order_id: 'ord_01h1s5z6vf2mm1mz3hevnn9va7' },
          expect: (seen) => {
            expect(seen.url).toBe('/orders/ord_01h1s5z6vf2mm1mz3hevnn9va7');
            expect(seen.headers['authorization']).toBe('Bearer token-from-test');
          },
        },
        {
          action: 'create_order',
          slots: { customer_name: 'Mary Ann' },
          expect: (seen) =>
            expect([seen.method, JSON.parse(seen.body), seen.headers['authorization']]).toEqual([
              'POST',
              { customerName: 'Mary Ann', orderItems: [] },
              'Bearer token-from-test',
            ]),
        },
        { action: 'list_menu_items', slots: {}, expect: (seen) => expect(seen.url).toBe('/menu') },
      ],
    );
  });
});

describe('a larger real-world API: Twilio Verify v2 (391 KB, basic auth, form bodies)', () => {
  it('lists its 57 operations', async () => {
    // The folder holds one description, whose openapi: key comes after 50 KB of components.
    const ops = await listOperations(join(data, 'twilio-verify'));
    expect(ops).toHaveLength(57);
    expect(ops.filter((o) => o.operationId.startsWith('CreateVerification'))).toEqual([
      {
        operationId: 'CreateVerification',
        method: 'POST',
        path: '/v2/Services/{ServiceSid}/Verifications',
        summary: 'Create a new Verification using a Service',
        tags: ['VerifyV2Verification'],
      },
      {
        operationId: 'CreateVerificationCheck',
        method: 'POST',
        path: '/v2/Services/{ServiceSid}/VerificationCheck',
        summary: 'challenge a specific Verification Check.',
        tags: ['VerifyV2VerificationCheck'],
      },
    ]);
  });

  it('sends the required form fields with basic auth, and the result loads and runs', async () => {
    const { dir, copy, actionsFile } = await workspace('twilio-verify');
    const draft = await importOpenApi(join(copy, 'twilio_verify_v2.yaml'), {
      operations: ['CreateVerification', 'FetchService'],
      actionsFile,
    });
    expect(draft.connection).toEqual({
      name: 'twilio_verify',
      baseUrl: 'https://verify.twilio.com',
      auth: { type: 'basic', username: '${TWILIO_VERIFY_USERNAME}', password: '${TWILIO_VERIFY_PASSWORD}' },
    });
    const [create, fetch] = draft.actions;
    expect(create).toMatchObject({
      name: 'create_verification',
      path: '/v2/Services/{{ slots.service_sid }}/Verifications',
      body: { kind: 'form', fields: { To: '{{ slots.to }}', Channel: '{{ slots.channel }}' } },
      responseSchema:
        'twilio-verify/twilio_verify_v2.yaml#/paths/~1v2~1Services~1{ServiceSid}~1Verifications/post/responses/201/content/application~1json/schema',
    });
    expect(create?.responseFields).toEqual(expect.arrayContaining(['sid', 'status', 'valid']));
    expect(fetch).toMatchObject({ name: 'fetch_service', path: '/v2/Services/{{ slots.sid }}' });

    const text = await expectValid(draft, actionsFile);
    await expectSchemasResolve(draft, actionsFile);
    const env = { TWILIO_VERIFY_USERNAME: 'AC123', TWILIO_VERIFY_PASSWORD: 'auth-token' };
    await expectRuns(draft, text, dir, join(copy, 'twilio_verify_v2.yaml'), env, [
      {
        action: 'create_verification',
        slots: { service_sid: 'VA0123', to: '+15017122661', channel: 'sms' },
        expect: (seen) => {
          expect([seen.method, seen.url]).toEqual(['POST', '/v2/Services/VA0123/Verifications']);
          expect(seen.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
          expect(Object.fromEntries(new URLSearchParams(seen.body))).toEqual({ To: '+15017122661', Channel: 'sms' });
          expect(seen.headers['authorization']).toBe(`Basic ${Buffer.from('AC123:auth-token').toString('base64')}`);
        },
      },
    ]);
  });
});

// ---------------------------------------------------------------- single behaviours, on small descriptions

async function description(text: string, name = 'api.yaml'): Promise<string> {
  const dir = await tempDir();
  const file = join(dir, name);
  await writeFile(file, text);
  return file;
}

const info = 'info: { title: Shop API, version: "1" }';

describe('connections', () => {
  it('uses the first of several servers by default and lets a variable choose another', async () => {
    const file = await description(`openapi: 3.0.3
${info}
servers:
  - url: https://{region}.shop.example/v2
    variables: { region: { default: eu, enum: [eu, us] } }
  - url: https://sandbox.shop.example/v2
paths:
  /items: { get: { operationId: listItems, responses: { '200': { description: ok } } } }
`);
    const draft = await importOpenApi(file, {
      operations: ['listItems'],
      actionsFile: join(dirname(file), 'actions.yml'),
    });
    expect(draft.connection.baseUrl).toBe('${SHOP_BASE_URL:-https://eu.shop.example/v2}');
    expect(draft.variables).toHaveLength(1);
    expect(draft.variables[0]?.name).toBe('SHOP_BASE_URL');
    expect(draft.variables[0]?.why).toContain('https://sandbox.shop.example/v2');
    expect(draft.variables[0]?.why).toContain('eu | us');
  });

  it('asks for the base URL when the server URL is relative', async () => {
    const file = await description(`openapi: 3.0.3
${info}
servers: [{ url: /api/v3 }]
paths:
  /items: { get: { operationId: listItems, responses: { '200': { description: ok } } } }
`);
    const draft = await importOpenApi(file, {
      operations: ['listItems'],
      actionsFile: join(dirname(file), 'actions.yml'),
    });
    expect(draft.connection.baseUrl).toBe('${SHOP_BASE_URL}');
    expect(draft.variables.map((v) => v.name)).toEqual(['SHOP_BASE_URL']);
    await expectValid(draft, join(dirname(file), 'actions.yml'));
  });

  it('maps bearer and basic schemes, and says what it cannot send (cookie keys, other OAuth2 flows, OpenID Connect)', async () => {
    const file = await description(`openapi: 3.1.0
${info}
servers: [{ url: https://shop.example }]
components:
  securitySchemes:
    jwt: { type: http, scheme: bearer, bearerFormat: JWT }
    session: { type: apiKey, in: cookie, name: SESSION }
    user: { type: oauth2, flows: { authorizationCode: { authorizationUrl: https://shop.example/auth, tokenUrl: https://shop.example/token, scopes: {} } } }
    oidc: { type: openIdConnect, openIdConnectUrl: https://shop.example/.well-known/openid-configuration }
paths:
  /me: { get: { operationId: me, security: [{ user: [] }, { oidc: [] }], responses: { '200': { description: ok } } } }
  /cart: { get: { operationId: cart, security: [{ session: [] }], responses: { '200': { description: ok } } } }
  /orders: { get: { operationId: orders, security: [{ jwt: [] }], responses: { '200': { description: ok } } } }
`);
    const actionsFile = join(dirname(file), 'actions.yml');
    const none = await importOpenApi(file, { operations: ['me', 'cart'], actionsFile });
    expect(none.connection.auth).toBeNull();
    expect(none.variables).toEqual([]);
    expect(none.actions[0]?.notes?.find((n) => n.startsWith('auth:'))).toMatch(
      /OAuth2 authorizationCode.*OpenID Connect/,
    );
    expect(none.actions[1]?.notes?.find((n) => n.startsWith('auth:'))).toContain('cookie');

    const bearer = await importOpenApi(file, { operations: ['orders', 'cart'], actionsFile });
    expect(bearer.connection.auth).toEqual({ type: 'bearer', token: '${SHOP_TOKEN}' });
    expect(bearer.variables[0]?.why).toContain('JWT');
    expect(bearer.actions[0]?.notes?.some((n) => n.startsWith('auth:'))).toBe(false);
    expect(bearer.actions[1]?.notes?.some((n) => n.startsWith('auth:'))).toBe(true);
    await expectValid(bearer, actionsFile);
  });

  it('takes a Swagger 2.0 OAuth2 "application" flow as client credentials', async () => {
    const file = await description(`swagger: '2.0'
${info}
host: shop.example
basePath: /v1
schemes: [http, https]
securityDefinitions:
  machine: { type: oauth2, flow: application, tokenUrl: https://auth.shop.example/token, scopes: { 'items:read': read } }
security: [{ machine: ['items:read'] }]
paths:
  /items: { get: { operationId: listItems, responses: { '200': { description: ok } } } }
`);
    const draft = await importOpenApi(file, {
      operations: ['listItems'],
      actionsFile: join(dirname(file), 'actions.yml'),
    });
    expect(draft.connection).toEqual({
      name: 'shop',
      baseUrl: 'https://shop.example/v1',
      auth: {
        type: 'oauth2_client_credentials',
        token_url: 'https://auth.shop.example/token',
        client_id: '${SHOP_CLIENT_ID}',
        client_secret: '${SHOP_CLIENT_SECRET}',
        scope: 'items:read',
      },
    });
  });
});

describe('actions', () => {
  it('gives a parameter whose slot name is taken the place it comes from, and leaves the API key parameter to the auth', async () => {
    const file = await description(`openapi: 3.0.3
${info}
servers: [{ url: https://shop.example }]
components: { securitySchemes: { key: { type: apiKey, in: header, name: X-Api-Key } } }
security: [{ key: [] }]
paths:
  /items/{id}:
    parameters: [{ name: id, in: path, required: true, schema: { type: string } }]
    get:
      operationId: getItem
      description: "Reads one item.\\n\\nThe rest of the description."
      parameters:
        - { name: id, in: query, required: true, schema: { type: string } }
        - { name: X-Api-Key, in: header, required: true, schema: { type: string } }
        - { name: X-Request-Id, in: header, required: true, schema: { type: string } }
      responses: { '200': { description: ok } }
`);
    const draft = await importOpenApi(file, {
      operations: ['getItem'],
      actionsFile: join(dirname(file), 'actions.yml'),
    });
    expect(draft.actions[0]).toMatchObject({
      description: 'Reads one item.',
      path: '/items/{{ slots.id }}',
      query: { id: '{{ slots.id_query }}' },
      headers: { 'X-Request-Id': '{{ slots.x_request_id }}' },
    });
    expect(draft.connection.auth).toEqual({
      type: 'api_key',
      in: 'header',
      name: 'X-Api-Key',
      value: '${SHOP_API_KEY}',
    });
  });

  it('accepts an operationId in its identifier form, and imports each operation once', async () => {
    const draft = await importOpenApi(join(data, 'petstore/petstore.yaml'), {
      operations: ['show_pet_by_id', 'showPetById'],
      actionsFile: join(data, 'actions.yml'),
    });
    expect(draft.actions.map((a) => a.name)).toEqual(['show_pet_by_id']);
    // response_schema is relative to the actions file's folder.
    expect(draft.actions[0]?.responseSchema).toMatch(/^petstore\/petstore\.yaml#/);
  });
});

// ---------------------------------------------------------------- errors

describe('errors are one line naming the file', () => {
  it('refuses a YAML file that is not an API description', async () => {
    const file = await description('name: my-service\nreplicas: 3\n', 'values.yaml');
    const message = await expectCode(listOperations(file), 'SW_OPENAPI_NOT_OPENAPI');
    expect(message.startsWith(`${file}: `)).toBe(true);
  });

  it('refuses a missing file', async () => {
    await expectCode(listOperations(join(data, 'nope.yaml')), 'SW_OPENAPI_NOT_FOUND');
  });

  it('refuses OpenAPI 3.2 and Swagger 1.2', async () => {
    await expectCode(
      listOperations(await description(`openapi: 3.2.0\n${info}\npaths: {}\n`)),
      'SW_OPENAPI_UNSUPPORTED_VERSION',
    );
    await expectCode(
      listOperations(await description('swaggerVersion: "1.2"\nswagger: "1.2"\n')),
      'SW_OPENAPI_UNSUPPORTED_VERSION',
    );
  });

  it('reports the first validation error with its JSON pointer', async () => {
    const text = (await readFile(join(data, 'petstore/petstore.yaml'), 'utf8')).replace(
      '      operationId: listPets\n',
      '      operationId: listPets\n      bogus: 1\n',
    );
    const message = await expectCode(listOperations(await description(text)), 'SW_OPENAPI_INVALID');
    expect(message).toContain(' at /paths/~1pets/get/bogus');
  });

  it('reports a $ref to a file that does not exist', async () => {
    const dir = await tempDir();
    await cp(join(data, 'redocly-cafe'), dir, { recursive: true });
    await rm(join(dir, 'components/schemas/Order.yaml'));
    const message = await expectCode(listOperations(dir), 'SW_OPENAPI_BAD_REF');
    expect(message).toContain('Order.yaml');
  });

  it('names an unknown operationId with the closest one and how to list them', async () => {
    const file = join(data, 'petstore/petstore.yaml');
    const message = await expectCode(
      importOpenApi(file, { operations: ['showPetsById', 'listPets'], actionsFile: 'actions.yml' }),
      'SW_OPENAPI_UNKNOWN_OPERATION',
    );
    expect(message).toContain('"showPetsById"');
    expect(message).toContain('"showPetById"');
    expect(message).toContain(`slotwire import openapi ${file}`);
  });

  it('refuses an empty choice, a bad connection name and a folder with several descriptions', async () => {
    await expectCode(
      importOpenApi(join(data, 'petstore'), { operations: [], actionsFile: 'actions.yml' }),
      'SW_OPENAPI_NO_OPERATION',
    );
    await expectCode(
      importOpenApi(join(data, 'petstore'), {
        operations: ['listPets'],
        connection: 'my shop',
        actionsFile: 'actions.yml',
      }),
      'SW_OPENAPI_BAD_CONNECTION_NAME',
    );
    const dir = await tempDir();
    await mkdir(join(dir, 'v1'));
    await cp(join(data, 'petstore/petstore.yaml'), join(dir, 'a.yaml'));
    await cp(join(data, 'uber/uber.yaml'), join(dir, 'b.yaml'));
    await expectCode(listOperations(dir), 'SW_OPENAPI_SEVERAL_DESCRIPTIONS');
  });

  it('refuses a folder without a description, a description that does not parse, and an OPTIONS operation', async () => {
    const empty = await tempDir();
    await writeFile(join(empty, 'notes.yaml'), 'title: not an API\n');
    await expectCode(listOperations(empty), 'SW_OPENAPI_NO_DESCRIPTION');
    await expectCode(listOperations(await description(`openapi: 3.0.3\n${info}\npaths: {\n`)), 'SW_OPENAPI_UNPARSABLE');
    const options = await description(`openapi: 3.0.3
${info}
paths:
  /pets:
    options:
      operationId: petsOptions
      responses:
        '204': { description: allowed methods }
`);
    await expectCode(
      importOpenApi(options, { operations: ['petsOptions'], actionsFile: 'actions.yml' }),
      'SW_OPENAPI_UNSENDABLE_METHOD',
    );
  });
});
