// Proofreading's speed and memory figures: a 20,000-character article checked with the default packs warm (as in
// the editor's worker) and first after a start (a fresh worker), the memory the dictionaries add, and pathological inputs.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { build as esbuild } from 'esbuild';
import { type Doc, docToPlainText, paragraph } from '../shared/domain/doc';
import { DEFAULT_PACKS } from '../shared/proofread/default-packs';
import { townsPack } from '../shared/proofread/optional-packs';
import { SEGMENTATION_WORDS } from '../shared/proofread/default-packs/segmentation-words';
import { articleCounts, checkArticle } from '../shared/proofread/engine';
import type { RulePack } from '../shared/proofread/packs';
import { importPortalText } from '../node/services/import';

const sample = importPortalText(
  readFileSync(join(import.meta.dirname, '../tests/fixtures/portal/sample-2021-05-20.txt'), 'utf8'),
  'sample.txt',
);
const sampleParagraphs = docToPlainText(sample.doc).split('\n').filter(Boolean);
const content: Doc['content'] = [];
let length = 0;
for (let i = 0; length < 20_000; i++) {
  const text = sampleParagraphs[i % sampleParagraphs.length] ?? '';
  content.push(paragraph(text));
  length += text.length + 1;
}
const doc: Doc = { type: 'doc', content };
// A realistic office pack on top of the defaults: 2,000 unit and place names.
const office: RulePack = {
  id: 'bench-office',
  name: 'bench',
  kind: 'protected',
  source: 'bench',
  version: '1',
  entries: Array.from({ length: 2000 }, (_, i) => ({ text: `第${i}号新乡经开区街道办事处` })),
};
const packs = [...DEFAULT_PACKS, office];
const input = { meta: sample.meta, doc };

const coldStart = performance.now();
const findings = checkArticle(input, packs);
const cold = performance.now() - coldStart;
for (let i = 0; i < 20; i++) checkArticle(input, packs);
const warmLoad = loadavg()[0] ?? 0;
const times: number[] = [];
const cpuTimes: number[] = [];
for (let i = 0; i < 200; i++) {
  const start = performance.now();
  const cpuStart = process.cpuUsage();
  checkArticle(input, packs);
  articleCounts(input);
  times.push(performance.now() - start);
  const used = process.cpuUsage(cpuStart);
  cpuTimes.push((used.user + used.system) / 1000);
}
times.sort((a, b) => a - b);
cpuTimes.sort((a, b) => a - b);
const pct = (p: number, of = times) => (of[Math.min(of.length - 1, Math.floor(p * of.length))] ?? 0).toFixed(2);
console.log(`article: ${docToPlainText(doc).length} characters, ${content.length} paragraphs, ${findings.length} findings`);
console.log(`packs: ${packs.reduce((n, p) => n + p.entries.length, 0)} entries, and ${SEGMENTATION_WORDS.split('\n').length} words of the segmentation dictionary`);
console.log(`first check (builds the automaton): ${cold.toFixed(1)} ms`);
// After a start: a fresh worker of the bundle the desktop app ships (built here as scripts/build.mjs builds
// dist/electron/check-worker.cjs), timed from its spawn to its first answer, with the automaton built and saved
// (no cache yet) and then loaded from the cache folder. CPU time and the load average are printed beside the wall
// time: on a shared machine the wall time mostly measures the wait for a core.
const benchDir = mkdtempSync(join(tmpdir(), 'gazette-bench-proofread-'));
const bundle = join(benchDir, 'check-worker.cjs');
await esbuild({
  entryPoints: [join(import.meta.dirname, '../node/services/proofread/check-worker.ts')],
  outfile: bundle,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  external: ['electron'],
  define: { 'import.meta.url': '__importMetaUrl' },
  banner: { js: "const __importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
  logLevel: 'warning',
});
const cacheDir = join(benchDir, 'cache');
// BENCH_PROOF_TOWNS=1 in a child adds the optional towns pack to the shipped ones.
const withTowns = { ...process.env, BENCH_PROOF_TOWNS: '1' };
const startOnce = (env: NodeJS.ProcessEnv = process.env) => {
  const load = loadavg()[0] ?? 0;
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'proofread-first-check.ts'), bundle, cacheDir], { encoding: 'utf8', env });
  if (run.status !== 0) throw new Error(`first-check run failed: ${run.stderr}`);
  const figures = JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as { ms: number; cpuMs: number; workerRssMb: number };
  return { ...figures, load };
};
const describeStart = (runs: { ms: number; cpuMs: number; workerRssMb: number; load: number }[]) => {
  const by = (key: 'ms' | 'cpuMs') => runs.map((run) => run[key]).sort((a, b) => a - b);
  const ms = by('ms');
  const cpu = by('cpuMs');
  const middle = Math.floor(runs.length / 2);
  return `median ${(ms[middle] ?? 0).toFixed(0)} ms wall (min ${(ms[0] ?? 0).toFixed(0)}, max ${(ms.at(-1) ?? 0).toFixed(0)}), ${(cpu[middle] ?? 0).toFixed(0)} ms CPU; worker thread ${(runs[middle]?.workerRssMb ?? 0).toFixed(0)} MB; load average ${runs.map((run) => run.load.toFixed(1)).join('/')} on ${availableParallelism()} cores`;
};
console.log(`first check after start, no cache yet (builds and saves): ${describeStart([startOnce()])}`);
console.log(`first check after start, cached automaton (target ≤ 500 ms), 5 starts: ${describeStart(Array.from({ length: 5 }, () => startOnce()))}`);
console.log(`  with the optional towns pack, no cache yet: ${describeStart([startOnce(withTowns)])}`);
console.log(`  with the optional towns pack, cached, 3 starts: ${describeStart(Array.from({ length: 3 }, () => startOnce(withTowns)))}`);
rmSync(benchDir, { recursive: true, force: true });
const memoryAdded = (env: NodeJS.ProcessEnv, label: string) => {
  const memory = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', join(import.meta.dirname, 'proofread-memory.ts')], { encoding: 'utf8', env });
  if (memory.status === 0) {
    const { heapMb, rssMb } = JSON.parse(memory.stdout.trim().split('\n').pop() ?? '{}') as { heapMb: number; rssMb: number };
    console.log(`memory added by ${label}: ${heapMb.toFixed(1)} MB heap and buffers, ${rssMb.toFixed(1)} MB resident (target ≤ 150 MB)`);
  } else console.log(`memory added by ${label}: not measured (${memory.stderr.trim().split('\n').pop()})`);
};
memoryAdded(process.env, 'the shipped dictionaries');
memoryAdded(withTowns, 'the shipped dictionaries and the optional towns pack');
console.log(`warm check + counts: p50 ${pct(0.5)} ms, p95 ${pct(0.95)} ms wall; CPU p50 ${pct(0.5, cpuTimes)} ms, p95 ${pct(0.95, cpuTimes)} ms (target ≤ 50 ms; load average ${warmLoad.toFixed(1)} on ${availableParallelism()} cores)`);
{
  const townPacks = [...packs, townsPack()];
  const buildStart = performance.now();
  checkArticle(input, townPacks);
  const build = performance.now() - buildStart;
  const warm: number[] = [];
  for (let i = 0; i < 100; i++) {
    const start = performance.now();
    checkArticle(input, townPacks);
    warm.push(performance.now() - start);
  }
  warm.sort((a, b) => a - b);
  console.log(
    `  with the optional towns pack (${townsPack().entries.length} names): first check ${build.toFixed(0)} ms (builds the automaton), warm p50 ${pct(0.5, warm)} ms, p95 ${pct(0.95, warm)} ms`,
  );
}

// Pathological inputs: 81,000 findings (a near miss, a half-width comma and a doubled 的, 27,000 times each),
// and an office pack of 200 overlapping entries over 300 characters (40,100 matches).
const manyFindings = { meta: sample.meta, doc: { type: 'doc', content: Array.from({ length: 270 }, () => paragraph('区攻府,的的工作'.repeat(100))) } as Doc };
const overlapping: RulePack = {
  id: 'bench-overlap',
  name: 'bench',
  kind: 'sensitive',
  source: 'bench',
  version: '1',
  entries: Array.from({ length: 200 }, (_, k) => ({ text: '啊'.repeat(k + 1) })),
};
const overlapPacks = [...DEFAULT_PACKS, overlapping];
const overlapInput = { meta: sample.meta, doc: { type: 'doc', content: [paragraph('啊'.repeat(300))] } as Doc };
checkArticle(overlapInput, overlapPacks);
for (const [label, run] of [
  ['81,000-finding input', () => checkArticle(manyFindings, DEFAULT_PACKS)],
  ['200 overlapping office entries over 300 characters', () => checkArticle(overlapInput, overlapPacks)],
] as const) {
  const runs: number[] = [];
  const cpu: number[] = [];
  let listed = 0;
  for (let i = 0; i < 5; i++) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    listed = run().length;
    const used = process.cpuUsage(cpuStart);
    runs.push(performance.now() - start);
    cpu.push((used.user + used.system) / 1000);
  }
  runs.sort((a, b) => a - b);
  cpu.sort((a, b) => a - b);
  // CPU time beside wall time: on a shared, loaded machine the wall time mostly measures the wait for a core.
  console.log(`${label}: ${listed} findings listed, median ${(runs[2] ?? 0).toFixed(0)} ms wall, ${(cpu[2] ?? 0).toFixed(0)} ms CPU (target ≤ 1000 ms)`);
}
