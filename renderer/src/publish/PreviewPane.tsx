import { useEffect, useId, useRef, useState } from 'react';
import type { PreviewResult } from '../../../shared/api/contract';
import type { Doc } from '../../../shared/domain/doc';
import { storedAssetUrl } from '../state/assets';
import type { EditorSession } from '../state/editor-session';
import { describeError } from '../state/errors';
import { handleSessionLoss } from '../state/session';
import { useLocale, useT } from '../state/settings';
import { useStoreSelect } from '../state/store';
import { InlineCheck } from '../components/InlineCheck';
import { SitePicker } from '../components/SitePicker';
import { renderPreview } from './preview';
import { createAssetInliner, fetchAssetBlob } from './preview-assets';
import { fitScale, PREVIEW_DEBOUNCE_MS, PREVIEW_WIDTHS, type PreviewDevice, rewritePreviewAssets } from './publish-logic';
import { useSites } from './use-sites';

/** The editor reports its body debounced; looking this often keeps the preview within a second of typing. */
const DOC_WATCH_MS = 250;

type PreviewState =
  | { kind: 'loading' }
  | { kind: 'ready'; result: Extract<PreviewResult, { html: string }> }
  | { kind: 'template'; error: { file: string; line: number; message: string } }
  | { kind: 'failed'; detail: string };

/**
 * The article as the portal will show it, rendered by the main side from the
 * unsaved editor state. The frame is sandboxed with no permissions at all: a
 * pasted `<script>` or an `onerror=` in the content cannot run, and the page
 * cannot reach the app. The default theme needs no script (its tools are labels).
 */
export function PreviewPane({ session }: { session: EditorSession }) {
  const t = useT();
  const locale = useLocale();
  const id = useId();
  const meta = useStoreSelect(session.store, (state) => state.meta);
  const [doc, setDoc] = useState<Doc>(session.doc);
  const [device, setDevice] = useState<PreviewDevice>('desktop');
  const [largeText, setLargeText] = useState(false);
  const [state, setState] = useState<PreviewState>({ kind: 'loading' });
  const [updating, setUpdating] = useState(false);
  const request = useRef(0);
  const [inlineAsset] = useState(() => createAssetInliner(fetchAssetBlob));
  const [frameHtml, setFrameHtml] = useState<string | null>(null);
  const { sites, siteId: defaultSiteId } = useSites();
  // Until the writer picks another site the services preview the main one, so the first page never waits for the list.
  const [picked, setPicked] = useState<string | null>(null);
  const stageRef = useRef<HTMLDivElement>(null);
  const [stage, setStage] = useState<{ width: number; height: number } | null>(null);

  useEffect(() => {
    const element = stageRef.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setStage({ width: entry.contentRect.width, height: entry.contentRect.height });
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    const watch = setInterval(() => {
      const current = session.doc;
      setDoc((previous) => (previous === current ? previous : current));
    }, DOC_WATCH_MS);
    return () => clearInterval(watch);
  }, [session]);

  useEffect(() => {
    const ticket = ++request.current;
    setUpdating(true);
    const timer = setTimeout(() => {
      renderPreview({ articleId: session.articleId, doc, meta, largeText, ...(picked ? { siteId: picked } : {}) }).then(
        (result) => {
          if (ticket !== request.current) return;
          setUpdating(false);
          setState('error' in result ? { kind: 'template', error: result.error } : { kind: 'ready', result });
        },
        (error: unknown) => {
          if (ticket !== request.current) return;
          setUpdating(false);
          handleSessionLoss(error);
          setState({ kind: 'failed', detail: describeError(locale, error) });
        },
      );
    }, PREVIEW_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [session.articleId, doc, meta, largeText, locale, picked]);

  const ready = state.kind === 'ready' ? state.result : null;
  // Display only: the static build writes the unrewritten HTML with its hashed
  // /assets/… paths (that is what preview:render returns and what the byte-for-byte
  // test compares); here those paths do not exist yet, so the frame is pointed at
  // the article's own stored files instead.
  useEffect(() => {
    if (!ready) return;
    let cancelled = false;
    const srcs = [...new Set(Object.values(ready.assetUrls))];
    void Promise.all(srcs.map(async (src) => [src, await inlineAsset(storedAssetUrl(session.articleId, src))] as const)).then(
      (pairs) => {
        if (cancelled) return;
        const urls = new Map(pairs);
        setFrameHtml(rewritePreviewAssets(ready.html, ready.assetUrls, (src) => urls.get(src) ?? src));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [ready, session.articleId, inlineAsset]);

  const frameWidth = PREVIEW_WIDTHS[device];
  const scale = fitScale(stage?.width ?? 0, frameWidth);
  // The page keeps its real width (it wraps as on the site) and is drawn smaller to fit the column.
  // Either way the frame is as tall as the column: an iframe has no height of its own (it would be 150 px).
  // The height is left to CSS (the sized box fills the column; the frame is 100% of it, or 100% / scale
  // when drawn smaller), so a window resized in any direction can never leave a stale pixel height behind;
  // only the scale comes from the measured width.
  const fitted =
    scale === 1 || !stage
      ? { scale: 1, box: stage ? { width: `${frameWidth}px` } : undefined, frame: { width: `${frameWidth}px` } }
      : {
          scale,
          box: { width: `${frameWidth * scale}px` },
          frame: {
            width: `${frameWidth}px`,
            height: `calc(100% / ${scale})`,
            transform: `scale(${scale})`,
            transformOrigin: 'top left',
          },
        };

  return (
    <section className="preview-pane" aria-labelledby={`${id}-heading`} data-testid="preview-pane">
      <div className="preview-toolbar">
        <h2 id={`${id}-heading`} className="preview-heading">
          {t('pubui.preview.heading')}
        </h2>
        <fieldset className="plain-fieldset segmented" aria-label={t('pubui.preview.width')}>
          {(Object.keys(PREVIEW_WIDTHS) as PreviewDevice[]).map((name) => (
            <button key={name} type="button" aria-pressed={device === name} onClick={() => setDevice(name)}>
              {t(`pubui.preview.${name}`)}
            </button>
          ))}
        </fieldset>
        <SitePicker sites={sites ?? []} value={picked ?? defaultSiteId} onChange={setPicked} />
        <InlineCheck label={t('pubui.preview.elder')} checked={largeText} onChange={setLargeText} />
        {updating ? (
          <span className="muted small" role="status">
            {t('pubui.preview.updating')}
          </span>
        ) : null}
      </div>
      {state.kind === 'template' ? (
        <div className="banner banner-error preview-error" role="alert" data-testid="preview-error">
          <p>
            {state.error.file
              ? t('pubui.preview.templateError', { file: state.error.file, line: state.error.line })
              : t('pubui.preview.templateErrorNoFile')}
          </p>
          <pre>{state.error.message}</pre>
        </div>
      ) : null}
      {state.kind === 'failed' ? (
        <div className="banner banner-error preview-error" role="alert" data-testid="preview-error">
          {t('pubui.preview.failed', { detail: state.detail })}
        </div>
      ) : null}
      {ready ? (
        <p className="muted small preview-url" title={ready.url}>
          {t('pubui.preview.url', { url: ready.url })}
        </p>
      ) : null}
      <div className="preview-stage" ref={stageRef}>
        {frameHtml !== null ? (
          <div className={`preview-fit${stage ? ' is-sized' : ''}`} style={fitted.box}>
            <iframe
              className="preview-frame"
              title={t('pubui.preview.frame')}
              sandbox=""
              referrerPolicy="no-referrer"
              srcDoc={frameHtml}
              style={fitted.frame}
              data-device={device}
              data-scale={fitted.scale.toFixed(3)}
            />
          </div>
        ) : state.kind === 'loading' ? (
          <p className="muted">{t('common.loading')}</p>
        ) : null}
      </div>
    </section>
  );
}
