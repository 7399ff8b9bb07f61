import type { ReviewView } from '../../../shared/api/contract';
import type { ArticleStatus, RevisionSummary } from '../../../shared/domain/article';
import { isLocked, isOpenForWriting } from '../../../shared/workflow/locks';
import {
  type Approval,
  approvalHolds,
  isApprovalOfEarlierVersion,
  mayActOnStage,
  type Person,
  type ReviewChain,
  stagesNeedingReview,
} from '../../../shared/workflow/review-chain';
import type { TrailEvent } from '../../../shared/record/verify';
import type { Locale } from '../../../shared/domain/settings';
import { findingMessage } from '../../../shared/proofread/messages';
import type { ProofMessageKey } from '../../../shared/proofread/types';
import type { Translator } from '../state/settings';

/** One step of the stage progress line (初审 ✓ → 复审 (current) → 终审). */
export interface StageStep {
  stageId: string;
  name: string;
  status: 'done' | 'current' | 'pending';
  /** The approval that counts for the current text, when done. */
  approval: Approval | null;
  /** Done with an approval of the version before later stages' corrections (已审核（修改前版本）). */
  earlierVersion: boolean;
}

/**
 * Where the article stands in its chain. A stage counts as done only if its
 * approval holds for the current text: it approved these words, or words that
 * only later stages' signed corrections changed since (the last stage must
 * have approved these very words). Any other approval of older words is none.
 */
export function stageProgress(view: Pick<ReviewView, 'state' | 'currentHash'>, officeChain: ReviewChain | null): StageStep[] {
  const chain = view.state.chain ?? officeChain;
  if (!chain) return [];
  const hash = view.currentHash;
  const needing = new Set(stagesNeedingReview(chain, view.state.approvals, hash).map((s) => s.id));
  return chain.stages.map((stage, index) => {
    const approval = needing.has(stage.id)
      ? null
      : (view.state.approvals.find((a) => a.stageId === stage.id && approvalHolds(a, hash)) ?? null);
    const current = view.state.status === 'in_review' && view.state.stageIndex === index;
    return {
      stageId: stage.id,
      name: stage.name,
      status: current ? 'current' : approval ? 'done' : 'pending',
      approval,
      earlierVersion: approval !== null && isApprovalOfEarlierVersion(approval, hash),
    };
  });
}

/**
 * How an approval stands against the current text: of it, of the version
 * before later stages' corrections (still counts), or of other words (does not).
 */
export function approvalStanding(approval: Approval, currentHash: string): 'current' | 'earlierVersion' | 'stale' {
  if (approval.contentHash === currentHash) return 'current';
  return isApprovalOfEarlierVersion(approval, currentHash) ? 'earlierVersion' : 'stale';
}

/**
 * 提交审核 as the editor's toolbar offers it: absent when the review rules do
 * not let the caller submit, present but disabled with the services' reason
 * while something else holds it back (the sync left the article 冲突待处理).
 */
export function submitButton(view: Pick<ReviewView, 'canAct' | 'submitBlocked'> | null): { shown: boolean; disabledReason: string | null } {
  if (!view?.canAct.submit) return { shown: false, disabledReason: null };
  return { shown: true, disabledReason: view.submitBlocked ?? null };
}

/**
 * Who is shown 查看修改 beside an approval of an earlier version: the reviewers
 * who must now judge the corrected text — those of the stage holding the
 * article, and the final stage's, who approves the final text.
 */
export function mayReviewCorrections(
  view: Pick<ReviewView, 'state' | 'canAct'>,
  person: Pick<Person, 'id' | 'roles'> | null,
  officeChain: ReviewChain | null,
): boolean {
  if (view.canAct.approve || view.canAct.requestChanges) return true;
  const finalStage = (view.state.chain ?? officeChain)?.stages.at(-1);
  return person !== null && finalStage !== undefined && mayActOnStage(person, finalStage);
}

/**
 * The revision kept when `approval` was given, to compare the approved words
 * with the text now. Each approval saves one (reason 'approve', by the
 * approver) in the same step, before any later act on the article; so the
 * match is a revision by the approver between the approval and the next entry
 * of the trail. Null unless exactly one fits: a diff against a guessed version
 * would show changes nobody made.
 */
export function approvalRevision(
  approval: Approval,
  revisions: readonly RevisionSummary[],
  events: readonly TrailEvent[],
): RevisionSummary | null {
  const index = events.findIndex(
    (e) => e.type === 'approve' && e.actorId === approval.personId && e.stageId === approval.stageId && e.at === approval.at,
  );
  if (index === -1) return null;
  const until = events[index + 1]?.at ?? null;
  const fits = revisions.filter(
    (r) =>
      r.reason === 'approve' &&
      r.author?.id === approval.personId &&
      r.createdAt >= approval.at &&
      (until === null || r.createdAt <= until),
  );
  return fits.length === 1 ? fits[0]! : null;
}

/** How the editor must behave for the signed-in person. */
export interface EditingMode {
  /** The body and metadata accept no input. */
  readOnly: boolean;
  /** A reviewer may switch to editing (their edits become attributed revisions). */
  reviewerMayEdit: boolean;
}

/**
 * Writers edit drafts and returned articles; while in review or approved the
 * text is locked, except for a reviewer whose stage may edit, after they
 * explicitly switch to edit mode (so no stray keystroke changes approved text).
 */
export function editingMode(view: Pick<ReviewView, 'state' | 'canAct'> | null, reviewerEditing: boolean): EditingMode {
  if (!view) return { readOnly: true, reviewerMayEdit: false };
  if (!view.canAct.edit) return { readOnly: true, reviewerMayEdit: false };
  if (!isLocked(view.state.status)) return { readOnly: false, reviewerMayEdit: false };
  return { readOnly: !reviewerEditing, reviewerMayEdit: true };
}

/**
 * Before the review state arrives the article's own status decides: an article
 * with its writer stays writable so their first keystrokes are not lost (the
 * services refuse any save the person may not make).
 */
export function editingModeBeforeReview(status: ArticleStatus): EditingMode {
  return { readOnly: !isOpenForWriting(status), reviewerMayEdit: false };
}

/** The default pair for 版本对比: the revision before the latest one against the current text. */
export function defaultDiffSides(revisions: readonly RevisionSummary[]): { from: string; to: string } | null {
  if (revisions.length === 0) return null;
  const sorted = [...revisions].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const from = sorted.length >= 2 ? sorted[sorted.length - 2]! : sorted[0]!;
  return { from: from.id, to: 'current' };
}

/** The stage's display name (from the article's chain), or the id when the stage is gone. */
export function stageNameOf(chain: ReviewChain | null, stageId: string | null): string {
  if (!stageId) return '';
  return chain?.stages.find((s) => s.id === stageId)?.name ?? stageId;
}

/** The detail line of an audit entry: note, opinion, reason or comment text. */
export function eventDetail(event: TrailEvent, t: Translator, locale: Locale): string {
  switch (event.type) {
    case 'submit':
      return event.note;
    case 'approve':
      return event.opinion;
    case 'request_changes':
      return event.reason;
    case 'comment':
      return event.anchor ? `“${event.anchor.quote}”：${event.body}` : event.body;
    case 'edit':
      return event.note;
    case 'invalidate':
      return event.reason;
    case 'reopen':
      return event.reason;
    case 'revision':
      return event.name;
    case 'withdraw':
      return event.reason;
    case 'publish':
      return '';
    case 'comment_update':
      return event.action === 'edit' ? (event.body ?? '') : t(`review.ui.commentUpdate.${event.action}`);
    case 'proofread_override':
      // The check's message is kept as it was written then; the reason is the overrider's own words.
      return t(event.text ? 'review.ui.event.proofreadOverrideDetail' : 'review.ui.event.proofreadOverrideDetailNoText', {
        text: event.text,
        message: findingMessage({ message: event.message, messageKey: event.messageKey as ProofMessageKey | undefined, params: event.params }, locale),
        reason: event.reason,
      });
  }
}

/** The audit trail newest first, as people read a log; `seq` is the entry's place in the append-only file. */
export function newestFirst(events: readonly TrailEvent[]): { seq: number; event: TrailEvent }[] {
  return events.map((event, seq) => ({ seq, event })).reverse();
}
