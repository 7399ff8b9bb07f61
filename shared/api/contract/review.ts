import { z } from 'zod';
import type { ArticleStatus, ArticleSummary } from '../../domain/article';
import type { TextAnchor } from '../../workflow/anchor';
import {
  COMMENT_UPDATES,
  type ReviewChain,
  ReviewChainSchema,
  type ReviewComment,
  type ReviewState,
} from '../../workflow/review-chain';
import type { TrailEvent } from '../../record/verify';
import type { RevisionDiff } from '../../workflow/text-diff';
import { ArticleIdSchema, channel, type ExportedFile } from './channel';

/** What the caller may do now on this article (the UI disables the rest; the services check again). */
export interface ReviewAbilities {
  submit: boolean;
  approve: boolean;
  requestChanges: boolean;
  comment: boolean;
  edit: boolean;
}

/** A comment with its passage found again in the current text. */
export type LocatedComment = ReviewComment & {
  authorName: string;
  /** [start, end) in docToPlainText(current doc); null when not anchored or detached. */
  range: { start: number; end: number } | null;
  /** The commented passage no longer exists in the text. */
  detached: boolean;
};

export interface ReviewView {
  articleId: string;
  title: string;
  state: ReviewState;
  /** The audit trail as the verified record gives it, oldest first (signed acts and what the rules derived between them). */
  events: TrailEvent[];
  /** SHA-256 of the current canonical content: pass it back as `expectedHash`. */
  currentHash: string;
  canAct: ReviewAbilities;
  /** Why the caller may not edit (locked …), or null. */
  lockReason: string | null;
  /**
   * Why 提交审核 is refused now although the review rules allow it (the
   * office sync left the article 冲突待处理): the button shows, disabled, with this reason.
   */
  submitBlocked?: string | null;
  comments: LocatedComment[];
  /** Display names for every person id in state/events ('cli' = the local operator). */
  names: Record<string, string>;
  /** Name of the stage the article waits at, or null. */
  stageName: string | null;
  /**
   * The status the article list shows (已发布, 已撤回 once publishing acted on
   * the approved text): every badge shows this one, so the editor and the list agree.
   */
  articleStatus: ArticleStatus;
  /** What verifying the article's signed record found (the same verdict the publish gate asks). */
  record: ReviewRecordSummary;
}

/** The verdict on an article's record, as a reviewer or publisher sees it. */
export interface ReviewRecordSummary {
  /** Every entry verified and the content is what the record last signed. False: 记录异常. */
  intact: boolean;
  /** What failed, in the order found (Chinese `message`; `code` for other languages). */
  problems: { code: string; message: string }[];
  /** Every stage approved the content exactly as it is now. */
  publishable: boolean;
  published: { at: string; by: string; contentHash: string } | null;
  withdrawn: { at: string; by: string; reason: string } | null;
}

export interface ReviewQueueItem {
  article: ArticleSummary;
  stageId: string;
  stageName: string;
  stageEnteredAt: string | null;
  submittedBy: { id: string; name: string } | null;
  note: string;
}

export interface ReviewQueue {
  items: ReviewQueueItem[];
  count: number;
}

/** One side of a comparison. */
export interface DiffSide {
  /** A revision id, or 'current'. */
  id: string;
  name: string;
  createdAt: string;
  author: { id: string; name: string } | null;
}

export type ReviewDiff = RevisionDiff & {
  from: DiffSide;
  to: DiffSide;
  /** Who edited the text between the two sides (audit 'edit' entries), oldest first. */
  editors: { id: string; name: string; at: string }[];
};

const Hash = z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 hex hash');
const CommentAnchorInputSchema = z.union([
  z.object({ start: z.number().int().nonnegative(), end: z.number().int().nonnegative() }),
  z.object({ quote: z.string().min(1).max(10_000) }),
]);
export type CommentAnchorInput = z.infer<typeof CommentAnchorInputSchema>;
export type { TextAnchor, ReviewChain };

/**
 * An article's way through the review chain. Refusals by role or state are
 * `forbidden` or `conflict` with a ready Chinese `detail`; an approval or a
 * request for changes carries the hash of the text the reviewer read, so it
 * is refused (`conflict`) if the text changed meanwhile.
 */
export const reviewChannels = {
  /** The office's review chain (its stages, who may act at each). Any signed-in person. */
  'review:chainGet': channel<ReviewChain>('signedIn')(z.object({})),
  /** Replaces the review chain; articles already submitted keep the chain they were submitted under. Admins only. */
  'review:chainSave': channel<ReviewChain>({ admin: 'session.action.saveChain' })(ReviewChainSchema),
  /**
   * Sends a draft, or an article returned for changes, into review. Writers
   * only; refused while the title is missing or proofreading errors remain
   * that nobody let through. Returns the article's review view.
   */
  'review:submit': channel<ReviewView>('signedIn')(z.object({ id: ArticleIdSchema, note: z.string().max(10_000).default('') })),
  /** The articles waiting at a stage the caller may act on; `count` is the navigation badge. Any signed-in person. */
  'review:queue': channel<ReviewQueue>('signedIn')(z.object({})),
  /**
   * An article's review state, audit trail, located comments and what the
   * caller may do with it now. Any signed-in person.
   */
  'review:get': channel<ReviewView>('signedIn')(z.object({ id: ArticleIdSchema })),
  /**
   * Approves the current stage, signed with the key unlocked at sign-in.
   * A reviewer of that stage only (not the submitter, nor someone who
   * approved another stage, when the chain asks for distinct reviewers).
   */
  'review:approve': channel<ReviewView>('signedIn')(
    z.object({ id: ArticleIdSchema, opinion: z.string().max(10_000).default(''), expectedHash: Hash }),
  ),
  /** Returns the article to its writer with a reason. The same people as review:approve. */
  'review:requestChanges': channel<ReviewView>('signedIn')(
    z.object({ id: ArticleIdSchema, reason: z.string().max(10_000), expectedHash: Hash }),
  ),
  /**
   * Comments on the article, or on a passage given by offsets or by a quote
   * in docToPlainText(doc). Writers and the reviewers of any stage.
   */
  'review:comment': channel<ReviewView>('signedIn')(
    z.object({
      id: ArticleIdSchema,
      body: z.string().max(20_000),
      anchor: CommentAnchorInputSchema.optional(),
      /** Reply in the thread this comment started. */
      replyTo: z.string().min(1).max(64).optional(),
    }),
  ),
  /**
   * Edits or withdraws one's own comment (until someone else replied), or
   * resolves / reopens a thread. Writers and the reviewers of any stage.
   */
  'review:commentUpdate': channel<ReviewView>('signedIn')(
    z.object({
      id: ArticleIdSchema,
      commentId: z.string().min(1).max(64),
      action: z.enum(COMMENT_UPDATES),
      body: z.string().max(20_000).optional(),
    }),
  ),
  /** Compares two revisions, or a revision and the current text, with who edited in between. Any signed-in person. */
  'review:diff': channel<ReviewDiff>('signedIn')(
    z.object({ id: ArticleIdSchema, from: z.string().min(1), to: z.union([z.literal('current'), z.string().min(1)]) }),
  ),
  /** The printable sign-off sheet (审核表) as HTML, or as PDF in base64. Any signed-in person. */
  'review:signoff': channel<ExportedFile>('signedIn')(z.object({ id: ArticleIdSchema, format: z.enum(['html', 'pdf']) })),
} as const;
