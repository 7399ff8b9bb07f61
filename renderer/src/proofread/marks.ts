import type { Editor } from '@tiptap/core';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { type EditorState, Plugin, PluginKey, TextSelection, type Transaction } from '@tiptap/pm/state';
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view';
import type { Locale } from '../../../shared/domain/settings';
import { findingMessage } from '../../../shared/proofread/messages';
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

const proofMarksKey = new PluginKey<ProofMarksState>('gazetteProofMarks');

/** Where each finding sits in `doc` (the document it was checked on); no DOM attributes yet. */
function placeFindings(doc: ProseMirrorNode, findings: readonly Finding[]): DecorationSet {
  const map = buildTextMap(doc);
  const decorations: Decoration[] = [];
  for (const finding of findings) {
    if (finding.end <= finding.start) continue;
    for (const range of textRangeToDocRanges(map, finding.start, finding.end)) {
      decorations.push(Decoration.inline(range.from, range.to, {}, { finding }));
    }
  }
  return DecorationSet.create(doc, decorations);
}

/** The drawn form of placed marks: severity class, list key and a tooltip in `locale`. */
function drawMarks(doc: ProseMirrorNode, placed: readonly Decoration[], locale: Locale): DecorationSet {
  return DecorationSet.create(
    doc,
    placed.map((mark) => {
      const finding = (mark.spec as { finding: Finding }).finding;
      const message = findingMessage(finding, locale);
      return Decoration.inline(
        mark.from,
        mark.to,
        {
          class: `gz-proof gz-proof-${finding.severity}`,
          'data-proof-key': findingKey(finding),
          title: finding.suggestion ? `${message} → ${finding.suggestion}` : message,
        },
        mark.spec,
      );
    }),
  );
}

/** Inline decorations for the findings, computed on the document the findings were checked on; tooltips in `locale`. */
export function proofDecorations(doc: ProseMirrorNode, findings: readonly Finding[], locale: Locale = 'zh-CN'): DecorationSet {
  return drawMarks(doc, placeFindings(doc, findings).find(), locale);
}

/** Document positions whose marks are in the DOM; null means all of them. */
interface MarkRange {
  from: number;
  to: number;
}

interface ProofMarksState {
  /** Every finding's place, moved along with edits. */
  all: DecorationSet;
  locale: Locale;
  /** The marks near what is on screen: the only ones drawn. */
  drawn: DecorationSet;
  range: MarkRange | null;
}

/** A new set of marks (drawn where `range` says, when given) or a new range after scrolling. */
type ProofMarksMeta = { all: DecorationSet; locale: Locale; range?: MarkRange | null } | { range: MarkRange | null };

function marksIn(doc: ProseMirrorNode, all: DecorationSet, range: MarkRange | null, locale: Locale): DecorationSet {
  return drawMarks(doc, range ? all.find(range.from, range.to) : all.find(), locale);
}

/** The document range on screen, from the editor's scroll container; null where nothing is laid out (tests). */
function visibleRange(view: EditorView): MarkRange | null {
  try {
    const box = view.dom.getBoundingClientRect();
    const scroller = scrollParent(view.dom);
    const port = scroller ? scroller.getBoundingClientRect() : { top: 0, bottom: window.innerHeight };
    const top = Math.max(box.top, port.top) + 2;
    const bottom = Math.min(box.bottom, port.bottom) - 2;
    if (bottom <= top || box.width === 0) return null;
    const left = box.left + box.width / 2;
    const from = view.posAtCoords({ left, top })?.pos;
    const to = view.posAtCoords({ left, top: bottom })?.pos;
    if (from === undefined || to === undefined) return null;
    return { from: Math.min(from, to), to: Math.max(from, to) };
  } catch {
    return null;
  }
}

/** The visible range with a screen's worth either side, so ordinary scrolling finds its marks already drawn. */
function rangeAround(view: EditorView, seen: MarkRange): MarkRange {
  const margin = seen.to - seen.from;
  return { from: Math.max(0, seen.from - margin), to: Math.min(view.state.doc.content.size, seen.to + margin) };
}

function scrollParent(element: HTMLElement): HTMLElement | null {
  for (let node = element.parentElement; node; node = node.parentElement) {
    const overflow = getComputedStyle(node).overflowY;
    if (overflow === 'auto' || overflow === 'scroll') return node;
  }
  return null;
}

/**
 * Shows the findings as marks. Marks from the last check move with later edits
 * until the next answer replaces them, so they never jump onto other words.
 * Only the marks within a screen of what is visible are in the DOM: thousands
 * of mark elements in a long article cost every keystroke a re-layout
 * (measured by bench/editor.ts), while the user only ever sees one screen.
 */
export function proofMarksPlugin(): Plugin<ProofMarksState> {
  return new Plugin<ProofMarksState>({
    key: proofMarksKey,
    state: {
      init: () => ({ all: DecorationSet.empty, locale: 'zh-CN', drawn: DecorationSet.empty, range: null }),
      apply(tr: Transaction, value: ProofMarksState): ProofMarksState {
        const meta = tr.getMeta(proofMarksKey) as ProofMarksMeta | undefined;
        const all = meta && 'all' in meta ? meta.all : tr.docChanged ? value.all.map(tr.mapping, tr.doc) : value.all;
        const locale = meta && 'locale' in meta ? meta.locale : value.locale;
        let range = meta?.range !== undefined ? meta.range : value.range;
        if (tr.docChanged && range) range = { from: tr.mapping.map(range.from, -1), to: tr.mapping.map(range.to, 1) };
        if (meta) return { all, locale, range, drawn: marksIn(tr.doc, all, range, locale) };
        return { all, locale, range, drawn: tr.docChanged ? value.drawn.map(tr.mapping, tr.doc) : value.drawn };
      },
    },
    props: {
      decorations: (state) => proofMarksKey.getState(state)?.drawn ?? DecorationSet.empty,
    },
    view(view) {
      let frame = 0;
      const measure = () => {
        frame = 0;
        if (view.isDestroyed) return;
        const state = proofMarksKey.getState(view.state);
        if (!state || state.all === DecorationSet.empty) return;
        const seen = visibleRange(view);
        if (seen && state.range && seen.from >= state.range.from && seen.to <= state.range.to) return;
        const range = seen && rangeAround(view, seen);
        if (range === null && state.range === null) return;
        view.dispatch(view.state.tr.setMeta(proofMarksKey, { range }).setMeta('addToHistory', false));
      };
      const schedule = () => {
        if (!frame) frame = requestAnimationFrame(measure);
      };
      const scroller = scrollParent(view.dom);
      const target: HTMLElement | Window = scroller ?? window;
      target.addEventListener('scroll', schedule, { passive: true });
      window.addEventListener('resize', schedule);
      return {
        update(updated, previous) {
          const before = proofMarksKey.getState(previous);
          const after = proofMarksKey.getState(updated.state);
          if (after && before?.all !== after.all) schedule();
        },
        destroy() {
          if (frame) cancelAnimationFrame(frame);
          target.removeEventListener('scroll', schedule);
          window.removeEventListener('resize', schedule);
        },
      };
    },
  });
}

/**
 * Replaces the marks with `findings` when they were computed on the document
 * the editor shows now; an answer for an older document is ignored (its
 * offsets would land on the wrong words, and a newer check is on its way).
 */
export function showProofMarks(editor: Editor, checkedDoc: ProseMirrorNode, findings: readonly Finding[], locale: Locale): boolean {
  if (editor.isDestroyed) return false;
  if (proofMarksKey.getState(editor.state) === undefined) editor.registerPlugin(proofMarksPlugin());
  if (!editor.state.doc.eq(checkedDoc)) return false;
  const seen = visibleRange(editor.view);
  const meta: ProofMarksMeta = { all: placeFindings(editor.state.doc, findings), locale, range: seen && rangeAround(editor.view, seen) };
  editor.view.dispatch(editor.state.tr.setMeta(proofMarksKey, meta).setMeta('addToHistory', false));
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
