import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApiHandlers } from '../../../node/services/api-handlers';
import { importFileBuffer, importPortalText } from '../../../node/services/import';
import { MigrationService, readListing } from '../../../node/services/import/migration';
import { fetchPage } from '../../../node/services/import/web-fetch';
import { WorkspaceStore } from '../../../node/services/store/workspace-store';
import type { ApiHandlers, CallContext, MigrationStatus } from '../../../shared/api/contract';
import { docToPlainText } from '../../../shared/domain/doc';
import { articleToHtmlDocument } from '../../../shared/html/serialize';
import { type FixturePortal, startFixturePortal, TROUBLESOME } from '../../support/fixture-portal';

const cli: CallContext = { transport: 'cli', sessionId: 'cli' };
const LIMITS = {
  page: { timeoutMs: 1500, maxBytes: 2 * 1024 * 1024 },
  image: { timeoutMs: 1500, maxBytes: 2 * 1024 * 1024 },
};

let dir: string;
let store: WorkspaceStore;
let migrations: MigrationService;
let handlers: ApiHandlers;
let portal: FixturePortal | null = null;

async function open(): Promise<void> {
  store = await WorkspaceStore.open(dir, { indexFlushDelayMs: 10 });
  migrations = new MigrationService(dir);
  handlers = createApiHandlers(store, {
    buildFromTemplate: () => {
      throw new Error('not used');
    },
    importFileBuffer,
    importPortalText: async (text, name) => importPortalText(text, name),
    articleToHtmlDocument,
    migrations,
    webLimits: LIMITS,
  });
}

async function close(): Promise<void> {
  await migrations.close();
  await store.close();
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gazette-web-import-'));
  await open();
});

afterEach(async () => {
  await close();
  await portal?.close();
  portal = null;
  rmSync(dir, { recursive: true, force: true });
});

async function waitFor(check: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function statusOf(id: string): Promise<MigrationStatus> {
  const all = await handlers['import:migrations']({}, cli);
  const found = all.find((migration) => migration.id === id);
  if (!found) throw new Error(`no migration ${id}`);
  return found;
}

async function finish(id: string): Promise<MigrationStatus> {
  let status = await statusOf(id);
  const until = Date.now() + 60_000;
  while (status.status === 'running' || status.status === 'stopping') {
    if (Date.now() > until) throw new Error('migration did not finish');
    await new Promise((resolve) => setTimeout(resolve, 25));
    status = await statusOf(id);
  }
  return status;
}

function titles(): string[] {
  return store
    .list({})
    .map((summary) => summary.title)
    .sort();
}

describe('import by URL', () => {
  it('imports an article page with its header fields and the body photo, not the site logo', async () => {
    portal = await startFixturePortal({ articles: 3 });
    const outcome = await handlers['import:url']({ url: portal.articleUrl(2), allowDuplicate: false }, cli);
    expect(outcome.ok, JSON.stringify(outcome)).toBe(true);
    if (!outcome.ok) return;
    expect(outcome.fields.title).toBe(portal.titleOf(2));
    expect(outcome.fields.source).toBe('区党政办');
    expect(outcome.fields.date).toBe('2024-05-03');
    const article = await store.get(outcome.article.id);
    const images = article.doc.content.filter((node) => node.type === 'image');
    expect(images).toHaveLength(1);
    // Between the two paragraphs, as on the page, and stored among the article's files.
    expect(article.doc.content.map((node) => node.type)).toEqual(['paragraph', 'image', 'paragraph']);
    const src = String(images[0]?.attrs?.src);
    expect(store.assetPath(article.id, src)).not.toBeNull();
    expect(existsSync(store.assetPath(article.id, src) ?? '')).toBe(true);
    expect(images[0]?.attrs?.alt).toBe('会议现场2');
    expect(portal.requests).not.toContain('/images/logo.png');
    expect(article.importedFrom?.name).toBe(portal.articleUrl(2));
    expect(outcome.warnings.join('\n')).not.toMatch(/图片没有随文字导入/u);
  });

  it('says the page is already in the workspace the second time', async () => {
    portal = await startFixturePortal({ articles: 2 });
    const first = await handlers['import:url']({ url: portal.articleUrl(1), allowDuplicate: false }, cli);
    const again = await handlers['import:url']({ url: portal.articleUrl(1), allowDuplicate: false }, cli);
    expect(first.ok).toBe(true);
    expect(again).toMatchObject({ ok: false, duplicate: true });
    expect(store.list({})).toHaveLength(1);
  });

  it('follows a redirect and records where the page really was', async () => {
    portal = await startFixturePortal({ articles: 1, troublesome: true });
    const outcome = await handlers['import:url']({ url: `${portal.base}${TROUBLESOME.moved}`, allowDuplicate: false }, cli);
    expect(outcome.ok).toBe(true);
    if (outcome.ok) expect(outcome.file).toBe(`${portal.base}${TROUBLESOME.movedTo}`);
  });

  it('refuses what it cannot import with the reason, and creates nothing', async () => {
    portal = await startFixturePortal({ articles: 1, troublesome: true });
    const failing = await handlers['import:url']({ url: `${portal.base}${TROUBLESOME.failing}`, allowDuplicate: false }, cli);
    expect(failing).toMatchObject({ ok: false });
    if (!failing.ok) expect(failing.reason).toMatch(/HTTP 500/u);
    const pdf = await handlers['import:url']({ url: `${portal.base}${TROUBLESOME.pdf}`, allowDuplicate: false }, cli);
    if (!pdf.ok) expect(pdf.reason).toMatch(/不是网页.*application\/pdf/u);
    else throw new Error('a PDF was imported as a page');
    const began = Date.now();
    const slow = await handlers['import:url']({ url: `${portal.base}${TROUBLESOME.slow}`, allowDuplicate: false }, cli);
    expect(Date.now() - began).toBeLessThan(10_000);
    if (!slow.ok) expect(slow.reason).toMatch(/秒内没有传完/u);
    else throw new Error('a page that never finished was imported');
    const ftp = await handlers['import:url']({ url: 'ftp://127.0.0.1/a.html', allowDuplicate: false }, cli);
    if (!ftp.ok) expect(ftp.reason).toMatch(/只能从 http:\/\/ 或 https:\/\//u);
    expect(store.list({})).toHaveLength(0);
  });

  it('says the site does not answer when nothing listens there', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const outcome = await handlers['import:url']({ url: `http://127.0.0.1:${port}/a.html`, allowDuplicate: false }, cli);
    if (!outcome.ok) expect(outcome.reason).toMatch(/拒绝连接/u);
    else throw new Error('imported from nowhere');
  });

  it('stops reading a page larger than the limit', async () => {
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end(`<html><body>${'<p>很长的网页</p>'.repeat(100_000)}</body></html>`);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/big.html`;
    try {
      await expect(fetchPage(url, { timeoutMs: 5000, maxBytes: 100_000 })).rejects.toThrow(/超过/u);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('reading a listing page', () => {
  it('finds the next pages and the column’s articles, not the menus', () => {
    const html = `<ul><li><a href="/">首页</a></li><li><a href="/zwgk/index.html">政务公开信息目录</a></li></ul>
      <a href="./202401/t20240105_1.html">开发区召开经济工作会议部署全年任务</a>
      <a href="../../art/2024/1/6/art_2.html">其他栏目的一篇很长的文章标题</a>
      <a href="./202401/t20240106_3.pdf">附件下载：年度工作报告全文</a>
      <a href="index_1.html">2</a> <a href="index_2.html">3</a> <a href="list.jsp?page=9">下一页</a>
      <script>createPageHTML(5, 0, "index", "html");</script>`;
    const root = new URL('http://portal.test/xwzx/gzdt/index.html');
    const links = readListing(html, root.href, root);
    expect(links.articles).toEqual(['http://portal.test/xwzx/gzdt/202401/t20240105_1.html']);
    expect(links.pages).toEqual(
      expect.arrayContaining([
        'http://portal.test/xwzx/gzdt/index_1.html',
        'http://portal.test/xwzx/gzdt/index_2.html',
        'http://portal.test/xwzx/gzdt/index_4.html',
        'http://portal.test/xwzx/gzdt/list.jsp?page=9',
      ]),
    );
  });
});

describe('migrating a column', () => {
  it('imports every article over the listing’s pages, with their photos, and names each failure and why', async () => {
    portal = await startFixturePortal({ articles: 12, perPage: 5, troublesome: true });
    const started = await handlers['import:migrationStart']({ listingUrl: portal.listingUrl, delayMs: 0 }, cli);
    const done = await finish(started.id);
    expect(done.status).toBe('done');
    expect(done.listingPages).toEqual({ done: 3, queued: 0, failed: 0 });
    // 12 articles + the redirected one; the 500, the PDF and the slow page failed.
    expect(done.articles).toMatchObject({ found: 16, done: 16, imported: 13, duplicates: 0, failed: 3 });
    const reasons = Object.fromEntries(done.failures.map((failure) => [new URL(failure.url).pathname, failure.reason]));
    expect(reasons[TROUBLESOME.failing]).toMatch(/HTTP 500/u);
    expect(reasons[TROUBLESOME.pdf]).toMatch(/不是网页/u);
    expect(reasons[TROUBLESOME.slow]).toMatch(/秒内没有传完/u);
    const expected = [...Array.from({ length: 12 }, (_, i) => portal?.titleOf(i + 1) ?? ''), portal.titleOf(9000)].sort();
    expect(titles()).toEqual(expected);
    for (const summary of store.list({})) {
      const article = await store.get(summary.id);
      expect(article.doc.content.filter((node) => node.type === 'image')).toHaveLength(1);
      expect(docToPlainText(article.doc)).toMatch(/压紧压实安全生产责任/u);
    }
    // Nothing off the column: no menus, no other columns, no logo.
    expect(portal.requests.filter((path) => path.startsWith('/zwgk') || path === '/' || path === '/images/logo.png')).toEqual([]);
  });

  it('pauses between requests as set', async () => {
    portal = await startFixturePortal({ articles: 3, perPage: 5 });
    const began = Date.now();
    const started = await handlers['import:migrationStart']({ listingUrl: portal.listingUrl, delayMs: 150 }, cli);
    const done = await finish(started.id);
    expect(done.articles.imported).toBe(3);
    // One listing page and three articles: three pauses between four requests.
    expect(Date.now() - began).toBeGreaterThanOrEqual(3 * 150);
  });

  it('stops after some articles, resumes after the workspace was reopened, and ends with each article once', async () => {
    portal = await startFixturePortal({ articles: 10, perPage: 4 });
    const started = await handlers['import:migrationStart']({ listingUrl: portal.listingUrl, delayMs: 30 }, cli);
    await waitFor(() => store.list({}).length >= 3, 'three imported articles');
    const stopped = await handlers['import:migrationStop']({ id: started.id }, cli);
    expect(stopped.status).toBe('stopped');
    const importedAtStop = store.list({}).length;
    expect(importedAtStop).toBeLessThan(10);
    expect(stopped.articles.imported).toBe(importedAtStop);
    // Progress is on disk, written whole.
    const saved = JSON.parse(readFileSync(join(dir, '.gazette', 'migrations', `${started.id}.json`), 'utf8'));
    expect(saved.status).toBe('stopped');
    expect(readdirSync(join(dir, '.gazette', 'migrations')).filter((name) => name.includes('.tmp-'))).toEqual([]);

    await close();
    await open();
    const listed = await handlers['import:migrations']({}, cli);
    expect(listed.map((migration) => [migration.id, migration.status])).toEqual([[started.id, 'stopped']]);
    const resumed = await handlers['import:migrationStart']({ resumeId: started.id }, cli);
    const done = await finish(resumed.id);
    expect(done.status).toBe('done');
    expect(done.articles).toMatchObject({ found: 10, done: 10, imported: 10, failed: 0 });
    expect(titles()).toEqual(Array.from({ length: 10 }, (_, i) => portal?.titleOf(i + 1) ?? '').sort());
    // Each article page fetched once: the resume went on from the saved progress, not from the start.
    const articleFetches = portal.requests.filter((path) => /t2024_\d+\.html$/u.test(path));
    expect(new Set(articleFetches).size).toBe(10);
    expect(articleFetches.length).toBe(10);
  });

  it('after a crash mid-page, a resume meets the page it already imported as a duplicate and imports nothing twice', async () => {
    portal = await startFixturePortal({ articles: 4, perPage: 10 });
    const started = await handlers['import:migrationStart']({ listingUrl: portal.listingUrl, delayMs: 0 }, cli);
    await finish(started.id);
    expect(store.list({})).toHaveLength(4);
    // As if the app died after importing the last two but before saving that progress.
    const path = join(dir, '.gazette', 'migrations', `${started.id}.json`);
    const state = JSON.parse(readFileSync(path, 'utf8'));
    // Told "done", the progress on disk says so too: a crash now would not undo it.
    expect(state).toMatchObject({ status: 'done', counts: { imported: 4 } });
    const lastTwo = state.articles.done.splice(-2);
    state.articles.queue.push(...lastTwo);
    state.counts.imported -= 2;
    state.status = 'running';
    state.finishedAt = null;
    await close();
    writeFileSync(path, JSON.stringify(state));
    await open();
    expect((await statusOf(started.id)).status).toBe('interrupted');
    await handlers['import:migrationStart']({ resumeId: started.id }, cli);
    const done = await finish(started.id);
    expect(done.articles).toMatchObject({ imported: 2, duplicates: 2, failed: 0 });
    expect(store.list({})).toHaveLength(4);
  });

  it('refuses a damaged progress file instead of resuming from it', async () => {
    portal = await startFixturePortal({ articles: 1 });
    const started = await handlers['import:migrationStart']({ listingUrl: portal.listingUrl, delayMs: 0 }, cli);
    await finish(started.id);
    // Its last save done, so the damage below is what a resume reads.
    await handlers['import:migrationStop']({ id: started.id }, cli);
    writeFileSync(join(dir, '.gazette', 'migrations', `${started.id}.json`), '{"format":"gazette/migration","id":');
    await expect(handlers['import:migrationStart']({ resumeId: started.id }, cli)).rejects.toMatchObject({ code: 'damaged_file' });
  });
});
