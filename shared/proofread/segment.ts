import { SEGMENTATION_WORDS } from './default-packs/segmentation-words';
import { isHanCode } from './text';

/**
 * Dictionary word segmentation (jieba's method without its HMM: every way of
 * cutting a sentence into dictionary words, the most probable chosen by word
 * frequency). Pure TypeScript, so the editor's worker, the host and the CLI
 * cut a sentence the same way and never disagree on a finding.
 */
export class WordSegmenter {
  /** Word → frequency; prefixes of longer words are present with frequency 0. */
  readonly #base: Map<string, number>;
  /** Words added on top of the shipped list (protected terms, the office's 常用词), same layout. */
  readonly #extra: Map<string, number> | null;
  readonly #logTotal: number;

  constructor(base: Map<string, number>, total: number, extra: Map<string, number> | null = null) {
    this.#base = base;
    this.#extra = extra;
    this.#logTotal = Math.log(total);
  }

  #frequency(word: string): number | undefined {
    const extra = this.#extra?.get(word);
    if (extra !== undefined && extra > 0) return extra;
    return this.#base.get(word) ?? extra;
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
    for (let i = n - 1; i >= 0; i--) {
      // A character outside the dictionary is a word of its own with frequency 1.
      let best = -this.#logTotal + score[i + 1]!;
      let bestEnd = i + 1;
      for (let j = i + 1; j <= n; j++) {
        const frequency = this.#frequency(text.slice(i, j));
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
  if (shipped) return shipped;
  const map = new Map<string, number>();
  let total = 0;
  for (const line of SEGMENTATION_WORDS.split('\n')) {
    const space = line.indexOf(' ');
    const frequency = Number(line.slice(space + 1));
    total += frequency;
    addWord(map, line.slice(0, space), frequency);
  }
  shipped = new WordSegmenter(map, total);
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
