import type { z } from 'zod';
import type {
  ArticleSyncState,
  SyncLogEntry,
  SyncRoundReport,
  SyncStatusView,
  syncChannels,
} from '../../../shared/api/contract/sync';
import { createStore, type Store } from '../state/store';

/** How often the title bar asks again while the window is visible. */
export const SYNC_STATUS_REFRESH_MS = 5_000;

type SyncChannels = typeof syncChannels;
type SyncChannel = keyof SyncChannels;

/** The sync channels' calls, typed from their own contract file (tests hand in a fake). */
export type SyncInvoke = <C extends SyncChannel>(
  channel: C,
  request: z.input<SyncChannels[C]['request']>,
) => Promise<SyncChannels[C]['response']>;

export interface SyncState {
  /** The last status the main side gave; null until the first answer (and while the channels do not answer). */
  status: SyncStatusView | null;
  /** Why the last poll failed; the last good status stays shown. */
  error: unknown;
  /** A round the user asked for is running. */
  running: boolean;
  /** What the last round the user asked for did. */
  lastReport: SyncRoundReport | null;
  /** Each article's state; missing articles are synced. */
  articleStates: Record<string, ArticleSyncState>;
  /**
   * Counts the times what the repositories hold changed here (a repository's
   * head moved): screens showing articles reload when it changes, so work
   * received from other desktops appears without a manual refresh.
   */
  changes: number;
}

export interface SyncDeps {
  invoke: SyncInvoke;
  /** True when the failure means the session ended (the sign-in screen then comes back). */
  handleSessionLoss(error: unknown): boolean;
  /**
   * The office repository's head moved: a newer signed policy arrived, so who
   * is signed in here may have other roles now (the window asks who it is again).
   */
  onPolicyMoved?(): void;
}

function officeHead(status: SyncStatusView | null): string | null | undefined {
  return status?.repos.find((repo) => repo.kind === 'office')?.head;
}

/** Whether the workspace takes part in an office (the title bar shows nothing otherwise). */
export function isJoined(status: SyncStatusView | null): status is SyncStatusView {
  return status !== null && status.phase !== 'not_joined';
}

/** What the repositories hold, as far as the title bar can tell: their heads. */
function contentKey(status: SyncStatusView | null): string {
  if (!status) return '';
  return status.repos.map((repo) => `${repo.name}=${repo.head ?? ''}`).join(',');
}

/** What decides whether the per-article states may have changed. */
function stateKey(status: SyncStatusView | null): string {
  if (!status) return '';
  return [status.phase, status.pending, status.conflicts, status.lastSyncAt, status.lastAttemptAt, contentKey(status)].join('|');
}

/**
 * The office sync as this window sees it: the status polled for the title
 * bar, the per-article states for the list (asked again only when the status
 * says something moved), a round on demand and the log. It never syncs by
 * itself: rounds run on the main side, off its main thread.
 */
export class SyncController {
  readonly store: Store<SyncState> = createStore<SyncState>({
    status: null,
    error: null,
    running: false,
    lastReport: null,
    articleStates: {},
    changes: 0,
  });
  #personKey = '';
  #statesFor: string | null = null;
  #statusSequence = 0;

  constructor(private readonly deps: SyncDeps) {}

  /** Starts afresh for another person (sign-in, sign-out): the last person's status is not theirs. */
  reset(personKey: string): void {
    if (personKey === this.#personKey) return;
    this.#personKey = personKey;
    this.#statesFor = null;
    this.#statusSequence++;
    this.store.set({ status: null, error: null, running: false, lastReport: null, articleStates: {}, changes: 0 });
  }

  /** Asks for the status; failures keep the last known one. Per-article states follow when the status moved. */
  async refresh(): Promise<void> {
    const personKey = this.#personKey;
    const sequence = ++this.#statusSequence;
    let status: SyncStatusView;
    try {
      status = await this.deps.invoke('sync:status', {});
    } catch (error) {
      if (personKey !== this.#personKey || sequence !== this.#statusSequence) return;
      if (!this.deps.handleSessionLoss(error)) this.store.set((state) => ({ ...state, error }));
      return;
    }
    // An older answer arriving after a newer one would show a state already past.
    if (personKey !== this.#personKey || sequence !== this.#statusSequence) return;
    this.#take(status);
    if (isJoined(status) && stateKey(status) !== this.#statesFor) await this.refreshArticleStates();
  }

  /** Asks for every article's state now (the list asks when it opens). */
  async refreshArticleStates(): Promise<void> {
    const personKey = this.#personKey;
    const status = this.store.get().status;
    if (!isJoined(status)) return;
    const key = stateKey(status);
    try {
      const articleStates = await this.deps.invoke('sync:articleStates', {});
      if (personKey !== this.#personKey) return;
      this.#statesFor = key;
      this.store.set((state) => ({ ...state, articleStates }));
    } catch (error) {
      if (personKey !== this.#personKey) return;
      if (!this.deps.handleSessionLoss(error)) this.store.set((state) => ({ ...state, error }));
    }
  }

  /**
   * Runs a round now (立即同步) and returns what it did; a second press while
   * one runs waits for nothing and returns null. Failures are thrown for the
   * caller to show; the status is asked again either way.
   */
  async syncNow(): Promise<SyncRoundReport | null> {
    if (this.store.get().running) return null;
    const personKey = this.#personKey;
    this.store.set((state) => ({ ...state, running: true }));
    try {
      const report = await this.deps.invoke('sync:now', {});
      if (personKey === this.#personKey) this.store.set((state) => ({ ...state, lastReport: report }));
      return report;
    } catch (error) {
      if (this.deps.handleSessionLoss(error)) return null;
      throw error;
    } finally {
      if (personKey === this.#personKey) this.store.set((state) => ({ ...state, running: false }));
      await this.refresh();
    }
  }

  /** The newest entries of the sync log first. */
  readLog(limit = 200): Promise<SyncLogEntry[]> {
    return this.deps.invoke('sync:log', { limit });
  }

  #take(status: SyncStatusView): void {
    const before = officeHead(this.store.get().status);
    const after = officeHead(status);
    this.store.set((state) => {
      const moved = state.status !== null && contentKey(state.status) !== contentKey(status);
      return {
        ...state,
        status,
        error: null,
        articleStates: isJoined(status) ? state.articleStates : {},
        changes: moved ? state.changes + 1 : state.changes,
      };
    });
    if (before !== undefined && after !== undefined && before !== after) this.deps.onPolicyMoved?.();
  }
}
