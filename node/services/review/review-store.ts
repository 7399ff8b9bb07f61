import { ApiError } from '../../../shared/api/errors';
import type { ArticleStatus } from '../../../shared/domain/article';
import type { ArticleMeta } from '../../../shared/domain/article';
import type { Doc } from '../../../shared/domain/doc';
import { isSignedKind, type SignedEvent } from '../../../shared/record/entry';
import type { VerifiedPolicy } from '../../../shared/record/policy';
import { RecordError } from '../../../shared/record/problems';
import type { ArticleVerdict, TrailEvent } from '../../../shared/record/verify';
import { articleContentHash } from '../../../shared/workflow/canonical';
import type { Person, ReviewEvent, ReviewState, TransitionResult } from '../../../shared/workflow/review-chain';
import type { ArticleRecordStore, EntrySigner } from '../record/record-store';
import type { StoredAssetDigest } from '../store/article-assets';
import { KeyedQueue } from '../store/keyed-queue';
import type { WorkspaceStore } from '../store/workspace-store';

/** What {@link ReviewStore} works with. */
export interface ReviewStoreDeps {
  store: WorkspaceStore;
  /** Each article's signed record: the only thing review state is derived from. */
  records: ArticleRecordStore;
  /** The verified office policy; throws RecordError when it does not verify. */
  policy: () => Promise<VerifiedPolicy>;
}

/**
 * Review state as the signed record says it. Every act (submit, approve,
 * request changes, a reviewer's correction, comment, publish, withdraw,
 * override) is appended as an entry signed by its actor; the state, the trail
 * and whether the current content may be published are what replaying the
 * record under the office policy gives — never a stored state. The article's
 * `status` field is a cache for the list, rewritten from the verdict.
 *
 * Review, publishing and package import all append here, so every
 * read-modify-write of one article goes through {@link ReviewStore.run}.
 */
export class ReviewStore {
  readonly #store: WorkspaceStore;
  readonly #records: ArticleRecordStore;
  readonly #policy: () => Promise<VerifiedPolicy>;
  /** One review operation per article at a time. */
  readonly #ops = new KeyedQueue();

  constructor(deps: ReviewStoreDeps) {
    this.#store = deps.store;
    this.#records = deps.records;
    this.#policy = deps.policy;
  }

  /** Runs `operation` after every earlier operation on the same article has finished. */
  run<T>(articleId: string, operation: () => Promise<T>): Promise<T> {
    return this.#ops.run(articleId, operation);
  }

  /** The verified office policy, or `conflict` naming what failed. */
  async policy(): Promise<VerifiedPolicy> {
    try {
      return await this.#policy();
    } catch (error) {
      if (error instanceof RecordError) throw new ApiError('conflict', error.message);
      throw error;
    }
  }

  /**
   * The hash an approval is bound to: metadata, document and the bytes of every
   * asset as they are on disk now. `content` replaces the stored text (a save in
   * progress); the assets are always the stored ones (`assets` when the caller already listed them).
   */
  async currentHash(id: string, content?: { meta: ArticleMeta; doc: Doc }, assets?: readonly StoredAssetDigest[]): Promise<string> {
    const { meta, doc } = content ?? (await this.#store.get(id));
    return articleContentHash(meta, doc, assets ?? (await this.#store.assetDigests(id)));
  }

  /** The record verified under the office policy (read afresh unless given) against the content as it is now. */
  async verdict(id: string, currentHash?: string, policy?: VerifiedPolicy): Promise<ArticleVerdict> {
    if (!this.#store.summary(id)) throw new ApiError('not_found', `article ${id} does not exist`);
    const hash = currentHash ?? (await this.currentHash(id));
    return this.#records.verdict(id, policy ?? (await this.policy()), hash);
  }

  /** The review state the record gives (initial for an article never submitted); `not_found` for no such article. */
  async state(id: string): Promise<ReviewState> {
    return (await this.verdict(id)).state;
  }

  /** The trail: the signed acts with the invalidations and returns the rules derive between them, oldest first. */
  async events(id: string): Promise<TrailEvent[]> {
    return (await this.verdict(id)).trail;
  }

  /**
   * Persists a transition: each act it carries is signed by `signer` and
   * appended (derived invalidations and returns are not: replay derives them),
   * then the status cache and, when asked for, a revision with its author.
   * Nothing is appended on top of a record that does not verify, and an entry
   * that would not verify itself (a role the signed policy does not give) is refused.
   */
  async commit(id: string, actor: Person, signer: EntrySigner, result: TransitionResult, reason: string): Promise<void> {
    const acts = result.events.filter((event): event is ReviewEvent & SignedEvent => isSignedKind(event.type));
    for (const act of acts) await this.append(id, signer, act);
    await this.syncStatus(id);
    if (result.revision) {
      await this.#store.saveVersion(id, result.revision.name, { author: { id: actor.id, name: actor.name }, reason });
    }
  }

  /** Signs and appends one act; RecordError (as `conflict`) when the record or the act does not verify. */
  async append(id: string, signer: EntrySigner, event: SignedEvent): Promise<void> {
    const policy = await this.policy();
    try {
      await this.#records.append(id, policy, event, signer);
    } catch (error) {
      if (error instanceof RecordError) throw new ApiError('conflict', error.message);
      throw error;
    }
  }

  /**
   * Rewrites the article's cached status from its verified record: 已发布 and
   * 已撤回 stay as publishing set them while the record still says approved.
   */
  async syncStatus(id: string, verdict?: ArticleVerdict): Promise<ArticleStatus> {
    const summary = this.#store.summary(id);
    if (!summary) return 'draft';
    const v = verdict ?? (await this.verdict(id));
    const status = statusOf(v, summary.status);
    if (status !== summary.status) await this.#store.setStatus(id, status);
    return status;
  }
}

/** The status a list shows for a verdict; `cached` keeps the publishing detail the record does not decide alone. */
export function statusOf(verdict: ArticleVerdict, cached: ArticleStatus): ArticleStatus {
  const derived = verdict.state.status;
  if (derived !== 'approved') return derived;
  if (verdict.withdrawn) return 'withdrawn';
  if (cached === 'published' || cached === 'withdrawn') return cached;
  return 'approved';
}
