import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { test as base } from '@playwright/test';

const root = resolve(import.meta.dirname, '../..');

export interface RunningHost {
  /** The bootstrap URL with the per-launch token. */
  url: string;
  /** The origin, e.g. http://127.0.0.1:41234 */
  origin: string;
  token: string;
  workspace: string;
  stop(): Promise<void>;
}

/** Starts the built web host (`dist/node/webhost.mjs`) on a free port for one workspace. */
export async function startHost(workspace: string): Promise<RunningHost> {
  const child: ChildProcess = spawn(
    process.execPath,
    [join(root, 'dist/node/webhost.mjs'), '--workspace', workspace, '--port', '0', '--print-json'],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  const first = await new Promise<string>((resolveLine, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', resolveLine);
    child.once('exit', (code) => reject(new Error(`web host exited (${code}): ${stderr}`)));
    setTimeout(() => reject(new Error(`web host did not start: ${stderr}`)), 15_000);
  });
  const info = JSON.parse(first) as { url: string; port: number; token: string };
  return {
    url: info.url,
    origin: `http://127.0.0.1:${info.port}`,
    token: info.token,
    workspace,
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}

export function makeWorkspaceDir(): string {
  return mkdtempSync(join(tmpdir(), 'gazette-e2e-'));
}

/** `host`: a web host on a fresh workspace, stopped and removed after the test. */
export const test = base.extend<{ host: RunningHost }>({
  // biome-ignore lint/correctness/noEmptyPattern: Playwright reads a fixture's dependencies from this pattern; it has none.
  host: async ({}, use) => {
    const workspace = makeWorkspaceDir();
    const host = await startHost(workspace);
    await use(host);
    await host.stop();
    rmSync(workspace, { recursive: true, force: true });
  },
});

export { expect } from '@playwright/test';
