import { useId, useState } from 'react';
import type { LocatedComment, ReviewView } from '../../../shared/api/contract';
import { shortHash } from '../../../shared/workflow/canonical';
import type { CommentUpdate, ReviewChain } from '../../../shared/workflow/review-chain';
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
  /** Replies in a thread, or edits / withdraws / resolves / reopens; false when refused (the draft stays). */
  thread(act: { reply: string; body: string } | { commentId: string; action: CommentUpdate; body?: string }): Promise<boolean>;
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
          <CommentThreads view={view} chain={chain} activeCommentId={props.activeCommentId} busy={props.busy} actions={actions} myId={person?.id ?? null} />
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

/**
 * Comments as threads: each first comment with its replies. Open threads come
 * first; resolved ones fold away under one line. Its author may edit or
 * withdraw a comment until someone else has answered it.
 */
function CommentThreads(props: {
  view: ReviewView;
  chain: ReviewChain | null;
  activeCommentId: string | null;
  busy: boolean;
  actions: ReviewPanelActions;
  myId: string | null;
}) {
  const t = useT();
  const { view, actions } = props;
  const [replying, setReplying] = useState<{ threadId: string; body: string } | null>(null);
  const [editing, setEditing] = useState<{ commentId: string; body: string } | null>(null);
  const threads = view.comments.filter((c) => !c.replyTo);
  const repliesTo = (threadId: string) => view.comments.filter((c) => c.replyTo === threadId);
  const answered = (comment: LocatedComment) => {
    const threadId = comment.replyTo ?? comment.id;
    return view.comments.some((c) => !c.deleted && c.replyTo === threadId && c.authorId !== comment.authorId && c.at >= comment.at && c.id !== comment.id);
  };
  const canTalk = view.canAct.comment;

  const one = (comment: LocatedComment) => (
    <div className="comment" data-testid="review-comment" data-comment-id={comment.id}>
      <div className="small muted">
        {comment.authorName} · {minute(comment.at)}
        {comment.stageId ? ` · ${stageNameOf(props.chain, comment.stageId)}` : ''}
        {comment.editedAt && !comment.deleted ? ` · ${t('review.ui.thread.edited')}` : ''}
      </div>
      {comment.anchor && !comment.replyTo ? (
        comment.detached ? (
          <div className="comment-quote detached">
            <del>{comment.anchor.quote}</del> <span className="small">{t('review.ui.detached')}</span>
          </div>
        ) : (
          <button type="button" className="link-button comment-quote" onClick={() => actions.focusComment(comment.id)}>
            “{comment.anchor.quote}”
          </button>
        )
      ) : !comment.replyTo ? (
        <div className="small muted">{t('review.ui.onWhole')}</div>
      ) : null}
      {comment.deleted ? (
        <div className="comment-body muted">{t('review.ui.thread.withdrawn')}</div>
      ) : editing?.commentId === comment.id ? (
        <div className="comment-draft">
          <textarea
            aria-label={t('review.ui.thread.editLabel')}
            value={editing.body}
            rows={3}
            maxLength={10_000}
            onChange={(event) => setEditing({ ...editing, body: event.target.value })}
          />
          <div className="button-row">
            <button
              type="button"
              className="primary"
              disabled={props.busy || !editing.body.trim()}
              onClick={() => void actions.thread({ commentId: comment.id, action: 'edit', body: editing.body.trim() }).then((ok) => ok && setEditing(null))}
            >
              {t('review.ui.thread.saveEdit')}
            </button>
            <button type="button" onClick={() => setEditing(null)}>
              {t('common.cancel')}
            </button>
          </div>
        </div>
      ) : (
        <div className="comment-body">{comment.body}</div>
      )}
      {canTalk && !comment.deleted && comment.authorId === props.myId && !answered(comment) && editing?.commentId !== comment.id ? (
        <div className="button-row small">
          <button type="button" className="link-button" onClick={() => setEditing({ commentId: comment.id, body: comment.body })}>
            {t('review.ui.thread.edit')}
          </button>
          <button type="button" className="link-button" disabled={props.busy} onClick={() => void actions.thread({ commentId: comment.id, action: 'delete' })}>
            {t('review.ui.thread.withdraw')}
          </button>
        </div>
      ) : null}
    </div>
  );

  const thread = (root: LocatedComment) => (
    <li key={root.id} className={`comment-thread${root.id === props.activeCommentId ? ' is-active' : ''}`}>
      {one(root)}
      {repliesTo(root.id).length > 0 ? (
        <ul className="comment-replies" aria-label={t('review.ui.thread.replies')}>
          {repliesTo(root.id).map((reply) => (
            <li key={reply.id}>{one(reply)}</li>
          ))}
        </ul>
      ) : null}
      {canTalk && !root.deleted ? (
        replying?.threadId === root.id ? (
          <div className="comment-draft">
            <textarea
              aria-label={t('review.ui.thread.replyLabel')}
              value={replying.body}
              rows={2}
              maxLength={10_000}
              onChange={(event) => setReplying({ ...replying, body: event.target.value })}
              data-autofocus
            />
            <div className="button-row">
              <button
                type="button"
                className="primary"
                disabled={props.busy || !replying.body.trim()}
                onClick={() => void actions.thread({ reply: root.id, body: replying.body.trim() }).then((ok) => ok && setReplying(null))}
              >
                {t('review.ui.thread.send')}
              </button>
              <button type="button" onClick={() => setReplying(null)}>
                {t('common.cancel')}
              </button>
            </div>
          </div>
        ) : (
          <div className="button-row small">
            {!root.resolved ? (
              <button type="button" className="link-button" onClick={() => setReplying({ threadId: root.id, body: '' })}>
                {t('review.ui.thread.reply')}
              </button>
            ) : null}
            <button
              type="button"
              className="link-button"
              disabled={props.busy}
              onClick={() => void actions.thread({ commentId: root.id, action: root.resolved ? 'reopen' : 'resolve' })}
            >
              {root.resolved ? t('review.ui.thread.reopen') : t('review.ui.thread.resolve')}
            </button>
          </div>
        )
      ) : null}
    </li>
  );

  const open = threads.filter((c) => !c.resolved);
  const resolved = threads.filter((c) => c.resolved);
  return (
    <>
      <ul className="comment-list" aria-label={t('review.ui.comments')}>
        {open.map(thread)}
      </ul>
      {resolved.length > 0 ? (
        <details className="resolved-threads">
          <summary>{t('review.ui.thread.resolvedCount', { n: resolved.length })}</summary>
          <ul className="comment-list" aria-label={t('review.ui.thread.resolvedList')}>
            {resolved.map(thread)}
          </ul>
        </details>
      ) : null}
    </>
  );
}
