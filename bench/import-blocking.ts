/*
 * Imports never block the app: while hostile and long Word files are read (in
 * the import thread) the main thread keeps answering. Two probes run during
 * each import: a 10 ms interval timer (how late it fires is how long the main
 * thread was held) and the API answering `articles:list` through the
 * dispatcher, as a window or a browser asks it. Target: every import refused
 * or finished without holding the host > 100 ms. Printed, never asserted.
 *   npx tsx bench/import-blocking.ts
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openWorkspace } from '../node/services';
import type { CallContext, ImportOutcome } from '../shared/api/contract';
import { longWordFile, millionEmptyParagraphs, zeroImageBomb } from '../tests/support/hostile-docx';
import { quantile } from './stats';

const SCRYPT = { N: 1024, r: 8, p: 1 };
const root = mkdtempSync(join(tmpdir(), 'gazette-bench-import-blocking-'));
const workspace = await openWorkspace(join(root, 'ws'), { scrypt: SCRYPT });
const ctx: CallContext = { transport: 'http', sessionId: 'bench' };
try {
  const setup = await workspace.dispatch('session:setup', { name: '管理员', unit: '区党政办', password: 'admin-pass-2026' }, ctx);
  if (!setup.ok) throw new Error(JSON.stringify(setup.error));
  // The thread's first start (loading the converters) is not an import: take it out of the figures.
  await workspace.dispatch('import:text', { text: '预热\n正文。', name: '预热' }, ctx);

  const files: [string, Buffer][] = [
    ['一百万个空段落.docx', await millionEmptyParagraphs()],
    ['一百万个空段落（未压缩）.docx', await millionEmptyParagraphs({ store: true })],
    ['16 MB 全零图片.docx', await zeroImageBomb()],
    ['两万段长文.docx', await longWordFile(20_000)],
    ['会议新闻.docx', readFileSync(join(import.meta.dirname, '../tests/fixtures/docx/meeting.docx'))],
  ];
  console.log(`import-blocking: load average ${loadavg()[0]?.toFixed(1)}`);
  for (const [name, data] of files) {
    const lateness: number[] = [];
    const api: number[] = [];
    let done = false;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      lateness.push(now - last - 10);
      last = now;
    }, 10);
    const asking = (async () => {
      while (!done) {
        const started = performance.now();
        await workspace.dispatch('articles:list', {}, ctx);
        api.push(performance.now() - started);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    })();
    const started = performance.now();
    const envelope = await workspace.dispatch('import:file', { name, dataBase64: data.toString('base64') }, ctx);
    const took = performance.now() - started;
    done = true;
    clearInterval(timer);
    await asking;
    const outcome = envelope.ok ? (envelope.value as ImportOutcome) : null;
    const result = !envelope.ok ? `error ${envelope.error.code}` : outcome?.ok ? 'imported' : `refused: ${outcome && !outcome.ok ? outcome.reason : ''}`;
    console.log(
      `import-blocking: ${name} (${(data.length / 1024).toFixed(0)} KB) ${took.toFixed(0)} ms, ${result.slice(0, 90)}\n` +
        `  main thread held: p50 ${quantile(lateness, 0.5).toFixed(1)} ms, max ${Math.max(0, ...lateness).toFixed(1)} ms; ` +
        `articles:list answered ${api.length}×: p50 ${quantile(api, 0.5).toFixed(1)} ms, max ${Math.max(0, ...api).toFixed(1)} ms`,
    );
  }
} finally {
  await workspace.close();
  rmSync(root, { recursive: true, force: true });
}
