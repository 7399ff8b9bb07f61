import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeRecordCrypto as crypto } from '../../node/services/record/crypto';
import { joinOffice, OfficeSyncClient, type SyncResult } from '../../node/services/sync/client';
import { allowedSigners, ed25519Signer } from '../../node/services/sync/sshsig';
import { entrySigningText, nextEntry, type RecordEntry, type SignedEvent, signedEntry } from '../../shared/record/entry';
import { verifyArticleRecord } from '../../shared/record/verify';
import type { Person } from '../../shared/workflow/review-chain';
import { addRepository, killServer, missingPackages, repositoryPath, repositoryUrl, setUser, startServer, stopServer } from '../../scripts/office-server/kit';
import { serverOffice, writeOffice } from '../support/server-office';
import { newSigner, type Signer, signText } from '../support/signer';
import { freePort } from '../support/free-port';

/*
 * Office sync against the real thing: Debian's Apache running git-http-backend
 * with Gazette's pre-receive hook, started by the kit in a temporary folder on
 * a free port. Desktops are workspaces driven by the sync client; attacks are
 * made the way someone would make them, with the system git or by editing
 * files, and each must be refused with its reason and leave the server's
 * branch where it was.
 */

const missing = missingPackages();
if (missing.length) console.warn(`[skip] office sync tests: missing ${missing.join(' ')} (sudo apt-get install -y git apache2 apache2-utils)`);

const PASSWORD = 'office-pass-2026';
const person = (id: string, name: string, roles: Person['roles']): Person => ({ id, name, unit: '党政办', roles, active: true });
const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);

/** The office of these tests: an administrator, a writer and a first reviewer. */
const makeOffice = () =>
  serverOffice({ admin: person('admin', '管理员', ['admin']), writer: person('writer', '张撰稿', ['writer']), r1: person('r1', '李初审', ['reviewer']) });
type Office = ReturnType<typeof makeOffice>;

function sign(entries: readonly RecordEntry[], articleId: string, event: SignedEvent, by: Signer): RecordEntry {
  const unsigned = nextEntry(articleId, entries.at(-1) ?? null, 1, event, crypto);
  return signedEntry(unsigned, { keyId: by.keyId, value: signText(by, entrySigningText(unsigned)) });
}

/** A submitted article's record: the writer's submission and the first reviewer's comment. */
function recordOf(office: Office, articleId: string): RecordEntry[] {
  const at = (s: number) => new Date(Date.now() - 3600_000 + s * 1000).toISOString();
  const submit = sign([], articleId, { type: 'submit', at: at(0), actorId: 'writer', contentHash: HASH_A, stageId: 'first', note: '' }, office.writer);
  const commented = sign(
    [submit],
    articleId,
    { type: 'comment', at: at(1), actorId: 'r1', contentHash: HASH_A, commentId: 'c1', stageId: 'first', body: '请核实日期', anchor: null },
    office.r1,
  );
  const entries = [submit, commented];
  expect(verifyArticleRecord({ articleId, entries, policy: office.verified(), currentHash: null, crypto }).problems).toEqual([]);
  return entries;
}

const jsonl = (entries: readonly unknown[]) => entries.map((e) => `${JSON.stringify(e)}\n`).join('');

function writeArticle(dir: string, id: string, body: string, record?: readonly unknown[]): string[] {
  mkdirSync(join(dir, 'articles', id), { recursive: true });
  writeFileSync(join(dir, 'articles', id, 'article.json'), `${JSON.stringify({ id, body }, null, 2)}\n`);
  const paths = [`articles/${id}/article.json`];
  if (record) {
    writeFileSync(join(dir, 'articles', id, 'record.jsonl'), jsonl(record));
    paths.push(`articles/${id}/record.jsonl`);
  }
  return paths;
}

function git(cwd: string, args: string[]): { status: number; stdout: string; stderr: string } {
  const result = spawnSync('git', ['-c', 'safe.directory=*', '-c', 'init.defaultBranch=main', ...args], { cwd, encoding: 'utf8' });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

describe.skipIf(missing.length > 0)('office sync through Apache + git-http-backend and the pre-receive hook', () => {
  let root: string;
  let serverDir: string;
  let port: number;
  let repoCount = 0;

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'gazette-office-sync-'));
    // Started as root, Apache's workers run as www-data and must be able to enter the folder.
    chmodSync(root, 0o755);
    serverDir = join(root, 'server');
    port = await freePort();
    await startServer({ dir: serverDir, port });
    for (const login of ['admin', 'writer', 'r1']) setUser(serverDir, login, PASSWORD);
  }, 30_000);

  afterAll(async () => {
    if (serverDir) await stopServer(serverDir);
    if (root) rmSync(root, { recursive: true, force: true });
  });

  const credentials = (login: string) => () => ({ username: login, password: PASSWORD });
  const signer = (s: Signer) => ({ personId: s.person.id, name: s.person.name, publicKey: s.publicKey, sign: ed25519Signer(s.privateKey) });
  const client = (dir: string, who: Signer, now?: () => Date) =>
    new OfficeSyncClient({ dir, credentials: credentials(who.person.id), signer: signer(who), retry: { attempts: 2, baseDelayMs: 50 }, now });
  const serverHead = (name: string) => git(root, ['--git-dir', repositoryPath(serverDir, name), 'rev-parse', '--verify', '--quiet', 'refs/heads/main']).stdout.trim();
  const authedUrl = (name: string, login: string) => repositoryUrl({ port }, name).replace('http://', `http://${login}:${PASSWORD}@`);

  /** A new office repository whose first commit (root key and policy v1) the admin pushed from workspace `admin`. */
  async function newOffice() {
    const name = `office-${++repoCount}`;
    addRepository(serverDir, name);
    const url = repositoryUrl({ port }, name);
    const office = makeOffice();
    const adminDir = join(root, `${name}-admin`);
    expect(await joinOffice({ url, username: 'admin', password: PASSWORD, dir: adminDir })).toEqual({ status: 'joined', head: null, received: [] });
    const admin = client(adminDir, office.admin);
    await admin.commitChanged(writeOffice(adminDir, office), '单位策略第 1 版');
    expect((await admin.sync()).status).toBe('synced');
    const join_ = async (who: Signer, label: string) => {
      const dir = join(root, `${name}-${label}`);
      const joined = await joinOffice({ url, username: who.person.id, password: PASSWORD, dir });
      expect(joined.status).toBe('joined');
      return { dir, sync: client(dir, who) };
    };
    return { name, url, office, adminDir, admin, join: join_ };
  }

  const refusedWith = (result: SyncResult, code: string) => {
    expect(result.status).toBe('refused');
    if (result.status !== 'refused') return;
    expect(result.codes).toContain(code);
    // One line, Chinese first, then English.
    expect(result.reasons[0]).toMatch(/^拒绝推送：.+ Refused: .+\[[a-z_]+\]$/);
  };

  it('joins, carries an article written on A to B, and refuses a wrong password', async () => {
    const o = await newOffice();
    const a = await o.join(o.office.writer, 'a');
    const b = await o.join(o.office.r1, 'b');
    expect(existsSync(join(b.dir, 'office', 'policy', '000001.json'))).toBe(true);

    const id = 'article-0001';
    const committed = await a.sync.commitChanged([...writeArticle(a.dir, id, '区政府召开常务会议', recordOf(o.office, id)), 'people.json', 'outbox/jobs/x.json']);
    expect(committed.committed).toEqual([`articles/${id}/article.json`, `articles/${id}/record.jsonl`]);
    expect(committed.skipped).toEqual(['people.json', 'outbox/jobs/x.json']);
    const sent = await a.sync.sync();
    expect(sent).toMatchObject({ status: 'synced', sent: [committed.commit] });
    expect(serverHead(o.name)).toBe(committed.commit);

    const received = await b.sync.sync();
    expect(received).toMatchObject({ status: 'synced', received: [`articles/${id}/article.json`, `articles/${id}/record.jsonl`] });
    expect(readFileSync(join(b.dir, 'articles', id, 'article.json'), 'utf8')).toBe(readFileSync(join(a.dir, 'articles', id, 'article.json'), 'utf8'));
    expect(await b.sync.sync()).toEqual({ status: 'up_to_date', head: committed.commit });

    const wrong = new OfficeSyncClient({ dir: b.dir, credentials: () => ({ username: 'r1', password: 'not-the-password' }), signer: null });
    expect((await wrong.sync()).status).toBe('unauthorized');
    expect(await joinOffice({ url: o.url, username: 'r1', password: 'nope-nope', dir: join(root, 'wrong') })).toMatchObject({ status: 'unauthorized' });
    expect(existsSync(join(root, 'wrong', '.git'))).toBe(false);
  });

  it("stock git verify-commit accepts the desktop's commits, a revoked person's earlier ones included", async () => {
    const o = await newOffice();
    const a = await o.join(o.office.writer, 'a');
    await a.sync.commitChanged(writeArticle(a.dir, 'article-0002', '通知'));
    expect((await a.sync.sync()).status).toBe('synced');
    // Commit times have whole seconds: revoke in a later second than the commit.
    await new Promise((r) => setTimeout(r, 1100));
    const revokedAt = new Date().toISOString();
    o.office.amend((p) => ({ ...p, keys: p.keys.map((k) => (k.personId === 'writer' ? { ...k, revokedAt, revokedReason: '离职' } : k)) }), revokedAt);
    const signers = join(root, `${o.name}-allowed_signers`);
    writeFileSync(signers, allowedSigners(o.office.verified().latest));
    const verify = (dir: string, rev: string) =>
      git(dir, ['-c', 'gpg.format=ssh', '-c', `gpg.ssh.allowedSignersFile=${signers}`, 'verify-commit', rev]);
    const writerCommit = verify(a.dir, 'HEAD');
    expect(writerCommit.stderr).toContain('Good "git" signature for writer@gazette.invalid');
    expect(writerCommit.status).toBe(0);
    const adminCommit = verify(o.adminDir, 'HEAD');
    expect(adminCommit.stderr).toContain('Good "git" signature for admin@gazette.invalid');
    expect(adminCommit.status).toBe(0);
    // Each workspace keeps its own allowed-signers from the policy it has, so plain git checks there too.
    const plain = git(a.dir, ['log', '--show-signature', '-1']);
    expect(plain.stdout).toContain('Good "git" signature for writer@gazette.invalid');
    // A byte changed in the commit makes git refuse it too.
    const raw = git(a.dir, ['cat-file', 'commit', 'HEAD']).stdout.replace('文稿 article-0002', '文稿 article-9999');
    writeFileSync(join(root, 'forged-commit'), raw);
    const forged = git(a.dir, ['hash-object', '-w', '-t', 'commit', join(root, 'forged-commit')]).stdout.trim();
    expect(verify(a.dir, forged).status).not.toBe(0);
  });

  it("a new repository's first push must found the office, the one the repository was set up for", async () => {
    const office = makeOffice();
    const bare = `bare-${++repoCount}`;
    addRepository(serverDir, bare);
    const w = join(root, `${bare}-writer`);
    await joinOffice({ url: repositoryUrl({ port }, bare), username: 'writer', password: PASSWORD, dir: w });
    const writer = client(w, office.writer);
    await writer.commitChanged(writeArticle(w, 'article-0009', '没有单位策略的稿件'));
    refusedWith(await writer.sync(), 'root_missing');

    const pinned = `pinned-${++repoCount}`;
    addRepository(serverDir, pinned, { rootKeyId: makeOffice().admin.keyId });
    const a = join(root, `${pinned}-admin`);
    await joinOffice({ url: repositoryUrl({ port }, pinned), username: 'admin', password: PASSWORD, dir: a });
    const admin = client(a, office.admin);
    await admin.commitChanged(writeOffice(a, office));
    refusedWith(await admin.sync(), 'root_foreign');
    expect(serverHead(bare)).toBe('');
    expect(serverHead(pinned)).toBe('');
  });

  it('refuses an unsigned commit pushed with the system git, saying why', async () => {
    const o = await newOffice();
    const before = serverHead(o.name);
    const clone = join(root, `${o.name}-git`);
    expect(git(root, ['clone', '--quiet', authedUrl(o.name, 'writer'), clone]).status).toBe(0);
    writeArticle(clone, 'article-0003', '未签名的稿件');
    git(clone, ['add', '-A']);
    git(clone, ['-c', 'user.name=张撰稿', '-c', 'user.email=writer@gazette.invalid', 'commit', '--quiet', '-m', 'unsigned']);
    const pushed = git(clone, ['push', 'origin', 'HEAD:main']);
    expect(pushed.status).not.toBe(0);
    expect(pushed.stderr).toMatch(/remote: 拒绝推送：提交 [0-9a-f]{10} 没有签名。 Refused: commit [0-9a-f]{10} is not signed\. \[unsigned\]/);
    expect(serverHead(o.name)).toBe(before);
  });

  it('refuses a force-push and a branch deletion', async () => {
    const o = await newOffice();
    const a = await o.join(o.office.writer, 'a');
    await a.sync.commitChanged(writeArticle(a.dir, 'article-0004', '第一稿'));
    expect((await a.sync.sync()).status).toBe('synced');
    const head = serverHead(o.name);
    const clone = join(root, `${o.name}-git`);
    expect(git(root, ['clone', '--quiet', authedUrl(o.name, 'writer'), clone]).status).toBe(0);
    const forced = git(clone, ['push', '--force', 'origin', 'HEAD~1:main']);
    expect(forced.status).not.toBe(0);
    expect(forced.stderr).toContain('非快进');
    expect(forced.stderr).toContain('not a fast-forward');
    const deleted = git(clone, ['push', 'origin', ':main']);
    expect(deleted.status).not.toBe(0);
    expect(deleted.stderr).toContain('Refused: deleting branch refs/heads/main is not allowed');
    expect(serverHead(o.name)).toBe(head);
  });

  it("refuses a commit signed by a key the policy does not list, or by someone else's key", async () => {
    const o = await newOffice();
    const head = serverHead(o.name);
    const outsider = newSigner(person('writer', '张撰稿', ['writer']));
    const a = await o.join(o.office.writer, 'outsider');
    const forged = client(a.dir, outsider);
    await forged.commitChanged(writeArticle(a.dir, 'article-0010', '外来密钥签名'));
    refusedWith(await forged.sync(), 'key_unknown');

    // The writer's key, but the commit names the admin as its committer.
    const b = await o.join(o.office.writer, 'impostor');
    const impostor = new OfficeSyncClient({
      dir: b.dir,
      credentials: credentials('writer'),
      signer: { ...signer(o.office.writer), personId: 'admin', name: '管理员' },
      retry: { attempts: 1 },
    });
    await impostor.commitChanged(writeArticle(b.dir, 'article-0010', '冒名提交'));
    const refused = await impostor.sync();
    refusedWith(refused, 'key_not_committer');
    if (refused.status === 'refused') expect(refused.reasons[0]).toContain('由 张撰稿 的密钥签名，提交者却是 管理员');
    expect(serverHead(o.name)).toBe(head);
  });

  it('refuses commits signed by a revoked key, whatever date they claim', async () => {
    const o = await newOffice();
    const w = await o.join(o.office.writer, 'w');
    const revokedAt = new Date().toISOString();
    o.office.amend((p) => ({ ...p, keys: p.keys.map((k) => (k.personId === 'writer' ? { ...k, revokedAt, revokedReason: '密钥遗失' } : k)) }), revokedAt);
    await o.admin.commitChanged(writeOffice(o.adminDir, o.office), '吊销张撰稿的密钥');
    expect((await o.admin.sync()).status).toBe('synced');
    const head = serverHead(o.name);

    // The writer's desktop claims a time before the revocation.
    const backdated = client(w.dir, o.office.writer, () => new Date(Date.parse(revokedAt) - 3600_000));
    await backdated.commitChanged(writeArticle(w.dir, 'article-0005', '吊销后的稿件'));
    const result = await backdated.sync();
    // It first has to take the admin's policy: that is a divergence, not something to push over.
    expect(result.status).toBe('diverged');
    const fresh = await o.join(o.office.writer, 'w2');
    const late = client(fresh.dir, o.office.writer, () => new Date(Date.parse(revokedAt) - 3600_000));
    await late.commitChanged(writeArticle(fresh.dir, 'article-0005', '吊销后的稿件'));
    const refused = await late.sync();
    refusedWith(refused, 'key_revoked');
    if (refused.status === 'refused') expect(refused.reasons[0]).toContain(`已于 ${revokedAt} 吊销`);
    expect(serverHead(o.name)).toBe(head);
  });

  it('refuses a shortened or rewritten record.jsonl, and a forged entry', async () => {
    const o = await newOffice();
    const a = await o.join(o.office.writer, 'a');
    const id = 'article-0006';
    const record = recordOf(o.office, id);
    await a.sync.commitChanged(writeArticle(a.dir, id, '会议纪要', record));
    expect((await a.sync.sync()).status).toBe('synced');
    const head = serverHead(o.name);
    const attempt = async (label: string, change: (file: string) => void) => {
      const d = await o.join(o.office.writer, label);
      const file = join(d.dir, 'articles', id, 'record.jsonl');
      change(file);
      await d.sync.commitChanged([`articles/${id}/record.jsonl`]);
      return d.sync.sync();
    };

    refusedWith(await attempt('shrunk', (file) => writeFileSync(file, jsonl(record.slice(0, 1)))), 'record_rewritten');
    refusedWith(
      await attempt('rewritten', (file) => writeFileSync(file, readFileSync(file, 'utf8').replace('请核实日期', '同意发布'))),
      'record_rewritten',
    );
    // An appended entry whose text was changed after it was signed.
    const next = sign(record, id, { type: 'comment', at: new Date().toISOString(), actorId: 'r1', contentHash: HASH_B, commentId: 'c2', stageId: 'first', body: '无意见', anchor: null }, o.office.r1);
    const tampered = { ...next, event: { ...next.event, body: '同意，可直接发布' } };
    const forged = await attempt('forged', (file) => writeFileSync(file, jsonl([...record, tampered])));
    refusedWith(forged, 'record_invalid');
    if (forged.status === 'refused') expect(forged.reasons[0]).toContain('Refused: the review record articles/article-0006/record.jsonl');
    expect(serverHead(o.name)).toBe(head);

    // The honest append goes through.
    const honest = await attempt('honest', (file) => writeFileSync(file, jsonl([...record, next])));
    expect(honest.status).toBe('synced');
  });

  it('reports diverged histories and leaves both desktops as they were', async () => {
    const o = await newOffice();
    const a = await o.join(o.office.writer, 'a');
    const b = await o.join(o.office.r1, 'b');
    await a.sync.commitChanged(writeArticle(a.dir, 'article-0007', 'A 的版本'));
    await b.sync.commitChanged(writeArticle(b.dir, 'article-0007', 'B 的版本'));
    expect((await a.sync.sync()).status).toBe('synced');
    const diverged = await b.sync.sync();
    expect(diverged).toMatchObject({ status: 'diverged', local: await b.sync.head(), remote: serverHead(o.name) });
    expect(readFileSync(join(b.dir, 'articles', 'article-0007', 'article.json'), 'utf8')).toContain('B 的版本');

    // An edit saved on C but not yet committed, to a file the server changed: committed first, never overwritten.
    const c = await o.join(o.office.r1, 'c');
    await a.sync.commitChanged(writeArticle(a.dir, 'article-0007', 'A 的第二版'));
    expect((await a.sync.sync()).status).toBe('synced');
    writeArticle(c.dir, 'article-0007', 'C 尚未提交的修改');
    const before = await c.sync.head();
    const kept = await c.sync.sync();
    expect(kept).toMatchObject({ status: 'diverged', remote: serverHead(o.name), localChanges: ['articles/article-0007/article.json'] });
    expect(kept.status === 'diverged' && kept.local).not.toBe(before);
    expect(readFileSync(join(c.dir, 'articles', 'article-0007', 'article.json'), 'utf8')).toContain('C 尚未提交的修改');
  });

  it('refuses history tampered with on the server when a desktop fetches it', async () => {
    const o = await newOffice();
    const b = await o.join(o.office.r1, 'b');
    const before = readFileSync(join(b.dir, 'office', 'policy', '000001.json'), 'utf8');
    // Someone with access to the server's disk moves the branch to an unsigned commit, past the hook.
    const repo = repositoryPath(serverDir, o.name);
    const tree = git(root, ['--git-dir', repo, 'rev-parse', 'main^{tree}']).stdout.trim();
    const parent = serverHead(o.name);
    const env = { ...process.env, GIT_AUTHOR_NAME: 'x', GIT_AUTHOR_EMAIL: 'admin@gazette.invalid', GIT_COMMITTER_NAME: 'x', GIT_COMMITTER_EMAIL: 'admin@gazette.invalid' };
    const forged = spawnSync('git', ['-c', 'safe.directory=*', '--git-dir', repo, 'commit-tree', tree, '-p', parent, '-m', 'x'], { encoding: 'utf8', env }).stdout.trim();
    git(root, ['--git-dir', repo, 'update-ref', 'refs/heads/main', forged]);
    const result = await b.sync.sync();
    expect(result).toMatchObject({ status: 'rejected_incoming', refusal: { code: 'unsigned' } });
    expect(await b.sync.head()).toBe(parent);
    expect(readFileSync(join(b.dir, 'office', 'policy', '000001.json'), 'utf8')).toBe(before);
  });

  it('a server killed mid-push leaves its branch as it was; the retry succeeds', async () => {
    const o = await newOffice();
    const a = await o.join(o.office.writer, 'a');
    const before = serverHead(o.name);
    const committed = await a.sync.commitChanged(writeArticle(a.dir, 'article-0008', '断线前写的稿件'));
    const text = readFileSync(join(a.dir, 'articles', 'article-0008', 'article.json'), 'utf8');

    // Hold the push in the hook (its objects received, the branch not yet moved), then kill the whole server.
    const hook = join(repositoryPath(serverDir, o.name), 'hooks', 'pre-receive');
    const realHook = readFileSync(hook, 'utf8');
    const marker = join(tmpdir(), `gazette-hook-${process.pid}-${repoCount}`);
    rmSync(marker, { force: true });
    writeFileSync(hook, `#!/bin/sh\ntouch '${marker}'\nsleep 30\n`);
    const syncing = a.sync.sync();
    for (let i = 0; i < 200 && !existsSync(marker); i++) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(marker)).toBe(true);
    expect(await killServer(serverDir)).toBe(true);
    writeFileSync(hook, realHook);
    rmSync(marker, { force: true });

    const offline = await syncing;
    expect(offline).toMatchObject({ status: 'offline', attempts: 2 });
    expect(serverHead(o.name)).toBe(before);
    expect(await a.sync.head()).toBe(committed.commit);
    expect(readFileSync(join(a.dir, 'articles', 'article-0008', 'article.json'), 'utf8')).toBe(text);

    await startServer({ dir: serverDir, port });
    expect(await a.sync.sync()).toMatchObject({ status: 'synced', sent: [committed.commit] });
    expect(serverHead(o.name)).toBe(committed.commit);
  }, 40_000);
});
