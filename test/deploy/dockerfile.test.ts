// The production image (docs/deploy.md#3-the-container-image), checked without a Docker daemon: the
// Dockerfile's stages and what they copy, the .dockerignore allowlist, the
// HEALTHCHECK's probe run against a real server, and the entrypoint's verbs
// run through sh with a stand-in slotwire. .ci/image-smoke.sh runs the
// runtime stage's steps with the real slotwire.
import { spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../http/helpers.js';
import type { TestServer } from '../http/helpers.js';
import { isIgnored, parseCopy, parseDockerfile } from '../support/dockerfile.js';
import type { Stage } from '../support/dockerfile.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const stages = parseDockerfile(readFileSync(join(root, 'Dockerfile'), 'utf8'));
const dockerignore = readFileSync(join(root, '.dockerignore'), 'utf8');
const [build, runtime] = stages;
const entrypoint = join(root, 'docker/entrypoint.sh');

/** The arguments of the stage's instructions with this keyword. */
function argsOf(stage: Stage | undefined, keyword: string): string[] {
  return (stage?.instructions ?? []).filter((i) => i.keyword === keyword).map((i) => i.args);
}

/** The scripts `npm run build` runs (`node scripts/….mjs`), each a file the build stage needs. */
function buildScripts(): string[] {
  const { scripts } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: { build: string } };
  return [...scripts.build.matchAll(/node (scripts\/\S+\.mjs)/g)].map((m) => m[1]);
}

/** Every file under `path` (a file or a folder), relative to the repo, with `/`. */
function filesUnder(path: string): string[] {
  if (!statSync(join(root, path)).isDirectory()) return [path];
  return readdirSync(join(root, path)).flatMap((entry) => filesUnder(posix.join(path, entry)));
}

describe('Dockerfile', () => {
  it('has a build stage and a runtime stage, both on the node 20 slim image', () => {
    expect(stages).toHaveLength(2);
    expect(build?.name).toBe('build');
    for (const stage of stages) expect(stage.image).toMatch(/^node:20(-[a-z]+)?-slim$/);
    expect(runtime?.image).toBe(build?.image);
  });

  it('runs as user 1001 in /app, in production mode, on port 5055', () => {
    expect(argsOf(runtime, 'USER')).toEqual(['1001']);
    expect(argsOf(runtime, 'WORKDIR')).toEqual(['/app']);
    expect(argsOf(runtime, 'ENV')).toContain('NODE_ENV=production');
    expect(argsOf(runtime, 'EXPOSE')).toEqual(['5055']);
  });

  it("installs only the lockfile's production dependencies in the runtime stage, without scripts", () => {
    const runs = argsOf(runtime, 'RUN');
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatch(/^npm ci --omit=dev --ignore-scripts\b/);
  });

  it('copies from the context only files that exist and that .dockerignore lets in', () => {
    const sources = stages
      .flatMap((s) => argsOf(s, 'COPY').map(parseCopy))
      .filter((c) => c.flags['from'] === undefined)
      .flatMap((c) => c.sources);
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) {
      expect(existsSync(join(root, source)), source).toBe(true);
      for (const file of filesUnder(source)) expect(isIgnored(dockerignore, file), file).toBe(false);
    }
  });

  it('copies into the build stage every file `npm run build` reads', () => {
    const tsconfig = JSON.parse(readFileSync(join(root, 'tsconfig.build.json'), 'utf8')) as {
      extends: string;
      include: string[];
    };
    const copied = argsOf(build, 'COPY').flatMap((a) => parseCopy(a).sources);
    const needed = [
      'package.json',
      'package-lock.json',
      'tsconfig.build.json',
      posix.normalize(tsconfig.extends),
      ...tsconfig.include,
      ...buildScripts(),
    ];
    for (const file of needed) expect(copied, file).toContain(file);
    expect(argsOf(build, 'RUN')).toContain('npm run build');
  });

  it("takes from the build stage only the compiler's output folder", () => {
    const { compilerOptions } = JSON.parse(readFileSync(join(root, 'tsconfig.build.json'), 'utf8')) as {
      compilerOptions: { outDir: string };
    };
    const fromBuild = argsOf(runtime, 'COPY')
      .map(parseCopy)
      .filter((c) => c.flags['from'] !== undefined);
    expect(fromBuild.map((c) => c.flags['from'])).toEqual(['build']);
    expect(fromBuild[0]?.sources).toEqual([posix.join(argsOf(build, 'WORKDIR')[0] ?? '', compilerOptions.outDir)]);
  });

  it('starts docker/entrypoint.sh, copied to where ENTRYPOINT runs it, with the start verb', () => {
    const [script] = JSON.parse(argsOf(runtime, 'ENTRYPOINT')[0] ?? '[]') as string[];
    const copy = argsOf(runtime, 'COPY')
      .map(parseCopy)
      .find((c) => c.sources.includes('docker/entrypoint.sh'));
    expect(posix.resolve('/app', copy?.dest ?? '')).toBe(script);
    expect(JSON.parse(argsOf(runtime, 'CMD')[0] ?? '[]')).toEqual(['start']);
    // Files stay root's: user 1001 reads and runs the script as "other".
    expect(statSync(entrypoint).mode & 0o005).toBe(0o005);
  });
});

describe('.dockerignore', () => {
  it('keeps local installs, builds, history and secrets out of the context', () => {
    for (const path of [
      'node_modules/hono/package.json',
      'dist/cli/bin.js',
      '.git/HEAD',
      '.env',
      'test/deploy/dockerfile.test.ts',
      'bench/results.md',
    ]) {
      expect(isIgnored(dockerignore, path), path).toBe(true);
    }
  });
});

describe('HEALTHCHECK', () => {
  const [options = '', probe = '[]'] = (argsOf(runtime, 'HEALTHCHECK')[0] ?? '').split(/\s+CMD\s+/);
  let server: TestServer;
  let status = 200;

  beforeAll(async () => {
    server = await startServer((req, res) => {
      res.writeHead(req.url === '/health' ? status : 404).end();
    });
  });
  afterAll(() => server.close());

  /** The probe's exit code, run with PORT as the image's environment would have it. */
  function runProbe(port: number): Promise<number | null> {
    const [command, ...args] = JSON.parse(probe) as string[];
    expect(command).toBe('node');
    const child = spawn(process.execPath, args, {
      env: { PATH: process.env['PATH'], PORT: String(port) },
      stdio: 'ignore',
    });
    return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  it('gives up, and fails, before Docker times it out', () => {
    const dockerTimeoutS = Number(/--timeout=(\d+)s/.exec(options)?.[1]);
    const probeTimeoutMs = Number(/AbortSignal\.timeout\((\d+)\)/.exec(probe)?.[1]);
    expect(probeTimeoutMs).toBeLessThan(dockerTimeoutS * 1000);
  });

  it('passes when GET /health on $PORT answers 200', async () => {
    status = 200;
    expect(await runProbe(server.port)).toBe(0);
  });

  it('fails when /health answers otherwise, or nothing listens', async () => {
    status = 503;
    expect(await runProbe(server.port)).toBe(1);
    // Nothing can listen on port 0, so the connection is refused; a port freed
    // a moment ago could have been taken by another process in between.
    expect(await runProbe(0)).toBe(1);
  });
});

describe('docker/entrypoint.sh', () => {
  let dir: string;
  let fakeBin: string;

  beforeAll(() => {
    // A stand-in slotwire that prints its PID, then one argument per line.
    dir = mkdtempSync(join(tmpdir(), 'slotwire-entrypoint-'));
    fakeBin = join(dir, 'slotwire');
    writeFileSync(fakeBin, '#!/bin/sh\necho "$$"\nfor arg in "$@"; do echo "$arg"; done\n');
    chmodSync(fakeBin, 0o755);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** Runs the script through sh; the PID it ran under and the printed lines. */
  function runEntrypoint(
    args: readonly string[],
    env: Record<string, string> = {},
  ): Promise<{ pid: number | undefined; lines: string[] }> {
    const child = spawn('sh', [entrypoint, ...args], {
      env: { PATH: process.env['PATH'], SLOTWIRE_BIN: fakeBin, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    return new Promise((resolve) =>
      child.once('close', () => resolve({ pid: child.pid, lines: out.trim().split('\n') })),
    );
  }

  it('serves /app/actions/actions.yml on 0.0.0.0:5055 by default, in place of the shell', async () => {
    const { pid, lines } = await runEntrypoint([]);
    // The same PID: the shell exec'd slotwire, which gets SIGTERM itself.
    expect(lines).toEqual([
      String(pid),
      'serve',
      '--host',
      '0.0.0.0',
      '--port',
      '5055',
      '--actions',
      '/app/actions/actions.yml',
    ]);
  });

  it('start takes PORT and SLOTWIRE_ACTIONS, and passes its flags after the defaults', async () => {
    const { pid, lines } = await runEntrypoint(['start', '--host', '::', '--workers', '2'], {
      PORT: '8080',
      SLOTWIRE_ACTIONS: '/data/my actions.yml',
    });
    expect(lines).toEqual([
      String(pid),
      'serve',
      '--host',
      '0.0.0.0',
      '--port',
      '8080',
      '--actions',
      '/data/my actions.yml',
      '--host',
      '::',
      '--workers',
      '2',
    ]);
  });

  it.each(['serve', 'validate', 'test', 'run', 'init', 'schema', 'help', '--help', '--version', '-v'])(
    'runs `slotwire %s` as given',
    async (command) => {
      const { pid, lines } = await runEntrypoint([command, 'a.yml', '--flag']);
      expect(lines).toEqual([String(pid), command, 'a.yml', '--flag']);
    },
  );

  it('runs any other command in its place', async () => {
    const { pid, lines } = await runEntrypoint(['sh', '-c', 'echo "$$ $0"', 'other']);
    expect(lines).toEqual([`${pid} other`]);
  });
});
