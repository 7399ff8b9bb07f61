import type { Transaction } from '@tiptap/pm/state';
import { ReplaceStep } from '@tiptap/pm/transform';
import type { Editor } from '@tiptap/react';
import { useEffect, useState } from 'react';
import { selectToolbarState, type ToolbarState } from './toolbar-state';

/** How late the toolbar may catch up with the text when the browser is never idle. */
const CATCH_UP_MS = 100;
/**
 * While the writer types, at most one update per this interval: typing in a
 * paragraph rarely changes a button (撤销 after the first key), and every
 * update still costs work the next keystroke competes with.
 */
const TYPING_INTERVAL_MS = 250;

function sameState(a: ToolbarState, b: ToolbarState): boolean {
  for (const key of Object.keys(a) as (keyof ToolbarState)[]) if (a[key] !== b[key]) return false;
  return true;
}

/** Text typed, deleted or split at a caret: replaced text only, no marks or block types changed, nothing left selected. */
function isTyping(transaction: Transaction): boolean {
  return transaction.docChanged && transaction.selection.empty && transaction.steps.every((step) => step instanceof ReplaceStep);
}

function afterTyping(callback: () => void): () => void {
  let cancelIdle: (() => void) | null = null;
  const timer = window.setTimeout(() => {
    cancelIdle = whenIdle(callback);
  }, TYPING_INTERVAL_MS);
  return () => {
    window.clearTimeout(timer);
    cancelIdle?.();
  };
}

function whenIdle(callback: () => void): () => void {
  if (typeof window.requestIdleCallback === 'function') {
    const handle = window.requestIdleCallback(callback, { timeout: CATCH_UP_MS });
    return () => window.cancelIdleCallback(handle);
  }
  const handle = window.setTimeout(callback, 0);
  return () => window.clearTimeout(handle);
}

/**
 * The toolbar's state, worked out after the keystroke's frame is painted
 * rather than inside every transaction: asking `can()` of twenty commands
 * costs more than a keystroke in a bare editor, and a button that turns bold
 * a few milliseconds later is not something a writer sees. Several
 * transactions in a row are summed up in one update; while the text changes,
 * at most one per TYPING_INTERVAL_MS.
 */
export function useToolbarState(editor: Editor): ToolbarState {
  const [state, setState] = useState(() => selectToolbarState({ editor, transactionNumber: 0 }));
  useEffect(() => {
    let cancel: (() => void) | null = null;
    let transactions = 0;
    const refresh = () => {
      cancel = null;
      if (editor.isDestroyed) return;
      const next = selectToolbarState({ editor, transactionNumber: transactions });
      setState((previous) => (sameState(previous, next) ? previous : next));
    };
    let typing = false;
    const onTransaction = ({ transaction }: { transaction: Transaction }) => {
      transactions++;
      const typed = isTyping(transaction);
      // Anything but typing (a click, an arrow key, a button like 加粗) is when the writer looks at the buttons: no waiting.
      if (!typed && typing) {
        cancel?.();
        cancel = null;
      }
      if (cancel) return;
      typing = typed;
      cancel = typing ? afterTyping(refresh) : whenIdle(refresh);
    };
    editor.on('transaction', onTransaction);
    // The editor may have changed between the first render and this effect.
    refresh();
    return () => {
      editor.off('transaction', onTransaction);
      cancel?.();
    };
  }, [editor]);
  return state;
}
