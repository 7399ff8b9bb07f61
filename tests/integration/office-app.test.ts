import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../../node/services';
import { draftsRepo, submittedRepo } from '../../node/services/sync/office-repos';
import { joinOfficeServer } from '../../node/services/sync/workspace-sync';
import type { CallContext, Channel, ResponseOf } from '../../shared/api/contract';
import type { Article } from '../../shared/domain/article';
import { addRepository, missingPackages, setUser, startServer, stopServer } from '../../scripts/office-server/kit';
import { TEST_SCRYPT } from '../support/review-api';
import { freePort } from '../support/free-port';

/*
 * The app's side of the office sync against the real server: workspaces
 * opened as the app opens them, driven through the API dispatcher (what both
 * transports call), the rounds running in the sync service's worker thread.
 */

const missing = missingPackages();
if (missing.length) console.warn(`[skip] office app tests: missing ${missing.join(' ')} (sudo apt-get install -y git apache2 apache2-utils)`);

const PASSWORDS = { admin: 'admin-pass-2026', w1: 'writer-one-2026' } as const;

interface Desk {
  workspace: Workspace;
  ctx: CallContext;
  value<C extends Channel>(channel: C, payload: unknown): Promise<ResponseOf<C>>;
  call(channel: Channel, payload: unknown): Promise<{ ok: boolean; error?: { code: string; detail: string } }>;
}

async function open(dir: string, who: string): Promise<Desk> {
  const workspace = await openWorkspace(dir, {
    scrypt: TEST_SCRYPT,
    autoStartOutbox: false,
    // Background rounds far apart: the test asks for each round itself; a server that is gone is given up on at once.
    sync: { intervalMs: 3_600_000, saveDelayMs: 3_600_000, retry: { attempts: 1, baseDelayMs: 10, maxDelayMs: 10 } },
  });
  const ctx: CallContext = { transport: 'http', sessionId: `http:${who}` };
  const call = async (channel: Channel, payload: unknown) => workspace.dispatch(channel, payload, ctx) as Promise<{ ok: boolean; error?: { code: string; detail: string } }>;
  const value = async <C extends Channel>(channel: C, payload: unknown): Promise<ResponseOf<C>> => {
    const envelope = await workspace.dispatch(channel, payload, ctx);
    if (!envelope.ok) throw new Error(`${who} ${channel}: ${envelope.error.code} ${envelope.error.detail}`);
    return envelope.value as ResponseOf<C>;
  };
  return { workspace, ctx, value, call };
}

async function until<T>(what: () => Promise<T>, ok: (value: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await what();
    if (ok(value) || Date.now() - started > timeoutMs) return value;
    await new Promise((done) => setTimeout(done, 200));
  }
}

describe.skipIf(missing.length > 0)('the app syncing through the office server (API dispatcher, worker thread)', () => {
  let root: string;
  let serverDir: string;
  let port: number;
  let url: string;
  const ids: Record<string, string> = {};
  const desks: Desk[] = [];

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'gazette-office-app-'));
    chmodSync(root, 0o755);
    serverDir = join(root, 'server');
    port = await freePort();
    url = `http://127.0.0.1:${port}/git/`;
    // The administrator's desktop makes the office and its people through the API, then carries them to the empty server.
    const admin = await open(join(root, 'admin'), 'admin');
    const setup = await admin.value('session:setup', { name: '管理员', unit: '党政办', password: PASSWORDS.admin });
    ids.admin = setup.person!.id;
    const w1 = await admin.value('people:save', { name: '张撰稿', unit: '党政办', roles: ['writer'], password: PASSWORDS.w1 });
    ids.w1 = w1.id;
    await admin.workspace.close();
    await startServer({ dir: serverDir, port });
    for (const name of ['office', draftsRepo('党政办').name, submittedRepo('党政办').name, ...Object.values(ids).map((id) => `person-${id}`)]) {
      addRepository(serverDir, name);
    }
    for (const who of Object.keys(ids) as (keyof typeof PASSWORDS)[]) setUser(serverDir, ids[who]!, PASSWORDS[who]);
    const first = await joinOfficeServer({ serverUrl: url, personId: ids.admin!, password: PASSWORDS.admin, dir: join(root, 'admin'), scryptCost: TEST_SCRYPT });
    expect(first.status, 'message' in first ? first.message : '').toBe('joined');
  }, 240_000);

  afterAll(async () => {
    for (const desk of desks) await desk.workspace.close();
    if (serverDir) await stopServer(serverDir);
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('office:join on a fresh workspace signs the writer in; an article saved on A shows pending, then reaches B after sync:now', async () => {
    const a = await open(join(root, 'w1-a'), 'w1');
    const b = await open(join(root, 'w1-b'), 'w1');
    desks.push(a, b);
    expect(await a.value('sync:status', {}).catch((e: Error) => e.message)).toContain('unauthorized');
    const session = await a.value('office:join', { url, personId: ids.w1, password: PASSWORDS.w1 });
    expect(session.person?.id).toBe(ids.w1);
    await b.value('office:join', { url, personId: ids.w1, password: PASSWORDS.w1 });

    // The round at sign-in, in the worker.
    const settled = await until(
      () => a.value('sync:status', {}),
      (s) => s.phase === 'synced',
    );
    expect(settled).toMatchObject({ phase: 'synced', serverUrl: url, pending: 0 });
    expect(settled.repos.map((r) => r.name).sort()).toEqual(['office', `person-${ids.w1}`, draftsRepo('党政办').name, submittedRepo('党政办').name].sort());
    expect(settled.repos.find((r) => r.kind === 'drafts')?.unit).toBe('党政办');

    // A second join here is refused: the workspace has its office now.
    expect(await a.call('office:join', { url, personId: ids.w1, password: PASSWORDS.w1 })).toMatchObject({ ok: false, error: { code: 'forbidden' } });

    const created = await a.value('articles:create', { template: 'blank' });
    const article = created as unknown as Article;
    await a.value('articles:save', { id: article.id, meta: { ...article.meta, title: '桥梁通车' }, doc: article.doc });
    const states = await until(
      () => a.value('sync:articleStates', {}),
      (s) => s[article.id] !== undefined,
    );
    expect(['pending', 'local_only']).toContain(states[article.id]);
    expect((await a.value('sync:status', {})).pending).toBeGreaterThan(0);

    const sent = await a.value('sync:now', {});
    expect(sent.phase, sent.message ?? '').toBe('synced');
    expect(sent.sent.length).toBeGreaterThan(0);
    expect(await a.value('sync:articleStates', {})).toEqual({});

    const got = await b.value('sync:now', {});
    expect(got.received).toContain(`articles/${article.id}/article.json`);
    const list = await b.value('articles:list', {});
    expect(list.items.find((item) => item.id === article.id)?.title).toBe('桥梁通车');
    const log = await b.value('sync:log', { limit: 50 });
    expect(log.length).toBeGreaterThan(0);
  }, 240_000);

  it('says offline while the server is down, and unauthorized once the server changed the login’s password', async () => {
    const [a, b] = desks as [Desk, Desk];
    await stopServer(serverDir);
    const offline = await a.value('sync:now', {});
    expect(offline.phase).toBe('offline');
    const status = await a.value('sync:status', {});
    expect(status.phase).toBe('offline');
    expect(status.message).toBeTruthy();
    expect(status.nextAttemptAt).not.toBeNull();

    await startServer({ dir: serverDir, port });
    expect((await a.value('sync:now', {})).phase).toBe('synced');

    setUser(serverDir, ids.w1!, 'changed-on-the-server');
    const refused = await b.value('sync:now', {});
    expect(refused.phase).toBe('unauthorized');
    expect(await b.value('sync:status', {})).toMatchObject({ phase: 'unauthorized', nextAttemptAt: null });

    // Signing out stops the rounds and forgets the password.
    await b.value('session:signOut', {});
    expect(b.workspace.sync.active).toBe(false);
  }, 240_000);
});
