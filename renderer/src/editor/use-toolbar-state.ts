import type { Editor } from '@tiptap/react';
import { useEffect, useState } from 'react';
import { selectToolbarState, type ToolbarState } from './toolbar-state';

/** How late the toolbar may catch up with the text when the browser is never idle. */
const CATCH_UP_MS = 100;

function sameState(a: ToolbarState, b: ToolbarState): boolean {
  for (const key of Object.keys(a) as (keyof ToolbarState)[]) if (a[key] !== b[key]) return false;
  return true;
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
 * transactions in a row are summed up in one update.
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
    const onTransaction = () => {
      transactions++;
      cancel ??= whenIdle(refresh);
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
