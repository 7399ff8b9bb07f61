import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { ArticleStatus } from '../../../../shared/domain/article';
import type { Doc } from '../../../../shared/domain/doc';
import type { TextCounts } from '../../../../shared/text/count';
import { useCommand } from '../../commands/app-commands';
import { ArticleEditor, type ArticleEditorHandle } from '../../editor';
import { ProofMarkMenu } from '../../proofread/ProofMarkMenu';
import { PreviewPane } from '../../publish/PreviewPane';
import { useProofreading } from '../../proofread/use-proofreading';
import { showHighlights } from '../../review/editor-bridge';
import { addImage, editPhoto, resolveAssetSrc } from '../../state/assets';
import type { PhotoEdit } from '../../../../shared/domain/photo';
import type { EditorSession } from '../../state/editor-session';
import { useLocale, useT } from '../../state/settings';
import { useStore, useStoreSelect } from '../../state/store';
import { EditorBanners } from './EditorBanners';
import { EditorDialogs } from './EditorDialogs';
import { EditorSidePanel } from './EditorSidePanel';
import { EditorTopbar } from './EditorTopbar';
import { ConflictLoadError, ConflictView } from './conflict/ConflictView';
import { createArticleConflict, watchConflict } from './conflict/open-conflict';
import { createEditorWorkspace } from './open-article';

/**
 * One open article: the editor with its top bar, banners, side panel and
 * dialogs. Every action goes through the {@link EditorWorkspace} controller;
 * this component only ties it to the editor's DOM.
 */
export function EditorWorkspaceView({
  session,
  initialStatus,
  onReload,
  onReopen,
}: {
  session: EditorSession;
  initialStatus: ArticleStatus;
  onReload(): void;
  /** Opens the article again as stored, keeping unsaved work's local copy (after a sync conflict appears or is decided). */
  onReopen(): void;
}) {
  const t = useT();
  const locale = useLocale();
  const id = useId();
  // Only what this view itself needs from the session: a save state or a metadata edit re-renders the parts that show it, not the editor.
  const editorKey = useStoreSelect(session.store, (value) => value.editorKey);
  const initialDoc = useStoreSelect(session.store, (value) => value.initialDoc);
  const state = { editorKey, initialDoc };
  const editorRef = useRef<ArticleEditorHandle>(null);
  const getEditor = useCallback(() => {
    try {
      return editorRef.current?.getEditor() ?? null;
    } catch {
      return null;
    }
  }, []);
  const proof = useProofreading(session, getEditor, state.editorKey);
  const proofRef = useRef(proof);
  proofRef.current = proof;
  const [workspace] = useState(() =>
    createEditorWorkspace(session, initialStatus, {
      checkNow: () => proofRef.current.checkNow(),
      markOverridden: (finding, serverFindings) => proofRef.current.markOverridden(finding, serverFindings),
    }),
  );
  const ui = useStore(workspace.store);
  const { view: review, activeCommentId } = useStore(workspace.review.store);
  const [conflict] = useState(() => createArticleConflict(session, onReopen));
  const { view: conflictView } = useStore(conflict.store);
  // While a sync conflict waits for the person's decision nothing is editable: a save would decide it without them.
  const mode = conflictView ? { readOnly: true, reviewerMayEdit: false } : workspace.editingMode();
  const articleId = session.articleId;

  useEffect(() => {
    void workspace.open();
  }, [workspace]);
  useEffect(() => watchConflict(conflict), [conflict]);
  useEffect(() => workspace.attach(() => editorRef.current?.flush()), [workspace]);

  // biome-ignore lint/correctness/useExhaustiveDependencies: a new editor (editorKey) needs the highlights again
  useEffect(() => {
    const editor = editorRef.current?.getEditor();
    if (!editor || !review) return;
    const passages = review.comments.flatMap((comment) =>
      comment.range ? [{ id: comment.id, start: comment.range.start, end: comment.range.end }] : [],
    );
    showHighlights(editor, passages, activeCommentId);
  }, [review, activeCommentId, state.editorKey]);

  // An article just created or opened from the list leaves focus nowhere (the control that opened it is gone):
  // put it in the text, so the writer can type at once and Tab starts from the editor, not the page's top.
  // biome-ignore lint/correctness/useExhaustiveDependencies: once per article and editor instance
  useEffect(() => {
    if (mode.readOnly) return;
    const frame = requestAnimationFrame(() => {
      const active = document.activeElement;
      if (active && active !== document.body) return;
      editorRef.current?.focus();
    });
    return () => cancelAnimationFrame(frame);
  }, [articleId, state.editorKey]);

  // 保存版本 (Ctrl+S) asks for the version's name, as its button does; 导出 as JSON or HTML is this screen's (Word and PDF: the 公文 tools').
  useCommand('saveVersion', () => workspace.openDialog('saveVersion'));
  useCommand('export', (request) => {
    if (request.format !== 'json' && request.format !== 'html') return false;
    void workspace.exportAs(request.format);
    return true;
  });

  const resolveSrc = useCallback((src: string) => resolveAssetSrc(articleId, src), [articleId]);
  const onAddAsset = useCallback((file: File) => addImage(articleId, file, file.name || 'image'), [articleId]);
  const onEditPhoto = useCallback((original: string, edit: PhotoEdit) => editPhoto(articleId, original, edit), [articleId]);
  const onChange = useCallback((doc: Doc) => session.updateDoc(doc), [session]);
  const onEditStarted = useCallback(() => session.noteEditStarted(), [session]);
  const onCounts = useCallback((counts: TextCounts) => session.setCounts(counts), [session]);

  return (
    <section className="screen editor-screen" aria-labelledby={`${id}-title`}>
      <EditorTopbar workspace={workspace} titleId={`${id}-title`} panelId={`${id}-meta`} mode={mode} />
      <EditorBanners workspace={workspace} mode={mode} onReload={onReload} />

      <div className={`editor-body${ui.panelOpen ? '' : ' meta-collapsed'}${ui.previewOpen ? ' with-preview' : ''}`}>
        <div className="editor-main">
          <ConflictLoadError conflict={conflict} />
          {conflictView ? <ConflictView conflict={conflict} view={conflictView} doc={state.initialDoc} resolveSrc={resolveSrc} /> : null}
          {/* Hidden, not unmounted, while the conflict view stands in for it: proofreading and the counts keep their editor. */}
          <div hidden={conflictView !== null}>
            <ArticleEditor
              key={`${articleId}-${state.editorKey}`}
              ref={editorRef}
              initialDoc={state.initialDoc}
              onChange={onChange}
              onEditStarted={onEditStarted}
              resolveSrc={resolveSrc}
              addAsset={onAddAsset}
              editPhoto={onEditPhoto}
              locale={locale}
              onCounts={onCounts}
              readOnly={mode.readOnly}
            />
          </div>
        </div>
        {ui.previewOpen ? <PreviewPane session={session} /> : null}
        {ui.panelOpen ? (
          <aside id={`${id}-meta`} className="meta-panel" aria-label={t('meta.panel')}>
            <EditorSidePanel
              workspace={workspace}
              proof={proof}
              editorRef={editorRef}
              getEditor={getEditor}
              resolveSrc={resolveSrc}
              readOnly={mode.readOnly}
            />
          </aside>
        ) : null}
      </div>

      <EditorDialogs workspace={workspace} proof={proof} getEditor={getEditor} resolveSrc={resolveSrc} />
      <ProofMarkMenu getEditor={getEditor} editorKey={state.editorKey} readOnly={mode.readOnly} onIgnore={proof.ignore} />
    </section>
  );
}
