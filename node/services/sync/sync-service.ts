import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type {
  ArticleSyncState,
  RepoKindView,
  SyncPhase,
  SyncRepoView,
  SyncRoundReport,
  SyncStatusView,
} from '../../../shared/api/contract/sync';
import { ApiError } from '../../../shared/api/errors';
import type { UnlockedKey } from '../identity/keys';
import { t } from '../messages';
import { spawnWorkerBeside } from '../worker-thread';
import type { RetryPolicy } from './client';
import { unitSlug } from './office-repos';
import { type SyncInspection, WORKER_MARK, type WorkerOpen, type WorkerReply, type WorkerRequest } from './sync-worker';
import type { CommitReport, RoundLook, SyncConfig } from './workspace-sync';

/*
 * The app's office sync: rounds in the background while the person this
 * desktop joined as is signed in, on a timer, after each workflow step and
 * shortly after saves. The rounds run in a worker thread (./sync-worker.ts);
 * this side only keeps the status the title bar, the article list and the
 * API read, and decides when the next round runs. It never touches git or
 * hashes the workspace itself, so the API stays answerable during a round.
 *
 * The person's password travels to the worker as the server login and stays
 * there only while they are signed in: signing out closes the worker, and
 * with it the password and the unlocked key.
 */

/** The signed-in person the rounds run as, with what the worker needs to sign and log in. */
export interface SyncSession {
  personId: string;
  name: string;
  password: string;
  key: UnlockedKey;
}

/** Where the rounds actually run: a worker thread in the app, a fake in tests. */
export interface SyncRunner {
  /** One round; with `look`, only those articles (and the office's own files) are looked at for changes. */
  round(look?: RoundLook): Promise<SyncRoundReport>;
  inspect(): Promise<SyncInspection>;
  commit(paths: readonly string[], message?: string): Promise<CommitReport>;
  /** Commits an imported package's articles, signed, naming its SHA-256 (WorkspaceSync.recordPackageImport), in turn with the rounds. */
  recordImport(sha256: string, articleIds: readonly string[]): Promise<CommitReport>;
  close(): Promise<void>;
}

export type SyncRunnerFactory = (input: { dir: string; config: SyncConfig; session: SyncSession; retry?: Partial<RetryPolicy> }) => Promise<SyncRunner>;

export interface SyncServiceOptions {
  dir: string;
  /** Reads `<workspace>/.sync/config.json` (./workspace-sync.ts readSyncConfig). */
  readConfig: (dir: string) => Promise<SyncConfig | null>;
  /** Default: a worker thread ({@link workerRunner}). */
  runner?: SyncRunnerFactory;
  now?: () => Date;
  log?: (message: string) => void;
  /** Between background rounds (default a minute). */
  intervalMs?: number;
  /** A save starts a round this long after the last save (default 10 s): typing does not start a round per keystroke. */
  saveDelayMs?: number;
  /** While offline the next round waits `baseMs`, doubling up to `maxMs`. */
  backoff?: { baseMs: number; maxMs: number };
  /** The client's retries inside one round. */
  retry?: Partial<RetryPolicy>;
  /** The office's units, from the verified policy: the repositories' names are their hashes. */
  units?: () => Promise<readonly string[]>;
  /**
   * Called after every round with the articles whose files it wrote ('unknown' when the round failed part way and
   * may have written some): the workspace's list must take them in whoever is signed in by then.
   */
  diskChanged?: (articles: readonly string[] | 'unknown') => Promise<void> | void;
  /** Called after each round of the session still signed in (never throws into the round): notices to record. */
  afterRound?: (report: SyncRoundReport, inspection: SyncInspection | null, personId: string) => Promise<void> | void;
}

const DEFAULT_INTERVAL_MS = 60_000;
const DEFAULT_SAVE_DELAY_MS = 10_000;
const DEFAULT_BACKOFF = { baseMs: 15_000, maxMs: 5 * 60_000 };
/** After a save, how soon the pending count is read again (saves in a burst share one reading). */
const INSPECT_DELAY_MS = 1_000;

function repoKind(name: string): RepoKindView {
  if (name === 'office') return 'office';
  if (name.startsWith('person-')) return 'person';
  return name.endsWith('-drafts') ? 'drafts' : 'submitted';
}

function articleOf(path: string): string | null {
  return /^articles\/([^/]+)\//.exec(path)?.[1] ?? /^tombstones\/([^/]+)\.json$/.exec(path)?.[1] ?? null;
}

/** Article ids whose files a round wrote into the workspace: received, merged, left in conflict or with an act undone. */
export function receivedArticles(report: Pick<SyncRoundReport, 'received'> & Partial<Pick<SyncRoundReport, 'merged' | 'conflicts' | 'invalidated'>>): string[] {
  return [
    ...new Set([
      ...report.received.flatMap((p) => articleOf(p) ?? []),
      ...(report.merged ?? []),
      ...(report.conflicts ?? []),
      ...(report.invalidated ?? []).map((act) => act.articleId),
    ]),
  ];
}

export class SyncService {
  readonly dir: string;
  readonly #options: SyncServiceOptions;
  readonly #now: () => Date;
  readonly #log: (message: string) => void;
  readonly #runnerFactory: SyncRunnerFactory;
  readonly #intervalMs: number;
  readonly #saveDelayMs: number;
  readonly #backoff: { baseMs: number; maxMs: number };

  #config: SyncConfig | null = null;
  #session: SyncSession | null = null;
  /** The sessions the sync person is signed in with (a window, a browser): the rounds stop when the last one ends. */
  readonly #sessionIds = new Set<string>();
  /** Someone else signed in here: the rounds wait for the person this desktop joined as. */
  #otherSignedIn = false;
  #runner: Promise<SyncRunner> | null = null;

  #phase: SyncPhase = 'not_joined';
  #message: string | null = null;
  #inspection: SyncInspection | null = null;
  #lastReport: SyncRoundReport | null = null;
  #lastSyncAt: string | null = null;
  #lastAttemptAt: string | null = null;
  #nextAttemptAt: string | null = null;
  #offlineRounds = 0;
  #refused = new Set<string>();
  readonly #repoProblems = new Map<string, string>();
  #units = new Map<string, string>();

  #running: Promise<SyncRoundReport> | null = null;
  /**
   * The articles saved or stepped here since the last round began, which the
   * next round need look at alone; 'all' when it must look at every file: the
   * first round of a thread, the rounds on the timer and after a failure, and
   * whenever a write's article is not known. A file changed behind the app's
   * back is so found by the next full look, within the interval.
   */
  #touched: Set<string> | 'all' = 'all';
  /** A package import writing and committing ({@link exclusive}): rounds wait for it. */
  #importing: Promise<void> | null = null;
  #again = false;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #saveTimer: ReturnType<typeof setTimeout> | null = null;
  #inspectTimer: ReturnType<typeof setTimeout> | null = null;
  #closed = false;

  constructor(options: SyncServiceOptions) {
    this.dir = options.dir;
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
    this.#log = options.log ?? (() => {});
    this.#runnerFactory = options.runner ?? workerRunner;
    this.#intervalMs = options.intervalMs ?? DEFAULT_INTERVAL_MS;
    this.#saveDelayMs = options.saveDelayMs ?? DEFAULT_SAVE_DELAY_MS;
    this.#backoff = options.backoff ?? DEFAULT_BACKOFF;
  }

  /** Reads whether this workspace has joined an office (again after a join). */
  async refreshConfig(): Promise<SyncConfig | null> {
    this.#config = await this.#options.readConfig(this.dir).catch((error: unknown) => {
      this.#log(`[sync] config unreadable: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    });
    if (this.#config && this.#phase === 'not_joined') {
      this.#phase = 'offline';
      this.#message = t('notify.sync.signInToSync', { name: this.#config.personId });
    }
    return this.#config;
  }

  get config(): SyncConfig | null {
    return this.#config;
  }

  /** Whether the workspace already holds an office (its root): joining one is for a fresh workspace only. */
  async hasOffice(): Promise<boolean> {
    return existsSync(join(this.dir, 'office', 'root.json'));
  }

  /** The person this desktop syncs as signed in, but their key could not be opened here: nothing can be signed. */
  keyUnavailable(personId: string, detail: string): void {
    if (this.#config?.personId !== personId || this.#session) return;
    this.#message = t('notify.sync.noKey', { name: personId, detail });
  }

  /** True while rounds run (the joined person is signed in with an unlocked key). */
  get active(): boolean {
    return this.#session !== null && !this.#closed;
  }

  // ───────────────────────────── sessions ─────────────────────────────

  /**
   * A person signed in here. Rounds start when it is the person this desktop
   * joined the office as (their login is the server's); anyone else signing
   * in changes nothing.
   */
  async signedIn(sessionId: string, session: SyncSession): Promise<void> {
    if (this.#closed) return;
    const config = this.#config ?? (await this.refreshConfig());
    if (!config) return;
    if (session.personId !== config.personId) {
      if (!this.#session) {
        this.#otherSignedIn = true;
        this.#message = t('notify.sync.otherPerson', { name: config.personId });
      }
      return;
    }
    const changed = this.#session !== null && (this.#session.password !== session.password || this.#session.key.keyId !== session.key.keyId);
    this.#sessionIds.add(sessionId);
    this.#session = session;
    this.#otherSignedIn = false;
    if (changed) await this.#dropRunner();
    // A new sign-in is a new chance for a login the server had refused.
    if (this.#phase === 'unauthorized' || this.#phase === 'offline' || this.#phase === 'not_joined') this.#message = null;
    this.#offlineRounds = 0;
    this.#schedule(0);
  }

  /** A session ended. When it was the sync person's last, the rounds stop and the password is forgotten. */
  async signedOut(sessionId: string): Promise<void> {
    if (!this.#sessionIds.delete(sessionId) || this.#sessionIds.size > 0) return;
    this.#session = null;
    this.#clearTimers();
    this.#nextAttemptAt = null;
    await this.#running?.catch(() => null);
    await this.#dropRunner();
    if (this.#config) this.#message = t('notify.sync.signInToSync', { name: this.#config.personId });
  }

  async #dropRunner(): Promise<void> {
    const runner = this.#runner;
    this.#runner = null;
    if (runner) await (await runner.catch(() => null))?.close().catch(() => {});
  }

  // ───────────────────────────── when rounds run ─────────────────────────────

  /** A workflow step completed (submit, approve, return, publish, withdraw): a round right away, so others see it. */
  nudge(articleId?: string): void {
    if (!this.active) return;
    this.#touch(articleId);
    this.#startSoon();
  }

  #touch(articleId: string | undefined): void {
    if (this.#touched === 'all') return;
    if (articleId) this.#touched.add(articleId);
    else this.#touched = 'all';
  }

  /** A round right away, or right after the one running (which may have looked before the latest write). */
  #startSoon(): void {
    if (this.#running) {
      this.#again = true;
      return;
    }
    void this.#start().catch(() => {});
  }

  /** An article was saved: a round once the saving pauses. */
  saved(articleId?: string): void {
    if (!this.active) return;
    this.#touch(articleId);
    // The list shows the article as waiting to be sent well before the round runs.
    if (!this.#inspectTimer) {
      this.#inspectTimer = setTimeout(() => {
        this.#inspectTimer = null;
        if (!this.#running) void this.reinspect();
      }, INSPECT_DELAY_MS);
      this.#inspectTimer.unref?.();
    }
    if (this.#saveTimer) clearTimeout(this.#saveTimer);
    this.#saveTimer = setTimeout(() => {
      this.#saveTimer = null;
      if (this.active) this.#startSoon();
    }, this.#saveDelayMs);
    this.#saveTimer.unref?.();
  }

  /** The next round in `delayMs`; `fullLook`: that round looks at every file (the timer's rounds, retries). */
  #schedule(delayMs: number, fullLook = false): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    if (!this.active) {
      this.#nextAttemptAt = null;
      return;
    }
    this.#nextAttemptAt = new Date(this.#now().getTime() + delayMs).toISOString();
    this.#timer = setTimeout(() => {
      this.#timer = null;
      if (fullLook && !this.#running) this.#touched = 'all';
      void this.#start().catch(() => {});
    }, delayMs);
    this.#timer.unref?.();
  }

  #clearTimers(): void {
    if (this.#timer) clearTimeout(this.#timer);
    if (this.#saveTimer) clearTimeout(this.#saveTimer);
    if (this.#inspectTimer) clearTimeout(this.#inspectTimer);
    this.#timer = null;
    this.#saveTimer = null;
    this.#inspectTimer = null;
  }

  /**
   * Runs `act` with no round running in this process and none starting until
   * it is done: what a package import writes into the workspace and its
   * commit form one step, never read half-written by a round (which would send
   * the files under its own commit) nor committed beside one on the same branch.
   */
  async exclusive<T>(act: () => Promise<T>): Promise<T> {
    while (this.#importing || this.#running) await (this.#importing ?? this.#running?.catch(() => null));
    const done = act();
    const gate = done.then(
      () => {},
      () => {},
    );
    this.#importing = gate;
    try {
      return await done;
    } finally {
      if (this.#importing === gate) this.#importing = null;
    }
  }

  /**
   * Records a package imported here as a signed commit naming it (inside
   * {@link exclusive}). While the rounds run for this person, the commit is
   * made by their worker, which holds the repositories open; otherwise (the
   * command line) `here` makes it on this thread.
   */
  async recordPackageImport(personId: string, sha256: string, articleIds: readonly string[], here: () => Promise<void>): Promise<void> {
    if (!this.active || this.#session?.personId !== personId || !this.#config) return here();
    const session = this.#session;
    if (!this.#runner) this.#runner = this.#runnerFactory({ dir: this.dir, config: this.#config, session, retry: this.#options.retry });
    const runner = await this.#runner;
    await runner.recordImport(sha256, articleIds);
    // Sent by the next round, right after the import (it waits for the import to end), not at the timer.
    this.nudge();
  }

  /** `sync:now`: a round now, or the one already running. */
  async roundNow(): Promise<SyncRoundReport> {
    if (!this.#config) throw new ApiError('conflict', t('notify.sync.notJoined'));
    if (!this.active) {
      const name = this.#config.personId;
      throw new ApiError('conflict', t('notify.sync.signInToSync', { name }));
    }
    // A round already running started before this request and may miss what
    // was just saved: 立即同步 waits for it, then runs its own, looking at every file.
    if (this.#running) await this.#running.catch(() => null);
    if (!this.#running) this.#touched = 'all';
    return this.#start();
  }

  /** Starts a round unless one runs (then that one's answer); only ever one at a time. */
  #start(): Promise<SyncRoundReport> {
    if (this.#running) return this.#running;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const running = this.#round().finally(() => {
      this.#running = null;
      if (this.#again && this.active) {
        this.#again = false;
        this.#schedule(0);
      }
    });
    this.#running = running;
    return running;
  }

  async #round(): Promise<SyncRoundReport> {
    while (this.#importing) await this.#importing;
    const session = this.#session;
    const config = this.#config;
    if (!session || !config) throw new ApiError('conflict', t('notify.sync.notJoined'));
    const before = this.#phase;
    this.#phase = 'syncing';
    this.#lastAttemptAt = this.#now().toISOString();
    this.#nextAttemptAt = null;
    let report: SyncRoundReport;
    let inspection: SyncInspection | null = null;
    try {
      if (!this.#runner) {
        this.#runner = this.#runnerFactory({ dir: this.dir, config, session, retry: this.#options.retry });
        this.#touched = 'all';
      }
      const runner = await this.#runner;
      const touched = this.#touched;
      this.#touched = new Set();
      report = await runner
        .round(touched === 'all' ? undefined : { articles: [...touched] })
        .catch((error: unknown) => {
          // What this round was to look at is looked at again, with everything else.
          this.#touched = 'all';
          throw error;
        });
      inspection = await runner.inspect().catch((error: unknown) => {
        this.#log(`[sync] inspect failed: ${error instanceof Error ? error.message : String(error)}`);
        return null;
      });
    } catch (error) {
      // The round may have written files before it failed: the list looks at the disk again.
      await this.#diskChanged('unknown');
      // The thread died or the round threw: no claim about the server; keep what was known, say what failed, try later.
      const detail = error instanceof Error ? error.message.split('\n')[0]! : String(error);
      this.#log(`[sync] round failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      await this.#dropRunner();
      this.#phase = before === 'syncing' || before === 'not_joined' ? 'offline' : before;
      this.#message = t('notify.sync.failed', { detail });
      this.#offlineRounds++;
      this.#schedule(this.#backoffMs(), true);
      throw new ApiError('internal', this.#message);
    }
    // What was written is on disk whoever signed in meanwhile: a round whose answer is set aside below
    // (the session changed under it) still brought these files, and no later round brings them again.
    await this.#diskChanged(receivedArticles(report));
    if (this.#session !== session) {
      // Signed in again while it ran: the sign-in's own round was folded into this one, so it runs now.
      if (this.active) this.#again = true;
      return report;
    }
    this.#apply(report, inspection);
    try {
      await this.#options.afterRound?.(report, inspection, session.personId);
    } catch (error) {
      this.#log(`[sync] after the round: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
    // After the workspace took in a policy the round brought: a new unit's repositories are named by it.
    await this.#refreshUnits();
    return report;
  }

  async #diskChanged(articles: readonly string[] | 'unknown'): Promise<void> {
    if (articles !== 'unknown' && articles.length === 0) return;
    try {
      await this.#options.diskChanged?.(articles);
    } catch (error) {
      this.#log(`[sync] taking in what the round wrote: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    }
  }

  #backoffMs(): number {
    return Math.min(this.#backoff.baseMs * 2 ** Math.max(0, this.#offlineRounds - 1), this.#backoff.maxMs);
  }

  #apply(report: SyncRoundReport, inspection: SyncInspection | null): void {
    this.#lastReport = report;
    if (inspection) this.#inspection = inspection;
    this.#phase = this.#settled(report.phase, report.conflicts.length);
    this.#message = report.message;
    this.#repoProblems.clear();
    for (const r of report.refused) this.#repoProblems.set(r.repo, r.reasons.join('\n'));
    for (const r of report.rejected) this.#repoProblems.set(r.repo, r.reason);
    // What the server refused is what this desktop still holds unsent.
    this.#refused = report.refused.length > 0 ? new Set(this.#inspection?.pendingArticles ?? []) : new Set();
    switch (report.phase) {
      case 'offline':
        this.#offlineRounds++;
        this.#schedule(this.#backoffMs(), true);
        return;
      case 'revoked':
      case 'unauthorized':
        // Nothing will change until the person signs in again (a new password, a new key): trying on would only
        // knock on the server with a login it refuses.
        this.#offlineRounds = 0;
        this.#nextAttemptAt = null;
        return;
      default:
        this.#offlineRounds = 0;
        if (report.phase !== 'refused' && report.phase !== 'rejected_incoming') this.#lastSyncAt = this.#now().toISOString();
        this.#schedule(this.#intervalMs, true);
    }
  }

  /**
   * A round's phase as the files stand now: a conflict still on disk, or work
   * saved since, outweighs "synced"; a decided conflict or sent work no
   * longer holds it back. Anything the server said (offline, refused…) stays.
   */
  #settled(phase: SyncPhase, reportedConflicts = 0): SyncPhase {
    if (phase !== 'synced' && phase !== 'pending' && phase !== 'conflict') return phase;
    if ((this.#inspection?.conflicts.length ?? reportedConflicts) > 0) return 'conflict';
    // A conflict the round named for another reason (histories it could not merge) is not settled by files.
    if (phase === 'conflict' && (this.#lastReport?.conflicts.length ?? 0) === 0) return phase;
    return this.#pendingCount() > 0 ? 'pending' : 'synced';
  }

  async #refreshUnits(): Promise<void> {
    if (!this.#options.units) return;
    try {
      this.#units = new Map((await this.#options.units()).map((unit) => [unitSlug(unit), unit]));
    } catch {
      // Units are only labels for the status; a policy that cannot be read is reported elsewhere.
    }
  }

  #pendingCount(): number {
    const i = this.#inspection;
    if (!i) return 0;
    const counted = i.pendingArticles.length + i.pendingOther.length;
    return counted > 0 ? counted : i.unpushed.some((u) => u.commits > 0) ? 1 : 0;
  }

  // ───────────────────────────── what the API reads ─────────────────────────────

  status(): SyncStatusView {
    if (!this.#config) {
      return {
        phase: 'not_joined',
        serverUrl: null,
        pending: 0,
        conflicts: 0,
        lastSyncAt: null,
        lastAttemptAt: null,
        nextAttemptAt: null,
        message: null,
        repos: [],
      };
    }
    const inspection = this.#inspection;
    const unpushed = new Map(inspection?.unpushed.map((u) => [u.repo, u.commits]) ?? []);
    const repos: SyncRepoView[] = (inspection?.repos ?? []).map((repo) => {
      const slug = /^(u[0-9a-f]{12})-/.exec(repo.name)?.[1];
      return {
        name: repo.name,
        kind: repoKind(repo.name),
        unit: slug ? (this.#units.get(slug) ?? null) : null,
        head: repo.head,
        lastSyncAt: this.#repoProblems.has(repo.name) ? null : this.#lastSyncAt,
        pending: unpushed.get(repo.name) ?? 0,
        problem: this.#repoProblems.get(repo.name) ?? null,
      };
    });
    let message = this.#message;
    if (!this.active && this.#otherSignedIn) message = t('notify.sync.otherPerson', { name: this.#config.personId });
    return {
      phase: this.#phase,
      serverUrl: this.#config.serverUrl,
      pending: this.#pendingCount(),
      conflicts: inspection?.conflicts.length ?? 0,
      lastSyncAt: this.#lastSyncAt,
      lastAttemptAt: this.#lastAttemptAt,
      nextAttemptAt: this.#nextAttemptAt,
      message,
      repos,
    };
  }

  /** Each article's state for the list; synced articles are left out. */
  articleStates(): Record<string, ArticleSyncState> {
    const out: Record<string, ArticleSyncState> = {};
    const i = this.#inspection;
    if (!i) return out;
    const localOnly = new Set(i.localOnly);
    const held = new Set(i.refused);
    for (const id of i.pendingArticles) out[id] = this.#refused.has(id) || held.has(id) ? 'refused' : localOnly.has(id) ? 'local_only' : 'pending';
    for (const id of i.conflicts) out[id] = 'conflict';
    return out;
  }

  /** The last round's report, if any ran in this process. */
  get lastReport(): SyncRoundReport | null {
    return this.#lastReport;
  }

  /** Reads pending work and conflicts again (after a conflict is resolved) without a round. */
  async reinspect(): Promise<void> {
    const runner = await this.#runner?.catch(() => null);
    if (!runner) return;
    try {
      this.#inspection = await runner.inspect();
      if (!this.#running) this.#phase = this.#settled(this.#phase);
    } catch (error) {
      this.#log(`[sync] inspect failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#clearTimers();
    this.#session = null;
    this.#sessionIds.clear();
    await this.#running?.catch(() => null);
    await this.#dropRunner();
  }
}

// ───────────────────────────── the worker thread ─────────────────────────────

/** Runs the rounds in a worker thread: the default {@link SyncRunnerFactory}. */
export const workerRunner: SyncRunnerFactory = async ({ dir, config, session, retry }) => {
  const worker = spawnWorkerBeside(import.meta.url, 'sync-worker', { mark: WORKER_MARK }, "the office sync's worker");
  worker.unref();
  let nextId = 1;
  let dead: Error | null = null;
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const fail = (error: Error) => {
    dead = error;
    for (const w of waiting.values()) w.reject(error);
    waiting.clear();
  };
  worker.on('message', (reply: WorkerReply) => {
    if ('log' in reply) return;
    const w = waiting.get(reply.id);
    if (!w) return;
    waiting.delete(reply.id);
    if (reply.ok) w.resolve(reply.value);
    else w.reject(new Error(reply.error));
  });
  worker.on('error', (error) => fail(error));
  worker.on('exit', (code) => fail(new Error(`the office sync's thread stopped (${code})`)));
  const ask = <T>(request: WorkerRequest extends infer R ? (R extends WorkerRequest ? Omit<R, 'id'> : never) : never): Promise<T> => {
    if (dead) return Promise.reject(dead);
    const id = nextId++;
    return new Promise<T>((resolve, reject) => {
      waiting.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.ref();
      worker.postMessage({ ...request, id } as WorkerRequest);
    }).finally(() => {
      if (waiting.size === 0) worker.unref();
    });
  };
  const open: WorkerOpen = {
    dir,
    personId: session.personId,
    name: session.name,
    keyId: session.key.keyId,
    publicKey: session.key.publicKey,
    privateKey: session.key.privateKey,
    credentials: { username: config.personId, password: session.password },
    retry,
  };
  const opened = await ask<boolean>({ op: 'open', open });
  if (!opened) {
    await worker.terminate();
    throw new Error(t('notify.sync.notJoined'));
  }
  return {
    round: (look) => ask<SyncRoundReport>({ op: 'round', look: look && { articles: [...look.articles] } }),
    inspect: () => ask<SyncInspection>({ op: 'inspect' }),
    commit: (paths, message) => ask<CommitReport>({ op: 'commit', paths: [...paths], message }),
    recordImport: (sha256, articleIds) => ask<CommitReport>({ op: 'recordImport', sha256, articleIds: [...articleIds] }),
    close: async () => {
      await ask({ op: 'close' }).catch(() => {});
      await worker.terminate();
    },
  };
};
