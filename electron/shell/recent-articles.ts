import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** One article in 文件 → 最近打开. */
export interface RecentArticle {
  id: string;
  title: string;
}

/** Each person's recent articles, newest first, kept on this computer only. */
export type RecentByPerson = Record<string, RecentArticle[]>;

/** As many as a menu shows without scrolling. */
export const RECENT_LIMIT = 10;

const ID_PATTERN = /^[A-Za-z0-9_-]{6,64}$/;

/** `article` moved (or added) to the front of `list`, with its current title; at most {@link RECENT_LIMIT}. */
export function rememberArticle(list: readonly RecentArticle[], article: RecentArticle): RecentArticle[] {
  return [{ id: article.id, title: article.title }, ...list.filter((item) => item.id !== article.id)].slice(0, RECENT_LIMIT);
}

/** `list` without the article (trashed, purged, no longer readable). */
export function forgetArticle(list: readonly RecentArticle[], articleId: string): RecentArticle[] {
  return list.filter((item) => item.id !== articleId);
}

/**
 * The stored lists as far as they make sense: a damaged or hand-edited file
 * costs at most the entries that are wrong, never the app's start.
 */
export function parseRecent(stored: unknown): RecentByPerson {
  const result: RecentByPerson = {};
  if (!stored || typeof stored !== 'object' || Array.isArray(stored)) return result;
  for (const [person, list] of Object.entries(stored)) {
    if (!Array.isArray(list)) continue;
    const items: RecentArticle[] = [];
    for (const item of list as unknown[]) {
      const { id, title } = (item ?? {}) as { id?: unknown; title?: unknown };
      if (typeof id !== 'string' || !ID_PATTERN.test(id) || items.some((seen) => seen.id === id)) continue;
      items.push({ id, title: typeof title === 'string' ? title.slice(0, 200) : '' });
    }
    result[person] = items.slice(0, RECENT_LIMIT);
  }
  return result;
}

/** The stored lists; none when the file is missing or unreadable. */
export async function loadRecent(file: string): Promise<RecentByPerson> {
  try {
    return parseRecent(JSON.parse(await readFile(file, 'utf8')));
  } catch {
    return {};
  }
}

/** Writes the lists atomically (temp file + rename), so a crash never leaves half a file. */
export async function saveRecent(file: string, recent: RecentByPerson): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.tmp`;
  await writeFile(temp, `${JSON.stringify(recent, null, 2)}\n`, 'utf8');
  await rename(temp, file);
}
