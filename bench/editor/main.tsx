import { type Editor, EditorContent, useEditor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { createRef, useEffect } from 'react';
import { flushSync } from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import type { Doc } from '../../shared/domain/doc';
import { ArticleEditor, type ArticleEditorHandle } from '../../renderer/src/editor/ArticleEditor';
import { countDoc, countedBlocksOf } from '../../renderer/src/editor/counts';
import { countBlocks } from '../../shared/text/count';
import { cleanPastedHtml } from '../../renderer/src/editor/paste/clean-html';
import { ProofreadChecker, startProofreadWorker } from '../../renderer/src/proofread/checker';
import { showProofMarks } from '../../renderer/src/proofread/marks';
import { emptyMeta } from '../../shared/domain/article';
import { DEFAULT_PACKS } from '../../shared/proofread/default-packs';
import type { Node as ProseMirrorNode } from '@tiptap/pm/model';

/**
 * Bench page: mounts either our ArticleEditor or a bare StarterKit editor and
 * exposes measuring helpers on window for bench/editor.ts (driven by Playwright).
 */
/** What the proofreading did while a typing run was measured. */
interface ProofStats {
  checks: number;
  marksShown: number;
  findings: number;
  workerMs: number[];
  /** Page-thread time per check: serialising the document when a check starts, and drawing the marks. */
  produceMs: number[];
  marksMs: number[];
}

interface BenchApi {
  mount(kind: 'ours' | 'bare', doc: Doc): Promise<void>;
  /** Starts proofreading on the mounted editor the way the editor screen does: real worker, default packs, marks. */
  startProofreading(): Promise<void>;
  proofStats(): ProofStats;
  placeCaretInMiddle(): void;
  armLatencyProbe(): void;
  probeResult(): Promise<number>;
  paste(html: string): Promise<{ syncMs: number; renderedMs: number; longestTaskMs: number; docSize: number; chunked: boolean }>;
  cleanOnly(html: string): number;
  /** countMs: the editor's count after the last keystroke (only edited blocks); countFullMs: every block counted from scratch. */
  debouncedWork(): { getJsonMs: number; countMs: number; countFullMs: number };
  textLength(): number;
}

declare global {
  interface Window {
    bench: BenchApi;
    benchReady: boolean;
  }
}

let root: Root | null = null;
let current: Editor | null = null;
const handle = createRef<ArticleEditorHandle>();
let kind: 'ours' | 'bare' = 'ours';
let pendingProbe: Promise<number> = Promise.resolve(Number.NaN);
let stopProofreading: (() => void) | null = null;
let stats: ProofStats = { checks: 0, marksShown: 0, findings: 0, workerMs: [], produceMs: [], marksMs: [] };

function BareEditor({ doc, onReady }: { doc: Doc; onReady(editor: Editor): void }) {
  const editor = useEditor({ extensions: [StarterKit], content: doc, immediatelyRender: true, shouldRerenderOnTransaction: false });
  useEffect(() => onReady(editor), [editor, onReady]);
  return <EditorContent editor={editor} className="bare" />;
}

function afterPaint(): Promise<number> {
  return new Promise((resolve) => {
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => resolve(performance.now());
      channel.port2.postMessage(null);
    });
  });
}

function editorElement(): HTMLElement {
  const el = document.querySelector<HTMLElement>('.ProseMirror');
  if (!el) throw new Error('no editor mounted');
  return el;
}

window.bench = {
  async mount(which, doc) {
    kind = which;
    stopProofreading?.();
    stopProofreading = null;
    root?.unmount();
    current = null;
    const container = document.getElementById('root')!;
    root = createRoot(container);
    flushSync(() => {
      root!.render(
        which === 'ours' ? (
          <ArticleEditor
            ref={handle}
            initialDoc={doc}
            locale="zh-CN"
            onChange={() => {}}
            resolveSrc={(src) => src}
            addAsset={async (file) => ({ src: `assets/${file.name}` })}
          />
        ) : (
          <BareEditor doc={doc} onReady={(editor) => { current = editor; }} />
        ),
      );
    });
    await afterPaint();
    if (which === 'ours') {
      // The editor instance is reachable through the DOM node TipTap decorates.
      const el = editorElement() as HTMLElement & { editor?: Editor };
      current = el.editor ?? null;
    }
    if (!current) throw new Error('editor not ready');
  },
  async startProofreading() {
    const editor = current!;
    stats = { checks: 0, marksShown: 0, findings: 0, workerMs: [], produceMs: [], marksMs: [] };
    const checker = new ProofreadChecker<ProseMirrorNode>(startProofreadWorker());
    // Same wiring as use-proofreading.ts: a check after each pause in typing, marks drawn on the checked document.
    const produce = () => {
      const started = performance.now();
      const checkable = { input: { meta: { ...emptyMeta(), source: '区党政办', publishAt: '2021-05-20T09:00' }, doc: editor.getJSON() as Doc }, tag: editor.state.doc };
      stats.produceMs.push(performance.now() - started);
      return checkable;
    };
    const onUpdate = () => checker.request(produce);
    editor.on('update', onUpdate);
    const firstAnswer = new Promise<void>((resolve) => {
      const unsubscribe = checker.store.subscribe(() => {
        const state = checker.store.get();
        if (state.status !== 'ready' || !state.tag) return;
        stats.checks++;
        stats.findings = state.findings.length;
        if (state.elapsedMs !== null) stats.workerMs.push(state.elapsedMs);
        const started = performance.now();
        if (showProofMarks(editor, state.tag, state.findings, 'zh-CN')) {
          stats.marksShown++;
          stats.marksMs.push(performance.now() - started);
        }
        resolve();
      });
      stopProofreading = () => {
        unsubscribe();
        editor.off('update', onUpdate);
        checker.dispose();
      };
    });
    checker.setPacks(DEFAULT_PACKS);
    checker.requestNow(produce);
    await firstAnswer;
  },
  proofStats() {
    return stats;
  },
  placeCaretInMiddle() {
    const editor = current!;
    const middle = Math.floor(editor.state.doc.content.size / 2);
    editor.view.focus();
    editor.commands.setTextSelection(middle);
  },
  armLatencyProbe() {
    // Resolves with input-to-painted-frame latency for the next beforeinput.
    pendingProbe = new Promise((resolve) => {
      const el = editorElement();
      const onInput = () => {
        const started = performance.now();
        el.removeEventListener('beforeinput', onInput, true);
        void afterPaint().then((end) => resolve(end - started));
      };
      el.addEventListener('beforeinput', onInput, true);
      // A keystroke that never reaches the editor must not hang the bench.
      setTimeout(() => resolve(Number.NaN), 2000);
    });
  },
  probeResult() {
    return pendingProbe;
  },
  async paste(html) {
    const el = editorElement();
    let longest = 0;
    const observer = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) longest = Math.max(longest, entry.duration);
    });
    try {
      observer.observe({ type: 'longtask', buffered: false });
    } catch {
      // longtask is not supported everywhere; the synchronous time still tells.
    }
    const data = new DataTransfer();
    data.setData('text/html', html);
    data.setData('text/plain', 'x');
    const event = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
    const complete = new Promise<number>((resolve) => {
      el.addEventListener('gz-paste-complete', () => resolve(performance.now()), { once: true });
    });
    const started = performance.now();
    el.dispatchEvent(event);
    const syncEnd = performance.now();
    // Large pastes are inserted in slices; small ones are done when dispatch returns.
    const chunked = event.defaultPrevented && kind === 'ours';
    if (chunked) await complete;
    const painted = await afterPaint();
    await new Promise((resolve) => setTimeout(resolve, 50));
    observer.disconnect();
    return {
      syncMs: syncEnd - started,
      renderedMs: painted - started,
      longestTaskMs: longest,
      docSize: current!.state.doc.content.size,
      chunked,
    };
  },
  cleanOnly(html) {
    const started = performance.now();
    cleanPastedHtml(html);
    return performance.now() - started;
  },
  debouncedWork() {
    const editor = current!;
    let started = performance.now();
    editor.getJSON();
    const getJsonMs = performance.now() - started;
    started = performance.now();
    countBlocks(countedBlocksOf(editor.state.doc));
    const countFullMs = performance.now() - started;
    // One more keystroke after a count: what each count costs while typing.
    countDoc(editor.state.doc);
    editor.commands.insertContent('字');
    started = performance.now();
    countDoc(editor.state.doc);
    return { getJsonMs, countMs: performance.now() - started, countFullMs };
  },
  textLength() {
    return current!.state.doc.textContent.length;
  },
};
window.benchReady = true;
