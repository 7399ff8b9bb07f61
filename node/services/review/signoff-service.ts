import type { CallContext, ExportedFile, ParsedRequestOf } from '../../../shared/api/contract';
import { ApiError } from '../../../shared/api/errors';
import { docToPlainText } from '../../../shared/domain/doc';
import type { SignoffSheet, SignatureStatus } from '../../../shared/workflow/signoff';
import type { IdentityService } from '../identity/identity-service';
import type { PeopleDirectory } from '../identity/people-directory';
import { t } from '../messages';
import type { WorkspaceStore } from '../store/workspace-store';
import { exportName } from './file-name';
import { renderSignoffHtml } from './signoff-pdf';
import type { ReviewStore } from './review-store';

/** What {@link SignoffService} works with. */
export interface SignoffServiceDeps {
  store: WorkspaceStore;
  /** The review chain and the trusted keys the signatures are checked against. */
  directory: PeopleDirectory;
  identity: IdentityService;
  reviews: ReviewStore;
  /** Finds a CJK font and renders the PDF sign-off sheet; injectable so the service stays plain Node. */
  renderPdf?: (sheet: SignoffSheet) => Promise<Uint8Array>;
  now?: () => Date;
}

/**
 * What an article's approvals amount to: the 审核表 with every signature
 * checked, and whether its current text may be published.
 */
export class SignoffService {
  readonly #store: WorkspaceStore;
  readonly #directory: PeopleDirectory;
  readonly #identity: IdentityService;
  readonly #reviews: ReviewStore;
  readonly #renderPdf: ((sheet: SignoffSheet) => Promise<Uint8Array>) | undefined;
  readonly #now: () => Date;

  constructor(deps: SignoffServiceDeps) {
    this.#store = deps.store;
    this.#directory = deps.directory;
    this.#identity = deps.identity;
    this.#reviews = deps.reviews;
    this.#renderPdf = deps.renderPdf;
    this.#now = deps.now ?? (() => new Date());
  }

  #iso(): string {
    return this.#now().toISOString();
  }

  /** The 审核表 of an article, from its verified record. */
  async signoffSheet(id: string): Promise<SignoffSheet> {
    const article = await this.#store.get(id);
    const currentHash = await this.#reviews.currentHash(id, article);
    const verdict = await this.#reviews.verdict(id, currentHash);
    const { state } = verdict;
    const chain = state.chain ?? this.#directory.chain();
    // Replay stops at the first entry that fails, so every approval in the
    // derived state came from an entry whose signature, key and entitlement verified.
    const signatureOf = (): SignatureStatus => 'valid';
    const stageName = (stageId: string) => chain.stages.find((s) => s.id === stageId)?.name ?? stageId;
    const printing = this.#store.settings().signoff;
    // The correction that followed an approval kept across it: the first reviewer's edit after it.
    const correctionAfter = (at: string) => {
      const edit = verdict.trail.find((e) => e.type === 'edit' && e.at > at && 'stageId' in e && e.stageId !== null);
      return edit ? { name: this.#identity.nameOf(edit.actorId), at: edit.at } : null;
    };
    const author = this.#store.summary(id)?.createdBy ?? state.submittedBy;
    return {
      officeName: printing.officeName || null,
      writer: author ? this.#identity.nameOf(author) : null,
      confidentialityReview: printing.confidentialityReview,
      articleText: printing.appendText ? docToPlainText(article.doc).split('\n').filter((line) => line.trim() !== '') : null,
      articleId: id,
      title: article.meta.title,
      column: article.meta.column,
      source: article.meta.source,
      date: article.meta.publishAt,
      status: state.status,
      submittedBy: state.submittedBy ? this.#identity.nameOf(state.submittedBy) : null,
      stages: chain.stages.map((stage) => {
        const approval = state.approvals.find((a) => a.stageId === stage.id);
        return {
          stageId: stage.id,
          stageName: stage.name,
          reviewer: approval ? this.#identity.nameOf(approval.personId) : null,
          at: approval?.at ?? null,
          opinion: approval?.opinion ?? '',
          contentHash: approval?.contentHash ?? null,
          signature: approval ? signatureOf() : null,
          current: approval?.contentHash === currentHash,
          approvedEarlierVersion: approval !== undefined && approval.contentHash !== currentHash && approval.keptFor === currentHash,
          supersededBy: approval && approval.contentHash !== currentHash ? correctionAfter(approval.at) : null,
        };
      }),
      invalidated: state.invalidatedApprovals.map((a) => ({
        stageName: stageName(a.stageId),
        reviewer: this.#identity.nameOf(a.personId),
        at: a.at,
        contentHash: a.contentHash,
        reason: a.reason,
      })),
      currentHash,
      fullyApproved: verdict.publishable,
      printedAt: this.#iso(),
      recordProblems: verdict.problems.map((p) => p.message),
      openComments: state.comments
        .filter((c) => !c.replyTo && !c.resolved && !c.deleted)
        .map((c) => ({
          author: this.#identity.nameOf(c.authorId),
          at: c.at,
          quote: c.anchor?.quote ?? null,
          body: c.body,
          replies: state.comments.filter((r) => r.replyTo === c.id && !r.deleted).length,
        })),
    };
  }

  /** review:signoff — HTML, or PDF (base64). */
  async signoff(request: ParsedRequestOf<'review:signoff'>, context: CallContext): Promise<ExportedFile> {
    this.#identity.requirePerson(context);
    const sheet = await this.signoffSheet(request.id);
    const base = `${t('signoff.title')}-${exportName(sheet.title || sheet.articleId)}`;
    if (request.format === 'html') {
      return { fileName: `${base}.html`, mime: 'text/html', content: renderSignoffHtml(sheet) };
    }
    if (!this.#renderPdf) throw new ApiError('internal', t('session.error.noCjkFont'));
    const pdf = await this.#renderPdf(sheet);
    return { fileName: `${base}.pdf`, mime: 'application/pdf', content: Buffer.from(pdf).toString('base64'), encoding: 'base64' };
  }

  /**
   * Asked before publishing: throws `conflict` unless the article's verified
   * record says every stage approved its content exactly as it is now
   * (metadata, text and every asset). Returns that content hash.
   */
  async assertPublishable(articleId: string): Promise<{ contentHash: string; approvers: { stage: string; name: string }[] }> {
    const article = await this.#store.get(articleId);
    const hash = await this.#reviews.currentHash(articleId, article);
    const verdict = await this.#reviews.verdict(articleId, hash);
    if (!verdict.publishable) {
      const title = article.meta.title || articleId;
      if (verdict.problems.length > 0) {
        throw new ApiError('conflict', t('record.error.broken', { title, problems: verdict.problems.map((p) => p.message).join('；') }));
      }
      throw new ApiError('conflict', t('session.error.notPublishable', { title }));
    }
    // From the verified replay, never a cache: the names a site prints as 一审/二审/三审.
    const chain = verdict.state.chain ?? this.#directory.chain();
    const approvers = chain.stages.flatMap((stage) => {
      const approval = verdict.state.approvals.find((a) => a.stageId === stage.id);
      return approval ? [{ stage: stage.name, name: this.#identity.nameOf(approval.personId) }] : [];
    });
    return { contentHash: hash, approvers };
  }
}
