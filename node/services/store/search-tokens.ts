/**
 * How text is cut into index terms for full-text search. Chinese has no spaces,
 * so a run of Han characters is indexed as its overlapping character pairs
 * (乡村振兴 → 乡村 村振 振兴): any query holding two adjacent Han characters is
 * then found by intersecting its own pairs, with no dictionary to miss new
 * words or names. The pairs of a query can occur apart in an article, so every
 * hit is checked against the text afterwards; a query term without such a pair
 * (one character, Latin letters, digits) is looked for in the text itself,
 * among the articles the other terms narrowed down to.
 */

const HAN = /\p{Script=Han}/u;

/** Distinct Han character pairs of a text. */
export function searchTokens(text: string): string[] {
  const tokens = new Set<string>();
  let previous = '';
  for (const char of text) {
    if (HAN.test(char)) {
      if (previous) tokens.add(previous + char);
      previous = char;
    } else previous = '';
  }
  return [...tokens];
}

/** The space-separated terms of a query, lower-cased like the indexed text. */
export function queryTerms(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter(Boolean);
}
