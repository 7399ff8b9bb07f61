import type { Node as PmNode } from '@tiptap/pm/model';
import {
  addTotals,
  type BlockTotals,
  type CountedBlock,
  countBlock,
  emptyTotals,
  finishCounts,
  type TextCounts,
} from '../../../shared/text/count';

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

/**
 * Totals per node. ProseMirror nodes never change, and a transaction builds
 * its new doc sharing every node it did not touch, so after a keystroke only
 * the edited paragraph and its ancestors are missing here: counting costs
 * one paragraph plus a lookup per sibling instead of the whole article.
 */
const totalsByNode = new WeakMap<PmNode, BlockTotals>();

function totalsOf(node: PmNode): BlockTotals {
  const known = totalsByNode.get(node);
  if (known) return known;
  let totals: BlockTotals;
  const name = node.type.name;
  // The same blocks, in the same shape, as countedBlocksOf.
  if (name === 'image') totals = countBlock({ text: String(node.attrs.caption ?? ''), image: true });
  else if (name === 'paragraph' || name === 'heading') totals = countBlock({ text: inlineText(node), image: false });
  else {
    totals = emptyTotals();
    for (let i = 0; i < node.childCount; i++) addTotals(totals, totalsOf(node.child(i)));
  }
  totalsByNode.set(node, totals);
  return totals;
}

/** 字数 and friends for the editor's current doc: the same {@link countBlock} the 校对 tab sums, kept per block so only edited blocks are counted again. */
export function countDoc(doc: PmNode): TextCounts {
  return finishCounts(totalsOf(doc));
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
