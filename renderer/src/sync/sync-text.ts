import type { ArticleSyncState, SyncPhase, SyncRepoView, SyncRoundReport, SyncStatusView } from '../../../shared/api/contract/sync';
import { formatLocalMinute } from '../state/datetime';
import type { Translator } from '../state/settings';

/** How a phase looks in the title bar: calm, at work, worth a look, or needing someone to act. */
export type SyncTone = 'ok' | 'busy' | 'warn' | 'error';

export function phaseTone(phase: SyncPhase): SyncTone {
  switch (phase) {
    case 'synced':
    case 'not_joined':
      return 'ok';
    case 'syncing':
      return 'busy';
    case 'pending':
    case 'offline':
      return 'warn';
    default:
      return 'error';
  }
}

/** The phase to show: a round the user just asked for is 同步中 even before the main side says so. */
export function shownPhase(status: SyncStatusView, running: boolean): SyncPhase {
  if (running && (status.phase === 'synced' || status.phase === 'pending' || status.phase === 'offline')) return 'syncing';
  return status.phase;
}

/** The title bar's words: 已同步 · 待同步 N · 同步中 · 离线 · 冲突 N · 服务器拒绝 · 已停用 … */
export function phaseText(t: Translator, phase: SyncPhase, status: Pick<SyncStatusView, 'pending' | 'conflicts'>): string {
  switch (phase) {
    case 'not_joined':
    case 'synced':
      return t('syncUi.phase.synced');
    case 'pending':
      return t('syncUi.phase.pending', { n: status.pending });
    case 'conflict':
      return t('syncUi.phase.conflict', { n: status.conflicts });
    default:
      return t(`syncUi.phase.${phase}`);
  }
}

function localTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : formatLocalMinute(date);
}

/** The status's details, one per line (the tooltip and the log's header): server, last sync, next attempt, why. */
export function statusDetails(t: Translator, status: SyncStatusView): string[] {
  const lines: string[] = [];
  if (status.serverUrl) lines.push(t('syncUi.status.server', { url: status.serverUrl }));
  lines.push(status.lastSyncAt ? t('syncUi.status.lastSync', { time: localTime(status.lastSyncAt) }) : t('syncUi.status.neverSynced'));
  // The next attempt matters only while rounds are not getting through.
  if (status.nextAttemptAt && status.phase !== 'synced' && status.phase !== 'revoked') {
    lines.push(t('syncUi.status.nextAttempt', { time: localTime(status.nextAttemptAt) }));
  }
  if (status.message) lines.push(status.message);
  return lines;
}

/** What a repository holds, in words: 办公室规则与人员, 区党政办 草稿 … */
export function repoKindText(t: Translator, repo: Pick<SyncRepoView, 'kind' | 'unit'>): string {
  switch (repo.kind) {
    case 'drafts':
      return t('syncUi.repos.kind.drafts', { unit: repo.unit ?? '' }).trim();
    case 'submitted':
      return t('syncUi.repos.kind.submitted', { unit: repo.unit ?? '' }).trim();
    default:
      return t(`syncUi.repos.kind.${repo.kind}`);
  }
}

/** An article's badge in the list; null when synced (nothing is shown then). */
export function articleStateText(t: Translator, state: ArticleSyncState | undefined): { text: string; hint: string } | null {
  if (!state || state === 'synced') return null;
  return { text: t(`syncUi.article.${state}`), hint: t(`syncUi.article.${state}.hint`) };
}

/** What a round the user asked for did, as one toast: an error when anything was refused or left in conflict. */
export function roundSummary(t: Translator, report: SyncRoundReport): { kind: 'info' | 'error'; text: string } {
  const invalidated = report.invalidated.length > 0 ? ` ${t('syncUi.round.invalidated', { n: report.invalidated.length })}` : '';
  const reasons = [
    ...report.refused.flatMap((refusal) => refusal.reasons),
    ...report.rejected.map((rejection) => rejection.reason),
  ];
  if (reasons.length > 0 || ['refused', 'rejected_incoming', 'unauthorized', 'revoked', 'offline'].includes(report.phase)) {
    const detail = report.message ?? reasons[0] ?? phaseText(t, report.phase, { pending: 0, conflicts: report.conflicts.length });
    return { kind: 'error', text: t('syncUi.round.failed', { detail }) + invalidated };
  }
  if (report.conflicts.length > 0) return { kind: 'error', text: t('syncUi.round.conflicts', { n: report.conflicts.length }) + invalidated };
  if (report.sent.length === 0 && report.received.length === 0 && report.merged.length === 0) {
    return { kind: 'info', text: t('syncUi.round.upToDate') + invalidated };
  }
  return {
    kind: 'info',
    text:
      t('syncUi.round.synced', { sent: report.sent.length, received: report.received.length, merged: report.merged.length }) + invalidated,
  };
}
