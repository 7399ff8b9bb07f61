import type { SyncInspection } from '../../node/services/sync/sync-worker';
import type { SyncRoundReport } from '../../shared/api/contract';

/** A round's report as a fake runner answers it: nothing sent, received or refused unless `extra` says so. */
export const roundReport = (phase: SyncRoundReport['phase'], extra: Partial<SyncRoundReport> = {}): SyncRoundReport => ({
  phase,
  sent: [],
  received: [],
  merged: [],
  conflicts: [],
  refused: [],
  rejected: [],
  invalidated: [],
  message: null,
  ...extra,
});

/** What the worker's look at a workspace with nothing pending finds. */
export const EMPTY_INSPECTION: SyncInspection = { pendingArticles: [], pendingOther: [], unpushed: [], conflicts: [], refused: [], localOnly: [], repos: [] };
