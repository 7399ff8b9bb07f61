import type { CallContext, ExportedFile, ParsedRequestOf } from '../../../shared/api/contract';
import { ApiError } from '../../../shared/api/errors';
import { contentHash } from '../../../shared/workflow/canonical';
import { type Approval, approvalStatement, isFullyApproved } from '../../../shared/workflow/review-chain';
import { type SignoffSheet, type SignatureStatus, signoffHtml } from '../../../shared/workflow/signoff';
import type { IdentityService } from '../identity/identity-service';
import { verifyBytes } from '../identity/keys';
import type { PeopleDirectory } from '../identity/people-directory';
import { t } from '../messages';
import type { WorkspaceStore } from '../store/workspace-store';
import { exportName } from './file-name';
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

  /** The 审核表 of an article. */
  async signoffSheet(id: string): Promise<SignoffSheet> {
    const article = await this.#store.get(id);
    const state = await this.#reviews.state(id);
    const currentHash = await contentHash(article.meta, article.doc);
    const chain = state.chain ?? this.#directory.chain();
    const trusted = this.#directory.trustedKeys();
    const signatureOf = (approval: Approval): SignatureStatus => {
      if (!approval.signature) return 'missing';
      const key = trusted.find((k) => k.keyId === approval.signature?.keyId && k.personId === approval.personId);
      if (!key) return 'unknownKey';
      return verifyBytes(key.publicKey, approvalStatement(id, approval), approval.signature.value) ? 'valid' : 'invalid';
    };
    const stageName = (stageId: string) => chain.stages.find((s) => s.id === stageId)?.name ?? stageId;
    return {
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
          signature: approval ? signatureOf(approval) : null,
          current: approval?.contentHash === currentHash,
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
      fullyApproved: isFullyApproved(state, currentHash),
      printedAt: this.#iso(),
    };
  }

  /** review:signoff — HTML, or PDF (base64). */
  async signoff(request: ParsedRequestOf<'review:signoff'>, context: CallContext): Promise<ExportedFile> {
    this.#identity.requirePerson(context);
    const sheet = await this.signoffSheet(request.id);
    const base = `${t('signoff.title')}-${exportName(sheet.title || sheet.articleId)}`;
    if (request.format === 'html') {
      return { fileName: `${base}.html`, mime: 'text/html', content: signoffHtml(sheet) };
    }
    if (!this.#renderPdf) throw new ApiError('internal', t('session.error.noCjkFont'));
    const pdf = await this.#renderPdf(sheet);
    return { fileName: `${base}.pdf`, mime: 'application/pdf', content: Buffer.from(pdf).toString('base64'), encoding: 'base64' };
  }

  /**
   * Asked before publishing: throws `conflict` unless the article's current
   * content carries a valid approval of every stage. Returns the approved hash.
   */
  async assertPublishable(articleId: string): Promise<{ contentHash: string }> {
    const article = await this.#store.get(articleId);
    const hash = await contentHash(article.meta, article.doc);
    const state = await this.#reviews.state(articleId);
    if (!isFullyApproved(state, hash)) {
      throw new ApiError('conflict', t('session.error.notPublishable', { title: article.meta.title || articleId }));
    }
    return { contentHash: hash };
  }
}
