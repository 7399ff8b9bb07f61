// `npx tsx bench/static-site.ts`: static build of 1,000 articles (target ≤ 10 s) and the
// rebuild after one article changes (target ≤ 0.5 s). Figures are printed, not asserted.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeText, importPortalText } from '../node/services/import/index';
import { buildStaticSite, type StaticBuildInput } from '../node/services/publish/static/build';
import { type Article, newArticle } from '../shared/domain/article';
import type { Doc } from '../shared/domain/doc';
import { defaultSiteProfile, siteColumnPaths } from '../shared/portal/site';

const ARTICLES = 1000;
const FIXTURE = 'sample-2021-05-20.txt';

const sample = importPortalText(
  decodeText(readFileSync(new URL(`../tests/fixtures/portal/${FIXTURE}`, import.meta.url)), FIXTURE),
  FIXTURE,
);
const site = defaultSiteProfile();
const leafColumns = siteColumnPaths(site).filter((path) => path.length === 3);

function makeArticle(n: number): Article {
  const day = new Date(Date.UTC(2021, 0, 1) + n * 8 * 3600 * 1000);
  const date = day.toISOString().slice(0, 10);
  const column = leafColumns[n % leafColumns.length] ?? ['首页'];
  const doc: Doc =
    n % 5 === 0
      ? { type: 'doc', content: [{ type: 'image', attrs: { src: `assets/photo-${n % 50}.jpg`, alt: '现场', caption: '会议现场' } }, ...sample.doc.content] }
      : sample.doc;
  const article = newArticle(`bench${String(n).padStart(5, '0')}`, `${date}T01:00:00.000Z`, { ...sample.meta, title: `${sample.meta.title}（第${n}期）`, column, publishAt: date }, doc);
  return { ...article, status: 'published' };
}

// Fifty distinct "photos" of realistic size, shared between articles as real ones are.
const photos = new Map<string, Buffer>();
for (let i = 0; i < 50; i++) {
  const bytes = Buffer.alloc(150_000);
  for (let j = 0; j < bytes.length; j += 4) bytes.writeUInt32LE((i * 2654435761 + j * 40503) >>> 0, j);
  photos.set(`assets/photo-${i}.jpg`, bytes);
}

const outDir = mkdtempSync(join(tmpdir(), 'gazette-bench-static-'));
try {
  const articles = Array.from({ length: ARTICLES }, (_, n) => makeArticle(n));
  const input = (list: Article[]): StaticBuildInput => ({ site, articles: list, assetSource: (_id, src) => photos.get(src) ?? null, outDir });

  let started = performance.now();
  const full = buildStaticSite(input(articles));
  const fullMs = performance.now() - started;
  console.log(`full build, ${ARTICLES} articles: ${(fullMs / 1000).toFixed(2)} s — ${full.written.length} files written (target ≤ 10 s)`);

  const edited = articles.map((a, i) =>
    i === 500 ? { ...a, doc: { ...a.doc, content: [...a.doc.content, { type: 'paragraph', content: [{ type: 'text', text: '补充报道。' }] }] } } : a,
  );
  started = performance.now();
  const one = buildStaticSite(input(edited));
  const oneMs = performance.now() - started;
  console.log(`rebuild after one article's body changed: ${(oneMs * 1).toFixed(0)} ms — ${one.written.length} written, ${one.unchanged.length} unchanged (target ≤ 500 ms)`);

  const retitled = edited.map((a, i) => (i === 700 ? { ...a, meta: { ...a.meta, title: `${a.meta.title}（更正）` } } : a));
  started = performance.now();
  const title = buildStaticSite(input(retitled));
  const titleMs = performance.now() - started;
  console.log(`rebuild after one article's title changed: ${titleMs.toFixed(0)} ms — ${title.written.length} written (its page, neighbours, lists, feeds)`);

  started = performance.now();
  const none = buildStaticSite(input(retitled));
  console.log(`rebuild with nothing changed: ${(performance.now() - started).toFixed(0)} ms — ${none.written.length} written`);

  if (full.problems.length + one.problems.length + title.problems.length > 0) {
    console.error('build problems:', [...full.problems, ...one.problems, ...title.problems]);
    process.exitCode = 1;
  }
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
