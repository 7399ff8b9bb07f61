import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { test as base } from '@playwright/test';

const root = resolve(import.meta.dirname, '../..');

/** The person every e2e workspace starts with (admin and writer); the browser signs in as them (tests/e2e/session.ts). */
export const E2E_ADMIN = { name: '测试管理员', unit: '区融媒体中心', password: 'e2e-admin-password' } as const;

export interface RunningHost {
  /** The bootstrap URL with the per-launch token. */
  url: string;
  /** The origin, e.g. http://127.0.0.1:41234 */
  origin: string;
  token: string;
  workspace: string;
  /** The id of {@link E2E_ADMIN} once the workspace is set up. */
  adminId: string;
  /**
   * The script's own API session: the host hands out an id on the first bearer
   * call and a new one at sign-in and sign-out; {@link bearerCall} keeps it here.
   */
  apiSession: { id: string | null };
  stop(): Promise<void>;
}

/** Answer header carrying a script's (new) session id; the request header of the same name presents it. */
const SESSION_HEADER = 'X-Gazette-Session';

/** One API call the way a script makes it: the launch token as bearer, plus the script's session. */
export async function bearerCall(
  host: Pick<RunningHost, 'origin' | 'token' | 'apiSession'>,
  channel: string,
  body: unknown,
): Promise<{ ok: boolean; value?: unknown; error?: { code: string; detail: string } }> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json', Authorization: `Bearer ${host.token}` };
  if (host.apiSession.id) headers[SESSION_HEADER] = host.apiSession.id;
  const response = await fetch(`${host.origin}/api/${channel}`, { method: 'POST', headers, body: JSON.stringify(body) });
  const renewed = response.headers.get(SESSION_HEADER);
  if (renewed) host.apiSession.id = renewed;
  return (await response.json()) as { ok: boolean; value?: unknown; error?: { code: string; detail: string } };
}

/**
 * Launches the built web host (`dist/node/webhost.mjs`) on a free port for one
 * workspace as it is (no setup): the host with its token, stopped by `stop()`.
 */
export async function launchHost(workspace: string): Promise<Omit<RunningHost, 'adminId'>> {
  const child: ChildProcess = spawn(
    process.execPath,
    [join(root, 'dist/node/webhost.mjs'), '--workspace', workspace, '--port', '0', '--print-json'],
    // Gazette's per-user folder (the passwords' secrets) is a scratch one: a test run never writes into the real ~/.config/Gazette.
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, XDG_CONFIG_HOME: join(tmpdir(), 'gazette-tests-config') } },
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
    apiSession: { id: null },
    stop: () =>
      new Promise<void>((done) => {
        if (child.exitCode !== null) return done();
        child.once('exit', () => done());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 5_000).unref();
      }),
  };
}

/** Starts the built web host (`dist/node/webhost.mjs`) on a free port for one workspace, set up with {@link E2E_ADMIN}. */
export async function startHost(workspace: string): Promise<RunningHost> {
  const host = await launchHost(workspace);
  // First-run setup through the API (bearer token): the workspace gets its admin, and
  // the script's session (host.apiSession, used by tests/e2e/api.ts) acts as that admin.
  // A restarted host on the same workspace signs a new script session in instead.
  const api = async <T>(channel: string, body: unknown): Promise<T> => {
    const envelope = await bearerCall(host, channel, body);
    if (!envelope.ok || envelope.value === undefined) throw new Error(`${channel} failed: ${JSON.stringify(envelope.error)}`);
    return envelope.value as T;
  };
  type Session = { person: { id: string } | null; people: { id: string; name: string }[]; needsSetup: boolean };
  const current = await api<Session>('session:get', {});
  const existing = current.people.find((p) => p.name === E2E_ADMIN.name);
  const signedIn = current.needsSetup
    ? await api<Session>('session:setup', E2E_ADMIN)
    : await api<Session>('session:signIn', { personId: existing?.id ?? E2E_ADMIN.name, password: E2E_ADMIN.password });
  const adminId = signedIn.person?.id;
  if (!adminId) throw new Error('the e2e admin could not be signed in');
  return { ...host, adminId };
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
