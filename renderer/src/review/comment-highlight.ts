import { Plugin, PluginKey, type EditorState, type Transaction } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import { buildTextMap, textRangeToDocRanges } from './text-map';

/** A commented passage, in plain-text offsets of the current text. */
export interface HighlightedPassage {
  id: string;
  start: number;
  end: number;
}

interface HighlightState {
  passages: HighlightedPassage[];
  activeId: string | null;
  decorations: DecorationSet;
}

type HighlightMeta = { passages: HighlightedPassage[]; activeId: string | null };

/** The plugin's key; use {@link setHighlights} rather than dispatching meta by hand. */
export const commentHighlightKey = new PluginKey<HighlightState>('gazetteCommentHighlight');

function decorate(state: Pick<EditorState, 'doc'>, passages: HighlightedPassage[], activeId: string | null): DecorationSet {
  if (passages.length === 0) return DecorationSet.empty;
  const map = buildTextMap(state.doc);
  const decorations: Decoration[] = [];
  for (const passage of passages) {
    const active = passage.id === activeId;
    for (const range of textRangeToDocRanges(map, passage.start, passage.end)) {
      decorations.push(
        Decoration.inline(range.from, range.to, {
          class: active ? 'gz-comment-mark is-active' : 'gz-comment-mark',
          'data-comment-id': passage.id,
        }),
      );
    }
  }
  return DecorationSet.create(state.doc, decorations);
}

/**
 * Highlights commented passages. The passages come from the services (located
 * in the saved text); while someone edits, the decorations are mapped through
 * the edits so they stay on their words until the next refresh.
 */
export function commentHighlightPlugin(): Plugin<HighlightState> {
  return new Plugin<HighlightState>({
    key: commentHighlightKey,
    state: {
      init: () => ({ passages: [], activeId: null, decorations: DecorationSet.empty }),
      apply(tr: Transaction, value: HighlightState, _old: EditorState, next: EditorState): HighlightState {
        const meta = tr.getMeta(commentHighlightKey) as HighlightMeta | undefined;
        if (meta) return { ...meta, decorations: decorate(next, meta.passages, meta.activeId) };
        if (tr.docChanged) return { ...value, decorations: value.decorations.map(tr.mapping, tr.doc) };
        return value;
      },
    },
    props: {
      decorations(state) {
        return commentHighlightKey.getState(state)?.decorations ?? DecorationSet.empty;
      },
    },
  });
}

/** A transaction that replaces the highlighted passages (and which one is active). */
export function setHighlights(state: EditorState, passages: HighlightedPassage[], activeId: string | null): Transaction {
  return state.tr.setMeta(commentHighlightKey, { passages, activeId } satisfies HighlightMeta).setMeta('addToHistory', false);
}
