// The screenshots of docs/studio.md (npm run screenshots:studio, after a
// build): the built CLI's `slotwire studio` on copies of the examples in a
// temp folder, Debian's chromium through playwright-core, fixture runs only
// (nothing reaches a network). 1280×800, so the PNGs stay small.
//   docs/studio/actions.png  the actions, a diagnostic, one action's form
//   docs/studio/result.png   a run: the exchange, the answer as a tree, slots, messages
//   docs/studio/map.png      the "set slot … to this" form under a field
import { spawn } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('../', import.meta.url));
const out = join(root, 'docs/studio');
const viewport = { width: 1280, height: 800 };

/** Runs `work(page)` on a studio serving a copy of examples/<example>, `edit` applied to its actions.yml first. */
async function withStudio(browser, example, edit, work) {
  const dir = await mkdtemp(join(tmpdir(), 'slotwire-screenshots-'));
  const studio = { child: null };
  try {
    await cp(join(root, 'examples', example), dir, { recursive: true });
    const actionsFile = join(dir, 'actions.yml');
    await writeFile(actionsFile, edit(await readFile(actionsFile, 'utf8')));
    studio.child = spawn(
      process.execPath,
      [join(root, 'dist/cli/bin.js'), 'studio', '--actions', 'actions.yml', '--port', '0'],
      { cwd: dir, stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const url = await new Promise((resolve, reject) => {
      let printed = '';
      studio.child.stdout.on('data', (chunk) => {
        printed += chunk;
        const found = /http:\/\/\S+\?token=\S+/.exec(printed);
        if (found) resolve(found[0]);
      });
      studio.child.once('exit', (code) => reject(new Error(`slotwire studio exited ${code}`)));
    });
    const page = await browser.newPage({ viewport });
    await page.goto(url);
    await page.locator('#live.on').waitFor();
    await work(page);
    await page.close();
  } finally {
    if (studio.child) {
      const exited = new Promise((resolve) => studio.child.once('exit', resolve));
      studio.child.kill('SIGTERM');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  }
}

async function open(page, action) {
  await page
    .getByRole('navigation')
    .getByRole('button', { name: new RegExp(`^${action}`) })
    .click();
  await page.locator('#action h2', { hasText: action }).waitFor();
}

async function runWithFixture(page, fixture) {
  await page.getByLabel('Test case (fixtures)').selectOption({ label: fixture });
  await page.getByRole('button', { name: 'Run with fixture' }).click();
  await page.locator('#result .exchange').waitFor();
}

const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
try {
  // Without its dedupe:, book_table gets the warning a POST without one gets.
  await withStudio(
    browser,
    'restaurant',
    (text) => text.replace(/\n {4}dedupe: 2m\n/, '\n'),
    async (page) => {
      await page.locator('.diagnostic').first().waitFor();
      await open(page, 'check_restaurant_availability');
      await page.screenshot({ path: join(out, 'actions.png') });
    },
  );

  await withStudio(
    browser,
    'weather',
    (text) => text,
    async (page) => {
      await open(page, 'search_city');
      await runWithFixture(page, 'several matches become buttons built by one expression');
      // Two of the three results closed, so the slots and the messages fit below the tree.
      for (const item of ['[1]', '[2]']) await page.locator('#result button.toggle', { hasText: item }).click();
      await page
        .locator('#result .chat')
        .evaluate((chat) =>
          window.scrollTo(0, chat.getBoundingClientRect().bottom + window.scrollY - window.innerHeight + 16),
        );
      await page.mouse.move(0, 0);
      await page.screenshot({ path: join(out, 'result.png') });
    },
  );

  await withStudio(
    browser,
    'restaurant',
    (text) => text,
    async (page) => {
      await open(page, 'check_restaurant_availability');
      await runWithFixture(page, 'a free table sets has_availability and the times around it');
      await page.getByRole('button', { name: 'Map times[0].time to a slot' }).click();
      await page.getByLabel('Set slot').fill('first_free_time');
      await page.mouse.move(0, 0);
      await page
        .locator('.map-form')
        .evaluate((form) => window.scrollTo(0, form.getBoundingClientRect().top + window.scrollY - 360));
      await page.screenshot({ path: join(out, 'map.png') });
    },
  );
} finally {
  await browser.close();
}
console.log(`screenshots written to ${out}`);
