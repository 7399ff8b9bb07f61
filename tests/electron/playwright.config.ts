import { defineConfig } from '@playwright/test';

/**
 * `npm run test:electron`: drives the built app (dist/electron/main.cjs) on the
 * development Electron. Skips, saying why, where the Electron binary is absent.
 */
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  fullyParallel: false,
  workers: 1,
  timeout: 90_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  outputDir: '../../test-results/electron',
  use: { trace: 'retain-on-failure' },
});
