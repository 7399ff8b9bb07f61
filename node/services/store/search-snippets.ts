import type { MarkedText, SearchSnippet } from '../../../shared/api/contract/articles';

/** Characters of context shown on each side of the first match in the body. */
const CONTEXT = 40;

/** Every [start, end) where one of the terms occurs in `text`, merged where they overlap. */
function findMarks(text: string, terms: readonly string[], from = 0, to = text.length): [number, number][] {
  const found: [number, number][] = [];
  for (const term of terms) {
    for (let at = text.indexOf(term, from); at !== -1 && at + term.length <= to; at = text.indexOf(term, at + term.length)) {
      found.push([at, at + term.length]);
    }
  }
  found.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const mark of found) {
    const last = merged.at(-1);
    if (last && mark[0] <= last[1]) last[1] = Math.max(last[1], mark[1]);
    else merged.push([mark[0], mark[1]]);
  }
  return merged;
}

/**
 * Where an article matched a query: its title with the matched parts, and a
 * stretch of the rest of its text around the first match. `title` is the
 * title as written; `text` the lower-cased search text (title first, then the
 * other fields and the body, one per line); `terms` lower-cased.
 */
export function searchSnippet(title: string, text: string, terms: readonly string[]): SearchSnippet {
  const titleMarks = findMarks(title.toLowerCase(), terms);
  const restStart = text.indexOf('\n') + 1;
  let first = -1;
  let firstLength = 0;
  if (restStart > 0) {
    for (const term of terms) {
      const at = text.indexOf(term, restStart);
      if (at !== -1 && (first === -1 || at < first)) {
        first = at;
        firstLength = term.length;
      }
    }
  }
  let body: MarkedText | null = null;
  if (first !== -1) {
    const start = Math.max(restStart, first - CONTEXT);
    const end = Math.min(text.length, first + firstLength + CONTEXT);
    const lead = start > restStart ? '…' : '';
    const tail = end < text.length ? '…' : '';
    const excerpt = text.slice(start, end).replaceAll('\n', ' ');
    const marks = findMarks(text, terms, start, end).map(([a, b]): [number, number] => [a - start + lead.length, b - start + lead.length]);
    body = { text: `${lead}${excerpt}${tail}`, marks };
  }
  return { title: titleMarks.length > 0 ? { text: title, marks: titleMarks } : null, body };
}
