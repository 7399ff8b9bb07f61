// Memory the shipped dictionaries keep once compiled (their lists, the
// automaton, the segmentation trie), measured in a process of its own started
// with --expose-gc: the heap and array buffers after a first check, less what
// they were before the lists were loaded. Run by bench/proofread.ts; prints JSON.
import { ArticleMetaSchema } from '../shared/domain/article';
import { type Doc, paragraph } from '../shared/domain/doc';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with --expose-gc');
const held = () => {
  gc();
  const memory = process.memoryUsage();
  return { heap: memory.heapUsed + memory.arrayBuffers, rss: memory.rss };
};
const doc: Doc = { type: 'doc', content: [paragraph('区政府召开会议。')] };
const meta = ArticleMetaSchema.parse({});
const before = held();
// Loaded only now, so the lists' own text counts too.
const { DEFAULT_PACKS } = await import('../shared/proofread/default-packs');
const { checkArticle } = await import('../shared/proofread/engine');
const towns = process.env.BENCH_PROOF_TOWNS === '1' ? [(await import('../shared/proofread/optional-packs')).townsPack()] : [];
checkArticle({ meta, doc }, [...DEFAULT_PACKS, ...towns]);
const after = held();
console.log(JSON.stringify({ heapMb: (after.heap - before.heap) / 1048576, rssMb: (after.rss - before.rss) / 1048576 }));
