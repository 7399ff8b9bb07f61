import { z } from 'zod';
import { ArticleMetaSchema, type ArticleSummary } from '../../domain/article';
import { DocSchema } from '../../domain/doc';
import type { ChecklistItem } from '../../workflow/pre-publish-checklist';
import { ArticleIdSchema, channel } from './channel';
import { SiteIdSchema, TargetIdSchema } from './sites';

/**
 * The portal page exactly as static publishing writes it (same bytes, unless
 * `largeText` added the `elder` class). Images point at the static build's
 * content-hashed paths; `assetUrls` maps each such path to the article's own
 * `src`, so the preview frame can rewrite them to `transport.assetUrl(articleId, src)`.
 */
export type PreviewResult =
  | { html: string; assetUrls: Record<string, string>; path: string; url: string }
  | { error: { file: string; line: number; message: string } };

/** A job as the publish panel shows it. */
export interface PublishJobView {
  id: string;
  action: 'publish' | 'update' | 'withdraw';
  articleId: string;
  title: string;
  siteId: string;
  targetId: string;
  targetLabel: string;
  state: 'pending' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  attempts: number;
  createdAt: string;
  notBefore: string | null;
  nextAttemptAt: string;
  /** Plain Chinese, with the server's own message. */
  error: string | null;
  receipt: PublishReceipt | null;
}

/** How a live page can differ from what was approved (see the outbox's verification). */
export type VerificationIssueCode =
  | 'page_status'
  | 'page_unreachable'
  | 'title_missing'
  | 'body_missing'
  | 'image_status'
  | 'image_type'
  | 'image_unreachable';

/** The record of one successful push. */
export interface PublishReceipt {
  jobId: string;
  targetId: string;
  action: 'publish' | 'update' | 'withdraw';
  remoteId: string;
  url: string;
  at: string;
  contentHash: string;
  verification: 'pending' | 'verified' | 'flagged' | 'not_applicable';
  verificationDetail: string;
  /** What the live page gets wrong (absent in older receipts); `code` names the `pubui.verify.<code>` message. */
  verificationIssues?: { code: VerificationIssueCode; params: Record<string, string> }[];
  /** What the publisher should know about a push that went through; each names a `pubui.note.<note>` message. */
  notes?: 'credits_in_content_only'[];
  /** The 索引号 the article went live with; null (or absent in older receipts) without one. */
  indexNo?: string | null;
}

export interface PublishJobsView {
  jobs: PublishJobView[];
  /** Per target: how many jobs are in each state (progress bars). */
  targets: { targetId: string; label: string; pending: number; running: number; succeeded: number; failed: number }[];
}

export type { ChecklistItem };

export type EnqueueResult = { ok: true; jobs: PublishJobView[] } | { ok: false; checklist: ChecklistItem[] };

/** Where an article is live: the target and what its last successful push put there. */
export interface LiveTarget {
  targetId: string;
  label: string;
  siteId: string;
  /** The content hash the receipt records as live on this target. */
  contentHash: string;
  url: string;
  at: string;
}

/** An approved article in the 待发布 queue. */
export interface PendingArticle {
  article: ArticleSummary;
  /** The content every stage approved (the text as it is now). */
  contentHash: string;
  /** The final approval: when, and by whom. */
  approvedAt: string | null;
  approvedBy: { id: string; name: string } | null;
  /** The targets the article is live on now (what 更新 should default to); empty when it is not online anywhere. */
  liveOn: LiveTarget[];
  /** Live somewhere with other text than the approved one: re-approved after a correction, not yet updated. */
  differsFromOnline: boolean;
}

export interface PendingPublications {
  /** Newest approval first. */
  items: PendingArticle[];
  count: number;
}

/**
 * The portal preview and the publishing outbox: jobs are written to disk
 * before anything is sent, and a failed push is tried again later.
 */
export const publishChannels = {
  /**
   * The article's portal page as the static build writes it, from the
   * unsaved editor state when `doc`/`meta` are given. Any signed-in person.
   * Returns the page, or where the site's theme failed.
   */
  'preview:render': channel<PreviewResult>('signedIn')(
    z.object({
      articleId: ArticleIdSchema,
      siteId: SiteIdSchema.optional(),
      largeText: z.boolean().default(false),
      /** The unsaved editor state, so the preview follows typing. */
      doc: DocSchema.optional(),
      meta: ArticleMetaSchema.optional(),
    }),
  ),
  /**
   * Queues publishing, updating or withdrawing an article on some targets.
   * Publishers only. Publish and update need every stage's approval of the
   * current text and no proofreading error that nobody let through
   * (`conflict` otherwise), and a passing checklist (else `{ ok: false,
   * checklist }`, nothing queued).
   * Returns the jobs, already on disk.
   */
  'publish:enqueue': channel<EnqueueResult>('signedIn')(
    z.object({
      articleId: ArticleIdSchema,
      targetIds: z.array(TargetIdSchema).min(1).max(50),
      action: z.enum(['publish', 'update', 'withdraw']),
      /** Scheduled publishing: ISO instant. */
      notBefore: z.iso.datetime({ offset: true }).optional(),
      /** Why the article comes off the site: required to withdraw, recorded in the audit trail. */
      reason: z.string().trim().max(2000).optional(),
    }).refine((request) => request.action !== 'withdraw' || Boolean(request.reason), {
      path: ['reason'],
      message: '撤回须说明原因',
    }),
  ),
  /** Every job, or one article's, newest first, with per-target counts. Any signed-in person. */
  'publish:jobs': channel<PublishJobsView>('signedIn')(z.object({ articleId: ArticleIdSchema.optional() })),
  /** One article's receipts of successful pushes, oldest first. Any signed-in person. */
  'publish:receipts': channel<PublishReceipt[]>('signedIn')(z.object({ articleId: ArticleIdSchema })),
  /**
   * 待发布: articles whose current text every stage approved and that are not
   * live anywhere, or are live with other text than the approved (flagged
   * `differsFromOnline`), from the outbox's receipts. Articles with a push
   * still on its way, and withdrawn ones, are left out. Publishers only,
   * refused before the handler runs.
   */
  'publish:pending': channel<PendingPublications>({ publisher: 'session.action.viewPending' })(z.object({})),
  /** Makes a waiting or failed job due now. Publishers only. Returns the job. */
  'publish:retry': channel<PublishJobView>('signedIn')(z.object({ jobId: z.string().uuid() })),
} as const;
