// Time to check a 20,000-character article with the default packs, warm (as in the editor's worker).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { type Doc, docToPlainText, paragraph } from '../shared/domain/doc';
import { DEFAULT_PACKS } from '../shared/proofread/default-packs';
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
const times: number[] = [];
for (let i = 0; i < 200; i++) {
  const start = performance.now();
  checkArticle(input, packs);
  articleCounts(input);
  times.push(performance.now() - start);
}
times.sort((a, b) => a - b);
const pct = (p: number) => (times[Math.min(times.length - 1, Math.floor(p * times.length))] ?? 0).toFixed(2);
console.log(`article: ${docToPlainText(doc).length} characters, ${content.length} paragraphs, ${findings.length} findings`);
console.log(`packs: ${packs.reduce((n, p) => n + p.entries.length, 0)} entries`);
console.log(`first check (builds the automaton): ${cold.toFixed(1)} ms`);
// After a start: a fresh process, the built automaton loaded from the workspace's cache folder (or built and saved when absent).
const cacheDir = mkdtempSync(join(tmpdir(), 'gazette-bench-automaton-'));
const start = (label: string) => {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'proofread-first-check.ts'), cacheDir], { encoding: 'utf8' });
  const { ms, segmenterMs } = run.status === 0 ? (JSON.parse(run.stdout.trim().split('\n').pop() ?? '{}') as { ms: number; segmenterMs: number }) : { ms: Number.NaN, segmenterMs: Number.NaN };
  console.log(`first check after start, ${label}: ${ms.toFixed(1)} ms (of which the segmentation dictionary ${segmenterMs.toFixed(1)} ms)`);
};
start('no cache yet (builds and saves)');
start('cached automaton (target ≤ 500 ms)');
rmSync(cacheDir, { recursive: true, force: true });
console.log(`warm check + counts: p50 ${pct(0.5)} ms, p95 ${pct(0.95)} ms (target ≤ 50 ms)`);

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
