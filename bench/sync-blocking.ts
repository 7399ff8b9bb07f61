/*
 * Office sync never blocks the app: while rounds run (in the sync service's
 * worker thread) on a desktop whose unit holds 10,000 articles, the main
 * thread keeps answering. Two probes run during the rounds: a 10 ms interval
 * timer (how late it fires is how long the main thread was held) and the API
 * answering `articles:list` through the dispatcher, as a window or a browser
 * asks it. Target: the longest stall ≤ 50 ms. Printed, never asserted.
 *
 * Needs git and Apache (the office server kit); says why it skips otherwise.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openWorkspace, type Workspace } from '../node/services';
import { draftsRepo, submittedRepo } from '../node/services/sync/office-repos';
import { joinOfficeServer } from '../node/services/sync/workspace-sync';
import { type CallContext, type Channel, type ResponseOf, TemplateInputSchema } from '../shared/api/contract';
import type { Article } from '../shared/domain/article';
import type { Doc } from '../shared/domain/doc';
import { WorkspaceStore } from '../node/services/store/workspace-store';
import { buildFromTemplate } from '../node/services/templates';
import { addRepository, missingPackages, setUser, startServer, stopServer } from '../scripts/office-server/kit';
import { quantile } from './stats';
import { freePort } from '../tests/support/free-port';

// BENCH_SYNC_ARTICLES=2000 for a quicker look while working on it.
const ARTICLES = Number(process.env.BENCH_SYNC_ARTICLES ?? 10_000);
const ROUNDS = 10;
const SCRYPT = { N: 1024, r: 8, p: 1 };
const PASSWORDS = { admin: 'admin-pass-2026', writer: 'writer-pass-2026' };

const missing = missingPackages();
if (missing.length) {
  console.log(`sync-blocking: skipped, missing ${missing.join(' ')} (sudo apt-get install -y git apache2 apache2-utils)`);
  process.exit(0);
}

function desk(workspace: Workspace, sessionId: string) {
  const ctx: CallContext = { transport: 'http', sessionId };
  return async <C extends Channel>(channel: C, payload: unknown): Promise<ResponseOf<C>> => {
    const envelope = await workspace.dispatch(channel, payload, ctx);
    if (!envelope.ok) throw new Error(`${channel}: ${envelope.error.code} ${envelope.error.detail}`);
    return envelope.value as ResponseOf<C>;
  };
}

const root = mkdtempSync(join(tmpdir(), 'gazette-bench-sync-blocking-'));
chmodSync(root, 0o755);
const serverDir = join(root, 'server');
const port = await freePort();
const url = `http://127.0.0.1:${port}/git/`;
const quiet = { scrypt: SCRYPT, autoStartOutbox: false } as const;

try {
  // The administrator's desktop: the office, a writer of the same unit, and the unit's articles.
  const adminDir = join(root, 'admin');
  const admin = await openWorkspace(adminDir, quiet);
  const asAdmin = desk(admin, 'http:admin');
  const setup = await asAdmin('session:setup', { name: '管理员', unit: '党政办', password: PASSWORDS.admin });
  const adminId = setup.person!.id;
  const writerId = (await asAdmin('people:save', { name: '张撰稿', unit: '党政办', roles: ['writer'], password: PASSWORDS.writer })).id;
  await admin.close();
  // The articles straight through the store (the API's review bookkeeping is not what is measured here).
  let started = performance.now();
  const store = await WorkspaceStore.open(adminDir);
  for (let i = 0; i < ARTICLES; i++) {
    const paragraphs = Array.from({ length: 8 }, (_, p) => ({
      type: 'paragraph',
      content: [{ type: 'text', text: `第${i + 1}篇第${p + 1}段：区政府召开常务会议，研究部署当前重点工作。` }],
    }));
    await store.create({ ...buildFromTemplate('blank', TemplateInputSchema.parse({})).meta, title: `会议纪要 ${i + 1}` }, { type: 'doc', content: paragraphs } as Doc, { createdBy: adminId });
  }
  await store.close();
  console.log(`sync-blocking: ${ARTICLES} articles written in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  await startServer({ dir: serverDir, port });
  for (const name of ['office', draftsRepo('党政办').name, submittedRepo('党政办').name, `person-${adminId}`, `person-${writerId}`]) addRepository(serverDir, name);
  setUser(serverDir, adminId, PASSWORDS.admin);
  setUser(serverDir, writerId, PASSWORDS.writer);
  started = performance.now();
  const first = await joinOfficeServer({ serverUrl: url, personId: adminId, password: PASSWORDS.admin, dir: adminDir, scryptCost: SCRYPT });
  if (first.status !== 'joined') throw new Error(`first desktop: ${first.status} ${first.message}`);
  console.log(`sync-blocking: the first desktop sent the office and its articles in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  // The writer's desktop, opened as the app opens it; joining through the API signs them in and starts the rounds.
  const writer = await openWorkspace(join(root, 'writer'), { ...quiet, sync: { intervalMs: 3_600_000, saveDelayMs: 3_600_000 } });
  const asWriter = desk(writer, 'http:writer');
  started = performance.now();
  await asWriter('office:join', { url, personId: writerId, password: PASSWORDS.writer });
  console.log(`sync-blocking: the writer's desktop joined (${ARTICLES} articles) in ${((performance.now() - started) / 1000).toFixed(1)} s`);

  // The probes: a 10 ms timer and the API, on the main thread, while rounds run.
  const lateness: number[] = [];
  const apiTimes: number[] = [];
  /** Samples taken while a round ran: the saves between rounds are the store's work, not the sync's. */
  const duringRounds = { lateness: [] as number[], api: [] as number[] };
  /** The same probes with no round running: what the machine itself costs (other processes, garbage collection). */
  const idle = { lateness: [] as number[], api: [] as number[] };
  let inRound = false;
  let inIdle = true;
  let probing = true;
  let expected = performance.now() + 10;
  const timer = setInterval(() => {
    const now = performance.now();
    lateness.push(Math.max(0, now - expected));
    if (inRound) duringRounds.lateness.push(Math.max(0, now - expected));
    if (inIdle) idle.lateness.push(Math.max(0, now - expected));
    expected = now + 10;
  }, 10);
  const api = (async () => {
    while (probing) {
      const t0 = performance.now();
      await asWriter('articles:list', { limit: 50 });
      await asWriter('sync:status', {});
      apiTimes.push(performance.now() - t0);
      if (inRound) duringRounds.api.push(performance.now() - t0);
      if (inIdle) idle.api.push(performance.now() - t0);
      await new Promise((done) => setTimeout(done, 5));
    }
  })();

  await new Promise((done) => setTimeout(done, 15_000));
  inIdle = false;
  const roundTimes: number[] = [];
  const ids = (await asWriter('articles:list', { limit: ROUNDS })).items.map((item) => item.id);
  for (let i = 0; i < ROUNDS; i++) {
    const id = ids[i % ids.length]!;
    const article = (await asWriter('articles:get', { id })) as Article;
    const doc = { ...article.doc, content: [...article.doc.content, { type: 'paragraph', content: [{ type: 'text', text: `补充 ${i}` }] }] };
    await asWriter('articles:save', { id, meta: article.meta, doc, baseUpdatedAt: article.updatedAt });
    const t0 = performance.now();
    inRound = true;
    const report = await asWriter('sync:now', {});
    inRound = false;
    roundTimes.push(performance.now() - t0);
    if (report.phase !== 'synced') console.log(`sync-blocking: round ${i + 1} ended ${report.phase}: ${report.message ?? ''}`);
  }
  probing = false;
  clearInterval(timer);
  await api;
  await writer.close();

  const ms = (n: number) => `${n.toFixed(1)} ms`;
  console.log(`sync-blocking: ${ROUNDS} rounds (one changed article each, saved through the API) on a ${ARTICLES}-article unit`);
  console.log(`  round (sync:now, in the worker): median ${ms(quantile(roundTimes, 0.5))}, max ${ms(Math.max(...roundTimes))}`);
  const max = (list: number[]) => (list.length ? Math.max(...list) : Number.NaN);
  console.log(
    `  while rounds ran — 10 ms timer lateness: median ${ms(quantile(duringRounds.lateness, 0.5))}, p99 ${ms(quantile(duringRounds.lateness, 0.99))}, longest main-thread stall ${ms(max(duringRounds.lateness))} (target ≤ 50 ms)`,
  );
  console.log(
    `  while rounds ran — API (articles:list + sync:status): ${duringRounds.api.length} calls, median ${ms(quantile(duringRounds.api, 0.5))}, p99 ${ms(quantile(duringRounds.api, 0.99))}, max ${ms(max(duringRounds.api))}`,
  );
  console.log(
    `  baseline, 15 s with no round — longest stall ${ms(max(idle.lateness))}, p99 ${ms(quantile(idle.lateness, 0.99))}; API max ${ms(max(idle.api))} (the machine's own noise: load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores)`,
  );
  console.log(
    `  whole run incl. the saves between rounds (store work on the main thread) — longest stall ${ms(max(lateness))}, API max ${ms(max(apiTimes))}`,
  );
} finally {
  await stopServer(serverDir).catch(() => false);
  rmSync(root, { recursive: true, force: true });
}
