import type { Editor } from '@tiptap/core';
import { DOMParser as PmDOMParser } from '@tiptap/pm/model';
import { Plugin, PluginKey, TextSelection } from '@tiptap/pm/state';
import { escapeHtml } from '../../../../shared/html/serialize';
import { cleanPastedHtml, clipboardFragment } from './clean-html';
import { embeddedImageSources } from './images';

/** Above this size a paste is cleaned and inserted in slices so the UI never freezes. */
export const LARGE_PASTE_CHARS = 150_000;
const CHUNK_CHARS = 250_000;
/** Slices are processed back to back until a task has used this much time. */
const TASK_BUDGET_MS = 100;

/** The event the editor's DOM receives when a chunked paste has been fully inserted. */
export const PASTE_COMPLETE_EVENT = 'gz-paste-complete';

const PASTE_LOCK = new PluginKey('gzLargePasteLock');
const CONTAINERS = new Set(['table', 'ul', 'ol', 'blockquote']);
const BLOCK_ENDS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'ul', 'ol', 'blockquote']);

/**
 * Splits HTML between top-level blocks, roughly every `target` characters,
 * never inside a table or list, a conditional comment, or a run of Word list
 * paragraphs (they only become one list if they are cleaned together). A
 * generator, so the scan of a 10 MB paste is spread over the slices too.
 */
export function* htmlBlockChunks(html: string, target: number): Generator<string> {
  const tags = /<!--[\s\S]*?-->|<(\/?)([a-z][a-z0-9]*)\b[^>]*>/gi;
  let depth = 0;
  let chunkStart = 0;
  for (let match = tags.exec(html); match; match = tags.exec(html)) {
    if (match[2] === undefined) continue;
    const closing = match[1] === '/';
    const name = match[2].toLowerCase();
    if (CONTAINERS.has(name)) depth = Math.max(0, depth + (closing ? -1 : 1));
    if (!closing || depth > 0 || !BLOCK_ENDS.has(name)) continue;
    const end = match.index + match[0].length;
    if (end - chunkStart < target) continue;
    if (/^\s*<p\b[^>]*mso-list/i.test(html.slice(end, end + 600))) continue;
    const chunk = html.slice(chunkStart, end);
    chunkStart = end;
    if (chunk.trim() !== '') yield chunk;
  }
  const rest = html.slice(chunkStart);
  if (rest.trim() !== '') yield rest;
}

/** All chunks at once (see {@link htmlBlockChunks}). */
export function splitHtmlBlocks(html: string, target: number): string[] {
  return [...htmlBlockChunks(html, target)];
}

/** Plain text as paragraphs, for pastes that carry no HTML. */
export function textToHtml(text: string): string {
  return text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => `<p>${escapeHtml(line)}</p>`)
    .join('\n');
}

function nextFrame(): Promise<void> {
  // setTimeout lets the browser paint and handle input between slices.
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** What a chunked paste reports back to the editor component. */
export interface LargePasteResult {
  droppedImages: number;
  embeddedImages: string[];
  failedChunks: number;
}

/**
 * Cleans and inserts a very large paste slice by slice, each slice its own
 * short task, so a 10 MB Word paste never blocks the page for long. Other
 * document changes are refused meanwhile so the insertion point stays valid.
 */
export async function pasteLargeContent(
  editor: Editor,
  payload: { html: string } | { text: string },
): Promise<LargePasteResult> {
  const result: LargePasteResult = { droppedImages: 0, embeddedImages: [], failedChunks: 0 };
  const isHtml = 'html' in payload;
  // Office junk is stripped per slice (cleanPastedHtml does it) to keep every task short.
  const source = isHtml ? clipboardFragment(payload.html) : textToHtml(payload.text);
  const parser = PmDOMParser.fromSchema(editor.schema);
  const embedded = new Set<string>();
  // While the DOM selection sits in the editor, ProseMirror re-places it after
  // every slice, and each placement forces Chromium to lay out the whole
  // document: with the selection parked outside, a slice costs only its own size.
  // (Making the editor read-only instead would make ProseMirror read the DOM
  // selection on every update, which costs the same.)
  const hadFocus = editor.view.hasFocus();
  editor.view.dom.blur();
  editor.view.dom.ownerDocument.getSelection()?.removeAllRanges();
  // Until the last slice is in, only the paste may change the document.
  editor.registerPlugin(
    new Plugin({ key: PASTE_LOCK, filterTransaction: (tr) => !tr.docChanged || tr.getMeta(PASTE_LOCK) === true }),
  );
  let insertAt: number | null = null;
  let taskStarted = performance.now();
  try {
    for (const chunk of htmlBlockChunks(source, CHUNK_CHARS)) {
      if (performance.now() - taskStarted > TASK_BUDGET_MS) {
        await nextFrame();
        taskStarted = performance.now();
      }
      if (editor.isDestroyed) return result;
      let html: string;
      try {
        if (isHtml) {
          const cleaned = cleanPastedHtml(chunk);
          result.droppedImages += cleaned.droppedImages;
          html = cleaned.html;
        } else {
          html = chunk;
        }
      } catch {
        result.failedChunks++;
        const text = new DOMParser().parseFromString(chunk, 'text/html').body.textContent ?? '';
        html = textToHtml(text);
      }
      // A detached document: nothing in the pasted markup is loaded or run.
      const body = new DOMParser().parseFromString(`<body>${html}</body>`, 'text/html').body;
      const slice = parser.parseSlice(body);
      for (const src of embeddedImageSources(slice)) embedded.add(src);
      // Pasted links are already links; scanning 100 kB of text for URLs per slice is not worth it.
      const tr = editor.state.tr;
      if (insertAt !== null) tr.setSelection(TextSelection.near(tr.doc.resolve(Math.min(insertAt, tr.doc.content.size))));
      tr.replaceSelection(slice).setMeta(PASTE_LOCK, true).setMeta('preventAutolink', true);
      insertAt = tr.selection.to;
      editor.view.dispatch(tr);
    }
  } finally {
    if (!editor.isDestroyed) {
      editor.unregisterPlugin(PASTE_LOCK);
      if (hadFocus) editor.commands.focus(null, { scrollIntoView: true });
      editor.view.dom.dispatchEvent(new CustomEvent(PASTE_COMPLETE_EVENT));
    }
  }
  result.embeddedImages = [...embedded];
  return result;
}
