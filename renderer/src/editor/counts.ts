import type { Node as PmNode } from '@tiptap/pm/model';
import { type CountedBlock, countBlocks, type TextCounts } from '../../../shared/text/count';

/** The inline text of a block, the way `textBlocks` (shared/proofread) reads it: hard breaks as '\n', image captions included. */
function inlineText(node: PmNode): string {
  return node.textBetween(0, node.content.size, '\n', (leaf: PmNode) => {
    if (leaf.type.name === 'image') return String(leaf.attrs.caption ?? '');
    if (leaf.type.name === 'hardBreak') return '\n';
    return '';
  });
}

/**
 * The doc's blocks in the order and shape of `textBlocks` (paragraphs,
 * headings and images; everything else is walked through), read straight
 * from the ProseMirror doc so counting while typing never needs a JSON round
 * trip. A test keeps the two in step on the same document.
 */
export function* countedBlocksOf(doc: PmNode): Generator<CountedBlock> {
  const stack: PmNode[] = [doc];
  while (stack.length > 0) {
    const node = stack.pop() as PmNode;
    const name = node.type.name;
    if (name === 'image') yield { text: String(node.attrs.caption ?? ''), image: true };
    else if (name === 'paragraph' || name === 'heading') yield { text: inlineText(node), image: false };
    else for (let i = node.childCount - 1; i >= 0; i--) stack.push(node.child(i));
  }
}

/** 字数 and friends for the editor's current doc: the same {@link countBlocks} the 校对 tab uses. */
export function countDoc(doc: PmNode): TextCounts {
  return countBlocks(countedBlocksOf(doc));
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
