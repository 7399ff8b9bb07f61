import { type Editor, EditorContent, useEditor } from '@tiptap/react';
import StarterKit from '@tiptap/starter-kit';
import { createRef, useEffect } from 'react';
import { flushSync } from 'react-dom';
import { createRoot, type Root } from 'react-dom/client';
import type { Doc } from '../../shared/domain/doc';
import { ArticleEditor, type ArticleEditorHandle } from '../../renderer/src/editor/ArticleEditor';
import { countDoc } from '../../renderer/src/editor/counts';
import { cleanPastedHtml } from '../../renderer/src/editor/paste/clean-html';

/**
 * Bench page: mounts either our ArticleEditor or a bare StarterKit editor and
 * exposes measuring helpers on window for bench/editor.ts (driven by Playwright).
 */
interface BenchApi {
  mount(kind: 'ours' | 'bare', doc: Doc): Promise<void>;
  placeCaretInMiddle(): void;
  armLatencyProbe(): void;
  probeResult(): Promise<number>;
  paste(html: string): Promise<{ syncMs: number; renderedMs: number; longestTaskMs: number; docSize: number; chunked: boolean }>;
  cleanOnly(html: string): number;
  debouncedWork(): { getJsonMs: number; countMs: number };
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
            addAsset={async (file) => `assets/${file.name}`}
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
    countDoc(editor.state.doc);
    return { getJsonMs, countMs: performance.now() - started };
  },
  textLength() {
    return current!.state.doc.textContent.length;
  },
};
window.benchReady = true;
