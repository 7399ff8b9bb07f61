/*
 * Office sync at 10,000 articles in a unit, desktops working with all of their
 * office's repositories (WorkspaceSync) against the office server kit:
 *
 *   - first join (clone) of the unit by a writer's new desktop     target ≤ 60 s
 *   - commit of one changed article (routed to the unit's drafts)   target ≤ 200 ms
 *   - one sync round with one changed article                       target ≤ 1 s
 *     (as after a save, which names the article; and as on the timer, which
 *     looks at every file)
 *
 * and where a round's time goes: looking for changed files (one stat per
 * synced file), committing, and each repository's fetch and push.
 *
 * The unit's 10,000 articles are written straight into the server's drafts
 * repository (git fast-import, then one commit signed by the writer's key the
 * way a desktop signs), not pushed 10,000 times: the bench measures the
 * desktops, not how the history came about. Printed, never asserted.
 *
 * Needs git and Apache (the office server kit); says why it skips otherwise.
 * BENCH_SYNC_ARTICLES=2000 for a quicker look while working on it.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openWorkspace } from '../node/services';
import { passwordProtector, unlockKeyPair } from '../node/services/identity/keys';
import { PeopleDirectory } from '../node/services/identity/people-directory';
import type { HttpClient } from 'isomorphic-git';
import { syncSignerFor } from '../node/services/sync/client';
import { nodeHttpClient } from '../node/services/sync/http';
import { commitPayload, timezoneOf, withSignature } from '../node/services/sync/git-objects';
import { draftsRepo, submittedRepo } from '../node/services/sync/office-repos';
import { committerEmail, sshSign } from '../node/services/sync/sshsig';
import { changedFiles, readFileState } from '../node/services/sync/workspace-files';
import { joinOfficeServer, WorkspaceSync } from '../node/services/sync/workspace-sync';
import type { CallContext, Channel, ResponseOf } from '../shared/api/contract';
import { addRepository, missingPackages, repositoryPath, setUser, startServer, stopServer } from '../scripts/office-server/kit';
import { quantile } from './stats';
import { freePort } from '../tests/support/free-port';

const ARTICLES = Number(process.env.BENCH_SYNC_ARTICLES ?? 10_000);
const COMMITS = 20;
const ROUNDS = 5;
const UNIT = '党政办';
const SCRYPT = { N: 1024, r: 8, p: 1 };
const PASSWORDS = { admin: 'admin-pass-2026', writer: 'writer-pass-2026' };

const missing = missingPackages();
if (missing.length) {
  console.log(`sync-office: skipped, missing ${missing.join(' ')} (sudo apt-get install -y git apache2 apache2-utils)`);
  process.exit(0);
}

const ms = (value: number) => `${value.toFixed(0)} ms`;
const idOf = (n: number) => `bench${String(n).padStart(6, '0')}`;

/** An article file as the store writes it, near enough in size and shape (a dozen paragraphs of a 会议纪要). */
function articleText(id: string, createdBy: string, edit = 0): string {
  const paragraphs = Array.from({ length: 12 }, (_, i) => ({
    type: 'paragraph',
    content: [{ type: 'text', text: `${id} 第${i + 1}段：区政府召开常务会议，研究部署当前重点工作，会议强调要抓好各项任务落实。${edit ? `（修改 ${edit}）` : ''}` }],
  }));
  return `${JSON.stringify(
    { format: 'gazette/article', version: 1, id, createdBy, status: 'draft', meta: { title: `${id} 会议纪要` }, doc: { type: 'doc', content: paragraphs } },
    null,
    2,
  )}\n`;
}

/** Every file under `office/` of a workspace, as slash paths with their bytes. */
function officeFiles(dir: string): Array<[string, Buffer]> {
  const out: Array<[string, Buffer]> = [['office/root.json', readFileSync(join(dir, 'office', 'root.json'))]];
  for (const name of readdirSync(join(dir, 'office', 'policy')).sort()) out.push([`office/policy/${name}`, readFileSync(join(dir, 'office', 'policy', name))]);
  return out;
}

/**
 * The unit's drafts as one commit of `ARTICLES` articles by the writer, written
 * into the server's bare repository: blobs and trees by git fast-import, the
 * commit signed (SSH format, the writer's Ed25519 key) as a desktop signs it.
 */
function fillDrafts(repo: string, files: Array<[string, Buffer]>, signer: ReturnType<typeof syncSignerFor>): string {
  const parts: Buffer[] = [];
  for (const [i, [, bytes]] of files.entries()) parts.push(Buffer.from(`blob\nmark :${i + 1}\ndata ${bytes.length}\n`), bytes, Buffer.from('\n'));
  const stamp = `${Math.floor(Date.now() / 1000)} +0800`;
  parts.push(Buffer.from(`commit refs/bench/tree\ncommitter bench <bench@gazette.invalid> ${stamp}\ndata 5\nbench\n`));
  for (const [i, [path]] of files.entries()) parts.push(Buffer.from(`M 100644 :${i + 1} ${path}\n`));
  const git = (args: string[], input?: Buffer) => execFileSync('git', ['-c', 'safe.directory=*', '--git-dir', repo, ...args], { input, maxBuffer: 256 * 1024 * 1024 }).toString().trim();
  git(['fast-import', '--quiet'], Buffer.concat(parts));
  const tree = git(['rev-parse', 'refs/bench/tree^{tree}']);
  git(['update-ref', '-d', 'refs/bench/tree']);
  const now = new Date();
  const who = { name: signer.name, email: committerEmail(signer.personId), timestamp: Math.floor(now.getTime() / 1000), timezone: timezoneOf(now) };
  const payload = commitPayload({ tree, parents: [], author: who, committer: who, message: `${UNIT}的 ${files.length} 个文件\n` });
  const commit = git(['hash-object', '-t', 'commit', '-w', '--stdin'], withSignature(payload, sshSign(payload, signer.publicKey, signer.sign)));
  git(['update-ref', 'refs/heads/main', commit]);
  return commit;
}

/**
 * The desktop's HTTP client, timed: how long requests took from sending to
 * the last byte of the answer (the server's work and the network), so the
 * rest of a join or a round is the desktop's own.
 */
function timedHttp(): { http: HttpClient; waited: () => number; requests: () => number; reset: () => void } {
  const inner = nodeHttpClient();
  let waited = 0;
  let requests = 0;
  return {
    http: {
      async request(request) {
        const t0 = performance.now();
        requests++;
        const res = await inner.request(request);
        const body = res.body;
        return {
          ...res,
          body: (async function* () {
            try {
              if (body) for await (const chunk of body as AsyncIterable<Uint8Array>) yield chunk;
            } finally {
              waited += performance.now() - t0;
            }
          })(),
        };
      },
    },
    waited: () => waited,
    requests: () => requests,
    reset: () => {
      waited = 0;
      requests = 0;
    },
  };
}

const root = mkdtempSync(join(tmpdir(), 'gazette-bench-sync-office-'));
chmodSync(root, 0o755);
const serverDir = join(root, 'server');
const port = await freePort();
const url = `http://127.0.0.1:${port}/git/`;

try {
  // The office: an administrator and a writer of one unit, made through the API as the app makes them.
  const adminDir = join(root, 'admin');
  const admin = await openWorkspace(adminDir, { scrypt: SCRYPT, autoStartOutbox: false });
  const ctx: CallContext = { transport: 'http', sessionId: 'bench:admin' };
  const call = async <C extends Channel>(channel: C, payload: unknown): Promise<ResponseOf<C>> => {
    const envelope = await admin.dispatch(channel, payload, ctx);
    if (!envelope.ok) throw new Error(`${channel}: ${envelope.error.code} ${envelope.error.detail}`);
    return envelope.value as ResponseOf<C>;
  };
  const adminId = (await call('session:setup', { name: '管理员', unit: UNIT, password: PASSWORDS.admin })).person!.id;
  const writerId = (await call('people:save', { name: '张撰稿', unit: UNIT, roles: ['writer'], password: PASSWORDS.writer })).id;
  await admin.close();

  await startServer({ dir: serverDir, port });
  for (const name of ['office', draftsRepo(UNIT).name, submittedRepo(UNIT).name, `person-${adminId}`, `person-${writerId}`]) addRepository(serverDir, name);
  setUser(serverDir, adminId, PASSWORDS.admin);
  setUser(serverDir, writerId, PASSWORDS.writer);
  const founded = await joinOfficeServer({ serverUrl: url, personId: adminId, password: PASSWORDS.admin, dir: adminDir, scryptCost: SCRYPT });
  if (founded.status !== 'joined') throw new Error(`the first desktop: ${founded.status} ${founded.message}`);

  const people = await PeopleDirectory.open(adminDir);
  const writerKey = await unlockKeyPair(people.record(writerId)!.key!, passwordProtector(PASSWORDS.writer));
  const signer = syncSignerFor(writerKey, '张撰稿');
  let started = performance.now();
  const files: Array<[string, Buffer]> = [...officeFiles(adminDir)];
  for (let n = 0; n < ARTICLES; n++) files.push([`articles/${idOf(n)}/article.json`, Buffer.from(articleText(idOf(n), writerId))]);
  fillDrafts(repositoryPath(serverDir, draftsRepo(UNIT).name), files, signer);
  // Written by this process: handed back to Apache's workers, who must add objects beside these.
  addRepository(serverDir, draftsRepo(UNIT).name);
  console.log(`sync-office: the unit's drafts on the server: ${ARTICLES} articles written in ${ms(performance.now() - started)} (fast-import + one signed commit)`);

  // First join of a writer's new desktop: every repository the writer reads, the unit's drafts among them.
  const writerDir = join(root, 'writer');
  const net = timedHttp();
  // The join ends with a round, whose clients log each fetch: the first such line marks the round's first fetch.
  let roundStarted: number | null = null;
  started = performance.now();
  const joined = await joinOfficeServer({
    serverUrl: url,
    personId: writerId,
    password: PASSWORDS.writer,
    dir: writerDir,
    scryptCost: SCRYPT,
    http: net.http,
    log: (message) => {
      if (roundStarted === null && message.startsWith('[sync] fetch:')) roundStarted = performance.now() - Number(/(\d+) ms/.exec(message)?.[1] ?? 0);
    },
  });
  const joinMs = performance.now() - started;
  if (joined.status !== 'joined') throw new Error(`the writer's join: ${joined.status} ${joined.message}`);
  console.log(`first join (clone) of a ${ARTICLES}-article unit: ${(joinMs / 1000).toFixed(1)} s, ${joined.received} files received, repositories ${joined.repos.join(', ')}  (target ≤ 60 s)`);
  console.log(
    `  of which waiting for the server (${net.requests()} requests, sending to last byte): ${(net.waited() / 1000).toFixed(1)} s; the desktop's own work (checking, writing files, the first round's look at them): ${((joinMs - net.waited()) / 1000).toFixed(1)} s`,
  );
  if (roundStarted !== null) {
    const beforeFetch = (roundStarted as number) - started;
    console.log(
      `  until the join's round first fetches (the repositories fetched, checked and written, then that round's look at every file): ${(beforeFetch / 1000).toFixed(1)} s; the rest of that round: ${((joinMs - beforeFetch) / 1000).toFixed(1)} s`,
    );
  }

  const timings: string[] = [];
  const sync = (await WorkspaceSync.open(writerDir, {
    credentials: () => ({ username: writerId, password: PASSWORDS.writer }),
    signer,
    retry: { attempts: 1 },
    http: net.http,
    // The clients' own timings: each repository's fetch and push.
    log: (message) => timings.push(message),
  }))!;
  // The look a first round takes with no stat cache (every file read, hashed and routed), as the join's round took it.
  rmSync(join(writerDir, '.sync', 'files.json'), { force: true });
  started = performance.now();
  await sync.pending();
  console.log(`  of which that round's look at every file with no stat cache (sync.pending() with .sync/files.json removed): ${((performance.now() - started) / 1000).toFixed(1)} s`);
  const changed = idOf(Math.floor(ARTICLES / 2));
  const path = `articles/${changed}/article.json`;

  const commits: number[] = [];
  for (let i = 1; i <= COMMITS; i++) {
    writeFileSync(join(writerDir, path), articleText(changed, writerId, i));
    const t0 = performance.now();
    const report = await sync.commitPaths([path]);
    commits.push(performance.now() - t0);
    if (report.commits.length !== 1 || report.commits[0]!.repo !== draftsRepo(UNIT).name) throw new Error(`commit went to ${JSON.stringify(report)}`);
  }
  const [firstCommit, ...warm] = commits;
  console.log(
    `commit of one changed article (WorkspaceSync.commitPaths, ${ARTICLES} articles): first ${ms(firstCommit!)}, then median ${ms(quantile(warm, 0.5))}, p95 ${ms(quantile(warm, 0.95))}, max ${ms(Math.max(...warm))}  (target ≤ 200 ms)`,
  );
  // Sends the commits above, so the rounds below each carry one change.
  const catchUp = await sync.round();
  if (catchUp.phase !== 'synced') throw new Error(`round: ${catchUp.phase} ${catchUp.message}`);

  // As the app runs rounds: after a save it names the article written (the round looks at it and the office's own
  // files), on its timer it looks at every file (one stat each). Both measured, alternately.
  const rounds: number[] = [];
  const fullRounds: number[] = [];
  const waits: number[] = [];
  const scans: number[] = [];
  for (let i = 1; i <= ROUNDS * 2; i++) {
    const told = i % 2 === 1;
    writeFileSync(join(writerDir, path), articleText(changed, writerId, 100 + i));
    if (!told) {
      // What a full look costs on its own: one stat per synced file, the changed one read and hashed.
      const t0 = performance.now();
      const found = await changedFiles(writerDir, await readFileState(join(writerDir, '.sync', 'files.json')));
      scans.push(performance.now() - t0);
      if (found.length !== 1) throw new Error(`the scan found ${found.length} changed files`);
    }
    timings.length = 0;
    net.reset();
    const t1 = performance.now();
    const report = await sync.round(told ? { articles: [changed] } : undefined);
    (told ? rounds : fullRounds).push(performance.now() - t1);
    if (told) waits.push(net.waited());
    if (report.phase !== 'synced' || report.sent.length !== 1) throw new Error(`round ${i}: ${report.phase} sent ${report.sent.length}: ${report.message}`);
    if (i === ROUNDS * 2 - 1) console.log(`  where the last such round's time went (the clients' logs): ${timings.join('; ')}`);
  }
  console.log(
    `sync round with one changed article, after its save (WorkspaceSync.round told the article, over ${joined.repos.length} repositories): median ${ms(quantile(rounds, 0.5))}, max ${ms(Math.max(...rounds))}  (target ≤ 1 s)`,
  );
  console.log(`  of which waiting for the server (fetches, the push through the pre-receive hook): median ${ms(quantile(waits, 0.5))}`);
  console.log(
    `the timer's round with one changed article, looking at every file: median ${ms(quantile(fullRounds, 0.5))}, max ${ms(Math.max(...fullRounds))}; of which the look (stat of every synced file, ${ARTICLES + 2}+): median ${ms(quantile(scans, 0.5))}`,
  );
} finally {
  await stopServer(serverDir).catch(() => false);
  rmSync(root, { recursive: true, force: true });
}
