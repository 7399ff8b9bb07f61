import { existsSync } from 'node:fs';
import { open, readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Article } from '../../../shared/domain/article';
import { ARTICLE_FILE, articleValidator } from './article-file';
import { BACKUP_SUFFIX, type FileStamp, isMissing, isTempFor, parseJsonText, readJsonFile, StoredFileError } from './atomic-file';
import type { ProblemLog } from './problem-log';

/** What reading an article folder needs from the store. */
export interface ArticleFolderDeps {
  problems: ProblemLog;
  log: (message: string) => void;
  /** Indexes an article whose file is usable as it is. */
  use(article: Article, stamp: FileStamp): void;
  /** Writes a recovered article as the folder's article.json (which indexes it too). */
  rewrite(article: Article): Promise<unknown>;
}

/** The article, or why there is none: no file at all, or only unusable ones (now in quarantine). */
export type ArticleFolderResult = Article | 'missing' | 'unusable';

/**
 * Reads one article folder, recovering from the backup or from a finished
 * temp file when article.json is missing, damaged or (after a crash) older.
 */
export async function loadArticleFolder(
  folder: string,
  id: string,
  lookForNewerTemp: boolean,
  deps: ArticleFolderDeps,
): Promise<ArticleFolderResult> {
  const { problems, log } = deps;
  const file = join(folder, ARTICLE_FILE);
  const validate = articleValidator(id);
  let current: { article: Article; stamp: FileStamp } | null = null;
  let failure: StoredFileError | null = null;
  try {
    current = await readArticleFile(file, validate);
  } catch (error) {
    if (!(error instanceof StoredFileError)) throw error;
    failure = error;
  }
  if (current && !lookForNewerTemp) {
    deps.use(current.article, current.stamp);
    return current.article;
  }

  const names = await readdir(folder).catch(() => [] as string[]);
  const tempNames = names.filter((name) => isTempFor(ARTICLE_FILE, name));
  const candidates: { path: string; article: Article; fromBackup: boolean }[] = [];
  for (const name of tempNames) {
    const article = await readJsonFile(join(folder, name), validate).catch(() => null);
    if (article) candidates.push({ path: join(folder, name), article, fromBackup: false });
  }
  if (!current) {
    const backupPath = `${file}${BACKUP_SUFFIX}`;
    const backup = await readJsonFile(backupPath, validate).catch(() => null);
    if (backup) candidates.push({ path: backupPath, article: backup, fromBackup: true });
  }
  const pick = (list: typeof candidates) =>
    list.reduce<(typeof candidates)[number] | null>(
      (best, c) => (best === null || c.article.updatedAt > best.article.updatedAt ? c : best),
      null,
    );
  const settleTemps = async (promoted: string | null) => {
    for (const name of tempNames) {
      const path = join(folder, name);
      if (path === promoted) await unlink(path).catch(() => {});
      else if (existsSync(path)) {
        const moved = await problems.quarantine(path);
        log(`[store] unfinished write ${problems.relative(path)} moved to ${moved}`);
      }
    }
  };

  if (current) {
    const currentArticle = current.article;
    const newer = pick(candidates.filter((c) => c.article.updatedAt > currentArticle.updatedAt));
    if (newer) {
      log(`[store] ${id}: finishing a save interrupted by a crash`);
      await deps.rewrite(newer.article);
      await settleTemps(newer.path);
      return newer.article;
    }
    await settleTemps(null);
    deps.use(current.article, current.stamp);
    return current.article;
  }

  let quarantinedAs: string | null = null;
  if (failure) {
    quarantinedAs = await problems.quarantine(file);
    if (failure.kind === 'foreign') {
      problems.report({
        kind: 'foreign',
        file: problems.relative(file),
        quarantinedAs,
        articleId: id,
        detail: failure.message,
      });
    }
  }
  const best = pick(candidates);
  if (best) {
    await deps.rewrite(best.article);
    await settleTemps(best.fromBackup ? null : best.path);
    if (best.fromBackup) {
      const why = failure ? failure.message : 'article.json was missing';
      problems.report({
        kind: 'recovered_from_backup',
        file: problems.relative(file),
        quarantinedAs,
        articleId: id,
        detail: `${why}; restored the previous version saved ${best.article.updatedAt}`,
      });
    } else {
      log(`[store] ${id}: recovered the last save from an unfinished write`);
    }
    return best.article;
  }
  await settleTemps(null);
  if (failure?.kind === 'damaged') {
    problems.report({
      kind: 'unrecoverable',
      file: problems.relative(file),
      quarantinedAs,
      articleId: id,
      detail: `${failure.message}; no usable backup`,
    });
  }
  return failure ? 'unusable' : 'missing';
}

/** Reads and validates an article file, with the stamp of exactly the bytes read; null when there is none. */
export async function readArticleFile(
  file: string,
  validate: ReturnType<typeof articleValidator>,
): Promise<{ article: Article; stamp: FileStamp } | null> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
  try {
    const stat = await handle.stat();
    const text = await handle.readFile('utf8');
    return { article: parseJsonText(text, file, validate), stamp: { mtimeMs: stat.mtimeMs, size: stat.size } };
  } finally {
    await handle.close();
  }
}
