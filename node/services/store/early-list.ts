import { readdirSync, statSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ArticleSummary } from '../../../shared/domain/article';
import { ARTICLE_FILE, articleValidator, ID_PATTERN, listOrder, summarize } from './article-file';
import { readArticleFile } from './article-recovery';
import { isMissing, statOrNull, writeFileAtomic } from './atomic-file';
import { INDEX_DIR, type IndexRecord, recordHeader, recordIsCurrent, toRecord } from './index-shards';

/**
 * The top of the list as the last session left it (`index/first-page.json`),
 * so an archive of 100,000 articles shows its newest rows at once while every
 * article is checked and loaded behind them. Like the shards it is only a
 * cache: a row is shown only while its article file is still the one it was
 * made from, and the whole list replaces it as soon as it is loaded.
 */
const FIRST_PAGE_FILE = 'first-page.json';
const FIRST_PAGE_FORMAT = 'gazette/first-page';
const FIRST_PAGE_VERSION = 1;
/** Rows kept: two pages of the list, so a few rows turned down by their stamp still leave a full first page. */
export const FIRST_PAGE_ROWS = 100;
const FIRST_PAGE_MAX_BYTES = 1024 * 1024;

/** Newest rows of the list while the rest is loading, and roughly how many there are in all. */
export interface EarlyList {
  rows: ArticleSummary[];
  /** The list's size when the rows were taken (or the number of article folders): shown as approximate. */
  approximateTotal: number;
}

/** Writes the first rows of the list (not trashed, in list order) and the number of such rows. */
export async function writeFirstPage(workspaceDir: string, rows: readonly IndexRecord[], total: number): Promise<void> {
  const body = `{"format":"${FIRST_PAGE_FORMAT}","version":${FIRST_PAGE_VERSION},"total":${total},"rows":[${rows.map(recordHeader).join(',')}]}`;
  await mkdir(join(workspaceDir, INDEX_DIR), { recursive: true });
  await writeFileAtomic(join(workspaceDir, INDEX_DIR, FIRST_PAGE_FILE), body);
}

/** The saved first rows whose files are unchanged, or null when there is no usable snapshot. */
async function fromSnapshot(workspaceDir: string, articlesDir: string): Promise<EarlyList | null> {
  let parsed: { format?: unknown; version?: unknown; total?: unknown; rows?: unknown };
  const file = join(workspaceDir, INDEX_DIR, FIRST_PAGE_FILE);
  // A hundred rows take tens of kilobytes; anything much larger is not ours to parse.
  if ((statOrNull(file)?.size ?? 0) > FIRST_PAGE_MAX_BYTES) return null;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    if (isMissing(error) || error instanceof SyntaxError) return null;
    throw error;
  }
  if (parsed.format !== FIRST_PAGE_FORMAT || parsed.version !== FIRST_PAGE_VERSION) return null;
  if (typeof parsed.total !== 'number' || !Array.isArray(parsed.rows)) return null;
  const rows: ArticleSummary[] = [];
  for (const item of parsed.rows) {
    const record = toRecord(item, '');
    if (record && record.summary.trashedAt === null && recordIsCurrent(articlesDir, record)) rows.push(record.summary);
  }
  return rows.length > 0 ? { rows, approximateTotal: parsed.total } : null;
}

/**
 * Without a snapshot (a first open, or a copied archive): the article files
 * written last, read and checked, in list order. Stat-ing every file costs
 * about 0.6 s at 100,000 articles; reading them all, half a minute.
 */
async function fromNewestFiles(articlesDir: string): Promise<EarlyList> {
  const files: { id: string; mtimeMs: number }[] = [];
  for (const name of readdirSync(articlesDir)) {
    if (!ID_PATTERN.test(name)) continue;
    try {
      files.push({ id: name, mtimeMs: statSync(join(articlesDir, name, ARTICLE_FILE)).mtimeMs });
    } catch {
      // Missing or unreadable: the full load reports it.
    }
  }
  files.sort((a, b) => b.mtimeMs - a.mtimeMs);
  const rows: ArticleSummary[] = [];
  for (const { id } of files.slice(0, FIRST_PAGE_ROWS)) {
    const read = await readArticleFile(join(articlesDir, id, ARTICLE_FILE), articleValidator(id)).catch(() => null);
    if (read && read.article.trashedAt === null) rows.push(summarize(read.article));
  }
  rows.sort(listOrder);
  return { rows, approximateTotal: files.length };
}

/** The first rows to show while the workspace loads. */
export async function readEarlyList(workspaceDir: string, articlesDir: string): Promise<EarlyList> {
  return (await fromSnapshot(workspaceDir, articlesDir)) ?? fromNewestFiles(articlesDir);
}
