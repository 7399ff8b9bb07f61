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

function countInto(text: string, totals: TextCounts): void {
  for (const match of text.matchAll(TOKEN)) {
    totals.words++;
    // A Han character stands alone in its match; a Latin run never contains one.
    if (HAN.test(match[0])) totals.han++;
  }
  for (const ch of text) if (!/\s/u.test(ch)) totals.nonSpace++;
}

/** Counts of an article's blocks (see `textBlocks` in shared/proofread and `countDoc` in the editor). */
export function countBlocks(blocks: Iterable<CountedBlock>): TextCounts {
  const totals: TextCounts = { han: 0, words: 0, nonSpace: 0, paragraphs: 0, images: 0, readingMinutes: 0 };
  for (const block of blocks) {
    if (block.image) totals.images++;
    else if (block.text.trim() !== '') totals.paragraphs++;
    countInto(block.text, totals);
  }
  totals.readingMinutes = totals.words === 0 ? 0 : Math.max(1, Math.ceil(totals.words / READING_CHARS_PER_MINUTE));
  return totals;
}

/** Counts of plain text, one paragraph a non-empty line (for text that never was an article doc). */
export function countText(text: string): TextCounts {
  return countBlocks(text.split('\n').map((line) => ({ text: line, image: false })));
}
