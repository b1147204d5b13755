import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Tests start real loopback servers; give slow shared CI machines room.
    testTimeout: 20_000,
    hookTimeout: 20_000,
  },
});
