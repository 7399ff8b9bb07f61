/*
 * Office sync: committing one changed article in a 10,000-article office
 * repository (target ≤ 200 ms). The commit writes the article's blob and the
 * trees on its path straight into the object store — it never scans the
 * workspace or uses git's index — so its cost must not follow the number of
 * articles beyond the one `articles/` tree it rewrites.
 *
 * Where git and Apache are installed, also one sync round with one changed
 * article against the office server kit (fetch, then push through the
 * pre-receive hook), the next slice's target being ≤ 1 s.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeRecordCrypto as crypto } from '../node/services/record/crypto';
import { OfficeSyncClient } from '../node/services/sync/client';
import { committerEmail, ed25519Signer } from '../node/services/sync/sshsig';
import { entrySigningText, nextEntry, type RecordEntry, type SignedEvent, signedEntry } from '../shared/record/entry';
import { type OfficePolicy, POLICY_FORMAT, policySigningText } from '../shared/record/policy';
import { defaultReviewChain, type Person } from '../shared/workflow/review-chain';
import { addRepository, missingPackages, repositoryUrl, setUser, startServer, stopServer } from '../scripts/office-server/kit';
import { newSigner, type Signer, signText } from '../tests/support/signer';
import { quantile } from './stats';
import { freePort } from '../tests/support/free-port';

// BENCH_SYNC_ARTICLES=2000 for a quicker look while working on it.
const ARTICLES = Number(process.env.BENCH_SYNC_ARTICLES ?? 10_000);
const ROUNDS = 20;
const signer = (id: string, roles: Person['roles']) => newSigner({ id, name: id, unit: '', roles, active: true });
const admin = signer('admin', ['admin']);
const writer = signer('writer', ['writer']);
const reviewer = signer('r1', ['reviewer']);
const everyone = [admin, writer, reviewer];
const T0 = new Date(Date.now() - 86_400_000).toISOString();
const HASH = 'c'.repeat(64);

const idOf = (n: number) => `bench${String(n).padStart(6, '0')}`;

function articleText(id: string, edit = 0): string {
  const paragraphs = Array.from({ length: 12 }, (_, i) => ({
    type: 'paragraph',
    content: [{ type: 'text', text: `${id} 第${i + 1}段：区政府召开常务会议，研究部署当前重点工作，会议强调要抓好各项任务落实。${edit ? `（修改 ${edit}）` : ''}` }],
  }));
  return `${JSON.stringify({ format: 'gazette/article', version: 1, id, meta: { title: `${id} 会议纪要` }, doc: { type: 'doc', content: paragraphs } }, null, 2)}\n`;
}

function recordText(id: string): string {
  const entries: RecordEntry[] = [];
  const add = (who: Signer, event: Record<string, unknown>) => {
    const unsigned = nextEntry(id, entries.at(-1) ?? null, 1, { ...event, actorId: who.person.id, at: T0, contentHash: HASH } as SignedEvent, crypto);
    entries.push(signedEntry(unsigned, { keyId: who.keyId, value: signText(who, entrySigningText(unsigned)) }));
  };
  add(writer, { type: 'submit', stageId: 'first', note: '' });
  add(reviewer, { type: 'comment', commentId: 'c1', stageId: 'first', body: '此处表述请再核实。', anchor: null });
  return entries.map((e) => `${JSON.stringify(e)}\n`).join('');
}

function policyFiles(): Array<[string, string]> {
  const policy: OfficePolicy = {
    format: POLICY_FORMAT,
    version: 1,
    previous: null,
    issuedAt: T0,
    issuedBy: 'admin',
    note: '',
    chain: defaultReviewChain(),
    people: everyone.map((s) => s.person),
    keys: everyone.map((s) => ({ keyId: s.keyId, personId: s.person.id, publicKey: s.publicKey, validFrom: T0, revokedAt: null, revokedReason: '' })),
  };
  const signed = { policy, signature: { keyId: admin.keyId, value: signText(admin, policySigningText(policy)) } };
  return [
    ['office/root.json', `${JSON.stringify({ format: 'gazette/office-root/v1', rootKeyId: admin.keyId, createdAt: T0 }, null, 2)}\n`],
    ['office/policy/000001.json', `${JSON.stringify(signed, null, 2)}\n`],
  ];
}

/** The office repository as a desktop has it after joining: one packed history of every article (built with git fast-import). */
function buildRepository(dir: string): void {
  execFileSync('git', ['init', '--quiet', '--initial-branch=main', dir]);
  const parts: Buffer[] = [];
  const files: Array<[string, string]> = [...policyFiles()];
  for (let n = 0; n < ARTICLES; n++) {
    const id = idOf(n);
    files.push([`articles/${id}/article.json`, articleText(id)], [`articles/${id}/record.jsonl`, recordText(id)]);
  }
  const data = (text: string) => {
    const bytes = Buffer.from(text, 'utf8');
    parts.push(Buffer.from(`data ${bytes.length}\n`), bytes, Buffer.from('\n'));
  };
  for (const [i, [, text]] of files.entries()) {
    parts.push(Buffer.from(`blob\nmark :${i + 1}\n`));
    data(text);
  }
  const stamp = `${Math.floor(Date.parse(T0) / 1000)} +0800`;
  parts.push(Buffer.from(`commit refs/heads/main\ncommitter admin <${committerEmail('admin')}> ${stamp}\n`));
  data('单位策略与文稿');
  for (const [i, [path]] of files.entries()) parts.push(Buffer.from(`M 100644 :${i + 1} ${path}\n`));
  execFileSync('git', ['fast-import', '--quiet'], { cwd: dir, input: Buffer.concat(parts), maxBuffer: 64 * 1024 * 1024 });
}

/** Bytes of loose objects (what commits wrote since the repository was packed). */
function looseObjectBytes(objects: string): number {
  let total = 0;
  for (const folder of readdirSync(objects)) {
    if (!/^[0-9a-f]{2}$/.test(folder)) continue;
    for (const file of readdirSync(join(objects, folder))) total += statSync(join(objects, folder, file)).size;
  }
  return total;
}

const ms = (value: number) => `${value.toFixed(0)} ms`;

async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'gazette-bench-sync-'));
  chmodSync(root, 0o755);
  const ws = join(root, 'desktop');
  try {
    const built = performance.now();
    buildRepository(ws);
    console.log(`office repository: ${ARTICLES} articles (${ARTICLES * 2 + 2} files) built in ${ms(performance.now() - built)}`);

    const changed = idOf(4321);
    const path = `articles/${changed}/article.json`;
    mkdirSync(join(ws, 'articles', changed), { recursive: true });
    const client = new OfficeSyncClient({
      dir: ws,
      credentials: () => ({ username: 'writer', password: 'bench-pass-2026' }),
      signer: { personId: 'writer', name: '张撰稿', publicKey: writer.publicKey, sign: ed25519Signer(writer.privateKey) },
      retry: { attempts: 1 },
      // BENCH_SYNC_LOG=1 prints the client's own timings (fetch, push) for each round.
      log: process.env.BENCH_SYNC_LOG ? console.log : undefined,
    });
    const samples: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      writeFileSync(join(ws, path), articleText(changed, round));
      const start = performance.now();
      const result = await client.commitChanged([path]);
      samples.push(performance.now() - start);
      if (result.committed.join() !== path) throw new Error(`commit carried ${result.committed.join(', ')}`);
    }
    const [first, ...warm] = samples;
    const loose = looseObjectBytes(join(ws, '.git', 'objects'));
    console.log(
      `commit of one changed article (${ARTICLES} articles): first ${ms(first!)} (reads the pack index), then median ${ms(quantile(warm, 0.5))}, p95 ${ms(quantile(warm, 0.95))}, max ${ms(Math.max(...warm))}  (target ≤ 200 ms)`,
    );
    console.log(`objects written per such commit: ${(loose / ROUNDS / 1024).toFixed(0)} KiB (loose, zlib; the new articles/ tree is most of it)`);

    const missing = missingPackages();
    if (missing.length) {
      console.log(`sync round: skipped (missing ${missing.join(' ')}: sudo apt-get install -y git apache2 apache2-utils)`);
      return;
    }
    const serverDir = join(root, 'server');
    const port = await freePort();
    await startServer({ dir: serverDir, port });
    try {
      setUser(serverDir, 'writer', 'bench-pass-2026');
      const repo = addRepository(serverDir, 'office');
      // The server starts from the same first commit, copied in past the hook (it is the bench's scaffolding, not a push).
      const base = execFileSync('git', ['-C', ws, 'rev-list', '--max-parents=0', 'main'], { encoding: 'utf8' }).trim();
      execFileSync('git', ['-c', 'safe.directory=*', '--git-dir', repo, 'fetch', '--quiet', ws, `${base}:refs/heads/main`]);
      addRepository(serverDir, 'office');
      spawnSync('git', ['-C', ws, 'remote', 'add', 'origin', repositoryUrl({ port }, 'office')]);
      const catchUp = performance.now();
      const first = await client.sync();
      if (first.status !== 'synced') throw new Error(`first sync: ${JSON.stringify(first)}`);
      console.log(`first sync of this desktop (fetches the server's history, pushes the ${ROUNDS} commits above): ${ms(performance.now() - catchUp)}`);
      const rounds: number[] = [];
      for (let round = 1; round <= 5; round++) {
        writeFileSync(join(ws, path), articleText(changed, 100 + round));
        const start = performance.now();
        await client.commitChanged([path]);
        const result = await client.sync();
        rounds.push(performance.now() - start);
        if (result.status !== 'synced') throw new Error(`sync: ${JSON.stringify(result)}`);
      }
      console.log(
        `commit + sync round (fetch, push through the pre-receive hook) with one changed article: median ${ms(quantile(rounds, 0.5))}, max ${ms(Math.max(...rounds))}  (next slice's target ≤ 1 s)`,
      );
    } finally {
      await stopServer(serverDir);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

await main();
