// slotwire import curl (docs/import.md#slotwire-import-curl): the cURL examples of several API docs
// (test/data/curl/examples.txt) are sent by the real curl binary and, imported,
// by slotwire to the same loopback server, and the two requests are compared;
// then the tokenizer, each flag, the errors and the secrets, case by case.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../runtime/index.js';
import { actionName, connectionNameOf, CurlImportError, importCurl } from '../../runtime/import/curl.js';
import { shellCommands } from '../../runtime/import/curl-words.js';
import type { Draft, DraftAction } from '../../runtime/import/draft.js';
import { draftToYaml } from '../../runtime/import/emit.js';
import { needs, programPath } from '../support/services.js';

const run = promisify(execFile);
const CURL = programPath('curl') ?? 'curl';
const BASH = '/bin/bash';

// ---------------------------------------------------------------------------
// The examples file

interface Example {
  readonly id: string;
  readonly source: string;
  readonly command: string;
  readonly connection?: string;
  readonly action?: string;
  readonly exact?: readonly string[];
  readonly error?: string;
}

function loadExamples(): Example[] {
  const text = readFileSync(new URL('../data/curl/examples.txt', import.meta.url), 'utf8');
  return text
    .split(/^### /m)
    .slice(1)
    .map((block) => {
      const [id = '', ...lines] = block.split('\n');
      const meta: Record<string, string> = {};
      const command: string[] = [];
      for (const line of lines) {
        const m = /^# (source|connection|action|exact|error): (.*)$/.exec(line);
        if (m) meta[m[1]] = m[2].trim();
        else command.push(line);
      }
      return {
        id: id.trim(),
        source: meta['source'] ?? '',
        command: command.join('\n').trim(),
        ...(meta['connection'] ? { connection: meta['connection'] } : {}),
        ...(meta['action'] ? { action: meta['action'] } : {}),
        ...(meta['exact'] ? { exact: meta['exact'].split(',').map((s) => s.trim()) } : {}),
        ...(meta['error'] ? { error: meta['error'] } : {}),
      };
    });
}

const examples = loadExamples();

// ---------------------------------------------------------------------------
// The loopback capture server: what each client sent, byte for byte

interface Captured {
  readonly method: string;
  /** The request-target: path and query as sent. */
  readonly target: string;
  /** Lower-case name → values of repeated lines joined with ", " (RFC 9110 §5.3). */
  readonly headers: Map<string, string>;
  readonly body: Buffer;
}

let server: Server;
let origin: string;
const captured: Captured[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = new Map<string, string>();
      for (let i = 0; i < req.rawHeaders.length; i += 2) {
        const name = req.rawHeaders[i].toLowerCase();
        const value = req.rawHeaders[i + 1];
        headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value);
      }
      captured.push({ method: req.method ?? '', target: req.url ?? '', headers, body: Buffer.concat(chunks) });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** The words of the command's curl invocation, as the shell would pass them. */
function curlArgv(command: string): string[] {
  const cmd = shellCommands(command).find((c) => c.words[0]?.text === 'curl');
  if (!cmd) throw new Error('no curl command');
  return cmd.words.slice(1).map((w) => w.text);
}

/** Runs the real curl with the command's words, its origin pointed at the capture server. */
async function sendWithCurl(command: string, apiOrigin: string): Promise<Captured> {
  captured.length = 0;
  const argv = curlArgv(command).map((w) => w.replaceAll(apiOrigin, origin));
  // -q: no ~/.curlrc; a bare environment: no proxy variables between curl and the loopback server.
  await run(CURL, ['-q', '-sS', '-o', '/dev/null', ...argv], {
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
    timeout: 10_000,
  });
  expect(captured).toHaveLength(1);
  return captured[0];
}

/** Writes the draft as actions.yml (base_url on the capture server), runs its action through the engine. */
async function sendWithSlotwire(draft: Draft, env: Record<string, string>): Promise<Captured> {
  captured.length = 0;
  const local: Draft = { ...draft, connection: { ...draft.connection, baseUrl: origin } };
  const dir = await mkdtemp(join(tmpdir(), 'slotwire-curl-'));
  try {
    const file = join(dir, 'actions.yml');
    await writeFile(file, draftToYaml(local));
    const engine = await createEngine({ actionsFile: file, env });
    try {
      const result = await engine.run(draft.actions[0].name, {});
      expect(result.outcome).toEqual({ status: 'ok' });
    } finally {
      await engine.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  expect(captured).toHaveLength(1);
  return captured[0];
}

/**
 * The `${VAR}`s of the connection, set to what curl sent in their place:
 * the credentials of the command reach the API through the environment.
 */
function envFromCurl(draft: Draft, sent: Captured): Record<string, string> {
  const env: Record<string, string> = {};
  const bind = (template: string, actual: string | null | undefined): void => {
    const names: string[] = [];
    const pattern = template
      .split(/(\$\{[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\})/)
      .map((part) => {
        const ref = /^\$\{([A-Za-z_][A-Za-z0-9_]*)/.exec(part);
        if (ref && part.endsWith('}')) {
          names.push(ref[1]);
          return '(.*)';
        }
        return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('');
    const match = new RegExp(`^${pattern}$`, 's').exec(actual ?? '');
    expect(match, `curl sent nothing for ${template}`).not.toBeNull();
    names.forEach((name, i) => {
      env[name] = (match as RegExpExecArray)[i + 1];
    });
  };
  const auth = draft.connection.auth;
  if (auth?.type === 'bearer') bind(`Bearer ${auth.token}`, sent.headers.get('authorization'));
  if (auth?.type === 'basic') {
    const decoded = Buffer.from((sent.headers.get('authorization') ?? '').replace(/^Basic /, ''), 'base64').toString(
      'utf8',
    );
    const colon = decoded.indexOf(':');
    bind(auth.username, decoded.slice(0, colon));
    bind(auth.password, decoded.slice(colon + 1));
  }
  if (auth?.type === 'api_key' && auth.in === 'header') bind(auth.value, sent.headers.get(auth.name.toLowerCase()));
  if (auth?.type === 'api_key' && auth.in === 'query')
    bind(auth.value, new URLSearchParams(sent.target.split('?')[1] ?? '').get(auth.name));
  for (const [name, value] of Object.entries(draft.connection.headers ?? {}))
    bind(value, sent.headers.get(name.toLowerCase()));
  return env;
}

/**
 * Headers one client sends of its own accord, compared by what they are,
 * not by value. Every other header curl sent must come from slotwire with
 * the same value, and slotwire must send nothing else.
 */
function headerExceptions(action: DraftAction, sentByCurl: Captured): Record<string, string> {
  const written = new Set(Object.keys(action.headers).map((h) => h.toLowerCase()));
  const out: Record<string, string> = {
    // undici keeps connections alive and says so; curl's HTTP/1.1 connections are persistent without the header (RFC 9112 §9.3).
    connection: 'keep-alive from slotwire only',
  };
  // Each client names itself (curl/7.88.1, slotwire), unless the command sets User-Agent; then it is compared.
  if (!written.has('user-agent')) out['user-agent'] = 'the client names itself';
  // curl's default */* and slotwire's application/json, */*;q=0.8 both take any answer; slotwire prefers the JSON it maps.
  if (!written.has('accept')) out['accept'] = "each client's default";
  // A JSON body without -H Content-Type: curl labels it form-urlencoded, slotwire application/json.
  if (
    action.body?.kind === 'json' &&
    !written.has('content-type') &&
    sentByCurl.headers.get('content-type') === 'application/x-www-form-urlencoded'
  ) {
    out['content-type'] = 'curl mislabels JSON sent with -d alone';
  }
  return out;
}

/** The request parts that are byte-identical, after checking the rest is equal decoded. */
function compareRequests(draft: Draft, byCurl: Captured, bySlotwire: Captured): string[] {
  const action = draft.actions[0];
  const exact: string[] = [];
  expect(bySlotwire.method).toBe(byCurl.method);

  const [curlPath, curlQuery = ''] = splitTarget(byCurl.target);
  const [swPath, swQuery = ''] = splitTarget(bySlotwire.target);
  expect(swPath).toBe(curlPath);
  exact.push('path');
  if (swQuery === curlQuery) exact.push('query');
  else {
    // Decoded, the pairs are the same; slotwire adds an API key parameter after the request's own.
    const auth = draft.connection.auth;
    const keyName = auth?.type === 'api_key' && auth.in === 'query' ? auth.name : null;
    const curlPairs = [...new URLSearchParams(curlQuery)];
    const ordered = [...curlPairs.filter(([k]) => k !== keyName), ...curlPairs.filter(([k]) => k === keyName)];
    expect([...new URLSearchParams(swQuery)]).toEqual(ordered);
  }

  if (bySlotwire.body.equals(byCurl.body)) exact.push('body');
  else if (action.body?.kind === 'json') {
    // Only the spacing differs: slotwire sends JSON.stringify of the same value.
    expect(bySlotwire.body.toString('utf8')).toBe(JSON.stringify(JSON.parse(byCurl.body.toString('utf8'))));
  } else if (action.body?.kind === 'form') {
    // The same fields; slotwire writes them as URLSearchParams does (spaces as +).
    const pairs = [...new URLSearchParams(byCurl.body.toString('utf8'))];
    expect([...new URLSearchParams(bySlotwire.body.toString('utf8'))]).toEqual(pairs);
    expect(bySlotwire.body.toString('utf8')).toBe(new URLSearchParams(pairs).toString());
  } else {
    expect.fail(`a ${action.body?.kind ?? 'missing'} body must be sent byte for byte`);
  }

  const exceptions = headerExceptions(action, byCurl);
  for (const [name, value] of byCurl.headers) {
    if (name in exceptions || name === 'content-length') continue;
    expect(bySlotwire.headers.get(name), `header ${name}`).toBe(value);
  }
  for (const name of bySlotwire.headers.keys()) {
    if (!(name in exceptions) && name !== 'content-length')
      expect(byCurl.headers.has(name), `slotwire sent ${name}, curl did not`).toBe(true);
  }
  // Content-Length follows the body: the same whenever the bodies are.
  const length = bySlotwire.body.length === 0 ? undefined : String(bySlotwire.body.length);
  expect(bySlotwire.headers.get('content-length')).toBe(length);
  if (exact.includes('body'))
    expect(bySlotwire.headers.get('content-length')).toBe(byCurl.headers.get('content-length'));
  // The exceptions are what they are said to be.
  if ('user-agent' in exceptions) {
    expect(byCurl.headers.get('user-agent')).toMatch(/^curl\//);
    expect(bySlotwire.headers.get('user-agent')).toBe('slotwire');
  }
  if ('accept' in exceptions) {
    expect(byCurl.headers.get('accept')).toBe('*/*');
    expect(bySlotwire.headers.get('accept')).toBe('application/json, */*;q=0.8');
  }
  if ('content-type' in exceptions) expect(bySlotwire.headers.get('content-type')).toBe('application/json');
  return exact;
}

function splitTarget(target: string): [string, string?] {
  const q = target.indexOf('?');
  return q === -1 ? [target] : [target.slice(0, q), target.slice(q + 1)];
}

/** Imports, sends both ways, compares; returns the draft and which parts were byte-identical. */
async function roundTrip(command: string): Promise<{ draft: Draft; exact: string[]; env: Record<string, string> }> {
  const draft = importCurl(command);
  const byCurl = await sendWithCurl(command, draft.connection.baseUrl);
  const env = envFromCurl(draft, byCurl);
  const bySlotwire = await sendWithSlotwire(draft, env);
  return { draft, exact: compareRequests(draft, byCurl, bySlotwire), env };
}

/** What a YAML must not contain: the variables' names are references, not values. */
function withoutNames(yaml: string, draft: Draft): string {
  return draft.variables.reduce((text, v) => text.replaceAll(v.name, ''), yaml);
}

const withCurl = needs('curl');
const hasCurl = programPath('curl') !== null;
/**
 * The importer follows curl 7.88's encoding where it changes bytes (spaces
 * as + in --data-urlencode, lower-case hex in what -G appends). With
 * another curl the requests must still be equal decoded; which parts are
 * also byte-identical is only asserted for the version it was written for.
 */
let curlIs788 = false;
beforeAll(async () => {
  if (hasCurl) curlIs788 = (await run(CURL, ['--version'])).stdout.startsWith('curl 7.88.');
});

// ---------------------------------------------------------------------------

describe('round trip of API docs examples (test/data/curl/examples.txt)', () => {
  it('holds at least 8 documented requests, each with its source', () => {
    const requests = examples.filter((e) => e.error === undefined);
    expect(requests.length).toBeGreaterThanOrEqual(8);
    for (const e of examples) expect(e.source, e.id).toMatch(/^https:\/\//);
    expect(new Set(examples.map((e) => e.id)).size).toBe(examples.length);
  });

  for (const example of examples) {
    // oxlint-disable-next-line vitest/no-conditional-tests -- each example is either a refusal or a round trip, with a test of its kind
    if (example.error !== undefined) {
      it(`${example.id}: refused with ${example.error}`, () => {
        expect(() => importCurl(example.command)).toThrow(CurlImportError);
        expect(catchCurl(() => importCurl(example.command))).toMatchObject({ code: example.error });
      });
      continue;
    }
    withCurl.it(`${example.id}: slotwire sends what curl sends`, async () => {
      const { draft, exact, env } = await roundTrip(example.command);
      expect(draft.connection.name).toBe(example.connection);
      expect(draft.actions[0]?.name).toBe(example.action);
      if (curlIs788) expect(exact).toEqual(example.exact);
      // No credential of the command is written anywhere (user names that are also in the URL aside).
      const yaml = withoutNames(draftToYaml(draft), draft);
      const auth = draft.connection.auth;
      for (const [name, value] of Object.entries(env)) {
        const isUser = auth?.type === 'basic' && auth.username === `\${${name}}`;
        if (value.length < 4 || /^\$[A-Za-z_]\w*$/.test(value) || (isUser && example.command.includes(`/${value}/`)))
          continue;
        expect(yaml, `${name} leaked`).not.toContain(value);
      }
    });
  }

  it.skipIf(!existsSync(BASH))('splits every example into the words bash passes to curl', async () => {
    for (const example of examples) {
      const vars = [...new Set(shellCommands(example.command).flatMap((c) => c.words.flatMap((w) => w.vars)))];
      // Each variable set to its own reference, so bash's expansion leaves it as the importer keeps it.
      const env = Object.fromEntries([
        ['PATH', process.env['PATH'] ?? '/usr/bin:/bin'],
        ...vars.map((v) => [v, `$${v}`]),
      ]);
      const script = `words() { printf '%s\\0' "$@"; }\n${example.command.replace(/^curl\b/m, 'words')}`;
      const { stdout } = await run(BASH, ['--norc', '--noprofile', '-c', script], { env });
      expect(curlArgv(example.command), example.id).toEqual(stdout.split('\0').slice(0, -1));
    }
  });
});

// Requests the docs examples do not cover: each body kind's fallback, headers, flags.
const synthetic: ReadonlyArray<{
  readonly title: string;
  readonly command: string;
  readonly exact: readonly string[];
  readonly check?: (d: Draft) => void;
}> = [
  {
    title: 'a JSON body with its own content type and every JSON type',
    command: `curl -X PUT https://api.example.com/v1/items/42 -H 'Content-Type: application/json; charset=utf-8' -H 'X-Request-Source: docs' -d '{"name":"Widget","price":9.5,"tags":["a","b"],"active":true,"note":null}'`,
    exact: ['path', 'query', 'body'],
    check: (d) =>
      expect(d.actions[0]).toMatchObject({
        method: 'PUT',
        headers: { 'Content-Type': 'application/json; charset=utf-8', 'X-Request-Source': 'docs' },
        body: { kind: 'json', value: { price: 9.5, active: true, note: null } },
      }),
  },
  {
    title: '--json (content type and accept)',
    command: `curl --json '{"q":"x"}' https://api.example.com/search`,
    exact: ['path', 'query', 'body'],
    check: (d) =>
      expect(d.actions[0]).toMatchObject({
        method: 'POST',
        headers: { Accept: 'application/json' },
        body: { kind: 'json' },
      }),
  },
  {
    title: 'a repeated form field, sent as text',
    command: `curl https://api.example.com/v1/things -d 'tag=a&tag=b'`,
    exact: ['path', 'query', 'body'],
    check: (d) =>
      expect(d.actions[0]).toMatchObject({
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: { kind: 'text', value: 'tag=a&tag=b' },
      }),
  },
  {
    title: '-G with --data-urlencode and a name without value, kept in the path',
    command: `curl -G https://api.example.com/v1/find --data-urlencode 'q=café au lait' -d flag`,
    exact: ['path', 'query', 'body'],
    // curl writes the percent-encoding it appends to the URL in lower case.
    check: (d) =>
      expect(d.actions[0]).toMatchObject({ method: 'GET', path: '/v1/find?q=caf%c3%a9+au+lait&flag', query: {} }),
  },
  {
    title: 'user agent, referer, an empty header and a repeated one',
    command: `curl -sSL -A 'docs-example/1.0' -e 'https://example.com/page;auto' -H 'X-Empty;' -H 'X-Trace: 1' -H 'x-trace: 2' https://api.example.com/v1/ping`,
    exact: ['path', 'query', 'body'],
    check: (d) =>
      expect(d.actions[0]?.headers).toEqual({
        'User-Agent': 'docs-example/1.0',
        Referer: 'https://example.com/page',
        'X-Empty': '',
        'X-Trace': '1, 2',
      }),
  },
  {
    title: 'another Authorization scheme, kept before the variable',
    command: `curl -X DELETE 'https://api.example.com/v1/items/42?force=true' -H 'Authorization: token ghp_abcdef123456'`,
    exact: ['path', 'query', 'body'],
    check: (d) =>
      expect(d.connection.auth).toEqual({
        type: 'api_key',
        in: 'header',
        name: 'Authorization',
        value: 'token ${EXAMPLE_API_KEY}',
      }),
  },
  {
    title: 'a text body with line breaks',
    command: `curl https://api.example.com/v1/notes -H 'Content-Type: text/plain' --data-binary $'line one\\nline two'`,
    exact: ['path', 'query', 'body'],
    check: (d) =>
      expect(d.actions[0]).toMatchObject({
        headers: { 'Content-Type': 'text/plain' },
        body: { kind: 'text', value: 'line one\nline two' },
      }),
  },
  {
    title: 'basic auth and a second key header in the connection',
    command: `curl -u 'bot:s3cr3t pass' -H 'X-Api-Key: key-123456' https://api.example.com/v1/me`,
    exact: ['path', 'query', 'body'],
    check: (d) =>
      expect(d.connection).toMatchObject({
        auth: { type: 'basic', username: '${EXAMPLE_USERNAME}', password: '${EXAMPLE_PASSWORD}' },
        headers: { 'X-Api-Key': '${EXAMPLE_API_KEY}' },
      }),
  },
  {
    title: 'HEAD with -I',
    command: 'curl -I https://api.example.com/health',
    exact: ['path', 'query', 'body'],
    check: (d) => expect(d.actions[0]).toMatchObject({ method: 'HEAD', name: 'head_health' }),
  },
  {
    title: 'JSON with an integer past 2^53, sent as text',
    command: `curl https://api.example.com/v1/ids -H 'Content-Type: application/json' -d '{"id": 12345678901234567890}'`,
    exact: ['path', 'query', 'body'],
    check: (d) => expect(d.actions[0]?.body).toMatchObject({ kind: 'text' }),
  },
  {
    title: 'literal {{ and ${ in a JSON body',
    command: `curl https://api.example.com/v1/templates -H 'Content-Type: application/json' -d '{"template":"Hello {{name}}","cost":"\${price}"}'`,
    exact: ['path', 'query', 'body'],
    check: (d) =>
      expect(d.actions[0]?.body).toEqual({
        kind: 'json',
        value: { template: '{{ "Hello {{name}}" }}', cost: '$${price}' },
      }),
  },
  {
    title: 'a GET with a body (-X GET -d)',
    command: `curl -X GET https://api.example.com/v1/search -d 'q=x'`,
    exact: ['path', 'query', 'body'],
    check: (d) => expect(d.actions[0]).toMatchObject({ method: 'GET', body: { kind: 'form', fields: { q: 'x' } } }),
  },
  {
    title: 'query values re-encoded, same pairs',
    command: `curl 'https://api.example.com/v1/search?q=a+b&where=x,y&t=%7E'`,
    exact: ['path', 'body'],
    check: (d) => expect(d.actions[0]?.query).toEqual({ q: 'a b', where: 'x,y', t: '~' }),
  },
];

describe('round trip of requests beyond the examples', () => {
  for (const c of synthetic) {
    withCurl.it(`${c.title}: slotwire sends what curl sends`, async () => {
      const { draft, exact } = await roundTrip(c.command); // compareRequests asserts the method, path, query, headers and body curl sent
      expect(draft.actions).toHaveLength(1);
      c.check?.(draft);
      if (curlIs788) expect(exact).toEqual(c.exact);
    });
  }
});

// ---------------------------------------------------------------------------

function words(text: string): string[][] {
  return shellCommands(text).map((c) => c.words.map((w) => w.text));
}

function catchCurl(f: () => unknown): CurlImportError {
  try {
    f();
  } catch (err) {
    if (err instanceof CurlImportError) return err;
    throw err;
  }
  throw new Error('no CurlImportError');
}

function action(command: string): DraftAction {
  return importCurl(command).actions[0];
}

describe('shell words', () => {
  it('joins quoted and unquoted parts of one word', () => {
    expect(words(`a 'b c'"d"e f`)).toEqual([['a', 'b cde', 'f']]);
  });

  it('reads the four escapes of double quotes and keeps other backslashes', () => {
    expect(words(String.raw`x "a\"b\$c\\d\e"`)).toEqual([['x', 'a"b$c\\d\\e']]);
  });

  it('removes backslash-newline outside quotes and in double quotes, not in single quotes', () => {
    expect(words('a \\\n b "c\\\nd" \'e\\\nf\'')).toEqual([['a', 'b', 'cd', 'e\\\nf']]);
    expect(words('a \\\r\n b')).toEqual([['a', 'b']]);
  });

  it("reads $'…' ANSI-C quoting", () => {
    expect(words(String.raw`x $'a\nb\x41\u00e9\'\t'`)).toEqual([['x', "a\nbAé'\t"]]);
  });

  it('keeps variables as written and records the expanded ones', () => {
    const [cmd] = shellCommands(`x "Bearer $TOKEN" '$id' \${HOST}.x $ y`);
    expect(cmd?.words.map((w) => [w.text, w.vars])).toEqual([
      ['x', []],
      ['Bearer $TOKEN', ['TOKEN']],
      ['$id', []],
      ['${HOST}.x', ['HOST']],
      ['$', []],
      ['y', []],
    ]);
  });

  it('ends a command at operators, newlines and comments', () => {
    expect(shellCommands('curl x | jq .').map((c) => [c.words.map((w) => w.text), c.end])).toEqual([
      [['curl', 'x'], '|'],
      [['jq', '.'], ''],
    ]);
    expect(words('curl x 2>/dev/null')).toEqual([['curl', 'x'], ['/dev/null']]);
    expect(words('# a comment\ncurl x # the end')).toEqual([['curl', 'x']]);
    expect(words('a=1\ncurl x && echo')).toEqual([['a=1'], ['curl', 'x'], ['echo']]);
  });

  it('refuses unclosed quotes and command substitution', () => {
    for (const bad of [`curl 'x`, `curl "x`, `curl $'x`, 'curl $(cat key)', 'curl `cat key`', 'curl "$(cat key)"']) {
      expect(
        catchCurl(() => importCurl(bad)),
        bad,
      ).toMatchObject({ code: 'SW_CURL_SYNTAX' });
    }
  });
});

describe('importCurl: the command as pasted', () => {
  it('accepts a $ prompt, VAR= prefixes, a missing curl and what follows the command', () => {
    expect(action('$ curl https://api.example.com/v1/users')).toMatchObject({ method: 'GET', path: '/v1/users' });
    expect(action('A=1 curl https://api.example.com/v1/users')).toMatchObject({ path: '/v1/users' });
    expect(action('-X POST https://api.example.com/v1/users')).toMatchObject({ method: 'POST' });
    expect(action('curl -s https://api.example.com/v1/users | jq .').notes?.join(' ')).toContain('not imported');
  });

  it('refuses typographic quotes from a prettified page', () => {
    expect(catchCurl(() => importCurl('curl -H \u201cAccept: x\u201d https://api.example.com/a'))).toMatchObject({
      code: 'SW_CURL_SYNTAX',
    });
    expect(action(`curl -d '{"t":"Here\u2019s one"}' https://api.example.com/a`).body).toEqual({
      kind: 'json',
      value: { t: 'Here\u2019s one' },
    });
  });

  it('refuses an unquoted & that would cut the URL', () => {
    expect(catchCurl(() => importCurl('curl https://api.example.com/a?x=1&y=2'))).toMatchObject({
      code: 'SW_CURL_SYNTAX',
    });
    expect(action(`curl 'https://api.example.com/a?x=1&y=2'`).query).toEqual({ x: '1', y: '2' });
  });

  it('refuses text without a curl command', () => {
    expect(catchCurl(() => importCurl('wget https://example.com'))).toMatchObject({ code: 'SW_CURL_NOT_CURL' });
  });
});

describe('importCurl: flags', () => {
  it('-X/--request sets the method; POST with data, GET without, HEAD with -I', () => {
    expect(action('curl -X PATCH https://api.example.com/a').method).toBe('PATCH');
    expect(action('curl --request DELETE https://api.example.com/a').method).toBe('DELETE');
    expect(action('curl -XPOST https://api.example.com/a').method).toBe('POST');
    expect(action('curl -d a=1 https://api.example.com/a').method).toBe('POST');
    expect(action('curl https://api.example.com/a').method).toBe('GET');
    expect(action('curl -I https://api.example.com/a').method).toBe('HEAD');
    const lower = action('curl -X post https://api.example.com/a');
    expect(lower.method).toBe('POST');
    expect(lower.notes?.join(' ')).toContain('-X post');
  });

  it('-H/--header: repeatable, combined, empty with "Name;", removed with "Name:"', () => {
    expect(
      action(`curl -H 'X-A: 1' --header 'X-B:2' -HX-C:3 -H 'X-D;' -H 'X-E:' https://api.example.com/a`).headers,
    ).toEqual({ 'X-A': '1', 'X-B': '2', 'X-C': '3', 'X-D': '' });
  });

  it('-d, --data, --data-raw, --data-binary, --data-ascii, --data-urlencode are joined with & as curl does', () => {
    const a = action(
      `curl https://api.example.com/a -d a=1 --data b=2 --data-raw c=@3 --data-binary d=4 --data-ascii e=5 --data-urlencode 'f=x y&z'`,
    );
    expect(a.body).toEqual({ kind: 'form', fields: { a: '1', b: '2', c: '@3', d: '4', e: '5', f: 'x y&z' } });
  });

  it('--data-urlencode: =content and content alone are encoded without a name', () => {
    expect(action(`curl https://api.example.com/a --data-urlencode '=a b' -H 'Content-Type: text/plain'`).body).toEqual(
      { kind: 'text', value: 'a+b' },
    );
  });

  it('@file in data is refused, except with --data-raw', () => {
    for (const flag of ['-d', '--data', '--data-binary', '--data-ascii', '--json']) {
      expect(
        catchCurl(() => importCurl(`curl https://api.example.com/a ${flag} @body.json`)),
        flag,
      ).toMatchObject({ code: 'SW_CURL_READS_FILE' });
    }
    expect(catchCurl(() => importCurl(`curl https://api.example.com/a --data-urlencode name@file.txt`))).toMatchObject({
      code: 'SW_CURL_READS_FILE',
    });
    expect(catchCurl(() => importCurl(`curl https://api.example.com/a -H @headers.txt`))).toMatchObject({
      code: 'SW_CURL_READS_FILE',
    });
    expect(catchCurl(() => importCurl(`curl https://api.example.com/a -T file.bin`))).toMatchObject({
      code: 'SW_CURL_READS_FILE',
    });
  });

  it('--json sets POST, a JSON body and Accept: application/json', () => {
    expect(action(`curl --json '{"a":[1,2]}' https://api.example.com/a`)).toMatchObject({
      method: 'POST',
      headers: { Accept: 'application/json' },
      body: { kind: 'json', value: { a: [1, 2] } },
    });
  });

  it('-G/--get puts the data in the query', () => {
    expect(action('curl -G https://api.example.com/a?x=0 -d a=1 --data-urlencode "b=c d"')).toMatchObject({
      method: 'GET',
      path: '/a',
      query: { x: '0', a: '1', b: 'c d' },
      body: null,
    });
    expect(action('curl --get https://api.example.com/a -d a=1').query).toEqual({ a: '1' });
    // curl refuses a space in what -G appends (error 3).
    expect(catchCurl(() => importCurl(`curl -G https://api.example.com/a -d 'q=a b'`))).toMatchObject({
      code: 'SW_CURL_URL',
    });
  });

  it('-u/--user is basic auth; a missing password is a note', () => {
    expect(importCurl('curl -u bot:pw https://api.example.com/a').connection.auth).toEqual({
      type: 'basic',
      username: '${EXAMPLE_USERNAME}',
      password: '${EXAMPLE_PASSWORD}',
    });
    expect(importCurl('curl --user key: https://api.example.com/a').connection.auth).toEqual({
      type: 'basic',
      username: '${EXAMPLE_USERNAME}',
      password: '${EXAMPLE_PASSWORD:-}',
    });
    expect(action('curl -u bot https://api.example.com/a').notes?.join(' ')).toContain('no password');
    // -u key: is an API key as the user name: a secret, said so.
    expect(importCurl('curl -u sk_test_0123456789: https://api.example.com/a').variables[0]?.why).toContain('API key');
  });

  it('-F/--form is refused: slotwire sends JSON, form-urlencoded or text', () => {
    expect(catchCurl(() => importCurl('curl -F a=1 https://api.example.com/a'))).toMatchObject({
      code: 'SW_CURL_MULTIPART',
    });
    expect(catchCurl(() => importCurl('curl --form-string a=1 https://api.example.com/a'))).toMatchObject({
      code: 'SW_CURL_MULTIPART',
    });
  });

  it('--url names the URL; a second URL is refused', () => {
    expect(action('curl --url https://api.example.com/v1/a').path).toBe('/v1/a');
    expect(catchCurl(() => importCurl('curl https://api.example.com/a https://api.example.com/b'))).toMatchObject({
      code: 'SW_CURL_URL',
    });
  });

  it('-A/--user-agent and -e/--referer become headers', () => {
    expect(action(`curl -A 'bot/1' --referer https://example.com/ https://api.example.com/a`).headers).toEqual({
      'User-Agent': 'bot/1',
      Referer: 'https://example.com/',
    });
    expect(action(`curl -A '' https://api.example.com/a`).notes?.join(' ')).toContain('no User-Agent');
  });

  it('-b/--cookie and Cookie headers are not written, with a note', () => {
    for (const c of [
      `curl -b 'session=abc123' https://api.example.com/a`,
      `curl -H 'Cookie: session=abc123' https://api.example.com/a`,
    ]) {
      const d = importCurl(c);
      expect(JSON.stringify(d), c).not.toContain('abc123');
      expect(d.actions[0]?.notes?.join(' ')).toContain('cookies');
    }
  });

  it('--compressed, -k, -L, timeouts and --retry are notes', () => {
    const notes =
      action(
        'curl --compressed -k -L --max-time 30 --connect-timeout 2 --retry 3 https://api.example.com/a',
      ).notes?.join('\n') ?? '';
    expect(notes).toContain('--compressed');
    expect(notes).toContain('always verifies TLS');
    expect(notes).toContain('redirects');
    expect(notes).toContain('timeout: 30s');
    expect(notes).toContain('connect_timeout: 2s');
    expect(notes).toContain('attempts: 4');
  });

  it('-s, -S, -v, -i, -o, -f, --fail, -m and curl output flags change nothing sent', () => {
    const plain = action('curl https://api.example.com/a');
    const flags = action(
      'curl -s -S -v -i -o out.json -f --fail -sS -sSfL -w "%{http_code}" --no-progress-meter https://api.example.com/a',
    );
    expect({ ...flags, notes: [] }).toEqual({ ...plain, notes: [] });
    expect(action('curl -m 5 https://api.example.com/a').notes?.join(' ')).toContain('timeout: 5s');
  });

  it('--oauth2-bearer is bearer auth', () => {
    expect(importCurl('curl --oauth2-bearer tok_123456 https://api.example.com/a').connection.auth).toEqual({
      type: 'bearer',
      token: '${EXAMPLE_TOKEN}',
    });
  });

  it('combined short flags read their argument from the rest of the word or the next', () => {
    expect(action(`curl -sXPUT -HAccept:text/csv https://api.example.com/a`)).toMatchObject({
      method: 'PUT',
      headers: { Accept: 'text/csv' },
    });
    expect(action(`curl -sSd a=1 https://api.example.com/a`).body).toEqual({ kind: 'form', fields: { a: '1' } });
  });

  it('an unknown flag is an error naming it', () => {
    expect(catchCurl(() => importCurl('curl --frobnicate https://api.example.com/a'))).toMatchObject({
      code: 'SW_CURL_UNKNOWN_FLAG',
      message: expect.stringContaining('--frobnicate'),
    });
    expect(catchCurl(() => importCurl('curl -sZ https://api.example.com/a'))).toMatchObject({
      code: 'SW_CURL_UNKNOWN_FLAG',
      message: expect.stringContaining('-Z'),
    });
    expect(catchCurl(() => importCurl('curl --data=a https://api.example.com/a')).message).toContain('no --flag=value');
  });

  it('flags slotwire cannot express are errors naming them', () => {
    for (const [command, code] of [
      ['curl --digest -u a:b https://api.example.com/a', 'SW_CURL_UNSUPPORTED'],
      ['curl -H "Host: other.example.com" https://api.example.com/a', 'SW_CURL_UNSUPPORTED'],
      ['curl -X PURGE https://api.example.com/a', 'SW_CURL_METHOD'],
      ['curl -I -d a=1 https://api.example.com/a', 'SW_CURL_METHOD'],
      ['curl -X', 'SW_CURL_MISSING_ARGUMENT'],
      ['curl -s', 'SW_CURL_URL'],
    ] as const) {
      expect(
        catchCurl(() => importCurl(command)),
        command,
      ).toMatchObject({ code });
    }
  });
});

describe('importCurl: the URL', () => {
  it('splits the origin from the path; the query becomes fields', () => {
    const d = importCurl('curl "https://api.example.com:8443/v1/users/../items/./42?limit=10&sort=name#top"');
    expect(d.connection.baseUrl).toBe('https://api.example.com:8443');
    expect(d.actions[0]).toMatchObject({ path: '/v1/items/42', query: { limit: '10', sort: 'name' } });
    expect(action('curl --path-as-is https://api.example.com/a/../b').path).toBe('/a/../b');
  });

  it('uses http when the URL has no scheme, and says so', () => {
    const d = importCurl('curl api.example.com/v1/a');
    expect(d.connection.baseUrl).toBe('http://api.example.com');
    expect(d.actions[0]?.notes?.join(' ')).toContain('no scheme');
  });

  it('refuses globs that make several requests, unless -g', () => {
    expect(catchCurl(() => importCurl('curl https://api.example.com/{a,b}'))).toMatchObject({ code: 'SW_CURL_URL' });
    expect(catchCurl(() => importCurl('curl https://api.example.com/items/[1-3]'))).toMatchObject({
      code: 'SW_CURL_URL',
    });
    expect(action('curl -g "https://api.example.com/x?a[]=1&a[]=2"').path).toBe('/x?a[]=1&a[]=2');
    const single = action('curl https://api.example.com/repos/{owner}/issues');
    expect(single.path).toBe('/repos/owner/issues');
    expect(single.notes?.join(' ')).toContain('{owner}');
  });

  it('refuses a URL curl refuses, and a scheme slotwire does not call', () => {
    expect(catchCurl(() => importCurl(`curl 'https://api.example.com/a b'`))).toMatchObject({ code: 'SW_CURL_URL' });
    expect(catchCurl(() => importCurl('curl ftp://example.com/file'))).toMatchObject({ code: 'SW_CURL_URL' });
  });

  it('reads user info in the URL as basic auth, never writing it', () => {
    const d = importCurl('curl https://bot:hunter22@api.example.com/a');
    expect(d.connection).toMatchObject({ baseUrl: 'https://api.example.com', auth: { type: 'basic' } });
    expect(JSON.stringify(d)).not.toContain('hunter22');
  });

  it('keeps a shell variable in the host as a ${VAR} of base_url', () => {
    const d = importCurl('curl "https://$SHOP.myshopify.com/admin/api/2025-07/shop.json"');
    expect(d.connection.baseUrl).toBe('https://${SHOP}.myshopify.com');
    expect(d.variables.map((v) => v.name)).toContain('SHOP');
  });
});

describe('importCurl: credentials', () => {
  const secretCases: ReadonlyArray<readonly [string, string, unknown]> = [
    [
      'curl -H "Authorization: Bearer sk-live-0123456789" https://api.example.com/a',
      'sk-live-0123456789',
      { type: 'bearer', token: '${EXAMPLE_TOKEN}' },
    ],
    [
      'curl -H "Authorization: Basic Ym90OnBhc3N3b3JkMTIz" https://api.example.com/a',
      'password123',
      { type: 'basic', username: '${EXAMPLE_USERNAME}', password: '${EXAMPLE_PASSWORD}' },
    ],
    [
      'curl -H "X-API-Key: abcdef123456" https://api.example.com/a',
      'abcdef123456',
      { type: 'api_key', in: 'header', name: 'X-API-Key', value: '${EXAMPLE_API_KEY}' },
    ],
    [
      'curl -H "apikey: abcdef123456" https://api.example.com/a',
      'abcdef123456',
      { type: 'api_key', in: 'header', name: 'apikey', value: '${EXAMPLE_API_KEY}' },
    ],
    [
      'curl -H "X-Auth-Token: abcdef123456" https://api.example.com/a',
      'abcdef123456',
      { type: 'api_key', in: 'header', name: 'X-Auth-Token', value: '${EXAMPLE_API_KEY}' },
    ],
    [
      'curl -H "Authorization: ApiKey abcdef123456" https://api.example.com/a',
      'abcdef123456',
      { type: 'api_key', in: 'header', name: 'Authorization', value: 'ApiKey ${EXAMPLE_API_KEY}' },
    ],
    [
      'curl "https://api.example.com/a?q=x&api_key=abcdef123456"',
      'abcdef123456',
      { type: 'api_key', in: 'query', name: 'api_key', value: '${EXAMPLE_API_KEY}' },
    ],
    [
      'curl "https://api.example.com/a?access_token=abcdef123456"',
      'abcdef123456',
      { type: 'api_key', in: 'query', name: 'access_token', value: '${EXAMPLE_API_KEY}' },
    ],
    [
      'curl "https://api.example.com/weather?q=London&appid=abcdef123456"',
      'abcdef123456',
      { type: 'api_key', in: 'query', name: 'appid', value: '${EXAMPLE_API_KEY}' },
    ],
    [
      'curl -H "Authorization: Bearer $MY_TOKEN" https://api.example.com/a',
      '$MY_TOKEN',
      { type: 'bearer', token: '${MY_TOKEN}' },
    ],
  ];

  for (const [command, secret, auth] of secretCases) {
    it(`writes ${JSON.stringify(auth)} and never the value (${command.slice(5, 50)}…)`, () => {
      const d = importCurl(command);
      expect(d.connection.auth).toEqual(auth);
      if (!secret.startsWith('$')) {
        expect(draftToYaml(d)).not.toContain(secret);
        expect(JSON.stringify(d)).not.toContain(secret);
      }
      expect(d.variables.length).toBeGreaterThan(0);
      for (const v of d.variables) expect(v.why).not.toBe('');
    });
  }

  it('lists every variable to set, with why', () => {
    const d = importCurl('curl -u "$USER_ID:$API_SECRET" -H "X-Api-Key: k-0123456789" https://api.example.com/a');
    expect(d.variables).toEqual([
      { name: 'USER_ID', why: expect.stringContaining('user name') },
      { name: 'API_SECRET', why: expect.stringContaining('password') },
      { name: 'EXAMPLE_API_KEY', why: expect.stringContaining('X-Api-Key') },
    ]);
  });

  it('refuses a second credential in the query', () => {
    expect(
      catchCurl(() =>
        importCurl('curl -H "Authorization: Bearer t0123456" "https://api.example.com/a?api_key=k0123456"'),
      ),
    ).toMatchObject({ code: 'SW_CURL_CREDENTIALS' });
    expect(
      catchCurl(() => importCurl('curl "https://api.trello.com/1/members/me?key=k0123456&token=t0123456"')),
    ).toMatchObject({ code: 'SW_CURL_CREDENTIALS' });
  });

  it('refuses a credential that also appears elsewhere in the request', () => {
    expect(
      catchCurl(() =>
        importCurl(`curl -H "Authorization: Bearer tok0123456" -d '{"token":"tok0123456"}' https://api.example.com/a`),
      ),
    ).toMatchObject({ code: 'SW_CURL_CREDENTIALS' });
  });

  it('does not take Idempotency-Key for a credential', () => {
    expect(action('curl -H "Idempotency-Key: abc-123" -d a=1 https://api.example.com/a').headers).toEqual({
      'Idempotency-Key': 'abc-123',
    });
  });
});

describe('importCurl: bodies and content types', () => {
  it('keeps Content-Type only when it differs from what slotwire sends for the body', () => {
    expect(action(`curl -H 'Content-Type: application/json' -d '{"a":1}' https://api.example.com/a`).headers).toEqual(
      {},
    );
    expect(
      action(`curl -H 'Content-Type: application/vnd.api+json' -d '{"a":1}' https://api.example.com/a`).headers,
    ).toEqual({ 'Content-Type': 'application/vnd.api+json' });
    expect(
      action(`curl -H 'Content-Type: application/x-www-form-urlencoded' -d 'a=1' https://api.example.com/a`).headers,
    ).toEqual({});
    expect(action(`curl -H 'Content-Type: application/xml' -d '<a/>' https://api.example.com/a`)).toMatchObject({
      headers: { 'Content-Type': 'application/xml' },
      body: { kind: 'text', value: '<a/>' },
    });
  });

  it('reads JSON data without a content type as JSON, with a note', () => {
    const a = action(`curl -d '[1, 2]' https://api.example.com/a`);
    expect(a.body).toEqual({ kind: 'json', value: [1, 2] });
    expect(a.notes?.join(' ')).toContain('application/x-www-form-urlencoded');
  });

  it('keeps as text JSON that JSON.stringify would change', () => {
    for (const data of [
      '{"a":1,"a":2}',
      '{"b":1,"2":0}',
      '{"n":0.1000000000000000055511151231257827}',
      '{"__proto__":{}}',
    ]) {
      expect(
        action(`curl -H 'Content-Type: application/json' -d '${data}' https://api.example.com/a`).body,
        data,
      ).toEqual({ kind: 'text', value: data });
    }
    expect(
      action(`curl -H 'Content-Type: application/json' -d '{"n":1.0,"e":1e3}' https://api.example.com/a`).body,
    ).toEqual({ kind: 'json', value: { n: 1, e: 1000 } });
  });

  it('keeps as text form data a mapping cannot hold', () => {
    expect(action(`curl -d 'a=1&a=2' https://api.example.com/a`).body).toEqual({ kind: 'text', value: 'a=1&a=2' });
    expect(action(`curl -d 'hello' https://api.example.com/a`).body).toEqual({ kind: 'text', value: 'hello' });
    expect(action(`curl -d 'a=%zz' https://api.example.com/a`).body).toEqual({ kind: 'text', value: 'a=%zz' });
  });

  it('writes {{ and ${ so that actions.yml reads them as text', () => {
    expect(action(`curl -H 'X-T: {{x}}' -d 'a={{b}}&c=\${d}' https://api.example.com/a`)).toMatchObject({
      headers: { 'X-T': '{{ "{{x}}" }}' },
      body: { kind: 'form', fields: { a: '{{ "{{b}}" }}', c: '$${d}' } },
    });
  });
});

describe('importCurl: names', () => {
  it('names the connection after the host, the action after the method and path', () => {
    expect(connectionNameOf('api.stripe.com')).toBe('stripe');
    expect(connectionNameOf('www.example.co')).toBe('example');
    expect(connectionNameOf('api.eu.mailgun.net')).toBe('eu_mailgun');
    expect(connectionNameOf('127.0.0.1')).toBe('api');
    expect(actionName('POST', '/v1/customers')).toBe('post_customers');
    expect(actionName('GET', '/repos/OWNER/REPO/issues')).toBe('get_issues');
    expect(actionName('GET', '/v1/customers/cus_NffrFeUfNV2Hib')).toBe('get_customers');
    expect(actionName('POST', '/2010-04-01/Accounts/AC0123456789abcdef/Messages.json')).toBe('post_messages');
    expect(actionName('POST', '/api/chat.postMessage')).toBe('post_chat_post_message');
    expect(actionName('GET', '/')).toBe('get');
  });

  it('takes the names given in the options', () => {
    const d = importCurl('curl https://api.stripe.com/v1/customers', {
      name: 'list_customers',
      connection: 'payments',
    });
    expect(d.connection.name).toBe('payments');
    expect(d.actions[0]?.name).toBe('list_customers');
    expect(d.connection.auth).toBeNull();
  });
});
