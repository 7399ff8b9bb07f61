import { useId, useState } from 'react';
import type { ReviewView } from '../../../shared/api/contract';
import { shortHash } from '../../../shared/workflow/canonical';
import type { ReviewChain } from '../../../shared/workflow/review-chain';
import { FieldError } from '../components/Field';
import { formatLocalMinute } from '../state/datetime';
import { useCurrentPerson } from '../state/session';
import { useLocale, useT } from '../state/settings';
import type { SelectedPassage } from './editor-bridge';
import { type DiffSinceApproval, DiffDialog } from './ReviewDialogs';
import { approvalStanding, eventDetail, mayReviewCorrections, newestFirst, stageNameOf, stageProgress } from './review-logic';

function minute(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : formatLocalMinute(date);
}

/** What the panel asks the screen to do. */
export interface ReviewPanelActions {
  approve(): void;
  requestChanges(): void;
  /** Adds a comment; `passage` null means the whole article. */
  comment(body: string, passage: SelectedPassage | null): Promise<boolean>;
  /** The passage selected in the editor now, or null. */
  pickPassage(): SelectedPassage | null;
  focusComment(commentId: string): void;
}

/** Stage progress, approvals, comments and the review actions for one article. */
export function ReviewPanel(props: {
  view: ReviewView;
  officeChain: ReviewChain | null;
  activeCommentId: string | null;
  busy: boolean;
  actions: ReviewPanelActions;
}) {
  const t = useT();
  const locale = useLocale();
  const id = useId();
  const { view, actions } = props;
  const [tab, setTab] = useState<'review' | 'audit'>('review');
  const [draft, setDraft] = useState<{ passage: SelectedPassage | null; body: string } | null>(null);
  const [draftError, setDraftError] = useState<string | null>(null);
  const [diffSince, setDiffSince] = useState<DiffSinceApproval | null>(null);
  const person = useCurrentPerson();
  const steps = stageProgress(view, props.officeChain);
  const chain = view.state.chain ?? props.officeChain;
  const nameOf = (personId: string) => view.names[personId] ?? personId;
  const showCorrections = mayReviewCorrections(view, person, props.officeChain);

  const startComment = (onPassage: boolean) => {
    setDraftError(null);
    if (!onPassage) return setDraft({ passage: null, body: '' });
    const passage = actions.pickPassage();
    if (!passage) {
      setDraftError(t('review.ui.selectFirst'));
      return;
    }
    setDraft({ passage, body: '' });
  };

  const saveComment = async () => {
    if (!draft) return;
    if (!draft.body.trim()) return setDraftError(t('review.ui.commentRequired'));
    if (await actions.comment(draft.body.trim(), draft.passage)) setDraft(null);
  };

  return (
    <div className="review-panel">
      {view.record && !view.record.intact ? (
        <div className="notice error" role="alert">
          <strong>{t('review.ui.record.broken')}</strong>{' '}
          {t('review.ui.record.brokenHelp', { problems: view.record.problems.map((p) => p.message).join('；') })}
        </div>
      ) : null}
      <div className="tabs" role="tablist" aria-label={t('review.ui.panel')}>
        <button type="button" role="tab" aria-selected={tab === 'review'} onClick={() => setTab('review')}>
          {t('review.ui.tab.review')}
        </button>
        <button type="button" role="tab" aria-selected={tab === 'audit'} onClick={() => setTab('audit')}>
          {t('review.ui.tab.audit')}
        </button>
      </div>

      {tab === 'review' ? (
        <div role="tabpanel" aria-label={t('review.ui.tab.review')}>
          {steps.length > 0 ? (
            <ol className="stage-progress" aria-label={t('review.ui.progress')}>
              {steps.map((step) => (
                <li key={step.stageId} className={`stage stage-${step.status}`} aria-current={step.status === 'current' ? 'step' : undefined}>
                  {step.name}
                  {step.status === 'done' ? ' ✓' : ''}
                  {step.earlierVersion ? <span className="small muted">{t('review.ui.stageEarlierVersion')}</span> : null}
                  {step.status === 'current' ? ` ${t('review.ui.currentStage')}` : ''}
                </li>
              ))}
            </ol>
          ) : (
            <p className="muted small">{t('review.ui.notSubmitted')}</p>
          )}

          {view.canAct.approve || view.canAct.requestChanges ? (
            <div className="button-row">
              {view.canAct.approve ? (
                <button type="button" className="primary" disabled={props.busy} onClick={actions.approve}>
                  {t('review.ui.approve')}
                </button>
              ) : null}
              {view.canAct.requestChanges ? (
                <button type="button" className="danger" disabled={props.busy} onClick={actions.requestChanges}>
                  {t('review.ui.requestChanges')}
                </button>
              ) : null}
            </div>
          ) : null}

          <h3 className="panel-heading">{t('review.ui.approvals')}</h3>
          {view.state.approvals.length === 0 ? <p className="muted small">{t('review.ui.noApprovals')}</p> : null}
          <ul className="approval-list" aria-label={t('review.ui.approvals')}>
            {view.state.approvals.map((approval) => {
              const standing = approvalStanding(approval, view.currentHash);
              const stage = stageNameOf(chain, approval.stageId);
              return (
                <li key={`${approval.stageId}-${approval.at}`} className={standing === 'stale' ? 'stale' : ''}>
                  <strong>{stage}</strong> · {nameOf(approval.personId)} · {minute(approval.at)}
                  {standing === 'earlierVersion' ? (
                    <>
                      {' · '}
                      <span title={t('review.ui.earlierVersionHelp')}>{t('review.ui.earlierVersion')}</span>
                    </>
                  ) : null}
                  {approval.opinion ? <div>{approval.opinion}</div> : null}
                  <div className="small muted">
                    <code title={approval.contentHash}>{shortHash(approval.contentHash)}</code>
                    {standing === 'stale' ? ` ${t('review.ui.staleApproval')}` : ''}
                    {standing === 'earlierVersion' && showCorrections ? (
                      <>
                        {' '}
                        <button
                          type="button"
                          className="link-button"
                          aria-label={t('review.ui.viewChangesLabel', { stage })}
                          onClick={() =>
                            setDiffSince({ approval, stageName: stage, approverName: nameOf(approval.personId), events: view.events })
                          }
                        >
                          {t('review.ui.viewChanges')}
                        </button>
                      </>
                    ) : null}
                  </div>
                </li>
              );
            })}
          </ul>
          {view.state.invalidatedApprovals.length > 0 ? (
            <details className="invalidated">
              <summary>{t('review.ui.invalidated', { n: view.state.invalidatedApprovals.length })}</summary>
              <ul>
                {view.state.invalidatedApprovals.map((approval) => (
                  <li key={`${approval.stageId}-${approval.at}-${approval.invalidatedAt}`}>
                    {stageNameOf(chain, approval.stageId)} · {nameOf(approval.personId)} · {minute(approval.at)}：{approval.reason}
                  </li>
                ))}
              </ul>
            </details>
          ) : null}

          <h3 className="panel-heading">{t('review.ui.comments')}</h3>
          {view.canAct.comment ? (
            <div className="button-row">
              <button
                type="button"
                // Keep the editor's selection: a mousedown here would otherwise clear it first.
                onMouseDown={(event) => event.preventDefault()}
                onClick={() => startComment(true)}
              >
                {t('review.ui.commentPassage')}
              </button>
              <button type="button" onClick={() => startComment(false)}>
                {t('review.ui.commentWhole')}
              </button>
            </div>
          ) : null}
          {draft ? (
            <div className="comment-draft">
              <p className="small">
                {draft.passage ? t('review.ui.onPassage', { quote: draft.passage.quote }) : t('review.ui.onWhole')}
              </p>
              <label htmlFor={`${id}-comment`} className="sr-only">
                {t('review.ui.commentBody')}
              </label>
              <textarea
                id={`${id}-comment`}
                aria-label={t('review.ui.commentBody')}
                value={draft.body}
                rows={3}
                maxLength={10_000}
                onChange={(event) => setDraft({ ...draft, body: event.target.value })}
                data-autofocus
              />
              <div className="button-row">
                <button type="button" className="primary" disabled={props.busy} onClick={() => void saveComment()}>
                  {t('review.ui.saveComment')}
                </button>
                <button type="button" onClick={() => setDraft(null)}>
                  {t('common.cancel')}
                </button>
              </div>
            </div>
          ) : null}
          <FieldError message={draftError} />
          {view.comments.length === 0 ? <p className="muted small">{t('review.ui.noComments')}</p> : null}
          <ul className="comment-list" aria-label={t('review.ui.comments')}>
            {view.comments.map((comment) => (
              <li key={comment.id} className={comment.id === props.activeCommentId ? 'is-active' : ''} data-testid="review-comment">
                <div className="small muted">
                  {comment.authorName} · {minute(comment.at)}
                  {comment.stageId ? ` · ${stageNameOf(chain, comment.stageId)}` : ''}
                </div>
                {comment.anchor ? (
                  comment.detached ? (
                    <div className="comment-quote detached">
                      <del>{comment.anchor.quote}</del> <span className="small">{t('review.ui.detached')}</span>
                    </div>
                  ) : (
                    <button type="button" className="link-button comment-quote" onClick={() => actions.focusComment(comment.id)}>
                      “{comment.anchor.quote}”
                    </button>
                  )
                ) : (
                  <div className="small muted">{t('review.ui.onWhole')}</div>
                )}
                <div className="comment-body">{comment.body}</div>
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <div role="tabpanel" aria-label={t('review.ui.tab.audit')}>
          <ol className="audit-trail" aria-label={t('review.ui.tab.audit')}>
            {newestFirst(view.events).map(({ seq, event }) => (
              <li key={seq}>
                <div className="small muted">
                  {minute(event.at)} · {nameOf(event.actorId)}
                </div>
                <div>
                  <strong>{t(`review.ui.event.${event.type}`)}</strong>
                  {'stageId' in event && event.stageId ? `（${stageNameOf(chain, event.stageId)}）` : ''}
                </div>
                {eventDetail(event, t, locale) ? <div className="small">{eventDetail(event, t, locale)}</div> : null}
              </li>
            ))}
          </ol>
        </div>
      )}
      {diffSince ? <DiffDialog articleId={view.articleId} since={diffSince} onClose={() => setDiffSince(null)} /> : null}
    </div>
  );
}
