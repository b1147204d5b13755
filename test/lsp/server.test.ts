// `slotwire lsp` driven as an editor drives it: the built CLI as a child
// process, vscode-languageserver-protocol's client on its stdio. The Rasa
// project sits a folder above the actions file, found by the server itself.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver-protocol/node.js';
import { runBuiltCli } from '../support/built-cli.js';
import { positionOf, startLsp, uriOf } from './client.js';
import type { LspSession } from './client.js';

const DOMAIN = `version: "3.1"
slots:
  restaurant_id: { type: text, mappings: [{ type: from_llm }] }
  party_size: { type: float, mappings: [{ type: from_llm }] }
  has_availability: { type: bool, mappings: [{ type: controlled }] }
  available_times: { type: list, mappings: [{ type: controlled }] }
  lookup_status: { type: text, mappings: [{ type: controlled }] }
actions:
  - check_availability
  - book_table
`;

/** A file with no problem: every check of the tests starts from it and comes back to it. */
const GOOD = `version: 1
connections:
  api:
    base_url: \${API}
    timeout: 2s
actions:
  check_availability:
    description: Whether a table is free.
    request:
      connection: api
      path: /restaurants/{{ slots.restaurant_id }}/availability
      query:
        party: "{{ $round(slots.party_size) }}"
    slots:
      has_availability: "{{ response.body.available }}"
      available_times: "{{ response.body.times }}"
  book_table:
    steps:
      - name: hold
        request:
          connection: api
          path: /hold
      - name: confirm
        request:
          connection: api
          path: "/confirm/{{ steps.hold.body.id }}"
    slots:
      lookup_status: "{{ steps.confirm.body.status }}"
`;

const TESTS = `tests:
  - name: a table is free
    action: check_availability
    slots: { restaurant_id: r-1, party_size: 2 }
    http:
      - path: /restaurants/r-1/availability
        reply:
          json: { available: true, times: ["19:00"], venue: { name: Roma } }
    expect:
      slots: { has_availability: true }
`;

let dir: string;
let project: string;
let file: string;
let testFile: string;
let lsp: LspSession;

beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), 'slotwire-lsp-'));
  dir = join(project, 'actions');
  mkdirSync(dir);
  writeFileSync(join(project, 'domain.yml'), DOMAIN);
  file = join(dir, 'actions.yml');
  testFile = join(dir, 'actions.test.yml');
  writeFileSync(file, GOOD);
  writeFileSync(testFile, TESTS);
  lsp = await startLsp([], { cwd: project });
});

afterAll(async () => {
  if (lsp.child.exitCode === null) await lsp.stop();
});

const codes = (ds: readonly Diagnostic[]): string[] => ds.map((d) => String(d.code));
const hintOf = (d: Diagnostic): string => (d.data as { hint: string }).hint;

describe('slotwire lsp: diagnostics', () => {
  it('answers initialize with what it serves', () => {
    const { capabilities, serverInfo } = lsp.initialized;
    expect(serverInfo?.name).toBe('slotwire');
    expect(capabilities.hoverProvider).toBe(true);
    expect(capabilities.definitionProvider).toBe(true);
    expect(capabilities.completionProvider?.triggerCharacters).toEqual(expect.arrayContaining(['.', '$']));
    expect(capabilities.codeActionProvider).toEqual({ codeActionKinds: ['quickfix'] });
  });

  it('publishes none for a good file, then what validate says of a broken one, then clears them when fixed', async () => {
    lsp.open(file, GOOD);
    await lsp.waitForDiagnostics(file, (ds) => ds.length === 0, 'the good file has none');
    const broken = GOOD.replace('$round(', '$rond(')
      .replace('has_availability:', 'has_availabilty:')
      .replace('connection: api\n      path: /restaurants', 'connection: apii\n      path: /restaurants')
      .replace('response.body.times', 'response.body.tims');
    writeFileSync(join(dir, 'broken.yml'), broken);
    lsp.change(file, broken);
    const ds = await lsp.waitForDiagnostics(file, (d) => d.length >= 4, 'the broken file has its diagnostics');

    // The same codes, positions and hints as slotwire validate, from the command line.
    const validate = await runBuiltCli([
      'validate',
      join(dir, 'broken.yml'),
      '--project',
      project,
      '--placeholder-env',
      '--format',
      'json',
    ]);
    const report = JSON.parse(validate.out) as {
      diagnostics: { code: string; line: number; col: number; hint: string; file: string }[];
    };
    const fromValidate = report.diagnostics
      .filter((d) => d.file.endsWith('broken.yml'))
      .map((d) => `${d.code}@${d.line}:${d.col} ${d.hint}`);
    const fromLsp = ds.map(
      (d) => `${String(d.code)}@${d.range.start.line + 1}:${d.range.start.character + 1} ${hintOf(d)}`,
    );
    expect(fromLsp).toEqual(fromValidate);
    expect(codes(ds)).toEqual(
      expect.arrayContaining([
        'SW_EXPR_UNKNOWN_FUNCTION',
        'SW_DOMAIN_UNKNOWN_SLOT',
        'SW_REF_UNKNOWN_CONNECTION',
        'SW_WARN_RESPONSE_FIELD',
      ]),
    );
    // The range covers the misspelt name.
    const fn = ds.find((d) => d.code === 'SW_EXPR_UNKNOWN_FUNCTION') as Diagnostic;
    expect(fn.range).toEqual({
      start: positionOf(broken, '$rond'),
      end: positionOf(broken, '$rond', '$rond'.length),
    });

    lsp.change(file, GOOD);
    await lsp.waitForDiagnostics(file, (d) => d.length === 0, 'fixing the file clears them');
  });

  it('follows keystrokes sent as ranged edits', async () => {
    lsp.change(file, GOOD);
    await lsp.waitForDiagnostics(file, (d) => d.length === 0, 'the good file');
    const at = positionOf(GOOD, 'response.body.available', 'response.body.'.length);
    lsp.edit(file, { start: at, end: { line: at.line, character: at.character + 'available'.length } }, 'availabel');
    const ds = await lsp.waitForDiagnostics(
      file,
      (d) => codes(d).includes('SW_WARN_RESPONSE_FIELD'),
      'the field the fixtures lack is a warning',
    );
    expect(hintOf(ds[0])).toContain('"available"');
    lsp.edit(file, { start: at, end: { line: at.line, character: at.character + 'availabel'.length } }, 'available');
    await lsp.waitForDiagnostics(file, (d) => d.length === 0, 'typing it right clears it');
  });

  it("publishes the test file's own problems on the test file, and clears them when it is fixed", async () => {
    lsp.change(file, GOOD);
    const brokenTests = TESTS.replace(
      '    action: check_availability',
      '    action: check_availability\n    slotz: {}',
    );
    lsp.open(testFile, brokenTests);
    const ds = await lsp.waitForDiagnostics(testFile, (d) => d.length > 0, 'the test file has a diagnostic');
    expect(codes(ds)).toEqual(['SW_SCHEMA_UNKNOWN_KEY']);
    expect(ds[0].range.start).toEqual(positionOf(brokenTests, 'slotz'));
    lsp.change(testFile, TESTS);
    await lsp.waitForDiagnostics(testFile, (d) => d.length === 0, 'the fixed test file has none');
    lsp.close(testFile);
  });

  it('checks against the domain the server found in a parent folder: an action it does not list', async () => {
    const extra = `${GOOD}  cancel_table:\n    request:\n      connection: api\n      path: /cancel\n    slots:\n      lookup_status: cancelled\n`;
    lsp.change(file, extra);
    const ds = await lsp.waitForDiagnostics(
      file,
      (d) => codes(d).includes('SW_WARN_ACTION_NOT_IN_DOMAIN'),
      'the unlisted action is a warning',
    );
    const [action] = await lsp.codeActions(
      file,
      ds.filter((d) => d.code === 'SW_WARN_ACTION_NOT_IN_DOMAIN'),
    );
    const edits = action.edit?.changes?.[uriOf(join(project, 'domain.yml'))] ?? [];
    expect(edits).toHaveLength(1);
    expect(edits[0].newText).toBe('\n  - cancel_table');
    // After the last entry of the list.
    expect(edits[0].range.start).toEqual(positionOf(DOMAIN, '- book_table', '- book_table'.length));
    lsp.change(file, GOOD);
    await lsp.waitForDiagnostics(file, (d) => d.length === 0, 'back to the good file');
  });

  it('gives one diagnostic for a file the loader refuses, and keeps serving', async () => {
    const big = join(dir, 'big.yml');
    lsp.open(big, `version: 1\n# ${'x'.repeat(1024 * 1024 + 10)}\n`);
    const tooLarge = await lsp.waitForDiagnostics(big, (d) => d.length > 0, 'the large file has its diagnostic');
    expect(codes(tooLarge)).toEqual(['SW_FILE_TOO_LARGE']);
    const notYaml = join(dir, 'not-yaml.yml');
    lsp.open(notYaml, 'version: 1\nactions: [unclosed\n');
    const syntax = await lsp.waitForDiagnostics(notYaml, (d) => d.length > 0, 'the broken YAML has its diagnostic');
    expect(syntax).toHaveLength(1);
    expect(String(syntax[0].code)).toMatch(/^SW_YAML_/);
    lsp.close(big);
    lsp.close(notYaml);
    await lsp.waitForDiagnostics(big, (d) => d.length === 0, 'closing clears the diagnostics');
    expect(lsp.child.exitCode).toBeNull();
  });
});

describe('slotwire lsp: quick fixes', () => {
  it('offers the one fix of a did-you-mean, which makes the diagnostic go', async () => {
    const broken = GOOD.replace('has_availability:', 'has_availabilty:');
    lsp.change(file, broken);
    const ds = await lsp.waitForDiagnostics(
      file,
      (d) => codes(d).includes('SW_DOMAIN_UNKNOWN_SLOT'),
      'the misspelt slot',
    );
    const [action] = await lsp.codeActions(file, ds);
    expect(action.kind).toBe('quickfix');
    const [edit] = action.edit?.changes?.[uriOf(file)] ?? [];
    expect(edit.newText).toBe('has_availability');
    expect(edit.range.start).toEqual(positionOf(broken, 'has_availabilty'));
    const lines = broken.split('\n');
    const line = lines[edit.range.start.line];
    lines[edit.range.start.line] =
      line.slice(0, edit.range.start.character) + edit.newText + line.slice(edit.range.end.character);
    lsp.change(file, lines.join('\n'));
    await lsp.waitForDiagnostics(file, (d) => d.length === 0, 'the fixed file has none');
  });

  it('quotes an unquoted {{ }}', async () => {
    const broken = GOOD.replace('"{{ response.body.times }}"', '{{ response.body.times }}');
    lsp.change(file, broken);
    const ds = await lsp.waitForDiagnostics(
      file,
      (d) => codes(d).includes('SW_YAML_UNQUOTED_EXPR'),
      'the unquoted expression',
    );
    const actions = await lsp.codeActions(
      file,
      ds.filter((d) => d.code === 'SW_YAML_UNQUOTED_EXPR'),
    );
    expect(actions.map((a) => a.edit?.changes?.[uriOf(file)]?.[0].newText)).toEqual(['"{{ response.body.times }}"']);
  });

  it('offers nothing for a diagnostic whose hint names no single change', async () => {
    const broken = GOOD.replace('$round(', '$zzzzzzzz(');
    lsp.change(file, broken);
    const ds = await lsp.waitForDiagnostics(
      file,
      (d) => codes(d).includes('SW_EXPR_UNKNOWN_FUNCTION'),
      'a name with nothing close',
    );
    expect(await lsp.codeActions(file, ds)).toEqual([]);
    lsp.change(file, GOOD);
    await lsp.waitForDiagnostics(file, (d) => d.length === 0, 'back to the good file');
  });
});

describe('slotwire lsp: completion, hover, definition', () => {
  /** The file with `line` put after the line that holds `after`, and the position at its end. */
  const typed = (after: string, line: string): { text: string; at: ReturnType<typeof positionOf> } => {
    const end = GOOD.indexOf('\n', GOOD.indexOf(after)) + 1;
    const text = `${GOOD.slice(0, end)}${line}\n${GOOD.slice(end)}`;
    return { text, at: { line: GOOD.slice(0, end).split('\n').length - 1, character: line.length } };
  };

  it("completes an action's keys from the schema", async () => {
    const { text, at } = typed('description: Whether a table is free.', '    ');
    lsp.change(file, text);
    const labels = (await lsp.completion(file, at)).map((i) => i.label);
    expect(labels).toEqual(expect.arrayContaining(['request', 'steps', 'slots', 'responses', 'on_error']));
    expect(labels).not.toContain('base_url');
  });

  it('completes domain slots after slots. in {{ }} and as keys under slots:', async () => {
    const inExpr = typed('party: "{{ $round', '        time: "{{ slots.');
    lsp.change(file, inExpr.text);
    const inside = await lsp.completion(file, inExpr.at);
    expect(inside.map((i) => i.label).sort()).toEqual(
      ['available_times', 'has_availability', 'lookup_status', 'party_size', 'restaurant_id'].sort(),
    );
    expect(inside.find((i) => i.label === 'party_size')?.detail).toBe('float');
    const asKey = typed('has_availability: "{{', '      ');
    lsp.change(file, asKey.text);
    expect((await lsp.completion(file, asKey.at)).map((i) => i.label)).toContain('lookup_status');
  });

  it('completes connection names after connection:', async () => {
    const { text, at } = typed('      path: /hold', '          connection: ');
    lsp.change(file, text);
    expect((await lsp.completion(file, at)).map((i) => i.label)).toEqual(['api']);
  });

  it("completes JSONata's functions after $, with their signatures", async () => {
    const { text, at } = typed('party: "{{ $round', '        limit: "{{ $');
    lsp.change(file, text);
    const items = await lsp.completion(file, at);
    const round = items.find((i) => i.label === '$round');
    expect(round?.detail).toBe('$round(number, precision?)');
    expect(items.map((i) => i.label)).toEqual(expect.arrayContaining(['$uppercase', '$substring', '$now']));
    expect(items.map((i) => i.label)).not.toContain('$eval');
  });

  it('completes fields after response.body. from the fixtures, and step names after steps.', async () => {
    const body = typed('available_times: "{{', '      venue_name: "{{ response.body.venue.');
    lsp.change(file, body.text);
    expect((await lsp.completion(file, body.at)).map((i) => i.label)).toEqual(['name']);
    const top = typed('available_times: "{{', '      venue_name: "{{ response.body.');
    lsp.change(file, top.text);
    expect((await lsp.completion(file, top.at)).map((i) => i.label).sort()).toEqual(['available', 'times', 'venue']);
    const steps = typed('lookup_status: "{{ steps', '      other: "{{ steps.');
    lsp.change(file, steps.text);
    expect((await lsp.completion(file, steps.at)).map((i) => i.label)).toEqual(['hold', 'confirm']);
  });

  it('completes fields after response.body. from response_schema:', async () => {
    writeFileSync(
      join(dir, 'pet.json'),
      JSON.stringify({ definitions: { Pet: { type: 'object', properties: { id: { type: 'integer' }, name: {} } } } }),
    );
    const other = join(dir, 'other.yml');
    const text = `version: 1
connections:
  api:
    base_url: http://api.test
actions:
  get_pet:
    request:
      connection: api
      path: /pet
      response_schema: pet.json#/definitions/Pet
    slots:
      pet_name: "{{ response.body. }}"
`;
    lsp.open(other, text);
    await lsp.waitForDiagnostics(other, () => true, 'the other file is checked');
    const items = await lsp.completion(other, positionOf(text, 'response.body.', 'response.body.'.length));
    expect(items.map((i) => [i.label, i.detail])).toEqual([
      ['id', 'integer'],
      ['name', undefined],
    ]);
    lsp.close(other);
  });

  it('hovers a function, a slot, a response field and a diagnostic', async () => {
    lsp.change(file, GOOD);
    await lsp.waitForDiagnostics(file, (d) => d.length === 0, 'the good file');
    expect(await lsp.hover(file, positionOf(GOOD, '$round', 2))).toContain('$round(number, precision?)');
    const slot = await lsp.hover(file, positionOf(GOOD, 'slots.party_size', 'slots.'.length + 2));
    expect(slot).toContain('float');
    expect(slot).toContain('from_llm');
    const key = await lsp.hover(file, positionOf(GOOD, 'has_availability:', 3));
    expect(key).toContain('bool');
    const field = await lsp.hover(file, positionOf(GOOD, 'response.body.available', 'response.body.'.length + 2));
    expect(field).toContain('boolean');
    expect(field).toContain('`true`');
    const broken = GOOD.replace('$round(', '$rond(');
    lsp.change(file, broken);
    await lsp.waitForDiagnostics(file, (d) => codes(d).includes('SW_EXPR_UNKNOWN_FUNCTION'), 'the diagnostic');
    expect(await lsp.hover(file, positionOf(broken, '$rond', 2))).toContain('Did you mean "$round"?');
  });

  it('goes from a connection to its declaration, a slot to the domain and an action to its test cases', async () => {
    lsp.change(file, GOOD);
    await lsp.waitForDiagnostics(file, (d) => d.length === 0, 'the good file');
    const [connection] = await lsp.definition(file, positionOf(GOOD, 'connection: api', 'connection: '.length + 1));
    expect(connection).toEqual({
      uri: uriOf(file),
      range: { start: positionOf(GOOD, 'api:'), end: positionOf(GOOD, 'api:') },
    });
    const [slot] = await lsp.definition(file, positionOf(GOOD, 'slots.restaurant_id', 'slots.'.length + 3));
    expect(slot.uri).toBe(uriOf(join(project, 'domain.yml')));
    expect(slot.range.start).toEqual(positionOf(DOMAIN, 'restaurant_id'));
    const [test] = await lsp.definition(file, positionOf(GOOD, 'check_availability:', 2));
    expect(test.uri).toBe(uriOf(testFile));
    expect(test.range.start).toEqual(positionOf(TESTS, 'name: a table'));
  });
});

describe('slotwire lsp: the process', () => {
  it('exits 0 after shutdown and exit', async () => {
    const own = await startLsp([], { cwd: project });
    expect(await own.stop()).toBe(0);
  });

  it('exits 1 on exit without shutdown, and when stdin closes', async () => {
    const early = await startLsp([], { cwd: project });
    const exited = new Promise<number | null>((done) => early.child.once('exit', (code) => done(code)));
    const { ExitNotification } = await import('vscode-languageserver-protocol/node.js');
    await early.connection.sendNotification(ExitNotification.type);
    expect(await exited).toBe(1);
    const closed = await startLsp([], { cwd: project });
    const gone = new Promise<number | null>((done) => closed.child.once('exit', (code) => done(code)));
    closed.child.stdin.end();
    expect(typeof (await gone)).toBe('number');
  });

  it('says nothing on stderr in a normal session, and refuses an unknown flag with exit 2', async () => {
    expect(lsp.stderr()).toBe('');
    const wrong = await runBuiltCli(['lsp', '--socket', '1']);
    expect(wrong.code).toBe(2);
    expect(wrong.err.trim().split('\n')).toHaveLength(1);
  });
});
