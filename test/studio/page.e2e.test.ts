/**
 * The authoring page end to end (docs/studio.md): the built CLI's `slotwire
 * studio` on a temp folder, Debian's chromium driven by playwright-core,
 * and a loopback upstream API that counts what it is sent. The cases run
 * in order on one page, as a person would use it.
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcessByStdio } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { json, startServer } from '../http/helpers.js';
import type { TestServer } from '../http/helpers.js';
import { builtCli } from '../support/built-cli.js';
import { needs, requireProgram } from '../support/services.js';

const bin = builtCli();
const run = promisify(execFile);

/** What the page must show a change on disk within (docs/studio.md#the-page: "within a second"). */
const LIVE_MS = 1000;

/** The live API: its answers differ from the fixtures', so a test sees which one answered. */
function upstreamApi(): Promise<TestServer> {
  return startServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://upstream');
    if (req.method === 'GET' && /^\/restaurants\/[^/]+\/availability$/.test(url.pathname)) {
      json(res, 200, { available: true, times: [{ time: '20:00' }], venue: { name: 'Live Roma' } });
    } else if (req.method === 'POST' && /^\/restaurants\/[^/]+\/bookings$/.test(url.pathname)) {
      json(res, 201, { reference: 'LIVE-1' });
    } else {
      json(res, 404, { error: 'not_found' });
    }
  });
}

const actionsYml = (baseUrl: string): string => `# The studio's end-to-end file: these comments must survive a mapping.
version: 1

connections:
  api:
    base_url: ${baseUrl}
    timeout: 2s

actions:
  check_availability:
    description: Is there a table?
    sensitive: [guest_phone]
    request:
      connection: api
      method: GET
      path: /restaurants/{{ slots.restaurant_id }}/availability
      query:
        party: "{{ slots.party_size }}"
        phone: "{{ slots.guest_phone }}"
    slots:
      # true or false, as the API says
      has_availability: "{{ response.body.available }}"

  book_table:
    description: Book it.
    dedupe: 1m
    request:
      connection: api
      method: POST
      path: /restaurants/{{ slots.restaurant_id }}/bookings
      body:
        party: "{{ slots.party_size }}"
    slots:
      booking_reference: "{{ response.body.reference }}"
`;

const testYml = `tests:
  - name: a free table
    action: check_availability
    slots: { restaurant_id: roma, party_size: 4, guest_phone: "+49 30 1234567" }
    http:
      - path: /restaurants/roma/availability
        reply:
          json: { available: true, times: [{ time: "18:30" }, { time: "19:00" }], venue: { name: Fixture Roma } }
    expect:
      slots: { has_availability: true }
  - name: a long answer
    action: check_availability
    slots: { restaurant_id: roma, party_size: 4, guest_phone: "+49 30 1234567" }
    http:
      - path: /restaurants/roma/availability
        reply:
          json: { available: true, times: [${Array.from({ length: 250 }, (_, i) => `{ time: "t${i}" }`).join(', ')}] }
`;

/** The studio's printed address (`slotwire studio: http://127.0.0.1:N/?token=T`), or a rejection if it exits first. */
function studioUrl(child: ChildProcessByStdio<null, Readable, Readable>): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = /http:\/\/\S+\?token=\S+/.exec(out)?.[0];
      if (url) resolve(url);
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.once('exit', (code) => reject(new Error(`slotwire studio exited ${code}: ${err}`)));
  });
}

needs('chromium').describe('slotwire studio, the page in a browser', () => {
  let dir: string;
  let actionsFile: string;
  let testFile: string;
  let upstream: TestServer;
  let studio: ChildProcessByStdio<null, Readable, Readable>;
  let exited: Promise<unknown>;
  let url: string;
  let origin: string;
  let browser: Browser;
  let page: Page;

  const posts = (): number => upstream.seen.filter((s) => s.method === 'POST').length;
  const gets = (): number => upstream.seen.filter((s) => s.method === 'GET').length;
  const cli = (...args: string[]) =>
    run(process.execPath, [bin, ...args], { cwd: dir }).then(
      () => 0,
      (err: { code?: number; stdout?: string; stderr?: string }) => {
        throw new Error(`slotwire ${args.join(' ')} exited ${err.code}:\n${err.stdout}${err.stderr}`);
      },
    );
  const openAction = async (name: string): Promise<void> => {
    await page
      .getByRole('navigation')
      .getByRole('button', { name: new RegExp(`^${name}`) })
      .click();
    await page.locator('#action h2', { hasText: name }).waitFor();
  };
  const slotCell = (slot: string) => page.locator(`#result tr[data-slot="${slot}"] td`);
  /** True when keyboard focus is on the element `selector` finds. */
  const hasFocus = (selector: string) =>
    page
      .locator(selector)
      .first()
      .evaluate((e) => e === e.ownerDocument.activeElement);

  beforeAll(async () => {
    upstream = await upstreamApi();
    dir = await mkdtemp(join(tmpdir(), 'slotwire-studio-'));
    actionsFile = join(dir, 'actions.yml');
    testFile = join(dir, 'actions.test.yml');
    await writeFile(actionsFile, actionsYml(upstream.origin));
    await writeFile(testFile, testYml);
    studio = spawn(process.execPath, [bin, 'studio', '--actions', actionsFile, '--port', '0'], {
      cwd: dir,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    exited = new Promise((resolve) => studio.once('exit', resolve));
    url = await studioUrl(studio);
    origin = new URL(url).origin;
    browser = await chromium.launch({
      executablePath: requireProgram('chromium'),
      headless: true,
      args: ['--no-sandbox'],
    });
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  });

  afterAll(async () => {
    await browser?.close();
    studio?.kill('SIGTERM');
    await exited;
    await upstream?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('answers 401 to the page and its API without the token', async () => {
    for (const path of ['/', '/api/state', '/assets/main.js']) {
      expect((await fetch(`${origin}${path}`)).status, path).toBe(401);
    }
    expect((await fetch(`${origin}/?token=not-the-token`)).status).toBe(401);
  });

  it("opens with the token, drops it from the address, and lists the actions and the file's state", async () => {
    const errors: string[] = [];
    page.on('pageerror', (err) => errors.push(err.message));
    await page.goto(url);
    expect(new URL(page.url()).search).toBe('');
    await page.locator('#summary', { hasText: 'ok' }).waitFor();
    expect(await page.locator('#file').textContent()).toContain('actions.yml');
    const list = page.getByRole('navigation');
    await list.getByRole('button', { name: /^check_availability/ }).waitFor();
    expect(await list.getByRole('button', { name: /^book_table/ }).textContent()).toContain('changes data');
    expect(await list.textContent()).toContain('GET /restaurants/{{ slots.restaurant_id }}/availability');
    await page.locator('#live.on').waitFor();
    expect(await page.locator('#diagnostics').textContent()).toContain('No problems');
    expect(errors).toEqual([]);
  });

  it("runs an action with a test case's fixtures: the exchange, the answer as a tree, the slots; nothing sent", async () => {
    await openAction('check_availability');
    expect(await page.getByLabel(/^restaurant_id/).inputValue()).toBe('roma');
    // A sensitive slot: typed into a password field; the case's value is never sent to the page.
    const phone = page.getByLabel(/^guest_phone/);
    expect(await phone.getAttribute('type')).toBe('password');
    expect(await phone.inputValue()).toBe('***');
    await page.getByRole('button', { name: 'Run with fixture' }).click();
    const exchange = page.locator('#result .exchange').first();
    await exchange.waitFor();
    expect(await exchange.locator('h3').textContent()).toContain('GET');
    expect(await exchange.locator('h3').textContent()).toContain('/restaurants/roma/availability?party=4&phone=***');
    expect(await page.content()).not.toContain('1234567');
    expect(await exchange.locator('.status').textContent()).toBe('200');
    expect(await exchange.locator('.tree').textContent()).toContain('"Fixture Roma"');
    expect(await slotCell('has_availability').textContent()).toBe('true');
    expect(gets()).toBe(0);
  });

  it('maps a clicked response field to a slot: the file keeps its comments, validates, and the page shows the value', async () => {
    // By keyboard: the field's button, then the form it opens (focus moves into it).
    await page.getByRole('button', { name: 'Map venue.name to a slot' }).focus();
    await page.keyboard.press('Enter');
    const slotInput = page.getByLabel('Set slot');
    expect(await hasFocus('.map-form input')).toBe(true);
    // A name the server refuses: its code and words beside the input, which is marked.
    await page.keyboard.type('not a name');
    await page.keyboard.press('Enter');
    await page.locator('.map-form .error:not([hidden])').waitFor();
    expect(await slotInput.getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('.map-form .error .code').textContent()).toBe('SW_STUDIO_BAD_FIELD');
    await slotInput.fill('venue_name');
    await page.keyboard.press('Enter');
    await slotCell('venue_name').waitFor();
    expect(await slotCell('venue_name').textContent()).toBe('"Fixture Roma"');
    expect(await page.locator('#result .note').textContent()).toContain('{{ response.body.venue.name }}');
    // The form is gone with the old result: focus goes to what was written, not to the top of the page.
    expect(await hasFocus('#result .note')).toBe(true);

    const text = await readFile(actionsFile, 'utf8');
    expect(text).toContain("# The studio's end-to-end file: these comments must survive a mapping.");
    expect(text).toContain(
      '      # true or false, as the API says\n      has_availability: "{{ response.body.available }}"\n',
    );
    expect(text).toMatch(/\n {6}venue_name: "\{\{ response\.body\.venue\.name \}\}"\n/);
    const line = text.split('\n').findIndex((l) => l.includes('venue_name:')) + 1;
    expect(await page.locator('#result .note').textContent()).toContain(`on line ${line} of`);
    expect(await cli('validate', actionsFile, '--placeholder-env')).toBe(0);
  });

  it('runs an action against the live API and shows the exchange', async () => {
    // The case's phone is *** on the page: a live run needs it typed, and says so beside its input.
    await page.getByRole('button', { name: 'Run live' }).click();
    await page.locator('.action-form .error:not([hidden])').waitFor();
    expect(await page.getByLabel(/^guest_phone/).getAttribute('aria-invalid')).toBe('true');
    expect(gets()).toBe(0);
    await page.getByLabel(/^guest_phone/).fill('+49 30 1234567');
    await page.getByRole('button', { name: 'Run live' }).click();
    await page.locator('#result h2', { hasText: 'live run' }).waitFor();
    const exchange = page.locator('#result .exchange').first();
    expect(await exchange.locator('h3').textContent()).toContain(
      `${upstream.origin}/restaurants/roma/availability?party=4&phone=***`,
    );
    expect(new URL(upstream.seen.at(-1)?.url ?? '', upstream.origin).searchParams.get('phone')).toBe('+49 30 1234567');
    expect(await exchange.locator('.status').textContent()).toBe('200');
    expect(await exchange.locator('.tree').textContent()).toContain('"Live Roma"');
    expect(await slotCell('venue_name').textContent()).toBe('"Live Roma"');
    expect(gets()).toBe(1);
  });

  it('sends a call that changes data only after the explicit confirmation', async () => {
    await openAction('book_table');
    await page.getByLabel(/^restaurant_id/).fill('roma');
    await page.getByLabel(/^party_size/).fill('2');
    await page.getByRole('button', { name: /^Run live/ }).click();
    const send = page.getByRole('button', { name: `Send the POST to ${upstream.origin}/restaurants/roma/bookings` });
    await send.waitFor();
    expect(await page.locator('#result .confirm').textContent()).toContain('"party":2');
    expect(posts()).toBe(0);
    await send.click();
    await slotCell('booking_reference').waitFor();
    expect(await slotCell('booking_reference').textContent()).toBe('"LIVE-1"');
    expect(await page.locator('#result .exchange .status').textContent()).toBe('201');
    expect(await hasFocus('#result h2')).toBe(true);
    expect(posts()).toBe(1);
  });

  it('saves a run as a test case that slotwire test passes', async () => {
    await openAction('check_availability');
    expect(await page.locator('#result').textContent()).toBe('');
    await page.getByRole('button', { name: 'Run with fixture' }).click();
    await page.locator('#result h2', { hasText: 'check_availability: run with fixture' }).waitFor();
    await page.getByLabel(/^party_size/).fill('6');
    await page.getByLabel('Test case name').fill('saved from the studio');
    await page.getByRole('button', { name: 'Save test case' }).click();
    await page.locator('#result .done', { hasText: 'actions.test.yml' }).waitFor();
    expect(await readFile(testFile, 'utf8')).toContain('saved from the studio');
    // The new case is offered as a fixture; what was typed in the form stays.
    await page.getByRole('option', { name: 'saved from the studio' }).waitFor({ state: 'attached' });
    expect(await page.getByLabel(/^party_size/).inputValue()).toBe('6');
    expect(await cli('test', testFile)).toBe(0);
  });

  it('draws a long list 100 fields at a time, the rest on request', async () => {
    await page.getByLabel('Test case (fixtures)').selectOption({ label: 'a long answer' });
    await page.getByRole('button', { name: 'Run with fixture' }).click();
    // The last result (2 times) is replaced by this one's.
    const more = page.getByRole('button', { name: 'Show 100 more of 150' });
    await more.waitFor();
    const times = page.locator('#result .tree > li', { hasText: 'times' }).locator('ul').first();
    const drawn = () => times.locator(':scope > li').count();
    expect(await drawn()).toBe(101);
    await more.click();
    await page.getByRole('button', { name: 'Show 50 more of 50' }).click();
    expect(await drawn()).toBe(250);
    expect(await page.getByRole('button', { name: 'Map times[249].time to a slot' }).count()).toBe(1);
  });

  it('shows a broken edit on disk as its diagnostic, code and line, within a second', async () => {
    const good = await readFile(actionsFile, 'utf8');
    const broken = good.replace('connection: api\n      method: POST', 'connection: nowhere\n      method: POST');
    const line = broken.split('\n').findIndex((l) => l.includes('connection: nowhere')) + 1;
    await writeFile(actionsFile, broken);
    const diagnostic = page.locator('.diagnostic[data-code="SW_REF_UNKNOWN_CONNECTION"]');
    await diagnostic.waitFor({ timeout: LIVE_MS });
    expect(await diagnostic.locator('.where').textContent()).toMatch(new RegExp(`actions\\.yml:${line}:\\d+$`));
    expect(await page.locator('#summary').textContent()).toContain('1 error');

    await writeFile(actionsFile, good);
    await page.getByText('No problems').waitFor({ timeout: LIVE_MS });
  });
});
