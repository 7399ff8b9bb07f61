/**
 * The autosave queue: every change is saved shortly after the writer pauses
 * (debounce) and at the latest after `maxWaitMs` of continuous typing. Only one
 * request is in flight; changes made meanwhile are queued as "the latest state"
 * and sent right after, so nothing is dropped and saves never overtake each
 * other. Failures keep the state (and a local backup) and retry with backoff.
 */

export type SaveState =
  /** Nothing changed since the article was opened. */
  | { kind: 'idle' }
  /** `at` is the wall-clock time (ms) of the last successful save. */
  | { kind: 'saved'; at: number }
  | { kind: 'pending' }
  | { kind: 'saving' }
  | { kind: 'failed'; error: unknown; attempt: number; retryInMs: number }
  /** Someone else saved first; waits for the writer to decide (keep mine / reload). */
  | { kind: 'conflict'; error: unknown };

/** Somewhere to keep the unsaved state outside memory (localStorage in the app). */
export interface AutosaveBackup<S> {
  write(state: S): void;
  clear(): void;
}

export interface AutosaveOptions<S> {
  /** Persists `state`; resolves with the new `updatedAt`. */
  save(state: S, baseUpdatedAt: string | undefined): Promise<string>;
  /** The `updatedAt` the editor started from. */
  baseUpdatedAt: string | undefined;
  onState?(state: SaveState): void;
  backup?: AutosaveBackup<S>;
  isConflict?(error: unknown): boolean;
  debounceMs?: number;
  maxWaitMs?: number;
  retryDelaysMs?: readonly number[];
  now?(): number;
}

type Timer = ReturnType<typeof setTimeout>;

/** See the module comment. `S` is whatever snapshot the caller saves. */
export class AutosaveQueue<S> {
  private readonly options: AutosaveOptions<S>;
  private latest: S | undefined;
  private dirty = false;
  /** The editor announced an edit it has not delivered yet (see `expectChange`). */
  private expecting = false;
  private inFlight = false;
  private base: string | undefined;
  private failures = 0;
  private debounceTimer: Timer | undefined;
  private maxWaitTimer: Timer | undefined;
  private retryTimer: Timer | undefined;
  private current: SaveState = { kind: 'idle' };
  private waiters: Array<(saved: boolean) => void> = [];
  private disposed = false;

  constructor(options: AutosaveOptions<S>) {
    this.options = options;
    this.base = options.baseUpdatedAt;
  }

  get state(): SaveState {
    return this.current;
  }

  /** The `updatedAt` of the last successful save (sent as `baseUpdatedAt`). */
  get baseUpdatedAt(): string | undefined {
    return this.base;
  }

  /** True while something the writer did is not yet confirmed saved. */
  get hasUnsavedChanges(): boolean {
    return this.dirty || this.inFlight;
  }

  /** Records the newest state; it will be saved within `maxWaitMs`. */
  update(state: S): void {
    if (this.disposed) return;
    this.latest = state;
    this.dirty = true;
    this.expecting = false;
    if (this.current.kind === 'conflict') {
      // No saving until the writer decides, but the text must survive a crash.
      this.writeBackup();
      return;
    }
    // Already pending: telling again would re-render the editor screen on every change while typing.
    if (this.current.kind !== 'saving' && this.current.kind !== 'failed' && this.current.kind !== 'pending') this.setState({ kind: 'pending' });
    this.schedule();
  }

  /**
   * An edit exists that `update` will deliver shortly (the editor debounces its
   * reports): from now on the status no longer says saved.
   */
  expectChange(): void {
    if (this.disposed) return;
    // Remembered even while a save is out: when that save returns, the announced
    // edit is still on its way and the status must not say saved.
    this.expecting = true;
    if (this.current.kind === 'idle' || this.current.kind === 'saved') this.setState({ kind: 'pending' });
  }

  /** Saves now and resolves true once everything is saved (false if it failed). */
  flush(): Promise<boolean> {
    if (this.disposed) return Promise.resolve(!this.hasUnsavedChanges);
    if (!this.dirty && !this.inFlight) return Promise.resolve(true);
    const settled = new Promise<boolean>((resolve) => this.waiters.push(resolve));
    if (this.current.kind === 'conflict') {
      this.settleWaiters();
      return settled;
    }
    this.clearRetry();
    this.fire();
    return settled;
  }

  /**
   * For `pagehide`: there is no time to wait for the request, so the state goes
   * to the backup synchronously and a save is started on a best-effort basis.
   */
  flushNow(): void {
    if (this.disposed || !this.dirty) return;
    this.writeBackup();
    if (this.current.kind !== 'conflict') {
      this.clearRetry();
      this.fire();
    }
  }

  /** Retries a failed save immediately instead of waiting for the backoff. */
  retryNow(): void {
    if (this.disposed || !this.dirty || this.current.kind === 'conflict') return;
    this.clearRetry();
    this.fire();
  }

  /** After a conflict: overwrite the other copy with this one. */
  keepMine(): Promise<boolean> {
    this.base = undefined;
    if (this.current.kind === 'conflict') this.setState({ kind: 'pending' });
    this.dirty = this.dirty || this.latest !== undefined;
    return this.flush();
  }

  /** Stops all timers; a request already sent still completes but is not reported. */
  dispose(): void {
    this.disposed = true;
    this.clearTimers();
    this.clearRetry();
    this.settleWaiters(true);
  }

  private schedule(): void {
    const { debounceMs = 400, maxWaitMs = 1000 } = this.options;
    if (this.debounceTimer !== undefined) clearTimeout(this.debounceTimer);
    this.debounceTimer = setTimeout(() => this.onTimer(), debounceMs);
    if (this.maxWaitTimer === undefined) this.maxWaitTimer = setTimeout(() => this.onTimer(), maxWaitMs);
  }

  private onTimer(): void {
    this.clearTimers();
    if (this.retryTimer !== undefined) {
      // Backing off after a failure: keep a copy now, the retry sends it.
      this.writeBackup();
      return;
    }
    this.fire();
  }

  private fire(): void {
    this.clearTimers();
    if (this.disposed || this.inFlight || !this.dirty || this.latest === undefined) {
      this.settleWaiters();
      return;
    }
    const snapshot = this.latest;
    this.dirty = false;
    this.inFlight = true;
    this.writeBackup();
    this.setState({ kind: 'saving' });
    let request: Promise<string>;
    try {
      request = this.options.save(snapshot, this.base);
    } catch (error) {
      request = Promise.reject(error);
    }
    request.then(
      (updatedAt) => this.succeeded(updatedAt),
      (error: unknown) => this.failed(error),
    );
  }

  private succeeded(updatedAt: string): void {
    this.inFlight = false;
    if (this.disposed) return;
    this.base = updatedAt;
    this.failures = 0;
    if (!this.dirty && this.expecting) {
      this.setState({ kind: 'pending' });
      this.settleWaiters();
      return;
    }
    if (!this.dirty) {
      this.options.backup?.clear();
      this.setState({ kind: 'saved', at: this.now() });
      this.settleWaiters();
      return;
    }
    // Changes arrived while the request was out. If their timer is still
    // running it will send them; if it already fired while we were busy, or
    // someone is waiting on flush(), send them now.
    if (this.debounceTimer === undefined || this.waiters.length > 0) this.fire();
    else this.setState({ kind: 'pending' });
  }

  private failed(error: unknown): void {
    this.inFlight = false;
    if (this.disposed) return;
    this.dirty = true;
    this.clearTimers();
    this.writeBackup();
    if (this.options.isConflict?.(error)) {
      this.setState({ kind: 'conflict', error });
      this.settleWaiters();
      return;
    }
    this.failures += 1;
    const delays = this.options.retryDelaysMs ?? [1000, 2000, 5000, 10_000, 30_000];
    const retryInMs = delays[Math.min(this.failures - 1, delays.length - 1)] ?? 30_000;
    this.clearRetry();
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.fire();
    }, retryInMs);
    this.setState({ kind: 'failed', error, attempt: this.failures, retryInMs });
    this.settleWaiters();
  }

  private settleWaiters(force = false): void {
    if (this.waiters.length === 0) return;
    let result: boolean;
    if (!this.dirty && !this.inFlight) result = true;
    else if (force || this.current.kind === 'failed' || this.current.kind === 'conflict') result = false;
    else return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve(result);
  }

  private writeBackup(): void {
    if (this.latest !== undefined && this.dirty) this.options.backup?.write(this.latest);
    else if (this.latest !== undefined && this.inFlight) this.options.backup?.write(this.latest);
  }

  private setState(state: SaveState): void {
    this.current = state;
    if (!this.disposed) this.options.onState?.(state);
  }

  private clearTimers(): void {
    if (this.debounceTimer !== undefined) clearTimeout(this.debounceTimer);
    if (this.maxWaitTimer !== undefined) clearTimeout(this.maxWaitTimer);
    this.debounceTimer = undefined;
    this.maxWaitTimer = undefined;
  }

  private clearRetry(): void {
    if (this.retryTimer !== undefined) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private now(): number {
    return this.options.now?.() ?? Date.now();
  }
}
