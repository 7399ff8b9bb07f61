import { isLocked } from '../../../../shared/workflow/locks';
import { reviewErrorText } from '../../review/review-errors';
import type { EditingMode } from '../../review/review-logic';
import { formatLocalMinute } from '../../state/datetime';
import { describeError } from '../../state/errors';
import { useLocale, useT } from '../../state/settings';
import { useStore } from '../../state/store';
import type { EditorWorkspace } from './editor-workspace';

/** What the writer must know above the text: a save conflict, the review's lock and notices, an unsaved local copy. */
export function EditorBanners({ workspace, mode, onReload }: { workspace: EditorWorkspace; mode: EditingMode; onReload(): void }) {
  const t = useT();
  const locale = useLocale();
  const { session } = workspace;
  const state = useStore(session.store);
  const { view: review, error: reviewError, reviewerEditing } = useStore(workspace.review.store);
  const status = review?.state.status ?? null;
  const lockBanner =
    review && status && mode.readOnly && isLocked(status)
      ? status === 'in_review'
        ? t('review.ui.lockedInReview', { stage: review.stageName ?? '' })
        : t('review.ui.lockedApproved')
      : null;
  const copy = state.offeredCopy;

  return (
    <>
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
    </>
  );
}
