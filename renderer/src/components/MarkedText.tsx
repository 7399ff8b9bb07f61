import type { ReactNode } from 'react';
import type { MarkedText as MarkedTextValue } from '../../../shared/api/contract/articles';

/**
 * Text with the parts a search matched in `<mark>`, built as React elements
 * (the text is never parsed as HTML). Marks that overlap, run backwards or fall
 * outside the text are skipped rather than trusted.
 */
export function MarkedText({ value }: { value: MarkedTextValue }) {
  const parts: ReactNode[] = [];
  let at = 0;
  for (const [start, end] of value.marks) {
    if (!Number.isInteger(start) || !Number.isInteger(end) || start < at || end <= start || end > value.text.length) continue;
    if (start > at) parts.push(value.text.slice(at, start));
    parts.push(<mark key={start}>{value.text.slice(start, end)}</mark>);
    at = end;
  }
  if (at < value.text.length) parts.push(value.text.slice(at));
  return <>{parts}</>;
}
