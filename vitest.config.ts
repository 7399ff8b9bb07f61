import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/unit/**/*.test.ts', 'tests/integration/**/*.test.ts'],
    environment: 'node',
    // lowdb's presets switch to memory under NODE_ENV=test; our store never uses them,
    // and tests must exercise real files.
    pool: 'forks',
    testTimeout: 20_000,
    // Gazette's per-user folder (the passwords' secrets) is a scratch one: tests never write into the real ~/.config/Gazette.
    env: { XDG_CONFIG_HOME: join(tmpdir(), 'gazette-tests-config') },
  },
});
