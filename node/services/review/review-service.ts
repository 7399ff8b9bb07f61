import { randomBytes } from 'node:crypto';
import type {
  CallContext,
  DiffSide,
  LocatedComment,
  ParsedRequestOf,
  ReviewDiff,
  ReviewQueue,
  ReviewView,
} from '../../../shared/api/contract';
import { ApiError, reviewApiError } from '../../../shared/api/errors';
import {
  type Article,
  ArticleMetaCompleteSchema,
  type ArticleSummary,
  type Revision,
  type RevisionSummary,
} from '../../../shared/domain/article';
import { docToPlainText } from '../../../shared/domain/doc';
import type { Finding } from '../../../shared/proofread/types';
import { createAnchor, locateAnchor, type TextAnchor } from '../../../shared/workflow/anchor';
import { statusLabel } from '../../../shared/workflow/messages';
import {
  approve,
  can,
  comment,
  currentStage,
  type Person,
  type ReviewAction,
  type ReviewChain,
  ReviewError,
  type ReviewEvent,
  type ReviewState,
  recordEdit,
  requestChanges,
  reviewQueue,
  submit,
  type TransitionResult,
  updateComment,
} from '../../../shared/workflow/review-chain';
import { diffRevisions } from '../../../shared/workflow/text-diff';
import type { IdentityService } from '../identity/identity-service';
import { signApproval, signBytes } from '../identity/keys';
import type { EntrySigner } from '../record/record-store';
import { isLocked, isOpenForWriting } from '../../../shared/workflow/locks';
import type { SignedEvent } from '../../../shared/record/entry';
import type { PeopleDirectory } from '../identity/people-directory';
import { t } from '../messages';
import { StoreError } from '../store/store-error';
import type { WorkspaceStore } from '../store/workspace-store';
import type { ReviewStore } from './review-store';

/** Consecutive autosaves by the same person within this window leave one audit entry. */
export const EDIT_MERGE_WINDOW_MS = 5 * 60_000;

/** `Omit` applied to each member of a union (plain `Omit` merges them into one shape). */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** What {@link ReviewService} works with. */
export interface ReviewServiceDeps {
  store: WorkspaceStore;
  /** The office's review chain. */
  directory: PeopleDirectory;
  identity: IdentityService;
  reviews: ReviewStore;
  /**
   * Asked before an article enters review; throws to refuse. Proofreading
   * refuses while errors remain in the text.
   */
  submitGate: (article: Article) => Promise<void>;
  /**
   * Whether the office sync left the article 冲突待处理 (two desktops changed
   * the same block): its text is not settled, so it is not submitted. Absent
   * where the workspace has no sync.
   */
  inSyncConflict?: (articleId: string) => Promise<boolean>;
  now?: () => Date;
  log?: (message: string) => void;
}

/** The part of review proofreading writes to: the audit entry of an error let through. */
export type ProofreadOverrideRecorder = Pick<ReviewService, 'recordProofreadOverride'>;

/**
 * The review chain at work: every transition with its permission check, the
 * saves and revisions it governs while an article is in review, comments, and
 * what the reviewers see (the article's review, their queue, diffs).
 */
export class ReviewService {
  readonly #store: WorkspaceStore;
  readonly #directory: PeopleDirectory;
  readonly #identity: IdentityService;
  readonly #reviews: ReviewStore;
  readonly #submitGate: (article: Article) => Promise<void>;
  readonly #inSyncConflict: (articleId: string) => Promise<boolean>;
  readonly #now: () => Date;
  readonly #log: (message: string) => void;

  constructor(deps: ReviewServiceDeps) {
    this.#store = deps.store;
    this.#directory = deps.directory;
    this.#identity = deps.identity;
    this.#reviews = deps.reviews;
    this.#submitGate = deps.submitGate;
    this.#inSyncConflict = deps.inSyncConflict ?? (async () => false);
    this.#now = deps.now ?? (() => new Date());
    this.#log = deps.log ?? (() => {});
  }

  #iso(): string {
    return this.#now().toISOString();
  }

  /** review:chainGet */
  chain(context: CallContext): ReviewChain {
    this.#identity.requirePerson(context);
    return this.#directory.chain();
  }

  /** review:chainSave (admin) */
  async saveChain(chain: ReviewChain, context: CallContext): Promise<ReviewChain> {
    this.#identity.requireAdmin(context, 'session.action.saveChain');
    const saved = await this.#directory.saveChain(chain);
    await this.#identity.signChange(context, t('policy.note.chain'));
    return saved;
  }

  // ───────────────────────────── transitions ─────────────────────────────

  #toApi(error: unknown): unknown {
    return error instanceof ReviewError ? reviewApiError(error) : error;
  }

  /** The caller's key as the signer of record entries; `forbidden` with the reason when there is none. */
  #signer(context: CallContext, actor: Person): EntrySigner {
    const key = this.#identity.signingKey(context, actor);
    return { personId: actor.id, keyId: key.keyId, sign: (text) => signBytes(key, text) };
  }

  /** The caller's signer, or null when they have no key here (a draft edit is then simply not entered). */
  #optionalSigner(context: CallContext, actor: Person): EntrySigner | null {
    try {
      return this.#signer(context, actor);
    } catch {
      return null;
    }
  }

  /** Whether the record's last entry is this person's draft edit from the last few minutes (autosaves fold into it). */
  async #mergesWithLastEdit(id: string, actor: Person, hash: string): Promise<boolean> {
    const last = (await this.#reviews.verdict(id, hash)).last?.event;
    return (
      last?.type === 'edit' &&
      last.stageId === null &&
      last.actorId === actor.id &&
      Date.parse(this.#iso()) - Date.parse(last.at) < EDIT_MERGE_WINDOW_MS
    );
  }

  async #transition(
    id: string,
    context: CallContext,
    reason: string,
    run: (state: ReviewState, actor: Person, hash: string, article: Article) => Promise<TransitionResult> | TransitionResult,
  ): Promise<ReviewView> {
    const actor = this.#identity.requirePerson(context);
    await this.#reviews.run(id, async () => {
      const article = await this.#store.get(id);
      const hash = await this.#reviews.currentHash(id, article);
      const state = await this.#reviews.state(id);
      let result: TransitionResult;
      try {
        result = await run(state, actor, hash, article);
      } catch (error) {
        throw this.#toApi(error);
      }
      // Asked only once the rules allowed the act, so "not a reviewer" comes before "no key".
      await this.#reviews.commit(id, actor, this.#signer(context, actor), result, reason);
    });
    return this.view(id, context);
  }

  // ───────────────────────────── articles:* under review ─────────────────────────────

  /**
   * articles:save with review rules: refused while locked for the caller; a
   * change of content is recorded (approvals that no longer match are
   * invalidated, a reviewer's correction becomes an attributed revision).
   */
  async saveArticle(
    request: ParsedRequestOf<'articles:save'>,
    context: CallContext,
  ): Promise<{ updatedAt: string; summary: ArticleSummary }> {
    const actor = this.#identity.requirePerson(context);
    return this.#reviews.run(request.id, async () => {
      const hash = await this.#reviews.currentHash(request.id, request);
      const state = await this.#reviews.state(request.id);
      const previous = await this.#store.get(request.id);
      let result: TransitionResult;
      try {
        result = recordEdit(state, actor, {}, this.#iso(), hash);
      } catch (error) {
        throw this.#toApi(error);
      }
      // From submission on every change is a signed correction in the record
      // (a reviewer without a key here is refused before anything is written).
      // A draft's text is its writer's: their edits are signed when they can be,
      // one entry per five minutes of typing, and submitting signs the text anyway.
      const locked = isLocked(state.status);
      const signer = result.events.length === 0 ? null : locked ? this.#signer(context, actor) : this.#optionalSigner(context, actor);
      const record = signer !== null && (locked || !(await this.#mergesWithLastEdit(request.id, actor, hash)));
      // The text goes to disk first: if the process dies before the entry is
      // appended, the record names the unrecorded change and nothing can be
      // approved or published until a reviewer saves again.
      const saved = await this.#store.save(request.id, request.meta, request.doc, request.baseUpdatedAt, {
        status: result.state.status,
        conflictOf: previous.conflictOf ?? null,
      });
      if (record && signer) await this.#reviews.commit(request.id, actor, signer, result, 'reviewer_edit');
      else if (result.state.status !== state.status) await this.#reviews.syncStatus(request.id);
      const summary = this.#store.summary(request.id) ?? saved.summary;
      return { updatedAt: saved.updatedAt, summary };
    });
  }

  /** articles:saveVersion with the author recorded. */
  async saveVersion(request: ParsedRequestOf<'articles:saveVersion'>, context: CallContext): Promise<RevisionSummary> {
    const actor = this.#identity.requirePerson(context);
    return this.#reviews.run(request.id, () =>
      this.#store.saveVersion(request.id, request.name, { author: { id: actor.id, name: actor.name }, reason: 'manual' }),
    );
  }

  /**
   * articles:trash — the author or an administrator; while it is in review or
   * approved, an administrator only. A reviewer does not throw away a writer's work.
   */
  async assertTrashable(id: string, context: CallContext): Promise<void> {
    const actor = this.#identity.requirePerson(context);
    if (actor.roles.includes('admin')) return;
    const status = (await this.#reviews.verdict(id)).state.status;
    if (status === 'in_review' || status === 'approved') {
      throw new ApiError('forbidden', t('session.error.lockedForTrash', { status: statusLabel(status) }));
    }
    await this.#assertAuthor(id, actor, 'record.error.trashNotAuthor');
  }

  /** articles:restore — the same people who may trash it. */
  async assertRestorable(id: string, context: CallContext): Promise<void> {
    const actor = this.#identity.requirePerson(context);
    if (actor.roles.includes('admin')) return;
    await this.#assertAuthor(id, actor, 'record.error.restoreNotAuthor');
  }

  /** The article's author is who created it here, else (made before authors were kept) who first submitted it. */
  async #assertAuthor(id: string, actor: Person, refusal: 'record.error.trashNotAuthor' | 'record.error.restoreNotAuthor'): Promise<void> {
    const summary = this.#store.summary(id);
    if (!summary) throw new ApiError('not_found', `article ${id} does not exist`);
    const author = summary.createdBy ?? (await this.#reviews.verdict(id)).state.submittedBy;
    const allowed = author ? author === actor.id : actor.roles.includes('writer');
    if (!allowed) {
      throw new ApiError('forbidden', t(refusal, { name: actor.name, author: author ? this.#identity.nameOf(author) : '' }));
    }
  }

  // ───────────────────────────── review:* ─────────────────────────────

  /** Records in the article's audit trail that a proofreading error was let through. */
  async recordProofreadOverride(
    articleId: string,
    context: CallContext,
    finding: Pick<Finding, 'rule' | 'text' | 'start' | 'message' | 'messageKey' | 'params'>,
    reason: string,
  ): Promise<void> {
    await this.#recordAct(articleId, context, {
      type: 'proofread_override',
      rule: finding.rule,
      text: finding.text,
      start: finding.start,
      message: finding.message,
      ...(finding.messageKey ? { messageKey: finding.messageKey, params: finding.params ?? {} } : {}),
      reason,
    });
  }

  /** Records a withdrawal from the site, signed by the publisher, with the reason and the targets. */
  async recordWithdraw(articleId: string, context: CallContext, reason: string, targetIds: readonly string[]): Promise<void> {
    await this.#recordAct(articleId, context, { type: 'withdraw', reason, targets: [...targetIds] });
  }

  /**
   * Records, signed by the publisher, that this exact content is to go live.
   * The verifier refuses it unless every stage approved that content, so the
   * publish gate and the record cannot disagree.
   */
  async recordPublish(articleId: string, context: CallContext, contentHash: string, indexNo: string | null = null): Promise<void> {
    const actor = this.#identity.requirePerson(context);
    const signer = this.#signer(context, actor);
    // An office replaced wholesale on disk (root and policy re-signed) would make forged records verify.
    await this.#identity.assertRootAnchored(context);
    await this.#reviews.run(articleId, async () => {
      await this.#reviews.append(articleId, signer, {
        type: 'publish',
        at: this.#iso(),
        actorId: actor.id,
        contentHash,
        ...(indexNo ? { indexNo } : {}),
      });
      await this.#reviews.syncStatus(articleId);
    });
  }

  /** Appends one signed act that changes no review state, stamped with who, when and the current content hash. */
  async #recordAct(
    articleId: string,
    context: CallContext,
    act: DistributiveOmit<Extract<ReviewEvent, { type: 'proofread_override' | 'withdraw' }>, 'at' | 'actorId' | 'contentHash'>,
  ): Promise<void> {
    const actor = this.#identity.requirePerson(context);
    const signer = this.#signer(context, actor);
    await this.#reviews.run(articleId, async () => {
      const hash = await this.#reviews.currentHash(articleId);
      const event = { ...act, at: this.#iso(), actorId: actor.id, contentHash: hash } as SignedEvent;
      await this.#reviews.append(articleId, signer, event);
      await this.#reviews.syncStatus(articleId);
    });
  }

  /** review:submit */
  async submit(request: ParsedRequestOf<'review:submit'>, context: CallContext): Promise<ReviewView> {
    // The chain every machine will replay the submission under: the signed policy's.
    const chain = (await this.#reviews.policy()).latest.chain;
    return this.#transition(request.id, context, 'submit', async (state, actor, hash, article) => {
      const result = submit(state, actor, { note: request.note, chain }, this.#iso(), hash);
      // Checked after the permission rules, so a reviewer learns "not a writer" rather than "no title".
      if (await this.#inSyncConflict(request.id)) throw new ApiError('conflict', this.#syncConflictReason(article));
      if (!ArticleMetaCompleteSchema.safeParse(article.meta).success) {
        throw new ApiError('invalid_request', t('session.error.titleRequired'));
      }
      await this.#submitGate(article);
      return result;
    });
  }

  #syncConflictReason(article: Article): string {
    return t('review.error.syncConflict', { title: article.meta.title || article.id });
  }

  /** review:approve — signed with the approver's key unlocked at sign-in. */
  approve(request: ParsedRequestOf<'review:approve'>, context: CallContext): Promise<ReviewView> {
    return this.#transition(request.id, context, 'approve', (state, actor, hash) => {
      const check = can(actor, 'approve', state, this.#directory.chain());
      if (!check.allowed) throw check.error;
      const key = this.#identity.signingKey(context, actor);
      const now = this.#iso();
      const stage = currentStage(state);
      const signature = stage
        ? signApproval(key, request.id, {
            personId: actor.id,
            stageId: stage.id,
            at: now,
            opinion: request.opinion,
            contentHash: hash,
          })
        : null;
      return approve(state, actor, { opinion: request.opinion, expectedHash: request.expectedHash, signature }, now, hash);
    });
  }

  /** review:requestChanges */
  requestChanges(request: ParsedRequestOf<'review:requestChanges'>, context: CallContext): Promise<ReviewView> {
    return this.#transition(request.id, context, 'request_changes', (state, actor, hash) =>
      requestChanges(state, actor, { reason: request.reason, expectedHash: request.expectedHash }, this.#iso(), hash),
    );
  }

  /** review:comment — on the whole article or on a passage (offsets or a quote in the plain text). */
  comment(request: ParsedRequestOf<'review:comment'>, context: CallContext): Promise<ReviewView> {
    return this.#transition(request.id, context, 'comment', (state, actor, hash, article) => {
      let anchor: TextAnchor | null = null;
      if (request.anchor) {
        const text = docToPlainText(article.doc);
        const start = 'quote' in request.anchor ? text.indexOf(request.anchor.quote) : request.anchor.start;
        const end = 'quote' in request.anchor ? start + request.anchor.quote.length : request.anchor.end;
        anchor = start < 0 ? null : createAnchor(text, start, end);
        if (!anchor) throw new ApiError('invalid_request', t('session.error.badAnchor', { start, end }));
      }
      return comment(
        state,
        actor,
        { id: randomBytes(9).toString('base64url'), body: request.body, anchor, replyTo: request.replyTo ?? null },
        this.#iso(),
        hash,
      );
    });
  }

  /** review:commentUpdate — edit or withdraw one's own comment, resolve or reopen a thread. */
  updateComment(request: ParsedRequestOf<'review:commentUpdate'>, context: CallContext): Promise<ReviewView> {
    return this.#transition(request.id, context, 'comment', (state, actor, hash) =>
      updateComment(state, actor, { commentId: request.commentId, action: request.action, body: request.body }, this.#iso(), hash),
    );
  }

  /** review:get — state, audit trail, what the caller may do, comments located in the current text. */
  async view(id: string, context: CallContext): Promise<ReviewView> {
    const actor = this.#identity.requirePerson(context);
    const article = await this.#store.get(id);
    const currentHash = await this.#reviews.currentHash(id, article);
    const verdict = await this.#reviews.verdict(id, currentHash);
    const state = this.#withDraftEdits(verdict.state, currentHash, article.updatedAt);
    const events = verdict.trail;
    const articleStatus = await this.#reviews.syncStatus(id, verdict);
    const chain = this.#directory.chain();
    const check = (action: ReviewAction) => can(actor, action, state, chain);
    const edit = check('edit');
    const canSubmit = check('submit').allowed;
    const text = docToPlainText(article.doc);
    const comments: LocatedComment[] = state.comments.map((c) => {
      const range = c.anchor ? locateAnchor(text, c.anchor) : null;
      return { ...c, authorName: this.#identity.nameOf(c.authorId), range, detached: c.anchor !== null && range === null };
    });
    const ids = new Set<string>([
      ...events.map((e) => e.actorId),
      ...state.approvals.map((a) => a.personId),
      ...state.invalidatedApprovals.map((a) => a.personId),
      ...state.comments.map((c) => c.authorId),
      ...(state.submittedBy ? [state.submittedBy] : []),
    ]);
    const names: Record<string, string> = {};
    for (const personId of ids) names[personId] = this.#identity.nameOf(personId);
    return {
      articleId: id,
      title: article.meta.title,
      state,
      events,
      currentHash,
      canAct: {
        submit: canSubmit,
        approve: check('approve').allowed,
        requestChanges: check('request_changes').allowed,
        comment: check('comment').allowed,
        edit: edit.allowed,
      },
      lockReason: edit.allowed ? null : edit.error.message,
      submitBlocked: canSubmit && (await this.#inSyncConflict(id)) ? this.#syncConflictReason(article) : null,
      comments,
      names,
      stageName: currentStage(state)?.name ?? null,
      articleStatus,
      record: {
        intact: verdict.intact && verdict.problems.length === 0,
        problems: verdict.problems.map((p) => ({ code: p.code, message: p.message })),
        publishable: verdict.publishable,
        published: verdict.published,
        withdrawn: verdict.withdrawn,
      },
    };
  }

  /**
   * A returned article's later edits are its writer's and not all of them are
   * signed entries (autosaves fold, the CLI has no key): show the state they
   * lead to — approvals of other text no longer count — as submitting will record it.
   */
  #withDraftEdits(state: ReviewState, currentHash: string, at: string): ReviewState {
    if (!isOpenForWriting(state.status) || state.contentHash === null || state.contentHash === currentHash) return state;
    const writerId = state.submittedBy ?? '';
    const writer: Person = { id: writerId, name: this.#identity.nameOf(writerId), unit: '', roles: ['writer'], active: true };
    try {
      return recordEdit(state, writer, {}, at, currentHash).state;
    } catch {
      return state;
    }
  }

  /** review:queue — what waits for the caller, oldest first. */
  async queue(context: CallContext): Promise<ReviewQueue> {
    const actor = this.#identity.requirePerson(context);
    const chain = this.#directory.chain();
    const items: { summary: ArticleSummary; review: ReviewState }[] = [];
    for (const summary of this.#store.list({ status: 'in_review' })) {
      try {
        items.push({ summary, review: await this.#reviews.state(summary.id) });
      } catch (error) {
        this.#log(`[review] queue skipped ${summary.id}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    const waiting = reviewQueue(actor, items, chain);
    const out: ReviewQueue['items'] = [];
    for (const item of waiting) {
      const stage = currentStage(item.review);
      const events = await this.#reviews.events(item.summary.id);
      const lastSubmit = events.findLast((e) => e.type === 'submit');
      out.push({
        article: item.summary,
        stageId: stage?.id ?? '',
        stageName: stage?.name ?? '',
        stageEnteredAt: item.review.stageEnteredAt,
        submittedBy: item.review.submittedBy ? { id: item.review.submittedBy, name: this.#identity.nameOf(item.review.submittedBy) } : null,
        note: lastSubmit?.type === 'submit' ? lastSubmit.note : '',
      });
    }
    return { items: out, count: out.length };
  }

  /** review:diff — two revisions (or a revision and the current text), with who made each. */
  async diff(request: ParsedRequestOf<'review:diff'>, context: CallContext): Promise<ReviewDiff> {
    this.#identity.requirePerson(context);
    const events = await this.#reviews.events(request.id);
    const side = async (revisionId: string): Promise<{ content: Pick<Revision, 'meta' | 'doc'>; side: DiffSide }> => {
      if (revisionId === 'current') {
        const article = await this.#store.get(request.id);
        const hash = await this.#reviews.currentHash(request.id, article);
        const lastEdit = events.findLast((e) => e.type === 'edit' && e.contentHash === hash);
        return {
          content: article,
          side: {
            id: 'current',
            name: article.meta.title,
            createdAt: article.updatedAt,
            author: lastEdit ? { id: lastEdit.actorId, name: this.#identity.nameOf(lastEdit.actorId) } : null,
          },
        };
      }
      let revision: Revision;
      try {
        revision = await this.#store.getVersion(request.id, revisionId);
      } catch (error) {
        if (error instanceof StoreError && error.code === 'not_found') {
          throw new ApiError('not_found', t('session.error.noRevision', { id: revisionId }));
        }
        throw error;
      }
      return {
        content: revision,
        side: { id: revision.id, name: revision.name, createdAt: revision.createdAt, author: revision.author ?? null },
      };
    };
    const from = await side(request.from);
    const to = await side(request.to);
    const editors = events
      .filter((e) => e.type === 'edit' && e.at > from.side.createdAt && e.at <= to.side.createdAt)
      .map((e) => ({ id: e.actorId, name: this.#identity.nameOf(e.actorId), at: e.at }));
    return { ...diffRevisions(from.content, to.content), from: from.side, to: to.side, editors };
  }
}
