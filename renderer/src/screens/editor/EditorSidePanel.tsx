import type { Editor } from '@tiptap/core';
import type { RefObject } from 'react';
import { MetaPanel } from '../../components/MetaPanel';
import type { ArticleEditorHandle } from '../../editor';
import { applySuggestion, applySuggestions, revealFinding } from '../../proofread/marks';
import { ProofreadPanel } from '../../proofread/ProofreadPanel';
import type { Proofreading } from '../../proofread/use-proofreading';
import { PublishPanel } from '../../publish/PublishPanel';
import { scrollToComment, selectedPassage } from '../../review/editor-bridge';
import { ReviewPanel, type ReviewPanelActions } from '../../review/ReviewPanel';
import { pushToast } from '../../state/notifications';
import { useT } from '../../state/settings';
import { useStore } from '../../state/store';
import type { EditorWorkspace } from './editor-workspace';

/** The side panel's tabs: metadata, review, publishing and proofreading. */
export function EditorSidePanel({
  workspace,
  proof,
  editorRef,
  getEditor,
  resolveSrc,
  readOnly,
}: {
  workspace: EditorWorkspace;
  proof: Proofreading;
  editorRef: RefObject<ArticleEditorHandle | null>;
  getEditor(): Editor | null;
  resolveSrc(src: string): string;
  readOnly: boolean;
}) {
  const t = useT();
  const { session, review } = workspace;
  const { sidePanel, busy } = useStore(workspace.store);
  const { view, officeChain, activeCommentId } = useStore(review.store);

  // Open discussions count; resolved and withdrawn ones do not ask for attention.
  const openThreads = (v: NonNullable<typeof view>) => v.comments.filter((c) => !c.replyTo && !c.resolved && !c.deleted).length;
  const reviewActions: ReviewPanelActions = {
    approve: () => workspace.openDialog('approve'),
    requestChanges: () => workspace.openDialog('requestChanges'),
    pickPassage: () => {
      const editor = editorRef.current?.getEditor();
      return editor ? selectedPassage(editor) : null;
    },
    comment: (body, passage) => workspace.comment(body, passage),
    thread: (act) => workspace.commentThread(act),
    focusComment: (commentId) => {
      review.focusComment(commentId);
      const editor = editorRef.current?.getEditor();
      if (editor) window.setTimeout(() => scrollToComment(editor, commentId), 0);
    },
  };

  return (
    <>
      <div className="tabs" role="tablist">
        <button type="button" role="tab" aria-selected={sidePanel === 'meta'} onClick={() => workspace.showSidePanel('meta')}>
          {t('review.ui.side.meta')}
        </button>
        <button type="button" role="tab" aria-selected={sidePanel === 'review'} onClick={() => workspace.showSidePanel('review')}>
          {t('review.ui.side.review')}
          {view && openThreads(view) > 0 ? ` (${openThreads(view)})` : ''}
        </button>
        <button type="button" role="tab" aria-selected={sidePanel === 'publish'} onClick={() => workspace.showSidePanel('publish')}>
          {t('pubui.tab')}
        </button>
        <button type="button" role="tab" aria-selected={sidePanel === 'proof'} onClick={() => workspace.showSidePanel('proof')}>
          {t('proof.tab')}
          {proof.errors.length > 0 ? ` (${proof.errors.length})` : ''}
        </button>
      </div>
      {sidePanel === 'meta' ? (
        // A disabled fieldset locks every control of the form at once while the article is in review.
        <fieldset className="plain-fieldset" disabled={readOnly}>
          <MetaPanel
            session={session}
            resolveSrc={resolveSrc}
            onInsertAttendees={(sentence) => {
              if (!editorRef.current || readOnly) return;
              editorRef.current.setAttendeesParagraph(sentence);
              pushToast('info', t('editorScreen.attendeesInserted'));
            }}
          />
        </fieldset>
      ) : sidePanel === 'publish' ? (
        <PublishPanel publishing={workspace.publishing} />
      ) : sidePanel === 'proof' ? (
        <ProofreadPanel
          state={proof.state}
          findings={proof.findings}
          ignoredErrors={proof.errors.length - proof.findings.filter((finding) => finding.severity === 'error').length}
          packsError={proof.packsError}
          readOnly={readOnly}
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
      ) : view ? (
        <ReviewPanel view={view} officeChain={officeChain} activeCommentId={activeCommentId} busy={busy} actions={reviewActions} />
      ) : (
        <p className="muted">{t('common.loading')}</p>
      )}
    </>
  );
}
