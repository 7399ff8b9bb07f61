import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../../node/services';
import { passwordProtector, unlockKeyPair } from '../../node/services/identity/keys';
import { PeopleDirectory } from '../../node/services/identity/people-directory';
import { syncSignerFor } from '../../node/services/sync/client';
import { draftsRepo } from '../../node/services/sync/office-repos';
import { WorkspaceSync } from '../../node/services/sync/workspace-sync';
import type { CallContext } from '../../shared/api/contract';
import type { SignedEvent } from '../../shared/record/entry';
import { addRepository, killServer, missingPackages, repositoryPath, serverPid, startServer, stopServer } from '../../scripts/office-server/kit';
import { gazette, gazetteJson, gazetteLater, git, makeOffice, type Office, parseJson, type Round, recordLines, relay } from '../support/office-desktops';

/*
 * What goes wrong between desktops and the office server, each desktop its own
 * workspace and process driven through the CLI against the real server: the
 * server killed in the middle of a push and of a fetch, history tampered with
 * on the server's disk; the air gap (a package between a desktop that joined
 * and one that never did); a writer whose key the office revokes.
 */

const missing = missingPackages();
if (missing.length) console.warn(`[skip] office fault tests: missing ${missing.join(' ')} (sudo apt-get install -y git apache2 apache2-utils)`);

type Who = 'admin' | 'w1' | 'w3';
const UNIT = '党政办';
const DRAFTS = draftsRepo(UNIT).name;


interface Imported {
  ok: boolean;
  items: { articleId: string; outcome: string }[];
}

/** Signs in as `who` on desktop `dir` the way the app does (not through the CLI), for what the CLI cannot do. */
async function signedIn<T>(dir: string, id: string, password: string, act: (workspace: Workspace, ctx: CallContext) => Promise<T>): Promise<T> {
  const workspace = await openWorkspace(dir, { autoStartOutbox: false });
  try {
    const ctx: CallContext = { transport: 'cli', sessionId: `test-${id}` };
    await workspace.identity.signInAs(id, password, ctx);
    return await act(workspace, ctx);
  } finally {
    await workspace.close();
  }
}

describe.skipIf(missing.length > 0)('office sync faults, desktops as separate processes against the office server', () => {
  let o: Office<Who>;
  const a = () => o.desk('w1-a');
  const b = () => o.desk('w1-b');
  /** A real article (the store's), written through the API as `who` on desktop `dir`; its id. */
  const createArticle = (dir: string, who: Who, title: string) =>
    signedIn(dir, o.ids[who], o.passwords[who], async (workspace, ctx) => {
      const made = await workspace.dispatch('articles:create', { template: 'blank', input: { title } }, ctx);
      if (!made.ok) throw new Error(`articles:create: ${made.error.code} ${made.error.detail}`);
      return (made.value as { id: string }).id;
    });
  /** `who`'s sync signer, their key as desktop `dir` holds it. */
  const signerOf = async (dir: string, who: Who) => {
    const record = (await PeopleDirectory.open(dir)).record(o.ids[who])!;
    return syncSignerFor(await unlockKeyPair(record.key!, passwordProtector(o.passwords[who])), record.person.name);
  };
  /** The article the revoked writer wrote and could not send. */
  let revokedWork: string | null = null;
  /** What desktop F's repository said the server's drafts were, before and after the cut fetch. */
  let cutFetch: { before: string; after: string; present: boolean } | null = null;

  beforeAll(async () => {
    o = await makeOffice<Who>('gazette-faults-', { name: '管理员', unit: UNIT, password: 'admin-pass-2026' }, {
      w1: { name: '张撰稿', unit: UNIT, roles: 'writer', password: 'writer-one-2026' },
      w3: { name: '赵撰稿', unit: UNIT, roles: 'writer', password: 'writer-three-2026' },
    });
    const founded = o.join(o.desk('admin'), 'admin');
    expect(founded.value.status, founded.run.stdout + founded.run.stderr).toBe('joined');
    for (const [dir, who] of [
      [a(), 'w1'],
      [b(), 'w1'],
    ] as const) {
      const joined = o.join(dir, who);
      expect(joined.value.status, joined.value.message).toBe('joined');
    }
    // An article both of w1's desktops have, with a record: what a retry must never duplicate.
    o.writeArticle(a(), 'art-kept-0001', 'w1', '第一稿');
    await o.appendEntry(a(), 'w1', 'art-kept-0001', { type: 'submit', at: new Date().toISOString(), actorId: o.ids.w1, contentHash: 'a'.repeat(64), stageId: 'first', note: '' } as SignedEvent);
    expect(o.sync(a(), 'w1').value.phase).toBe('synced');
    expect(o.sync(b(), 'w1').value.phase).toBe('synced');
    expect(existsSync(join(b(), 'articles', 'art-kept-0001', 'record.jsonl'))).toBe(true);
  }, 600_000);

  // A test that failed with the server down leaves it down: the next one starts with it up.
  beforeEach(async () => {
    if (o && serverPid(o.serverDir) === null) await startServer({ dir: o.serverDir, port: o.port });
  });

  afterAll(async () => {
    if (o) {
      await stopServer(o.serverDir);
      rmSync(o.root, { recursive: true, force: true });
    }
  });

  it('the server killed mid-push: its branch as it was, the files stay, the next round succeeds without duplicated entries', async () => {
    const dir = a();
    o.writeArticle(dir, 'art-big-0003', 'w1', '大图');
    mkdirSync(join(dir, 'articles', 'art-big-0003', 'assets'), { recursive: true });
    // Random bytes do not compress: the push takes long enough to be cut.
    const photo = randomBytes(30 * 1024 * 1024);
    writeFileSync(join(dir, 'articles', 'art-big-0003', 'assets', 'photo.jpg'), photo);
    const before = o.head(DRAFTS);
    const objects = join(repositoryPath(o.serverDir, DRAFTS), 'objects');
    const syncing = gazetteLater(['sync', '--workspace', dir, '--attempts', '1', '--json'], o.passwords.w1);
    // Cut once the pack is arriving (receive-pack keeps it in a quarantine folder until the hook says yes).
    let cut = false;
    for (const until = Date.now() + 180_000; Date.now() < until; ) {
      if (readdirSync(objects).some((n) => n.startsWith('incoming-') || n.startsWith('tmp_objdir'))) {
        cut = await killServer(o.serverDir);
        break;
      }
      await new Promise((r) => setTimeout(r, 20));
    }
    const run = await syncing;
    if (!cut) await killServer(o.serverDir);
    expect(cut, 'the push was not caught on its way').toBe(true);
    const report = parseJson<Round>(run);
    expect(run.status, run.stdout).toBe(0);
    expect(report.phase).toBe('offline');
    // No half-updated branch: the server's branch is where it was.
    expect(o.head(DRAFTS)).toBe(before);
    expect(readFileSync(join(dir, 'articles', 'art-big-0003', 'article.json'), 'utf8')).toContain('大图');
    expect(readFileSync(join(dir, 'articles', 'art-big-0003', 'assets', 'photo.jpg')).equals(photo)).toBe(true);

    await startServer({ dir: o.serverDir, port: o.port });
    const retried = o.sync(dir, 'w1');
    expect(retried.value.phase, retried.run.stdout).toBe('synced');
    expect(o.ls(DRAFTS)).toContain('articles/art-big-0003/assets/photo.jpg');
    const got = o.sync(b(), 'w1');
    expect(got.value.phase, got.run.stdout).toBe('synced');
    expect(readFileSync(join(b(), 'articles', 'art-big-0003', 'assets', 'photo.jpg')).equals(photo)).toBe(true);
    // Record entries are never duplicated by a retry.
    const record = recordLines(b(), 'art-kept-0001');
    expect(new Set(record).size).toBe(record.length);
    expect(record).toEqual(recordLines(dir, 'art-kept-0001'));
  }, 600_000);
  it('the server killed mid-fetch: the desktop’s branch and files as they were, the retry brings everything once', async () => {
    // Desktop F talks to the server through a relay, which holds the answer so the server dies in the middle of it.
    const proxy = await relay(o.port);
    const dir = o.desk('w1-f');
    const viaRelay = (args: string[]) => gazetteLater([...args, '--json'], o.passwords.w1).then((run) => ({ run, value: parseJson<Round & { status?: string; message?: string }>(run) }));
    try {
      const joined = await viaRelay(['office', 'join', `http://127.0.0.1:${proxy.port}/git/`, '--as', o.ids.w1, '--workspace', dir, '--attempts', '2']);
      expect(joined.value.status, joined.run.stdout).toBe('joined');
      // What A sends, large enough that its answer is cut in the middle.
      o.writeArticle(a(), 'art-big-0004', 'w1', '另一张大图');
      mkdirSync(join(a(), 'articles', 'art-big-0004', 'assets'), { recursive: true });
      const photo = randomBytes(8 * 1024 * 1024);
      writeFileSync(join(a(), 'articles', 'art-big-0004', 'assets', 'photo.jpg'), photo);
      expect(o.sync(a(), 'w1').value.phase).toBe('synced');
      // F's own work, not yet sent.
      o.writeArticle(dir, 'art-f-0005', 'w1', 'F 离线写的');
      const gitdir = join(dir, '.sync', `${DRAFTS}.git`);
      const localBefore = git(['--git-dir', gitdir, 'rev-parse', 'refs/heads/main']).stdout.trim();
      const remoteBefore = git(['--git-dir', gitdir, 'rev-parse', 'refs/remotes/origin/main']).stdout.trim();

      // The server is killed once a megabyte of the drafts' pack has reached F.
      proxy.cutWhen((request, bytes) => request.includes(`/${DRAFTS}.git/git-upload-pack`) && bytes > 1024 * 1024, () => killServer(o.serverDir));
      const cutRound = await viaRelay(['sync', '--workspace', dir, '--attempts', '1']);
      await proxy.cut;
      expect(cutRound.value.phase, cutRound.run.stdout).toBe('offline');
      // Nothing half-taken: what F knows of the server is as it was, nothing of the new article is here, F's work is intact.
      const remoteAfter = git(['--git-dir', gitdir, 'rev-parse', 'refs/remotes/origin/main']).stdout.trim();
      cutFetch = { before: remoteBefore, after: remoteAfter, present: git(['--git-dir', gitdir, 'cat-file', '-e', `${remoteAfter}^{commit}`]).status === 0 };
      // The title bar's status still reads (what waits to be sent is counted against what the server has).
      const status = await gazetteLater(['office', 'status', '--workspace', dir, '--json']);
      expect(status.status, status.stdout + status.stderr).toBe(0);
      expect(parseJson<{ phase: string }>(status).phase).toBe('offline');
      const localAfter = git(['--git-dir', gitdir, 'rev-parse', 'refs/heads/main']).stdout.trim();
      // F's article may have been committed before the fetch (a commit of its own on top), never lost.
      if (localAfter !== localBefore) expect(git(['--git-dir', gitdir, 'merge-base', '--is-ancestor', localBefore, localAfter]).status).toBe(0);
      expect(existsSync(join(dir, 'articles', 'art-big-0004'))).toBe(false);
      expect(readFileSync(join(dir, 'articles', 'art-f-0005', 'article.json'), 'utf8')).toContain('F 离线写的');

      await startServer({ dir: o.serverDir, port: o.port });
      const retried = await viaRelay(['sync', '--workspace', dir, '--attempts', '2']);
      expect(retried.value.phase, retried.run.stdout).toBe('synced');
      expect(readFileSync(join(dir, 'articles', 'art-big-0004', 'assets', 'photo.jpg')).equals(photo)).toBe(true);
      expect(o.ls(DRAFTS)).toContain('articles/art-f-0005/article.json');
      const record = recordLines(dir, 'art-kept-0001');
      expect(new Set(record).size).toBe(record.length);
      expect(record).toEqual(recordLines(a(), 'art-kept-0001'));
    } finally {
      await proxy.close();
    }
  }, 600_000);

  // isomorphic-git's fetch moves refs/remotes/origin/main as soon as the server's answer begins, before
  // the pack has arrived; the sync client puts it back when the fetch fails.
  it('a fetch cut off leaves no record on the desktop of a server commit it does not hold', () => {
    expect(cutFetch).not.toBeNull();
    expect(cutFetch!.present || cutFetch!.after === cutFetch!.before).toBe(true);
  });

  it('history rewritten on the server’s disk is refused by the desktop, named, and its files stay as they were', async () => {
    const dir = b();
    o.writeArticle(dir, 'art-b-0005', 'w1', 'B 写的');
    const synced = o.sync(dir, 'w1');
    expect(synced.value.phase, synced.run.stdout).toBe('synced');
    const repo = repositoryPath(o.serverDir, DRAFTS);
    const tip = o.head(DRAFTS)!;
    const text = readFileSync(join(dir, 'articles', 'art-b-0005', 'article.json'), 'utf8');
    // Someone at the server changes what the last commit wrote and moves the branch to the copy, its signature kept.
    const blob = git(['--git-dir', repo, 'hash-object', '-w', '--stdin'], undefined, '{"id":"art-b-0005","body":"服务器上改过的"}\n').stdout.trim();
    const index = join(o.root, 'tamper.index');
    const env = { GIT_INDEX_FILE: index };
    git(['--git-dir', repo, 'read-tree', tip], env);
    git(['--git-dir', repo, 'update-index', '--cacheinfo', `100644,${blob},articles/art-b-0005/article.json`], env);
    const tree = git(['--git-dir', repo, 'write-tree'], env).stdout.trim();
    rmSync(index, { force: true });
    const original = git(['--git-dir', repo, 'cat-file', 'commit', tip]).stdout;
    expect(original).toContain('gpgsig -----BEGIN SSH SIGNATURE-----');
    const forged = git(['--git-dir', repo, 'hash-object', '-t', 'commit', '-w', '--stdin'], undefined, original.replace(/^tree [0-9a-f]{40}/, `tree ${tree}`)).stdout.trim();
    expect(git(['--git-dir', repo, 'update-ref', 'refs/heads/main', forged, tip]).status).toBe(0);
    try {
      const gitdir = join(dir, '.sync', `${DRAFTS}.git`);
      const before = git(['--git-dir', gitdir, 'rev-parse', 'refs/heads/main']).stdout.trim();
      const refused = o.sync(dir, 'w1');
      expect(refused.run.status, refused.run.stdout).toBe(1);
      expect(refused.value.phase).toBe('rejected_incoming');
      const rejected = refused.value.rejected.find((r) => r.repo === DRAFTS);
      expect(rejected?.reason, refused.run.stdout).toContain(forged.slice(0, 10));
      expect(rejected?.reason).toMatch(/签名无效/);
      expect(readFileSync(join(dir, 'articles', 'art-b-0005', 'article.json'), 'utf8')).toBe(text);
      expect(git(['--git-dir', gitdir, 'rev-parse', 'refs/heads/main']).stdout.trim()).toBe(before);
    } finally {
      git(['--git-dir', repo, 'update-ref', 'refs/heads/main', tip]);
      // The objects written here by this process go back to Apache's workers, who add objects beside them.
      addRepository(o.serverDir, DRAFTS);
    }
  }, 300_000);
  it('the air gap: a package from a joined desktop imports on a desktop that never joined as before, and on a joined one as a signed commit naming the package', async () => {
    // Written on A in the app and not yet sent.
    const id = await createArticle(a(), 'w1', '内网离线写的通知');
    const pkg = join(o.root, 'offline.gazette-package');
    const exported = gazette(['package', 'export', id, '-o', pkg, '--workspace', a(), '--as', o.ids.w1], o.passwords.w1);
    expect(exported.status, exported.stderr).toBe(0);
    const sha256 = createHash('sha256').update(readFileSync(pkg)).digest('hex');

    // A desktop of the same office that never joined a server (外网): the administrator's, without its sync.
    const outside = o.desk('outside');
    cpSync(o.desk('admin'), outside, { recursive: true });
    rmSync(join(outside, '.sync'), { recursive: true, force: true });
    const plain = gazetteJson<Imported>(['package', 'import', pkg, '--workspace', outside, '--as', o.ids.admin], o.passwords.admin);
    expect(plain.run.status, plain.run.stdout + plain.run.stderr).toBe(0);
    expect(plain.value.items.map((i) => [i.articleId, i.outcome])).toEqual([[id, 'created']]);
    expect(existsSync(join(outside, '.sync'))).toBe(false);

    // B, joined: the import is committed at once, signed, naming the package; the next round sends it.
    const joined = gazetteJson<Imported>(['package', 'import', pkg, '--workspace', b(), '--as', o.ids.w1], o.passwords.w1);
    expect(joined.run.status, joined.run.stdout + joined.run.stderr).toBe(0);
    expect(joined.value.items.map((i) => [i.articleId, i.outcome])).toEqual([[id, 'created']]);
    const sent = o.sync(b(), 'w1');
    expect(sent.value.phase, sent.run.stdout).toBe('synced');
    const repo = repositoryPath(o.serverDir, DRAFTS);
    const line = git(['--git-dir', repo, 'log', '--format=%H %s', 'main']).stdout.split('\n').find((l) => l.includes(sha256));
    expect(line, 'no commit on the server names the package').toBeDefined();
    expect(line!.slice(41)).toBe(`导入传输包 ${sha256}`);
    const commit = line!.slice(0, 40);
    expect(git(['--git-dir', repo, 'verify-commit', commit]).status).toBe(0);
    expect(git(['--git-dir', repo, 'show', '--name-only', '--format=', commit]).stdout).toContain(`articles/${id}/article.json`);

    // A, which wrote it, sends its own copy: the two agree, nothing is in conflict.
    const fromA = o.sync(a(), 'w1');
    expect(fromA.value.phase, fromA.run.stdout).toBe('synced');
    expect(fromA.value.conflicts).toEqual([]);
  }, 600_000);

  it('a revoked writer is told why, keeps the unsynced work; their earlier commits still verify; their commit relayed by a colleague is refused', async () => {
    const e = o.desk('w3-e');
    const joined = o.join(e, 'w3');
    expect(joined.value.status, joined.value.message).toBe('joined');
    // Work A committed before the revocation and never sent (as offline).
    const id = await createArticle(a(), 'w1', '吊销前写的稿件');
    const local = await WorkspaceSync.open(a(), { credentials: () => ({ username: o.ids.w1, password: o.passwords.w1 }), signer: await signerOf(a(), 'w1') });
    const committed = await local!.commitArticle(id);
    const relayed = committed.commits.find((c) => c.repo === DRAFTS)?.commit;
    expect(relayed).toBeDefined();
    const earlier = o.head(DRAFTS)!;

    // Commit times have whole seconds: the revocation comes in a later one.
    await new Promise((r) => setTimeout(r, 1100));
    const admin = await openWorkspace(o.desk('admin'), { autoStartOutbox: false });
    try {
      const ctx: CallContext = { transport: 'cli', sessionId: 'test-admin' };
      await admin.identity.signInAs(o.ids.admin, o.passwords.admin, ctx);
      const key = (await admin.identity.listKeys(ctx)).find((k) => k.personId === o.ids.w1 && !k.revokedAt);
      await admin.identity.revokeKey({ personId: o.ids.w1, keyId: key!.keyId, reason: '离职交接' }, ctx);
    } finally {
      await admin.close();
    }
    const published = o.sync(o.desk('admin'), 'admin');
    expect(published.value.phase, published.run.stdout).toBe('synced');

    // A: refused with why; its work stays here and is listed as not sent.
    const refused = o.sync(a(), 'w1');
    expect(refused.run.status, refused.run.stdout).toBe(1);
    expect(refused.value.phase).toBe('revoked');
    expect(refused.value.message).toMatch(/吊销/);
    expect(refused.value.message).toContain('离职交接');
    expect(readFileSync(join(a(), 'articles', id, 'article.json'), 'utf8')).toContain('吊销前写的稿件');
    expect(o.ls(DRAFTS)).not.toContain(`articles/${id}/`);
    const status = gazetteJson<{ phase: string; pendingArticles: string[] }>(['office', 'status', '--workspace', a()]);
    expect(status.value.phase).toBe('revoked');
    expect(status.value.pendingArticles).toContain(id);

    // What they signed before the revocation still verifies with stock git, under allowed-signers that know of it.
    const signers = join(repositoryPath(o.serverDir, 'office'), 'allowed_signers');
    for (let i = 0; i < 100 && !readFileSync(signers, 'utf8').includes('valid-before'); i++) await new Promise((r) => setTimeout(r, 100));
    expect(readFileSync(signers, 'utf8')).toContain('valid-before');
    const verified = git(['-c', 'gpg.format=ssh', '-c', `gpg.ssh.allowedSignersFile=${signers}`, '--git-dir', repositoryPath(o.serverDir, DRAFTS), 'verify-commit', earlier]);
    expect(verified.status, verified.stderr).toBe(0);

    // A colleague's desktop takes A's unsent commit (as from a USB stick) and pushes it with their own login: refused.
    const eGit = join(e, '.sync', `${DRAFTS}.git`);
    expect(git(['--git-dir', eGit, 'fetch', '--quiet', join(a(), '.sync', `${DRAFTS}.git`), '+refs/heads/main:refs/relay/w1']).status).toBe(0);
    expect(git(['--git-dir', eGit, 'update-ref', 'refs/heads/main', relayed!]).status).toBe(0);
    cpSync(join(a(), 'articles', id), join(e, 'articles', id), { recursive: true });
    const before = o.head(DRAFTS);
    const relay = o.sync(e, 'w3');
    expect(relay.run.status, relay.run.stdout).toBe(1);
    expect(relay.value.phase).toBe('refused');
    const reasons = relay.value.refused.flatMap((r) => r.reasons).join('\n');
    expect(reasons).toContain(relayed!.slice(0, 10));
    expect(reasons).toMatch(/吊销/);
    expect(o.head(DRAFTS)).toBe(before);
    revokedWork = id;
  }, 600_000);

  // The sync tells a revoked person their unsynced work "仍在本机，可导出为传输包" (sync.revoked): the package is
  // signed with their revoked key, and the office judges it by the revocation.
  it('a revoked writer’s unsynced work leaves the desktop as a package; the office takes from it only what was signed while the key was valid', () => {
    expect(revokedWork).not.toBeNull();
    const pkg = join(o.root, 'revoked.gazette-package');
    const exported = gazette(['package', 'export', revokedWork!, '-o', pkg, '--workspace', a(), '--as', o.ids.w1], o.passwords.w1);
    expect(exported.status, exported.stderr).toBe(0);
    expect(readFileSync(pkg).length).toBeGreaterThan(0);

    // The administrator's desktop knows the revocation. The draft was never signed in the record (only committed),
    // so nothing in the package speaks for its text but the revoked key: refused, saying why, nothing written.
    const admin = o.desk('admin');
    const verified = gazetteJson<{ ok: boolean; errorCode?: string; error?: string; checks: string[] }>(['package', 'verify', pkg, '--workspace', admin]);
    expect(verified.run.status).toBe(1);
    expect(verified.value.errorCode).toBe('exporter_revoked');
    expect(verified.value.checks.join('\n')).toContain('吊销（离职交接）');
    const imported = gazetteJson<Imported & { errorCode?: string; error?: string }>(['package', 'import', pkg, '--workspace', admin, '--as', o.ids.admin], o.passwords.admin);
    expect(imported.run.status).toBe(1);
    expect(imported.value.errorCode).toBe('exporter_revoked');
    expect(imported.value.error).toContain('吊销前写的稿件');
    expect(imported.value.error).toContain('离职交接');
    expect(existsSync(join(admin, 'articles', revokedWork!))).toBe(false);
  }, 300_000);
});
