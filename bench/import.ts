/**
 * Import benchmark: `npx tsx bench/import.ts`. Builds a 10,000-article
 * workspace (a third of it imported, so it carries fingerprints), then times
 * one import of the sample page against it: new material, the same file again
 * and the same article from other bytes. Prints figures; asserts nothing.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiHandlers } from '../node/services/api-handlers';
import { importFileBuffer, importPortalText } from '../node/services/import';
import { contentFingerprint, sourceFingerprint } from '../node/services/store/fingerprint';
import { WorkspaceStore } from '../node/services/store/workspace-store';
import type { CallContext, ImportOutcome } from '../shared/api/contract';
import { type Article, ArticleMetaSchema, newArticle } from '../shared/domain/article';
import { docToPlainText, paragraph } from '../shared/domain/doc';
import { articleToHtmlDocument } from '../shared/html/serialize';
import { quantile, time } from './stats';

const N = Number(process.env.BENCH_ARTICLES ?? 10_000);
const ROUNDS = 30;
const SAMPLE = readFileSync(join(import.meta.dirname, '../tests/fixtures/portal/sample-2021-05-20.txt'));
const SENTENCE = '会议强调，要加强组织领导，精心安排部署，切实把思想和行动统一到中央和省委、市委的决策部署上来。';
const cli: CallContext = { transport: 'cli', sessionId: 'cli' };

function makeArticle(i: number): Article {
  const id = `bench${String(i).padStart(8, '0')}`;
  const meta = ArticleMetaSchema.parse({
    title: `区党政办召开第${i}次工作推进会议`,
    publishAt: `${2020 + (i % 5)}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 28) + 1).padStart(2, '0')}`,
    source: '区党政办',
  });
  const doc = { type: 'doc' as const, content: Array.from({ length: 16 }, (_, k) => paragraph(`${i}-${k}：${SENTENCE.repeat(3)}`)) };
  const article = newArticle(id, new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(), meta, doc);
  if (i % 3 === 0) {
    article.importedFrom = {
      name: `稿件${i}.txt`,
      sha256: sourceFingerprint(`source ${i}`),
      contentSha256: contentFingerprint(meta, docToPlainText(doc)),
    };
  }
  return article;
}

const dir = mkdtempSync(join(tmpdir(), 'gazette-bench-import-'));
try {
  for (let i = 0; i < N; i++) {
    const article = makeArticle(i);
    mkdirSync(join(dir, 'articles', article.id), { recursive: true });
    writeFileSync(join(dir, 'articles', article.id, 'article.json'), JSON.stringify(article, null, 2));
  }
  const [rebuildMs, first] = await time(() => WorkspaceStore.open(dir));
  await first.close();
  const [openMs, store] = await time(() => WorkspaceStore.open(dir));
  const handlers = createApiHandlers(store, {
    buildFromTemplate: () => {
      throw new Error('unused');
    },
    importFileBuffer,
    importPortalText: async (text: string, name: string) => importPortalText(text, name),
    articleToHtmlDocument,
  });
  const importFile = (name: string, data: Buffer) =>
    handlers['import:file']({ name, dataBase64: data.toString('base64'), allowDuplicate: false }, cli);
  const expectKind = (outcome: ImportOutcome, kind: 'new' | 'same-file' | 'same-article') => {
    const got = outcome.ok ? 'new' : outcome.duplicate ? outcome.reason : `failed: ${outcome.reason}`;
    if (got !== kind) throw new Error(`expected ${kind}, got ${got}`);
  };

  const fresh: number[] = [];
  const sameFile: number[] = [];
  const sameArticle: number[] = [];
  const lookup: number[] = [];
  for (let r = -5; r < ROUNDS; r++) {
    // Each round a page not seen before (its last sentence differs), then that file again, then it with CRLF line ends.
    const text = SAMPLE.toString('utf8').replace('共计150余人参加会议', `共计${200 + r}余人参加会议`);
    const data = Buffer.from(text, 'utf8');
    const [newMs, created] = await time(() => importFile(`round${r}.txt`, data));
    expectKind(created, 'new');
    const [fileMs, again] = await time(() => importFile(`round${r}.txt`, data));
    expectKind(again, 'same-file');
    const [articleMs, other] = await time(() => importFile(`round${r}-windows.txt`, Buffer.from(text.replace(/\n/g, '\r\n'), 'utf8')));
    expectKind(other, 'same-article');
    const [lookupMs] = await time(() => store.findDuplicate(sourceFingerprint('not there'), sourceFingerprint('nor this')));
    // The first rounds pay for JIT warm-up.
    if (r < 0) continue;
    fresh.push(newMs);
    sameFile.push(fileMs);
    sameArticle.push(articleMs);
    lookup.push(lookupMs);
  }
  await store.close();

  const fmt = (ms: number) => `${ms.toFixed(ms < 10 ? 2 : 1)} ms`;
  const row = (label: string, samples: number[]) =>
    `${label.padEnd(44)} p50 ${fmt(quantile(samples, 0.5)).padStart(10)}   p95 ${fmt(quantile(samples, 0.95)).padStart(10)}`;
  process.stdout.write(
    [
      `Import against a ${N.toLocaleString('en')}-article workspace (${ROUNDS} rounds, sample page ~5 KB)`,
      `open without index (rebuild, fingerprints computed)   ${fmt(rebuildMs)}`,
      `open from index shards                                 ${fmt(openMs)}`,
      row('import:file, new page (check + create)', fresh),
      row('import:file, same file again (duplicate)', sameFile),
      row('import:file, same page, other bytes (duplicate)', sameArticle),
      row('duplicate lookup alone (findDuplicate)', lookup),
      '',
    ].join('\n'),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
