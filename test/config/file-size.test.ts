import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile, loadConfigText, loadTestFile } from '../../runtime/config/index.js';
import { MAX_FILE_BYTES } from '../../runtime/config/read-text.js';

const small = 'version: 1\nactions:\n  hello:\n    slots: { greeted: true }\n';
// A valid file padded with a comment to `bytes` bytes.
const padded = (bytes: number): string => `${small}#${'x'.repeat(bytes - small.length - 2)}\n`;

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'slotwire-size-'));
});

describe('actions file size limit', () => {
  it('is 1 MiB', () => {
    expect(MAX_FILE_BYTES).toBe(1024 * 1024);
  });

  it('refuses a file one byte over the limit before parsing it', async () => {
    const file = join(dir, 'big.yml');
    await writeFile(file, padded(MAX_FILE_BYTES + 1));
    const loaded = await loadConfigFile(file);
    expect(loaded).toMatchObject({ config: null, source: null });
    expect(loaded.diagnostics).toEqual([expect.objectContaining({ code: 'SW_FILE_TOO_LARGE', file, line: 1, col: 1 })]);
  });

  it('loads a file exactly at the limit', async () => {
    const file = join(dir, 'at-limit.yml');
    await writeFile(file, padded(MAX_FILE_BYTES));
    const loaded = await loadConfigFile(file);
    expect(loaded.diagnostics).toEqual([]);
    expect(loaded.config).not.toBeNull();
  });

  it('counts bytes, not characters, for text handed in directly (a reload)', () => {
    // 'é' is two bytes in UTF-8: this text is under the limit in characters, over it in bytes.
    const text = `${small}# ${'é'.repeat(MAX_FILE_BYTES / 2)}\n`;
    expect(text.length).toBeLessThan(MAX_FILE_BYTES);
    expect(loadConfigText('actions.yml', text).diagnostics).toEqual([
      expect.objectContaining({ code: 'SW_FILE_TOO_LARGE', line: 1, col: 1 }),
    ]);
  });

  it('applies to test files too', async () => {
    const file = join(dir, 'big.test.yml');
    await writeFile(file, padded(MAX_FILE_BYTES + 1));
    expect((await loadTestFile(file)).diagnostics).toEqual([
      expect.objectContaining({ code: 'SW_FILE_TOO_LARGE', file }),
    ]);
  });

  it('still reports a file it cannot read', async () => {
    const file = join(dir, 'missing.yml');
    expect((await loadConfigFile(file)).diagnostics).toEqual([
      expect.objectContaining({ code: 'SW_FILE_READ', file, line: 1, col: 1 }),
    ]);
  });
});
