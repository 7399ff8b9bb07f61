import { z } from 'zod';

/** Characters of context kept on each side of a quoted passage. */
export const ANCHOR_CONTEXT_CHARS = 32;

/**
 * Where a comment points in the article's plain text (docToPlainText). Offsets
 * alone break on the first edit above the passage, so the quoted text and
 * its surroundings are kept too (the W3C "text quote" idea) and the passage
 * is found again by content.
 */
export const TextAnchorSchema = z.object({
  quote: z.string().min(1),
  prefix: z.string(),
  suffix: z.string(),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
});
export type TextAnchor = z.infer<typeof TextAnchorSchema>;

/** A resolved position in the current text, [start, end) in UTF-16 units. */
export interface TextRange {
  start: number;
  end: number;
}

/** Anchors the passage [start, end) of `text`; null for an empty or out-of-range selection. */
export function createAnchor(text: string, start: number, end: number): TextAnchor | null {
  if (!(Number.isInteger(start) && Number.isInteger(end)) || start < 0 || end > text.length || start >= end) {
    return null;
  }
  return {
    quote: text.slice(start, end),
    prefix: text.slice(Math.max(0, start - ANCHOR_CONTEXT_CHARS), start),
    suffix: text.slice(end, end + ANCHOR_CONTEXT_CHARS),
    start,
    end,
  };
}

/**
 * Finds the anchored passage in a later version of the text: among exact
 * occurrences of the quote, the one whose surroundings match best, then the
 * one nearest the old position. Null when the passage itself did not survive
 * (the comment is then shown as detached, never pinned to the wrong words).
 */
export function locateAnchor(text: string, anchor: TextAnchor): TextRange | null {
  if (!anchor.quote) return null;
  let best: { start: number; score: number; distance: number } | null = null;
  for (let at = text.indexOf(anchor.quote); at !== -1; at = text.indexOf(anchor.quote, at + 1)) {
    const score =
      commonSuffixLength(text.slice(Math.max(0, at - anchor.prefix.length), at), anchor.prefix) +
      commonPrefixLength(text.slice(at + anchor.quote.length, at + anchor.quote.length + anchor.suffix.length), anchor.suffix);
    const distance = Math.abs(at - anchor.start);
    if (!best || score > best.score || (score === best.score && distance < best.distance)) {
      best = { start: at, score, distance };
    }
  }
  return best ? { start: best.start, end: best.start + anchor.quote.length } : null;
}

function commonPrefixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  return i;
}

function commonSuffixLength(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(a.length - 1 - i) === b.charCodeAt(b.length - 1 - i)) i++;
  return i;
}
