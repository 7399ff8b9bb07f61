import type { Node as PmNode } from '@tiptap/pm/model';
import { countText, type TextCounts } from '../../../shared/text/count';

/**
 * The doc's plain text the way docToPlainText builds it (blocks on their own
 * lines, image captions included), read straight from the ProseMirror doc so
 * counting never needs a JSON round trip.
 */
export function plainTextOf(doc: PmNode): string {
  return doc.textBetween(0, doc.content.size, '\n', (leaf: PmNode) => {
    if (leaf.type.name === 'image') return String(leaf.attrs.caption ?? '');
    if (leaf.type.name === 'hardBreak') return '\n';
    return '';
  });
}

/** 字数 and friends for the editor's current doc. */
export function countDoc(doc: PmNode): TextCounts {
  return countText(plainTextOf(doc));
}

/** A tiny external store so only the status bar re-renders when counts change. */
export interface CountsStore {
  get(): TextCounts | null;
  set(counts: TextCounts): void;
  subscribe(listener: () => void): () => void;
}

/** Creates a {@link CountsStore}. */
export function createCountsStore(): CountsStore {
  let value: TextCounts | null = null;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set(counts) {
      value = counts;
      for (const listener of listeners) listener();
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
