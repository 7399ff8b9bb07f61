// `npm test`: lint, typecheck, unit tests, build, end-to-end tests in Debian's
// Chromium against the web host, and the Electron-shell test (which skips, and
// says why, where the Electron binary is absent). Prints one closing line
// "N passed, N failed, N skipped" over all runners.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const reports = mkdtempSync(join(tmpdir(), 'gazette-test-'));
const totals = { passed: 0, failed: 0, skipped: 0 };
const failedSteps = [];

function run(name, command, args, env = {}) {
  console.log(`\n=== ${name}: ${command} ${args.join(' ')}`);
  const result = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) failedSteps.push(name);
  return result.status === 0;
}

function addVitest(file) {
  if (!existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  totals.passed += report.numPassedTests ?? 0;
  totals.failed += report.numFailedTests ?? 0;
  totals.skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
}

function addPlaywright(file) {
  if (!existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  const stats = report.stats ?? {};
  totals.passed += (stats.expected ?? 0) + (stats.flaky ?? 0);
  totals.failed += stats.unexpected ?? 0;
  totals.skipped += stats.skipped ?? 0;
}

if (!existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium')) {
  console.error(
    'Chromium is needed for the end-to-end tests: install it with `sudo apt-get install -y chromium fonts-noto-cjk` (Debian/Ubuntu) or set CHROMIUM_PATH.',
  );
  process.exit(1);
}

// Publishing is tested against real servers (WordPress + MariaDB + sshd on 127.0.0.1);
// the script installs (apt) and starts them where it can. Where it cannot, the
// integration tests skip and print why.
let startedServers = false;
if (process.platform === 'linux' && !process.env.GAZETTE_NO_TEST_SERVERS) {
  console.log('\n=== test servers: bash scripts/test-servers/start.sh');
  const started = spawnSync('bash', ['scripts/test-servers/start.sh'], { stdio: 'inherit' });
  startedServers = started.status === 0;
  if (!startedServers) console.log('test servers could not be started: the publishing integration tests will skip');
}

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
run('lint', npx, ['biome', 'lint', '.']);
run('typecheck', 'node', ['scripts/typecheck.mjs']);
const vitestJson = join(reports, 'vitest.json');
run('unit tests', npx, ['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile.json=${vitestJson}`]);
addVitest(vitestJson);
if (run('build', 'node', ['scripts/build.mjs'])) {
  const e2eJson = join(reports, 'e2e.json');
  run('end-to-end tests', npx, ['playwright', 'test', '-c', 'tests/e2e/playwright.config.ts', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: e2eJson,
  });
  addPlaywright(e2eJson);
  const electronJson = join(reports, 'electron.json');
  run('electron shell test', npx, ['playwright', 'test', '-c', 'tests/electron/playwright.config.ts', '--reporter=list,json'], {
    PLAYWRIGHT_JSON_OUTPUT_NAME: electronJson,
  });
  addPlaywright(electronJson);
}
rmSync(reports, { recursive: true, force: true });
if (startedServers && !process.env.GAZETTE_KEEP_TEST_SERVERS) spawnSync('bash', ['scripts/test-servers/stop.sh'], { stdio: 'inherit' });

if (failedSteps.length) console.log(`\nfailed steps: ${failedSteps.join(', ')}`);
if (failedSteps.length && totals.failed === 0) totals.failed = failedSteps.length;
console.log(`\n${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failedSteps.length ? 1 : 0);
