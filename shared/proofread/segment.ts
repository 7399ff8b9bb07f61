import { SEGMENTATION_WORDS } from './default-packs/segmentation-words';
import { isHanCode } from './text';

/**
 * The shipped word list as a trie in flat arrays: node n's children are
 * edgeCode/edgeTarget[edgeStart[n] .. edgeStart[n+1]), sorted by code, and
 * frequency[n] is the frequency of the word ending at n (0 for a prefix that
 * is no word). One typed array per field instead of a Map of 240,000 strings:
 * built in a few milliseconds from the sorted list, where the Map took a third
 * of a second and as much again in garbage collection at the first check.
 */
export interface WordTrie {
  edgeStart: Int32Array;
  edgeCode: Uint16Array;
  edgeTarget: Int32Array;
  frequency: Float64Array;
  /** The root's child for each code unit (0: none; the root is nobody's child), as most lookups start there. */
  root: Int32Array;
  /** Sum of all the list's frequencies (a word listed twice counts twice, as jieba counts it). */
  total: number;
}

/**
 * The trie of a "word frequency" list, one entry a line. A word listed again
 * keeps its last frequency. Fastest when the list is sorted (the generator
 * writes it so: each new node is then its parent's last child), correct in
 * any order.
 */
export function buildWordTrie(list: string): WordTrie {
  // Each node but the root is one character of some word, so the list's length bounds the node count.
  const capacity = list.length + 1;
  const code = new Uint16Array(capacity);
  const firstChild = new Int32Array(capacity);
  const lastChild = new Int32Array(capacity);
  const nextSibling = new Int32Array(capacity);
  const frequency = new Float64Array(capacity);
  let nodes = 1;
  let total = 0;
  for (let at = 0; at < list.length; ) {
    let lineEnd = list.indexOf('\n', at);
    if (lineEnd < 0) lineEnd = list.length;
    const space = list.indexOf(' ', at);
    const wordEnd = space >= 0 && space < lineEnd ? space : lineEnd;
    const value = Number(list.slice(wordEnd + 1, lineEnd));
    total += value;
    let node = 0;
    for (let i = at; i < wordEnd; i++) {
      const c = list.charCodeAt(i);
      const last = lastChild[node]!;
      if (last !== 0 && code[last] === c) {
        node = last;
        continue;
      }
      if (last === 0 || code[last]! < c) {
        // Sorted input always lands here or above: append as the last child.
        const child = nodes++;
        code[child] = c;
        if (last === 0) firstChild[node] = child;
        else nextSibling[last] = child;
        lastChild[node] = child;
        node = child;
        continue;
      }
      // Out of order: find the child or insert it in code order.
      let before = 0;
      let child = firstChild[node]!;
      while (child !== 0 && code[child]! < c) {
        before = child;
        child = nextSibling[child]!;
      }
      if (child === 0 || code[child] !== c) {
        const inserted = nodes++;
        code[inserted] = c;
        nextSibling[inserted] = child;
        if (before === 0) firstChild[node] = inserted;
        else nextSibling[before] = inserted;
        child = inserted;
      }
      node = child;
    }
    if (node !== 0) frequency[node] = value;
    at = lineEnd + 1;
  }
  const trie: WordTrie = {
    edgeStart: new Int32Array(nodes + 1),
    edgeCode: new Uint16Array(nodes - 1),
    edgeTarget: new Int32Array(nodes - 1),
    frequency: frequency.slice(0, nodes),
    root: new Int32Array(65_536),
    total,
  };
  let edge = 0;
  for (let node = 0; node < nodes; node++) {
    trie.edgeStart[node] = edge;
    for (let child = firstChild[node]!; child !== 0; child = nextSibling[child]!) {
      trie.edgeCode[edge] = code[child]!;
      trie.edgeTarget[edge] = child;
      if (node === 0) trie.root[code[child]!] = child;
      edge++;
    }
  }
  trie.edgeStart[nodes] = edge;
  return trie;
}

/** The child of `node` along code unit `c`, or -1. */
function childOf(trie: WordTrie, node: number, c: number): number {
  if (node === 0) return trie.root[c] || -1;
  let low = trie.edgeStart[node]!;
  let high = trie.edgeStart[node + 1]! - 1;
  const codes = trie.edgeCode;
  while (low <= high) {
    const mid = (low + high) >>> 1;
    const found = codes[mid]!;
    if (found === c) return trie.edgeTarget[mid]!;
    if (found < c) low = mid + 1;
    else high = mid - 1;
  }
  return -1;
}

/**
 * Dictionary word segmentation (jieba's method without its HMM: every way of
 * cutting a sentence into dictionary words, the most probable chosen by word
 * frequency). Pure TypeScript, so the editor's worker, the host and the CLI
 * cut a sentence the same way and never disagree on a finding.
 */
export class WordSegmenter {
  /** The shipped list. */
  readonly #base: WordTrie;
  /** Words added on top of the shipped list (protected terms, the office's 常用词): word → frequency, prefixes of longer words with 0. */
  readonly #extra: Map<string, number> | null;
  readonly #logTotal: number;

  constructor(base: WordTrie, total: number = base.total, extra: Map<string, number> | null = null) {
    this.#base = base;
    this.#extra = extra;
    this.#logTotal = Math.log(total);
  }

  /** The word's frequency: undefined when no word starts with it, 0 when it is only a prefix. */
  #frequency(word: string): number | undefined {
    let node = 0;
    for (let i = 0; i < word.length && node >= 0; i++) node = childOf(this.#base, node, word.charCodeAt(i));
    return this.#combined(node, word.length > 0 ? word : null);
  }

  /** An added word's frequency wins over the list's; either says whether longer words may follow. */
  #combined(node: number, word: string | null): number | undefined {
    const extra = word === null ? undefined : this.#extra?.get(word);
    if (extra !== undefined && extra > 0) return extra;
    return node > 0 ? this.#base.frequency[node] : extra;
  }

  /** Whether `word` is in the dictionary. */
  has(word: string): boolean {
    return (this.#frequency(word) ?? 0) > 0;
  }

  /**
   * The end offset of each word of `text`: `ends[i]` is where the word that
   * starts at `i` ends, or 0 when `i` is inside a word. Characters no word
   * covers stand alone.
   */
  cutEnds(text: string): Int32Array {
    const n = text.length;
    const score = new Float64Array(n + 1);
    const next = new Int32Array(n + 1);
    const base = this.#base;
    const extra = this.#extra !== null && this.#extra.size > 0 ? this.#extra : null;
    for (let i = n - 1; i >= 0; i--) {
      // A character outside the dictionary is a word of its own with frequency 1.
      let best = -this.#logTotal + score[i + 1]!;
      let bestEnd = i + 1;
      // The list's trie and the added words are walked together; each stops once no word of its starts so.
      let node = 0;
      let inExtra = extra !== null;
      for (let j = i + 1; j <= n; j++) {
        if (node >= 0) node = childOf(base, node, text.charCodeAt(j - 1));
        const added = inExtra ? extra!.get(text.slice(i, j)) : undefined;
        if (added === undefined) inExtra = false;
        const frequency = added !== undefined && added > 0 ? added : node > 0 ? base.frequency[node] : added;
        if (frequency === undefined) break;
        if (frequency === 0) continue;
        const candidate = Math.log(frequency) - this.#logTotal + score[j]!;
        if (candidate > best) {
          best = candidate;
          bestEnd = j;
        }
      }
      score[i] = best;
      next[i] = bestEnd;
    }
    const ends = new Int32Array(n);
    for (let i = 0; i < n; i = next[i]!) ends[i] = next[i]!;
    return ends;
  }

  /** The words of `text`, in order. */
  cut(text: string): string[] {
    const ends = this.cutEnds(text);
    const words: string[] = [];
    for (let i = 0; i < text.length; i = ends[i]!) words.push(text.slice(i, ends[i]));
    return words;
  }

  /**
   * A segmenter that also knows `words` (protected terms, the office's 常用词):
   * a word the list lacks counts as `frequency` (about as common as 学习), one it
   * has keeps its own.
   */
  withWords(words: Iterable<string>, frequency: number): WordSegmenter {
    const extra = new Map(this.#extra ?? []);
    let total = Math.exp(this.#logTotal);
    for (const word of words) {
      if (this.has(word)) continue;
      total += frequency;
      addWord(extra, word, frequency);
    }
    return new WordSegmenter(this.#base, total, extra);
  }
}

function addWord(map: Map<string, number>, word: string, frequency: number): void {
  map.set(word, frequency);
  for (let k = 1; k < word.length; k++) {
    const prefix = word.slice(0, k);
    if (!map.has(prefix)) map.set(prefix, 0);
  }
}

let shipped: WordSegmenter | null = null;

/** The segmenter over the shipped word list, built on first use. */
export function shippedSegmenter(): WordSegmenter {
  shipped ??= new WordSegmenter(buildWordTrie(SEGMENTATION_WORDS));
  return shipped;
}

/**
 * Word boundaries of a long text, cut one Han run (a stretch between
 * punctuation, spaces or Latin text) at a time and only when asked about.
 */
export class TextWordBoundaries {
  readonly #text: string;
  readonly #segmenter: WordSegmenter;
  /** Run start → the run's word ends (see {@link WordSegmenter.cutEnds}). */
  readonly #runs = new Map<number, Int32Array>();
  /** Where the Han run holding each character starts (-1 outside Han runs), filled on first use. */
  #runStart: Int32Array | null = null;

  constructor(text: string, segmenter: WordSegmenter) {
    this.#text = text;
    this.#segmenter = segmenter;
  }

  #runStartOf(offset: number): number {
    if (!this.#runStart) {
      const text = this.#text;
      const starts = new Int32Array(text.length);
      let start = -1;
      for (let i = 0; i < text.length; i++) {
        if (!isHanCode(text.charCodeAt(i))) start = -1;
        else if (start < 0) start = i;
        starts[i] = start;
      }
      this.#runStart = starts;
    }
    return this.#runStart[offset]!;
  }

  /** True when a word starts at `offset` (always true at the edge of a Han run). */
  isBoundary(offset: number): boolean {
    const text = this.#text;
    if (offset <= 0 || offset >= text.length) return true;
    if (!isHanCode(text.charCodeAt(offset - 1)) || !isHanCode(text.charCodeAt(offset))) return true;
    const start = this.#runStartOf(offset - 1);
    let ends = this.#runs.get(start);
    if (!ends) {
      let end = offset;
      while (end < text.length && isHanCode(text.charCodeAt(end))) end++;
      ends = this.#segmenter.cutEnds(text.slice(start, end));
      this.#runs.set(start, ends);
    }
    return ends[offset - start] !== 0;
  }

  /** True when the character at `offset` is part of a word of two or more characters. */
  inLongerWord(offset: number): boolean {
    return !this.isBoundary(offset) || !this.isBoundary(offset + 1);
  }
}
