// @vitest-environment jsdom
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeText, importPortalText } from '../../../node/services/import/index';
import { outputFile } from '../../../node/services/publish/static/files';
import {
  buildStaticSite,
  MANIFEST_FILE,
  renderStaticArticlePage,
  type StaticArticle,
  type StaticBuildInput,
} from '../../../node/services/publish/static/build';
import { type Article, newArticle } from '../../../shared/domain/article';
import type { Doc } from '../../../shared/domain/doc';
import { articleRelativePath, defaultSiteProfile, SiteProfileSchema } from '../../../shared/portal/site';
import { filesUnder } from '../../support/files-under';

const FIXTURE = 'sample-2021-05-20.txt';
const sample = (() => {
  const data = readFileSync(join(__dirname, '../../fixtures/portal', FIXTURE));
  return importPortalText(decodeText(data, FIXTURE), FIXTURE);
})();

/** A tiny valid PNG, and a second one with different bytes. */
const PNG_A = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da636400000000060005b2a9b60000000049454e44ae426082', 'hex');
const PNG_B = Buffer.concat([PNG_A, Buffer.from([0])]);

function article(id: string, title: string, column: string[], publishAt: string, extra: Partial<Article> = {}): Article {
  const base = newArticle(id, `${publishAt.slice(0, 10)}T01:00:00.000Z`, { ...sample.meta, title, column, publishAt }, sample.doc);
  return { ...base, status: 'published', ...extra };
}

function withImage(a: Article, src: string): Article {
  const doc: Doc = {
    type: 'doc',
    content: [{ type: 'image', attrs: { src, alt: '现场', caption: '会议现场' } }, ...a.doc.content],
  };
  return { ...a, doc };
}

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gazette-static-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});


/** Parses XML strictly: a document that is not well-formed fails the test. */
function xml(text: string): Document {
  const doc = new DOMParser().parseFromString(text, 'application/xml');
  if (doc.getElementsByTagName('parsererror').length > 0) throw new Error(`not well-formed XML: ${doc.documentElement.textContent}`);
  return doc;
}

function html(text: string): Document {
  return new DOMParser().parseFromString(text, 'text/html');
}

function fixtureSet() {
  const site = SiteProfileSchema.parse({ ...defaultSiteProfile(), pageSize: 2 });
  const articles: Article[] = [
    withImage(article('news0001', '全区领导干部会议召开', ['首页', '要闻动态', '政务要闻'], '2021-05-20'), 'assets/a.png'),
    article('news0002', '安全生产工作会议召开', ['首页', '要闻动态', '政务要闻'], '2021-05-21'),
    article('news0003', '党史学习教育专题讲座举行', ['首页', '要闻动态', '政务要闻'], '2021-05-19'),
    withImage(article('news0004', '区财政局开展业务培训', ['首页', '要闻动态', '部门动态'], '2021-05-18'), 'assets/a.png'),
    article('note0001', '关于端午节放假安排的通知', ['首页', '通知公告', '通知'], '2021-06-01'),
  ];
  const images: Record<string, Buffer> = { 'assets/a.png': PNG_A };
  const input = (outDir: string, overrides: Partial<StaticBuildInput> = {}): StaticBuildInput => ({
    site,
    articles,
    assetSource: (_id, src) => images[src] ?? null,
    outDir,
    ...overrides,
  });
  return { site, articles, images, input };
}

describe('a static build of a few articles', () => {
  it('writes article pages, paginated column indexes, home, RSS, sitemap, hashed assets and a manifest', () => {
    const { site, articles, input } = fixtureSet();
    const out = tempDir();
    const result = buildStaticSite(input(out));
    expect(result.problems).toEqual([]);
    const files = filesUnder(out);
    for (const a of articles) expect(files).toContain(articleRelativePath(site, a));
    expect(files).toEqual(
      expect.arrayContaining([
        'index.html',
        'rss.xml',
        'sitemap.xml',
        MANIFEST_FILE,
        // 3 政务要闻 articles at 2 a page → 2 pages; 要闻动态 holds 4 → 2 pages.
        'zwyw/index.html',
        'zwyw/index_1.html',
        'ywdt/index.html',
        'ywdt/index_1.html',
        'bmdt/index.html',
        'tzgg/index.html',
        'tz/index.html',
        // Empty columns of the tree still get a page, so navigation never 404s.
        'gg/index.html',
        'ztzl/index.html',
      ]),
    );
    expect(files).not.toContain('zwyw/index_2.html');
    const assetFiles = files.filter((f) => f.startsWith('assets/'));
    // The same image used by two articles is stored once, under its content hash.
    expect(assetFiles).toEqual([expect.stringMatching(/^assets\/[0-9a-f]{16}\.png$/)]);
    expect(readFileSync(join(out, assetFiles[0] ?? '')).equals(PNG_A)).toBe(true);
    expect([...result.written, MANIFEST_FILE].sort()).toEqual(files);
    expect(files.some((f) => f.endsWith('.tmp'))).toBe(false);
  });

  it('rewrites image sources to the hashed asset and links neighbours in the column', () => {
    const { site, articles, input } = fixtureSet();
    const out = tempDir();
    buildStaticSite(input(out));
    const doc = html(readFileSync(join(out, articleRelativePath(site, articles[0]!)), 'utf8'));
    const src = doc.querySelector('.article-body img')?.getAttribute('src') ?? '';
    expect(src).toMatch(/^\/assets\/[0-9a-f]{16}\.png$/);
    expect(existsSync(join(out, src))).toBe(true);
    // Listing order is newest first: 05-21 is above (上一篇), 05-19 below (下一篇).
    expect(doc.querySelector('.prev a')?.getAttribute('href')).toBe(`/${articleRelativePath(site, articles[1]!)}`);
    expect(doc.querySelector('.next a')?.getAttribute('href')).toBe(`/${articleRelativePath(site, articles[2]!)}`);
    expect(readFileSync(join(out, articleRelativePath(site, articles[0]!)), 'utf8')).not.toMatch(/<script/i);
  });

  it('lists columns newest first across pages, parents including their children', () => {
    const { input } = fixtureSet();
    const out = tempDir();
    buildStaticSite(input(out));
    const titles = (file: string) => [...html(readFileSync(join(out, file), 'utf8')).querySelectorAll('.news-list a')].map((a) => a.textContent);
    expect(titles('zwyw/index.html')).toEqual(['安全生产工作会议召开', '全区领导干部会议召开']);
    expect(titles('zwyw/index_1.html')).toEqual(['党史学习教育专题讲座举行']);
    expect(titles('ywdt/index_1.html')).toEqual(['党史学习教育专题讲座举行', '区财政局开展业务培训']);
    const home = html(readFileSync(join(out, 'index.html'), 'utf8'));
    expect(home.querySelector('.home-latest .news-list a')?.textContent).toBe('关于端午节放假安排的通知');
  });

  it('writes an RSS feed and a sitemap that parse as XML', () => {
    const { site, articles, input } = fixtureSet();
    const out = tempDir();
    buildStaticSite(input(out));
    const rss = xml(readFileSync(join(out, 'rss.xml'), 'utf8'));
    expect(rss.documentElement.getAttribute('version')).toBe('2.0');
    const items = [...rss.querySelectorAll('item')];
    expect(items.map((i) => i.querySelector('title')?.textContent)).toEqual([
      '关于端午节放假安排的通知',
      '安全生产工作会议召开',
      '全区领导干部会议召开',
      '党史学习教育专题讲座举行',
      '区财政局开展业务培训',
    ]);
    expect(items[2]?.querySelector('link')?.textContent).toBe(`https://www.xxkfq.gov.cn/${articleRelativePath(site, articles[0]!)}`);
    expect(items[2]?.querySelector('pubDate')?.textContent).toBe('Thu, 20 May 2021 00:00:00 +0800');
    const sitemap = xml(readFileSync(join(out, 'sitemap.xml'), 'utf8'));
    const locs = [...sitemap.getElementsByTagName('loc')].map((l) => l.textContent);
    expect(locs).toContain('https://www.xxkfq.gov.cn/');
    expect(locs).toContain('https://www.xxkfq.gov.cn/zwyw/index.html');
    for (const a of articles) expect(locs).toContain(`https://www.xxkfq.gov.cn/${articleRelativePath(site, a)}`);
  });

  it('keeps feeds valid XML with hostile titles and control characters', () => {
    const { input } = fixtureSet();
    const out = tempDir();
    const evil = article('evil0001', '<b>&"\'</b>]]>\u0001\u0008 标题', ['首页', '要闻动态', '政务要闻'], '2021-07-01');
    buildStaticSite(input(out, { articles: [evil] }));
    const rss = xml(readFileSync(join(out, 'rss.xml'), 'utf8'));
    expect(rss.querySelector('item title')?.textContent).toBe('<b>&"\'</b>]]> 标题');
  });
});

describe('rebuilding', () => {
  it('is byte-identical for identical input, and rewrites nothing', () => {
    const { input } = fixtureSet();
    const first = tempDir();
    const second = tempDir();
    buildStaticSite(input(first));
    buildStaticSite(input(second));
    const files = filesUnder(first);
    expect(filesUnder(second)).toEqual(files);
    for (const file of files) expect(readFileSync(join(second, file)).equals(readFileSync(join(first, file)))).toBe(true);

    const again = buildStaticSite(input(first));
    expect(again.written).toEqual([]);
    expect(again.removed).toEqual([]);
    expect(again.unchanged).toEqual(files.filter((f) => f !== MANIFEST_FILE));
  });

  it('after one article changes, rewrites only the files whose content changed', () => {
    const { site, articles, input } = fixtureSet();
    const out = tempDir();
    buildStaticSite(input(out));
    const before = new Map(filesUnder(out).map((f) => [f, readFileSync(join(out, f))]));
    // An edit to the body only: its own page changes, and the RSS excerpt; list pages do not.
    const changed = articles.map((a) =>
      a.id === 'news0003'
        ? { ...a, meta: { ...a.meta, summary: '讲座内容摘要' }, doc: { ...a.doc, content: [...a.doc.content, { type: 'paragraph', content: [{ type: 'text', text: '补充一段。' }] }] } }
        : a,
    );
    const result = buildStaticSite(input(out, { articles: changed }));
    expect(result.written).toEqual([articleRelativePath(site, articles[2]!), 'rss.xml'].sort());
    expect(result.removed).toEqual([]);
    for (const [file, bytes] of before) {
      if (file === MANIFEST_FILE || result.written.includes(file)) continue;
      expect(readFileSync(join(out, file)).equals(bytes)).toBe(true);
    }
    expect(readFileSync(join(out, articleRelativePath(site, articles[2]!)), 'utf8')).toContain('补充一段。');
  });

  it('after a title change, rewrites the page, its neighbours and the lists that show the title', () => {
    const { site, articles, input } = fixtureSet();
    const out = tempDir();
    buildStaticSite(input(out));
    const changed = articles.map((a) => (a.id === 'news0002' ? { ...a, meta: { ...a.meta, title: '安全生产工作会议召开（更新）' } } : a));
    const result = buildStaticSite(input(out, { articles: changed }));
    expect(result.written).toEqual(
      [
        articleRelativePath(site, articles[1]!),
        articleRelativePath(site, articles[0]!), // its 上一篇 link
        'zwyw/index.html',
        'ywdt/index.html',
        'index.html',
        'rss.xml',
      ].sort(),
    );
  });

  it('stores a changed image under a new name and removes the old one', () => {
    const { input, images } = fixtureSet();
    const out = tempDir();
    const first = buildStaticSite(input(out));
    const oldAsset = first.written.find((f) => f.startsWith('assets/'));
    images['assets/a.png'] = PNG_B;
    const second = buildStaticSite(input(out));
    const newAsset = second.written.find((f) => f.startsWith('assets/'));
    expect(newAsset).toBeDefined();
    expect(newAsset).not.toBe(oldAsset);
    expect(second.removed).toEqual([oldAsset]);
    expect(existsSync(join(out, oldAsset ?? ''))).toBe(false);
  });

  it('removes a withdrawn article and rebuilds the indexes, feed and sitemap without it', () => {
    const { site, articles, input } = fixtureSet();
    const out = tempDir();
    buildStaticSite(input(out));
    const withdrawnPath = articleRelativePath(site, articles[4]!);
    expect(existsSync(join(out, withdrawnPath))).toBe(true);
    const withdrawn = articles.map((a): StaticArticle => (a.id === 'note0001' ? { ...a, status: 'withdrawn' } : a));
    const result = buildStaticSite(input(out, { articles: withdrawn }));
    expect(result.removed).toEqual([withdrawnPath]);
    expect(existsSync(join(out, withdrawnPath))).toBe(false);
    // Its month folder was only there for it.
    expect(existsSync(join(out, withdrawnPath.split('/').slice(0, -1).join('/')))).toBe(false);
    expect(result.written).toEqual(expect.arrayContaining(['tz/index.html', 'tzgg/index.html', 'index.html', 'rss.xml', 'sitemap.xml']));
    for (const file of ['tz/index.html', 'index.html', 'rss.xml', 'sitemap.xml']) {
      expect(readFileSync(join(out, file), 'utf8')).not.toContain('note0001');
    }
    // A deleted article (simply no longer passed in) goes the same way.
    const deleted = buildStaticSite(input(out, { articles: articles.filter((a) => a.id !== 'news0003' && a.id !== 'note0001') }));
    expect(deleted.removed).toEqual([articleRelativePath(site, articles[2]!), 'zwyw/index_1.html'].sort());
  });

  it('rewrites a page someone deleted from the output folder', () => {
    const { site, articles, input } = fixtureSet();
    const out = tempDir();
    buildStaticSite(input(out));
    const path = articleRelativePath(site, articles[3]!);
    rmSync(join(out, path));
    expect(buildStaticSite(input(out)).written).toEqual([path]);
    expect(existsSync(join(out, path))).toBe(true);
  });

  it('rebuilds everything, with a warning, when the manifest on disk is damaged', () => {
    const { input } = fixtureSet();
    const out = tempDir();
    const first = buildStaticSite(input(out));
    writeFileSync(join(out, MANIFEST_FILE), '{"format": "gazette/static-manif');
    const second = buildStaticSite(input(out));
    expect(second.warnings).toEqual([expect.stringContaining('manifest')]);
    // Content is the same, so nothing is rewritten even though every page is rendered again.
    expect(second.written).toEqual([]);
    expect(second.unchanged.length).toBe(first.written.length);
    expect(JSON.parse(readFileSync(join(out, MANIFEST_FILE), 'utf8')).format).toBe('gazette/static-manifest');
  });
});

describe('problems', () => {
  it('a broken custom template stops the build before anything is written, naming file and line', () => {
    const { input } = fixtureSet();
    const out = tempDir();
    buildStaticSite(input(out));
    const before = new Map(filesUnder(out).map((f) => [f, readFileSync(join(out, f))]));
    const result = buildStaticSite(input(out, { templates: { 'column.liquid': 'ok\n{% for item in items %}\n{{ item.title }}' } }));
    expect(result.written).toEqual([]);
    expect(result.problems[0]).toEqual({ kind: 'template', path: expect.stringMatching(/index(_\d+)?\.html$/), error: { file: 'column.liquid', line: 2, message: expect.any(String) } });
    expect(filesUnder(out)).toEqual([...before.keys()]);
    for (const [file, bytes] of before) expect(readFileSync(join(out, file)).equals(bytes)).toBe(true);
  });

  it('never writes outside the output folder', () => {
    const out = tempDir();
    expect(() => outputFile(out, '../escape.html')).toThrow(/outside the output folder/);
    expect(() => outputFile(out, 'a/../../escape.html')).toThrow(/outside the output folder/);
    expect(() => outputFile(out, '/etc/passwd')).toThrow(/outside the output folder/);
    expect(outputFile(out, 'zwyw/index.html')).toBe(join(out, 'zwyw', 'index.html'));
  });

  it('leaves trashed articles out like withdrawn ones', () => {
    const { site, articles, input } = fixtureSet();
    const out = tempDir();
    const trashed = articles.map((a) => (a.id === 'news0004' ? { ...a, trashedAt: '2021-06-01T00:00:00.000Z' } : a));
    buildStaticSite(input(out, { articles: trashed }));
    expect(existsSync(join(out, articleRelativePath(site, articles[3]!)))).toBe(false);
    expect(readFileSync(join(out, 'bmdt/index.html'), 'utf8')).toContain('本栏目暂无信息');
  });

  it('keeps the original reference and reports it when an image is missing', () => {
    const { site, input } = fixtureSet();
    const out = tempDir();
    const lonely = withImage(article('news0009', '缺图的稿件', ['首页', '要闻动态', '政务要闻'], '2021-05-22'), 'assets/missing.jpg');
    const result = buildStaticSite(input(out, { articles: [lonely] }));
    expect(result.missingAssets).toEqual([{ articleId: 'news0009', src: 'assets/missing.jpg' }]);
    const page = html(readFileSync(join(out, articleRelativePath(site, lonely)), 'utf8'));
    expect(page.querySelector('.article-body img')?.getAttribute('src')).toBe('assets/missing.jpg');
  });
});

describe('preview equals publish', () => {
  it('renders the article page byte for byte as the build writes it', () => {
    const { site, articles, input } = fixtureSet();
    const out = tempDir();
    buildStaticSite(input(out));
    for (const a of articles) {
      const preview = renderStaticArticlePage(input(out), a.id);
      expect(preview && 'html' in preview ? preview.html : null).toBe(readFileSync(join(out, articleRelativePath(site, a)), 'utf8'));
    }
  });
});
