import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuplicateReason } from '../../../shared/api/contract';
import type { SearchSnippet } from '../../../shared/api/contract/articles';
import type { Article, ArticleStatus, ArticleSummary } from '../../../shared/domain/article';
import { docToPlainText } from '../../../shared/domain/doc';
import { listOrder, searchText, summarize } from './article-file';
import { type FileStamp, writeFileAtomic } from './atomic-file';
import { BigramIndex, pairCodes, sortedPairCodes } from './bigram-index';
import { FIRST_PAGE_ROWS, writeFirstPage } from './early-list';
import { contentFingerprint } from './fingerprint';
import { encodeShard, INDEX_DIR, type IndexRecord, readIndex, recordHeader, SHARD_COUNT, shardOf, shardPath } from './index-shards';
import { containsPacked, packTerm, packText, unpackText } from './packed-text';
import { searchSnippet } from './search-snippets';
import { queryTerms } from './search-tokens';

/** Filters of the article list (the parsed `articles:list` request). */
export interface ListFilter {
  status?: ArticleStatus;
  column?: string[];
  query?: string;
  trash?: boolean;
  /** Only these articles. */
  ids?: readonly string[];
}

/**
 * The articles sharing a fingerprint: almost always one, kept as its id (a Set
 * per article cost ~20 MB at 100,000 articles), a Set only when there are more.
 */
type Ids = string | Set<string>;

function idsOf(ids: Ids | undefined): Iterable<string> {
  return ids === undefined ? [] : typeof ids === 'string' ? [ids] : ids;
}

/** Which rows of a filtered list to return, in list order. */
export interface ListRange {
  offset: number;
  limit: number;
}

/** An article the workspace already has, found by {@link ArticleIndex.findDuplicate}. */
export interface DuplicateMatch {
  summary: ArticleSummary;
  reason: DuplicateReason;
}

/** The rows a query found (a page of them), with where each matched. */
export interface SearchAnswer {
  items: ArticleSummary[];
  /** How many rows match in all. */
  total: number;
  snippets: Record<string, SearchSnippet>;
  /** True when the full-text index was still being built and every article's text was read instead. */
  indexPending: boolean;
}

/** How many rows of an answer get a snippet (the ones a first screen shows). */
const SNIPPET_ROWS = 500;
/** How long one background slice of building the full-text index may hold the thread. */
const BUILD_SLICE_MS = 8;

/**
 * An indexed article. Its shard header is serialised again at each flush of its
 * shard rather than kept: kept headers held ~0.75 KB per article (15 MB of heap
 * at 20,000 articles, measured by bench/archive-100k.ts) to save a few
 * milliseconds per flush (a shard is 1/64 of the records).
 */
type Entry = IndexRecord;

/**
 * Every article's summary, search text and fingerprints, in memory, so the
 * list, search and duplicate checks never read article files. Mirrored to the
 * index shards on disk (see index-shards.ts), which are only a cache: opening
 * trusts a record only while its article file's stamp still matches.
 */
export class ArticleIndex {
  readonly #dir: string;
  readonly #log: (message: string) => void;
  readonly #flushDelayMs: number;
  readonly #entries = new Map<string, Entry>();
  // Fingerprint → article ids, kept in step with #entries so an import checks for duplicates in O(1) at any size.
  readonly #bySource = new Map<string, Ids>();
  readonly #byContent = new Map<string, Ids>();
  #sorted: Entry[] | null = null;
  #rank: Map<string, number> | null = null;
  #loading = false;
  /** The first rows on disk may not be this list's (never written in this session, or skipped while loading). */
  #firstPageStale = true;
  readonly #dirtyShards = new Set<number>();
  #flushTimer: ReturnType<typeof setTimeout> | null = null;
  #stopped = false;
  // Full-text index: Han pairs → article numbers. Only ever narrows the candidates, which are then checked
  // against the entry's text, so a stale pair (an article changed or deleted since) can never produce a wrong hit.
  readonly #fullText = new BigramIndex();
  readonly #numberOf = new Map<string, number>();
  readonly #idOf: string[] = [];
  /** Articles still to be added to the full-text index by the background build; null once it is complete. */
  #unindexed: Set<string> | null = new Set();
  #building: ReturnType<typeof setTimeout> | null = null;
  #readyWaiters: (() => void)[] = [];

  constructor(dir: string, options: { log: (message: string) => void; flushDelayMs: number }) {
    this.#dir = dir;
    this.#log = options.log;
    this.#flushDelayMs = options.flushDelayMs;
  }

  /** The records the shards on disk hold; unreadable shards are skipped. */
  readCache(): Promise<Map<string, IndexRecord>> {
    return readIndex(this.#dir, this.#log);
  }

  /** Takes a record from the cache as it is (its article file is unchanged); nothing to write back. */
  keep(record: IndexRecord): void {
    this.#put(record.summary.id, record);
    this.#indexText(record.summary.id, undefined, record.packedText);
  }

  /**
   * Starts building the full-text index in the background, a few milliseconds
   * at a time, so the list is usable at once; until it is done a query reads
   * every article's text instead (and says so).
   */
  buildFullText(): void {
    if (this.#unindexed === null || this.#building || this.#stopped) return;
    this.#fullText.expectArticles(this.#entries.size);
    const step = () => {
      this.#building = null;
      const pending = this.#unindexed;
      if (pending === null || this.#stopped) return;
      const until = performance.now() + BUILD_SLICE_MS;
      for (const id of pending) {
        pending.delete(id);
        const entry = this.#entries.get(id);
        if (entry) this.#fullText.add(this.#number(id), sortedPairCodes(unpackText(entry.packedText)));
        if (performance.now() > until) break;
      }
      if (pending.size > 0) {
        this.#building = setTimeout(step, 0);
        this.#building.unref?.();
        return;
      }
      this.#unindexed = null;
      this.#fullText.compact();
      for (const resolve of this.#readyWaiters.splice(0)) resolve();
    };
    this.#building = setTimeout(step, 0);
    this.#building.unref?.();
  }

  /** Resolves once the full-text index covers every article. */
  fullTextReady(): Promise<void> {
    if (this.#unindexed === null) return Promise.resolve();
    this.buildFullText();
    return new Promise((resolve) => this.#readyWaiters.push(resolve));
  }

  #number(id: string): number {
    let n = this.#numberOf.get(id);
    if (n === undefined) {
      n = this.#idOf.push(id) - 1;
      this.#numberOf.set(id, n);
    }
    return n;
  }

  /**
   * Brings the full-text index up to an article's new text. Only pairs the old
   * text lacked are added: removing the old ones would cost a walk over the
   * whole index per save, and a pair left behind only makes the article a
   * candidate that the check against its text then turns down.
   */
  #indexText(id: string, previous: string | undefined, packed: string): void {
    if (this.#unindexed !== null) {
      // Not yet reached by the background build: it will read the newest text when it gets there.
      if (!this.#numberOf.has(id) || previous === undefined) {
        this.#unindexed.add(id);
        return;
      }
    }
    if (previous === undefined || !this.#numberOf.has(id)) {
      this.#fullText.add(this.#number(id), sortedPairCodes(unpackText(packed)));
      return;
    }
    if (previous === packed) return;
    const known = pairCodes(unpackText(previous));
    const added = [...pairCodes(unpackText(packed))].filter((code) => !known.has(code));
    if (added.length > 0) this.#fullText.add(this.#number(id), added);
  }

  /** Indexes an article as just read or written; returns its summary. */
  set(article: Article, stamp: FileStamp, bodyText: string = docToPlainText(article.doc)): ArticleSummary {
    const summary = summarize(article, bodyText);
    const packedText = packText(searchText(article, bodyText));
    this.#indexText(article.id, this.#entries.get(article.id)?.packedText, packedText);
    this.#put(article.id, {
      summary,
      packedText,
      stamp,
      origin: article.importedFrom ?? null,
      contentSha256: contentFingerprint(article.meta, bodyText),
    });
    this.#dirtyShards.add(shardOf(article.id));
    this.#scheduleFlush();
    return summary;
  }

  /** Forgets an article (its folder is gone or unusable). */
  drop(id: string): void {
    this.#unlinkFingerprints(id);
    const previous = this.#entries.get(id);
    if (this.#entries.delete(id)) {
      this.#placeInOrder(previous, undefined);
      this.#dirtyShards.add(shardOf(id));
      this.#scheduleFlush();
    }
  }

  /** Rewrites every shard at the next flush, so records of vanished folders leave their shards too. */
  rewriteAll(): void {
    for (let shard = 0; shard < SHARD_COUNT; shard++) this.#dirtyShards.add(shard);
    this.#scheduleFlush();
  }

  /** The indexed record of an article, or undefined. */
  record(id: string): IndexRecord | undefined {
    return this.#entries.get(id);
  }

  has(id: string): boolean {
    return this.#entries.has(id);
  }

  /** The ids of every indexed article. */
  ids(): string[] {
    return [...this.#entries.keys()];
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Summaries, last changed first. A query must match every space-separated term. */
  list(filter: ListFilter = {}): ArticleSummary[] {
    return this.#find(filter, { offset: 0, limit: Number.POSITIVE_INFINITY }, false).items;
  }

  /** One page of {@link list}, with the number of matching rows and where each row of the page matched the query. */
  search(filter: ListFilter = {}, range: ListRange = { offset: 0, limit: Number.POSITIVE_INFINITY }): SearchAnswer {
    return this.#find(filter, range, true);
  }

  #find(filter: ListFilter, range: ListRange, withSnippets: boolean): SearchAnswer {
    const terms = queryTerms(filter.query ?? '');
    // A term holding a character no article has matches nothing.
    const packedTerms = terms.map(packTerm);
    const column = filter.column ?? [];
    const trash = filter.trash ?? false;
    const only = filter.ids ? new Set(filter.ids) : null;
    const indexPending = terms.length > 0 && this.#unindexed !== null;
    const candidates = indexPending ? null : this.#candidates(terms);
    const end = range.offset + range.limit;
    const items: ArticleSummary[] = [];
    const snippets: Record<string, SearchSnippet> = {};
    let total = 0;
    for (const entry of candidates ? this.#inListOrder(candidates) : this.#sortedEntries()) {
      const s = entry.summary;
      if (only && !only.has(s.id)) continue;
      if ((s.trashedAt !== null) !== trash) continue;
      if (filter.status && s.status !== filter.status) continue;
      if (column.length > 0 && !column.every((name, i) => s.column[i] === name)) continue;
      // The index only proposes: every hit is checked against the article's current text.
      if (terms.length > 0 && !packedTerms.every((term) => term !== null && containsPacked(entry.packedText, term))) continue;
      // Rows outside the page are only counted; snippets are made for the rows sent.
      if (total >= range.offset && total < end) {
        if (withSnippets && terms.length > 0 && items.length < SNIPPET_ROWS) {
          snippets[s.id] = searchSnippet(s.title, unpackText(entry.packedText), terms);
        }
        items.push(s);
      }
      total++;
    }
    return { items, total, snippets, indexPending };
  }

  /** The entries of the candidates, in list order. */
  #inListOrder(candidates: Set<string>): Entry[] {
    const sorted = this.#sortedEntries();
    // Most of the archive: walking the list is cheaper than ranking and sorting the candidates.
    if (candidates.size * 4 > sorted.length) return sorted.filter((entry) => candidates.has(entry.summary.id));
    const ranks = this.#ranks();
    const places: number[] = [];
    for (const id of candidates) {
      const place = ranks.get(id);
      if (place !== undefined) places.push(place);
    }
    places.sort((a, b) => a - b);
    return places.map((place) => sorted[place] as Entry);
  }

  /** Ids the full-text index proposes for the terms, or null when it cannot narrow them (no Han pair in any term). */
  #candidates(terms: readonly string[]): Set<string> | null {
    const codes = new Set<number>();
    for (const term of terms) for (const code of pairCodes(term)) codes.add(code);
    const numbers = this.#fullText.candidates(codes);
    if (numbers === null) return null;
    const found = new Set<string>();
    for (const n of numbers) {
      const id = this.#idOf[n];
      if (id !== undefined) found.add(id);
    }
    return found;
  }

  /**
   * An article (trashed ones included) that holds the same material: first one
   * imported from the very same bytes, else one with the same content
   * fingerprint, whether as imported or as it reads now. Of several, the one
   * outside the trash, then the oldest, so the answer is stable.
   */
  findDuplicate(sourceSha256: string, contentSha256: string | null): DuplicateMatch | null {
    const sortKey = (s: ArticleSummary) => `${s.trashedAt === null ? 0 : 1}\u0000${s.createdAt}\u0000${s.id}`;
    const pick = (ids: Ids | undefined): ArticleSummary | null => {
      let best: ArticleSummary | null = null;
      for (const id of idsOf(ids)) {
        const summary = this.#entries.get(id)?.summary;
        if (summary && (best === null || sortKey(summary) < sortKey(best))) best = summary;
      }
      return best;
    };
    const sameFile = pick(this.#bySource.get(sourceSha256));
    if (sameFile) return { summary: sameFile, reason: 'same-file' };
    const sameArticle = contentSha256 ? pick(this.#byContent.get(contentSha256)) : null;
    return sameArticle ? { summary: sameArticle, reason: 'same-article' } : null;
  }

  /**
   * Writes the shards that changed since the last flush, and the list's first
   * rows for the next open unless the list is partial (see {@link loading}).
   */
  async flush(): Promise<void> {
    if (this.#dirtyShards.size === 0) {
      if (!this.#loading && this.#firstPageStale) await this.#writeFirstPage();
      return;
    }
    const shards = [...this.#dirtyShards];
    this.#dirtyShards.clear();
    const members = new Map<number, Entry[]>(shards.map((shard) => [shard, []]));
    for (const entry of this.#entries.values()) members.get(shardOf(entry.summary.id))?.push(entry);
    await mkdir(join(this.#dir, INDEX_DIR), { recursive: true });
    for (const shard of shards) {
      const entries = members.get(shard) ?? [];
      if (entries.length === 0) {
        await rm(shardPath(this.#dir, shard), { force: true });
        continue;
      }
      const headers = entries.map(recordHeader);
      try {
        await writeFileAtomic(shardPath(this.#dir, shard), encodeShard(
            headers,
            entries.map((entry) => unpackText(entry.packedText)),
          ));
      } catch (error) {
        this.#dirtyShards.add(shard);
        throw error;
      }
    }
    if (!this.#loading) await this.#writeFirstPage();
    else this.#firstPageStale = true;
  }

  /**
   * Set while the store loads its articles, and left set when a load was cut
   * short or failed: the list is partial, so its first rows are not written
   * for the next open (they might not be the newest).
   */
  set loading(value: boolean) {
    this.#loading = value;
  }

  async #writeFirstPage(): Promise<void> {
    const top: Entry[] = [];
    let total = 0;
    for (const entry of this.#sortedEntries()) {
      if (entry.summary.trashedAt !== null) continue;
      if (top.length < FIRST_PAGE_ROWS) top.push(entry);
      total++;
    }
    await writeFirstPage(this.#dir, top, total);
    this.#firstPageStale = false;
  }

  /** Stops background flushes for good; whoever closes the store flushes once more itself. */
  stopFlushing(): void {
    if (this.#flushTimer) clearTimeout(this.#flushTimer);
    this.#flushTimer = null;
    if (this.#building) clearTimeout(this.#building);
    this.#building = null;
    this.#stopped = true;
  }

  #put(id: string, entry: Entry): void {
    this.#unlinkFingerprints(id);
    const previous = this.#entries.get(id);
    this.#entries.set(id, entry);
    this.#placeInOrder(previous, entry);
    const link = (map: Map<string, Ids>, key: string | null | undefined) => {
      if (!key) return;
      const ids = map.get(key);
      if (ids === undefined) map.set(key, id);
      else if (typeof ids !== 'string') ids.add(id);
      else if (ids !== id) map.set(key, new Set([ids, id]));
    };
    link(this.#bySource, entry.origin?.sha256);
    link(this.#byContent, entry.origin?.contentSha256);
    link(this.#byContent, entry.contentSha256);
  }

  #unlinkFingerprints(id: string): void {
    const entry = this.#entries.get(id);
    if (!entry) return;
    const unlink = (map: Map<string, Ids>, key: string | null | undefined) => {
      if (!key) return;
      const ids = map.get(key);
      if (ids === undefined) return;
      if (typeof ids === 'string') {
        if (ids === id) map.delete(key);
        return;
      }
      ids.delete(id);
      const [only] = ids;
      if (ids.size === 1 && only !== undefined) map.set(key, only);
      else if (ids.size === 0) map.delete(key);
    };
    unlink(this.#bySource, entry.origin?.sha256);
    unlink(this.#byContent, entry.origin?.contentSha256);
    unlink(this.#byContent, entry.contentSha256);
  }

  #scheduleFlush(): void {
    if (this.#flushTimer || this.#stopped) return;
    // A fixed delay from the first change (not a sliding debounce) so constant autosaves cannot starve it.
    this.#flushTimer = setTimeout(() => {
      this.#flushTimer = null;
      this.flush().catch((error: unknown) => this.#log(`[store] index flush failed: ${String(error)}`));
    }, this.#flushDelayMs);
    this.#flushTimer.unref?.();
  }

  #sortedEntries(): Entry[] {
    if (!this.#sorted) {
      this.#sorted = [...this.#entries.values()].sort(entryOrder);
      this.#rank = null;
    }
    return this.#sorted;
  }

  /**
   * Keeps the list order without sorting again: a save moves one entry (to the
   * top, usually), where sorting 100,000 entries on the next list took 80 ms.
   */
  #placeInOrder(previous: Entry | undefined, next: Entry | undefined): void {
    const sorted = this.#sorted;
    if (!sorted) return;
    this.#rank = null;
    if (previous) {
      const at = sorted.indexOf(previous);
      if (at === -1) {
        this.#sorted = null;
        return;
      }
      sorted.splice(at, 1);
    }
    if (next) {
      let low = 0;
      let high = sorted.length;
      while (low < high) {
        const middle = (low + high) >>> 1;
        if (entryOrder(sorted[middle] as Entry, next) < 0) low = middle + 1;
        else high = middle;
      }
      sorted.splice(low, 0, next);
    }
  }

  /** Each article's place in the list order, for putting a query's candidates in order without walking the list. */
  #ranks(): Map<string, number> {
    if (!this.#rank) {
      const sorted = this.#sortedEntries();
      this.#rank = new Map(sorted.map((entry, i) => [entry.summary.id, i]));
    }
    return this.#rank;
  }
}

function entryOrder(a: Entry, b: Entry): number {
  return listOrder(a.summary, b.summary);
}
