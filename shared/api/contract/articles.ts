import { z } from 'zod';
import {
  type Article,
  ArticleMetaSchema,
  ArticleStatusSchema,
  type ArticleSummary,
  AttendeeSchema,
  HeadcountSchema,
  LocalDateTimeSchema,
  type Revision,
  type RevisionSummary,
  TemplateIdSchema,
  type WorkspaceProblem,
} from '../../domain/article';
import { DocSchema } from '../../domain/doc';
import { PhotoEditSchema } from '../../domain/photo';
import { ArticleIdSchema, channel, type ExportedFile } from './channel';

/** Fields the meeting template asks for before it writes the lead paragraph. */
export const TemplateInputSchema = z.object({
  date: LocalDateTimeSchema.nullable().default(null),
  meetingName: z.string().trim().default(''),
  host: z.string().trim().default(''),
  place: z.string().trim().default(''),
  attendees: z.array(AttendeeSchema).default([]),
  headcount: HeadcountSchema.nullable().default(null),
  title: z.string().trim().default(''),
});
export type TemplateInput = z.infer<typeof TemplateInputSchema>;

/** The most rows one `articles:list` answer carries; a caller wanting more asks again with a larger offset. */
export const LIST_LIMIT_MAX = 500;
/** The most ids a list request may name (more than any office's unsynced articles). */
export const LIST_IDS_MAX = 200_000;

export const ListArticlesRequestSchema = z.object({
  status: ArticleStatusSchema.optional(),
  /** Column path prefix: ['首页','要闻动态'] also matches its sub-columns. */
  column: z.array(z.string()).optional(),
  query: z.string().max(200).optional(),
  trash: z.boolean().default(false),
  /**
   * Only these articles (the renderer's office-sync filter, whose states come
   * from another channel). Absent means every article.
   */
  ids: z.array(ArticleIdSchema).max(LIST_IDS_MAX).optional(),
  /** Rows to skip, in list order (last changed first). */
  offset: z.number().int().min(0).default(0),
  /** Rows to return at most: a page, so an archive of 100,000 articles never crosses the wire whole. */
  limit: z.number().int().min(1).max(LIST_LIMIT_MAX).default(LIST_LIMIT_MAX),
});

/** A piece of text with the parts a search matched, as [start, end) offsets into `text`. */
export interface MarkedText {
  text: string;
  marks: [number, number][];
}

/** Where an article matched the query: its title, and a stretch of its other text around the first match. */
export interface SearchSnippet {
  title: MarkedText | null;
  body: MarkedText | null;
}

export interface ArticleList {
  /** The requested page of rows, last changed first. */
  items: ArticleSummary[];
  /** How many rows match the filters in all, of which `items` is the page from `offset`. */
  total: number;
  /** Files that could not be read; the list still works without them. */
  problems: WorkspaceProblem[];
  /** With a query: where each row of the page matched, by article id. */
  snippets?: Record<string, SearchSnippet>;
  /**
   * With a query, true when the search index was still being built and the
   * answer came from reading every article's text (complete, only slower).
   */
  searchIndexPending?: boolean;
  /**
   * True while the workspace is still loading its articles (an archive takes
   * seconds): `items` are the newest rows as last seen, each still unchanged
   * on disk, and `total` is the number last seen. Ask again shortly.
   */
  loading?: boolean;
}

/** A photo as the image node records it: the working copy shown, the original it was made from, its pixel size. */
export interface AddedPhoto {
  src: string;
  original: string;
  width: number;
  height: number;
}

/** What adding a file gave: its `src`, and for a picture the photo's original and size. */
export interface AddedAsset {
  src: string;
  photo?: { original: string; width: number; height: number };
}

/** Articles, their saved versions and their images. */
export const articleChannels = {
  /**
   * The article list (or the trash, with `trash: true`) filtered by status,
   * column and text. Any signed-in person. Files that cannot be read are
   * listed in `problems` instead of failing the list.
   */
  'articles:list': channel<ArticleList>('signedIn')(ListArticlesRequestSchema),
  /** One article, metadata and body. Any signed-in person. */
  'articles:get': channel<Article>('signedIn')(z.object({ id: ArticleIdSchema })),
  /** A new draft from a template, which writes the lead paragraph from `input`. Writers and admins. Returns the article. */
  'articles:create': channel<Article>('creator')(
    z.object({ template: TemplateIdSchema, input: TemplateInputSchema.default(TemplateInputSchema.parse({})) }),
  ),
  /**
   * Autosave: the whole current state. `baseUpdatedAt` detects a write from
   * elsewhere (`conflict`). Refused while review locks the text for the
   * caller; a change of content invalidates approvals that no longer match.
   * Returns the new `updatedAt` and the list row.
   */
  'articles:save': channel<{ updatedAt: string; summary: ArticleSummary }>('signedIn')(
    z.object({ id: ArticleIdSchema, meta: ArticleMetaSchema, doc: DocSchema, baseUpdatedAt: z.string().optional() }),
  ),
  /**
   * Moves an article to the trash; its files stay. Any signed-in person, but
   * an article in review or approved only by an admin. Returns the list row.
   */
  'articles:trash': channel<ArticleSummary>('signedIn')(z.object({ id: ArticleIdSchema })),
  /** Takes an article out of the trash. Any signed-in person. Returns the list row. */
  'articles:restore': channel<ArticleSummary>('signedIn')(z.object({ id: ArticleIdSchema })),
  /** Deletes a trashed article's folder for good (`conflict` unless it is in the trash). Any signed-in person. */
  'articles:purge': channel<{ id: string }>({ admin: 'session.action.purge' })(z.object({ id: ArticleIdSchema })),
  /**
   * Keeps the current content as a named, immutable revision, with the caller
   * as its author and an entry in the audit trail. Any signed-in person.
   */
  'articles:saveVersion': channel<RevisionSummary>('signedIn')(
    z.object({ id: ArticleIdSchema, name: z.string().trim().min(1).max(200) }),
  ),
  /** The article's revisions, without their content. Any signed-in person. */
  'articles:versions': channel<RevisionSummary[]>('signedIn')(z.object({ id: ArticleIdSchema })),
  /** One revision with its content. Any signed-in person. */
  'articles:getVersion': channel<Revision>('signedIn')(z.object({ id: ArticleIdSchema, revisionId: z.string().min(1) })),
  /**
   * The article as a JSON file, a standalone HTML page with its images inlined,
   * or as a 公文 in the GB/T 9704-2012 layout: `docx` (Word), `pdf`, or `print`
   * (the print page the editor previews and prints). `redhead` adds the 红头
   * (发文机关标志 from the 信息公开 发布机构, else the office's name). The
   * answer's `notes` say which fonts were substituted here. Any signed-in person.
   */
  'articles:export': channel<ExportedFile>('signedIn')(
    z.object({
      id: ArticleIdSchema,
      format: z.enum(['json', 'html', 'docx', 'pdf', 'print']),
      redhead: z.boolean().default(false),
    }),
  ),
  /**
   * Adds an image (or other file) to the article's assets. Any signed-in
   * person. Returns the `src` to put in the doc. A picture goes through the
   * photo pipeline first: refused with a message naming the file when it is
   * not a picture, is cut off or too large; otherwise its original is kept and
   * `src` is the upright working copy without EXIF/GPS, whose original and
   * pixel size `photo` gives for the image node.
   */
  'assets:add': channel<AddedAsset>('signedIn')(
    z.object({
      articleId: ArticleIdSchema,
      fileName: z.string().min(1).max(255),
      mime: z.string().max(100),
      dataBase64: z.string(),
    }),
  ),
  /**
   * A new working copy of a photo from its original (`original`, an
   * `assets/…` src of the article), turned and cropped as the image dialog
   * asks; the original stays as it is. Any signed-in person, while the
   * article's files are not locked by review.
   */
  'photos:edit': channel<AddedPhoto>('signedIn')(
    z.object({ articleId: ArticleIdSchema, original: z.string().min(1).max(300), edit: PhotoEditSchema }),
  ),
} as const;
