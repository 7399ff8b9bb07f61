import { z } from 'zod';
import type { NoteMessage } from '../../i18n/note';
import type { ChannelAccess } from '../access';

/**
 * One channel: who may call it (checked before any handler runs), the request
 * schema the main side parses every call with, and the response type the
 * renderer receives (a type only; responses are built by our own code, so they
 * are not parsed again).
 */
export const channel =
  <Res>(access: ChannelAccess) =>
  <Req extends z.ZodType>(request: Req) => ({ access, request, response: null as unknown as Res });

/** Article ids as the store makes them (also the folder name on disk). */
export const ArticleIdSchema = z.string().regex(/^[A-Za-z0-9_-]{6,64}$/, 'invalid article id');

/** A file handed to the user to save (exports, sign-off sheets, packages, key lists). */
export interface ExportedFile {
  fileName: string;
  mime: string;
  /** Text, or base64 of binary content when `encoding` is 'base64'. */
  content: string;
  encoding?: 'base64';
  /** What the export substituted or left out (fonts missing here, unreadable images), for the person exporting, in Chinese. */
  notes?: string[];
  /** The same notes, in the same order, as keys and values, so the window shows them in the reader's language. */
  noteMessages?: NoteMessage[];
}
