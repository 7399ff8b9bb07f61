import { ApiError } from '../../../shared/api/errors';
import {
  initialReviewState,
  type Person,
  type ReviewEvent,
  type ReviewState,
  type TransitionResult,
} from '../../../shared/workflow/review-chain';
import { KeyedQueue } from '../store/keyed-queue';
import type { WorkspaceStore } from '../store/workspace-store';
import { appendEvents, readEvents, readReviewState, writeReviewState } from './review-files';

/** Consecutive autosaves by the same person within this window leave one audit entry. */
export const EDIT_MERGE_WINDOW_MS = 5 * 60_000;

/**
 * The review state and audit trail of each article, kept in its folder beside
 * the text. Review and package import both write here, so every
 * read-modify-write of one article goes through {@link ReviewStore.run}.
 */
export class ReviewStore {
  readonly #store: WorkspaceStore;
  /** One review operation per article at a time, so read-modify-write of review.json never interleaves. */
  readonly #ops = new KeyedQueue();
  /** The last audit event of each article, for merging autosave edits. */
  readonly #lastEvent = new Map<string, ReviewEvent | null>();

  constructor(store: WorkspaceStore) {
    this.#store = store;
  }

  /** Runs `operation` after every earlier operation on the same article has finished. */
  run<T>(articleId: string, operation: () => Promise<T>): Promise<T> {
    return this.#ops.run(articleId, operation);
  }

  /** The review state of an article (initial for one never submitted); `not_found` for no such article. */
  async state(id: string): Promise<ReviewState> {
    const summary = this.#store.summary(id);
    if (!summary) throw new ApiError('not_found', `article ${id} does not exist`);
    const stored = await readReviewState(this.#store.articleFolder(id), id);
    return stored ?? initialReviewState(id, summary.status);
  }

  /** The review state as stored, or null for an article never touched by review. */
  storedState(id: string): Promise<ReviewState | null> {
    return readReviewState(this.#store.articleFolder(id), id);
  }

  /** Writes the review state atomically, keeping the previous one as .bak. */
  writeState(id: string, state: ReviewState): Promise<void> {
    return writeReviewState(this.#store.articleFolder(id), state);
  }

  /** The audit trail, oldest first. */
  async events(id: string): Promise<ReviewEvent[]> {
    return (await readEvents(this.#store.articleFolder(id))).events;
  }

  async #lastEventOf(id: string): Promise<ReviewEvent | null> {
    if (!this.#lastEvent.has(id)) {
      const { events } = await readEvents(this.#store.articleFolder(id));
      this.#lastEvent.set(id, events.at(-1) ?? null);
    }
    return this.#lastEvent.get(id) ?? null;
  }

  /** Appends to the audit trail (on disk before this returns). */
  async append(id: string, events: ReviewEvent[]): Promise<void> {
    if (events.length === 0) return;
    await appendEvents(this.#store.articleFolder(id), events);
    this.#lastEvent.set(id, events.at(-1) ?? null);
  }

  /** Whether a lone draft edit may be folded into the previous edit entry of the same person. */
  async #mergeable(id: string, events: readonly ReviewEvent[]): Promise<boolean> {
    const [only] = events;
    if (events.length !== 1 || !only || only.type !== 'edit' || only.stageId !== null) return false;
    const last = await this.#lastEventOf(id);
    return (
      last !== null &&
      last.type === 'edit' &&
      last.stageId === null &&
      last.actorId === only.actorId &&
      Date.parse(only.at) - Date.parse(last.at) < EDIT_MERGE_WINDOW_MS
    );
  }

  /**
   * Persists a transition: review.json, the audit lines, the article's status
   * and, when asked for, an immutable revision with its author.
   */
  async commit(id: string, actor: Person, result: TransitionResult, reason: string): Promise<void> {
    await this.writeState(id, result.state);
    if (!(await this.#mergeable(id, result.events))) await this.append(id, result.events);
    await this.#store.setStatus(id, result.state.status);
    if (result.revision) {
      const revision = await this.#store.saveVersion(id, result.revision.name, {
        author: { id: actor.id, name: actor.name },
        reason,
      });
      await this.append(id, [
        {
          type: 'revision',
          at: revision.createdAt,
          actorId: actor.id,
          contentHash: result.state.contentHash,
          revisionId: revision.id,
          name: revision.name,
        },
      ]);
    }
  }
}
