/**
 * How a query is cut into terms. Chinese has no spaces, so the full-text
 * index (bigram-index.ts) works on Han character pairs, and a query term is
 * whatever the user separated with spaces: every term must occur in an
 * article's text, checked against the text itself.
 */

/** The space-separated terms of a query, lower-cased like the indexed text. */
export function queryTerms(query: string): string[] {
  return query.toLowerCase().split(/\s+/).filter(Boolean);
}
