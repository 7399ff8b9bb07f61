import type { ArticleList, RequestOf } from '../../../shared/api/contract';
import { LIST_LIMIT_MAX, type SearchSnippet } from '../../../shared/api/contract/articles';
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
  /** Sent to the services as the ids in that state: the sync states come from another channel than the list. */
  sync: SyncFilter;
}

export interface ListState {
  filters: ListFilters;
  /** The rows fetched so far: the first pages of the list, in its order. */
  items: ArticleSummary[];
  /** How many rows match the filters in all (more than `items` holds until every page is fetched). */
  total: number;
  /** True while a further page is being fetched. */
  loadingMore: boolean;
  /** Where the fetched rows matched the search box's text, by article id. */
  snippets: Readonly<Record<string, SearchSnippet>>;
  /** True when the last search ran before the search index was built (every article was read; complete, slower). */
  searchIndexPending: boolean;
  /** True while the workspace still loads its articles: the rows are its newest as last seen, the total approximate. */
  workspaceLoading: boolean;
  problems: WorkspaceProblem[];
  loading: boolean;
  /** True once a first answer arrived (so "empty" is not shown while loading). */
  loaded: boolean;
  error: unknown;
}

/** How soon the list asks again while the workspace is loading. */
const WORKSPACE_LOADING_RETRY_MS = 1000;

export type ListFetcher = (request: RequestOf<'articles:list'>) => Promise<ArticleList>;

/** Whether any filter is active (the empty state then offers to clear them). */
export function hasActiveFilters(filters: ListFilters): boolean {
  return filters.status !== '' || filters.column.length > 0 || filters.query.trim() !== '' || filters.sync !== '';
}

/** Rows one request fetches: a screenful and some, so a first page of a 100,000-article archive shows at once. */
export const LIST_PAGE_SIZE = 50;

/** The ids of the articles in the sync filter's state (undefined: no filter); an article missing from `states` is synced. */
export function idsInSyncState(filter: SyncFilter, states: Readonly<Record<string, ArticleSyncState>>): string[] | undefined {
  if (filter === '') return undefined;
  return Object.keys(states).filter((id) => states[id] === filter);
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
  private readonly syncStates: () => Readonly<Record<string, ArticleSyncState>>;
  private queryTimer: ReturnType<typeof setTimeout> | undefined;
  private sequence = 0;

  constructor(
    fetcher: ListFetcher,
    options: { trash?: boolean; debounceMs?: number; syncStates?: () => Readonly<Record<string, ArticleSyncState>> } = {},
  ) {
    this.fetcher = fetcher;
    this.trash = options.trash ?? false;
    this.debounceMs = options.debounceMs ?? 200;
    this.syncStates = options.syncStates ?? (() => ({}));
    this.store = createStore<ListState>({
      filters: { status: '', column: [], query: '', sync: '' },
      items: [],
      total: 0,
      loadingMore: false,
      snippets: {},
      searchIndexPending: false,
      workspaceLoading: false,
      problems: [],
      loading: false,
      loaded: false,
      error: null,
    });
  }

  setStatus(status: ArticleStatus | ''): void {
    this.patchFilters({ status });
    void this.reload({ firstPage: true });
  }

  setColumn(column: string[]): void {
    this.patchFilters({ column });
    void this.reload({ firstPage: true });
  }

  /** Updates the box at once, queries after the writer stops typing. */
  setQuery(query: string): void {
    this.patchFilters({ query });
    if (this.queryTimer !== undefined) clearTimeout(this.queryTimer);
    this.queryTimer = setTimeout(() => {
      this.queryTimer = undefined;
      void this.reload({ firstPage: true });
    }, this.debounceMs);
  }

  setSync(sync: SyncFilter): void {
    this.patchFilters({ sync });
    void this.reload({ firstPage: true });
  }

  clearFilters(): void {
    this.patchFilters({ status: '', column: [], query: '', sync: '' });
    void this.reload({ firstPage: true });
  }

  /**
   * Fetches with the current filters: the first page after a change of
   * filters, else as many rows as were shown (so a reload after a save or a
   * sync round does not shorten the list). Resolves when this (or a newer)
   * request has finished.
   */
  async reload(options: { firstPage?: boolean } = {}): Promise<void> {
    const id = ++this.sequence;
    const shown = options.firstPage ? 0 : this.store.get().items.length;
    const limit = Math.min(LIST_LIMIT_MAX, Math.max(LIST_PAGE_SIZE, Math.ceil(shown / LIST_PAGE_SIZE) * LIST_PAGE_SIZE));
    const request = this.request(0, limit);
    this.store.set((state) => ({ ...state, loading: true }));
    try {
      const result = await this.fetcher(request);
      if (id !== this.sequence) return;
      this.store.set((state) => ({
        ...state,
        items: result.items,
        total: result.total,
        loadingMore: false,
        snippets: result.snippets ?? {},
        searchIndexPending: result.searchIndexPending ?? false,
        workspaceLoading: result.loading ?? false,
        problems: result.problems,
        loading: false,
        loaded: true,
        error: null,
      }));
      // The whole list replaces the newest rows as soon as the workspace has loaded.
      if (result.loading) {
        setTimeout(() => {
          if (id === this.sequence) void this.reload();
        }, WORKSPACE_LOADING_RETRY_MS);
      }
    } catch (error) {
      if (id !== this.sequence) return;
      this.store.set((state) => ({ ...state, loading: false, loaded: true, error }));
    }
  }

  /** Fetches the next page and adds it below the rows shown; a reload or a change of filters started meanwhile wins. */
  async loadMore(): Promise<void> {
    const state = this.store.get();
    if (state.loadingMore || state.loading || state.items.length >= state.total) return;
    const id = this.sequence;
    this.store.set((current) => ({ ...current, loadingMore: true }));
    try {
      const result = await this.fetcher(this.request(state.items.length, LIST_PAGE_SIZE));
      if (id !== this.sequence) return;
      this.store.set((current) => {
        // A row that moved up since (saved meanwhile) is already shown; it is not added twice.
        const known = new Set(current.items.map((item) => item.id));
        return {
          ...current,
          items: [...current.items, ...result.items.filter((item) => !known.has(item.id))],
          total: result.total,
          snippets: { ...current.snippets, ...result.snippets },
          problems: result.problems,
          loadingMore: false,
          error: null,
        };
      });
    } catch (error) {
      if (id !== this.sequence) return;
      this.store.set((current) => ({ ...current, loadingMore: false, error }));
    }
  }

  /** Drops one row locally (after trash/restore/purge) without waiting for a reload. */
  removeLocally(articleId: string): void {
    this.store.set((state) => {
      const items = state.items.filter((item) => item.id !== articleId);
      return { ...state, items, total: Math.max(items.length, state.total - (state.items.length - items.length)) };
    });
  }

  private request(offset: number, limit: number): RequestOf<'articles:list'> {
    const { filters } = this.store.get();
    const request: RequestOf<'articles:list'> = { trash: this.trash, offset, limit };
    if (filters.status) request.status = filters.status;
    if (filters.column.length > 0) request.column = filters.column;
    const query = filters.query.trim().slice(0, 200);
    if (query) request.query = query;
    const ids = idsInSyncState(filters.sync, this.syncStates());
    if (ids) request.ids = ids;
    return request;
  }

  dispose(): void {
    if (this.queryTimer !== undefined) clearTimeout(this.queryTimer);
    this.sequence++;
  }

  private patchFilters(patch: Partial<ListFilters>): void {
    this.store.set((state) => ({ ...state, filters: { ...state.filters, ...patch } }));
  }
}
