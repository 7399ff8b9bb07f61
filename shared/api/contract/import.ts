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
} as const;
