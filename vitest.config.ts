import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    // lowdb's presets switch to memory under NODE_ENV=test; our store never uses them,
    // and tests must exercise real files.
    pool: 'forks',
    testTimeout: 20_000,
  },
});
