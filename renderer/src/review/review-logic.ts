import type { ReviewView } from '../../../shared/api/contract';
import type { ArticleStatus, RevisionSummary } from '../../../shared/domain/article';
import { isLocked, isOpenForWriting } from '../../../shared/workflow/locks';
import type { Approval, ReviewChain } from '../../../shared/workflow/review-chain';
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
  /** The approval of the current text, when done. */
  approval: Approval | null;
}

/**
 * Where the article stands in its chain. A stage counts as done only if its
 * approval is of the current text: an approval of older words is no approval.
 */
export function stageProgress(view: Pick<ReviewView, 'state' | 'currentHash'>, officeChain: ReviewChain | null): StageStep[] {
  const chain = view.state.chain ?? officeChain;
  if (!chain) return [];
  return chain.stages.map((stage, index) => {
    const approval =
      view.state.approvals.find((a) => a.stageId === stage.id && a.contentHash === view.currentHash) ?? null;
    const current = view.state.status === 'in_review' && view.state.stageIndex === index;
    return { stageId: stage.id, name: stage.name, status: current ? 'current' : approval ? 'done' : 'pending', approval };
  });
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
