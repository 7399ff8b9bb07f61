import type { CallContext, LiveTarget, PendingArticle, PendingPublications } from '../../../shared/api/contract';
import { ApiError } from '../../../shared/api/errors';
import type { MessageKey } from '../../../shared/i18n';
import { livePushes } from '../../../shared/workflow/live-targets';
import type { Person } from '../../../shared/workflow/review-chain';
import { t } from '../messages';
import type { ReviewStore } from '../review/review-store';
import type { WorkspaceStore } from '../store/workspace-store';
import type { SessionGuard } from './access';
import type { OutboxRunner } from './outbox/runner';

/** The caller, who must hold the publisher role; `action` names what was refused. */
export function requirePublisherRole(guard: Pick<SessionGuard, 'requirePerson'>, context: CallContext, action: MessageKey): Person {
  const person = guard.requirePerson(context);
  if (!person.roles.includes('publisher')) throw new ApiError('forbidden', t('session.error.publisherOnly', { action: t(action) }));
  return person;
}

/** What {@link PendingPublicationsService} works with. */
export interface PendingDeps {
  store: WorkspaceStore;
  reviews: ReviewStore;
  outbox: Pick<OutboxRunner, 'jobs'>;
  guard: Pick<SessionGuard, 'requirePerson'> & { nameOf(personId: string): string };
}

/**
 * 待发布: what a publisher still has to put online. An article qualifies when
 * its verified record says every stage approved the text as it is now and the
 * outbox's receipts show that text live on no target — not published yet, or
 * live with other text (re-approved after a correction). The receipts, not the
 * record's publish entry, decide what is online: a queued push can still fail.
 */
export class PendingPublicationsService {
  readonly #deps: PendingDeps;

  constructor(deps: PendingDeps) {
    this.#deps = deps;
  }

  /** publish:pending (publishers) */
  async list(context: CallContext): Promise<PendingPublications> {
    const { store, reviews, outbox, guard } = this.#deps;
    requirePublisherRole(guard, context, 'session.action.viewPending');
    const { jobs } = await outbox.jobs({}, context);
    const live = livePushes(jobs);
    // A push still on its way is the publisher's answer already; listing the article again would invite a second one.
    const onTheWay = new Set(
      jobs.filter((job) => job.action !== 'withdraw' && (job.state === 'pending' || job.state === 'running')).map((job) => job.articleId),
    );
    const policy = await reviews.policy();
    const items: PendingArticle[] = [];
    for (const summary of store.list()) {
      if ((summary.status !== 'approved' && summary.status !== 'published') || onTheWay.has(summary.id)) continue;
      const verdict = await reviews.verdict(summary.id, undefined, policy);
      const contentHash = verdict.state.contentHash;
      if (!verdict.publishable || verdict.withdrawn || contentHash === null) continue;
      const liveOn = [...(live.get(summary.id)?.values() ?? [])].map(
        (job): LiveTarget => ({
          targetId: job.targetId,
          label: job.targetLabel,
          siteId: job.siteId,
          contentHash: job.receipt?.contentHash ?? '',
          url: job.receipt?.url ?? '',
          at: job.receipt?.at ?? '',
        }),
      );
      const differsFromOnline = liveOn.some((target) => target.contentHash !== contentHash);
      if (liveOn.length > 0 && !differsFromOnline) continue;
      const approval = verdict.trail.findLast((event) => event.type === 'approve' && event.final);
      items.push({
        article: summary,
        contentHash,
        approvedAt: approval?.at ?? null,
        approvedBy: approval ? { id: approval.actorId, name: guard.nameOf(approval.actorId) } : null,
        liveOn,
        differsFromOnline,
      });
    }
    items.sort((a, b) => (b.approvedAt ?? '').localeCompare(a.approvedAt ?? ''));
    return { items, count: items.length };
  }
}
