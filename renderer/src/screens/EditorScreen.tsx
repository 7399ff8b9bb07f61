import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { ReviewView } from '../../../shared/api/contract';
import { ApiError } from '../../../shared/api/errors';
import type { Article, ArticleStatus } from '../../../shared/domain/article';
import type { ReviewChain } from '../../../shared/workflow/review-chain';
import { api } from '../api/client';
import { ConfirmDialog } from '../components/Dialog';
import { MetaPanel } from '../components/MetaPanel';
import { SaveStatus } from '../components/SaveStatus';
import { SaveVersionDialog, VersionsDialog } from '../components/VersionDialogs';
import { ArticleEditor, type ArticleEditorHandle } from '../editor';
import { PreviewPane } from '../publish/PreviewPane';
import { findingMessage } from '../../../shared/proofread/messages';
import { GateDialog, type GatedAction } from '../proofread/GateDialog';
import { applySuggestion, applySuggestions, revealFinding } from '../proofread/marks';
import { ProofreadPanel } from '../proofread/ProofreadPanel';
import { useProofreading } from '../proofread/use-proofreading';
import { PublishPanel } from '../publish/PublishPanel';
import { scrollToComment, selectedPassage, showHighlights } from '../review/editor-bridge';
import { DiffDialog, SignoffDialog, TextPromptDialog } from '../review/ReviewDialogs';
import { ReviewPanel, type ReviewPanelActions } from '../review/ReviewPanel';
import { reviewErrorText } from '../review/review-errors';
import { editingMode } from '../review/review-logic';
import { refreshReviewQueue } from '../state/review-queue';
import { handleSessionLoss, hasRole, useCurrentPerson } from '../state/session';
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

type Load =
  | { kind: 'loading' }
  | { kind: 'error'; error: unknown }
  | { kind: 'ready'; session: EditorSession; status: ArticleStatus };

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
        setLoad({ kind: 'ready', session, status: article.status });
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
      initialStatus={load.status}
      onReload={() => {
        load.session.abandonChanges();
        setReloadToken((n) => n + 1);
      }}
    />
  );
}

type EditorDialog = 'saveVersion' | 'versions' | 'delete' | 'submit' | 'approve' | 'requestChanges' | 'diff' | 'signoff' | null;
type SidePanel = 'meta' | 'review' | 'publish' | 'proof';

function EditorWorkspace({
  session,
  initialStatus,
  onReload,
}: {
  session: EditorSession;
  initialStatus: ArticleStatus;
  onReload(): void;
}) {
  const t = useT();
  const locale = useLocale();
  const id = useId();
  const state = useStore(session.store);
  const editorRef = useRef<ArticleEditorHandle>(null);
  const [panelOpen, setPanelOpen] = useState(true);
  const [dialog, setDialog] = useState<EditorDialog>(null);
  const [busy, setBusy] = useState(false);
  const articleId = session.articleId;
  const [review, setReview] = useState<ReviewView | null>(null);
  const [reviewError, setReviewError] = useState<unknown>(null);
  const [officeChain, setOfficeChain] = useState<ReviewChain | null>(null);
  const [reviewerEditing, setReviewerEditing] = useState(false);
  const [activeCommentId, setActiveCommentId] = useState<string | null>(null);
  const [sidePanel, setSidePanel] = useState<SidePanel>('meta');
  const [previewOpen, setPreviewOpen] = useState(false);
  const [gate, setGate] = useState<GatedAction | null>(null);
  const person = useCurrentPerson();
  const getEditor = useCallback(() => {
    try {
      return editorRef.current?.getEditor() ?? null;
    } catch {
      return null;
    }
  }, []);
  const proof = useProofreading(session, getEditor, state.editorKey);

  const loadReview = useCallback(async () => {
    try {
      const view = await api.invoke('review:get', { id: articleId });
      setReview(view);
      setReviewError(null);
      return view;
    } catch (error) {
      if (!handleSessionLoss(error)) setReviewError(error);
      return null;
    }
  }, [articleId]);

  useEffect(() => {
    void loadReview().then((view) => {
      // Reviewers and returned articles open on the review panel: that is what they came for
      // (unless the user already picked another panel while the review was loading).
      if (view && view.state.status !== 'draft') setSidePanel((current) => (current === 'meta' ? 'review' : current));
    });
    api.invoke('review:chainGet', {}).then(setOfficeChain, () => setOfficeChain(null));
  }, [loadReview]);

  // A saved edit changes the content hash, may reset approvals and moves comment anchors: ask again.
  const savedAt = state.save.kind === 'saved' ? state.save.at : null;
  const reviewStatus = review?.state.status ?? 'draft';
  useEffect(() => {
    if (savedAt !== null && reviewStatus !== 'draft') void loadReview();
  }, [savedAt, reviewStatus, loadReview]);

  // Until the review state arrives, a draft stays writable so the writer's first keystrokes are not lost;
  // the services refuse any save the person may not make.
  const mode =
    review || reviewError
      ? editingMode(review, reviewerEditing)
      : { readOnly: initialStatus !== 'draft' && initialStatus !== 'changes_requested', reviewerMayEdit: false };

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new editor (editorKey) needs the highlights again
  useEffect(() => {
    const editor = editorRef.current?.getEditor();
    if (!editor || !review) return;
    const passages = review.comments.flatMap((comment) =>
      comment.range ? [{ id: comment.id, start: comment.range.start, end: comment.range.end }] : [],
    );
    showHighlights(editor, passages, activeCommentId);
  }, [review, activeCommentId, state.editorKey]);
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

  const runReview = async (action: () => Promise<ReviewView>) => {
    setBusy(true);
    try {
      setReview(await action());
      void refreshReviewQueue();
    } finally {
      setBusy(false);
    }
  };

  /** Errors stop a submit before the note is even asked for; the services hold the same gate. */
  const startSubmit = async () => {
    setBusy(true);
    const errors = await proof.checkNow();
    setBusy(false);
    if (errors.length > 0) setGate('submit');
    else setDialog('submit');
  };

  const overrideFinding = async (finding: Parameters<typeof proof.markOverridden>[0], reason: string) => {
    await session.flush();
    const result = await api.invoke('proofread:override', {
      articleId,
      rule: finding.rule,
      start: finding.start,
      text: finding.text,
      reason,
    });
    proof.markOverridden(finding, result.findings);
    pushToast('info', t('proof.gate.overridden', { text: finding.text || findingMessage(finding, locale) }));
    void loadReview();
  };

  const submitForReview = async (note: string) => {
    if (!(await session.flush())) throw new Error(t('review.ui.saveFirst'));
    try {
      await runReview(() => api.invoke('review:submit', { id: articleId, note }));
    } catch (error) {
      // The services refuse (conflict) while errors stand; show which ones rather than a bare refusal.
      if (error instanceof ApiError && error.code === 'conflict' && (await proof.checkNow()).length > 0) {
        setDialog(null);
        setGate('submit');
        return;
      }
      throw error;
    }
    setReviewerEditing(false);
    setDialog(null);
    setSidePanel('review');
    pushToast('info', t('review.ui.submitted'));
  };

  const reviewActions: ReviewPanelActions = {
    approve: () => setDialog('approve'),
    requestChanges: () => setDialog('requestChanges'),
    pickPassage: () => {
      const editor = editorRef.current?.getEditor();
      return editor ? selectedPassage(editor) : null;
    },
    comment: async (body, passage) => {
      try {
        // Offsets refer to the saved text: a reviewer's pending correction must land first.
        await session.flush();
        await runReview(() =>
          api.invoke('review:comment', {
            id: articleId,
            body,
            ...(passage ? { anchor: { start: passage.start, end: passage.end } } : {}),
          }),
        );
        return true;
      } catch (error) {
        pushToast('error', reviewErrorText(locale, error));
        return false;
      }
    },
    focusComment: (commentId) => {
      setActiveCommentId(commentId);
      const editor = editorRef.current?.getEditor();
      if (editor) window.setTimeout(() => scrollToComment(editor, commentId), 0);
    },
  };

  const status = review?.state.status ?? null;
  const lockBanner =
    review && mode.readOnly && (status === 'in_review' || status === 'approved')
      ? status === 'in_review'
        ? t('review.ui.lockedInReview', { stage: review.stageName ?? '' })
        : t('review.ui.lockedApproved')
      : null;

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
        {status ? (
          <span className={`status status-${status}`} data-testid="review-status">
            {t(`status.${status}`)}
            {status === 'in_review' && review?.stageName ? `（${review.stageName}）` : ''}
          </span>
        ) : null}
        <div className="toolbar-actions">
          {review?.canAct.submit ? (
            <button type="button" className="primary" disabled={busy} onClick={() => void startSubmit()}>
              {t('review.ui.submit')}
            </button>
          ) : null}
          {mode.reviewerMayEdit ? (
            <button type="button" aria-pressed={reviewerEditing} onClick={() => setReviewerEditing((on) => !on)}>
              {reviewerEditing ? t('review.ui.stopEditing') : t('review.ui.startEditing')}
            </button>
          ) : null}
          <button type="button" aria-pressed={previewOpen} onClick={() => setPreviewOpen((open) => !open)}>
            {previewOpen ? t('pubui.preview.toggleOff') : t('pubui.preview.toggleOn')}
          </button>
          <button type="button" onClick={() => setDialog('diff')}>
            {t('review.ui.diff.open')}
          </button>
          <button type="button" onClick={() => setDialog('signoff')}>
            {t('review.ui.signoff.open')}
          </button>
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
          {/* The services refuse it too: an article in review or approved goes to the trash only by an admin. */}
          {(reviewStatus === 'in_review' || reviewStatus === 'approved') && !hasRole(person, 'admin') ? null : (
            <button type="button" className="danger" onClick={() => setDialog('delete')}>
              {t('common.delete')}
            </button>
          )}
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

      {lockBanner ? (
        <div className="banner banner-warning" role="status" data-testid="lock-banner">
          {lockBanner}
        </div>
      ) : null}
      {review && status === 'changes_requested' && review.state.notice ? (
        <div className="banner banner-error" role="status" data-testid="changes-banner">
          <p>{review.state.notice}</p>
          <p className="small">{t('review.ui.changesHelp')}</p>
        </div>
      ) : null}
      {review && status === 'in_review' && review.state.notice ? (
        <div className="banner banner-warning" role="status" data-testid="review-notice">
          {review.state.notice}
        </div>
      ) : null}
      {reviewerEditing && mode.reviewerMayEdit ? (
        <div className="banner banner-warning" role="status">
          {t('review.ui.reviewerEditing')}
        </div>
      ) : null}
      {reviewError ? (
        <div className="banner banner-error" role="alert">
          {reviewErrorText(locale, reviewError)}
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

      <div className={`editor-body${panelOpen ? '' : ' meta-collapsed'}${previewOpen ? ' with-preview' : ''}`}>
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
            readOnly={mode.readOnly}
          />
        </div>
        {previewOpen ? <PreviewPane session={session} /> : null}
        {panelOpen ? (
          <aside id={`${id}-meta`} className="meta-panel" aria-label={t('meta.panel')}>
            <div className="tabs" role="tablist">
              <button type="button" role="tab" aria-selected={sidePanel === 'meta'} onClick={() => setSidePanel('meta')}>
                {t('review.ui.side.meta')}
              </button>
              <button type="button" role="tab" aria-selected={sidePanel === 'review'} onClick={() => setSidePanel('review')}>
                {t('review.ui.side.review')}
                {review && review.comments.length > 0 ? ` (${review.comments.length})` : ''}
              </button>
              <button type="button" role="tab" aria-selected={sidePanel === 'publish'} onClick={() => setSidePanel('publish')}>
                {t('pubui.tab')}
              </button>
              <button type="button" role="tab" aria-selected={sidePanel === 'proof'} onClick={() => setSidePanel('proof')}>
                {t('proof.tab')}
                {proof.errors.length > 0 ? ` (${proof.errors.length})` : ''}
              </button>
            </div>
            {sidePanel === 'meta' ? (
              // A disabled fieldset locks every control of the form at once while the article is in review.
              <fieldset className="plain-fieldset" disabled={mode.readOnly}>
                <MetaPanel
                  session={session}
                  resolveSrc={resolveSrc}
                  onInsertAttendees={(sentence) => {
                    if (!editorRef.current || mode.readOnly) return;
                    editorRef.current.setAttendeesParagraph(sentence);
                    pushToast('info', t('editorScreen.attendeesInserted'));
                  }}
                />
              </fieldset>
            ) : sidePanel === 'publish' ? (
              <PublishPanel
                session={session}
                onPublished={() => void loadReview()}
                checkProofErrors={proof.checkNow}
                onProofGate={() => setGate('publish')}
              />
            ) : sidePanel === 'proof' ? (
              <ProofreadPanel
                state={proof.state}
                findings={proof.findings}
                packsError={proof.packsError}
                readOnly={mode.readOnly}
                onReveal={(finding) => {
                  const editor = getEditor();
                  if (editor) revealFinding(editor, finding);
                }}
                onApply={(finding) => {
                  const editor = getEditor();
                  if (!editor) return;
                  if (applySuggestion(editor, finding)) pushToast('info', t('proof.applied', { suggestion: finding.suggestion ?? '' }));
                  else pushToast('error', t('proof.stale'));
                }}
                onApplyAll={(findings) => {
                  const editor = getEditor();
                  if (!editor) return;
                  const fixed = applySuggestions(editor, findings);
                  if (fixed > 0) pushToast('info', t('proof.appliedAll', { n: fixed }));
                  else pushToast('error', t('proof.stale'));
                }}
              />
            ) : review ? (
              <ReviewPanel
                view={review}
                officeChain={officeChain}
                activeCommentId={activeCommentId}
                busy={busy}
                actions={reviewActions}
              />
            ) : (
              <p className="muted">{t('common.loading')}</p>
            )}
          </aside>
        ) : null}
      </div>

      {dialog === 'submit' ? (
        <TextPromptDialog
          title={t('review.ui.submit')}
          label={t('review.ui.submitNote')}
          intro={t('review.ui.submitIntro')}
          confirmLabel={t('review.ui.submit')}
          onConfirm={submitForReview}
          onClose={() => setDialog(null)}
        />
      ) : null}
      {dialog === 'approve' && review ? (
        <TextPromptDialog
          title={t('review.ui.approveTitle', { stage: review.stageName ?? '' })}
          label={t('review.ui.opinion')}
          confirmLabel={t('review.ui.approve')}
          onConfirm={async (opinion) => {
            let expectedHash = review.currentHash;
            if (reviewerEditing) {
              // The reviewer's own correction must be saved, and approved as saved.
              if (!(await session.flush())) throw new Error(t('review.ui.saveFirst'));
              expectedHash = (await loadReview())?.currentHash ?? expectedHash;
            }
            await runReview(() => api.invoke('review:approve', { id: articleId, opinion, expectedHash }));
            setReviewerEditing(false);
            setDialog(null);
            pushToast('info', t('review.ui.approved'));
          }}
          onClose={() => setDialog(null)}
        />
      ) : null}
      {dialog === 'requestChanges' && review ? (
        <TextPromptDialog
          title={t('review.ui.requestChanges')}
          label={t('review.ui.reason')}
          required
          requiredMessage={t('review.ui.reasonRequired')}
          danger
          confirmLabel={t('review.ui.requestChanges')}
          onConfirm={async (reason) => {
            await runReview(() =>
              api.invoke('review:requestChanges', { id: articleId, reason, expectedHash: review.currentHash }),
            );
            setReviewerEditing(false);
            setDialog(null);
            pushToast('info', t('review.ui.returned'));
          }}
          onClose={() => setDialog(null)}
        />
      ) : null}
      {gate ? (
        <GateDialog
          action={gate}
          errors={proof.errors}
          mayOverride={hasRole(person, 'reviewer') || hasRole(person, 'publisher')}
          onOverride={overrideFinding}
          onReveal={(finding) => {
            const editor = getEditor();
            if (editor) revealFinding(editor, finding);
          }}
          onRetry={() => {
            setGate(null);
            if (gate === 'submit') setDialog('submit');
            else setSidePanel('publish');
          }}
          onClose={() => setGate(null)}
        />
      ) : null}
      {dialog === 'diff' ? <DiffDialog articleId={articleId} onClose={() => setDialog(null)} /> : null}
      {dialog === 'signoff' ? <SignoffDialog articleId={articleId} onClose={() => setDialog(null)} /> : null}
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
