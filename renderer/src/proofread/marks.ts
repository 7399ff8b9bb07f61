import type { Editor } from '@tiptap/core';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';
import { type EditorState, Plugin, PluginKey, TextSelection, type Transaction } from '@tiptap/pm/state';
import { Mapping } from '@tiptap/pm/transform';
import { Decoration, DecorationSet, type EditorView } from '@tiptap/pm/view';
import type { Locale } from '../../../shared/domain/settings';
import { findingMessage } from '../../../shared/proofread/messages';
import type { Finding } from '../../../shared/proofread/types';
import { buildTextMap, type TextMap, textRangeToDocRanges } from '../review/text-map';

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

/** A finding's span in the document it was checked on. */
interface PlacedMark {
  from: number;
  to: number;
  finding: Finding;
}

/** Where each finding sits in `doc` (the document it was checked on), in document order. */
function placeFindings(doc: ProseMirrorNode, findings: readonly Finding[]): PlacedMark[] {
  const map = buildTextMap(doc);
  const placed: PlacedMark[] = [];
  for (const finding of findings) {
    if (finding.end <= finding.start) continue;
    for (const range of textRangeToDocRanges(map, finding.start, finding.end)) placed.push({ ...range, finding });
  }
  return placed.sort((a, b) => a.from - b.from);
}

/** The drawn form of marks: severity class, list key and a tooltip in `locale`. */
function drawMarks(doc: ProseMirrorNode, marks: readonly PlacedMark[], locale: Locale): DecorationSet {
  return DecorationSet.create(
    doc,
    marks.map(({ from, to, finding }) => {
      const message = findingMessage(finding, locale);
      // Only what stays the same while text is typed before it (no offsets, no objects): an unchanged
      // mark in the next answer then compares equal and ProseMirror leaves its element alone.
      return Decoration.inline(from, to, {
        class: `gz-proof gz-proof-${finding.severity}`,
        title: finding.suggestion ? `${message} → ${finding.suggestion}` : message,
      });
    }),
  );
}

/** Inline decorations for the findings, computed on the document the findings were checked on; tooltips in `locale`. */
export function proofDecorations(doc: ProseMirrorNode, findings: readonly Finding[], locale: Locale = 'zh-CN'): DecorationSet {
  return drawMarks(doc, placeFindings(doc, findings), locale);
}

/** Document positions whose marks are in the DOM; null means all of them. */
interface MarkRange {
  from: number;
  to: number;
}

interface ProofMarksState {
  /** Counts the answers shown (a new check's marks), not the edits that move them. */
  answer: number;
  /** Every finding's span in the document of the answer, sorted by `from`. */
  placed: readonly PlacedMark[];
  /**
   * The edits since that answer. Spans are mapped through it only when drawn:
   * mapping thousands of marks on every keystroke is what slowed typing.
   */
  since: Mapping;
  locale: Locale;
  /** The marks near what is on screen: the only ones drawn, moved along with edits. */
  drawn: DecorationSet;
  range: MarkRange | null;
}

/** A new answer (drawn where `range` says, when given) or a new range after scrolling. */
type ProofMarksMeta = { placed: readonly PlacedMark[]; locale: Locale; range?: MarkRange | null } | { range: MarkRange | null };

/** No finding spans more positions than this (a term, a sentence's start); lets a range lookup start early enough. */
const LONGEST_MARK = 1000;

/** The marks whose current span meets `range` (all of them for null), in today's positions. */
function marksIn(placed: readonly PlacedMark[], since: Mapping, range: MarkRange | null): PlacedMark[] {
  let first = 0;
  let last = placed.length;
  if (range) {
    // Back to the answer's positions to find the candidates, then forward to check them.
    const inverse = since.invert();
    const lowest = inverse.map(range.from, -1) - LONGEST_MARK;
    const highest = inverse.map(range.to, 1);
    let high = placed.length;
    while (first < high) {
      const middle = (first + high) >>> 1;
      if ((placed[middle] as PlacedMark).from < lowest) first = middle + 1;
      else high = middle;
    }
    last = first;
    while (last < placed.length && (placed[last] as PlacedMark).from <= highest) last++;
  }
  const marks: PlacedMark[] = [];
  for (let index = first; index < last; index++) {
    const mark = placed[index] as PlacedMark;
    // Like inline decorations, a mark does not grow with text typed at its edges.
    const from = since.map(mark.from, 1);
    const to = since.map(mark.to, -1);
    if (from >= to) continue;
    if (range && (to < range.from || from > range.to)) continue;
    marks.push({ from, to, finding: mark.finding });
  }
  return marks;
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
      init: () => ({ answer: 0, placed: [], since: new Mapping(), locale: 'zh-CN', drawn: DecorationSet.empty, range: null }),
      apply(tr: Transaction, value: ProofMarksState): ProofMarksState {
        const meta = tr.getMeta(proofMarksKey) as ProofMarksMeta | undefined;
        let range = meta?.range !== undefined ? meta.range : value.range;
        if (tr.docChanged && range) range = { from: tr.mapping.map(range.from, -1), to: tr.mapping.map(range.to, 1) };
        if (meta && 'placed' in meta) {
          const since = new Mapping();
          const drawn = drawMarks(tr.doc, marksIn(meta.placed, since, range), meta.locale);
          return { answer: value.answer + 1, placed: meta.placed, since, locale: meta.locale, drawn, range };
        }
        // A copy, not appendMapping: an older state must keep the mapping it had.
        const since = tr.docChanged ? new Mapping([...value.since.maps, ...tr.mapping.maps]) : value.since;
        if (meta) return { ...value, since, range, drawn: drawMarks(tr.doc, marksIn(value.placed, since, range), value.locale) };
        if (!tr.docChanged) return value;
        return { ...value, since, range, drawn: value.drawn.map(tr.mapping, tr.doc) };
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
        if (!state || state.placed.length === 0) return;
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
          // Only a new answer needs a look at the screen: measuring forces a layout, too dear for every keystroke.
          const before = proofMarksKey.getState(previous);
          const after = proofMarksKey.getState(updated.state);
          if (after && before?.answer !== after.answer) schedule();
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
  const meta: ProofMarksMeta = { placed: placeFindings(editor.state.doc, findings), locale, range: seen && rangeAround(editor.view, seen) };
  editor.view.dispatch(editor.state.tr.setMeta(proofMarksKey, meta).setMeta('addToHistory', false));
  return true;
}

/** The transaction that writes the suggestion over the finding's span, or null when the span's text has changed. */
export function fixTransaction(state: EditorState, finding: Finding): Transaction | null {
  const tr = state.tr;
  return writeFix(tr, buildTextMap(state.doc), finding) ? tr : null;
}

/**
 * Writes one fix into `tr`, with positions from `map` (the text before `tr`'s
 * edits): callers writing several go from the end of the text backwards, so
 * the positions of the ones still to come are not moved.
 */
function writeFix(tr: Transaction, map: TextMap, finding: Finding): boolean {
  if (finding.suggestion === undefined || finding.end <= finding.start) return false;
  if (map.text.slice(finding.start, finding.end) !== finding.text) return false;
  const ranges = textRangeToDocRanges(map, finding.start, finding.end);
  const first = ranges[0];
  const last = ranges.at(-1);
  if (!first || !last) return false;
  // A span across paragraphs is not a one-word fix; leave it to the writer.
  if (!tr.doc.resolve(first.from).sameParent(tr.doc.resolve(last.to))) return false;
  if (finding.suggestion === '') tr.delete(first.from, last.to);
  else tr.insertText(finding.suggestion, first.from, last.to);
  return true;
}

/**
 * Applies every finding's suggestion in one step (one undo brings them all
 * back); findings whose text has changed or that overlap one already fixed are
 * left alone. Returns how many were fixed.
 */
export function applySuggestions(editor: Editor, findings: readonly Finding[]): number {
  if (editor.isDestroyed || !editor.isEditable) return 0;
  const map = buildTextMap(editor.state.doc);
  const tr = editor.state.tr;
  let fixed = 0;
  let limit = Number.POSITIVE_INFINITY;
  for (const finding of [...findings].sort((a, b) => b.start - a.start)) {
    if (finding.end > limit) continue;
    if (writeFix(tr, map, finding)) {
      fixed++;
      limit = finding.start;
    }
  }
  if (fixed > 0) editor.view.dispatch(tr);
  return fixed;
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
  const { node } = editor.view.domAtPos(first.from);
  const element = node instanceof Element ? node : node.parentElement;
  element?.scrollIntoView?.({ block: 'center' });
  return true;
}

/**
 * The findings whose marks cover the character after document position
 * `pos`, as the marks stand now (moved along with edits since the check), so
 * a right-click on a mark finds its own finding even while the next check is
 * on its way, and not the one that ends just before it.
 */
export function findingsAt(state: EditorState, pos: number): Finding[] {
  const marks = proofMarksKey.getState(state);
  if (!marks) return [];
  return marksIn(marks.placed, marks.since, { from: pos, to: pos + 1 })
    .filter((mark) => mark.from <= pos && pos < mark.to)
    .map((mark) => mark.finding);
}
