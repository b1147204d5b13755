/**
 * System programs some tests drive as real parts: Redis for the shared state
 * store, Chromium for the authoring page, the official Prometheus text parser
 * for /metrics, openssl for certificates, curl for the cURL importer, LuaJIT
 * (the Lua of Neovim) for the Neovim set-up of docs/editors.md.
 *
 * Whether each is present is decided here, once, and nowhere else. A test
 * that needs a missing program is skipped on a developer's machine, so
 * `npm test` passes with Node alone; the run ends with a summary of what was
 * skipped and how to install it (test/support/skip-summary.ts). Under
 * SLOTWIRE_TEST_STRICT=1, as CI runs, a missing program fails the test file
 * instead, so nothing is skipped silently there.
 *
 * SLOTWIRE_TEST_HIDE=redis-server,chromium,… treats the named programs as
 * missing, to see the bare-machine run on a machine that has them.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { describe, it } from 'vitest';

/** A system program that some tests need. */
export type Program = 'redis-server' | 'chromium' | 'prometheus-client' | 'openssl' | 'curl' | 'luajit';

interface ProgramInfo {
  /** How to install it on Debian or Ubuntu. */
  readonly install: string;
  /** The path that runs it, or null when it is missing. */
  readonly find: () => string | null;
}

const PROGRAMS: Readonly<Record<Program, ProgramInfo>> = {
  'redis-server': {
    install: 'apt-get install -y redis-server',
    // The helper also runs redis-cli, which the same package brings.
    find: () => (onPath('redis-cli') === null ? null : onPath('redis-server')),
  },
  chromium: { install: 'apt-get install -y chromium', find: () => onPath('chromium') },
  'prometheus-client': {
    install: 'apt-get install -y python3-prometheus-client',
    // Debian's package installs for the system interpreter, which may not be the first python3 on PATH.
    find: () => ['/usr/bin/python3', onPath('python3')].find((python) => python != null && imports(python)) ?? null,
  },
  openssl: { install: 'apt-get install -y openssl', find: () => onPath('openssl') },
  curl: { install: 'apt-get install -y curl', find: () => onPath('curl') },
  luajit: { install: 'apt-get install -y luajit', find: () => onPath('luajit') },
};

/** The variable under which a missing program fails the run instead of skipping its tests. */
export const STRICT_VARIABLE = 'SLOTWIRE_TEST_STRICT';
const HIDE_VARIABLE = 'SLOTWIRE_TEST_HIDE';

/** The marker a skipped suite's title carries, read back by the summary. */
export function neededMarker(program: Program): string {
  return `[needs ${program}]`;
}

/** The programs a marked title names, in order. */
export function programsIn(title: string): Program[] {
  return [...title.matchAll(/\[needs ([a-z-]+)\]/g)]
    .map((m) => m[1] as Program)
    .filter((p) => Object.hasOwn(PROGRAMS, p));
}

/** How to install a program. */
export function installCommand(program: Program): string {
  return PROGRAMS[program].install;
}

const found = new Map<Program, string | null>();

/** The path of a program, or null when it is missing (or hidden by SLOTWIRE_TEST_HIDE). */
export function programPath(program: Program): string | null {
  if (!found.has(program)) {
    const hidden = (process.env[HIDE_VARIABLE] ?? '').split(',').map((name) => name.trim());
    found.set(program, hidden.includes(program) ? null : PROGRAMS[program].find());
  }
  return found.get(program) ?? null;
}

/** The path of a program the caller cannot do without; throws with how to install it. */
export function requireProgram(program: Program): string {
  const path = programPath(program);
  if (path === null) throw new Error(`${program} is missing: ${installCommand(program)}`);
  return path;
}

/**
 * `describe` and `it` for tests that need these programs: skipped, with the
 * programs named in their title, when one is missing; under
 * SLOTWIRE_TEST_STRICT=1 the file fails instead.
 * @example
 * const redis = needs('redis-server');
 * redis.describe('engines sharing Redis', () => { … });
 */
export function needs(...programs: Program[]): { describe: Define; it: Define } {
  const missing = programs.filter((p) => programPath(p) === null);
  if (missing.length === 0) return { describe: (title, body, timeout) => describe(title, body, timeout), it };
  if (process.env[STRICT_VARIABLE] === '1') {
    throw new Error(
      `${STRICT_VARIABLE}=1 and ${missing.join(', ')} missing: ${missing.map(installCommand).join('; ')}`,
    );
  }
  const marked = (title: string): string => `${title} ${missing.map(neededMarker).join(' ')}`;
  return {
    describe: (title, body, timeout) => describe.skip(marked(title), body, timeout),
    it: (title, body, timeout) => it.skip(marked(title), body, timeout),
  };
}

/** What `needs` hands back: a plain `describe` or `it`, with a title, a body and an optional timeout. */
export type Define = (title: string, body: () => void | Promise<void>, timeout?: number) => void;

function onPath(name: string): string | null {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (dir === '') continue;
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not in this folder
    }
  }
  return null;
}

function imports(python: string): boolean {
  return spawnSync(python, ['-c', 'import prometheus_client'], { stdio: 'ignore', timeout: 10_000 }).status === 0;
}
