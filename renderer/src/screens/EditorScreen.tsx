import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { Article } from '../../../shared/domain/article';
import { api } from '../api/client';
import { ConfirmDialog } from '../components/Dialog';
import { MetaPanel } from '../components/MetaPanel';
import { SaveStatus } from '../components/SaveStatus';
import { SaveVersionDialog, VersionsDialog } from '../components/VersionDialogs';
import { ArticleEditor, type ArticleEditorHandle } from '../editor';
import { articleList } from '../state/app-lists';
import { formatLocalMinute } from '../state/datetime';
import { EditorSession } from '../state/editor-session';
import { describeError } from '../state/errors';
import { downloadExportedFile, readFileAsBase64 } from '../state/files';
import { clearLocalCopy } from '../state/local-copy';
import { navigate, setLeaveGuard } from '../state/navigation';
import { notifyError, pushToast } from '../state/notifications';
import { useLocale, useT } from '../state/settings';
import { browserStorage } from '../state/storage';
import { useStore } from '../state/store';

type Load = { kind: 'loading' } | { kind: 'error'; error: unknown } | { kind: 'ready'; session: EditorSession };

const LEAVE_TIMEOUT_MS = 5000;
/**
 * The editor's own onChange is a pure debounce, so during continuous typing it
 * would stay silent; pulling its pending change this often, together with the
 * queue's 750 ms max wait, keeps every change saved within about a second.
 */
const PULL_INTERVAL_MS = 250;
const QUEUE_MAX_WAIT_MS = 750;

/** Loads the article and keeps one {@link EditorSession} per opened (or reloaded) article. */
export function EditorScreen({ articleId }: { articleId: string }) {
  const t = useT();
  const locale = useLocale();
  const [load, setLoad] = useState<Load>({ kind: 'loading' });
  const [reloadToken, setReloadToken] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: reloadToken is the explicit "load again" trigger
  useEffect(() => {
    let cancelled = false;
    let session: EditorSession | null = null;
    setLoad({ kind: 'loading' });
    api.invoke('articles:get', { id: articleId }).then(
      (article: Article) => {
        if (cancelled) return;
        session = new EditorSession(article, {
          save: (request) => api.invoke('articles:save', request),
          storage: browserStorage(),
          maxWaitMs: QUEUE_MAX_WAIT_MS,
        });
        setLoad({ kind: 'ready', session });
      },
      (error: unknown) => {
        if (!cancelled) setLoad({ kind: 'error', error });
      },
    );
    return () => {
      cancelled = true;
      if (session) {
        session.flushNow();
        session.dispose();
      }
    };
  }, [articleId, reloadToken]);

  if (load.kind === 'loading') return <p className="screen muted">{t('common.loading')}</p>;
  if (load.kind === 'error') {
    return (
      <section className="screen">
        <div className="banner banner-error" role="alert">
          {describeError(locale, load.error)}
        </div>
        <div className="button-row">
          <button type="button" onClick={() => void navigate({ name: 'list' })}>
            {t('editorScreen.back')}
          </button>
          <button type="button" onClick={() => setReloadToken((n) => n + 1)}>
            {t('list.retry')}
          </button>
        </div>
      </section>
    );
  }
  return (
    <EditorWorkspace
      key={`${articleId}-${reloadToken}`}
      session={load.session}
      onReload={() => {
        load.session.abandonChanges();
        setReloadToken((n) => n + 1);
      }}
    />
  );
}

type EditorDialog = 'saveVersion' | 'versions' | 'delete' | null;

function EditorWorkspace({ session, onReload }: { session: EditorSession; onReload(): void }) {
  const t = useT();
  const locale = useLocale();
  const id = useId();
  const state = useStore(session.store);
  const editorRef = useRef<ArticleEditorHandle>(null);
  const [panelOpen, setPanelOpen] = useState(true);
  const [dialog, setDialog] = useState<EditorDialog>(null);
  const [busy, setBusy] = useState(false);
  const articleId = session.articleId;

  useEffect(() => {
    session.setPendingChangesSource(() => editorRef.current?.flush());
    const pull = setInterval(() => session.pullPendingChanges(), PULL_INTERVAL_MS);
    setLeaveGuard(async () => {
      const saved = await Promise.race([
        session.flush(),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), LEAVE_TIMEOUT_MS)),
      ]);
      if (!saved) pushToast('error', t('editorScreen.leftUnsaved'));
    });
    const onHidden = () => {
      if (document.visibilityState === 'hidden') session.flushNow();
    };
    const onPageHide = () => session.flushNow();
    document.addEventListener('visibilitychange', onHidden);
    window.addEventListener('pagehide', onPageHide);
    window.addEventListener('beforeunload', onPageHide);
    return () => {
      // The editor unmounts after this screen's cleanup, so take its last change now.
      session.pullPendingChanges();
      session.setPendingChangesSource(null);
      clearInterval(pull);
      setLeaveGuard(null);
      document.removeEventListener('visibilitychange', onHidden);
      window.removeEventListener('pagehide', onPageHide);
      window.removeEventListener('beforeunload', onPageHide);
    };
  }, [session, t]);

  const resolveSrc = useCallback(
    (src: string) => (/^(https?:|data:|blob:)/i.test(src) ? src : api.assetUrl(articleId, src)),
    [articleId],
  );
  const addAsset = useCallback(
    async (file: File) => {
      const { src } = await api.invoke('assets:add', {
        articleId,
        fileName: file.name || 'image',
        mime: file.type || 'application/octet-stream',
        dataBase64: await readFileAsBase64(file),
      });
      return src;
    },
    [articleId],
  );
  const onChange = useCallback((doc: Parameters<EditorSession['updateDoc']>[0]) => session.updateDoc(doc), [session]);
  const onCounts = useCallback(
    (counts: Parameters<EditorSession['setCounts']>[0]) => session.setCounts(counts),
    [session],
  );

  const exportAs = async (format: 'json' | 'html') => {
    setBusy(true);
    try {
      await session.flush();
      downloadExportedFile(await api.invoke('articles:export', { id: articleId, format }));
    } catch (error) {
      notifyError(error);
    } finally {
      setBusy(false);
    }
  };

  const moveToTrash = async () => {
    setBusy(true);
    try {
      await session.flush();
      await api.invoke('articles:trash', { id: articleId });
      session.dispose();
      clearLocalCopy(browserStorage(), articleId);
      articleList.removeLocally(articleId);
      setLeaveGuard(null);
      pushToast('info', t('editorScreen.trashed', { title: state.meta.title || t('list.untitled') }));
      await navigate({ name: 'list' });
    } catch (error) {
      notifyError(error);
      setBusy(false);
      setDialog(null);
    }
  };

  const title = state.meta.title.trim() || t('list.untitled');
  const copy = state.offeredCopy;

  return (
    <section className="screen editor-screen" aria-labelledby={`${id}-title`}>
      <div className="editor-topbar">
        <button type="button" onClick={() => void navigate({ name: 'list' })}>
          ← {t('editorScreen.back')}
        </button>
        <h1 id={`${id}-title`} className="editor-title" title={title}>
          {title}
        </h1>
        <SaveStatus state={state.save} onRetry={() => session.retryNow()} />
        <span className="count-badge" data-testid="char-count">
          {t('editorScreen.count', { n: state.counts?.words ?? 0 })}
        </span>
        <div className="toolbar-actions">
          <button type="button" onClick={() => setDialog('saveVersion')}>
            {t('editorScreen.saveVersion')}
          </button>
          <button type="button" onClick={() => setDialog('versions')}>
            {t('editorScreen.versions')}
          </button>
          <button type="button" disabled={busy} onClick={() => void exportAs('json')}>
            {t('editorScreen.exportJson')}
          </button>
          <button type="button" disabled={busy} onClick={() => void exportAs('html')}>
            {t('editorScreen.exportHtml')}
          </button>
          <button type="button" className="danger" onClick={() => setDialog('delete')}>
            {t('common.delete')}
          </button>
          <button
            type="button"
            aria-expanded={panelOpen}
            aria-controls={`${id}-meta`}
            onClick={() => setPanelOpen((open) => !open)}
          >
            {panelOpen ? t('editorScreen.hideMeta') : t('editorScreen.showMeta')}
          </button>
        </div>
      </div>

      {state.save.kind === 'conflict' ? (
        <div className="banner banner-error" role="alert">
          <p>{t('editorScreen.conflict.body', { detail: describeError(locale, state.save.error) })}</p>
          <div className="button-row">
            <button type="button" className="primary" onClick={() => void session.keepMine()}>
              {t('editorScreen.conflict.keepMine')}
            </button>
            <button type="button" onClick={onReload}>
              {t('editorScreen.conflict.reload')}
            </button>
          </div>
        </div>
      ) : null}

      {copy ? (
        <div className="banner banner-warning" role="alert">
          <p>{t('editorScreen.localCopy.body', { time: formatLocalMinute(new Date(copy.editedAt)) })}</p>
          <div className="button-row">
            <button type="button" className="primary" onClick={() => session.acceptOfferedCopy()}>
              {t('editorScreen.localCopy.restore')}
            </button>
            <button type="button" onClick={() => session.discardOfferedCopy()}>
              {t('editorScreen.localCopy.discard')}
            </button>
          </div>
        </div>
      ) : null}

      <div className={`editor-body${panelOpen ? '' : ' meta-collapsed'}`}>
        <div className="editor-main">
          <ArticleEditor
            key={`${articleId}-${state.editorKey}`}
            ref={editorRef}
            initialDoc={state.initialDoc}
            onChange={onChange}
            resolveSrc={resolveSrc}
            addAsset={addAsset}
            locale={locale}
            onCounts={onCounts}
          />
        </div>
        {panelOpen ? (
          <aside id={`${id}-meta`} className="meta-panel" aria-label={t('meta.panel')}>
            <MetaPanel
              session={session}
              resolveSrc={resolveSrc}
              onInsertAttendees={(sentence) => {
                if (!editorRef.current) return;
                editorRef.current.setAttendeesParagraph(sentence);
                pushToast('info', t('editorScreen.attendeesInserted'));
              }}
            />
          </aside>
        ) : null}
      </div>

      {dialog === 'saveVersion' ? <SaveVersionDialog session={session} onClose={() => setDialog(null)} /> : null}
      {dialog === 'versions' ? (
        <VersionsDialog session={session} resolveSrc={resolveSrc} onClose={() => setDialog(null)} />
      ) : null}
      {dialog === 'delete' ? (
        <ConfirmDialog
          title={t('editorScreen.delete.title')}
          message={t('editorScreen.delete.message', { title })}
          confirmLabel={t('editorScreen.delete.confirm')}
          danger
          busy={busy}
          onConfirm={() => void moveToTrash()}
          onCancel={() => setDialog(null)}
        />
      ) : null}
    </section>
  );
}
