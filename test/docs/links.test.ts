// The repo speaks for itself: every relative link in README.md, the contributor pages and docs/
// names a file in the repo, and nothing points outside it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const pages = [
  'README.md',
  'CONTRIBUTING.md',
  'CHANGELOG.md',
  'SECURITY.md',
  ...readdirSync(join(root, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];

/** Markdown link targets outside code: `[text](target)`. */
function links(text: string): string[] {
  const prose = text.replace(/```[\s\S]*?```/g, '').replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]);
}

describe('links in the docs', () => {
  it.each(pages)('%s links only to files in the repo', (page) => {
    const broken: string[] = [];
    for (const target of links(readFileSync(join(root, page), 'utf8'))) {
      if (/^(https?:|mailto:|#)/.test(target)) continue;
      const file = resolve(root, dirname(page), target.split('#')[0]);
      if (relative(root, file).startsWith('..') || !existsSync(file)) broken.push(target);
    }
    expect(broken).toEqual([]);
  });
});
