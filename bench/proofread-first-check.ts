// One "start": the first check of the 20,000-character bench article in a fresh
// process, with the built dictionaries kept in the folder given (empty: built
// and saved; filled: loaded). Run by bench/proofread.ts; prints JSON.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { FileAutomatonStore } from '../node/services/proofread/automaton-cache';
import { type Doc, docToPlainText, paragraph } from '../shared/domain/doc';
import { DEFAULT_PACKS } from '../shared/proofread/default-packs';
import { checkArticle, setAutomatonStore } from '../shared/proofread/engine';
import { shippedSegmenter } from '../shared/proofread/segment';
import { importPortalText } from '../node/services/import';

const sample = importPortalText(readFileSync(join(import.meta.dirname, '../tests/fixtures/portal/sample-2021-05-20.txt'), 'utf8'), 'sample.txt');
const paragraphs = docToPlainText(sample.doc).split('\n').filter(Boolean);
const content: Doc['content'] = [];
for (let i = 0, length = 0; length < 20_000; i++) {
  const text = paragraphs[i % paragraphs.length] ?? '';
  content.push(paragraph(text));
  length += text.length + 1;
}
const store = new FileAutomatonStore(process.argv[2] as string);
setAutomatonStore(store);
const start = performance.now();
// The segmentation dictionary is timed on its own: it is built from the shipped word list, not cached.
shippedSegmenter();
const segmenterMs = performance.now() - start;
checkArticle({ meta: sample.meta, doc: { type: 'doc', content } }, DEFAULT_PACKS);
const ms = performance.now() - start;
await store.written();
console.log(JSON.stringify({ ms, segmenterMs }));
