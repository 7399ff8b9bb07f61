import type { CommentUpdate } from '../../../shared/workflow/review-chain';
import type { ReviewView } from '../../../shared/api/contract';
import type { ArticleStatus } from '../../../shared/domain/article';
import type { ReviewChain } from '../../../shared/workflow/review-chain';
import type { Invoke } from '../api/client';
import { translateNow } from '../state/settings';
import { createStore, type Store } from '../state/store';
import { type EditingMode, editingMode, editingModeBeforeReview } from './review-logic';

export interface ArticleReviewState {
  /** The article's review as the services last reported it; null until the first answer. */
  view: ReviewView | null;
  /** Why the review could not be read (a lost session is not kept here: the sign-in screen comes back instead). */
  error: unknown;
  /** The office's current chain, for the stage line of an article never submitted. */
  officeChain: ReviewChain | null;
  /** A reviewer with edit rights switched the locked text to editing. */
  reviewerEditing: boolean;
  /** The comment whose passage is highlighted. */
  activeCommentId: string | null;
}

export interface ArticleReviewDeps {
  invoke: Invoke;
  /** Saves what the editor still holds; false when it could not be saved. */
  flush(): Promise<boolean>;
  /** Called after every transition, so the review queue (the navigation badge) asks again. */
  onTransition(): void;
  /** True when the failure means the session ended (it is then handled elsewhere). */
  handleSessionLoss(error: unknown): boolean;
}

/** A passage of the saved text, in plain-text offsets. */
export interface Passage {
  start: number;
  end: number;
}

/**
 * The review of one open article: its state, the office chain, whether a
 * reviewer is correcting the text, and the transitions (submit, approve,
 * request changes, comment). Every transition answers with the new review,
 * which replaces the old one.
 */
export class ArticleReview {
  readonly store: Store<ArticleReviewState> = createStore<ArticleReviewState>({
    view: null,
    error: null,
    officeChain: null,
    reviewerEditing: false,
    activeCommentId: null,
  });

  constructor(
    readonly articleId: string,
    private readonly deps: ArticleReviewDeps,
  ) {}

  get view(): ReviewView | null {
    return this.store.get().view;
  }

  /** The status the review reports; an article never submitted is a draft. */
  get status(): ArticleStatus {
    return this.store.get().view?.state.status ?? 'draft';
  }

  /** Asks the services for the review; resolves with it, or null when it could not be read. */
  async load(): Promise<ReviewView | null> {
    try {
      const view = await this.deps.invoke('review:get', { id: this.articleId });
      this.patch({ view, error: null });
      return view;
    } catch (error) {
      if (!this.deps.handleSessionLoss(error)) this.patch({ error });
      return null;
    }
  }

  /** Reads the office's chain; without it the stage line simply shows nothing. */
  async loadOfficeChain(): Promise<void> {
    let officeChain: ReviewChain | null;
    try {
      officeChain = await this.deps.invoke('review:chainGet', {});
    } catch {
      officeChain = null;
    }
    this.patch({ officeChain });
  }

  /**
   * How the editor behaves now. Until the review (or its failure) arrives the
   * article's own status decides, see {@link editingModeBeforeReview}.
   */
  editingMode(initialStatus: ArticleStatus): EditingMode {
    const { view, error, reviewerEditing } = this.store.get();
    return view || error ? editingMode(view, reviewerEditing) : editingModeBeforeReview(initialStatus);
  }

  setReviewerEditing(reviewerEditing: boolean): void {
    this.patch({ reviewerEditing });
  }

  focusComment(commentId: string | null): void {
    this.patch({ activeCommentId: commentId });
  }

  /** Hands the saved text to the first stage. Throws when the editor could not save it, or when the services refuse. */
  async submit(note: string): Promise<void> {
    await this.saveFirst();
    await this.transition(() => this.deps.invoke('review:submit', { id: this.articleId, note }));
    this.patch({ reviewerEditing: false });
  }

  /**
   * Approves the text the reviewer was shown. A reviewer who corrected it
   * approves it as saved: the correction is saved first and its hash read again.
   */
  async approve(opinion: string): Promise<void> {
    const view = this.requireView();
    let expectedHash = view.currentHash;
    if (this.store.get().reviewerEditing) {
      await this.saveFirst();
      expectedHash = (await this.load())?.currentHash ?? expectedHash;
    }
    await this.transition(() => this.deps.invoke('review:approve', { id: this.articleId, opinion, expectedHash }));
    this.patch({ reviewerEditing: false });
  }

  /** Sends the article back to its writer with a reason. */
  async requestChanges(reason: string): Promise<void> {
    const expectedHash = this.requireView().currentHash;
    await this.transition(() => this.deps.invoke('review:requestChanges', { id: this.articleId, reason, expectedHash }));
    this.patch({ reviewerEditing: false });
  }

  /** Comments on the whole article (null) or a passage. Offsets refer to the saved text, so a pending correction lands first. */
  async comment(body: string, passage: Passage | null): Promise<void> {
    await this.deps.flush();
    await this.transition(() =>
      this.deps.invoke('review:comment', {
        id: this.articleId,
        body,
        ...(passage ? { anchor: { start: passage.start, end: passage.end } } : {}),
      }),
    );
  }

  /** Replies in the thread a comment started. */
  async reply(threadId: string, body: string): Promise<void> {
    await this.transition(() => this.deps.invoke('review:comment', { id: this.articleId, body, replyTo: threadId }));
  }

  /** Edits or withdraws one's own comment, or resolves / reopens a thread. */
  async updateComment(commentId: string, action: CommentUpdate, body?: string): Promise<void> {
    await this.transition(() =>
      this.deps.invoke('review:commentUpdate', { id: this.articleId, commentId, action, ...(body !== undefined ? { body } : {}) }),
    );
  }

  /** A transition applies to the saved text: what the editor holds must be saved, or the step is not taken. */
  private async saveFirst(): Promise<void> {
    if (!(await this.deps.flush())) throw new Error(translateNow('review.ui.saveFirst'));
  }

  private async transition(call: () => Promise<ReviewView>): Promise<void> {
    this.patch({ view: await call() });
    this.deps.onTransition();
  }

  private requireView(): ReviewView {
    const { view } = this.store.get();
    if (!view) throw new Error('the review has not been read yet');
    return view;
  }

  private patch(change: Partial<ArticleReviewState>): void {
    this.store.set((state) => ({ ...state, ...change }));
  }
}
