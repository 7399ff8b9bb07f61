import type { Editor } from '@tiptap/core';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { type EditorState, Plugin, PluginKey, TextSelection, type Transaction } from '@tiptap/pm/state';
import { Decoration, DecorationSet } from '@tiptap/pm/view';
import type { Finding } from '../../../shared/proofread/types';
import { buildTextMap, textRangeToDocRanges } from '../review/text-map';

/** A finding with its position in the list, so a mark can point back to its list item. */
export interface MarkedFinding {
  key: string;
  finding: Finding;
}

/** A key that stays the same for the same problem at the same place (list items, overrides). */
export function findingKey(finding: Finding): string {
  return `${finding.rule}@${finding.start}:${finding.text}`;
}

const proofMarksKey = new PluginKey<DecorationSet>('gazetteProofMarks');

/** Inline decorations for the findings, computed on the document the findings were checked on. */
export function proofDecorations(doc: ProseMirrorNode, findings: readonly Finding[]): DecorationSet {
  const map = buildTextMap(doc);
  const decorations: Decoration[] = [];
  for (const finding of findings) {
    if (finding.end <= finding.start) continue;
    for (const range of textRangeToDocRanges(map, finding.start, finding.end)) {
      decorations.push(
        Decoration.inline(range.from, range.to, {
          class: `gz-proof gz-proof-${finding.severity}`,
          'data-proof-key': findingKey(finding),
          title: finding.suggestion ? `${finding.message} → ${finding.suggestion}` : finding.message,
        }),
      );
    }
  }
  return DecorationSet.create(doc, decorations);
}

/**
 * Shows the findings as marks. Marks from the last check move with later edits
 * until the next answer replaces them, so they never jump onto other words.
 */
export function proofMarksPlugin(): Plugin<DecorationSet> {
  return new Plugin<DecorationSet>({
    key: proofMarksKey,
    state: {
      init: () => DecorationSet.empty,
      apply(tr: Transaction, value: DecorationSet): DecorationSet {
        const next = tr.getMeta(proofMarksKey) as DecorationSet | undefined;
        if (next) return next;
        return tr.docChanged ? value.map(tr.mapping, tr.doc) : value;
      },
    },
    props: {
      decorations: (state) => proofMarksKey.getState(state) ?? DecorationSet.empty,
    },
  });
}

/**
 * Replaces the marks with `findings` when they were computed on the document
 * the editor shows now; an answer for an older document is ignored (its
 * offsets would land on the wrong words, and a newer check is on its way).
 */
export function showProofMarks(editor: Editor, checkedDoc: ProseMirrorNode, findings: readonly Finding[]): boolean {
  if (editor.isDestroyed) return false;
  if (proofMarksKey.getState(editor.state) === undefined) editor.registerPlugin(proofMarksPlugin());
  if (!editor.state.doc.eq(checkedDoc)) return false;
  const tr = editor.state.tr.setMeta(proofMarksKey, proofDecorations(editor.state.doc, findings)).setMeta('addToHistory', false);
  editor.view.dispatch(tr);
  return true;
}

/** The transaction that writes the suggestion over the finding's span, or null when the span's text has changed. */
export function fixTransaction(state: EditorState, finding: Finding): Transaction | null {
  if (finding.suggestion === undefined || finding.end <= finding.start) return null;
  const map = buildTextMap(state.doc);
  if (map.text.slice(finding.start, finding.end) !== finding.text) return null;
  const ranges = textRangeToDocRanges(map, finding.start, finding.end);
  const first = ranges[0];
  const last = ranges.at(-1);
  if (!first || !last) return null;
  const $from = state.doc.resolve(first.from);
  const $to = state.doc.resolve(last.to);
  // A span across paragraphs is not a one-word fix; leave it to the writer.
  if (!$from.sameParent($to)) return null;
  const tr = state.tr;
  if (finding.suggestion === '') tr.delete(first.from, last.to);
  else tr.insertText(finding.suggestion, first.from, last.to);
  return tr;
}

/** Applies the finding's suggestion; false when the text there is no longer what was checked. */
export function applySuggestion(editor: Editor, finding: Finding): boolean {
  if (editor.isDestroyed || !editor.isEditable) return false;
  const tr = fixTransaction(editor.state, finding);
  if (!tr) return false;
  editor.view.dispatch(tr);
  return true;
}

/** Selects the finding's span and scrolls it into view. */
export function revealFinding(editor: Editor, finding: Finding): boolean {
  if (editor.isDestroyed || finding.end <= finding.start) return false;
  const map = buildTextMap(editor.state.doc);
  const ranges = textRangeToDocRanges(map, finding.start, finding.end);
  const first = ranges[0];
  const last = ranges.at(-1);
  if (!first || !last) return false;
  const tr = editor.state.tr.setSelection(TextSelection.create(editor.state.doc, first.from, last.to)).scrollIntoView();
  editor.view.dispatch(tr);
  editor.view.focus();
  const mark = editor.view.dom.querySelector(`[data-proof-key="${CSS.escape(findingKey(finding))}"]`);
  mark?.scrollIntoView?.({ block: 'center' });
  return true;
}
