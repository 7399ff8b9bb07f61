import type { Editor } from '@tiptap/core';
import { commentHighlightKey, commentHighlightPlugin, type HighlightedPassage, setHighlights } from './comment-highlight';
import { buildTextMap, selectionToTextRange } from './text-map';

/** A passage picked for a comment, in plain-text offsets of the current text. */
export interface SelectedPassage {
  start: number;
  end: number;
  quote: string;
}

/**
 * The selected passage. A read-only view may not have moved the editor's own
 * selection, so the browser's selection inside the editor is the fallback.
 */
export function selectedPassage(editor: Editor): SelectedPassage | null {
  const map = buildTextMap(editor.state.doc);
  let { from, to } = editor.state.selection;
  if (from === to) {
    const dom = globalThis.getSelection?.();
    if (!dom || dom.rangeCount === 0 || dom.isCollapsed) return null;
    const range = dom.getRangeAt(0);
    if (!editor.view.dom.contains(range.startContainer) || !editor.view.dom.contains(range.endContainer)) return null;
    try {
      from = editor.view.posAtDOM(range.startContainer, range.startOffset);
      to = editor.view.posAtDOM(range.endContainer, range.endOffset);
    } catch {
      return null;
    }
  }
  const found = selectionToTextRange(map, Math.min(from, to), Math.max(from, to));
  if (!found) return null;
  return { ...found, quote: map.text.slice(found.start, found.end) };
}

/** Shows the commented passages in the editor. */
export function showHighlights(editor: Editor, passages: HighlightedPassage[], activeId: string | null): void {
  if (editor.isDestroyed) return;
  // Registered on first use so the writer's editor carries no review machinery until review starts.
  if (commentHighlightKey.getState(editor.state) === undefined) editor.registerPlugin(commentHighlightPlugin());
  editor.view.dispatch(setHighlights(editor.state, passages, activeId));
}

/** Scrolls the passage of a comment into view. */
export function scrollToComment(editor: Editor, commentId: string): void {
  if (editor.isDestroyed) return;
  const mark = editor.view.dom.querySelector(`[data-comment-id="${CSS.escape(commentId)}"]`);
  mark?.scrollIntoView({ block: 'center', behavior: 'smooth' });
}
