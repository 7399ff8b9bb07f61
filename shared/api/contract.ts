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
} from '../domain/article';
import { DocSchema } from '../domain/doc';
import { type Settings, SettingsSchema } from '../domain/settings';

/**
 * The one API between the renderer and the main side. Both transports (Electron
 * IPC and the local web host) carry exactly these channels; every request is
 * parsed with its schema on the main side before a handler sees it.
 */

const ArticleId = z.string().regex(/^[A-Za-z0-9_-]{6,64}$/, 'invalid article id');

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

export const ListArticlesRequestSchema = z.object({
  status: ArticleStatusSchema.optional(),
  /** Column path prefix: ['首页','要闻动态'] also matches its sub-columns. */
  column: z.array(z.string()).optional(),
  query: z.string().max(200).optional(),
  trash: z.boolean().default(false),
});

export interface ArticleList {
  items: ArticleSummary[];
  /** Files that could not be read; the list still works without them. */
  problems: WorkspaceProblem[];
}

/** Fields an importer recognised; what it could not recognise is listed, never guessed. */
export interface ParsedArticleFields {
  title: string | null;
  subtitle: string | null;
  /** YYYY-MM-DD */
  date: string | null;
  time: string | null;
  source: string | null;
  author: string | null;
  column: string[];
  paragraphs: string[];
}

export type ImportOutcome =
  | {
      ok: true;
      file: string;
      article: ArticleSummary;
      fields: ParsedArticleFields;
      /** Lines the importer could not place; they are kept in the body for the writer. */
      unrecognised: string[];
      warnings: string[];
    }
  | { ok: false; file: string; reason: string };

export interface ExportedFile {
  fileName: string;
  mime: string;
  content: string;
}

const channel =
  <Res>() =>
  <Req extends z.ZodType>(request: Req) => ({ request, response: null as unknown as Res });

export const contract = {
  'articles:list': channel<ArticleList>()(ListArticlesRequestSchema),
  'articles:get': channel<Article>()(z.object({ id: ArticleId })),
  'articles:create': channel<Article>()(
    z.object({ template: TemplateIdSchema, input: TemplateInputSchema.default(TemplateInputSchema.parse({})) }),
  ),
  /** Autosave: the whole current state. `baseUpdatedAt` detects a write from elsewhere. */
  'articles:save': channel<{ updatedAt: string; summary: ArticleSummary }>()(
    z.object({ id: ArticleId, meta: ArticleMetaSchema, doc: DocSchema, baseUpdatedAt: z.string().optional() }),
  ),
  'articles:trash': channel<ArticleSummary>()(z.object({ id: ArticleId })),
  'articles:restore': channel<ArticleSummary>()(z.object({ id: ArticleId })),
  'articles:purge': channel<{ id: string }>()(z.object({ id: ArticleId })),
  'articles:saveVersion': channel<RevisionSummary>()(
    z.object({ id: ArticleId, name: z.string().trim().min(1).max(200) }),
  ),
  'articles:versions': channel<RevisionSummary[]>()(z.object({ id: ArticleId })),
  'articles:getVersion': channel<Revision>()(z.object({ id: ArticleId, revisionId: z.string().min(1) })),
  'articles:export': channel<ExportedFile>()(z.object({ id: ArticleId, format: z.enum(['json', 'html']) })),
  /** Adds an image (or other file) to the article's assets; returns the src to put in the doc. */
  'assets:add': channel<{ src: string }>()(
    z.object({
      articleId: ArticleId,
      fileName: z.string().min(1).max(255),
      mime: z.string().max(100),
      dataBase64: z.string(),
    }),
  ),
  /** One file per call, so the renderer can show progress over a folder. */
  'import:file': channel<ImportOutcome>()(
    z.object({ name: z.string().min(1).max(1024), dataBase64: z.string() }),
  ),
  /** Text copied from a portal page. */
  'import:text': channel<ImportOutcome>()(z.object({ text: z.string().min(1), name: z.string().default('粘贴的文本') })),
  'settings:get': channel<Settings>()(z.object({})),
  'settings:save': channel<Settings>()(SettingsSchema),
  'workspace:problems': channel<WorkspaceProblem[]>()(z.object({})),
  'workspace:info': channel<{ path: string; transport: 'ipc' | 'http' }>()(z.object({})),
} as const;

export type Contract = typeof contract;
export type Channel = keyof Contract;
export const CHANNELS = Object.keys(contract) as Channel[];
/** What the caller passes (defaults may be omitted). */
export type RequestOf<C extends Channel> = z.input<Contract[C]['request']>;
/** What the handler receives, after parsing. */
export type ParsedRequestOf<C extends Channel> = z.output<Contract[C]['request']>;
export type ResponseOf<C extends Channel> = Contract[C]['response'];

export function isChannel(name: string): name is Channel {
  return Object.hasOwn(contract, name);
}

/** Who is calling; review (issue 3) adds the signed-in person. */
export interface CallContext {
  transport: 'ipc' | 'http' | 'cli';
}

export type ApiHandlers = {
  [C in Channel]: (request: ParsedRequestOf<C>, context: CallContext) => Promise<ResponseOf<C>>;
};

/** What the renderer holds; it never learns which transport is behind it. */
export interface Transport {
  invoke<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>>;
  /** A URL the page can load an article's asset from (`src` as stored in the doc). */
  assetUrl(articleId: string, src: string): string;
}
