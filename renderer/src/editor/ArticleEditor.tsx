import { getSchema } from '@tiptap/core';
import type { Slice } from '@tiptap/pm/model';
import type { EditorView } from '@tiptap/pm/view';
import { type Editor, EditorContent, useEditor } from '@tiptap/react';
import {
  forwardRef,
  useCallback,
  useEffect,
  useImperativeHandle,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
} from 'react';
import type { AddedAsset, AddedPhoto } from '../../../shared/api/contract';
import type { Doc } from '../../../shared/domain/doc';
import type { PhotoEdit } from '../../../shared/domain/photo';
import type { Locale } from '../../../shared/domain/settings';
import { docToHtml, escapeHtml } from '../../../shared/html/serialize';
import { type MessageKey, type MessageParams, translate } from '../../../shared/i18n';
import type { TextCounts } from '../../../shared/text/count';
import { FileInput } from '../components/FileInput';
import { type CountsStore, countDoc, createCountsStore } from './counts';
import { EditorEnvContext, type EditorEnvironment } from './editor-env';
import { articleExtensions } from './extensions';
import { cleanPastedHtml } from './paste/clean-html';
import { dataUrlToFile, embeddedImageSources, imageFiles } from './paste/images';
import { LARGE_PASTE_CHARS, pasteLargeContent } from './paste/large-paste';
import { Toolbar } from './Toolbar';
import './editor.css';

/** Props of {@link ArticleEditor}; key the component by article id (initialDoc is read once). */
export interface ArticleEditorProps {
  initialDoc: Doc;
  /** Called debounced (~300 ms) and on blur, unmount and `flush()`, never during IME composition. */
  onChange(doc: Doc): void;
  /**
   * Called once when the writer's first change after a report is made, before the
   * debounced onChange: the save status must not say 已保存 while the editor holds an edit.
   */
  onEditStarted?(): void;
  /** Maps a doc src (`assets/<file>`) to a URL the page can load. */
  resolveSrc(src: string): string;
  /** Stores an image in the article's assets (through the photo pipeline); resolves with the src and, for a photo, its original and size. */
  addAsset(file: File): Promise<AddedAsset>;
  /** Turns and crops a photo from its original for the image dialog. */
  editPhoto?(original: string, edit: PhotoEdit): Promise<AddedPhoto>;
  readOnly?: boolean;
  locale: Locale;
  /** Chinese 字数 etc., recomputed when the browser is idle after edits. */
  onCounts?(counts: TextCounts): void;
}

/** Imperative API for the screen that embeds the editor. */
export interface ArticleEditorHandle {
  /** Creates, replaces or (with an empty sentence) removes the closing attendees paragraph. */
  setAttendeesParagraph(sentence: string): void;
  /** The current doc; also delivers any pending onChange. */
  getDoc(): Doc;
  focus(): void;
  /** Delivers a pending debounced onChange now (e.g. before saving). */
  flush(): void;
  /** The live TipTap editor, for review features (comment highlights, passage selection). */
  getEditor(): Editor;
}

interface Notice {
  id: number;
  key: MessageKey;
  params?: MessageParams;
  tone: 'info' | 'warning' | 'error';
}

const CHANGE_DEBOUNCE_MS = 300;
const COUNT_INTERVAL_MS = 400;

/**
 * A doc the schema rejects (an unknown node or mark from a newer version or a
 * damaged file) would make TipTap silently start empty; the shared serializer
 * keeps every piece of text, so the editor loads that HTML instead.
 */
function loadableContent(initialDoc: Doc, extensions: ReturnType<typeof articleExtensions>): { content: Doc | string; converted: boolean } {
  try {
    getSchema(extensions).nodeFromJSON(initialDoc).check();
    return { content: initialDoc, converted: false };
  } catch {
    return { content: docToHtml(initialDoc), converted: true };
  }
}

/** Plain-text fallback when cleaning pasted HTML fails: the words still arrive. */
function htmlToParagraphs(html: string): string {
  const text = new DOMParser().parseFromString(html, 'text/html').body.textContent ?? '';
  return text
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .map((line) => `<p>${escapeHtml(line)}</p>`)
    .join('');
}

function hasVisibleText(html: string): boolean {
  return html.replace(/<[^>]*>/g, '').replace(/&nbsp;|\s/g, '') !== '';
}

function requestIdle(callback: () => void, timeout: number): () => void {
  if (typeof window.requestIdleCallback === 'function') {
    const handle = window.requestIdleCallback(callback, { timeout });
    return () => window.cancelIdleCallback(handle);
  }
  const handle = window.setTimeout(callback, timeout);
  return () => window.clearTimeout(handle);
}

function sameCounts(a: TextCounts, b: TextCounts | null): boolean {
  return b !== null && a.words === b.words && a.han === b.han && a.nonSpace === b.nonSpace && a.paragraphs === b.paragraphs && a.images === b.images;
}

function CountsBar({ store, locale }: { store: CountsStore; locale: Locale }) {
  const counts = useSyncExternalStore(store.subscribe, store.get);
  if (!counts) return <div className="gz-statusbar" />;
  return (
    <div className="gz-statusbar" aria-live="off">
      {translate(locale, 'editor.counts', { words: counts.words, han: counts.han, paragraphs: counts.paragraphs })}
    </div>
  );
}

/**
 * The article body editor (TipTap v3). Typing stays cheap in long documents:
 * React does not re-render the content on transactions, and serialising for
 * onChange and counting words happen debounced, outside IME composition.
 */
export const ArticleEditor = forwardRef<ArticleEditorHandle, ArticleEditorProps>(function ArticleEditor(props, ref) {
  const { locale, readOnly = false } = props;
  const propsRef = useRef(props);
  propsRef.current = props;
  const editorRef = useRef<Editor | null>(null);
  const [linkRequest, setLinkRequest] = useState(0);
  const [pasting, setPasting] = useState(false);
  const [photoProgress, setPhotoProgress] = useState<{ done: number; total: number } | null>(null);
  const [notices, setNotices] = useState<Notice[]>([]);
  const [countsStore] = useState(createCountsStore);
  const fileInput = useRef<HTMLInputElement>(null);
  const changeTimer = useRef<number | null>(null);
  const dirty = useRef(false);
  const cancelCount = useRef<(() => void) | null>(null);

  const pushNotice = useCallback((key: MessageKey, params: MessageParams | undefined, tone: Notice['tone']) => {
    setNotices((list) => [...list.slice(-3), { id: Date.now() + Math.random(), key, params, tone }]);
  }, []);

  const flushChange = useCallback(() => {
    if (changeTimer.current !== null) {
      window.clearTimeout(changeTimer.current);
      changeTimer.current = null;
    }
    const editor = editorRef.current;
    if (!dirty.current || !editor || editor.isDestroyed) return;
    dirty.current = false;
    propsRef.current.onChange(editor.getJSON() as Doc);
  }, []);

  const scheduleChange = useCallback(() => {
    if (!dirty.current) propsRef.current.onEditStarted?.();
    dirty.current = true;
    if (changeTimer.current !== null) window.clearTimeout(changeTimer.current);
    const fire = () => {
      // Reading the doc mid-composition is harmless, but the host may re-render
      // on onChange; waiting keeps the IME undisturbed.
      if (editorRef.current?.view.composing) {
        changeTimer.current = window.setTimeout(fire, CHANGE_DEBOUNCE_MS);
        return;
      }
      changeTimer.current = null;
      flushChange();
    };
    changeTimer.current = window.setTimeout(fire, CHANGE_DEBOUNCE_MS);
  }, [flushChange]);

  /**
   * Counts at most once per COUNT_INTERVAL_MS while the writer types, then when
   * the browser is idle: each new figure re-renders the status line and the
   * screen's header, work no keystroke should wait for. The first count (on
   * opening) waits only for idle time.
   */
  const scheduleCounts = useCallback(
    (soon = false) => {
      if (cancelCount.current) return;
      const run = () => {
        cancelCount.current = null;
        const editor = editorRef.current;
        if (!editor || editor.isDestroyed) return;
        if (editor.view.composing) {
          cancelCount.current = requestIdle(run, COUNT_INTERVAL_MS);
          return;
        }
        const counts = countDoc(editor.state.doc);
        if (sameCounts(counts, countsStore.get())) return;
        countsStore.set(counts);
        propsRef.current.onCounts?.(counts);
      };
      if (soon) {
        cancelCount.current = requestIdle(run, COUNT_INTERVAL_MS);
        return;
      }
      let cancelIdle: (() => void) | null = null;
      const timer = window.setTimeout(() => {
        cancelIdle = requestIdle(run, COUNT_INTERVAL_MS);
      }, COUNT_INTERVAL_MS);
      cancelCount.current = () => {
        window.clearTimeout(timer);
        cancelIdle?.();
      };
    },
    [countsStore],
  );

  const insertImages = useCallback(
    async (files: File[], at?: number) => {
      // Photos are processed one after the other by the services; a batch shows how far it got.
      setPhotoProgress(files.length > 1 ? { done: 0, total: files.length } : null);
      try {
        for (const [index, file] of files.entries()) {
          try {
            const added = await propsRef.current.addAsset(file);
            const editor = editorRef.current;
            if (!editor || editor.isDestroyed) return;
            const attrs = { src: added.src, ...(added.photo ?? {}) };
            const content = { type: 'image', attrs: { alt: '', caption: '', ...attrs } };
            if (at === undefined) editor.chain().focus().insertArticleImage(attrs).run();
            else editor.chain().insertContentAt(Math.min(at, editor.state.doc.content.size), content).run();
          } catch (error) {
            pushNotice('editor.image.failed', { detail: error instanceof Error ? error.message : String(error) }, 'error');
          }
          if (files.length > 1) setPhotoProgress({ done: index + 1, total: files.length });
        }
      } finally {
        setPhotoProgress(null);
      }
    },
    [pushNotice],
  );

  /** Pasted `data:` images become workspace assets; the doc then points at the asset. */
  const importEmbeddedImages = useCallback(
    async (sources: string[]) => {
      for (const [index, source] of sources.entries()) {
        const file = dataUrlToFile(source, `pasted-image-${index + 1}`);
        if (!file) continue;
        try {
          const added = await propsRef.current.addAsset(file);
          const editor = editorRef.current;
          if (!editor || editor.isDestroyed) return;
          const { tr, doc } = editor.state;
          doc.descendants((node, pos) => {
            if (node.type.name === 'image' && node.attrs.src === source) {
              tr.setNodeMarkup(pos, undefined, { ...node.attrs, src: added.src, ...(added.photo ?? {}) });
            }
            return !node.isTextblock;
          });
          // Part of the paste as far as the writer is concerned: not a separate undo step.
          tr.setMeta('addToHistory', false);
          if (tr.docChanged) editor.view.dispatch(tr);
        } catch (error) {
          pushNotice('editor.image.failed', { detail: error instanceof Error ? error.message : String(error) }, 'error');
        }
      }
    },
    [pushNotice],
  );

  const pasteLarge = useCallback(
    async (payload: { html: string } | { text: string }) => {
      const editor = editorRef.current;
      if (!editor) return;
      setPasting(true);
      try {
        const result = await pasteLargeContent(editor, payload);
        if (result.droppedImages > 0) {
          pushNotice('editor.paste.droppedImages', { count: result.droppedImages }, 'warning');
        }
        if (result.failedChunks > 0) pushNotice('editor.paste.partlyPlain', { count: result.failedChunks }, 'warning');
        if (result.embeddedImages.length > 0) void importEmbeddedImages(result.embeddedImages);
      } catch (error) {
        pushNotice('editor.paste.failed', { detail: error instanceof Error ? error.message : String(error) }, 'error');
      } finally {
        setPasting(false);
      }
    },
    [pushNotice, importEmbeddedImages],
  );

  const extensions = useMemo(
    () =>
      articleExtensions({
        placeholder: () => translate(propsRef.current.locale, 'editor.placeholder'),
        onLinkShortcut: () => setLinkRequest((n) => n + 1),
      }),
    [],
  );
  const initial = useMemo(() => loadableContent(props.initialDoc, extensions), [extensions, props.initialDoc]);

  const editor = useEditor(
    {
      extensions,
      content: initial.content,
      editable: !readOnly,
      immediatelyRender: true,
      // The toolbar follows transactions itself (use-toolbar-state); re-rendering this
      // component per keystroke would only cost time (and risk the IME).
      shouldRerenderOnTransaction: false,
      editorProps: {
        attributes: {
          class: 'gz-prose',
          lang: 'zh-CN',
          spellcheck: 'false',
          'aria-multiline': 'true',
          'aria-label': translate(locale, 'editor.placeholder'),
        },
        handleDOMEvents: {
          // Big pastes skip ProseMirror's synchronous paste and go in slices.
          paste: (_view: EditorView, event: ClipboardEvent) => {
            const data = event.clipboardData;
            if (!data) return false;
            const html = data.getData('text/html');
            const text = html === '' ? data.getData('text/plain') : '';
            if (html.length < LARGE_PASTE_CHARS && text.length < LARGE_PASTE_CHARS) return false;
            event.preventDefault();
            void pasteLarge(html !== '' ? { html } : { text });
            return true;
          },
        },
        transformPastedHTML: (html: string) => {
          try {
            const cleaned = cleanPastedHtml(html);
            if (cleaned.droppedImages > 0) {
              pushNotice('editor.paste.droppedImages', { count: cleaned.droppedImages }, 'warning');
            }
            return cleaned.html;
          } catch (error) {
            pushNotice('editor.paste.failed', { detail: error instanceof Error ? error.message : String(error) }, 'error');
            return htmlToParagraphs(html);
          }
        },
        handlePaste: (_view: EditorView, event: ClipboardEvent, slice: Slice) => {
          const data = event.clipboardData;
          const files = imageFiles(data?.files);
          const html = data?.getData('text/html') ?? '';
          const text = data?.getData('text/plain') ?? '';
          // A screenshot or a copied picture: the file itself is the best source.
          if (files.length > 0 && text.trim() === '' && !hasVisibleText(html)) {
            event.preventDefault();
            void insertImages(files);
            return true;
          }
          const embedded = embeddedImageSources(slice);
          if (embedded.length > 0) window.setTimeout(() => void importEmbeddedImages(embedded), 0);
          return false;
        },
        handleDrop: (view: EditorView, event: DragEvent, _slice: Slice, moved: boolean) => {
          if (moved) return false;
          const files = imageFiles(event.dataTransfer?.files);
          if (files.length === 0) return false;
          event.preventDefault();
          const at = view.posAtCoords({ left: event.clientX, top: event.clientY })?.pos;
          void insertImages(files, at);
          return true;
        },
      },
      onUpdate: ({ editor: current }) => {
        // A locked (read-only) article still gets normalising transactions, e.g. the
        // trailing paragraph after a final image: they are not the writer's edits and
        // saving them would be refused by the services, so they are not reported.
        if (current.isEditable) scheduleChange();
        scheduleCounts(false);
      },
      onBlur: () => flushChange(),
    },
    [],
  );
  editorRef.current = editor;

  useEffect(() => {
    if (initial.converted) pushNotice('editor.content.converted', undefined, 'warning');
    scheduleCounts(true);
    return () => {
      cancelCount.current?.();
      cancelCount.current = null;
      flushChange();
    };
  }, [initial.converted, pushNotice, scheduleCounts, flushChange]);

  useEffect(() => {
    if (editor.isEditable === readOnly) editor.setEditable(!readOnly, false);
  }, [editor, readOnly]);

  useImperativeHandle(
    ref,
    (): ArticleEditorHandle => ({
      setAttendeesParagraph(sentence: string) {
        const apply = () => {
          if (editor.isDestroyed) return;
          if (editor.view.composing) {
            window.setTimeout(apply, 100);
            return;
          }
          const { state } = editor;
          let found: { pos: number; size: number } | null = null;
          state.doc.forEach((node, offset) => {
            if (!found && node.type.name === 'paragraph' && node.attrs.role === 'attendees') {
              found = { pos: offset, size: node.nodeSize };
            }
          });
          const text = sentence.trim();
          const tr = state.tr;
          const target = found as { pos: number; size: number } | null;
          if (target) {
            if (text === '') {
              if (state.doc.childCount === 1) tr.replaceWith(target.pos, target.pos + target.size, state.schema.nodes.paragraph!.create());
              else tr.delete(target.pos, target.pos + target.size);
            } else {
              tr.replaceWith(target.pos + 1, target.pos + target.size - 1, state.schema.text(text));
            }
          } else if (text !== '') {
            const paragraph = state.schema.nodes.paragraph!.create({ role: 'attendees' }, state.schema.text(text));
            const last = state.doc.lastChild;
            // A trailing empty paragraph is where the sentence belongs, not above it.
            if (last && last.type.name === 'paragraph' && last.content.size === 0 && state.doc.childCount > 1) {
              tr.replaceWith(state.doc.content.size - last.nodeSize, state.doc.content.size, paragraph);
            } else {
              tr.insert(state.doc.content.size, paragraph);
            }
          }
          if (tr.docChanged) editor.view.dispatch(tr);
        };
        apply();
      },
      getDoc() {
        flushChange();
        return editor.getJSON() as Doc;
      },
      focus() {
        editor.commands.focus();
      },
      flush() {
        flushChange();
      },
      getEditor() {
        return editor;
      },
    }),
    [editor, flushChange],
  );

  const env = useMemo<EditorEnvironment>(
    () => ({
      locale,
      readOnly,
      resolveSrc: (src: string) => propsRef.current.resolveSrc(src),
      editPhoto: (original: string, edit: PhotoEdit) =>
        propsRef.current.editPhoto ? propsRef.current.editPhoto(original, edit) : Promise.reject(new Error('read-only')),
    }),
    [locale, readOnly],
  );

  return (
    <EditorEnvContext.Provider value={env}>
      <div className={`gz-editor${readOnly ? ' is-readonly' : ''}`}>
        {!readOnly && (
          <Toolbar
            editor={editor}
            locale={locale}
            linkRequest={linkRequest}
            onPickImages={() => fileInput.current?.click()}
          />
        )}
        {(notices.length > 0 || pasting || photoProgress) && (
          <div className="gz-notices">
            {pasting && (
              <div className="gz-notice gz-notice-info" role="status">
                <span>{translate(locale, 'editor.paste.working')}</span>
              </div>
            )}
            {photoProgress && (
              <div className="gz-notice gz-notice-info" role="status">
                <span>{translate(locale, 'photo.progress', photoProgress)}</span>
                <progress max={photoProgress.total} value={photoProgress.done} />
              </div>
            )}
            {notices.map((notice) => (
              <div key={notice.id} className={`gz-notice gz-notice-${notice.tone}`} role={notice.tone === 'error' ? 'alert' : 'status'}>
                <span>{translate(locale, notice.key, notice.params)}</span>
                <button type="button" onClick={() => setNotices((list) => list.filter((n) => n.id !== notice.id))}>
                  {translate(locale, 'editor.notice.dismiss')}
                </button>
              </div>
            ))}
          </div>
        )}
        <EditorContent editor={editor} className="gz-editor-content" />
        <CountsBar store={countsStore} locale={locale} />
        <FileInput
          ref={fileInput}
          accept="image/*"
          multiple
          hidden
          onFiles={(picked) => {
            const files = imageFiles(picked);
            if (files.length > 0) void insertImages(files);
          }}
        />
      </div>
    </EditorEnvContext.Provider>
  );
});
