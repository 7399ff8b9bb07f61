import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { rename, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type ArticleMetaInput, ArticleMetaSchema, ArticleSchema } from '../../../shared/domain/article';
import { type Doc, paragraph } from '../../../shared/domain/doc';
import { WorkspaceStore } from '../../../node/services/store/workspace-store';

let dir: string;
const open: WorkspaceStore[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gazette-store-'));
});

afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function openStore(): Promise<WorkspaceStore> {
  const store = await WorkspaceStore.open(dir, { indexFlushDelayMs: 10 });
  open.push(store);
  return store;
}

async function reopen(store: WorkspaceStore): Promise<WorkspaceStore> {
  await store.close();
  open.splice(open.indexOf(store), 1);
  return openStore();
}

const meta = (input: ArticleMetaInput = {}) => ArticleMetaSchema.parse(input);
const doc = (...paragraphs: string[]): Doc => ({ type: 'doc', content: paragraphs.map((p) => paragraph(p)) });
const articleFile = (id: string) => join(dir, 'articles', id, 'article.json');
const quarantined = () => (existsSync(join(dir, 'quarantine')) ? readdirSync(join(dir, 'quarantine')) : []);

describe('workspace store', () => {
  it('reopens a workspace with exactly what was saved, Chinese text intact', async () => {
    let store = await openStore();
    const created = await store.create(meta({ title: '草稿' }), doc(''));
    const savedMeta = meta({
      title: '新乡经开区召开全区领导干部会议',
      column: ['首页', '要闻动态', '政务要闻'],
      source: '区党政办',
      publishAt: '2021-05-20',
      keywords: ['南水北调'],
    });
    const savedDoc = doc('5月19日，经开区召开全区领导干部会议。', '会议强调，要坚持生态优先。');
    const { updatedAt, summary } = await store.save(created.id, savedMeta, savedDoc, created.updatedAt);
    expect(summary.title).toBe('新乡经开区召开全区领导干部会议');
    // 5 月 19 日 ， 经开区召开全区领导干部会议 。 = 19; 会议强调 ， 要坚持生态优先 。 = 13
    expect(summary.charCount).toBe(32);

    store = await reopen(store);
    const loaded = await store.get(created.id);
    expect(loaded.meta).toEqual(savedMeta);
    expect(loaded.doc).toEqual(savedDoc);
    expect(loaded.updatedAt).toBe(updatedAt);
    expect(loaded.createdAt).toBe(created.createdAt);
    expect(store.list().map((s) => s.id)).toEqual([created.id]);
    expect(readFileSync(articleFile(created.id), 'utf8')).toContain('会议强调，要坚持生态优先。');
  });

  it('refuses a save based on a version the caller has not seen', async () => {
    const store = await openStore();
    const created = await store.create(meta(), doc('一'));
    const first = await store.save(created.id, meta({ title: '甲' }), doc('一'), created.updatedAt);
    const second = await store.save(created.id, meta({ title: '乙' }), doc('二'), first.updatedAt);
    expect(second.updatedAt > first.updatedAt).toBe(true);
    await expect(store.save(created.id, meta({ title: '丙' }), doc('三'), first.updatedAt)).rejects.toMatchObject({
      code: 'conflict',
    });
    expect((await store.get(created.id)).meta.title).toBe('乙');
  });

  it('filters the list by status and by column prefix, last changed first', async () => {
    let store = await openStore();
    const news = await store.create(meta({ title: '要闻', column: ['首页', '要闻动态', '政务要闻'] }), doc('a'));
    const dept = await store.create(meta({ title: '部门', column: ['首页', '要闻动态', '部门动态'] }), doc('b'));
    const notice = await store.create(meta({ title: '通知', column: ['首页', '通知公告', '通知'] }), doc('c'));
    // Only review changes the status; the store alone is tested by editing the file as review would.
    const raw = JSON.parse(readFileSync(articleFile(dept.id), 'utf8'));
    writeFileSync(articleFile(dept.id), JSON.stringify({ ...raw, status: 'in_review' }));
    store = await reopen(store);

    expect(store.list().map((s) => s.title)).toEqual(['通知', '部门', '要闻']);
    expect(store.list({ column: ['首页', '要闻动态'] }).map((s) => s.id)).toEqual([dept.id, news.id]);
    expect(store.list({ column: ['首页', '要闻动态', '政务要闻'] }).map((s) => s.id)).toEqual([news.id]);
    expect(store.list({ column: ['首页', '要闻'] })).toEqual([]);
    expect(store.list({ status: 'in_review' }).map((s) => s.id)).toEqual([dept.id]);
    expect(store.list({ status: 'draft' }).map((s) => s.id)).toEqual([notice.id, news.id]);
  });

  it('finds Chinese text anywhere in title, metadata or body', async () => {
    const store = await openStore();
    const water = await store.create(meta({ title: '学习座谈会精神' }), doc('推进南水北调后续工程高质量发展。'));
    const eco = await store.create(meta({ title: '生态环境整治', source: '区生态环境分局' }), doc('开展行动。'));
    const both = await store.create(meta({ title: '会议', keywords: ['南水北调'] }), doc('坚持生态优先。'));
    await store.create(meta({ title: '人事信息', summary: 'GDP Growth' }), doc('无关内容。'));

    expect(store.list({ query: '南水北调' }).map((s) => s.id)).toEqual([both.id, water.id]);
    expect(store.list({ query: '生态' }).map((s) => s.id)).toEqual([both.id, eco.id]);
    expect(store.list({ query: '南水北调 生态' }).map((s) => s.id)).toEqual([both.id]);
    expect(store.list({ query: 'gdp growth' })).toHaveLength(1);
    expect(store.list({ query: '北京' })).toEqual([]);

    await store.trash(both.id);
    expect(store.list({ query: '生态' }).map((s) => s.id)).toEqual([eco.id]);
    expect(store.list({ query: '生态', trash: true }).map((s) => s.id)).toEqual([both.id]);
  });

  it('moves to trash, restores, and purges only from the trash', async () => {
    let store = await openStore();
    const keep = await store.create(meta({ title: '保留' }), doc('x'));
    const gone = await store.create(meta({ title: '删除' }), doc('y'));

    const trashed = await store.trash(gone.id);
    expect(trashed.trashedAt).not.toBeNull();
    expect(store.list().map((s) => s.id)).toEqual([keep.id]);
    expect(store.list({ trash: true }).map((s) => s.id)).toEqual([gone.id]);
    expect(existsSync(articleFile(gone.id))).toBe(true);

    await store.restore(gone.id);
    expect(store.list({ trash: true })).toEqual([]);
    await expect(store.purge(gone.id)).rejects.toMatchObject({ code: 'conflict' });

    await store.trash(gone.id);
    store = await reopen(store);
    expect(store.list({ trash: true }).map((s) => s.id)).toEqual([gone.id]);
    await store.purge(gone.id);
    expect(existsSync(join(dir, 'articles', gone.id))).toBe(false);
    await expect(store.get(gone.id)).rejects.toMatchObject({ code: 'not_found' });
    store = await reopen(store);
    expect(store.list({ trash: true })).toEqual([]);
    expect(store.list().map((s) => s.id)).toEqual([keep.id]);
  });

  it('keeps named versions immutable and lists them newest first', async () => {
    const store = await openStore();
    const a = await store.create(meta({ title: '初稿' }), doc('第一稿'));
    const v1 = await store.saveVersion(a.id, '送审前');
    const v1File = join(dir, 'articles', a.id, 'revisions', `${v1.id}.json`);
    const v1Bytes = readFileSync(v1File, 'utf8');
    await store.save(a.id, meta({ title: '修改稿' }), doc('第二稿'));
    const v2 = await store.saveVersion(a.id, '修改后');
    await store.save(a.id, meta({ title: '终稿' }), doc('第三稿'));

    expect((await store.versions(a.id)).map((v) => v.name)).toEqual(['修改后', '送审前']);
    const first = await store.getVersion(a.id, v1.id);
    expect(first.meta.title).toBe('初稿');
    expect(first.doc).toEqual(doc('第一稿'));
    expect((await store.getVersion(a.id, v2.id)).doc).toEqual(doc('第二稿'));
    expect(readFileSync(v1File, 'utf8')).toBe(v1Bytes);
    await expect(store.getVersion(a.id, '../article')).rejects.toMatchObject({ code: 'not_found' });
    await expect(store.getVersion(a.id, 'nosuchrev')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('serialises concurrent saves of one article: last write wins and the file stays valid', async () => {
    let store = await openStore();
    const a = await store.create(meta(), doc(''));
    const saves = Array.from({ length: 25 }, (_, i) =>
      store.save(a.id, meta({ title: `第${i}稿` }), doc(`正文${'生态'.repeat(i * 50)}`)),
    );
    const results = await Promise.all(saves);
    const times = results.map((r) => r.updatedAt);
    expect([...times].sort()).toEqual(times);
    const onDisk = ArticleSchema.parse(JSON.parse(readFileSync(articleFile(a.id), 'utf8')));
    expect(onDisk.meta.title).toBe('第24稿');
    expect(readdirSync(join(dir, 'articles', a.id)).sort()).toEqual(['article.json', 'article.json.bak']);
    store = await reopen(store);
    expect((await store.get(a.id)).meta.title).toBe('第24稿');
  });
});

describe('damaged and foreign files', () => {
  async function twoArticles() {
    const store = await openStore();
    const healthy = await store.create(meta({ title: '完好' }), doc('完好的文章'));
    const victim = await store.create(meta({ title: '上一版' }), doc('上一版正文'));
    await store.save(victim.id, meta({ title: '最新版' }), doc('最新版正文'));
    await store.close();
    open.splice(0);
    return { healthy, victim };
  }

  const damage: [string, string | Buffer][] = [
    ['truncated JSON', '{"format":"gazette/article","version":1,"id":"'],
    ['garbage bytes', Buffer.from([0xff, 0xfe, 0x00, 0x13, 0x88, 0x9c, 0x00])],
    ['valid JSON of the wrong shape', JSON.stringify({ format: 'gazette/article', version: 1, id: 'x', meta: 42 })],
  ];

  for (const [label, content] of damage) {
    it(`recovers an article from its backup when article.json holds ${label}`, async () => {
      const { healthy, victim } = await twoArticles();
      writeFileSync(articleFile(victim.id), content);

      const store = await openStore();
      const titles = store.list().map((s) => s.title).sort();
      expect(titles).toEqual(['上一版', '完好']);
      expect((await store.get(victim.id)).doc).toEqual(doc('上一版正文'));
      expect((await store.get(healthy.id)).meta.title).toBe('完好');

      const [problem] = store.sessionProblems();
      expect(problem).toMatchObject({ kind: 'recovered_from_backup', articleId: victim.id });
      expect(problem?.quarantinedAs).toMatch(/^quarantine\//);
      const kept = readFileSync(join(dir, problem?.quarantinedAs ?? ''));
      expect(kept.equals(Buffer.from(content))).toBe(true);
      expect(store.problemLog()).toHaveLength(1);
    });
  }

  it('reports an article without a usable backup as unrecoverable and keeps the rest working', async () => {
    let store = await openStore();
    const healthy = await store.create(meta({ title: '完好' }), doc('完好'));
    const lost = await store.create(meta({ title: '只存过一次' }), doc('x'));
    store = await reopen(store);
    writeFileSync(articleFile(lost.id), '{"format":"gazette/article", broken');
    store = await reopen(store);

    expect(store.list().map((s) => s.id)).toEqual([healthy.id]);
    expect(store.sessionProblems()).toMatchObject([{ kind: 'unrecoverable', articleId: lost.id }]);
    expect(quarantined()).toHaveLength(1);
    await expect(store.get(lost.id)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('moves files the app did not write out of the articles folder', async () => {
    let store = await openStore();
    const healthy = await store.create(meta({ title: '完好' }), doc('完好'));
    store = await reopen(store);
    writeFileSync(join(dir, 'articles', 'notes.txt'), '别人放的文件');
    const other = join(dir, 'articles', 'someone-elses');
    writeFileSync(join(dir, 'articles', 'bad name!'), 'x');
    await import('node:fs/promises').then((fs) => fs.mkdir(other));
    writeFileSync(join(other, 'article.json'), JSON.stringify({ hello: 'world' }));
    store = await reopen(store);

    expect(store.list().map((s) => s.id)).toEqual([healthy.id]);
    const problems = store.sessionProblems();
    expect(problems.map((p) => p.kind)).toEqual(['foreign', 'foreign', 'foreign']);
    expect(problems.map((p) => p.file).sort()).toEqual([
      'articles/bad name!',
      'articles/notes.txt',
      'articles/someone-elses/article.json',
    ]);
    expect(quarantined()).toHaveLength(3);
    expect(existsSync(join(dir, 'articles', 'notes.txt'))).toBe(false);
  });

  it('sets aside an article written by a newer app version and falls back to the backup', async () => {
    const { victim } = await twoArticles();
    const raw = JSON.parse(readFileSync(articleFile(victim.id), 'utf8'));
    writeFileSync(articleFile(victim.id), JSON.stringify({ ...raw, version: 2, extra: true }));
    const store = await openStore();
    expect(store.sessionProblems().map((p) => p.kind)).toEqual(['foreign', 'recovered_from_backup']);
    expect(store.sessionProblems()[0]?.detail).toContain('newer');
    expect((await store.get(victim.id)).meta.title).toBe('上一版');
    expect(quarantined()).toHaveLength(1);
  });

  it('notices damage while the workspace is open and recovers on read', async () => {
    const store = await openStore();
    const a = await store.create(meta({ title: '第一版' }), doc('一'));
    await store.save(a.id, meta({ title: '第二版' }), doc('二'));
    writeFileSync(articleFile(a.id), 'not json at all');
    expect((await store.get(a.id)).meta.title).toBe('第一版');
    expect(store.sessionProblems()).toMatchObject([{ kind: 'recovered_from_backup', articleId: a.id }]);
    expect(store.list().map((s) => s.title)).toEqual(['第一版']);
  });

  it('quarantines broken settings and uses the defaults', async () => {
    writeFileSync(join(dir, 'settings.json'), '{"locale": "fr"}');
    const store = await openStore();
    expect(store.settings().locale).toBe('zh-CN');
    expect(store.settings().units).toContain('区党政办');
    expect(store.sessionProblems()).toMatchObject([{ kind: 'damaged', file: 'settings.json' }]);
    const saved = await store.saveSettings({ ...store.settings(), locale: 'en', units: ['区财政局'] });
    expect(saved.locale).toBe('en');
    const again = await reopen(store);
    expect(again.settings()).toMatchObject({ locale: 'en', units: ['区财政局'] });
  });
});

describe('index cache', () => {
  async function threeArticles() {
    const store = await openStore();
    const ids: string[] = [];
    for (const title of ['一号', '二号', '三号']) ids.push((await store.create(meta({ title }), doc(`${title}生态`))).id);
    await store.close();
    open.splice(0);
    return ids;
  }

  it('rebuilds a deleted index from the article files', async () => {
    const ids = await threeArticles();
    expect(readdirSync(join(dir, 'index')).length).toBeGreaterThan(0);
    rmSync(join(dir, 'index'), { recursive: true });
    const store = await openStore();
    expect(store.list().map((s) => s.id)).toEqual([...ids].reverse());
    expect(store.list({ query: '二号' }).map((s) => s.id)).toEqual([ids[1]]);
    await store.close();
    open.splice(0);
    const shards = readdirSync(join(dir, 'index')).filter((name) => name.endsWith('.idx'));
    expect(shards.length).toBeGreaterThan(0);
    expect(shards.length).toBeLessThanOrEqual(3);
    const again = await openStore();
    expect(again.list({ query: '二号' }).map((s) => s.id)).toEqual([ids[1]]);
  });

  it('does not trust a stale or garbage index', async () => {
    const ids = await threeArticles();
    const staleIndex = join(dir, 'stale-index');
    cpSync(join(dir, 'index'), staleIndex, { recursive: true });
    let store = await openStore();
    await store.save(ids[0] ?? '', meta({ title: '改过的标题' }), doc('南水北调'));
    const extra = await store.create(meta({ title: '新文章' }), doc(''));
    await store.trash(ids[2] ?? '');
    await store.close();
    open.splice(0);
    // Put back the index as it was before those changes, as if the last flush had been lost.
    rmSync(join(dir, 'index'), { recursive: true });
    cpSync(staleIndex, join(dir, 'index'), { recursive: true });
    store = await openStore();
    expect(store.summary(ids[0] ?? '')?.title).toBe('改过的标题');
    expect(store.list({ query: '南水北调' }).map((s) => s.id)).toEqual([ids[0]]);
    expect(store.list().map((s) => s.id).sort()).toEqual([ids[0], ids[1], extra.id].sort());
    expect(store.list({ trash: true }).map((s) => s.id)).toEqual([ids[2]]);

    await store.close();
    open.splice(0);
    for (const name of readdirSync(join(dir, 'index'))) writeFileSync(join(dir, 'index', name), '\u0000garbage{');
    store = await openStore();
    expect(store.list().map((s) => s.id).sort()).toEqual([ids[0], ids[1], extra.id].sort());
    expect(store.sessionProblems()).toEqual([]);
  });

  it('takes in what another writer changed on disk while it was open: changed, new and vanished articles', async () => {
    const ids = await threeArticles();
    const store = await openStore();
    // Another desktop's copy of the workspace changes one article and writes a new one (as an office sync brings them).
    const elsewhere = mkdtempSync(join(tmpdir(), 'gazette-store-other-'));
    try {
      cpSync(dir, elsewhere, { recursive: true });
      const other = await WorkspaceStore.open(elsewhere, { indexFlushDelayMs: 10 });
      await other.save(ids[0] ?? '', meta({ title: '对方改过的标题' }), doc('南水北调'));
      const added = await other.create(meta({ title: '对方新写的' }), doc('新文章'));
      await other.close();
      for (const id of [ids[0] ?? '', added.id]) cpSync(join(elsewhere, 'articles', id), join(dir, 'articles', id), { recursive: true });
      rmSync(join(dir, 'articles', ids[2] ?? ''), { recursive: true });

      expect(store.summary(ids[0] ?? '')?.title).toBe('一号');
      const changed = await store.reconcile();
      expect(changed.sort()).toEqual([ids[0], ids[2], added.id].sort());
      expect(store.summary(ids[0] ?? '')?.title).toBe('对方改过的标题');
      expect(store.list({ query: '南水北调' }).map((s) => s.id)).toEqual([ids[0]]);
      expect(store.list().map((s) => s.id).sort()).toEqual([ids[0], ids[1], added.id].sort());
      // Nothing changed since: nothing to read again.
      expect(await store.reconcile()).toEqual([]);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('drops articles whose folder disappeared', async () => {
    const ids = await threeArticles();
    rmSync(join(dir, 'articles', ids[1] ?? ''), { recursive: true });
    const store = await openStore();
    expect(store.list().map((s) => s.id)).toEqual([ids[2], ids[0]]);
  });
});

describe('crash recovery', () => {
  it('recovers the newest valid file when a crash left a temp file and no article.json', async () => {
    let store = await openStore();
    const a = await store.create(meta({ title: '旧' }), doc('旧正文'));
    await store.save(a.id, meta({ title: '中' }), doc('中正文'));
    store = await reopen(store);
    // State between the two renames of a save: the new content sits in a finished temp file.
    const newest = { ...(await store.get(a.id)), updatedAt: new Date(Date.now() + 60_000).toISOString() };
    newest.meta = meta({ title: '新' });
    await store.close();
    open.splice(0);
    await writeFile(`${articleFile(a.id)}.tmp-abc123`, JSON.stringify(newest));
    await unlink(articleFile(a.id));

    store = await openStore();
    expect((await store.get(a.id)).meta.title).toBe('新');
    expect(readdirSync(join(dir, 'articles', a.id)).sort()).toEqual(['article.json', 'article.json.bak']);
    expect(store.sessionProblems()).toEqual([]);
  });

  it('finishes a save that was written to a temp file when the app died before the rename', async () => {
    const store = await openStore();
    const a = await store.create(meta({ title: '保存前' }), doc('x'));
    const finished = { ...(await store.get(a.id)), meta: meta({ title: '崩溃前最后一次保存' }) };
    finished.updatedAt = new Date(Date.parse(a.updatedAt) + 1000).toISOString();
    await writeFile(`${articleFile(a.id)}.tmp-feed01`, JSON.stringify(finished));
    await writeFile(`${articleFile(a.id)}.tmp-half02`, '{"format":"gazette/art');
    // No close(): the process "crashed", so the next open looks for unfinished writes.
    open.splice(0);

    const next = await openStore();
    expect((await next.get(a.id)).meta.title).toBe('崩溃前最后一次保存');
    expect(readdirSync(join(dir, 'articles', a.id)).sort()).toEqual(['article.json', 'article.json.bak']);
    expect(quarantined()).toHaveLength(1);
  });

  it('recovers from the backup when article.json vanished and reports it', async () => {
    let store = await openStore();
    const a = await store.create(meta({ title: '第一版' }), doc('x'));
    await store.save(a.id, meta({ title: '第二版' }), doc('y'));
    store = await reopen(store);
    await rename(articleFile(a.id), join(dir, 'moved-away.json'));
    store = await reopen(store);
    expect((await store.get(a.id)).meta.title).toBe('第一版');
    expect(store.sessionProblems()).toMatchObject([{ kind: 'recovered_from_backup', articleId: a.id }]);
  });
});

describe('assets', () => {
  const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('pixels')]);

  it('stores an image under a content-hash name and resolves it', async () => {
    const store = await openStore();
    const a = await store.create(meta(), doc(''));
    const { src } = await store.addAsset(a.id, '会议现场.PNG', 'image/png', png);
    expect(src).toMatch(/^assets\/[a-f0-9]{20}\.png$/);
    expect((await store.addAsset(a.id, 'copy.png', 'image/png', png)).src).toBe(src);
    const path = store.assetPath(a.id, src);
    expect(path && readFileSync(path).equals(png)).toBe(true);
    const pdf = await store.addAsset(a.id, '附件1.pdf', 'application/pdf', Buffer.from('%PDF-1.4'));
    expect(pdf.src).toMatch(/\.pdf$/);
  });

  it('rejects path tricks, unknown types, fake images and oversized files', async () => {
    const store = await openStore();
    const a = await store.create(meta(), doc(''));
    const b = await store.create(meta(), doc(''));
    const { src } = await store.addAsset(b.id, 'x.png', 'image/png', png);
    await expect(store.addAsset(a.id, '../../evil.png', 'image/png', png)).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(store.addAsset(a.id, 'a\\b.png', 'image/png', png)).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(store.addAsset(a.id, 'run.exe', 'application/x-msdownload', png)).rejects.toMatchObject({ code: 'unsupported_file' });
    await expect(store.addAsset(a.id, 'page.svg', 'image/svg+xml', Buffer.from('<svg/>'))).rejects.toMatchObject({ code: 'unsupported_file' });
    await expect(store.addAsset(a.id, 'fake.jpg', 'image/jpeg', Buffer.from('MZ'))).rejects.toMatchObject({ code: 'unsupported_file' });
    const huge = Buffer.alloc(50 * 1024 * 1024 + 1);
    huge.set(png);
    await expect(store.addAsset(a.id, 'huge.png', 'image/png', huge)).rejects.toMatchObject({ code: 'invalid_request' });
    await expect(store.addAsset('nosucharticle', 'x.png', 'image/png', png)).rejects.toMatchObject({ code: 'not_found' });

    expect(store.assetPath(a.id, 'assets/../article.json')).toBeNull();
    expect(store.assetPath(a.id, `assets/../../${b.id}/${src}`)).toBeNull();
    expect(store.assetPath(a.id, '../article.json')).toBeNull();
    expect(store.assetPath(a.id, 'assets/..\\article.json')).toBeNull();
    expect(store.assetPath(a.id, '/etc/passwd')).toBeNull();
    expect(store.assetPath('../..', src)).toBeNull();
    expect(store.assetPath(a.id, src)).toBeNull();
    expect(store.assetPath(b.id, src)).not.toBeNull();
  });
});

describe('article ids', () => {
  it('never start with "-", which a command line would read as an option', async () => {
    const store = await openStore();
    // Without the rule about one id in 64 would start with '-': 600 ids all but surely include one.
    const ids: string[] = [];
    for (let i = 0; i < 600; i++) ids.push((await store.create(meta({ title: `稿件${i}` }), doc(''))).id);
    expect(ids.filter((id) => id.startsWith('-'))).toEqual([]);
    expect(new Set(ids).size).toBe(600);
    await store.close();
  });
});
