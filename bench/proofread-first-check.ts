// One "start": a fresh proofreading worker (the bundle the desktop app ships,
// given as argv[2]) is spawned, handed the default packs and the
// 20,000-character bench article, and timed until its first answer: loading
// its code, the segmentation dictionary and the automaton (kept in the folder
// argv[3]: empty, it is built and saved; filled, it is loaded) and the check
// itself. Run by bench/proofread.ts; prints JSON.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { CHECK_WORKER_MARK, type CheckWorkerReply } from '../node/services/proofread/check-worker';
import { type Doc, docToPlainText, paragraph } from '../shared/domain/doc';
import { DEFAULT_PACKS } from '../shared/proofread/default-packs';
import { townsPack } from '../shared/proofread/optional-packs';
import { importPortalText } from '../node/services/import';

const [bundle, cacheDir] = process.argv.slice(2) as [string, string];
const sample = importPortalText(readFileSync(join(import.meta.dirname, '../tests/fixtures/portal/sample-2021-05-20.txt'), 'utf8'), 'sample.txt');
const paragraphs = docToPlainText(sample.doc).split('\n').filter(Boolean);
const content: Doc['content'] = [];
for (let i = 0, length = 0; length < 20_000; i++) {
  const text = paragraphs[i % paragraphs.length] ?? '';
  content.push(paragraph(text));
  length += text.length + 1;
}
const cached = existsSync(cacheDir) && readdirSync(cacheDir).some((name) => name.endsWith('.bin'));
const rssBefore = process.memoryUsage().rss;
const start = performance.now();
const cpuStart = process.cpuUsage();
const worker = new Worker(bundle, { workerData: { mark: CHECK_WORKER_MARK } });
const answered = new Promise<CheckWorkerReply>((resolve, reject) => {
  worker.on('message', (reply: CheckWorkerReply) => {
    if (reply.id === 2) resolve(reply);
  });
  worker.on('error', reject);
});
// BENCH_PROOF_TOWNS=1: the office has added the optional towns pack.
const packs = process.env.BENCH_PROOF_TOWNS === '1' ? [...DEFAULT_PACKS, townsPack()] : DEFAULT_PACKS;
worker.postMessage({ id: 1, op: 'packs', packs, cacheDir });
worker.postMessage({ id: 2, op: 'check', input: { meta: sample.meta, doc: { type: 'doc', content } }, options: {} });
const reply = await answered;
const ms = performance.now() - start;
const used = process.cpuUsage(cpuStart);
// The worker's thread (its heap, code and dictionaries) on top of this process.
const workerRssMb = (process.memoryUsage().rss - rssBefore) / 1048576;
if (!reply.ok) throw new Error(reply.error);
// Without a cache the worker writes one after answering: wait for it, so the next start finds it.
for (let waited = 0; !cached && waited < 10_000 && !readdirSync(cacheDir).some((name) => name.endsWith('.bin')); waited += 50) await sleep(50);
await worker.terminate();
console.log(JSON.stringify({ ms, cpuMs: (used.user + used.system) / 1000, findings: reply.findings.length, workerRssMb }));
