import { z } from 'zod';
import { type ArticleStatus, ArticleStatusSchema } from '../domain/article';
import { TextAnchorSchema } from './anchor';
import { canonicalJson } from './canonical';
import { isOpenForWriting, LOCKED_STATUSES, OPEN_STATUSES } from './locks';
import { type ReviewMessageKey, type ReviewMessageParams, reviewMessage, statusLabel } from './messages';

// ───────────────────────────── people and chains ─────────────────────────────

export const ROLES = ['writer', 'reviewer', 'publisher', 'admin'] as const;
export const RoleSchema = z.enum(ROLES);
export type Role = z.infer<typeof RoleSchema>;

const IdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'id must be 1–64 letters, digits, _ or -');

/** A profile on the workstation. Passwords and keys live elsewhere (node/services/identity/keys.ts). */
export const PersonSchema = z.object({
  id: IdSchema,
  name: z.string().trim().min(1),
  unit: z.string().trim().default(''),
  roles: z.array(RoleSchema).min(1),
  /** A disabled profile keeps its history but can do nothing. */
  active: z.boolean().default(true),
});
export type Person = z.infer<typeof PersonSchema>;
export type PersonInput = z.input<typeof PersonSchema>;

/** One stage of the chain; whoever is named in `people` or holds one of `roles` may act on it. */
export const ReviewStageSchema = z
  .object({
    id: IdSchema,
    name: z.string().trim().min(1),
    people: z.array(IdSchema).default([]),
    roles: z.array(RoleSchema).default([]),
    /** Reviewers of this stage may correct the text; the edit is attributed to them. */
    mayEdit: z.boolean().default(true),
  })
  .refine((s) => s.people.length + s.roles.length > 0, 'a stage must name at least one person or role');
export type ReviewStage = z.infer<typeof ReviewStageSchema>;

/**
 * What a reviewer's correction during review does to the approvals before it.
 * `keep` (三审三校, how offices work): earlier stages' approvals stand as
 * approvals of the version before the correction, the article stays at the
 * correcting stage, and the later stages see what changed. `returnTo`: the
 * approvals from that stage on no longer count and the article goes back there
 * (naming the first stage is the strict "every change restarts review").
 */
export const CorrectionPolicySchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('keep') }),
  z.object({ kind: z.literal('returnTo'), stageId: IdSchema }),
]);
export type CorrectionPolicy = z.infer<typeof CorrectionPolicySchema>;

export const ReviewChainSchema = z
  .object({
    stages: z.array(ReviewStageSchema).min(1),
    /**
     * 先审后发 means more than one pair of eyes: the submitter may not approve,
     * and nobody approves two stages of the same text.
     */
    distinctReviewers: z.boolean().default(true),
    /**
     * Absent means `keep`. Deliberately optional without a default: chains sit
     * inside signed policy documents that are verified as parsed, so a default
     * would add a key to every old chain and break its signature.
     */
    onCorrection: CorrectionPolicySchema.optional(),
  })
  .refine((c) => new Set(c.stages.map((s) => s.id)).size === c.stages.length, 'stage ids must be unique')
  .refine(
    (c) => c.onCorrection?.kind !== 'returnTo' || c.stages.some((s) => s.id === (c.onCorrection as { stageId: string }).stageId),
    'a correction must return to a stage of the chain',
  );
export type ReviewChain = z.infer<typeof ReviewChainSchema>;
export type ReviewChainInput = z.input<typeof ReviewChainSchema>;

/** The chain's rule for corrections; an old chain without one keeps earlier approvals. */
export function correctionPolicy(chain: ReviewChain): CorrectionPolicy {
  return chain.onCorrection ?? { kind: 'keep' };
}

/** 初审 → 复审 → 终审, each open to every reviewer. */
export function defaultReviewChain(): ReviewChain {
  return ReviewChainSchema.parse({
    stages: [
      { id: 'first', name: '初审', roles: ['reviewer'] },
      { id: 'second', name: '复审', roles: ['reviewer'] },
      { id: 'final', name: '终审', roles: ['reviewer'] },
    ],
  });
}

/** Whether the person is named by the stage, directly or by role. */
export function mayActOnStage(person: Pick<Person, 'id' | 'roles'>, stage: ReviewStage): boolean {
  return stage.people.includes(person.id) || person.roles.some((r) => stage.roles.includes(r));
}

// ───────────────────────────── approvals, comments, state ─────────────────────────────

const HashSchema = z.string().regex(/^[0-9a-f]{64}$/, 'SHA-256 hex');

/** An Ed25519 signature (base64) over {@link approvalStatement}, by the key `keyId`. */
export const ApprovalSignatureSchema = z.object({
  keyId: z.string().min(1),
  value: z.string().min(1),
});
export type ApprovalSignature = z.infer<typeof ApprovalSignatureSchema>;

export const ApprovalSchema = z.object({
  personId: IdSchema,
  stageId: IdSchema,
  at: z.string().min(1),
  opinion: z.string(),
  /** The text the reviewer approved (and signed): never rewritten. */
  contentHash: HashSchema,
  signature: ApprovalSignatureSchema.nullable().default(null),
  /**
   * Set only while the approval is kept over later stages' corrections
   * (已审核（修改前版本）): the hash of the corrected text it stands for. Every
   * change from `contentHash` to `keptFor` was a correction by a reviewer of a
   * later stage who may edit; any other change drops the approval. Absent: the
   * approval stands for `contentHash` alone.
   */
  keptFor: HashSchema.optional(),
});
export type Approval = z.infer<typeof ApprovalSchema>;

/** An approval that no longer matches the text; kept for the audit trail and the "why" shown to users. */
export const InvalidatedApprovalSchema = ApprovalSchema.extend({
  invalidatedAt: z.string(),
  reason: z.string(),
});
export type InvalidatedApproval = z.infer<typeof InvalidatedApprovalSchema>;

export const ReviewCommentSchema = z.object({
  id: z.string().min(1),
  authorId: IdSchema,
  at: z.string(),
  /** The stage the article was in when the comment was written (null outside review). */
  stageId: IdSchema.nullable(),
  body: z.string().min(1),
  /** Null: about the whole article. */
  anchor: TextAnchorSchema.nullable(),
  /** The text the comment was written against, so a UI can tell whether it may be outdated. */
  contentHash: HashSchema.nullable(),
  /** The thread's first comment this one answers; absent or null: it starts a thread. */
  replyTo: z.string().nullable().optional(),
  /** A thread marked settled (on its first comment only); resolved threads fold away. */
  resolved: z.object({ by: IdSchema, at: z.string() }).nullable().optional(),
  /** When its author last changed the text. */
  editedAt: z.string().optional(),
  /** Its author withdrew it; it stays in the trail, its text no longer shows. */
  deleted: z.boolean().optional(),
});
export type ReviewComment = z.infer<typeof ReviewCommentSchema>;

/** What may be done to a comment after it was written. */
export const COMMENT_UPDATES = ['edit', 'delete', 'resolve', 'reopen'] as const;
export type CommentUpdate = (typeof COMMENT_UPDATES)[number];

/** Longest comment accepted; longer input is refused with a message rather than cut. */
export const MAX_COMMENT_LENGTH = 10_000;

/** An article's place in review. The article's own `status` field mirrors `status` here. */
export const ReviewStateSchema = z.object({
  articleId: z.string().min(1),
  status: ArticleStatusSchema,
  /** Index into `chain.stages` while in_review; null otherwise. */
  stageIndex: z.number().int().nonnegative().nullable(),
  /** The chain as it was when the article was (last) submitted; later edits to the office chain do not move it. */
  chain: ReviewChainSchema.nullable(),
  submittedBy: IdSchema.nullable(),
  submittedAt: z.string().nullable(),
  /** When the article arrived at its current stage: the review queue is ordered by it, oldest first. */
  stageEnteredAt: z.string().nullable().default(null),
  /** Hash of the content as last recorded by a transition or edit. */
  contentHash: HashSchema.nullable(),
  approvals: z.array(ApprovalSchema),
  invalidatedApprovals: z.array(InvalidatedApprovalSchema),
  comments: z.array(ReviewCommentSchema),
  /** Human-readable (Chinese) reason the article is back with the writer or back at an earlier stage. */
  notice: z.string().nullable(),
});
export type ReviewState = z.infer<typeof ReviewStateSchema>;

/** A never-submitted article. */
export function initialReviewState(articleId: string, status: ArticleStatus = 'draft'): ReviewState {
  return {
    articleId,
    status,
    stageIndex: null,
    chain: null,
    submittedBy: null,
    submittedAt: null,
    stageEnteredAt: null,
    contentHash: null,
    approvals: [],
    invalidatedApprovals: [],
    comments: [],
    notice: null,
  };
}

// ───────────────────────────── audit events ─────────────────────────────

const EventBase = {
  at: z.string(),
  actorId: IdSchema,
  /** The content hash at the moment of the event. */
  contentHash: HashSchema.nullable(),
};

/** Append-only audit entries, one per transition, comment, edit, invalidation, return, revision and proofreading override. */
export const ReviewEventSchema = z.discriminatedUnion('type', [
  z.object({ ...EventBase, type: z.literal('submit'), stageId: IdSchema, note: z.string() }),
  z.object({
    ...EventBase,
    type: z.literal('approve'),
    stageId: IdSchema,
    opinion: z.string(),
    final: z.boolean(),
    signature: ApprovalSignatureSchema.nullable(),
  }),
  z.object({ ...EventBase, type: z.literal('request_changes'), stageId: IdSchema, reason: z.string() }),
  z.object({
    ...EventBase,
    type: z.literal('comment'),
    commentId: z.string(),
    stageId: IdSchema.nullable(),
    body: z.string(),
    anchor: TextAnchorSchema.nullable(),
    /** Set for a reply: the thread's first comment. */
    replyTo: z.string().nullable().optional(),
  }),
  /** A comment edited or withdrawn by its author, or its thread resolved or reopened. */
  z.object({
    ...EventBase,
    type: z.literal('comment_update'),
    commentId: z.string(),
    action: z.enum(COMMENT_UPDATES),
    /** The new text (edit only). */
    body: z.string().optional(),
  }),
  z.object({
    ...EventBase,
    type: z.literal('edit'),
    previousHash: HashSchema.nullable(),
    /** Set when a reviewer corrected the text during their stage. */
    stageId: IdSchema.nullable(),
    note: z.string(),
  }),
  z.object({
    ...EventBase,
    type: z.literal('invalidate'),
    stageId: IdSchema,
    approverId: IdSchema,
    approvedHash: HashSchema,
    reason: z.string(),
  }),
  z.object({ ...EventBase, type: z.literal('reopen'), stageId: IdSchema, reason: z.string() }),
  z.object({ ...EventBase, type: z.literal('revision'), revisionId: z.string(), name: z.string() }),
  /** A publisher took the article off the site, saying why and from which targets. */
  z.object({ ...EventBase, type: z.literal('withdraw'), reason: z.string().trim().min(1), targets: z.array(z.string()).default([]) }),
  z.object({
    ...EventBase,
    type: z.literal('proofread_override'),
    /** The finding let through: its rule, the text it marked and where, and what the check said. */
    rule: z.string(),
    text: z.string(),
    start: z.number().int().nonnegative(),
    message: z.string(),
    /** The message's i18n key and values, so the trail reads in each reader's language (message is the zh-CN text). */
    messageKey: z.string().optional(),
    params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    reason: z.string(),
  }),
]);
export type ReviewEvent = z.infer<typeof ReviewEventSchema>;
export type ReviewEventType = ReviewEvent['type'];

// ───────────────────────────── errors and permissions ─────────────────────────────

export const REVIEW_ACTIONS = ['submit', 'approve', 'request_changes', 'comment', 'edit'] as const;
export type ReviewAction = (typeof REVIEW_ACTIONS)[number];

/** Refusals because of who is asking. */
export const PERMISSION_ERROR_CODES = [
  'inactive_person',
  'not_writer',
  'not_stage_reviewer',
  'own_article',
  'already_approved_other_stage',
  'locked',
  'no_edit_rights',
  'not_participant',
] as const;
/** Refusals because of the article's state or the input. */
export const TRANSITION_ERROR_CODES = [
  'wrong_status',
  'content_changed',
  'reason_required',
  'comment_required',
  'comment_too_long',
  'comment_missing',
  'comment_answered',
  'comment_not_own',
  'comment_not_thread',
  'comment_already',
] as const;
export type ReviewErrorCode = (typeof PERMISSION_ERROR_CODES)[number] | (typeof TRANSITION_ERROR_CODES)[number];

/** A refused review call; `message` is ready Chinese text, `code` + `params` allow translation. */
export class ReviewError extends Error {
  readonly code: ReviewErrorCode;
  readonly kind: 'permission' | 'transition';
  readonly params: ReviewMessageParams;

  constructor(code: ReviewErrorCode, params: ReviewMessageParams = {}) {
    super(reviewMessage(`review.error.${code}` as ReviewMessageKey, params));
    this.name = 'ReviewError';
    this.code = code;
    this.params = params;
    this.kind = (PERMISSION_ERROR_CODES as readonly string[]).includes(code) ? 'permission' : 'transition';
  }
}

/** The answer of {@link can}: allowed, or the error the transition would throw. */
export type PermissionCheck = { allowed: true } | { allowed: false; error: ReviewError };

const ACTION_STATUSES: Record<ReviewAction, readonly ArticleStatus[]> = {
  submit: OPEN_STATUSES,
  approve: ['in_review'],
  request_changes: ['in_review'],
  comment: ['in_review', 'changes_requested', 'approved'],
  edit: [...OPEN_STATUSES, ...LOCKED_STATUSES],
};

/**
 * The permission matrix. `chain` is the office's current chain; an article
 * already in review follows the chain it was submitted under (state.chain).
 */
export function can(actor: Person, action: ReviewAction, state: ReviewState, chain: ReviewChain): PermissionCheck {
  const refuse = (code: ReviewErrorCode, params: ReviewMessageParams = {}): PermissionCheck => ({
    allowed: false,
    error: new ReviewError(code, { name: actor.name, action: actionLabel(action), ...params }),
  });
  if (!actor.active) return refuse('inactive_person');
  if (!ACTION_STATUSES[action].includes(state.status)) {
    return refuse('wrong_status', { status: statusLabel(state.status) });
  }
  const activeChain = action === 'submit' ? chain : (state.chain ?? chain);
  const current = currentStage(state, activeChain);

  switch (action) {
    case 'submit':
      return actor.roles.includes('writer') ? { allowed: true } : refuse('not_writer');

    case 'approve':
    case 'request_changes': {
      if (!current) return refuse('wrong_status', { status: statusLabel(state.status) });
      if (!mayActOnStage(actor, current)) return refuse('not_stage_reviewer', { stage: current.name });
      if (activeChain.distinctReviewers) {
        if (state.submittedBy === actor.id) return refuse('own_article');
        const other = state.approvals.find((a) => a.personId === actor.id && a.stageId !== current.id);
        if (other) {
          return refuse('already_approved_other_stage', { stage: stageName(activeChain, other.stageId) });
        }
      }
      return { allowed: true };
    }

    case 'comment': {
      const isParticipant =
        actor.roles.includes('writer') || activeChain.stages.some((stage) => mayActOnStage(actor, stage));
      return isParticipant ? { allowed: true } : refuse('not_participant');
    }

    case 'edit': {
      if (isOpenForWriting(state.status)) {
        return actor.roles.includes('writer') ? { allowed: true } : refuse('not_writer');
      }
      // Locked (in review or approved): only a reviewer with edit rights at the
      // stage that currently holds it (the last stage once approved) may edit.
      const holding = (state.status === 'approved' ? activeChain.stages.at(-1) : current) ?? null;
      const isReviewer = holding !== null && mayActOnStage(actor, holding);
      if (state.submittedBy === actor.id || (!isReviewer && actor.roles.includes('writer'))) {
        return refuse('locked', { status: statusLabel(state.status) });
      }
      if (!holding || !isReviewer) return refuse('not_stage_reviewer', { stage: holding?.name ?? '' });
      if (!holding.mayEdit) return refuse('no_edit_rights', { stage: holding.name });
      return { allowed: true };
    }
  }
}

function assertCan(actor: Person, action: ReviewAction, state: ReviewState, chain: ReviewChain): void {
  const check = can(actor, action, state, chain);
  if (!check.allowed) throw check.error;
}

function actionLabel(action: ReviewAction): string {
  return reviewMessage(`review.action.${action}`);
}

function stageName(chain: ReviewChain | null, stageId: string): string {
  return chain?.stages.find((s) => s.id === stageId)?.name ?? stageId;
}

/** The stage the article waits at, or null when not in review. */
export function currentStage(state: ReviewState, chain: ReviewChain | null = state.chain): ReviewStage | null {
  if (state.status !== 'in_review' || state.stageIndex === null || !chain) return null;
  return chain.stages[state.stageIndex] ?? null;
}

/**
 * Whether the approval counts for the text hashing to `hash`: it approved that
 * very text, or it approved an earlier version and was kept by corrections of
 * later stages that led to it.
 */
export function approvalHolds(approval: Approval, hash: string): boolean {
  return approval.contentHash === hash || approval.keptFor === hash;
}

/** The approval approved an earlier version and stands for `hash` only because later stages' corrections kept it. */
export function isApprovalOfEarlierVersion(approval: Approval, hash: string): boolean {
  return approval.contentHash !== hash && approval.keptFor === hash;
}

/**
 * Index of the first stage without an approval that holds for `hash`;
 * stages.length when every stage approved it. The last stage's approval must
 * be of `hash` itself: someone approves the final text.
 */
export function firstStageNeedingReview(chain: ReviewChain, approvals: readonly Approval[], hash: string): number {
  const index = chain.stages.findIndex((_stage, i) => !stageApproved(chain, i, approvals, hash));
  return index === -1 ? chain.stages.length : index;
}

/** The stages that must still approve `hash`, in chain order: who has to act, and how many. */
export function stagesNeedingReview(chain: ReviewChain, approvals: readonly Approval[], hash: string): ReviewStage[] {
  return chain.stages.filter((_, i) => !stageApproved(chain, i, approvals, hash));
}

function stageApproved(chain: ReviewChain, index: number, approvals: readonly Approval[], hash: string): boolean {
  const stage = chain.stages[index]!;
  const last = index === chain.stages.length - 1;
  return approvals.some((a) => a.stageId === stage.id && (last ? a.contentHash === hash : approvalHolds(a, hash)));
}

/**
 * What publishing asks: is this content approved by every stage? The final
 * stage approved exactly this text; each earlier stage approved it, or an
 * earlier version that only signed corrections by later stages changed since.
 */
export function isFullyApproved(state: ReviewState, hash: string): boolean {
  return (
    state.status === 'approved' &&
    state.chain !== null &&
    firstStageNeedingReview(state.chain, state.approvals, hash) === state.chain.stages.length
  );
}

/**
 * What waits for this person: articles at a stage they may approve (and are
 * not barred from by the four-eyes rule), oldest arrival first.
 */
export function reviewQueue<T extends { review: ReviewState }>(actor: Person, items: readonly T[], chain: ReviewChain): T[] {
  return items
    .filter((item) => item.review.status === 'in_review' && can(actor, 'approve', item.review, chain).allowed)
    .sort((a, b) => (a.review.stageEnteredAt ?? '').localeCompare(b.review.stageEnteredAt ?? ''));
}

// ───────────────────────────── transitions ─────────────────────────────

/** What every transition returns: the new state, the audit events to append, and whether to keep a revision. */
export interface TransitionResult {
  state: ReviewState;
  events: ReviewEvent[];
  /** Non-null: the caller must store an immutable revision of the current content under this name. */
  revision: { name: string } | null;
}

export interface SubmitInput {
  note: string;
  /** The office's current chain; it is snapshotted into the state. */
  chain: ReviewChain;
}

export interface ApproveInput {
  opinion: string;
  /** The hash of the text the reviewer was shown; refused if the text changed since. */
  expectedHash?: string;
  /** Made by the service with the reviewer's key over {@link approvalStatement}. */
  signature?: ApprovalSignature | null;
}

export interface RequestChangesInput {
  reason: string;
  expectedHash?: string;
}

export interface CommentInput {
  id: string;
  body: string;
  anchor?: ReviewComment['anchor'];
  /** Answer the thread started by this comment (threads are one level deep). */
  replyTo?: string | null;
}

export interface EditInput {
  note?: string;
}

/** A writer hands the article to the first stage that has not yet approved this exact text. */
export function submit(
  state: ReviewState,
  actor: Person,
  input: SubmitInput,
  now: string,
  currentHash: string,
): TransitionResult {
  assertCan(actor, 'submit', state, input.chain);
  const chain = input.chain;
  const events: ReviewEvent[] = [];
  const kept: Approval[] = [];
  const invalidated: InvalidatedApproval[] = [];
  // An approval kept over a correction leans on the correcting stage coming
  // after it; under a reordered chain that no longer holds.
  const sameOrder = sameStageOrder(state.chain, chain);
  for (const approval of state.approvals) {
    const reason = !chain.stages.some((s) => s.id === approval.stageId)
      ? reviewMessage('review.reason.chainChanged', { stage: stageName(state.chain, approval.stageId) })
      : !approvalHolds(approval, currentHash)
        ? reviewMessage('review.reason.submittedChanged', { stage: stageName(chain, approval.stageId) })
        : approval.contentHash !== currentHash && !sameOrder
          ? reviewMessage('review.reason.chainReordered', { stage: stageName(chain, approval.stageId) })
          : null;
    if (reason === null) {
      kept.push(standingFor(approval, currentHash));
      continue;
    }
    invalidated.push({ ...approval, invalidatedAt: now, reason });
    events.push(invalidateEvent(approval, actor, now, currentHash, reason));
  }
  const target = firstStageNeedingReview(chain, kept, currentHash);
  const allApproved = target === chain.stages.length;
  const stage = chain.stages[Math.min(target, chain.stages.length - 1)]!;
  events.push({ type: 'submit', at: now, actorId: actor.id, contentHash: currentHash, stageId: stage.id, note: input.note });
  return {
    state: {
      ...state,
      status: allApproved ? 'approved' : 'in_review',
      stageIndex: allApproved ? null : target,
      chain,
      submittedBy: actor.id,
      submittedAt: now,
      stageEnteredAt: allApproved ? null : now,
      contentHash: currentHash,
      approvals: kept,
      invalidatedApprovals: [...state.invalidatedApprovals, ...invalidated],
      notice: null,
    },
    events,
    revision: { name: reviewMessage('review.revision.submit') },
  };
}

/** The current stage approves this exact text; after the last stage the article is approved. */
export function approve(
  state: ReviewState,
  actor: Person,
  input: ApproveInput,
  now: string,
  currentHash: string,
): TransitionResult {
  const chain = state.chain ?? undefined;
  assertCan(actor, 'approve', state, chain ?? defaultReviewChain());
  assertUnchanged(state, input.expectedHash, currentHash, 'approve');
  const stage = currentStage(state)!;
  const approval: Approval = {
    personId: actor.id,
    stageId: stage.id,
    at: now,
    opinion: input.opinion,
    contentHash: currentHash,
    signature: input.signature ?? null,
  };
  const approvals = [...state.approvals.filter((a) => a.stageId !== stage.id), approval];
  const next = firstStageNeedingReview(chain!, approvals, currentHash);
  const final = next === chain!.stages.length;
  return {
    state: {
      ...state,
      status: final ? 'approved' : 'in_review',
      stageIndex: final ? null : next,
      stageEnteredAt: final ? null : now,
      approvals,
      notice: null,
    },
    events: [
      {
        type: 'approve',
        at: now,
        actorId: actor.id,
        contentHash: currentHash,
        stageId: stage.id,
        opinion: input.opinion,
        final,
        signature: approval.signature,
      },
    ],
    revision: { name: reviewMessage('review.revision.approve', { stage: stage.name }) },
  };
}

/** The current stage sends the article back to the writer with a reason. Approvals that still match are kept. */
export function requestChanges(
  state: ReviewState,
  actor: Person,
  input: RequestChangesInput,
  now: string,
  currentHash: string,
): TransitionResult {
  assertCan(actor, 'request_changes', state, state.chain ?? defaultReviewChain());
  assertUnchanged(state, input.expectedHash, currentHash, 'request_changes');
  const reason = input.reason.trim();
  if (!reason) throw new ReviewError('reason_required');
  const stage = currentStage(state)!;
  return {
    state: {
      ...state,
      status: 'changes_requested',
      stageIndex: null,
      stageEnteredAt: null,
      notice: reviewMessage('review.reason.changesRequested', { stage: stage.name, name: actor.name, reason }),
    },
    events: [
      { type: 'request_changes', at: now, actorId: actor.id, contentHash: currentHash, stageId: stage.id, reason },
    ],
    revision: { name: reviewMessage('review.revision.requestChanges', { stage: stage.name }) },
  };
}

/** A comment on the whole article or on an anchored passage, or a reply in a comment's thread. */
export function comment(
  state: ReviewState,
  actor: Person,
  input: CommentInput,
  now: string,
  currentHash: string,
): TransitionResult {
  assertCan(actor, 'comment', state, state.chain ?? defaultReviewChain());
  const body = checkedBody(input.body);
  const replyTo = input.replyTo ?? null;
  if (replyTo !== null) {
    const parent = state.comments.find((c) => c.id === replyTo);
    if (!parent || parent.deleted) throw new ReviewError('comment_missing');
    if (parent.replyTo) throw new ReviewError('comment_not_thread');
  }
  const stageId = currentStage(state)?.id ?? null;
  // A reply belongs to its thread's passage; only a thread's first comment is anchored.
  const anchor = replyTo === null ? (input.anchor ?? null) : null;
  const entry: ReviewComment = {
    id: input.id,
    authorId: actor.id,
    at: now,
    stageId,
    body,
    anchor,
    contentHash: currentHash,
    ...(replyTo !== null ? { replyTo } : {}),
  };
  return {
    state: { ...state, comments: [...state.comments, entry] },
    events: [
      {
        type: 'comment',
        at: now,
        actorId: actor.id,
        contentHash: currentHash,
        commentId: input.id,
        stageId,
        body,
        anchor,
        ...(replyTo !== null ? { replyTo } : {}),
      },
    ],
    revision: null,
  };
}

function checkedBody(text: string): string {
  const body = text.trim();
  if (!body) throw new ReviewError('comment_required');
  if (body.length > MAX_COMMENT_LENGTH) {
    throw new ReviewError('comment_too_long', { length: body.length, max: MAX_COMMENT_LENGTH });
  }
  return body;
}

/**
 * Changes a comment after it was written. Its author may edit or withdraw it
 * until someone else has replied in its thread (an answer must keep meaning
 * what it answered); anyone taking part may resolve a thread or reopen it.
 */
export function updateComment(
  state: ReviewState,
  actor: Person,
  input: { commentId: string; action: CommentUpdate; body?: string },
  now: string,
  currentHash: string,
): TransitionResult {
  assertCan(actor, 'comment', state, state.chain ?? defaultReviewChain());
  const target = state.comments.find((c) => c.id === input.commentId);
  if (!target || target.deleted) throw new ReviewError('comment_missing');
  let changed: ReviewComment;
  let body: string | undefined;
  switch (input.action) {
    case 'edit':
    case 'delete': {
      if (target.authorId !== actor.id) throw new ReviewError('comment_not_own', { name: actor.name });
      const threadId = target.replyTo ?? target.id;
      const answered = state.comments.some(
        (c) => !c.deleted && c.replyTo === threadId && c.authorId !== actor.id && c.at >= target.at && c.id !== target.id,
      );
      if (answered) throw new ReviewError('comment_answered');
      if (input.action === 'edit') {
        body = checkedBody(input.body ?? '');
        changed = { ...target, body, editedAt: now };
      } else {
        changed = { ...target, deleted: true, editedAt: now };
      }
      break;
    }
    case 'resolve':
    case 'reopen': {
      if (target.replyTo) throw new ReviewError('comment_not_thread');
      const resolving = input.action === 'resolve';
      if (Boolean(target.resolved) === resolving) throw new ReviewError('comment_already');
      changed = { ...target, resolved: resolving ? { by: actor.id, at: now } : null };
      break;
    }
  }
  return {
    state: { ...state, comments: state.comments.map((c) => (c.id === target.id ? changed : c)) },
    events: [
      {
        type: 'comment_update',
        at: now,
        actorId: actor.id,
        contentHash: currentHash,
        commentId: target.id,
        action: input.action,
        ...(body !== undefined ? { body } : {}),
      },
    ],
    revision: null,
  };
}

/**
 * Records that the content now hashes to `currentHash`. Unchanged content is a
 * no-op, so autosaves of the same text need no permission and leave no trace.
 * Consecutive edit events by the same person may be coalesced by the caller.
 *
 * A correction in review (only the holding stage's reviewers with edit rights
 * get past {@link can}) follows the chain's {@link CorrectionPolicy}: by default
 * the earlier stages' approvals are kept as approvals of the version before it
 * and the article stays where it is; with `returnTo` the approvals from that
 * stage on lapse and it goes back there. Every other change — the writer's on a
 * returned article, the last stage's on an approved or published one — lapses
 * every approval of other text, and review restarts at the first stage that
 * must see it, with the reason in `notice`.
 */
export function recordEdit(
  state: ReviewState,
  actor: Person,
  input: EditInput,
  now: string,
  currentHash: string,
): TransitionResult {
  if (state.contentHash === currentHash) return { state, events: [], revision: null };
  assertCan(actor, 'edit', state, state.chain ?? defaultReviewChain());

  const chain = state.chain;
  const reviewerStage =
    state.status === 'in_review' ? currentStage(state) : state.status === 'approved' ? (chain?.stages.at(-1) ?? null) : null;
  const events: ReviewEvent[] = [
    {
      type: 'edit',
      at: now,
      actorId: actor.id,
      contentHash: currentHash,
      previousHash: state.contentHash,
      stageId: reviewerStage?.id ?? null,
      note: input.note ?? '',
    },
  ];
  const revision = reviewerStage
    ? { name: reviewMessage('review.revision.reviewerEdit', { name: actor.name, stage: reviewerStage.name }) }
    : null;
  const change =
    chain && state.status === 'in_review' && state.stageIndex !== null && reviewerStage
      ? correction(state, chain, state.stageIndex, actor, now, currentHash)
      : otherEdit(state, actor, now, currentHash);
  events.push(...change.events);
  return {
    state: {
      ...state,
      ...change.placement,
      contentHash: currentHash,
      approvals: change.kept,
      invalidatedApprovals: [...state.invalidatedApprovals, ...change.invalidated],
    },
    events,
    revision,
  };
}

/** What an edit does to the approvals and to where the article waits. */
interface EditOutcome {
  kept: Approval[];
  invalidated: InvalidatedApproval[];
  placement: Pick<ReviewState, 'status' | 'stageIndex' | 'stageEnteredAt' | 'notice'>;
  /** Derived events after the signed edit: invalidations, then a return to an earlier stage. */
  events: ReviewEvent[];
}

/** A reviewer of the stage holding the article (index `at`) corrected it while in review. */
function correction(
  state: ReviewState,
  chain: ReviewChain,
  at: number,
  actor: Person,
  now: string,
  currentHash: string,
): EditOutcome {
  const policy = correctionPolicy(chain);
  const returnIndex = policy.kind === 'returnTo' ? chain.stages.findIndex((s) => s.id === policy.stageId) : -1;
  // Approvals of stages before this one stand over the correction; with
  // `returnTo` only those before the named stage (a stage after the correcting
  // one cannot be returned to: nothing there has approved yet).
  const keepBefore = returnIndex === -1 ? at : Math.min(at, returnIndex);
  const stageIndexOf = (stageId: string) => chain.stages.findIndex((s) => s.id === stageId);
  const { kept, stale } = partition(state.approvals, (approval) => {
    if (approval.contentHash === currentHash) return true;
    const index = stageIndexOf(approval.stageId);
    return index !== -1 && index < keepBefore && state.contentHash !== null && approvalHolds(approval, state.contentHash);
  });
  const approvals = kept.map((approval) => standingFor({ ...approval, keptFor: currentHash }, currentHash));
  const { invalidated, events } = invalidateAll(stale, chain, actor, now, currentHash);

  const stage = chain.stages[at]!;
  const target = Math.min(firstStageNeedingReview(chain, approvals, currentHash), at);
  const earlier = approvals.filter((a) => isApprovalOfEarlierVersion(a, currentHash));
  const keptNames = stageList(chain, earlier.map((a) => a.stageId));
  let placement: EditOutcome['placement'] = {
    status: state.status,
    stageIndex: state.stageIndex,
    stageEnteredAt: state.stageEnteredAt,
    notice: state.notice,
  };
  if (target < at) {
    const targetStage = chain.stages[target]!;
    const lapsed = stageList(chain, stale.map((a) => a.stageId));
    const notice = earlier.length
      ? reviewMessage('review.reason.correctedReturnKept', {
          name: actor.name,
          stage: stage.name,
          target: targetStage.name,
          stages: lapsed,
          kept: keptNames,
        })
      : reviewMessage('review.reason.correctedReturn', { name: actor.name, stage: stage.name, target: targetStage.name, stages: lapsed });
    events.push({ type: 'reopen', at: now, actorId: actor.id, contentHash: currentHash, stageId: targetStage.id, reason: notice });
    placement = { status: 'in_review', stageIndex: target, stageEnteredAt: now, notice };
  } else if (earlier.length > 0) {
    placement = {
      ...placement,
      notice: reviewMessage('review.reason.corrected', { name: actor.name, stage: stage.name, stages: keptNames }),
    };
  }
  return { kept: approvals, invalidated, placement, events };
}

/**
 * Any change that is not a correction in review: approvals of other text lapse
 * (including those kept over earlier corrections) and review restarts at the
 * first stage that must see the new text.
 */
function otherEdit(state: ReviewState, actor: Person, now: string, currentHash: string): EditOutcome {
  const chain = state.chain;
  const { kept, stale } = partition(state.approvals, (approval) => approvalHolds(approval, currentHash));
  const approvals = kept.map((a) => standingFor(a, currentHash));
  const { invalidated, events } = invalidateAll(stale, chain, actor, now, currentHash);
  let { status, stageIndex, stageEnteredAt, notice } = state;
  if (chain && stale.length > 0) {
    const target = Math.min(firstStageNeedingReview(chain, approvals, currentHash), chain.stages.length - 1);
    const targetStage = chain.stages[target]!;
    const stages = stageList(chain, stale.map((a) => a.stageId));
    if (isOpenForWriting(status)) {
      notice = reviewMessage('review.reason.editedWhileReturned', { name: actor.name, stages, stage: targetStage.name });
    } else if (status === 'approved' || stageIndex === null || target < stageIndex) {
      notice =
        status === 'approved'
          ? // Approved (perhaps published) text changed: name every stage that
            // must act again and why, so a one-word fix back in review surprises nobody.
            reviewMessage('review.reason.editedApproved', {
              name: actor.name,
              stages: stageList(chain, stagesNeedingReview(chain, approvals, currentHash).map((s) => s.id)),
              stage: targetStage.name,
            })
          : reviewMessage('review.reason.edited', { name: actor.name, stages, stage: targetStage.name });
      events.push({ type: 'reopen', at: now, actorId: actor.id, contentHash: currentHash, stageId: targetStage.id, reason: notice });
      status = 'in_review';
      stageIndex = target;
      stageEnteredAt = now;
    }
  }
  return { kept: approvals, invalidated, placement: { status, stageIndex, stageEnteredAt, notice }, events };
}

function partition<T>(items: readonly T[], keep: (item: T) => boolean): { kept: T[]; stale: T[] } {
  const kept: T[] = [];
  const stale: T[] = [];
  for (const item of items) (keep(item) ? kept : stale).push(item);
  return { kept, stale };
}

/** The approval as it stands for `hash`: `keptFor` only while it approved other text. */
function standingFor(approval: Approval, hash: string): Approval {
  if (approval.contentHash !== hash) return approval;
  const { keptFor: _dropped, ...rest } = approval;
  return rest;
}

function invalidateAll(
  stale: readonly Approval[],
  chain: ReviewChain | null,
  actor: Person,
  now: string,
  currentHash: string,
): { invalidated: InvalidatedApproval[]; events: ReviewEvent[] } {
  const events: ReviewEvent[] = [];
  const invalidated = stale.map((approval) => {
    const reason = reviewMessage('review.reason.invalidated', { name: actor.name, stage: stageName(chain, approval.stageId) });
    events.push(invalidateEvent(approval, actor, now, currentHash, reason));
    return { ...approval, invalidatedAt: now, reason };
  });
  return { invalidated, events };
}

/** “初审”、“复审”: stage names in chain order, quoted, in the message language's list style. */
function stageList(chain: ReviewChain | null, stageIds: readonly string[]): string {
  const ordered = chain ? chain.stages.filter((s) => stageIds.includes(s.id)).map((s) => s.id) : [];
  const rest = stageIds.filter((id) => !ordered.includes(id));
  return [...new Set([...ordered, ...rest])]
    .map((id) => `“${stageName(chain, id)}”`)
    .join(reviewMessage('review.list.separator'));
}

function sameStageOrder(before: ReviewChain | null, after: ReviewChain): boolean {
  if (!before) return false;
  const ids = (chain: ReviewChain) => chain.stages.map((s) => s.id).join('\n');
  return ids(before) === ids(after);
}

function assertUnchanged(state: ReviewState, expectedHash: string | undefined, currentHash: string, action: ReviewAction): void {
  // An edit the store did not record, or one made after the reviewer opened
  // the text: either way the reviewer would be approving words they never saw.
  if (state.contentHash !== currentHash || (expectedHash !== undefined && expectedHash !== currentHash)) {
    throw new ReviewError('content_changed', { action: actionLabel(action) });
  }
}

function invalidateEvent(approval: Approval, actor: Person, now: string, currentHash: string, reason: string): ReviewEvent {
  return {
    type: 'invalidate',
    at: now,
    actorId: actor.id,
    contentHash: currentHash,
    stageId: approval.stageId,
    approverId: approval.personId,
    approvedHash: approval.contentHash,
    reason,
  };
}

/**
 * The exact bytes (as a string) an approval's Ed25519 signature covers: the
 * content hash, bound to the article, stage, person, time and opinion so a
 * signature cannot be moved to another article or stage.
 */
export function approvalStatement(articleId: string, approval: Omit<Approval, 'signature'>): string {
  return canonicalJson({
    type: 'gazette/approval',
    version: 1,
    articleId,
    personId: approval.personId,
    stageId: approval.stageId,
    at: approval.at,
    opinion: approval.opinion,
    contentHash: approval.contentHash,
  });
}
