import { createHash } from 'node:crypto';
import type { ArticleMeta } from '../../../shared/domain/article';

/** SHA-256 (hex) of a file's bytes, or of pasted text as UTF-8. */
export function sourceFingerprint(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

// Every kind of space the formats disagree on: line breaks, the full-width 　 that indents Chinese paragraphs, NBSP.
const ANY_SPACE = /\s+/gu;

/**
 * Fingerprint of what an article says: title, publish day and body text with
 * all whitespace removed, so the .txt, the saved .html and a paste of the same
 * page agree even though their line breaks and indents differ. Only the day
 * counts because one format may carry the time and another not. Null when the
 * body is empty: two empty drafts with the same title are not the same article.
 */
export function contentFingerprint(meta: Pick<ArticleMeta, 'title' | 'publishAt'>, bodyText: string): string | null {
  const body = bodyText.replace(ANY_SPACE, '');
  if (body === '') return null;
  const title = meta.title.replace(ANY_SPACE, '');
  const day = meta.publishAt?.slice(0, 10) ?? '';
  return createHash('sha256').update(`${title}\u0000${day}\u0000${body}`).digest('hex');
}
