import type { ArticleList, RequestOf } from '../../../shared/api/contract';
import type { SearchSnippet } from '../../../shared/api/contract/articles';
import type { ArticleSyncState } from '../../../shared/api/contract/sync';
import type { ArticleStatus, ArticleSummary, WorkspaceProblem } from '../../../shared/domain/article';
import { createStore, type Store } from './store';

/** An article's office-sync state the list can be narrowed to ('' = all; synced articles have no badge to filter by). */
export type SyncFilter = '' | Exclude<ArticleSyncState, 'synced'>;

/** What the list is filtered by; empty values mean "all". */
export interface ListFilters {
  status: ArticleStatus | '';
  column: string[];
  query: string;
  /** Applied here, not by the services: the sync states come from another channel than the list. */
  sync: SyncFilter;
}

export interface ListState {
  filters: ListFilters;
  items: ArticleSummary[];
  /** Where the first rows matched the search box's text, by article id. */
  snippets: Readonly<Record<string, SearchSnippet>>;
  /** True when the last search ran before the search index was built (every article was read; complete, slower). */
  searchIndexPending: boolean;
  problems: WorkspaceProblem[];
  loading: boolean;
  /** True once a first answer arrived (so "empty" is not shown while loading). */
  loaded: boolean;
  error: unknown;
}

export type ListFetcher = (request: RequestOf<'articles:list'>) => Promise<ArticleList>;

/** Whether any filter is active (the empty state then offers to clear them). */
export function hasActiveFilters(filters: ListFilters): boolean {
  return filters.status !== '' || filters.column.length > 0 || filters.query.trim() !== '' || filters.sync !== '';
}

/** The rows to show under the sync filter; an article missing from `states` is synced. */
export function filterBySync<T extends { id: string }>(
  items: readonly T[],
  filter: SyncFilter,
  states: Readonly<Record<string, ArticleSyncState>>,
): readonly T[] {
  if (filter === '') return items;
  return items.filter((item) => states[item.id] === filter);
}

/**
 * Loads a list of articles (the main list or the trash). Typing in the search
 * box is debounced; answers to older requests are dropped so a slow search
 * cannot overwrite a newer one.
 */
export class ArticleListController {
  readonly store: Store<ListState>;
  private readonly fetcher: ListFetcher;
  private readonly trash: boolean;
  private readonly debounceMs: number;
  private queryTimer: ReturnType<typeof setTimeout> | undefined;
  private sequence = 0;

  constructor(fetcher: ListFetcher, options: { trash?: boolean; debounceMs?: number } = {}) {
    this.fetcher = fetcher;
    this.trash = options.trash ?? false;
    this.debounceMs = options.debounceMs ?? 200;
    this.store = createStore<ListState>({
      filters: { status: '', column: [], query: '', sync: '' },
      items: [],
      snippets: {},
      searchIndexPending: false,
      problems: [],
      loading: false,
      loaded: false,
      error: null,
    });
  }

  setStatus(status: ArticleStatus | ''): void {
    this.patchFilters({ status });
    void this.reload();
  }

  setColumn(column: string[]): void {
    this.patchFilters({ column });
    void this.reload();
  }

  /** Updates the box at once, queries after the writer stops typing. */
  setQuery(query: string): void {
    this.patchFilters({ query });
    if (this.queryTimer !== undefined) clearTimeout(this.queryTimer);
    this.queryTimer = setTimeout(() => {
      this.queryTimer = undefined;
      void this.reload();
    }, this.debounceMs);
  }

  /** Narrows the rows already loaded; the services are not asked again. */
  setSync(sync: SyncFilter): void {
    this.patchFilters({ sync });
  }

  clearFilters(): void {
    this.patchFilters({ status: '', column: [], query: '', sync: '' });
    void this.reload();
  }

  /** Fetches with the current filters; resolves when this (or a newer) request has finished. */
  async reload(): Promise<void> {
    const id = ++this.sequence;
    const { filters } = this.store.get();
    const request: RequestOf<'articles:list'> = { trash: this.trash };
    if (filters.status) request.status = filters.status;
    if (filters.column.length > 0) request.column = filters.column;
    const query = filters.query.trim().slice(0, 200);
    if (query) request.query = query;
    this.store.set((state) => ({ ...state, loading: true }));
    try {
      const result = await this.fetcher(request);
      if (id !== this.sequence) return;
      this.store.set((state) => ({
        ...state,
        items: result.items,
        snippets: result.snippets ?? {},
        searchIndexPending: result.searchIndexPending ?? false,
        problems: result.problems,
        loading: false,
        loaded: true,
        error: null,
      }));
    } catch (error) {
      if (id !== this.sequence) return;
      this.store.set((state) => ({ ...state, loading: false, loaded: true, error }));
    }
  }

  /** Drops one row locally (after trash/restore/purge) without waiting for a reload. */
  removeLocally(articleId: string): void {
    this.store.set((state) => ({ ...state, items: state.items.filter((item) => item.id !== articleId) }));
  }

  dispose(): void {
    if (this.queryTimer !== undefined) clearTimeout(this.queryTimer);
    this.sequence++;
  }

  private patchFilters(patch: Partial<ListFilters>): void {
    this.store.set((state) => ({ ...state, filters: { ...state.filters, ...patch } }));
  }
}
