import type { ChecklistItem, PublishJobsView, PublishJobView } from '../../../shared/api/contract';
import { liveTargetIds } from '../../../shared/workflow/live-targets';
import type { Invoke } from '../api/client';
import { refreshInbox } from '../notify/app-inbox';
import { reviewErrorText } from '../review/review-errors';
import { formatLocalMinute } from '../state/datetime';
import { pushToast } from '../state/notifications';
import { currentLocale, translateNow } from '../state/settings';
import { createStore, type Store } from '../state/store';
import { hasActiveJobs, JOB_POLL_MS, scheduleToIso } from './publish-logic';

export type PublishAction = 'publish' | 'update' | 'withdraw';
export const PUBLISH_ACTIONS: readonly PublishAction[] = ['publish', 'update', 'withdraw'];

/** Why the last step was not taken: the services' checklist, a missing choice, or a failure. */
export type PublishRefusal =
  | { kind: 'checklist'; items: ChecklistItem[] }
  | { kind: 'pickTarget' }
  | { kind: 'scheduleInvalid' }
  | { kind: 'failed'; action: PublishAction; error: unknown };

export interface ArticlePublishingState {
  /** The article's jobs and per-target counts; null until the first answer. */
  view: PublishJobsView | null;
  /** The targets the article is online on now (their last successful push was not a withdrawal): where 更新 goes by default. */
  liveOn: string[];
  /** Why the sites or the jobs could not be read; cleared by the next good answer. */
  loadError: unknown;
  refusal: PublishRefusal | null;
  busy: boolean;
}

export interface ArticlePublishingDeps {
  invoke: Invoke;
  /** Saves what the editor still holds: the services publish the stored article. */
  flush(): Promise<unknown>;
  /** Publishing (not withdrawing) waits for no proofreading error: resolves with those still standing. */
  proofreadingErrors(): Promise<readonly unknown[]>;
  /** Shows the proofreading gate (the errors and, for publishers, the override). */
  showProofreadingGate(): void;
  /**
   * Called when the article's record changed: once the last job on its way has
   * finished (it may now be published or withdrawn), and right after queueing (a
   * withdrawal is in the audit trail from that moment).
   */
  onSettled(): void;
  /** Reports a failure that may mean the session ended. */
  handleSessionLoss(error: unknown): unknown;
}

/** A time for messages: the office's local minute. */
export function localTime(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : formatLocalMinute(date);
}

/**
 * Publishing of one article: 发布/更新/撤回 to chosen targets with an optional
 * time, the checklist when the services refuse, and per-target progress polled
 * while jobs are on their way.
 */
export class ArticlePublishing {
  readonly store: Store<ArticlePublishingState> = createStore<ArticlePublishingState>({
    view: null,
    liveOn: [],
    loadError: null,
    refusal: null,
    busy: false,
  });

  constructor(
    readonly articleId: string,
    private readonly deps: ArticlePublishingDeps,
  ) {}

  /** Reads the jobs; resolves with them, or null after a failure (kept in `loadError`). */
  async loadJobs(): Promise<PublishJobsView | null> {
    try {
      const view = await this.deps.invoke('publish:jobs', { articleId: this.articleId });
      this.patch({ view, liveOn: liveTargetIds(view.jobs, this.articleId), loadError: null });
      return view;
    } catch (error) {
      this.deps.handleSessionLoss(error);
      this.showLoadError(error);
      return null;
    }
  }

  /** Shows a failure to read what the panel needs (the sites or the jobs). */
  showLoadError(error: unknown): void {
    this.patch({ loadError: error });
  }

  /**
   * While the panel shows: reads the jobs, then asks again every
   * {@link JOB_POLL_MS} as long as some are on their way. Returns the stop.
   * A panel shown again starts afresh, without the last refusal.
   */
  watch(): () => void {
    this.patch({ view: null, liveOn: [], loadError: null, refusal: null });
    let timer: ReturnType<typeof setInterval> | null = null;
    const update = () => {
      const view = this.store.get().view;
      const active = view ? hasActiveJobs(view.jobs) : false;
      if (active && timer === null) {
        timer = setInterval(() => {
          void this.loadJobs().then((next) => {
            if (next && !hasActiveJobs(next.jobs)) this.deps.onSettled();
          });
        }, JOB_POLL_MS);
      } else if (!active && timer !== null) {
        clearInterval(timer);
        timer = null;
      }
    };
    const unsubscribe = this.store.subscribe(update);
    update();
    void this.loadJobs();
    return () => {
      unsubscribe();
      if (timer !== null) clearInterval(timer);
    };
  }

  /** Queues the action for the chosen targets, now or at `schedule` (a datetime-local value; '' is now). */
  /** Queues `action` on the chosen targets; a withdrawal carries the publisher's reason into the audit trail. */
  async enqueue(action: PublishAction, targetIds: readonly string[], schedule: string, reason?: string): Promise<void> {
    this.patch({ refusal: null });
    if (targetIds.length === 0) return this.patch({ refusal: { kind: 'pickTarget' } });
    const notBefore = scheduleToIso(schedule);
    if (notBefore === null) return this.patch({ refusal: { kind: 'scheduleInvalid' } });
    this.patch({ busy: true });
    try {
      if (action !== 'withdraw' && (await this.deps.proofreadingErrors()).length > 0) {
        this.deps.showProofreadingGate();
        return;
      }
      await this.deps.flush();
      const result = await this.deps.invoke('publish:enqueue', {
        articleId: this.articleId,
        targetIds: [...targetIds],
        action,
        ...(notBefore ? { notBefore } : {}),
        ...(reason ? { reason } : {}),
      });
      if (!result.ok) {
        this.patch({ refusal: { kind: 'checklist', items: result.checklist } });
      } else {
        pushToast(
          'info',
          notBefore
            ? translateNow('pubui.scheduled', { time: localTime(notBefore) })
            : translateNow('pubui.queued', { count: result.jobs.length }),
        );
        this.deps.onSettled();
        // The publisher's own act changes their bell (the article is no longer waiting) and the writer's.
        refreshInbox();
        await this.loadJobs();
      }
    } catch (error) {
      this.deps.handleSessionLoss(error);
      this.patch({ refusal: { kind: 'failed', action, error } });
    } finally {
      this.patch({ busy: false });
    }
  }

  /** Sends a failed job again. */
  async retry(job: PublishJobView): Promise<void> {
    try {
      await this.deps.invoke('publish:retry', { jobId: job.id });
      pushToast('info', translateNow('pubui.retried'));
      await this.loadJobs();
    } catch (error) {
      this.deps.handleSessionLoss(error);
      pushToast('error', reviewErrorText(currentLocale(), error));
    }
  }

  private patch(change: Partial<ArticlePublishingState>): void {
    this.store.set((state) => ({ ...state, ...change }));
  }
}
