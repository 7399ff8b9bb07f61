import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../../node/services';
import { acquireWorkspaceLock, WORKSPACE_LOCK_FILE, WorkspaceLockedError } from '../../../node/services/store/workspace-lock';
import { isSyncedPath } from '../../../node/services/sync/scope';
import { runCli } from '../../support/cli-harness';

/*
 * One program works on a workspace at a time. Two web hosts on one folder once
 * each ran the first-administrator setup and replaced people.json under the
 * other; now the second one refuses, naming the first, and touches nothing.
 */

const root = resolve(__dirname, '../../..');
const SAMPLE = join(root, 'tests', 'fixtures', 'portal', 'sample-2021-05-20.txt');
const FAST_SCRYPT = { N: 1024, r: 8, p: 1 };
/** A second process compiles the services through tsx before it holds the workspace: seconds, many on a busy machine. */
const WITH_A_SECOND_PROCESS = 120_000;

let dir: string;
let holders: ChildProcess[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gazette-lock-'));
});
afterEach(() => {
  for (const child of holders) if (child.exitCode === null) child.kill('SIGKILL');
  holders = [];
  rmSync(dir, { recursive: true, force: true });
});

/** Another process holding the workspace as the web host does, with its first administrator set up. */
async function startHolder(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'tests/support/hold-workspace.ts'), dir], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  holders.push(child);
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += String(chunk);
  });
  await new Promise<void>((ready, fail) => {
    createInterface({ input: child.stdout! }).once('line', (line) => (line === 'ready' ? ready() : fail(new Error(line))));
    child.once('exit', (code) => fail(new Error(`holder exited (${code}): ${stderr}`)));
  });
  return child;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null ? Promise.resolve() : new Promise((done) => child.once('exit', () => done()));
}

/** Every file under the workspace with its size and time: what "touched nothing" means. */
function snapshot(folder: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(folder, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const info = statSync(path);
    out[path.slice(folder.length + 1)] = `${info.size}@${info.mtimeMs}`;
  }
  return out;
}

describe('the workspace lock', () => {
  it('a second web host on the workspace refuses, names the first, and leaves people.json as it was', async () => {
    const first = await startHolder();
    const people = readFileSync(join(dir, 'people.json'), 'utf8');
    expect(people).toContain('第一位管理员');
    const before = snapshot(dir);

    const second = openWorkspace(dir, { lockAs: 'web', scrypt: FAST_SCRYPT });
    await expect(second).rejects.toThrow(WorkspaceLockedError);
    const message = await second.catch((error: Error) => error.message);
    expect(message).toContain(`工作区正被网页服务使用（进程 ${first.pid}，主机 ${hostname()}，自 `);
    expect(message).toContain(`The workspace is in use by the web host (process ${first.pid} on ${hostname()}, since `);
    expect(message).not.toContain('\n');
    expect(readFileSync(join(dir, 'people.json'), 'utf8')).toBe(people);
    expect(snapshot(dir)).toEqual(before);
    if (process.platform !== 'win32') expect(statSync(join(dir, WORKSPACE_LOCK_FILE)).mode & 0o777).toBe(0o600);

    // A clean exit releases it: the next program opens the same office, no second setup.
    first.stdin?.end();
    await exited(first);
    expect(existsSync(join(dir, WORKSPACE_LOCK_FILE))).toBe(false);
    const next = await openWorkspace(dir, { lockAs: 'web', scrypt: FAST_SCRYPT });
    try {
      const session = await next.dispatch('session:get', {}, { transport: 'http', sessionId: 'next' });
      expect(session.ok && (session.value as { needsSetup: boolean }).needsSetup).toBe(false);
    } finally {
      await next.close();
    }
    expect(existsSync(join(dir, WORKSPACE_LOCK_FILE))).toBe(false);
  }, WITH_A_SECOND_PROCESS);

  it('a lock left by a killed process is taken over, and the log says so', async () => {
    const killed = await startHolder();
    killed.kill('SIGKILL');
    await exited(killed);
    expect(existsSync(join(dir, WORKSPACE_LOCK_FILE))).toBe(true);

    const logged: string[] = [];
    const workspace = await openWorkspace(dir, { lockAs: 'desktop', scrypt: FAST_SCRYPT, log: (line) => logged.push(line) });
    try {
      expect(logged.join('\n')).toContain(`网页服务（进程 ${killed.pid}，自 `);
      expect(logged.join('\n')).toContain('已不在运行，接管了它留下的工作区锁');
      const holder = JSON.parse(readFileSync(join(dir, WORKSPACE_LOCK_FILE), 'utf8'));
      expect(holder).toMatchObject({ pid: process.pid, program: 'desktop' });
      const session = await workspace.dispatch('session:get', {}, { transport: 'ipc', sessionId: 'ipc:1' });
      expect(session.ok && (session.value as { needsSetup: boolean }).needsSetup).toBe(false);
    } finally {
      await workspace.close();
    }
  }, WITH_A_SECOND_PROCESS);

  it('a lock naming another computer is not taken over: that host may still be working on the shared folder', async () => {
    const gone = spawnSync(process.execPath, ['-e', '0']).pid;
    const lock = { pid: gone, host: 'other-desktop', program: 'desktop', since: new Date().toISOString(), token: 'theirs' };
    writeFileSync(join(dir, WORKSPACE_LOCK_FILE), JSON.stringify(lock));
    await expect(openWorkspace(dir, { lockAs: 'web' })).rejects.toThrow(/工作区正被桌面应用使用（进程 \d+，主机 other-desktop/);
    expect(JSON.parse(readFileSync(join(dir, WORKSPACE_LOCK_FILE), 'utf8')).token).toBe('theirs');
  });

  it('a command-line import is refused while the desktop app holds the workspace; office status and checking a file still run', async () => {
    const held = await acquireWorkspaceLock(dir, 'desktop');
    try {
      const refused = await runCli('import', SAMPLE, '--workspace', dir);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toMatch(/^gazette: 工作区正被桌面应用使用（进程 \d+/);
      expect(existsSync(join(dir, 'articles'))).toBe(false);
      // Reading commands open the store too (crash recovery, temp sweep, index cache), so they wait as well.
      expect((await runCli('list', '--workspace', dir)).stderr).toContain('The workspace is in use by the desktop app');
      expect((await runCli('office', 'status', '--workspace', dir)).code).toBe(0);
      expect((await runCli('check', SAMPLE, '--workspace', dir)).stderr).not.toContain('工作区正被');
    } finally {
      await held.release();
    }
    const imported = await runCli('import', SAMPLE, '--workspace', dir, '--json');
    expect(imported.code).toBe(0);
    expect(existsSync(join(dir, WORKSPACE_LOCK_FILE))).toBe(false);
    // The lock is this machine's: the office repository's allowlist never carries it.
    expect(isSyncedPath(WORKSPACE_LOCK_FILE)).toBe(false);
  }, 60_000);
});
