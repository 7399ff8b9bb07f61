import { z } from 'zod';

/** A local file the article uses (inline image or cover); `src` is how the HTML refers to it. */
export const MediaFileSchema = z.object({
  src: z.string().min(1),
  path: z.string().min(1),
  fileName: z.string().min(1),
  mimeType: z.string().min(1),
  alt: z.string().default(''),
  /**
   * How the photo pipeline prepares the picture for this target (page-size
   * file, metadata dropped); `path` is then the working copy and `fileName`
   * carries the output's extension. Absent for jobs queued before photos were
   * processed, and for files that are not pictures.
   */
  web: z
    .object({ maxWidth: z.number().int().positive(), quality: z.number().int().min(1).max(100), format: z.enum(['jpeg', 'webp']) })
    .optional(),
});
export type MediaFile = z.infer<typeof MediaFileSchema>;

/**
 * Everything a target needs to create or update a post, frozen when the job is
 * queued so a retry after a restart sends exactly what was approved.
 */
export const PublishPayloadSchema = z.object({
  title: z.string(),
  /** Body HTML from the shared serializer, plus the source/attendees footer. */
  html: z.string(),
  excerpt: z.string().default(''),
  /** Office local time 'YYYY-MM-DDTHH:mm[:ss]', or null for "now". */
  date: z.string().nullable().default(null),
  column: z.array(z.string()).default([]),
  keywords: z.array(z.string()).default([]),
  source: z.string().default(''),
  cover: MediaFileSchema.nullable().default(null),
  images: z.array(MediaFileSchema).default([]),
  /** The 索引号 assigned at first publication; null for articles without one (and jobs queued before they existed). */
  indexNo: z.string().nullable().optional(),
  /** The 信息公开 fields as WordPress post meta (`gazette_*` keys); null for articles without them. */
  postMeta: z.record(z.string(), z.string()).nullable().optional(),
  /** The readable post slug (pinyin or the target's pattern); absent in jobs queued before slugs were readable. */
  slug: z.string().optional(),
  /**
   * The approved body as normalised reader text, one entry per block: the live
   * page must show all of them, in order, to be verified. Absent in older jobs.
   */
  bodyText: z.array(z.string()).optional(),
});
export type PublishPayload = z.infer<typeof PublishPayloadSchema>;
export type PublishPayloadInput = z.input<typeof PublishPayloadSchema>;

/** An image a published post shows, and the type its URL must answer with. */
export interface PublishedImage {
  url: string;
  mimeType: string;
}

/** Something the receipt should tell the publisher about a push that otherwise went through. */
export type PublishNote = 'credits_in_content_only';

/** Where a post lives on the target. */
export interface RemotePost {
  remoteId: string;
  url: string;
  /** The uploaded images the post refers to (checked after the push); absent where the target does not know them. */
  images?: PublishedImage[];
  notes?: PublishNote[];
}

/** How a withdrawn post is taken down. */
export type WithdrawMode = 'draft' | 'trash';

/**
 * A publishing destination the outbox drives. Every method may throw a
 * PublishError; the outbox decides from its kind whether to retry.
 */
export interface PublishTarget {
  readonly id: string;
  /** Human name used in messages, e.g. “ WordPress 网站”. */
  readonly label: string;
  /** The post a previous attempt of this job created, if any (the exactly-once guard). */
  findByJobId(jobId: string): Promise<RemotePost | null>;
  create(payload: PublishPayload, jobId: string): Promise<RemotePost>;
  update(remoteId: string, payload: PublishPayload, jobId: string): Promise<RemotePost>;
  withdraw(remoteId: string): Promise<void>;
}

/** The job id as the text a retry searches for. */
export function jobMarkerText(jobId: string): string {
  return `gazette-job:${jobId.toLowerCase()}`;
}

/** An HTML comment carrying the job id, so a retry after a lost reply finds the post. */
export function jobMarker(jobId: string): string {
  return `<!-- ${jobMarkerText(jobId)} -->`;
}

/**
 * The body with the job marker inside its last element (before its closing
 * tag) rather than after it: servers that wrap loose lines in paragraphs
 * (WordPress's wpautop) would otherwise publish an empty `<p>` around it.
 */
export function withJobMarker(html: string, jobId: string): string {
  const marker = jobMarker(jobId);
  const trimmed = html.replace(/\s+$/, '');
  const lastClose = /<\/[a-z][a-z0-9]*\s*>$/i.exec(trimmed);
  if (!lastClose) return `${trimmed}${marker}`;
  return `${trimmed.slice(0, lastClose.index)}${marker}${lastClose[0]}`;
}
