import type { NotificationKind } from '../../../shared/api/contract';
import type { ArticleSummary } from '../../../shared/domain/article';
import type { MessageKey, MessageParams } from '../../../shared/i18n';
import type { ArticleVerdict, TrailEvent } from '../../../shared/record/verify';
import { currentStage, type Person, type ReviewChain, type ReviewState, reviewQueue } from '../../../shared/workflow/review-chain';

/*
 * Notifications are read off an article's verified record, never stored: what
 * happened (the signed acts in the trail) and where the article stands (the
 * replayed state). `articleFacts` keeps what every person's list needs from one
 * verdict; `notificationsFor` picks one person's share of it.
 */

/** An act the article's writers are told about. */
export interface WriterEvent {
  kind: Extract<NotificationKind, 'returned' | 'approved' | 'published' | 'withdrawn' | 'corrected'>;
  /** When the act happened; for a run of corrections, when the run began (the notification's id). */
  firstAt: string;
  /** When it last happened: a run of corrections is one notification, dated by its last save. */
  at: string;
  actorId: string;
  stageId: string | null;
  reason: string;
}

/** What one verdict says that anyone's notifications may draw on. */
export interface ArticleFacts {
  writerEvents: WriterEvent[];
  state: ReviewState;
  /** Every entry verified: only then is the article offered for review or publishing. */
  intact: boolean;
  /** Who moved the article to the stage it now waits at (null unless in review). */
  arrivedBy: string | null;
  /** The final approval of the text the record holds (null unless approved). */
  finalApproval: { at: string; actorId: string; stageId: string | null } | null;
  published: ArticleVerdict['published'];
  withdrawn: ArticleVerdict['withdrawn'];
}

/** One notification before names, title and read marks are filled in. */
export interface DraftNotification {
  id: string;
  kind: NotificationKind;
  at: string;
  actorId: string | null;
  messageKey: MessageKey;
  /** Placeholders other than `{title}` and `{actor}`, which the caller fills. */
  params: MessageParams;
}

const WRITER_KINDS: Partial<Record<TrailEvent['type'], WriterEvent['kind']>> = {
  request_changes: 'returned',
  publish: 'published',
  withdraw: 'withdrawn',
};

/** The acts writers hear of, oldest first; consecutive corrections by one reviewer at one stage are one. */
function writerEvents(trail: readonly TrailEvent[]): WriterEvent[] {
  const out: WriterEvent[] = [];
  for (const event of trail) {
    let kind = WRITER_KINDS[event.type];
    if (event.type === 'approve' && event.final) kind = 'approved';
    // A correction carries the stage it was made at; the writer's own edits carry none.
    if (event.type === 'edit' && event.stageId !== null) kind = 'corrected';
    if (!kind) continue;
    const stageId = 'stageId' in event ? event.stageId : null;
    const reason = event.type === 'request_changes' || event.type === 'withdraw' ? event.reason : '';
    const last = out.at(-1);
    // Every save of a reviewer's correction is signed: a writer wants to hear of the correction, not of each save.
    if (kind === 'corrected' && last?.kind === 'corrected' && last.actorId === event.actorId && last.stageId === stageId) {
      last.at = event.at;
      continue;
    }
    out.push({ kind, firstAt: event.at, at: event.at, actorId: event.actorId, stageId, reason });
  }
  return out;
}

/** Reads what notifications need off one verdict. */
export function articleFacts(verdict: ArticleVerdict): ArticleFacts {
  const { state, trail } = verdict;
  let arrivedBy: string | null = null;
  if (state.status === 'in_review' && state.stageEnteredAt !== null) {
    // The act that moved it there carries the same time: a submission, an approval of the stage before, a correction sending it back.
    arrivedBy = trail.findLast((e) => e.at === state.stageEnteredAt && e.type !== 'comment')?.actorId ?? state.submittedBy;
  }
  let finalApproval: ArticleFacts['finalApproval'] = null;
  if (state.status === 'approved') {
    const approval = trail.findLast((e) => e.type === 'approve' && e.final);
    if (approval?.type === 'approve') finalApproval = { at: approval.at, actorId: approval.actorId, stageId: approval.stageId };
    else if (state.submittedAt && state.submittedBy) {
      // Resubmitted unchanged text whose approvals all still held: approved again by the submission.
      finalApproval = { at: state.submittedAt, actorId: state.submittedBy, stageId: null };
    }
  }
  return {
    writerEvents: writerEvents(trail),
    state,
    intact: verdict.intact,
    arrivedBy,
    finalApproval,
    published: verdict.published,
    withdrawn: verdict.withdrawn,
  };
}

/** The name of a stage of the chain the article was submitted under, else of the office's chain, else its id. */
export function stageName(stageId: string | null, ...chains: (ReviewChain | null)[]): string {
  if (stageId === null) return '';
  for (const chain of chains) {
    const stage = chain?.stages.find((s) => s.id === stageId);
    if (stage) return stage.name;
  }
  return stageId;
}

const WRITER_MESSAGES: Record<WriterEvent['kind'], MessageKey> = {
  returned: 'notify.returned',
  approved: 'notify.approved',
  published: 'notify.published',
  withdrawn: 'notify.withdrawn',
  corrected: 'notify.corrected',
};

/**
 * One person's notifications about one article: as its writer (who created or
 * submitted it) the acts of others on it since `since`; as a reviewer the
 * article when it waits at a stage they may approve (the review queue's own
 * rule); as a publisher the article approved and not live with this text.
 */
export function notificationsFor(
  person: Person,
  summary: Pick<ArticleSummary, 'id' | 'createdBy'>,
  facts: ArticleFacts,
  officeChain: ReviewChain,
  since: string,
): DraftNotification[] {
  const out: DraftNotification[] = [];
  const { state } = facts;
  const id = (kind: NotificationKind, at: string) => `${summary.id}:${kind}:${at}`;
  const writers = new Set([summary.createdBy, state.submittedBy].filter((w): w is string => Boolean(w)));
  if (writers.has(person.id)) {
    for (const event of facts.writerEvents) {
      if (event.actorId === person.id || event.at < since) continue;
      out.push({
        id: id(event.kind, event.firstAt),
        kind: event.kind,
        at: event.at,
        actorId: event.actorId,
        messageKey: WRITER_MESSAGES[event.kind],
        params: { stage: stageName(event.stageId, state.chain, officeChain), reason: event.reason },
      });
    }
  }
  if (!facts.intact) return out;
  if (state.status === 'in_review' && state.stageEnteredAt && reviewQueue(person, [{ review: state }], officeChain).length > 0) {
    const stage = currentStage(state);
    out.push({
      id: id('queued', state.stageEnteredAt),
      kind: 'queued',
      at: state.stageEnteredAt,
      actorId: facts.arrivedBy,
      messageKey: 'notify.queued',
      params: { stage: stage?.name ?? '' },
    });
  }
  const approval = facts.finalApproval;
  const liveWithThisText = facts.published !== null && facts.published.contentHash === state.contentHash;
  if (approval && person.roles.includes('publisher') && person.active && !facts.withdrawn && !liveWithThisText) {
    out.push({
      id: id('toPublish', approval.at),
      kind: 'toPublish',
      at: approval.at,
      actorId: approval.actorId,
      messageKey: facts.published ? 'notify.toPublishChanged' : 'notify.toPublish',
      params: { stage: stageName(approval.stageId, state.chain, officeChain) },
    });
  }
  return out;
}
