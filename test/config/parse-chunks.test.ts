// Parsing in pieces (an editor's parse cache) gives what parsing whole
// gives: the same data, node ranges and line starts, so the same
// diagnostics, on every actions file of the repo and the diagnostics
// corpus, parsed fresh, after an edit above and after an edit inside.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isNode, visit } from 'yaml';
import type { Document } from 'yaml';
import { describe, expect, it } from 'vitest';
import { createParseCache, loadConfigText } from '../../runtime/config/index.js';
import type { ParseCache } from '../../runtime/config/index.js';
import { parseInPieces } from '../../runtime/config/parse-chunks.js';
import { checkActionsText } from '../../runtime/project/index.js';
import { file as generated } from '../../bench/generate-actions.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const yamlIn = (dir: string): string[] =>
  readdirSync(join(root, dir))
    .filter((f) => f.endsWith('.yml'))
    .map((f) => join(dir, f));
const files = [
  'actions.yml',
  'bench/actions.yml',
  ...readdirSync(join(root, 'examples'), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => `examples/${e.name}/actions.yml`)
    .filter((f) => {
      try {
        readFileSync(join(root, f));
        return true;
      } catch {
        return false;
      }
    }),
  ...yamlIn('test/cases/broken'),
  ...yamlIn('test/cases/good'),
];

/** Every variable set: the diagnostics compared are the file's own. */
const env = new Proxy({}, { get: (_t, name) => (typeof name === 'string' ? 'http://var.env.test' : undefined) });

const load = (text: string, parseCache?: ParseCache) =>
  loadConfigText('/repo/actions.yml', text, { env, ...(parseCache ? { parseCache } : {}) });

/** Each node's kind and range, in document order. */
function ranges(doc: Document): string[] {
  const out: string[] = [];
  visit(doc, {
    Node(_key, node) {
      if (isNode(node)) out.push(`${node.constructor.name}@${String(node.range)}`);
    },
  });
  return out;
}

/** The file with two comment lines before `actions:` and a description changed in its first action. */
function edited(text: string): string {
  return text.replace(/^actions:/m, '# edited\n# twice\nactions:').replace(/description: /, 'description: now ');
}

describe('parsing in pieces', () => {
  it('cuts the plain shape of a file and puts the same document together', () => {
    const text = generated(50);
    const cache = createParseCache();
    expect(parseInPieces(text, cache, {})).not.toBeNull();
    expect(cache.pieces.size).toBe(50);
  });

  it.each(files)('%s: the same data, ranges, line starts and diagnostics as a whole parse', (path) => {
    const text = readFileSync(join(root, path), 'utf8');
    const cache = createParseCache();
    for (const version of [text, edited(text), text]) {
      const whole = load(version);
      const pieces = load(version, cache);
      expect(pieces.diagnostics).toEqual(whole.diagnostics);
      expect(pieces.data).toEqual(whole.data);
      if (whole.source && pieces.source) {
        expect(ranges(pieces.source.doc)).toEqual(ranges(whole.source.doc));
        expect(pieces.source.lineCounter.lineStarts).toEqual(whole.source.lineCounter.lineStarts);
      }
    }
  });

  it('gives the same check, compile included, after edits that move, change, duplicate and remove actions', () => {
    const text = generated(30);
    const parseCache = createParseCache();
    const versions = [
      text,
      text.replace('Look up thing 7\n', 'Look up thing 7 again\n'),
      text.replace('$round(', '$rond('),
      text.replace(/^actions:/m, '# moved\nactions:'),
      `${text}${text.slice(text.indexOf('  action_lookup_3:'), text.indexOf('  action_lookup_4:'))}`,
      text.slice(0, text.indexOf('  action_lookup_20:')),
      text.replace('      connection: api1\n', '      connection: api1\n\tpath: x\n'),
    ];
    for (const version of versions) {
      const input = {
        actionsFile: '/repo/actions.yml',
        actions: { text: version },
        testFile: '/repo/actions.test.yml',
        tests: { error: { code: 'SW_FILE_READ', severity: 'error', message: '', hint: '', file: '', line: 1, col: 1 } },
        env,
        project: null,
        readText: () => {
          throw new Error('no files');
        },
      } as const;
      expect(checkActionsText({ ...input, parseCache }).diagnostics).toEqual(checkActionsText(input).diagnostics);
    }
  });
});
