/**
 * An archive-sized workspace: `npx tsx bench/archive-100k.ts` (part of `npm run bench`).
 * Writes 100,000 import-sized articles (~1,000 Han characters of body each,
 * from a Zipf-distributed vocabulary) straight into a temporary workspace in
 * the store's own file format, then, each step in its own process so memory
 * is its own, measures against the speed targets:
 * - first open with no index cache, as the app opens (WorkspaceStore.openEarly): until the first
 *   list page is there (the newest files read), and until every article file is read (the cache
 *   it leaves behind is what the next step opens with);
 * - open with the index cache: until the first list page (50 rows) is there (the rows the last
 *   session left, each checked against its file), and until every article is checked and listed;
 * - building the full-text index in the background, and the process's RSS and heap once it is built;
 * - a Chinese query with snippets for the page (p50/p95);
 * - saving one article (p95), the full-text index and list kept up to date;
 * - the built web host, as users run it, opened on the archive: its resident memory while it
 *   loads and indexes, and once it has settled (Linux only: read from /proc).
 * Prints figures with the machine's load; asserts nothing.
 * GAZETTE_BENCH_ARCHIVE_N sets the number of articles (default 100000); GAZETTE_BENCH_ARCHIVE_STEPS=cold
 * stops after the first open.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ARTICLE_FORMAT, ARTICLE_FORMAT_VERSION, type Article } from '../shared/domain/article';
import { type Doc, paragraph } from '../shared/domain/doc';
import { WorkspaceStore } from '../node/services/store/workspace-store';
import { chineseWords } from './chinese-words';
import { quantile } from './stats';

const PAGE = { offset: 0, limit: 50 };
// The charset these figures were first measured with (a little smaller than the search bench's).
const ARCHIVE_CHARS =
  '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处府研信马节话米整空元况今集温传土许步群广石记需段界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严龙飞乡村振兴镇街道区扶贫攻坚态环保绿色目招商引资营境改革创服务';
const { random, word } = chineseWords(11, ARCHIVE_CHARS);

/** Title and paragraphs of ~1,000 Han characters; 2% mention 乡村振兴, 1% 南水北调, 20% 营商环境. */
function makeArticle(i: number): { title: string; paragraphs: string[] } {
  const title = `${word()}${word()}召开第${i}次${word()}会议`;
  const paragraphs: string[] = [];
  let length = 0;
  while (length < 1000) {
    let p = '';
    for (let s = 0; s < 6; s++) {
      for (let w = 0; w < 8; w++) p += word();
      p += '，';
    }
    if (paragraphs.length === 0 && i % 50 === 7) p = `全面推进乡村振兴，${p}`;
    if (paragraphs.length === 1 && i % 100 === 13) p = `南水北调后续工程，${p}`;
    if (paragraphs.length === 2 && i % 5 === 1) p = `优化营商环境，${p}`;
    paragraphs.push(`${p.slice(0, -1)}。`);
    length += p.length;
  }
  return { title, paragraphs };
}

const id = (i: number) => `bench${String(i).padStart(8, '0')}`;

/** Writes `n` article folders in the store's format (what an import of a column's archive leaves). */
function generate(dir: string, n: number): void {
  const articles = join(dir, 'articles');
  mkdirSync(articles, { recursive: true });
  const base = Date.parse('2020-01-01T00:00:00.000Z');
  for (let i = 0; i < n; i++) {
    const { title, paragraphs } = makeArticle(i);
    const at = new Date(base + i * 60_000).toISOString();
    const article: Article = {
      format: ARTICLE_FORMAT,
      version: ARTICLE_FORMAT_VERSION,
      id: id(i),
      createdAt: at,
      updatedAt: at,
      status: 'draft',
      meta: {
        title,
        subtitle: '',
        column: ['首页', '要闻动态', '政务要闻'],
        publishAt: null,
        source: '区党政办',
        author: '',
        photographer: '',
        editor: '',
        keywords: [],
        summary: '',
        cover: null,
        template: 'blank',
        meeting: null,
      },
      doc: { type: 'doc', content: paragraphs.map((p) => paragraph(p)) },
      trashedAt: null,
    } as Article;
    mkdirSync(join(articles, article.id));
    writeFileSync(join(articles, article.id, 'article.json'), JSON.stringify(article));
  }
}

/** Memory once garbage is collected and freed buffers are released (that takes a second collection after a tick). */
async function memory() {
  const gc = (globalThis as { gc?: () => void }).gc;
  gc?.();
  await new Promise((resolve) => setTimeout(resolve, 100));
  gc?.();
  const m = process.memoryUsage();
  const mb = (bytes: number) => bytes / 2 ** 20;
  return { rssMb: mb(m.rss), heapMb: mb(m.heapUsed), heapTotalMb: mb(m.heapTotal), externalMb: mb(m.external) };
}

/** One step, in this (child) process; prints one JSON line. */
async function step(name: string, dir: string): Promise<void> {
  // The store's background work runs on unref'd timers (they never hold an app open); here nothing else would keep the process alive.
  const keepAlive = setInterval(() => {}, 1000);
  const started = performance.now();
  // As the app opens it: the newest rows first, every article loaded behind them.
  const store = await WorkspaceStore.openEarly(dir, { indexFlushDelayMs: 60_000 });
  const firstPage = store.earlyPage({}, PAGE) ?? store.search({}, PAGE);
  const openMs = performance.now() - started;
  await store.loaded;
  const loadedMs = performance.now() - started;
  const total = store.search({}, PAGE).total;
  const figures: Record<string, unknown> = { name, openMs, loadedMs, total, rows: firstPage.items.length, load: loadavg()[0] };
  if (name === 'cold') {
    // The cache this open leaves behind is written now, as a running app does two seconds after opening.
    await store.flushIndex();
    const flushed = await memory();
    figures.flushedRssMb = flushed.rssMb;
    figures.flushedHeapMb = flushed.heapMb;
  }
  if (name === 'warm') {
    const opened = await memory();
    figures.openRssMb = opened.rssMb;
    figures.openHeapMb = opened.heapMb;
    const t0 = performance.now();
    await store.fullTextReady();
    figures.fullTextMs = performance.now() - t0;
    Object.assign(figures, await memory());
    const queries: Record<string, QueryFigures> = {};
    for (const query of ['乡村振兴', '南水北调', '营商环境', '乡村振兴 南水北调']) {
      const times: number[] = [];
      let hits = 0;
      for (let r = 0; r < 30; r++) {
        const q0 = performance.now();
        const answer = store.search({ query }, PAGE);
        times.push(performance.now() - q0);
        hits = answer.total;
      }
      queries[query] = { hits, p50: quantile(times, 0.5), p95: quantile(times, 0.95) };
    }
    figures.queries = queries;
    const saves: number[] = [];
    for (let k = 0; k < 100; k++) {
      const article = await store.get(id(Math.floor(random() * firstPage.total)));
      const doc: Doc = { ...article.doc, content: [...article.doc.content, paragraph(`补充第${k}段：营商环境持续优化。`)] };
      const s0 = performance.now();
      await store.save(article.id, article.meta, doc);
      saves.push(performance.now() - s0);
    }
    figures.saveP50 = quantile(saves, 0.5);
    figures.saveP95 = quantile(saves, 0.95);
    const l0 = performance.now();
    store.search({}, PAGE);
    figures.pageAfterSaveMs = performance.now() - l0;
  }
  await store.close();
  clearInterval(keepAlive);
  console.log(JSON.stringify(figures));
}

interface QueryFigures {
  hits: number;
  p50: number;
  p95: number;
}

/** What one step prints (the memory after the cold open's flush, the rest after the warm open). */
interface Figures {
  openMs: number;
  loadedMs: number;
  total: number;
  rows: number;
  load: number;
  flushedRssMb: number;
  flushedHeapMb: number;
  openRssMb: number;
  openHeapMb: number;
  fullTextMs: number;
  rssMb: number;
  heapMb: number;
  heapTotalMb: number;
  externalMb: number;
  queries: Record<string, QueryFigures>;
  saveP50: number;
  saveP95: number;
  pageAfterSaveMs: number;
}

function child(name: string, dir: string): Figures | null {
  const run = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', fileURLToPath(import.meta.url), name, dir], { encoding: 'utf8' });
  const line = run.stdout.trim().split('\n').at(-1) ?? '';
  if (run.status !== 0 || !line.startsWith('{')) {
    console.log(`${name}: failed (${run.status ?? run.signal ?? run.error}): ${run.stderr.trim().split('\n').slice(-3).join(' ')}`);
    return null;
  }
  return JSON.parse(line) as Figures;
}

const HOST_SECONDS = 60;

/** The web host's resident memory (MB), sampled every second for {@link HOST_SECONDS}: its peak and its last value. */
async function hostMemory(dir: string): Promise<{ peakMb: number; settledMb: number } | string> {
  if (process.platform !== 'linux') return 'not measured (reads /proc)';
  const root = fileURLToPath(new URL('..', import.meta.url));
  const entry = join(root, 'dist/node/webhost.mjs');
  if (!existsSync(entry)) spawnSync(process.execPath, [join(root, 'scripts/build.mjs')], { stdio: 'ignore' });
  const config = mkdtempSync(join(tmpdir(), 'gazette-archive-host-'));
  const host = spawn(process.execPath, [entry, '--workspace', dir, '--port', '0', '--print-json'], {
    env: { ...process.env, XDG_CONFIG_HOME: config, APPDATA: config },
    stdio: 'ignore',
  });
  const exited = new Promise((resolve) => host.once('exit', resolve));
  let peakMb = 0;
  let settledMb = 0;
  try {
    for (let second = 0; second < HOST_SECONDS && host.exitCode === null; second++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${host.pid}/status`, 'utf8'));
      if (!match) continue;
      settledMb = Number(match[1]) / 1024;
      peakMb = Math.max(peakMb, settledMb);
    }
    return host.exitCode === null ? { peakMb, settledMb } : `the host stopped (exit ${host.exitCode})`;
  } finally {
    host.kill();
    await exited;
    rmSync(config, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const n = Number(process.env.GAZETTE_BENCH_ARCHIVE_N ?? 100_000);
  // GAZETTE_BENCH_ARCHIVE_DIR keeps the generated workspace there, and reuses it when it is already written (for repeated measurements).
  const kept = process.env.GAZETTE_BENCH_ARCHIVE_DIR;
  const reuse = kept !== undefined && existsSync(join(kept, 'articles'));
  const dir = kept ?? mkdtempSync(join(tmpdir(), 'gazette-archive-'));
  const ms = (x: number) => `${x.toFixed(x < 10 ? 1 : 0)} ms`;
  try {
    const g0 = performance.now();
    if (reuse) rmSync(join(dir, 'index'), { recursive: true, force: true });
    else generate(dir, n);
    if (!reuse) console.log(`Archive workspace: ${n.toLocaleString('en')} articles written in ${((performance.now() - g0) / 1000).toFixed(1)} s (load ${loadavg()[0]?.toFixed(1)})`);
    // No index cache yet: this open reads every article file, and leaves the cache behind for the next.
    const cold = child('cold', dir);
    if (cold) {
      console.log(
        `  first open, no index cache: first page of ${cold.rows} rows (of ${cold.total}) after ${ms(cold.openMs)} (load ${cold.load.toFixed(1)})   target ≤ 2 s`,
      );
      console.log(`  … every article read and listed after ${ms(cold.loadedMs)}`);
      console.log(`  memory once that open wrote the index cache (no full-text index yet): RSS ${cold.flushedRssMb.toFixed(0)} MB, heap ${cold.flushedHeapMb.toFixed(0)} MB`);
    }
    const warm = process.env.GAZETTE_BENCH_ARCHIVE_STEPS === 'cold' ? null : child('warm', dir);
    if (warm) {
      console.log(`  open with index cache: first page after ${ms(warm.openMs)} (load ${warm.load.toFixed(1)})   target ≤ 500 ms`);
      console.log(`  … every article checked and listed after ${ms(warm.loadedMs)}`);
      console.log(`  memory once open (list and search texts, no full-text index yet): RSS ${warm.openRssMb.toFixed(0)} MB, heap ${warm.openHeapMb.toFixed(0)} MB`);
      console.log(`  full-text index built in the background in ${ms(warm.fullTextMs)}; then RSS ${warm.rssMb.toFixed(0)} MB, heap ${warm.heapMb.toFixed(0)} MB (of ${warm.heapTotalMb.toFixed(0)} MB reserved), outside the heap ${warm.externalMb.toFixed(0)} MB   target ≤ 500 MB`);
      for (const [query, q] of Object.entries(warm.queries)) {
        console.log(`  query ${query} (${q.hits} hits, page of 50 with snippets): p50 ${ms(q.p50)}, p95 ${ms(q.p95)}   target p95 ≤ 50 ms`);
      }
      console.log(`  save one article: p50 ${ms(warm.saveP50)}, p95 ${ms(warm.saveP95)}   target p95 ≤ 15 ms; first page after the saves ${ms(warm.pageAfterSaveMs)}`);
      const host = await hostMemory(dir);
      console.log(
        typeof host === 'string'
          ? `  web host on the archive: ${host}`
          : `  web host on the archive (built, as users run it): RSS ${host.settledMb.toFixed(0)} MB after ${HOST_SECONDS} s, at most ${host.peakMb.toFixed(0)} MB while it loaded and indexed   target ≤ 500 MB`,
      );
    }
  } finally {
    if (!kept) rmSync(dir, { recursive: true, force: true });
  }
}

const [stepName, stepDir] = process.argv.slice(2);
if (stepName && stepDir) await step(stepName, stepDir);
else await main();
