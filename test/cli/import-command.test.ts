// Importing through the command line: `slotwire import openapi` lists and
// imports, `--write` adds to an existing actions.yml with its comments kept
// and the result validates, conflicts and bad input are one line, and the
// worked example of docs/import.md (a typo caught against the schema) holds.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

const PETSTORE = join(import.meta.dirname, '../data/openapi/petstore');

/** A folder holding a copy of the Petstore description, as a project would. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'slotwire-import-'));
  cpSync(PETSTORE, join(dir, 'petstore'), { recursive: true });
  return dir;
}

describe('slotwire import openapi', () => {
  it('lists the operations when none is chosen', async () => {
    const dir = project();
    const r = await runCli(['import', 'openapi', join(dir, 'petstore/petstore.yaml')]);
    expect(r.code).toBe(0);
    expect(r.out.split('\n').slice(0, 3)).toEqual([
      'GET     /pets  listPets  List all pets',
      'POST    /pets  createPets  Create a pet',
      'GET     /pets/{petId}  showPetById  Info for a specific pet',
    ]);
    expect(r.out).toContain('3 operations; import some with --operation ID (repeatable).');
  });

  it('adds the chosen operations to an existing file with --write, comments kept; the result validates, and a typo is caught against the schema', async () => {
    const dir = project();
    const file = join(dir, 'actions.yml');
    writeFileSync(
      file,
      "# Our bot's actions: keep this comment.\nversion: 1\nconnections: {}\nactions:\n  # hand-written\n  greet:\n    slots: { greeting: hello }\n",
    );
    const r = await runCli([
      'import',
      'openapi',
      join(dir, 'petstore/petstore.yaml'),
      '--operation',
      'showPetById',
      '--operation',
      'createPets',
      '--write',
      '--actions',
      file,
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toContain(`${file}: added 2 actions (show_pet_by_id, create_pets) with connection swagger_petstore.`);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain("# Our bot's actions: keep this comment.");
    expect(text).toContain('  # hand-written\n  greet:');
    expect(text).toContain(
      'response_schema: petstore/petstore.yaml#/paths/~1pets~1{petId}/get/responses/200/content/application~1json/schema',
    );
    const ok = await runCli(['validate', file]);
    expect(ok.code).toBe(0);
    expect(ok.err).not.toContain('SW_WARN_RESPONSE');
    // The author maps the answer, with a typo.
    writeFileSync(
      file,
      text.replace(
        '      show_pet_by_id_status: ok\n',
        '      pet_name: "{{ response.body.nmae }}"\n      show_pet_by_id_status: ok\n',
      ),
    );
    const typo = await runCli(['validate', file]);
    expect(typo.code).toBe(0);
    expect(typo.err).toMatch(
      /actions\.yml:\d+:35: warning SW_WARN_RESPONSE_FIELD: "nmae" is not a field of response\.body/,
    );
    expect(typo.err).toContain('hint: Did you mean "name"? Fields there: id, name, tag.');
    // Importing the same operation again is refused, and the file is left as it was.
    const before = readFileSync(file, 'utf8');
    const again = await runCli([
      'import',
      'openapi',
      join(dir, 'petstore/petstore.yaml'),
      '--operation',
      'showPetById',
      '--write',
      '--actions',
      file,
    ]);
    expect(again.code).toBe(1);
    expect(again.err).toBe(
      `slotwire import: error SW_IMPORT_ACTION_EXISTS: ${file}: action "show_pet_by_id" already exists; rename or remove it first`,
    );
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('refuses to add to a file it cannot write into, with a code per reason, and writes nothing', async () => {
    const dir = project();
    const file = join(dir, 'actions.yml');
    const cases: [string, string][] = [
      ['version: 1\nactions: {\n', 'SW_IMPORT_FILE_NOT_YAML'],
      ['- a list\n', 'SW_IMPORT_FILE_NOT_MAPPING'],
      [
        'version: 1\nconnections:\n  swagger_petstore: { base_url: https://other.example.com }\n',
        'SW_IMPORT_CONNECTION_EXISTS',
      ],
    ];
    for (const [text, code] of cases) {
      writeFileSync(file, text);
      const r = await runCli([
        'import',
        'openapi',
        join(dir, 'petstore/petstore.yaml'),
        '--operation',
        'listPets',
        '--write',
        '--actions',
        file,
      ]);
      expect(r.code, code).toBe(1);
      expect(r.err.split('\n'), code).toHaveLength(1);
      expect(r.err.startsWith(`slotwire import: error ${code}: ${file}: `), r.err).toBe(true);
      expect(readFileSync(file, 'utf8')).toBe(text);
    }
  });

  it('says what is wrong with bad input in one line', async () => {
    const dir = project();
    const unknown = await runCli([
      'import',
      'openapi',
      join(dir, 'petstore/petstore.yaml'),
      '--operation',
      'showPetByID2',
    ]);
    expect(unknown.code).toBe(1);
    expect(unknown.err.split('\n')).toHaveLength(1);
    expect(unknown.err).toMatch(/^slotwire import: error SW_OPENAPI_UNKNOWN_OPERATION: /);
    expect(unknown.err).toContain('showPetById');
    const notOpenApi = join(dir, 'notes.yaml');
    writeFileSync(notOpenApi, 'title: not an API\n');
    const bad = await runCli(['import', 'openapi', notOpenApi, '--operation', 'x']);
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^slotwire import: error SW_OPENAPI_NOT_OPENAPI: .*notes\.yaml/);
    const kind = await runCli(['import', 'graphql', 'schema.graphql']);
    expect(kind.code).toBe(2);
    expect(kind.err.split('\n')[0]).toBe(
      'slotwire import: unknown kind "graphql": openapi or curl (see: slotwire import --help)',
    );
  });
});

describe('slotwire import curl', () => {
  it('refuses a command it cannot express with its code, in one line, and never echoes a credential', async () => {
    const r = await runCli([
      'import',
      'curl',
      "curl -F 'file=@photo.jpg' -H 'Authorization: Bearer sk_live_123' https://api.example.com/v1/photos",
    ]);
    expect(r.code).toBe(1);
    expect(r.out).toBe('');
    expect(r.err.split('\n')).toHaveLength(1);
    expect(r.err).toMatch(/^slotwire import: error SW_CURL_MULTIPART: /);
    expect(r.err).not.toContain('sk_live_123');
  });

  it('prints a connection and an action, with the credential as a variable and never its value', async () => {
    const r = await runCli([
      'import',
      'curl',
      "curl -X POST https://api.example.com/v1/tables -H 'Authorization: Bearer sk_live_123' -H 'Content-Type: application/json' -d '{\"party\": 4}'",
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('base_url: https://api.example.com');
    expect(r.out).toContain('path: /v1/tables');
    expect(r.out).toMatch(/token: \$\{[A-Z_]+_TOKEN\}/);
    expect(r.out).not.toContain('sk_live_123');
    expect(r.out).toContain('party: 4');
  });

  it('takes a command the shell already split after --, and says so when it was pasted unquoted without', async () => {
    const r = await runCli([
      'import',
      'curl',
      '--name',
      'status',
      '--',
      'curl',
      '-H',
      'X-Api-Key: abc secret',
      'https://api.example.com/v1/status?verbose=1',
    ]);
    expect(r.code).toBe(0);
    expect(r.out).toContain('  status:');
    expect(r.out).not.toContain('abc secret');
    expect(r.out).toContain('verbose:');
    const unquoted = await runCli([
      'import',
      'curl',
      'curl',
      '-H',
      'X-Api-Key: abc',
      'https://api.example.com/v1/status',
    ]);
    expect(unquoted.code).toBe(2);
    expect(unquoted.err.split('\n')[0]).toBe(
      "slotwire import: quote the cURL command whole ('curl …'), or put it after -- (see: slotwire import --help)",
    );
  });
});

describe('slotwire import --write: the variables to set', () => {
  it('says Set: only for variables without a default', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'slotwire-import-set-'));
    const spec = join(dir, 'shop.yaml');
    // Two servers: the base URL becomes ${SHOP_BASE_URL:-first}, which needs no setting; the API key does.
    writeFileSync(
      spec,
      `openapi: 3.0.3
info: { title: Shop, version: "1" }
servers: [{ url: "https://shop.example.com/v1" }, { url: "https://staging.shop.example.com/v1" }]
components:
  securitySchemes:
    key: { type: apiKey, in: header, name: X-Shop-Key }
security: [{ key: [] }]
paths:
  /orders:
    get:
      operationId: listOrders
      responses: { "200": { description: ok } }
`,
    );
    const file = join(dir, 'actions.yml');
    const r = await runCli(['import', 'openapi', spec, '--operation', 'listOrders', '--write', '--actions', file]);
    expect(r.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toContain('base_url: ${SHOP_BASE_URL:-https://shop.example.com/v1}');
    expect(r.out.split('\n')).toContain('Set: SHOP_API_KEY.');
    expect(r.out).not.toMatch(/^Set:.*SHOP_BASE_URL/m);
  });

  it("leaves out a cURL command's empty password, which may stay unset", async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'slotwire-import-set-')), 'actions.yml');
    const r = await runCli([
      'import',
      'curl',
      'curl -u apiuser: https://api.example.com/v1/status',
      '--write',
      '--actions',
      file,
    ]);
    expect(r.code).toBe(0);
    const text = readFileSync(file, 'utf8');
    const password = /password: "?\$\{([A-Z_]+):-\}/.exec(text)?.[1];
    const username = /username: "?\$\{([A-Z_]+)\}/.exec(text)?.[1];
    expect(password).toEqual(expect.any(String));
    expect(r.out.split('\n')).toContain(`Set: ${username}.`);
  });
});
