/**
 * Character counts the way Chinese offices count: every Han character is one,
 * and so is every punctuation mark; a run of Latin letters or digits (with
 * inner `.`, `'` or `-`, so 3.5 and don't stay whole) counts as one word.
 * (TipTap's CharacterCount splits words on spaces, so a whole Chinese
 * paragraph would be a single "word".)
 *
 * Every count the UI shows (the editor's status line, the 校对 tab, the
 * command line's `check`) goes through {@link countBlocks}, so two places
 * never disagree about the same article.
 */
export interface TextCounts {
  /** Han characters (CJK ideographs, including extensions). */
  han: number;
  /** Han characters + punctuation + Latin words + numbers: what a 字数 figure means. */
  words: number;
  /** Every character except white space. */
  nonSpace: number;
  /** Paragraphs and headings with text (a line break inside one does not make a new one). */
  paragraphs: number;
  /** Images (their captions count towards the characters). */
  images: number;
  /** Estimated minutes to read, at 350 characters a minute (0 for an empty article). */
  readingMinutes: number;
}

/** One block of an article as counting sees it: its text, and whether it is an image (whose text is the caption). */
export interface CountedBlock {
  text: string;
  image: boolean;
}

// Han characters are letters too (\p{L}), so a word run excludes them explicitly.
const WORD_CHAR = String.raw`(?:(?!\p{Script=Han})[\p{L}\p{N}])`;
const TOKEN = new RegExp(String.raw`\p{Script=Han}|${WORD_CHAR}+(?:[.'-]${WORD_CHAR}+)*|[^\s\p{L}\p{N}]`, 'gu');
const HAN = /^\p{Script=Han}$/u;
const READING_CHARS_PER_MINUTE = 350;

/** The part of {@link TextCounts} that adds up block by block (reading time is derived from the sum). */
export type BlockTotals = Omit<TextCounts, 'readingMinutes'>;

/** Totals of no blocks at all, to add into. */
export function emptyTotals(): BlockTotals {
  return { han: 0, words: 0, nonSpace: 0, paragraphs: 0, images: 0 };
}

/** Adds `from` into `into` (counts of blocks simply add up: no token spans two blocks). */
export function addTotals(into: BlockTotals, from: BlockTotals): BlockTotals {
  into.han += from.han;
  into.words += from.words;
  into.nonSpace += from.nonSpace;
  into.paragraphs += from.paragraphs;
  into.images += from.images;
  return into;
}

/**
 * The totals of one block. The editor keeps these per block and re-counts only
 * the blocks an edit touched, so a keystroke in a long article never counts
 * the whole of it again; {@link countBlocks} is the sum of these, so the two agree.
 */
export function countBlock(block: CountedBlock): BlockTotals {
  const totals = emptyTotals();
  if (block.image) totals.images = 1;
  else if (block.text.trim() !== '') totals.paragraphs = 1;
  for (const match of block.text.matchAll(TOKEN)) {
    totals.words++;
    // A Han character stands alone in its match; a Latin run never contains one.
    if (HAN.test(match[0])) totals.han++;
  }
  for (const ch of block.text) if (!/\s/u.test(ch)) totals.nonSpace++;
  return totals;
}

/** The counts shown for summed block totals: adds the reading time. */
export function finishCounts(totals: BlockTotals): TextCounts {
  const { han, words, nonSpace, paragraphs, images } = totals;
  return { han, words, nonSpace, paragraphs, images, readingMinutes: words === 0 ? 0 : Math.max(1, Math.ceil(words / READING_CHARS_PER_MINUTE)) };
}

/** Counts of an article's blocks (see `textBlocks` in shared/proofread and `countDoc` in the editor). */
export function countBlocks(blocks: Iterable<CountedBlock>): TextCounts {
  const totals = emptyTotals();
  for (const block of blocks) addTotals(totals, countBlock(block));
  return finishCounts(totals);
}

/** Counts of plain text, one paragraph a non-empty line (for text that never was an article doc). */
export function countText(text: string): TextCounts {
  return countBlocks(text.split('\n').map((line) => ({ text: line, image: false })));
}
