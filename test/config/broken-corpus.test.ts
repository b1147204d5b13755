/**
 * The diagnostics corpus, in the manner of jsonata's test-suite: one case file
 * per behaviour, one runner.
 *
 * test/cases/broken/<name>.yml starts with comment lines that state what the
 * file must produce:
 *
 *   # expect: SW_CODE 12:7 "message fragment"
 *   # expect: SW_CODE 12:7 "message fragment" hint "hint fragment"
 *   # env: NAME=value
 *
 * Every expected diagnostic must be reported at exactly that line:col (1-based)
 * with that code, its message containing the fragment (and its hint the hint
 * fragment, when given). Errors that are not listed fail the case; warnings
 * may be listed, and unlisted warnings are allowed.
 *
 * test/cases/good/<name>.yml must load with no error at all.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadPlan } from '../../runtime/compile/index.js';

const casesDir = fileURLToPath(new URL('../cases/', import.meta.url));
const brokenDir = `${casesDir}broken/`;
const goodDir = `${casesDir}good/`;

interface Expectation {
  readonly code: string;
  readonly line: number;
  readonly col: number;
  readonly fragment: string;
  readonly hint: string | null;
}

interface CaseFile {
  readonly name: string;
  readonly path: string;
  readonly expectations: readonly Expectation[];
  readonly env: Readonly<Record<string, string>>;
  /** `# expect:` lines that do not follow the format, reported as a failure of the case. */
  readonly malformed: readonly string[];
}

// A quoted fragment is a JSON string: \" for a quote, \\ for a backslash.
const quoted = String.raw`"(?:[^"\\]|\\.)*"`;
const expectLine = new RegExp(String.raw`^# expect: (SW_[A-Z_]+) (\d+):(\d+) (${quoted})(?: hint (${quoted}))?\s*$`);
const envLine = /^# env: ([A-Za-z_][A-Za-z0-9_]*)=(.*)$/;

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yml'))
    .sort();
}

function readCase(dir: string, name: string): CaseFile {
  const path = `${dir}${name}`;
  const expectations: Expectation[] = [];
  const env: Record<string, string> = {};
  const malformed: string[] = [];
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.startsWith('# expect:')) {
      const m = expectLine.exec(line);
      if (!m) {
        malformed.push(line);
        continue;
      }
      expectations.push({
        code: m[1],
        line: Number(m[2]),
        col: Number(m[3]),
        fragment: JSON.parse(m[4]) as string,
        hint: m[5] === undefined ? null : (JSON.parse(m[5]) as string),
      });
    }
    const e = envLine.exec(line);
    if (e) env[e[1]] = e[2];
  }
  return { name, path, expectations, env, malformed };
}

function title(c: CaseFile): string {
  const what = c.expectations.map((e) => `${e.code} at ${e.line}:${e.col}`).join(', ');
  return `${c.name} reports ${what || 'nothing (no # expect: line)'}`;
}

const brokenCases = yamlFiles(brokenDir).map((f) => readCase(brokenDir, f));
const goodCases = yamlFiles(goodDir).map((f) => readCase(goodDir, f));

describe('broken actions.yml corpus', () => {
  it('has at least 35 cases', () => {
    expect(brokenCases.length).toBeGreaterThanOrEqual(35);
  });

  it.each(brokenCases.map((c) => [title(c), c] as const))('%s', async (_title, c) => {
    expect(c.malformed, 'malformed # expect: lines').toEqual([]);
    expect(c.expectations.length, 'a broken case states at least one expected diagnostic').toBeGreaterThan(0);

    const { plan, diagnostics } = await loadPlan(c.path, { env: c.env });
    const shown = diagnostics.map((d) => `${d.severity} ${d.code} ${d.line}:${d.col} ${d.message}`);

    for (const e of c.expectations) {
      const found =
        diagnostics.find((d) => d.code === e.code && d.line === e.line && d.col === e.col) ??
        diagnostics.find((d) => d.code === e.code) ??
        diagnostics[0];
      expect(found, `no diagnostics at all; expected ${e.code} at ${e.line}:${e.col}`).toBeDefined();
      expect(found, `expected ${e.code} at ${e.line}:${e.col}; got:\n${shown.join('\n')}`).toMatchObject({
        code: e.code,
        line: e.line,
        col: e.col,
      });
      expect(found?.message).toContain(e.fragment);
      if (e.hint !== null) expect(found?.hint).toContain(e.hint);
    }

    const unexpected = diagnostics.filter(
      (d) =>
        d.severity === 'error' &&
        !c.expectations.some((e) => e.code === d.code && e.line === d.line && e.col === d.col),
    );
    expect(
      unexpected.map((d) => `${d.code} ${d.line}:${d.col} ${d.message}`),
      'errors not listed in # expect:',
    ).toEqual([]);
    expect(plan).toBeNull();
  });
});

describe('good actions.yml files', () => {
  it('has at least 5 files', () => {
    expect(goodCases.length).toBeGreaterThanOrEqual(5);
  });

  it.each(goodCases.map((c) => [c.name, c] as const))('%s loads with no errors', async (_name, c) => {
    const { plan, diagnostics } = await loadPlan(c.path, { env: c.env });
    expect(
      diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.line}:${d.col} ${d.message}`),
    ).toEqual([]);
    expect(plan).not.toBeNull();
  });
});
