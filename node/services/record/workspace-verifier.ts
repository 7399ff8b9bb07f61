import { readFile } from 'node:fs/promises';
import type { VerifiedPolicy } from '../../../shared/record/policy';
import { recordProblem } from '../../../shared/record/problems';
import { shortHash } from '../../../shared/workflow/canonical';
import { statusLabel } from '../../../shared/workflow/messages';
import { t } from '../messages';
import { type ReviewStore, statusOf } from '../review/review-store';
import { assertStoredAsset } from '../store/assets';
import type { WorkspaceStore } from '../store/workspace-store';
import type { OfficePolicyStore } from './policy-store';

/** What `gazette verify` found about one article: each check that held, and each that did not. */
export interface ArticleCheck {
  id: string;
  title: string;
  ok: boolean;
  status: string;
  publishable: boolean;
  contentHash: string;
  checks: string[];
  problems: string[];
}

export interface VerifyReport {
  ok: boolean;
  policy: { ok: boolean; versions: number; checks: string[]; problems: string[] };
  articles: ArticleCheck[];
}

/** What to check: some articles (optionally each against the content hash printed on its 审核表), or all. */
export type VerifyTarget = 'all' | readonly { id: string; expectedHash?: string }[];

/** Articles checked at once. */
const CONCURRENCY = 16;

/** The text a 审核表's QR code carries: `gazette:verify:<articleId>:<full content hash>`. */
const SHEET_CODE = /^gazette:verify:([A-Za-z0-9_-]{1,64}):([0-9a-f]{64})$/;

/** Reads an id or a 审核表 QR text into what to check. */
export function verifyTargetOf(text: string): { id: string; expectedHash?: string } {
  const code = SHEET_CODE.exec(text.trim());
  return code ? { id: code[1]!, expectedHash: code[2]! } : { id: text.trim() };
}

/**
 * Checks a workspace as an auditor would: the policy chain from the office's
 * root key; for each article every signed entry, key and entitlement (by the
 * same verifier the publish gate asks), the content hash over the text and
 * every asset, every asset against the allowlist by its bytes, and that the
 * status the list shows is the one the record gives. Reads only.
 */
export class WorkspaceVerifier {
  readonly #store: WorkspaceStore;
  readonly #reviews: ReviewStore;
  readonly #policies: OfficePolicyStore;

  constructor(deps: { store: WorkspaceStore; reviews: ReviewStore; policies: OfficePolicyStore }) {
    this.#store = deps.store;
    this.#reviews = deps.reviews;
    this.#policies = deps.policies;
  }

  async verify(target: VerifyTarget): Promise<VerifyReport> {
    const loaded = await this.#policies.load();
    const policy = {
      ok: loaded.verified !== null && loaded.problems.length === 0,
      versions: loaded.verified?.versions.length ?? 0,
      checks: loaded.verified ? [t('record.verify.policy', { version: loaded.verified.latest.version, root: ((await this.#policies.rootKeyId()) ?? '').slice(0, 12) })] : [],
      problems: loaded.problems.map((p) => p.message),
    };
    const everything = (): { id: string; expectedHash?: string }[] =>
      [...this.#store.list(), ...this.#store.list({ trash: true })].map((s) => ({ id: s.id }));
    const wanted = target === 'all' ? everything() : target;
    // Each article is read and checked on its own; overlapping the reads keeps the disk busy
    // instead of waiting on one file at a time.
    const articles: ArticleCheck[] = new Array(wanted.length);
    let next = 0;
    const worker = async () => {
      while (next < wanted.length) {
        const index = next++;
        const item = wanted[index]!;
        articles[index] = await this.#article(item.id, item.expectedHash, loaded.verified);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, wanted.length) }, worker));
    return { ok: policy.ok && articles.every((a) => a.ok), policy, articles };
  }

  async #article(id: string, expectedHash: string | undefined, policy: VerifiedPolicy | null): Promise<ArticleCheck> {
    const summary = this.#store.summary(id);
    if (!summary) {
      const tombstone = await this.#store.tombstone(id);
      const problem = tombstone ? t('record.verify.purged', { at: tombstone.purgedAt }) : t('record.verify.missing', { id });
      return { id, title: tombstone?.title ?? '', ok: false, status: '', publishable: false, contentHash: '', checks: [], problems: [problem] };
    }
    const checks: string[] = [];
    const problems: string[] = [];
    const digests = await this.#store.assetDigests(id);
    const hash = await this.#reviews.currentHash(id, undefined, digests);
    checks.push(t('record.verify.content', { hash: shortHash(hash), count: digests.length }));
    for (const digest of digests) {
      const path = this.#store.assetPath(id, `assets/${digest.name}`);
      try {
        if (!path) throw new Error(digest.name);
        assertStoredAsset(digest.name, await readFile(path));
      } catch (error) {
        problems.push(t('record.verify.assetRefused', { name: digest.name, detail: error instanceof Error ? error.message : String(error) }));
      }
    }
    if (expectedHash !== undefined && expectedHash !== hash) {
      problems.push(t('record.verify.sheetMismatch', { expected: shortHash(expectedHash), hash: shortHash(hash) }));
    }
    if (!policy) {
      problems.push(recordProblem('policy_missing').message);
      return { id, title: summary.title, ok: false, status: summary.status, publishable: false, contentHash: hash, checks, problems };
    }
    const verdict = await this.#reviews.verdict(id, hash, policy);
    if (verdict.count === 0) checks.push(t('record.verify.noRecord'));
    else if (verdict.intact) checks.push(t('record.verify.entries', { count: verdict.count }));
    problems.push(...verdict.problems.map((p) => p.message));
    const chain = verdict.state.chain;
    for (const approval of verdict.state.approvals) {
      const stage = chain?.stages.find((s) => s.id === approval.stageId)?.name ?? approval.stageId;
      const name = policy.latest.people.find((p) => p.id === approval.personId)?.name ?? approval.personId;
      const key = approval.contentHash === hash ? 'record.verify.approval' : 'record.verify.approvalEarlier';
      checks.push(t(key, { stage, name, at: approval.at, hash: shortHash(approval.contentHash) }));
    }
    // A sheet stands for approved content: checking one whose article is not (or no longer) approved must not say ok.
    if (expectedHash !== undefined && expectedHash === hash && !verdict.publishable) {
      problems.push(t('record.verify.sheetNotApproved'));
    }
    const derived = statusOf(verdict, summary.status);
    if (derived !== summary.status) {
      problems.push(t('record.verify.statusMismatch', { shown: statusLabel(summary.status), derived: statusLabel(derived) }));
    }
    checks.push(t(verdict.publishable ? 'record.verify.publishable' : 'record.verify.status', { status: statusLabel(derived) }));
    return {
      id,
      title: summary.title,
      ok: problems.length === 0,
      status: derived,
      publishable: verdict.publishable,
      contentHash: hash,
      checks,
      problems,
    };
  }
}
