import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

describe('schema types', () => {
  it('runtime/config/schema-types.ts is generated from the current schema', () => {
    const script = fileURLToPath(new URL('../../scripts/gen-schema-types.mjs', import.meta.url));
    // Throws (non-zero exit) when the committed file is stale.
    expect(() => execFileSync(process.execPath, [script, '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});
