/**
 * Full-text search index benchmark: `npx tsx bench/search-index.ts` (part of `npm run bench`).
 * Compares MiniSearch, FlexSearch and the store's own pair index
 * (node/services/store/bigram-index.ts), all fed the same Han pairs, at 10,000 and 100,000 import-sized
 * articles (~1,000 Han characters of body each, from a Zipf-distributed
 * vocabulary of 6,000 words, so the index sees realistic term variety rather
 * than ten repeated sentences). Per library and size, in its own process so
 * memory is its own: build time, heap after build, Chinese query p50/p95
 * including the check of each hit against the text and snippets for the first
 * 50 rows, and re-indexing one changed article (what a save adds). Prints
 * figures; asserts nothing.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import FlexSearch from 'flexsearch';
import MiniSearch from 'minisearch';
import { searchSnippet } from '../node/services/store/search-snippets';
import { BigramIndex, pairCodes } from '../node/services/store/bigram-index';
import { queryTerms } from '../node/services/store/search-tokens';
import { chineseWords } from './chinese-words';
import { quantile } from './stats';

const { random, word } = chineseWords(7);

const PHRASES = ['乡村振兴', '南水北调', '营商环境', '生态环保'];
/** Title + ~1,000 Han characters; 2% of articles mention 乡村振兴, 1% 南水北调, 20% 营商环境. */
function makeText(i: number): { title: string; text: string } {
  const title = `${word()}${word()}召开第${i}次${word()}会议`;
  let body = '';
  while (body.length < 1000) {
    let sentence = '';
    for (let w = 0; w < 8; w++) sentence += word();
    body += `${sentence}，`;
    if (random() < 0.05) body += '。\n';
  }
  if (i % 50 === 7) body = `${body.slice(0, 300)}乡村振兴${body.slice(300)}`;
  if (i % 100 === 13) body = `${body.slice(0, 500)}南水北调${body.slice(500)}`;
  if (i % 5 === 1) body = `${body.slice(0, 700)}营商环境${body.slice(700)}`;
  return { title, text: `${title}\n${body}`.toLowerCase() };
}

/** The pairs as strings, for the libraries that take tokens. */
const searchTokens = (text: string): string[] => [...pairCodes(text)].map(String);

interface Engine {
  add(id: number, text: string): void;
  replace(id: number, text: string, old: string): void;
  search(terms: string[]): Iterable<number>;
}

function miniSearch(): Engine {
  const index = new MiniSearch<{ id: number; text: string }>({
    fields: ['text'],
    tokenize: searchTokens,
    processTerm: (term) => term,
    searchOptions: { combineWith: 'AND', tokenize: searchTokens, processTerm: (term) => term },
  });
  return {
    add: (id, text) => index.add({ id, text }),
    replace: (id, text) => index.replace({ id, text }),
    search: (terms) => index.search(terms.join(' ')).map((hit) => hit.id as number),
  };
}

function flexSearch(): Engine {
  const index = new FlexSearch.Index({ tokenize: 'strict', encode: searchTokens, resolution: 1, cache: false });
  return {
    add: (id, text) => index.add(id, text),
    // What the store does: only the pairs the old text lacked are added; stale ones are dropped by the check against the text.
    replace: (id, text, old) => {
      const known = new Set(searchTokens(old));
      const added = searchTokens(text).filter((token) => !known.has(token));
      if (added.length > 0) index.append(id, added.join(' '));
    },
    search: (terms) => index.search(terms.join(' '), { limit: 1_000_000 }) as number[],
  };
}

function pairIndex(): Engine {
  const index = new BigramIndex();
  return {
    add: (id, text) => index.add(id, pairCodes(text)),
    replace: (id, text, old) => {
      const known = pairCodes(old);
      index.add(
        id,
        [...pairCodes(text)].filter((code) => !known.has(code)),
      );
    },
    search: (terms) => {
      const codes = new Set(terms.flatMap((term) => [...pairCodes(term)]));
      return index.candidates(codes) ?? [];
    },
  };
}

const ENGINES: Record<string, () => Engine> = Object.fromEntries(
  Object.entries({ minisearch: miniSearch, flexsearch: flexSearch, pairs: pairIndex }).filter(([name]) => !process.env.GAZETTE_BENCH_SEARCH_ONLY || name === process.env.GAZETTE_BENCH_SEARCH_ONLY),
);

function heapMb(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

/** One library at one size; prints one JSON line. */
function measure(name: string, n: number): void {
  const texts: string[] = [];
  const titles: string[] = [];
  for (let i = 0; i < n; i++) {
    const { title, text } = makeText(i);
    titles.push(title);
    texts.push(text);
  }
  const before = heapMb();
  const engine = (ENGINES[name] as () => Engine)();
  const started = performance.now();
  for (let i = 0; i < n; i++) engine.add(i, texts[i] as string);
  const buildMs = performance.now() - started;
  const indexMb = heapMb() - before;
  const queries: Record<string, { hits: number; p50: number; p95: number }> = {};
  for (const query of [...PHRASES, '乡村振兴 南水北调']) {
    const terms = queryTerms(query);
    const times: number[] = [];
    let hits = 0;
    for (let r = 0; r < 25; r++) {
      const t0 = performance.now();
      const verified: number[] = [];
      for (const id of new Set(engine.search(terms))) if (terms.every((term) => texts[id]?.includes(term))) verified.push(id);
      for (const id of verified.slice(0, 50)) searchSnippet(titles[id] as string, texts[id] as string, terms);
      times.push(performance.now() - t0);
      hits = verified.length;
    }
    queries[query] = { hits, p50: quantile(times, 0.5), p95: quantile(times, 0.95) };
  }
  const updateTimes: number[] = [];
  for (let k = 0; k < 200; k++) {
    const id = Math.floor(random() * n);
    const text = `${texts[id]}修改${k}`;
    const t0 = performance.now();
    engine.replace(id, text, texts[id] as string);
    updateTimes.push(performance.now() - t0);
    texts[id] = text;
  }
  console.log(
    JSON.stringify({
      name,
      n,
      buildMs,
      indexMb,
      textMb: before,
      rssMb: process.memoryUsage().rss / 1024 / 1024,
      queries,
      updateP95: quantile(updateTimes, 0.95),
    }),
  );
}

const fmt = (x: number) => x.toFixed(x < 10 ? 2 : 0).padStart(9);

function run(): void {
  const sizes = (process.env.GAZETTE_BENCH_SEARCH_SIZES ?? '10000,100000').split(',').map(Number);
  console.log('Full-text search indexes (Han pairs; times in ms, memory in MB)\n');
  console.log(`${'library'.padEnd(12)}${'N'.padStart(8)}${'build'.padStart(9)}${'index MB'.padStart(9)}${'rss MB'.padStart(9)}${'update p95'.padStart(11)}   query p50/p95 (hits)`);
  for (const n of sizes) {
    for (const name of Object.keys(ENGINES)) {
      const child = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=4096', '--import', 'tsx', fileURLToPath(import.meta.url), name, String(n)], {
        encoding: 'utf8',
      });
      const line = child.stdout.trim().split('\n').at(-1) ?? '';
      if (child.status !== 0 || !line.startsWith('{')) {
        console.log(`${name.padEnd(12)}${String(n).padStart(8)}   failed: ${child.stderr.trim().split('\n').slice(-3).join(' ')}`);
        continue;
      }
      const f = JSON.parse(line);
      const q = Object.entries(f.queries as Record<string, { hits: number; p50: number; p95: number }>)
        .map(([query, v]) => `${query} ${v.p50.toFixed(1)}/${v.p95.toFixed(1)} (${v.hits})`)
        .join('; ');
      console.log(`${name.padEnd(12)}${String(n).padStart(8)}${fmt(f.buildMs)}${fmt(f.indexMb)}${fmt(f.rssMb)}${fmt(f.updateP95).padStart(11)}   ${q}`);
    }
  }
  console.log(
    '\nChosen: the pair index (pairs) — see ARCHITECTURE.md ("Full-text search"). Targets at 100,000: query ≤ 50 ms p95 with snippets, save ≤ 15 ms p95, host ≤ 500 MB.',
  );
}

const [name, size] = process.argv.slice(2);
if (name && size) measure(name, Number(size));
else run();
