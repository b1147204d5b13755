import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { staleReason } from './global-setup.js';
import { neededMarker, programsIn } from './services.js';
import { skippedByProgram, summaryLines } from './skip-summary.js';

describe('the skip summary', () => {
  it('counts skipped tests per missing program from their marked titles', () => {
    const counts = skippedByProgram([
      `engines sharing Redis ${neededMarker('redis-server')} > share one token`,
      `engines sharing Redis ${neededMarker('redis-server')} > keep a breaker`,
      `the page ${neededMarker('chromium')} ${neededMarker('redis-server')} > opens`,
      'a test skipped for another reason',
    ]);
    expect(Object.fromEntries(counts)).toEqual({ 'redis-server': 3, chromium: 1 });
  });

  it('names each program with the command that installs it, and says nothing when none was skipped', () => {
    const lines = summaryLines(new Map([['prometheus-client', 1]]));
    expect(lines[1]).toContain('prometheus-client: 1 test skipped');
    expect(lines[1]).toContain('apt-get install -y python3-prometheus-client');
    expect(summaryLines(new Map())).toEqual([]);
  });

  it('reads only the programs it knows from a title', () => {
    expect(programsIn('x [needs curl] [needs nothing-known]')).toEqual(['curl']);
  });
});

describe('the build check before the tests', () => {
  const tree = (): string => {
    const root = mkdtempSync(join(tmpdir(), 'slotwire-build-'));
    for (const dir of ['runtime', 'schemas', 'proto', 'scripts', 'dist/cli'])
      mkdirSync(join(root, dir), { recursive: true });
    for (const file of [
      'runtime/a.ts',
      'schemas/s.json',
      'proto/p.proto',
      'tsconfig.json',
      'tsconfig.build.json',
      'scripts/build-page.mjs',
      'scripts/build-schema-validator.mjs',
      'scripts/build-bundle.mjs',
    ])
      writeFileSync(join(root, file), '');
    return root;
  };
  const at = (root: string, file: string, seconds: number): void => utimesSync(join(root, file), seconds, seconds);

  it('finds a source newer than the build, and a missing build', () => {
    const root = tree();
    expect(staleReason(root)).toBe('dist/cli/bin.js is missing');
    writeFileSync(join(root, 'dist/cli/bin.js'), '');
    for (const file of [
      'runtime/a.ts',
      'schemas/s.json',
      'proto/p.proto',
      'tsconfig.json',
      'tsconfig.build.json',
      'scripts/build-page.mjs',
      'scripts/build-schema-validator.mjs',
      'scripts/build-bundle.mjs',
    ])
      at(root, file, 1_000);
    at(root, 'dist/cli/bin.js', 2_000);
    expect(staleReason(root)).toBeNull();
    at(root, 'runtime/a.ts', 3_000);
    expect(staleReason(root)).toBe('runtime/a.ts is newer than the build');
  });
});
