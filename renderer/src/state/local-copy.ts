import { type ArticleMeta, emptyMeta } from '../../../shared/domain/article';
import { type Doc, DocSchema } from '../../../shared/domain/doc';

/** An unsaved state kept in localStorage until the server confirms a save. */
export interface LocalCopy {
  meta: ArticleMeta;
  doc: Doc;
  /** ISO time of the edit that produced this copy. */
  editedAt: string;
}

/** The slice of the Web Storage API used here (declared locally so Node-side tests can pass a fake). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const PREFIX = 'gazette.unsaved.';

/** The localStorage key holding an article's unsaved copy. */
export function localCopyKey(articleId: string): string {
  return PREFIX + articleId;
}

/** Stores the copy; false when storage is full or unavailable (the copy stays in memory). */
export function writeLocalCopy(storage: KeyValueStorage, articleId: string, copy: LocalCopy): boolean {
  try {
    storage.setItem(localCopyKey(articleId), JSON.stringify(copy));
    return true;
  } catch {
    return false;
  }
}

/** Reads a copy back; a damaged entry is treated as absent rather than crashing the editor. */
export function readLocalCopy(storage: KeyValueStorage, articleId: string): LocalCopy | null {
  let raw: string | null;
  try {
    raw = storage.getItem(localCopyKey(articleId));
  } catch {
    return null;
  }
  if (!raw) return null;
  try {
    const value = JSON.parse(raw) as Partial<LocalCopy> | null;
    if (!value || typeof value !== 'object' || typeof value.editedAt !== 'string') return null;
    const doc = DocSchema.safeParse(value.doc);
    if (!doc.success || !value.meta || typeof value.meta !== 'object') return null;
    return { meta: { ...emptyMeta(), ...value.meta }, doc: doc.data, editedAt: value.editedAt };
  } catch {
    return null;
  }
}

/** Forgets the copy once the server has it. */
export function clearLocalCopy(storage: KeyValueStorage, articleId: string): void {
  try {
    storage.removeItem(localCopyKey(articleId));
  } catch {
    // Storage unavailable: nothing was kept there either.
  }
}

/**
 * The copy worth offering on open: edited after the stored version was written
 * and actually different from it.
 */
export function newerLocalCopy(
  storage: KeyValueStorage,
  article: { id: string; updatedAt: string; meta: ArticleMeta; doc: Doc },
): LocalCopy | null {
  const copy = readLocalCopy(storage, article.id);
  if (!copy) return null;
  const editedAt = Date.parse(copy.editedAt);
  const storedAt = Date.parse(article.updatedAt);
  if (Number.isFinite(storedAt) && Number.isFinite(editedAt) && editedAt <= storedAt) return null;
  const same =
    JSON.stringify(copy.doc) === JSON.stringify(article.doc) &&
    JSON.stringify(copy.meta) === JSON.stringify(article.meta);
  return same ? null : copy;
}
