/**
 * Where an article is online, as the publishing outbox's jobs say: per target,
 * the last push that succeeded — unless that push was a withdrawal. Read the
 * same way by 待发布 (is the approved text what is live?) and by the publish
 * panel (更新 goes to the targets the article is on).
 */

/** What this needs of a publishing job. */
export interface PushRecord {
  id: string;
  articleId: string;
  targetId: string;
  state: string;
  createdAt: string;
  receipt: { action: 'publish' | 'update' | 'withdraw' } | null;
}

/** Per article, per target: the job whose push the target shows now. Targets last withdrawn from are absent. */
export function livePushes<J extends PushRecord>(jobs: readonly J[]): Map<string, Map<string, J>> {
  const live = new Map<string, Map<string, J>>();
  // Oldest first, so the last successful push per target wins, as the outbox itself reads its receipts.
  const ordered = [...jobs].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  for (const job of ordered) {
    if (job.state !== 'succeeded' || !job.receipt) continue;
    const targets = live.get(job.articleId) ?? new Map<string, J>();
    live.set(job.articleId, targets);
    if (job.receipt.action === 'withdraw') targets.delete(job.targetId);
    else targets.set(job.targetId, job);
  }
  return live;
}

/** The targets one article is online on now. */
export function liveTargetIds(jobs: readonly PushRecord[], articleId: string): string[] {
  return [...(livePushes(jobs).get(articleId)?.keys() ?? [])];
}
