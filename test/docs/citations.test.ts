// The repo cites only what it contains: a comment, test title, doc or script gives its reason in place
// or links a section of docs/, never a team note, an issue number or a checklist that a reader of the
// repo does not have. Every `docs/<page>.md#<section>` it points at must exist, or the pointer says nothing.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Everything written by hand that ships or explains: source, tests, tooling, docs, deployment. */
const folders = ['runtime', 'test', 'bench', 'scripts', '.ci', 'examples', 'docs', 'schemas', 'deploy', 'docker', 'editors'];
const rootFiles = ['Dockerfile', ...readdirSync(root).filter((f) => f.endsWith('.md'))];

const binary = /\.(png|jpe?g|gif|ico|pdf|gz|tgz|zip|vsix|wasm)$/;

/** Paths from the repo root of every text file scanned. */
function scannedFiles(): string[] {
  const inFolders = folders.flatMap((folder) =>
    readdirSync(join(root, folder), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => relative(root, join(e.parentPath, e.name))),
  );
  return [...rootFiles, ...inFolders]
    .filter((f) => !binary.test(f) && !/(^|\/)(node_modules|dist)\//.test(f))
    .sort();
}

// Built from pieces so that this file does not cite what it forbids.
const SECTION_SIGN = '\u00a7';
const notes = ['PROTO' + 'COL', 'DES' + 'IGN', 'LIBRAR' + 'IES'].join('|');
const forbidden: readonly [what: string, pattern: RegExp][] = [
  ['a team note', new RegExp(`\\b(?:${notes})\\b|\\bSTY${'LE'}\\.md\\b`, 'g')],
  ['the team notes folder', new RegExp(`\\.\\./${'shared'}\\b|/work/${'shared'}\\b|(?<![\\w./-])${'shared'}/`, 'g')],
  ['a checklist item', new RegExp(`\\b[Cc]heck${'list'}\\s+(?:item\\s+)?#?\\d+`, 'g')],
  ['an issue number', new RegExp(`\\b[Ii]ss${'ue'}s?\\s+#?\\d+`, 'g')],
];

/** A section sign belongs to a public specification named just before it: RFC 9110 §5.3, OpenAPI 3.1 §4.8.9, XCU §2.2. */
const SPEC_BEFORE = /RFC|OpenAPI|XCU/;
const SPEC_WINDOW = 80;

/** The 1-based line of `offset` in `text`. */
function lineAt(text: string, offset: number): number {
  return text.slice(0, offset).split('\n').length;
}

/** Each citation of something outside the repo in `text`: its line and what it is. */
function citationsIn(text: string): { line: number; what: string; match: string }[] {
  const found = forbidden.flatMap(([what, pattern]) =>
    [...text.matchAll(pattern)].map((m) => ({ line: lineAt(text, m.index), what, match: m[0] })),
  );
  for (const m of text.matchAll(new RegExp(SECTION_SIGN, 'g'))) {
    if (!SPEC_BEFORE.test(text.slice(Math.max(0, m.index - SPEC_WINDOW), m.index)))
      found.push({ line: lineAt(text, m.index), what: 'a section of a document outside the repo', match: m[0] });
  }
  return found.sort((a, b) => a.line - b.line);
}

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchorsOf(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const anchors = new Set<string>();
  const prose = markdown.replace(/```[\s\S]*?```/g, '');
  for (const [, heading] of prose.matchAll(/^#{1,6}\s+(.+?)\s*#*$/gm)) {
    const base = heading
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, '')
      .replace(/\s/g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    anchors.add(n === 0 ? base : `${base}-${n}`);
  }
  return anchors;
}

/** Sections of docs/ a file points at: `docs/<page>.md#<anchor>` anywhere, and `(page.md#anchor)` links in docs/. */
function sectionsCitedIn(file: string, text: string): { line: number; page: string; anchor: string }[] {
  const cited = [...text.matchAll(/\bdocs\/([\w-]+\.md)#([\w-]+)/g)].map((m) => ({
    line: lineAt(text, m.index),
    page: `docs/${m[1]}`,
    anchor: m[2],
  }));
  if (file.startsWith('docs/') && file.endsWith('.md'))
    for (const m of text.matchAll(/\]\(([\w-]+\.md)?#([\w-]+)\)/g))
      cited.push({ line: lineAt(text, m.index), page: m[1] === undefined ? file : `docs/${m[1]}`, anchor: m[2] });
  return cited;
}

describe('citations', () => {
  const files = scannedFiles();

  it('reads the source, the tests, the tooling, the docs and the root pages', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'README.md',
        'Dockerfile',
        '.ci/run',
        'bench/PERFORMANCE.md',
        'docs/protocol.md',
        'runtime/call-rules/run-call.ts',
        'runtime/grpc/action-service.ts',
        'runtime/rasa/types.ts',
        'runtime/server/app.ts',
        'schemas/rasa-response.schema.json',
        'test/docs/citations.test.ts',
        'test/grpc/conformance.test.ts',
        'test/server/conformance.test.ts',
      ]),
    );
  });

  it('tells a citation of a team note, an issue, a checklist or a foreign section from a public one', () => {
    const cited = [
      `// as Rasa sends it (${'PROTO' + 'COL'} ${SECTION_SIGN}1.1)`,
      `// see ${'DES' + 'IGN'}.md and ../${'shared'}/notes`,
      `it('falls back to active_form (check${'list'} 14)')`,
      `// found by the fuzz (iss${'ue'} 12), and Iss${'ue'} #7`,
      `/** the eight keys (${SECTION_SIGN}1.2) */`,
    ].join('\n');
    expect(citationsIn(cited).map((c) => `${c.line} ${c.what}`)).toEqual([
      '1 a team note',
      '1 a section of a document outside the repo',
      '2 a team note',
      '2 the team notes folder',
      '3 a checklist item',
      '4 an issue number',
      '4 an issue number',
      '5 a section of a document outside the repo',
    ]);
    const fine = [
      `OTEL_EXPORTER_OTLP_${'PROTO' + 'COL'}=http/json; const ${'PROTO' + 'COL'}S = [];`,
      `// Retry-After (RFC\n// 9110 ${SECTION_SIGN}10.2.3); OpenAPI 3.x ${SECTION_SIGN}4.8.9; XCU ${SECTION_SIGN}2.2, ${SECTION_SIGN}2.3`,
      `// rasa/${'shared'}/utils/schemas/events.py; the issue is the shared store`,
    ].join('\n');
    expect(citationsIn(fine)).toEqual([]);
  });

  it('cites nothing a reader of the repo does not have', () => {
    const found = files.flatMap((file) =>
      citationsIn(readFileSync(join(root, file), 'utf8')).map((c) => `${file}:${c.line}: ${c.what} (${c.match})`),
    );
    expect(found).toEqual([]);
  });

  it('points only at sections of docs/ that exist', () => {
    const anchors = new Map<string, Set<string>>();
    const anchorsIn = (page: string): Set<string> => {
      let known = anchors.get(page);
      if (known === undefined) {
        known = anchorsOf(readFileSync(join(root, page), 'utf8'));
        anchors.set(page, known);
      }
      return known;
    };
    const pages = new Set(files.filter((f) => f.startsWith('docs/') && f.endsWith('.md')));
    const broken = files.flatMap((file) =>
      sectionsCitedIn(file, readFileSync(join(root, file), 'utf8'))
        .filter((c) => !pages.has(c.page) || !anchorsIn(c.page).has(c.anchor))
        .map((c) => `${file}:${c.line}: ${c.page}#${c.anchor}`),
    );
    expect(broken).toEqual([]);
  });
});
