/**
 * Store benchmark: `npx tsx bench/store.ts` (the lead wires `npm run bench`).
 * Builds 100- and 10,000-article workspaces of ~3 KB Chinese bodies in a temp
 * folder, measures save latency, open + list, and full-text queries, and
 * compares saving with a single-file lowdb store. Prints figures; asserts nothing.
 */
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Low } from 'lowdb';
import { JSONFile } from 'lowdb/node';
import { createDispatcher } from '../shared/api/dispatch';
import { type Article, ArticleMetaSchema, newArticle } from '../shared/domain/article';
import { type Doc, paragraph } from '../shared/domain/doc';
import { createApiHandlers } from '../node/services/api-handlers';
import { WorkspaceStore } from '../node/services/store/workspace-store';
import { quantile, time } from './stats';

const SENTENCES = [
  '会议传达学习了习近平总书记重要讲话和指示精神，动员全区广大党员干部群众迅速掀起学习宣传贯彻热潮。',
  '会议强调，要加强组织领导，精心安排部署，切实把思想和行动统一到中央和省委、市委的决策部署上来。',
  '要坚持生态优先、绿色发展，处理好发展和保护、利用和修复的关系，决不能逾越生态安全的底线。',
  '推进南水北调后续工程高质量发展，强化水资源刚性约束，坚持节水优先，全面提升水生态环境质量。',
  '各部门要对年初谋划的项目进行再梳理、再盘点，全力以赴抓落地、抓开工、抓进度、抓达效。',
  '扎实开展“我为群众办实事”实践活动，抓好常态化疫情防控，从严从实从细抓好防风险、保安全、护稳定。',
  '区经济发展局负责同志介绍了一季度全区经济运行情况，规模以上工业增加值同比增长百分之八点六。',
  '要坚持问题导向，聚焦群众急难愁盼，完善体制机制，各有关部门协调合作、各司其职、形成合力。',
  '培育壮大特色产业，以绿色环保的生物质纤维为特色，着力打造“绿色科技城”，以项目突破带动发展全局。',
  '会议要求，各单位要结合党史学习教育，把重要讲话精神作为干部教育培训的必讲内容、必备教材。',
];
const PLAIN = SENTENCES.filter((s) => !s.includes('南水北调') && !s.includes('生态'));
const ECO = SENTENCES.find((s) => s.includes('生态') && !s.includes('南水北调')) ?? '';
const WATER = SENTENCES.find((s) => s.includes('南水北调')) ?? '';
const COLUMNS = [
  ['首页', '要闻动态', '政务要闻'],
  ['首页', '要闻动态', '部门动态'],
  ['首页', '通知公告', '通知'],
  ['首页', '政务公开', '政策文件'],
];
const UNITS = ['区党政办', '区党工委', '区管委会', '区经济发展局', '区财政局', '区社会事业局'];

let seed = 42;
function random(): number {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
}
const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;

/** About 3 KB of UTF-8 (≈1,000 Han characters): 20% mention 生态, 5% 南水北调. */
function makeDoc(i: number): Doc {
  const paragraphs: string[] = [];
  let bytes = 0;
  let current = '';
  while (bytes < 3000) {
    const sentence = pick(PLAIN);
    current += sentence;
    bytes += Buffer.byteLength(sentence);
    if (current.length > 180) {
      paragraphs.push(current);
      current = '';
    }
  }
  if (current) paragraphs.push(current);
  if (i % 5 === 0) paragraphs.splice(1, 0, ECO);
  if (i % 20 === 3) paragraphs.splice(2, 0, WATER);
  return { type: 'doc', content: paragraphs.map((p) => paragraph(p)) };
}

function makeArticle(i: number, id: string): Article {
  const day = `${2020 + (i % 5)}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`;
  const meta = ArticleMetaSchema.parse({
    title: `${pick(UNITS)}召开第${i}次工作推进会议`,
    column: pick(COLUMNS),
    publishAt: day,
    source: pick(UNITS),
  });
  const at = new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString();
  return newArticle(id, at, meta, makeDoc(i));
}

const idFor = (i: number) => `bench${String(i).padStart(8, '0')}`;

/** Writes article files directly (no fsync) so building 10,000 takes seconds, not minutes. */
function seedWorkspace(dir: string, n: number): void {
  for (let i = 0; i < n; i++) {
    const id = idFor(i);
    mkdirSync(join(dir, 'articles', id), { recursive: true });
    writeFileSync(join(dir, 'articles', id, 'article.json'), JSON.stringify(makeArticle(i, id), null, 2));
  }
}

interface Figures {
  n: number;
  rebuildMs: number;
  openListMs: number;
  saveP50: number;
  saveP95: number;
  dispatchSaveP95: number;
  queries: { query: string; hits: number; p50: number; p95: number }[];
}

async function measure(n: number, saves: number): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), `gazette-bench-${n}-`));
  try {
    seedWorkspace(dir, n);
    // First open has no index: every article file is read and validated.
    const [rebuildMs, first] = await time(() => WorkspaceStore.open(dir));
    await first.close();

    const openTimes: number[] = [];
    for (let r = 0; r < 3; r++) {
      const [ms, store] = await time(async () => {
        const s = await WorkspaceStore.open(dir);
        s.list();
        return s;
      });
      openTimes.push(ms);
      await store.close();
    }

    const store = await WorkspaceStore.open(dir);
    const saveTimes: number[] = [];
    // The first saves pay for JIT warm-up; counting them would make the small workspace look slow.
    for (let k = -20; k < saves; k++) {
      const i = Math.floor(random() * n);
      const id = idFor(i);
      const article = makeArticle(i, id);
      const [ms] = await time(() => store.save(id, { ...article.meta, title: `${article.meta.title}（修改${k}）` }, article.doc));
      if (k >= 0) saveTimes.push(ms);
    }

    const dispatch = createDispatcher(
      createApiHandlers(store, {
        buildFromTemplate: () => {
          throw new Error('unused');
        },
        importFileBuffer: async () => {
          throw new Error('unused');
        },
        importPortalText: () => {
          throw new Error('unused');
        },
        articleToHtmlDocument: () => '',
      }),
      // No office in this bench: it times the dispatcher and the store, so every caller is let through.
      () => {},
    );
    const dispatchTimes: number[] = [];
    for (let k = 0; k < 50; k++) {
      const i = Math.floor(random() * n);
      const article = makeArticle(i, idFor(i));
      const [ms, envelope] = await time(() =>
        dispatch('articles:save', { id: article.id, meta: article.meta, doc: article.doc }, { transport: 'ipc', sessionId: '' }),
      );
      if (!envelope.ok) throw new Error(envelope.error.detail);
      dispatchTimes.push(ms);
    }

    const queries = [];
    for (const query of ['南水北调', '生态']) {
      const times: number[] = [];
      let hits = 0;
      for (let r = 0; r < 30; r++) {
        const [ms, items] = await time(() => store.list({ query }));
        times.push(ms);
        hits = items.length;
      }
      queries.push({ query, hits, p50: quantile(times, 0.5), p95: quantile(times, 0.95) });
    }
    await store.close();
    return {
      n,
      rebuildMs,
      openListMs: quantile(openTimes, 0.5),
      saveP50: quantile(saveTimes, 0.5),
      saveP95: quantile(saveTimes, 0.95),
      dispatchSaveP95: quantile(dispatchTimes, 0.95),
      queries,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The design we did not choose: every article in one lowdb JSON file, rewritten on each save. */
async function measureSingleFile(n: number, saves: number): Promise<{ p50: number; p95: number; fileMb: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'gazette-bench-single-'));
  try {
    const file = join(dir, 'db.json');
    const articles = Array.from({ length: n }, (_, i) => makeArticle(i, idFor(i)));
    const db = new Low<{ articles: Article[] }>(new JSONFile(file), { articles });
    await db.write();
    const times: number[] = [];
    for (let k = 0; k < saves; k++) {
      const i = Math.floor(random() * n);
      const [ms] = await time(async () => {
        const target = db.data.articles[i];
        if (target) target.meta = { ...target.meta, title: `修改${k}` };
        await db.write();
      });
      times.push(ms);
    }
    const { size } = await import('node:fs/promises').then((fs) => fs.stat(file));
    unlinkSync(file);
    return { p50: quantile(times, 0.5), p95: quantile(times, 0.95), fileMb: size / 1024 / 1024 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (ms: number) => ms.toFixed(ms < 10 ? 2 : 1).padStart(8);

async function run(): Promise<void> {
  const started = performance.now();
  console.log('Gazette store benchmark (3 KB Chinese bodies; times in ms)\n');
  const small = await measure(100, 200);
  const large = await measure(10_000, 200);
  const single = await measureSingleFile(10_000, 20);

  const rows: [string, (f: Figures) => number, string][] = [
    ['first open, no index (rebuild)', (f) => f.rebuildMs, ''],
    ['open + list (index present)', (f) => f.openListMs, '≤ 500 at 10k'],
    ['save p50', (f) => f.saveP50, ''],
    ['save p95', (f) => f.saveP95, '≤ 15 at 10k'],
    ['save p95 via dispatch (validates request)', (f) => f.dispatchSaveP95, ''],
    ...['南水北调', '生态'].flatMap((query): [string, (f: Figures) => number, string][] => [
      [`query ${query} p50`, (f) => f.queries.find((q) => q.query === query)?.p50 ?? Number.NaN, ''],
      [`query ${query} p95`, (f) => f.queries.find((q) => q.query === query)?.p95 ?? Number.NaN, '≤ 50 at 10k'],
    ]),
  ];
  console.log(`${'measure'.padEnd(44)}${'N=100'.padStart(8)}${'N=10,000'.padStart(10)}   target`);
  for (const [label, get, target] of rows) {
    console.log(`${label.padEnd(44)}${fmt(get(small))}${fmt(get(large)).padStart(10)}   ${target}`);
  }
  for (const q of large.queries) console.log(`  (${q.query}: ${q.hits} hits at 10k)`);
  const ratio = large.saveP95 / small.saveP95;
  console.log(`\nsave p95 ratio 10k/100: ${ratio.toFixed(2)}  (target ≤ 1.5)`);
  console.log(
    `baseline single-file lowdb at 10k (${single.fileMb.toFixed(1)} MB file, 20 saves): p50 ${single.p50.toFixed(1)} ms, p95 ${single.p95.toFixed(1)} ms`,
  );
  console.log(`baseline/ours save p95 at 10k: ${(single.p95 / large.saveP95).toFixed(1)}×`);
  console.log(`\nbenchmark took ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

await run();
