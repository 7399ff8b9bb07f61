/**
 * Character counts the way Chinese offices count: every Han character is one,
 * and so is every full-width punctuation mark; runs of Latin letters or digits
 * count as one word each. (TipTap's CharacterCount splits words on spaces, so
 * a whole Chinese paragraph would be a single "word".)
 */
export interface TextCounts {
  /** Han characters (CJK ideographs, including extensions). */
  han: number;
  /** Han characters + CJK punctuation + Latin words + numbers: what a 字数 figure means. */
  words: number;
  /** Every character except white space. */
  nonSpace: number;
  /** Non-empty lines, i.e. paragraphs in a docToPlainText string. */
  paragraphs: number;
}

const HAN = /\p{Script=Han}/u;
const CJK_PUNCT = /[\u3000-\u303f\uff00-\uffef\u2018-\u201f\u2026\u2014]/u;
const LATIN_WORD = /[\p{L}\p{N}]/u;

export function countText(text: string): TextCounts {
  let han = 0;
  let punct = 0;
  let latinWords = 0;
  let nonSpace = 0;
  let inLatin = false;
  for (const ch of text) {
    if (/\s/u.test(ch)) {
      inLatin = false;
      continue;
    }
    nonSpace++;
    if (HAN.test(ch)) {
      han++;
      inLatin = false;
    } else if (CJK_PUNCT.test(ch)) {
      punct++;
      inLatin = false;
    } else if (LATIN_WORD.test(ch)) {
      if (!inLatin) latinWords++;
      inLatin = true;
    } else {
      inLatin = false;
    }
  }
  const paragraphs = text.split('\n').filter((line) => line.trim() !== '').length;
  return { han, words: han + punct + latinWords, nonSpace, paragraphs };
}
