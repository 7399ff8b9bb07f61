import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../node/services';
import { passwordProtector, signBytes, unlockKeyPair } from '../../node/services/identity/keys';
import { PeopleDirectory } from '../../node/services/identity/people-directory';
import { nodeRecordCrypto as crypto } from '../../node/services/record/crypto';
import { syncSignerFor } from '../../node/services/sync/client';
import { articleBytes } from '../../node/services/sync/merge';
import { draftsRepo, submittedRepo } from '../../node/services/sync/office-repos';
import { joinOfficeServer, readSyncLog, WorkspaceSync } from '../../node/services/sync/workspace-sync';
import { addRepository, missingPackages, repositoryPath, setUser, startServer, stopServer } from '../../scripts/office-server/kit';
import { type Article, emptyMeta, newArticle } from '../../shared/domain/article';
import { type DocNode, paragraph } from '../../shared/domain/doc';
import { entrySigningText, nextEntry, parseRecordLines, type RecordEntry, type SignedEvent, signedEntry } from '../../shared/record/entry';
import { articleContentHash } from '../../shared/workflow/canonical';
import { TEST_SCRYPT } from '../support/review-api';
import { freePort } from '../support/free-port';

/*
 * Rounds of a whole desktop (WorkspaceSync: every repository its person reads,
 * articles routed between a unit's drafts and its submitted work) against the
 * real office server: what a merge did reaches the round's report and the
 * sync log; an article submitted on one desktop while another edited its
 * draft ends in submitted work on both with nothing lost; a refused push
 * leaves the rest of the desktop's work syncing.
 */

const missing = missingPackages();
if (missing.length) console.warn(`[skip] office workspace round tests: missing ${missing.join(' ')} (sudo apt-get install -y git apache2 apache2-utils)`);

const PASSWORDS = { admin: 'admin-pass-2026', w1: 'writer-one-2026' } as const;
const UNIT = '党政办';

const p = (text: string) => paragraph(text);
const texts = (article: Article) => article.doc.content.map((b: DocNode) => b.content?.[0]?.text ?? '');
const hashOf = (article: Article) => articleContentHash(article.meta, article.doc, []);

describe.skipIf(missing.length > 0)('rounds of whole desktops through the office server', () => {
  let root: string;
  let serverDir: string;
  let url: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'gazette-office-rounds-'));
    chmodSync(root, 0o755);
    serverDir = join(root, 'server');
    const port = await freePort();
    url = `http://127.0.0.1:${port}/git/`;
    const admin = await openWorkspace(join(root, 'admin'), { scrypt: TEST_SCRYPT, autoStartOutbox: false });
    const ctx = { transport: 'http' as const, sessionId: 'http:admin' };
    const call = async (channel: string, payload: unknown) => {
      const envelope = await admin.dispatch(channel as never, payload, ctx);
      if (!envelope.ok) throw new Error(`${channel}: ${envelope.error.code} ${envelope.error.detail}`);
      return envelope.value as { id: string; person?: { id: string } };
    };
    ids.admin = (await call('session:setup', { name: '管理员', unit: UNIT, password: PASSWORDS.admin })).person!.id;
    ids.w1 = (await call('people:save', { name: '张撰稿', unit: UNIT, roles: ['writer'], password: PASSWORDS.w1 })).id;
    await admin.close();
    await startServer({ dir: serverDir, port });
    for (const name of ['office', draftsRepo(UNIT).name, submittedRepo(UNIT).name, ...Object.values(ids).map((id) => `person-${id}`)]) addRepository(serverDir, name);
    for (const who of Object.keys(PASSWORDS) as (keyof typeof PASSWORDS)[]) setUser(serverDir, ids[who]!, PASSWORDS[who]);
    const first = await joinOfficeServer({ serverUrl: url, personId: ids.admin!, password: PASSWORDS.admin, dir: join(root, 'admin'), scryptCost: TEST_SCRYPT });
    expect(first.status, 'message' in first ? first.message : '').toBe('joined');
  }, 240_000);

  afterAll(async () => {
    if (serverDir) await stopServer(serverDir);
    if (root) rmSync(root, { recursive: true, force: true });
  });

  /** A writer's desktop joined to the office, and its sync as the app would run it. */
  async function desk(name: string) {
    const dir = join(root, name);
    const joined = await joinOfficeServer({ serverUrl: url, personId: ids.w1!, password: PASSWORDS.w1, dir, scryptCost: TEST_SCRYPT, retry: { attempts: 1 } });
    expect(joined.status, 'message' in joined ? joined.message : '').toBe('joined');
    const key = await unlockKeyPair((await PeopleDirectory.open(dir)).record(ids.w1!)!.key!, passwordProtector(PASSWORDS.w1));
    const sync = (await WorkspaceSync.open(dir, {
      credentials: () => ({ username: ids.w1!, password: PASSWORDS.w1 }),
      signer: syncSignerFor(key, '张撰稿'),
      retry: { attempts: 1, baseDelayMs: 10 },
    }))!;
    const file = (id: string, f: string) => join(dir, 'articles', id, f);
    return {
      dir,
      sync,
      read: (id: string) => JSON.parse(readFileSync(file(id, 'article.json'), 'utf8')) as Article,
      write: (article: Article) => {
        mkdirSync(join(dir, 'articles', article.id), { recursive: true });
        writeFileSync(file(article.id, 'article.json'), articleBytes(article));
      },
      record: (id: string) => (existsSync(file(id, 'record.jsonl')) ? (parseRecordLines(readFileSync(file(id, 'record.jsonl'), 'utf8')) as RecordEntry[]) : []),
      /** Appends an entry signed by the writer, as the review store would. */
      sign: (id: string, event: SignedEvent) => {
        const entries = existsSync(file(id, 'record.jsonl')) ? (parseRecordLines(readFileSync(file(id, 'record.jsonl'), 'utf8')) as RecordEntry[]) : [];
        const unsigned = nextEntry(id, entries.at(-1) ?? null, readdirSync(join(dir, 'office', 'policy')).length, event, crypto);
        const entry = signedEntry(unsigned, { keyId: key.keyId, value: signBytes(key, entrySigningText(unsigned)) });
        writeFileSync(file(id, 'record.jsonl'), [...entries, entry].map((e) => `${JSON.stringify(e)}\n`).join(''));
      },
    };
  }

  const article = (id: string, blocks: DocNode[]): Article => ({
    ...newArticle(id, new Date(Date.now() - 3600_000).toISOString(), { ...emptyMeta('blank'), title: `稿件 ${id}` }, { type: 'doc', content: blocks }),
    createdBy: ids.w1!,
  });
  const serverLs = (repo: string) => spawnSync('git', ['--git-dir', repositoryPath(serverDir, repo), 'ls-tree', '-r', '--name-only', 'main'], { encoding: 'utf8' }).stdout;
  const serverShow = (repo: string, path: string) => spawnSync('git', ['--git-dir', repositoryPath(serverDir, repo), 'show', `main:${path}`], { encoding: 'utf8' }).stdout;

  it('submitted on A while B edited the draft offline: both sync, nothing is lost, the article ends in submitted work on both', async () => {
    const a = await desk('w1-a');
    const b = await desk('w1-b');
    const id = 'art-moving-0001';
    a.write(article(id, [p('第一段'), p('第二段'), p('第三段')]));
    expect((await a.sync.round()).phase).toBe('synced');
    await b.sync.round();
    expect(texts(b.read(id))).toEqual(['第一段', '第二段', '第三段']);

    // A submits; B, offline, edits the draft.
    a.sign(id, { type: 'submit', at: new Date().toISOString(), actorId: ids.w1!, contentHash: await hashOf(a.read(id)), stageId: 'first', note: '' });
    const draft = b.read(id);
    b.write({ ...draft, doc: { ...draft.doc, content: [p('第一段'), p('第二段（B 离线时改）'), p('第三段')] } });
    expect((await a.sync.round()).phase).toBe('synced');
    expect(serverLs(submittedRepo(UNIT).name)).toContain(`articles/${id}/record.jsonl`);

    const round = await b.sync.round();
    expect(round.conflicts).toContain(id);
    expect(round.phase).toBe('conflict');
    // Then each syncs again, as they would in the background.
    await a.sync.round();
    await b.sync.round();
    await a.sync.round();

    // Submitted work holds the article on the server, its text the one its record names.
    const submitted = JSON.parse(serverShow(submittedRepo(UNIT).name, `articles/${id}/article.json`)) as Article;
    expect(texts(submitted)).toEqual(['第一段', '第二段', '第三段']);
    expect(serverShow(submittedRepo(UNIT).name, `articles/${id}/record.jsonl`)).toContain('"submit"');
    // Moved, not deleted against an edit: no stale copy left in drafts.
    expect(serverLs(draftsRepo(UNIT).name)).not.toContain(id);
    // Both desktops have it, submitted; B's edit is kept on B, waiting for a decision, never dropped.
    expect(a.record(id).map((e) => e.event.type)).toEqual(['submit']);
    expect(b.record(id).map((e) => e.event.type)).toEqual(['submit']);
    expect(texts(a.read(id))).toEqual(['第一段', '第二段', '第三段']);
    expect(texts(b.read(id))).toEqual(['第一段', '第二段（B 离线时改）', '第三段']);
    expect(existsSync(join(b.dir, 'articles', id, 'sync-conflict.json'))).toBe(true);
    expect((await b.sync.pending()).conflicts).toEqual([id]);
    expect((await b.sync.pending()).articles).not.toContain(id);

    // What the merge did is in the round's report and the log, and the round counts as a sync.
    const log = await readSyncLog(b.dir);
    expect(log.some((e) => e.kind === 'conflict' && e.articleIds.includes(id) && e.message.includes('两台电脑改了同一处'))).toBe(true);
    expect(log.some((e) => e.message.includes('被删除'))).toBe(false);
    const status = await b.sync.status();
    expect(status.phase).toBe('conflict');
    expect(status.lastSyncAt).not.toBeNull();
  }, 300_000);

  it('a refused push does not stop the desktop: the refused article is held and said so, another article still reaches the server', async () => {
    const a = await desk('w1-c');
    const id = 'art-refused-0003';
    a.write(article(id, [p('送审的稿件')]));
    a.sign(id, { type: 'submit', at: new Date().toISOString(), actorId: ids.w1!, contentHash: await hashOf(a.read(id)), stageId: 'first', note: '' });
    expect((await a.sync.round()).phase).toBe('synced');
    expect(serverLs(submittedRepo(UNIT).name)).toContain(`articles/${id}/record.jsonl`);
    // A record rewritten by hand: the server's hook refuses it.
    const forged = a.record(id);
    forged[0] = { ...forged[0]!, event: { ...forged[0]!.event, note: '改过的' } as SignedEvent };
    writeFileSync(join(a.dir, 'articles', id, 'record.jsonl'), forged.map((e) => `${JSON.stringify(e)}\n`).join(''));
    const refused = await a.sync.round();
    expect(refused.phase).toBe('refused');
    expect(refused.refused[0]?.reasons.join(' ')).toMatch(/拒绝推送/);
    expect((await a.sync.pending()).refused).toEqual([id]);
    expect((await a.sync.status()).phase).toBe('refused');

    // The next round: another article submitted to the same repository goes; the refused record stays here, unsent, and the person is told.
    const other = 'art-other-0002';
    a.write(article(other, [p('另一篇稿件')]));
    a.sign(other, { type: 'submit', at: new Date().toISOString(), actorId: ids.w1!, contentHash: await hashOf(a.read(other)), stageId: 'first', note: '' });
    const next = await a.sync.round();
    expect(next.refused).toEqual([]);
    expect(next.phase).toBe('refused');
    expect(next.message).toContain('被服务器拒绝');
    expect(serverLs(submittedRepo(UNIT).name)).toContain(`articles/${other}/record.jsonl`);
    expect(serverShow(submittedRepo(UNIT).name, `articles/${id}/record.jsonl`)).not.toContain('改过的');
    expect(readFileSync(join(a.dir, 'articles', id, 'record.jsonl'), 'utf8')).toContain('改过的');
    const log = await readSyncLog(a.dir);
    expect(log.some((e) => e.kind === 'refused' && e.articleIds.includes(id) && e.message.includes('refs/gazette/refused/'))).toBe(true);
  }, 300_000);

  it('a round told which articles were written sends those, still says what is held back, and the next full look sends what changed behind its back', async () => {
    const a = await desk('w1-look');
    const [told, behind, held] = ['art-told-00001', 'art-behind-0001', 'art-held-00001'];
    a.write(article(told, [p('告知的稿件')]));
    a.write(article(behind, [p('背后改动的稿件')]));
    a.write(article(held, [p('送审后被改的稿件')]));
    a.sign(held, { type: 'submit', at: new Date().toISOString(), actorId: ids.w1!, contentHash: await hashOf(a.read(held)), stageId: 'first', note: '' });
    expect((await a.sync.round()).phase).toBe('synced');
    // A record rewritten by hand is refused, and stays held back.
    const forged = a.record(held);
    forged[0] = { ...forged[0]!, event: { ...forged[0]!.event, note: '改过的' } as SignedEvent };
    writeFileSync(join(a.dir, 'articles', held, 'record.jsonl'), forged.map((e) => `${JSON.stringify(e)}\n`).join(''));
    expect((await a.sync.round()).phase).toBe('refused');

    // Two articles change; the round is told of one (as the app's save tells it).
    a.write(article(told, [p('告知的稿件（改）')]));
    a.write(article(behind, [p('背后改动的稿件（改）')]));
    const narrowed = await a.sync.round({ articles: [told] });
    expect(narrowed.sent).toHaveLength(1);
    expect(serverShow(draftsRepo(UNIT).name, `articles/${told}/article.json`)).toContain('告知的稿件（改）');
    expect(serverShow(draftsRepo(UNIT).name, `articles/${behind}/article.json`)).not.toContain('（改）');
    // The refused article was not named, and the person is still told of it.
    expect(narrowed.phase).toBe('refused');
    expect(narrowed.message).toContain('被服务器拒绝');

    // The next full look finds the other change and sends it.
    await a.sync.round();
    expect(serverShow(draftsRepo(UNIT).name, `articles/${behind}/article.json`)).toContain('背后改动的稿件（改）');
    expect(serverShow(submittedRepo(UNIT).name, `articles/${held}/record.jsonl`)).not.toContain('改过的');
  }, 300_000);

  it('a package imported while a round runs: the round’s work and the import’s signed commit both reach the server, nothing lost', async () => {
    // A package from the administrator's desktop, of an article written there.
    const admin = await openWorkspace(join(root, 'admin'), { scrypt: TEST_SCRYPT, autoStartOutbox: false });
    let pkg: Uint8Array;
    let imported: string;
    try {
      const ctx = { transport: 'http' as const, sessionId: 'http:admin-export' };
      await admin.identity.signInAs(ids.admin!, PASSWORDS.admin, ctx);
      const made = await admin.dispatch('articles:create', { template: 'blank', input: { title: '内网带来的通知' } }, ctx);
      if (!made.ok) throw new Error(made.error.detail);
      imported = (made.value as { id: string }).id;
      pkg = (await admin.transfer.exportPackage([imported], ctx)).bytes;
    } finally {
      await admin.close();
    }
    const sha256 = createHash('sha256').update(pkg).digest('hex');

    // w1's desktop as the app runs it: rounds in the sync worker once w1 signs in.
    const { dir } = await desk('w1-d');
    const id = 'art-photo-0004';
    mkdirSync(join(dir, 'articles', id, 'assets'), { recursive: true });
    writeFileSync(join(dir, 'articles', id, 'article.json'), articleBytes(article(id, [p('带大图的稿件')])));
    // Random bytes do not compress: the round takes long enough for the import to land inside it.
    const photo = randomBytes(12 * 1024 * 1024);
    writeFileSync(join(dir, 'articles', id, 'assets', 'photo.jpg'), photo);
    const app = await openWorkspace(dir, { scrypt: TEST_SCRYPT, autoStartOutbox: false, sync: { intervalMs: 3_600_000, saveDelayMs: 3_600_000 } });
    try {
      const ctx = { transport: 'http' as const, sessionId: 'http:w1-d' };
      const call = async (channel: string, payload: unknown) => {
        const envelope = await app.dispatch(channel as never, payload, ctx);
        if (!envelope.ok) throw new Error(`${channel}: ${envelope.error.code} ${envelope.error.detail}`);
        return envelope.value as { ok?: boolean; items?: { articleId: string; outcome: string }[]; phase?: string };
      };
      await call('session:signIn', { personId: ids.w1, password: PASSWORDS.w1 });
      // The sign-in's round is sending the photo: the import comes now.
      for (let i = 0; i < 500 && app.sync.status().phase !== 'syncing'; i++) await new Promise((r) => setTimeout(r, 10));
      expect(app.sync.status().phase).toBe('syncing');
      const result = await call('package:import', { dataBase64: Buffer.from(pkg).toString('base64') });
      expect(result.items?.map((item) => [item.articleId, item.outcome])).toEqual([[imported, 'created']]);
      await call('sync:now', {});
      const last = await call('sync:now', {});
      expect(last.phase).toBe('synced');
    } finally {
      await app.close();
    }

    const drafts = draftsRepo(UNIT).name;
    const files = serverLs(drafts);
    expect(files).toContain(`articles/${id}/assets/photo.jpg`);
    expect(files).toContain(`articles/${imported}/article.json`);
    const log = spawnSync('git', ['--git-dir', repositoryPath(serverDir, drafts), 'log', '--format=%s', 'main'], { encoding: 'utf8' }).stdout;
    expect(log.split('\n')).toContain(`导入传输包 ${sha256}`);
    // The desktop's files are as written: the photo whole, the imported article there.
    expect(readFileSync(join(dir, 'articles', id, 'assets', 'photo.jpg')).equals(photo)).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'articles', imported, 'article.json'), 'utf8')).meta.title).toBe('内网带来的通知');
  }, 300_000);
});
