import type { NoteMessage } from '../../i18n/note';
import { z } from 'zod';
import type { ArticleSummary } from '../../domain/article';
import { channel } from './channel';

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
  /** 发布机构 the page named: the issuing organ, kept apart from the story's 来源. */
  publisher?: string | null;
  /** The 信息公开 block the page printed (索引号 is only here: the article gets its own at publication). */
  disclosure?: ImportedDisclosure | null;
  /** The portal's sign-off under the article (一审：… 二审：… 三审：…): information, not body text. */
  reviewLines?: string[];
  /** Fields left empty on purpose because the page said two things or something unreadable, with what it said. */
  uncertain?: { field: 'title' | 'date' | 'source' | 'author' | 'column' | 'disclosure'; candidates: string[] }[];
}

/** The 信息公开 block as an import read it; null where the page said nothing readable. */
export interface ImportedDisclosure {
  indexNo: string | null;
  publisher: string | null;
  docNo: string | null;
  writtenAt: string | null;
  topic: string | null;
  genre: string | null;
  validity: '有效' | '失效' | '废止' | null;
}

export type ImportOutcome =
  | {
      ok: true;
      file: string;
      article: ArticleSummary;
      fields: ParsedArticleFields;
      /** Lines the importer could not place; they are kept in the body for the writer. */
      unrecognised: string[];
      /** What to check, in Chinese. */
      warnings: string[];
      /** The same, in the same order, as keys and values, so the window shows them in the reader's language. */
      warningMessages?: NoteMessage[];
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

/** Why one page of a column migration was not imported. */
export interface MigrationFailure {
  url: string;
  /** A listing page (its article links are missing) or an article page. */
  kind: 'listing' | 'article';
  /** In Chinese, as import reasons are. */
  reason: string;
}

/**
 * A column migration as the import screen shows it. `interrupted`: the app
 * quit or crashed while it ran; it resumes where its saved progress ends.
 */
export interface MigrationStatus {
  id: string;
  listingUrl: string;
  status: 'running' | 'stopping' | 'stopped' | 'interrupted' | 'done';
  /** Pause between two requests to the portal. */
  delayMs: number;
  startedAt: string;
  updatedAt: string;
  finishedAt: string | null;
  listingPages: { done: number; queued: number; failed: number };
  /** `found` grows while listing pages are read; `done` = imported + duplicates + failed. */
  articles: { found: number; done: number; imported: number; duplicates: number; failed: number };
  /** The page being fetched now. */
  current: string | null;
  /** Time left at the pace so far, pauses included; null when not running or nothing measured yet. */
  estimateMs: number | null;
  /** The latest failures (at most 200) with why; `failuresTotal` counts them all. */
  failures: MigrationFailure[];
  failuresTotal: number;
}

const WebUrlSchema = z.string().trim().min(1).max(4096);
/** Pause between requests to the portal: 0–60 s. */
const DelaySchema = z.number().int().min(0).max(60_000);

/**
 * Existing material (Word files, saved portal pages, copied text) turned into
 * draft articles. A file that cannot be read is an outcome with a reason, not
 * an error, so one bad file does not stop a folder.
 */
export const importChannels = {
  /**
   * Imports one file (one per call, so the renderer can show progress over a
   * folder). Writers and admins. Returns the new article with the fields
   * recognised, or why nothing was created.
   */
  'import:file': channel<ImportOutcome>('creator')(
    z.object({
      name: z.string().min(1).max(1024),
      dataBase64: z.string(),
      /** Create the article even when the workspace already has this material. */
      allowDuplicate: z.boolean().default(false),
    }),
  ),
  /** Imports text copied from a portal page. Writers and admins. Returns what `import:file` returns. */
  'import:text': channel<ImportOutcome>('creator')(
    z.object({ text: z.string().min(1), name: z.string().default('粘贴的文本'), allowDuplicate: z.boolean().default(false) }),
  ),
  /**
   * Imports the page at a web address (http/https; HTML only; within a size
   * and a time limit), with the pictures of its body downloaded into the
   * article. Writers and admins. Returns what `import:file` returns; an
   * unreachable site or a page that is not HTML is an outcome with the reason.
   */
  'import:url': channel<ImportOutcome>('creator')(z.object({ url: WebUrlSchema, allowDuplicate: z.boolean().default(false) })),
  /**
   * Starts migrating a column from its listing page's address (its pages and
   * the articles they link to on the same host, one request at a time,
   * `delayMs` apart), or resumes `resumeId` where it stopped. Runs in the
   * background; writers and admins. Returns the migration's status.
   */
  'import:migrationStart': channel<MigrationStatus>('creator')(
    z.union([
      z.object({ listingUrl: WebUrlSchema, delayMs: DelaySchema.default(1000) }),
      z.object({ resumeId: z.string().regex(/^m[a-z0-9]+$/u), delayMs: DelaySchema.optional() }),
    ]),
  ),
  /** Stops a running migration after the page in flight; its progress is kept for a resume. Writers and admins. */
  'import:migrationStop': channel<MigrationStatus>('creator')(z.object({ id: z.string().regex(/^m[a-z0-9]+$/u) })),
  /** The workspace's column migrations, newest first, with counts, estimate and failures. Writers and admins. Takes no fields. */
  'import:migrations': channel<MigrationStatus[]>('creator')(z.strictObject({})),
} as const;
