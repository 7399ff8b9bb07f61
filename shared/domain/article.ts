import { z } from 'zod';
import { type Doc, DocSchema, emptyDoc } from './doc';
import { isRealDate } from './calendar-date';

export const ARTICLE_FORMAT = 'gazette/article';
export const ARTICLE_FORMAT_VERSION = 1;

/** Workflow states. Review and publishing move articles between them. */
export const ARTICLE_STATUSES = [
  'draft',
  'in_review',
  'changes_requested',
  'approved',
  'published',
  'withdrawn',
] as const;
export const ArticleStatusSchema = z.enum(ARTICLE_STATUSES);
export type ArticleStatus = z.infer<typeof ArticleStatusSchema>;

export const TEMPLATE_IDS = ['meeting', 'notice', 'announcement', 'policy', 'event', 'blank'] as const;
export const TemplateIdSchema = z.enum(TEMPLATE_IDS);
export type TemplateId = z.infer<typeof TemplateIdSchema>;

/**
 * Attendee roles in the order official copy lists them; the stored value is the
 * Chinese word itself because that is what the attendees sentence prints.
 */
export const ATTENDEE_ROLES = ['主持', '出席', '参加', '列席'] as const;
export const AttendeeRoleSchema = z.enum(ATTENDEE_ROLES);
export type AttendeeRole = z.infer<typeof AttendeeRoleSchema>;

export const PersonAttendeeSchema = z.object({
  kind: z.literal('person'),
  name: z.string().trim().min(1),
  title: z.string().trim().default(''),
  unit: z.string().trim().default(''),
  role: AttendeeRoleSchema.default('出席'),
});
/** A unit or a group, e.g. 各区属部门副局长及以上干部 or 重点企业负责人. */
export const GroupAttendeeSchema = z.object({
  kind: z.literal('group'),
  name: z.string().trim().min(1),
  role: AttendeeRoleSchema.default('参加'),
});
export const AttendeeSchema = z.discriminatedUnion('kind', [
  PersonAttendeeSchema,
  GroupAttendeeSchema,
]);
export type Attendee = z.infer<typeof AttendeeSchema>;
export type PersonAttendee = z.infer<typeof PersonAttendeeSchema>;
export type GroupAttendee = z.infer<typeof GroupAttendeeSchema>;

/** 共计150余人: count 150, approximate true. */
export const HeadcountSchema = z.object({
  count: z.number().int().positive(),
  approximate: z.boolean().default(true),
});
export type Headcount = z.infer<typeof HeadcountSchema>;

export const MeetingSchema = z.object({
  name: z.string().trim().default(''),
  host: z.string().trim().default(''),
  place: z.string().trim().default(''),
  attendees: z.array(AttendeeSchema).default([]),
  headcount: HeadcountSchema.nullable().default(null),
});
export type Meeting = z.infer<typeof MeetingSchema>;

export const CoverImageSchema = z.object({
  src: z.string().min(1),
  alt: z.string().default(''),
});

/** 'YYYY-MM-DD' or 'YYYY-MM-DDTHH:mm', office local time (portals print local time). */
export const LocalDateTimeSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2})?$/, 'date must be YYYY-MM-DD or YYYY-MM-DDTHH:mm')
  .refine((s) => isRealDate(s.slice(0, 10)), 'not a real calendar date');

export { isRealDate };

/** 'YYYY-MM-DD': the 信息公开 dates are days, never times. */
export const LocalDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'date must be YYYY-MM-DD')
  .refine(isRealDate, 'not a real calendar date');

/** 有效性 as 信息公开 prints it. */
export const VALIDITY_STATES = ['有效', '失效', '废止'] as const;
export const ValidityStateSchema = z.enum(VALIDITY_STATES);
export type ValidityState = z.infer<typeof ValidityStateSchema>;

export const DisclosureValiditySchema = z.object({
  state: ValidityStateSchema.default('有效'),
  /** 生效日期; null when the document takes effect when published. */
  from: LocalDateSchema.nullable().default(null),
  /** 失效 / 废止日期 (or the planned end of a 有效 document); null when open-ended. */
  until: LocalDateSchema.nullable().default(null),
});
export type DisclosureValidity = z.infer<typeof DisclosureValiditySchema>;

/**
 * The 信息公开 block of a government document (政府信息公开条例): what real
 * portals print above a 通知 / 公告 / 政策文件. Strings are stored as typed so
 * an autosave never loses a half-written 文号; shared/domain/disclosure.ts checks them.
 *
 * Not here, on purpose:
 * - 索引号: assigned at first publication, i.e. AFTER approval, so it cannot be
 *   part of the approved content hash; it lives in the publish receipt.
 * - 发布日期 and 关键词: meta.publishAt and meta.keywords.
 * - 主送 and 落款: they are text of the document, so they are paragraphs of the
 *   doc with a role (shared/domain/doc.ts PARAGRAPH_ROLES: 'addressee' = 主送,
 *   'signature' = 落款 organ, 'signatureDate' = 成文日期 line under it); the
 *   公文 layout and the importer find them by role.
 */
export const DisclosureSchema = z.object({
  /** 发布机构, e.g. 杜集区人民政府办公室. */
  publisher: z.string().trim().default(''),
  /** 成文日期 (the date the document was signed), YYYY-MM-DD. */
  writtenAt: LocalDateSchema.nullable().default(null),
  /** 文号 / 发文字号, e.g. 镇政发〔2024〕7号; '' for documents without one. */
  docNo: z.string().trim().default(''),
  /** 主题分类: a category of the State Council's 公文主题分类词表 (see disclosure.ts), '' until chosen. */
  topic: z.string().trim().default(''),
  /** 体裁分类 (通知, 公告, 意见…), '' until chosen. */
  genre: z.string().trim().default(''),
  validity: DisclosureValiditySchema.default({ state: '有效', from: null, until: null }),
});
export type Disclosure = z.infer<typeof DisclosureSchema>;
export type DisclosureInput = z.input<typeof DisclosureSchema>;

/**
 * Metadata as stored. Drafts may be incomplete (an autosave must never be
 * refused), so completeness is checked separately by {@link ArticleMetaCompleteSchema}.
 */
export const ArticleMetaSchema = z.object({
  title: z.string().default(''),
  subtitle: z.string().default(''),
  /** Column path from the root, e.g. ['首页', '要闻动态', '政务要闻']. */
  column: z.array(z.string().trim().min(1)).default([]),
  publishAt: LocalDateTimeSchema.nullable().default(null),
  source: z.string().trim().default(''),
  author: z.string().trim().default(''),
  photographer: z.string().trim().default(''),
  editor: z.string().trim().default(''),
  keywords: z.array(z.string().trim().min(1)).default([]),
  summary: z.string().default(''),
  cover: CoverImageSchema.nullable().default(null),
  template: TemplateIdSchema.default('blank'),
  meeting: MeetingSchema.nullable().default(null),
  /**
   * 信息公开 fields; ABSENT (not null) for articles without them. The approved
   * content hash serialises meta as parsed, and canonical JSON drops undefined
   * keys, so an article saved before this field existed (or without it) keeps
   * the exact hash its approvals are bound to; a default of null would have
   * changed every existing hash.
   */
  disclosure: DisclosureSchema.optional(),
});
export type ArticleMeta = z.infer<typeof ArticleMetaSchema>;
export type ArticleMetaInput = z.input<typeof ArticleMetaSchema>;

/** What an article needs before it can leave the writer's desk. */
export const ArticleMetaCompleteSchema = ArticleMetaSchema.extend({
  title: z.string().trim().min(1, 'title_required'),
});

export function emptyMeta(template: TemplateId = 'blank'): ArticleMeta {
  return ArticleMetaSchema.parse({ template });
}

const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * Where an imported article came from, kept in the article file (not only in
 * the index) so re-importing the same material is recognised after an index
 * rebuild and in another workspace the article moves to.
 */
export const ImportOriginSchema = z.object({
  /** The file name (or the paste's label) as it was imported. */
  name: z.string(),
  /** SHA-256 of the file's bytes, or of the pasted text as UTF-8. */
  sha256: Sha256Hex,
  /** SHA-256 of title, publish date and whitespace-free body text as imported; null when there was no body. */
  contentSha256: Sha256Hex.nullable().default(null),
});
export type ImportOrigin = z.infer<typeof ImportOriginSchema>;

export const ArticleSchema = z.object({
  format: z.literal(ARTICLE_FORMAT),
  version: z.literal(ARTICLE_FORMAT_VERSION),
  id: z.string().regex(/^[A-Za-z0-9_-]{6,64}$/),
  createdAt: z.string(),
  updatedAt: z.string(),
  status: ArticleStatusSchema.default('draft'),
  meta: ArticleMetaSchema,
  doc: DocSchema,
  /** Set when the article is in the trash; restore clears it. */
  trashedAt: z.string().nullable().default(null),
  /** Who moved it to the trash (a person id), shown in the trash. */
  trashedBy: z.string().nullable().optional(),
  /** The person who created it here: its author, who (with administrators) may trash and restore it. */
  createdBy: z.string().nullable().optional(),
  /** An imported copy kept beside a local article whose content differed: that article's id. */
  conflictOf: z.string().nullable().optional(),
  /** Absent for articles written here (and for every article saved before imports were fingerprinted). */
  importedFrom: ImportOriginSchema.optional(),
});
export type Article = z.infer<typeof ArticleSchema>;

export function newArticle(id: string, now: string, meta: ArticleMeta, doc: Doc = emptyDoc()): Article {
  return {
    format: ARTICLE_FORMAT,
    version: ARTICLE_FORMAT_VERSION,
    id,
    createdAt: now,
    updatedAt: now,
    status: 'draft',
    meta,
    doc,
    trashedAt: null,
  };
}

/** One row of the article list. */
export const ArticleSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  column: z.array(z.string()),
  status: ArticleStatusSchema,
  publishAt: z.string().nullable(),
  source: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  trashedAt: z.string().nullable(),
  trashedBy: z.string().nullable().optional(),
  createdBy: z.string().nullable().optional(),
  charCount: z.number().int().nonnegative(),
});
export type ArticleSummary = z.infer<typeof ArticleSummarySchema>;

/** A named revision ("save version"); immutable once written. */
export const RevisionSchema = z.object({
  id: z.string(),
  articleId: z.string(),
  name: z.string(),
  createdAt: z.string(),
  meta: ArticleMetaSchema,
  doc: DocSchema,
  /** Who made this revision; absent in older files. */
  author: z.object({ id: z.string(), name: z.string() }).nullable().optional(),
  /** Why it was kept: 'manual' (save version), 'submit', 'approve', 'request_changes', 'reviewer_edit', 'import'. */
  reason: z.string().optional(),
});
export type Revision = z.infer<typeof RevisionSchema>;
export type RevisionSummary = Pick<Revision, 'id' | 'articleId' | 'name' | 'createdAt' | 'author' | 'reason'>;

/** A file in the workspace the app could not read; it was moved aside, never deleted. */
export const WorkspaceProblemSchema = z.object({
  kind: z.enum(['damaged', 'foreign', 'recovered_from_backup', 'unrecoverable']),
  file: z.string(),
  quarantinedAs: z.string().nullable(),
  articleId: z.string().nullable(),
  detail: z.string(),
  at: z.string(),
});
export type WorkspaceProblem = z.infer<typeof WorkspaceProblemSchema>;
