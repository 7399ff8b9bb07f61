import type { Article, ArticleStatus } from '../../../../shared/domain/article';
import type { EditorSession } from '../../state/editor-session';
import { createStore, type Store } from '../../state/store';

export type ArticleLoad =
  | { kind: 'loading' }
  | { kind: 'error'; error: unknown }
  | { kind: 'ready'; session: EditorSession; status: ArticleStatus };

export interface ArticleLoaderState {
  load: ArticleLoad;
  /** Bumped by {@link ArticleLoader.reload}: each generation is a fresh session (and a fresh workspace on screen). */
  generation: number;
}

export interface ArticleLoaderDeps {
  fetch(articleId: string): Promise<Article>;
  openSession(article: Article): EditorSession;
}

/**
 * Loads one article and opens an {@link EditorSession} on it, again after a
 * failure or when the writer, after a conflict, takes the stored version.
 */
export class ArticleLoader {
  readonly store: Store<ArticleLoaderState> = createStore<ArticleLoaderState>({ load: { kind: 'loading' }, generation: 0 });

  constructor(
    readonly articleId: string,
    private readonly deps: ArticleLoaderDeps,
  ) {}

  /**
   * Loads the current generation. Returns the function that closes what this
   * call opened: the session saves what it still holds and stops, and an
   * answer still on its way is ignored.
   */
  open(): () => void {
    let cancelled = false;
    let session: EditorSession | null = null;
    this.setLoad({ kind: 'loading' });
    this.deps.fetch(this.articleId).then(
      (article) => {
        if (cancelled) return;
        session = this.deps.openSession(article);
        this.setLoad({ kind: 'ready', session, status: article.status });
      },
      (error: unknown) => {
        if (!cancelled) this.setLoad({ kind: 'error', error });
      },
    );
    return () => {
      cancelled = true;
      if (session) {
        session.flushNow();
        session.dispose();
      }
    };
  }

  /** Asks for a new generation; after a conflict the writer's own copy is dropped first (they chose the stored one). */
  reload(): void {
    const { load } = this.store.get();
    if (load.kind === 'ready') load.session.abandonChanges();
    this.store.set((state) => ({ load: { kind: 'loading' }, generation: state.generation + 1 }));
  }

  /**
   * Opens the article again as it is stored now (another desktop's work was
   * merged into it, or a sync conflict was decided). Unlike {@link reload}
   * nothing is dropped: an edit not yet saved keeps its local copy, which is
   * offered again if it is newer than what is stored.
   */
  reopen(): void {
    this.store.set((state) => ({ load: { kind: 'loading' }, generation: state.generation + 1 }));
  }

  private setLoad(load: ArticleLoad): void {
    this.store.set((state) => ({ ...state, load }));
  }
}
