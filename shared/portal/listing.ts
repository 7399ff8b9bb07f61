import type { ColumnNode } from '../domain/settings';
import { type ArticleRef, articleDate, relativeColumn, type SiteProfile, siteColumnPaths } from './site';

/**
 * Which articles appear where, shared by the static build and any preview of
 * index pages so both list the same articles in the same order.
 */

/** Listing order: newest first (date and time), then by id so equal dates never reorder between builds. */
export function compareForListing(a: ArticleRef, b: ArticleRef): number {
  const aKey = a.meta.publishAt ?? articleDate(a);
  const bKey = b.meta.publishAt ?? articleDate(b);
  if (aKey !== bKey) return aKey < bKey ? 1 : -1;
  if (a.id === b.id) return 0;
  return a.id < b.id ? -1 : 1;
}

/** A sorted copy. */
export function sortForListing<T extends ArticleRef>(articles: readonly T[]): T[] {
  return [...articles].sort(compareForListing);
}

function startsWith(path: readonly string[], prefix: readonly string[]): boolean {
  return prefix.length <= path.length && prefix.every((segment, i) => path[i] === segment);
}

/** Articles filed in a column or any column below it (a parent column's page lists its children's news). */
export function articlesInColumn<T extends ArticleRef>(site: SiteProfile, articles: readonly T[], column: readonly string[]): T[] {
  const target = relativeColumn(site, column);
  return articles.filter((article) => startsWith(relativeColumn(site, article.meta.column), target));
}

/**
 * Every column that gets an index page: the site's tree, plus columns articles
 * are filed under that the tree lacks (an imported article's old column must
 * not lead to a broken breadcrumb link). Relative paths, parents first.
 */
export function indexedColumns(site: SiteProfile, articles: readonly ArticleRef[]): string[][] {
  const seen = new Set<string>();
  const out: string[][] = [];
  const add = (path: string[]) => {
    for (let depth = 1; depth <= path.length; depth++) {
      const prefix = path.slice(0, depth);
      const key = prefix.join('/');
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(prefix);
    }
  };
  for (const path of siteColumnPaths(site)) add(relativeColumn(site, path));
  for (const article of articles) add(relativeColumn(site, article.meta.column));
  return out;
}

/** The tree node for a relative column path, if the site's tree has it. */
export function findColumnNode(site: SiteProfile, column: readonly string[]): ColumnNode | null {
  const relative = relativeColumn(site, column);
  const single = site.columns.length === 1 ? site.columns[0] : undefined;
  let nodes: readonly ColumnNode[] = single ? single.children : site.columns;
  let found: ColumnNode | null = null;
  for (const name of relative) {
    found = nodes.find((node) => node.name === name) ?? null;
    if (!found) return null;
    nodes = found.children;
  }
  return found;
}

/** The top-level columns (below 首页) that get a block on the home page. */
export function homeSectionColumns(site: SiteProfile): string[][] {
  const single = site.columns.length === 1 ? site.columns[0] : undefined;
  const nodes = single ? single.children : site.columns;
  return nodes.map((node) => [node.name]);
}

/** Previous (newer) and next (older) article within the same column, by listing order. */
export function neighbours<T extends ArticleRef>(
  site: SiteProfile,
  sortedArticles: readonly T[],
): Map<string, { prev: T | null; next: T | null }> {
  const byColumn = new Map<string, T[]>();
  for (const article of sortedArticles) {
    const key = relativeColumn(site, article.meta.column).join('/');
    const list = byColumn.get(key) ?? [];
    list.push(article);
    byColumn.set(key, list);
  }
  const out = new Map<string, { prev: T | null; next: T | null }>();
  for (const list of byColumn.values()) {
    list.forEach((article, i) => {
      out.set(article.id, { prev: list[i - 1] ?? null, next: list[i + 1] ?? null });
    });
  }
  return out;
}
