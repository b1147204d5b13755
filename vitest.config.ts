import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Rebuilds dist/ when a source is newer, for the tests that run the built CLI.
    globalSetup: ['test/support/global-setup.ts'],
    // The default output, then what was skipped for a missing system program (test/support/services.ts).
    reporters: ['default', './test/support/skip-summary.ts'],
    // Tests start real loopback servers; give slow shared CI machines room.
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
