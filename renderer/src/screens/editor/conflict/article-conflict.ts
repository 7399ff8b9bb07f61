import type { ConflictChoice, SyncConflictView } from '../../../../../shared/api/contract/sync';
import { createStore, type Store } from '../../../state/store';
import {
  allDecided,
  type ConflictChoices,
  carryChoices,
  type FieldChoice,
  NO_CHOICES,
  type ResolveConflictRequest,
  resolveRequest,
} from './conflict-logic';

export interface ArticleConflictState {
  /** The conflict left on the article; null when there is none (or before the first answer). */
  view: SyncConflictView | null;
  /** The first answer has come (with or without a conflict). */
  checked: boolean;
  /** Why asking for the conflict failed; the last answer stays. */
  loadError: unknown;
  choices: ConflictChoices;
  /** 完成合并 is under way. */
  resolving: boolean;
  /** Why 完成合并 failed; every choice stays as it was. */
  resolveError: unknown;
}

export interface ArticleConflictDeps {
  load(articleId: string): Promise<SyncConflictView | null>;
  resolve(request: ResolveConflictRequest): Promise<unknown>;
  /** Saves what the editor still holds before the decided text replaces it. */
  flush(): Promise<boolean>;
  /** The decided article is stored: the editor opens it again. */
  onResolved(): void;
  /** A conflict appeared on the article while it was open: the editor opens it again (the merge changed what is stored). */
  onAppeared(): void;
  /** True when the failure means the session ended (the sign-in screen then comes back). */
  handleSessionLoss(error: unknown): boolean;
}

/**
 * The 冲突待处理 state of the article open in the editor: asks the services for
 * it on open and whenever the office sync moved, holds the person's choice per
 * hunk and field, and sends them with 完成合并. While a conflict stands the
 * editor does not accept input: a save over the undecided article would decide
 * it without the person.
 */
export class ArticleConflict {
  readonly store: Store<ArticleConflictState> = createStore<ArticleConflictState>({
    view: null,
    checked: false,
    loadError: null,
    choices: NO_CHOICES,
    resolving: false,
    resolveError: null,
  });
  #sequence = 0;

  constructor(
    readonly articleId: string,
    private readonly deps: ArticleConflictDeps,
  ) {}

  /** A conflict stands (or is being decided): the article's text and fields must not be edited. */
  get pending(): boolean {
    return this.store.get().view !== null;
  }

  /**
   * Asks whether the article has a conflict. An older answer arriving after a
   * newer one is dropped; choices carry over to a new answer only where it
   * shows the same two sides. A conflict that was not there before appears by
   * reopening the article, since the merge that made it changed what is stored.
   */
  async refresh(): Promise<void> {
    const sequence = ++this.#sequence;
    let view: SyncConflictView | null;
    try {
      view = await this.deps.load(this.articleId);
    } catch (error) {
      if (sequence !== this.#sequence) return;
      if (!this.deps.handleSessionLoss(error)) this.patch({ loadError: error, checked: true });
      return;
    }
    if (sequence !== this.#sequence) return;
    const before = this.store.get();
    // While 完成合并 is being sent, an answer still showing the conflict must not reset what is on screen.
    if (before.resolving) return;
    const appeared = before.checked && before.view === null && view !== null;
    this.patch({
      view,
      checked: true,
      loadError: null,
      choices: view ? carryChoices(before.view, view, before.choices) : NO_CHOICES,
    });
    if (appeared) this.deps.onAppeared();
  }

  chooseHunk(hunkId: string, take: ConflictChoice): void {
    this.store.set((state) => ({
      ...state,
      resolveError: null,
      choices: { ...state.choices, hunks: { ...state.choices.hunks, [hunkId]: take } },
    }));
  }

  chooseField(field: string, take: FieldChoice): void {
    this.store.set((state) => ({
      ...state,
      resolveError: null,
      choices: { ...state.choices, fields: { ...state.choices.fields, [field]: take } },
    }));
  }

  /** The same choice for every hunk and field (全部保留我方 / 全部采用对方). */
  chooseAll(take: FieldChoice): void {
    const { view } = this.store.get();
    if (!view) return;
    this.store.set((state) => ({
      ...state,
      resolveError: null,
      choices: {
        hunks: Object.fromEntries(view.hunks.map((hunk) => [hunk.id, take])),
        fields: Object.fromEntries(view.fields.map((field) => [field.field, take])),
      },
    }));
  }

  /** 完成合并 may be pressed: everything is decided and nothing is being sent. */
  canResolve(): boolean {
    const { view, choices, resolving } = this.store.get();
    return view !== null && !resolving && allDecided(view, choices);
  }

  /**
   * Sends the decisions. On success the editor reopens the decided article; on
   * failure the reason is shown and every choice stays, so pressing again
   * sends the same decisions.
   */
  async resolve(): Promise<boolean> {
    const { view, choices, resolving } = this.store.get();
    if (!view || resolving) return false;
    const request = resolveRequest(view, choices);
    if (!request) return false;
    this.patch({ resolving: true, resolveError: null });
    try {
      await this.deps.flush();
      await this.deps.resolve(request);
    } catch (error) {
      if (!this.deps.handleSessionLoss(error)) this.patch({ resolving: false, resolveError: error });
      else this.patch({ resolving: false });
      return false;
    }
    this.patch({ resolving: false, view: null, choices: NO_CHOICES });
    this.deps.onResolved();
    return true;
  }

  /** The editor stopped watching: answers still on their way are ignored (a later {@link refresh} asks afresh). */
  dispose(): void {
    this.#sequence++;
  }

  private patch(change: Partial<ArticleConflictState>): void {
    this.store.set((state) => ({ ...state, ...change }));
  }
}
