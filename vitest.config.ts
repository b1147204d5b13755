import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Rebuilds dist/ when a source is newer, for the tests that run the built CLI.
    globalSetup: ['test/support/global-setup.ts'],
    // The default output, then what was skipped for a missing system program (test/support/services.ts).
    reporters: ['default', './test/support/skip-summary.ts'],
    // vitest runs one file at a time on a 2-core machine (it keeps a core for
    // itself), but most of the suite waits on sockets, child processes and
    // timers, not the CPU: two files at a time halve the wall time.
    maxWorkers: 2,
    // Tests start real loopback servers; give slow shared CI machines room.
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
