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
import type { TextAnchor } from '../workflow/anchor';
import {
  type ReviewChain,
  ReviewChainSchema,
  type ReviewComment,
  type ReviewEvent,
  type ReviewState,
  type Role,
  RoleSchema,
} from '../workflow/review-chain';
import type { RevisionDiff } from '../workflow/text-diff';
import { type SiteProfile, SiteProfileSchema, SLUG_PATTERN } from '../portal/site';
import type { ArticleCounts } from '../proofread/engine';
import type { RulePackInfo, RulePackProblem } from '../proofread/packs';
import type { Finding } from '../proofread/types';

/*
 * Channels added by review (issue 3). Every channel except session:*,
 * settings:get and workspace:info requires a signed-in person (else
 * `unauthorized`); refusals by role or article state are `forbidden`, with a
 * ready Chinese `detail`.
 *
 *   session:get            {}                                  → SessionInfo
 *   session:setup          {name, unit, password}              → SessionInfo   (first run only: creates the admin, signs in)
 *   session:signIn         {personId, password}                → SessionInfo
 *   session:signOut        {}                                  → SessionInfo
 *   people:list            {}                                  → PersonSummary[]
 *   people:save            {id?, name, unit, roles, active, password?}  → PersonSummary   (admin)
 *   people:setPassword     {personId, oldPassword?, newPassword}        → { ok: true }    (own with old password; admin resets)
 *   review:chainGet        {}                                  → ReviewChain
 *   review:chainSave       ReviewChain                         → ReviewChain   (admin)
 *   review:submit          {id, note}                          → ReviewView
 *   review:queue           {}                                  → ReviewQueue   (count = nav badge)
 *   review:get             {id}                                → ReviewView
 *   review:approve         {id, opinion, expectedHash}         → ReviewView
 *   review:requestChanges  {id, reason, expectedHash}          → ReviewView
 *   review:comment         {id, body, anchor?: {start,end} | {quote}}  → ReviewView   (offsets in docToPlainText(doc))
 *   review:diff            {id, from: revisionId, to: revisionId | 'current'}  → ReviewDiff
 *   review:signoff         {id, format: 'html' | 'pdf'}        → ExportedFile  (pdf: encoding 'base64')
 *   package:export         {ids}                               → ExportedFile  (base64 .gazette-package)
 *   package:verify         {dataBase64}                        → PackageVerifyResult
 *   package:import         {dataBase64}                        → PackageImportResult
 *   keys:exportTrusted     {}                                  → ExportedFile  (admin)
 *   keys:importTrusted     {text}                              → { added: number; total: number }  (admin)
 */

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
  | { ok: false; duplicate?: false; file: string; reason: string }
  | ImportDuplicate;

/** Why an import was not made: the workspace already has this material. */
export type DuplicateReason = 'same-file' | 'same-article';

/**
 * Nothing was created because the material is already in the workspace:
 * 'same-file' when the bytes (or pasted text) were imported before,
 * 'same-article' when title, publish date and body text match (e.g. the .txt
 * and the .html of one page). Send the request again with `allowDuplicate: true`
 * to import it anyway.
 */
export interface ImportDuplicate {
  ok: false;
  duplicate: true;
  file: string;
  reason: DuplicateReason;
  /** The article that already holds it; `trashed` when it is in the trash. */
  existing: { id: string; title: string; trashed: boolean };
}

export interface ExportedFile {
  fileName: string;
  mime: string;
  /** Text, or base64 of binary content when `encoding` is 'base64'. */
  content: string;
  encoding?: 'base64';
}

// ───────────────────────────── review (issue 3) ─────────────────────────────

/** A person as every signed-in user may see them (no password, no key). */
export interface PersonSummary {
  id: string;
  name: string;
  unit: string;
  roles: Role[];
  active: boolean;
  /** Id of the person's Ed25519 public key (what the trusted-key list shows). */
  keyId: string | null;
}

export interface SessionInfo {
  /** The signed-in person of this window / browser, or null. */
  person: PersonSummary | null;
  /** Active people, for the sign-in picker. */
  people: PersonSummary[];
  /** True until the first admin exists: the UI shows the setup screen. */
  needsSetup: boolean;
}

const PasswordSchema = z.string().min(6, 'password must have at least 6 characters').max(1024);

export const PersonSaveRequestSchema = z.object({
  /** Absent: create a new person (password then required). */
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/).optional(),
  name: z.string().trim().min(1).max(100),
  unit: z.string().trim().max(200).default(''),
  roles: z.array(RoleSchema).min(1),
  active: z.boolean().default(true),
  /** Initial password when creating; ignored when updating (use people:setPassword). */
  password: PasswordSchema.optional(),
});

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
  /** The audit trail, oldest first. */
  events: ReviewEvent[];
  /** SHA-256 of the current canonical content: pass it back as `expectedHash`. */
  currentHash: string;
  canAct: ReviewAbilities;
  /** Why the caller may not edit (locked …), or null. */
  lockReason: string | null;
  comments: LocatedComment[];
  /** Display names for every person id in state/events ('cli' = the local operator). */
  names: Record<string, string>;
  /** Name of the stage the article waits at, or null. */
  stageName: string | null;
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

export interface PackageArticleInfo {
  id: string;
  title: string;
  contentHash: string;
  status: string;
  approvals: number;
}

export interface PackageVerifyResult {
  ok: boolean;
  /** What was checked, in Chinese, in order (also on failure: what passed first). */
  checks: string[];
  /** Why it was refused (Chinese). */
  error?: string;
  errorCode?: string;
  exporter?: { personId: string; name: string; keyId: string };
  articles?: PackageArticleInfo[];
}

export interface PackageImportItem {
  /** The id in the package. */
  sourceId: string;
  title: string;
  /**
   * created: new here; identical: already here, nothing done; updated: same
   * text, approvals made elsewhere taken over; copy: local text differs, the
   * package's version was imported beside it for the user to choose.
   */
  outcome: 'created' | 'identical' | 'updated' | 'copy';
  /** The local article id holding the imported content. */
  articleId: string;
  /** For 'copy': the local article it conflicts with. */
  conflictOf: string | null;
}

export interface PackageImportResult {
  ok: boolean;
  checks: string[];
  error?: string;
  errorCode?: string;
  items: PackageImportItem[];
}

const ReviewArticleId = ArticleId;
const Hash = z.string().regex(/^[0-9a-f]{64}$/, 'expected a SHA-256 hex hash');
const CommentAnchorInputSchema = z.union([
  z.object({ start: z.number().int().nonnegative(), end: z.number().int().nonnegative() }),
  z.object({ quote: z.string().min(1).max(10_000) }),
]);
export type CommentAnchorInput = z.infer<typeof CommentAnchorInputSchema>;
/** Base64 of a package file; 200 MB of base64 at most. */
const PackageData = z.string().min(1).max(280_000_000);
export type { TextAnchor, ReviewChain };


// ───────────────────────────── publishing (issue 4) ─────────────────────────────
/*
 *   sites:list             {}                                  → SiteSummary[]   (the default site is created on first use)
 *   sites:get              {id}                                → SiteConfig
 *   sites:save             SiteConfig                          → SiteConfig      (admin)
 *   preview:render         {articleId, siteId?, largeText?, doc?, meta?}  → PreviewResult
 *   targets:setCredential  {siteId?, targetId, secret}         → { ok: true; name }  (admin or publisher; never returns the secret)
 *   publish:enqueue        {articleId, targetIds, action, notBefore?}  → EnqueueResult  (publisher only)
 *   publish:jobs           {articleId?}                        → PublishJobsView
 *   publish:receipts       {articleId}                         → PublishReceipt[]
 *   publish:retry          {jobId}                             → PublishJobView  (publisher only)
 */

const TargetIdSchema = z.string().regex(SLUG_PATTERN, 'target id must be lowercase ASCII letters, digits, - or _');
const TargetCommon = {
  id: TargetIdSchema,
  label: z.string().trim().min(1).max(100),
  /** Name the secret is stored under in the credential store; '' means `target:<id>`. */
  credentialName: z.string().trim().max(200).default(''),
};

/** Where one site's articles go. Secrets are never part of it (see targets:setCredential). */
export const PublishTargetConfigSchema = z.discriminatedUnion('kind', [
  /** Static site copied into a folder (a network share, a web server's document root). */
  z.object({ ...TargetCommon, kind: z.literal('static-folder'), folder: z.string().trim().min(1) }),
  /** Static site uploaded by SFTP; the credential is the password (or the key's passphrase with privateKeyPath). */
  z.object({
    ...TargetCommon,
    kind: z.literal('static-sftp'),
    host: z.string().trim().min(1),
    port: z.number().int().min(1).max(65535).default(22),
    username: z.string().trim().min(1),
    remoteDir: z.string().trim().min(1),
    privateKeyPath: z.string().trim().default(''),
  }),
  /** WordPress REST API with an application password (the credential). */
  z.object({
    ...TargetCommon,
    kind: z.literal('wordpress'),
    baseUrl: z.string().trim().regex(/^https?:\/\/\S+$/, 'baseUrl must be an http(s) URL'),
    user: z.string().trim().min(1),
    categoryMap: z.record(z.string(), z.number().int().positive()).default({}),
    skipColumns: z.array(z.string()).default(['首页']),
    postStatus: z.enum(['publish', 'draft', 'pending']).default('publish'),
    withdrawMode: z.enum(['draft', 'trash']).default('draft'),
  }),
  /** MetaWeblog XML-RPC; the credential is the account password. */
  z.object({
    ...TargetCommon,
    kind: z.literal('metaweblog'),
    endpoint: z.string().trim().regex(/^https?:\/\/\S+$/, 'endpoint must be an http(s) URL'),
    blogId: z.string().trim().default('1'),
    user: z.string().trim().min(1),
  }),
]);
export type PublishTargetConfig = z.infer<typeof PublishTargetConfigSchema>;

/** A site file (`<workspace>/sites/<id>.json`): the portal profile plus its publishing targets. */
export const SiteConfigSchema = z.intersection(
  SiteProfileSchema,
  z.object({ targets: z.array(PublishTargetConfigSchema).max(50).default([]) }),
);
export type SiteConfig = SiteProfile & { targets: PublishTargetConfig[] };

/** A site in the site picker. */
export interface SiteSummary {
  id: string;
  name: string;
  baseUrl: string;
  targets: { id: string; kind: PublishTargetConfig['kind']; label: string; hasCredential: boolean }[];
  /** The site has its own theme files in `<workspace>/sites/<id>/theme/`. */
  customTheme: boolean;
}

/**
 * The portal page exactly as static publishing writes it (same bytes, unless
 * `largeText` added the `elder` class). Images point at the static build's
 * content-hashed paths; `assetUrls` maps each such path to the article's own
 * `src`, so the preview frame can rewrite them to `transport.assetUrl(articleId, src)`.
 */
export type PreviewResult =
  | { html: string; assetUrls: Record<string, string>; path: string; url: string }
  | { error: { file: string; line: number; message: string } };

/** One pre-publish check; `ok: false` blocks publishing. */
export interface ChecklistItem {
  code: 'title' | 'column' | 'publishAt' | 'source' | 'imageAlt' | 'links';
  ok: boolean;
  /** Plain Chinese: what is missing, or what was checked. */
  message: string;
}

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
}

export interface PublishJobsView {
  jobs: PublishJobView[];
  /** Per target: how many jobs are in each state (progress bars). */
  targets: { targetId: string; label: string; pending: number; running: number; succeeded: number; failed: number }[];
}

export type EnqueueResult = { ok: true; jobs: PublishJobView[] } | { ok: false; checklist: ChecklistItem[] };

const SiteIdSchema = z.string().regex(SLUG_PATTERN, 'invalid site id');

// ───────────────────────────── proofreading (issue 5) ─────────────────────────────
/*
 *   proofread:packs        {}                                  → RulePackList   (defaults + the office's packs in <ws>/rules)
 *   proofread:savePack     {pack} | {text, format}             → RulePackInfo   (admin; text = an imported JSON/YAML file)
 *   proofread:deletePack   {id}                                → { ok: true }   (admin; office packs only)
 *   proofread:exportPack   {id, format: 'json' | 'yaml'}       → ExportedFile
 *   proofread:check        {id}                                → ProofreadResult (server-side check of the saved article)
 *   proofread:override     {articleId, rule, start, text, reason}  → ProofreadResult  (reviewer or publisher; recorded in the audit trail)
 * review:submit and publish:enqueue (publish/update) are refused with `conflict`
 * while errors remain that were not overridden.
 */

/** Every rule pack, and the office files that could not be read. */
export interface RulePackList {
  packs: RulePackInfo[];
  problems: RulePackProblem[];
}

/** The server-side check of one article. */
export interface ProofreadResult {
  articleId: string;
  /** Sorted by start; errors let through carry `overridden`. */
  findings: Finding[];
  counts: ArticleCounts;
  /** Errors without an override: these block submit and publish. */
  blocking: number;
}

const RulePackIdSchema = z.string().regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, 'invalid rule pack id');

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
    z.object({
      name: z.string().min(1).max(1024),
      dataBase64: z.string(),
      /** Create the article even when the workspace already has this material. */
      allowDuplicate: z.boolean().default(false),
    }),
  ),
  /** Text copied from a portal page. */
  'import:text': channel<ImportOutcome>()(
    z.object({ text: z.string().min(1), name: z.string().default('粘贴的文本'), allowDuplicate: z.boolean().default(false) }),
  ),
  'settings:get': channel<Settings>()(z.object({})),
  'settings:save': channel<Settings>()(SettingsSchema),
  'workspace:problems': channel<WorkspaceProblem[]>()(z.object({})),
  'workspace:info': channel<{ path: string; transport: 'ipc' | 'http' }>()(z.object({})),

  // ── review (issue 3); see the list at the top of this file ──
  'session:get': channel<SessionInfo>()(z.object({})),
  'session:setup': channel<SessionInfo>()(
    z.object({ name: z.string().trim().min(1).max(100), unit: z.string().trim().max(200).default(''), password: PasswordSchema }),
  ),
  'session:signIn': channel<SessionInfo>()(z.object({ personId: z.string().min(1).max(64), password: z.string().max(1024) })),
  'session:signOut': channel<SessionInfo>()(z.object({})),
  'people:list': channel<PersonSummary[]>()(z.object({})),
  'people:save': channel<PersonSummary>()(PersonSaveRequestSchema),
  'people:setPassword': channel<{ ok: true }>()(
    z.object({ personId: z.string().min(1).max(64), oldPassword: z.string().max(1024).optional(), newPassword: PasswordSchema }),
  ),
  'review:chainGet': channel<ReviewChain>()(z.object({})),
  'review:chainSave': channel<ReviewChain>()(ReviewChainSchema),
  'review:submit': channel<ReviewView>()(z.object({ id: ReviewArticleId, note: z.string().max(10_000).default('') })),
  'review:queue': channel<ReviewQueue>()(z.object({})),
  'review:get': channel<ReviewView>()(z.object({ id: ReviewArticleId })),
  'review:approve': channel<ReviewView>()(
    z.object({ id: ReviewArticleId, opinion: z.string().max(10_000).default(''), expectedHash: Hash }),
  ),
  'review:requestChanges': channel<ReviewView>()(
    z.object({ id: ReviewArticleId, reason: z.string().max(10_000), expectedHash: Hash }),
  ),
  'review:comment': channel<ReviewView>()(
    z.object({ id: ReviewArticleId, body: z.string().max(20_000), anchor: CommentAnchorInputSchema.optional() }),
  ),
  'review:diff': channel<ReviewDiff>()(
    z.object({ id: ReviewArticleId, from: z.string().min(1), to: z.union([z.literal('current'), z.string().min(1)]) }),
  ),
  'review:signoff': channel<ExportedFile>()(z.object({ id: ReviewArticleId, format: z.enum(['html', 'pdf']) })),
  'package:export': channel<ExportedFile>()(z.object({ ids: z.array(ReviewArticleId).min(1).max(500) })),
  'package:verify': channel<PackageVerifyResult>()(z.object({ dataBase64: PackageData })),
  'package:import': channel<PackageImportResult>()(z.object({ dataBase64: PackageData })),
  'keys:exportTrusted': channel<ExportedFile>()(z.object({})),
  'keys:importTrusted': channel<{ added: number; total: number }>()(z.object({ text: z.string().min(1).max(10_000_000) })),

  // ── publishing (issue 4); see the list above the channel table ──
  'sites:list': channel<SiteSummary[]>()(z.object({})),
  'sites:get': channel<SiteConfig>()(z.object({ id: SiteIdSchema })),
  'sites:save': channel<SiteConfig>()(SiteConfigSchema),
  'preview:render': channel<PreviewResult>()(
    z.object({
      articleId: ArticleId,
      siteId: SiteIdSchema.optional(),
      largeText: z.boolean().default(false),
      /** The unsaved editor state, so the preview follows typing. */
      doc: DocSchema.optional(),
      meta: ArticleMetaSchema.optional(),
    }),
  ),
  'targets:setCredential': channel<{ ok: true; name: string }>()(
    z.object({ siteId: SiteIdSchema.optional(), targetId: TargetIdSchema, secret: z.string().min(1).max(10_000) }),
  ),
  'publish:enqueue': channel<EnqueueResult>()(
    z.object({
      articleId: ArticleId,
      targetIds: z.array(TargetIdSchema).min(1).max(50),
      action: z.enum(['publish', 'update', 'withdraw']),
      /** Scheduled publishing: ISO instant. */
      notBefore: z.iso.datetime({ offset: true }).optional(),
    }),
  ),
  'publish:jobs': channel<PublishJobsView>()(z.object({ articleId: ArticleId.optional() })),
  'publish:receipts': channel<PublishReceipt[]>()(z.object({ articleId: ArticleId })),
  'publish:retry': channel<PublishJobView>()(z.object({ jobId: z.string().uuid() })),

  // ── proofreading (issue 5); see the list above the channel table ──
  'proofread:packs': channel<RulePackList>()(z.object({})),
  'proofread:savePack': channel<RulePackInfo>()(
    z.union([
      z.object({ text: z.string().min(1).max(20_000_000), format: z.enum(['json', 'yaml']) }),
      /** Validated by the service, so a mistake gets a Chinese message naming the entry. */
      z.object({ pack: z.record(z.string(), z.unknown()) }),
    ]),
  ),
  'proofread:deletePack': channel<{ ok: true }>()(z.object({ id: RulePackIdSchema })),
  'proofread:exportPack': channel<ExportedFile>()(z.object({ id: RulePackIdSchema, format: z.enum(['json', 'yaml']) })),
  'proofread:check': channel<ProofreadResult>()(z.object({ id: ArticleId })),
  'proofread:override': channel<ProofreadResult>()(
    z.object({
      articleId: ArticleId,
      rule: z.string().min(1).max(300),
      start: z.number().int().nonnegative(),
      text: z.string().max(10_000),
      reason: z.string().trim().min(1, 'a reason is required').max(2000),
    }),
  ),
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

/** Who is calling: the transport and the caller's session (`ipc:<webContents id>`, a browser's cookie, or `cli`). */
export interface CallContext {
  transport: 'ipc' | 'http' | 'cli';
  /** The services map it to the signed-in person; '' means no session (nothing but session:* and public reads work). */
  sessionId: string;
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
