// CHANGELOG.md and package.json tell the same version: the newest released
// heading is the package's version, and every release has a date.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const changelog = readFileSync(new URL('CHANGELOG.md', root), 'utf8');
const { version } = JSON.parse(readFileSync(new URL('package.json', root), 'utf8')) as { version: string };
const releases = [...changelog.matchAll(/^## \[(\d+\.\d+\.\d+)\] - (\d{4}-\d{2}-\d{2})$/gm)].map((m) => m[1]);

describe('CHANGELOG.md', () => {
  it("names package.json's version as its newest release", () => {
    expect(releases[0]).toBe(version);
  });

  it('keeps an Unreleased section above the releases, and lists releases newest first', () => {
    expect(changelog.indexOf('## [Unreleased]')).toBeLessThan(changelog.indexOf(`## [${version}]`));
    const sorted = [...releases].sort((a, b) => b.localeCompare(a, 'en', { numeric: true }));
    expect(releases).toEqual(sorted);
    expect(releases.length).toBeGreaterThan(0);
  });
});
