import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CallContext, EnqueueResult, ParsedRequestOf, PublishJobsView, PublishJobView, PublishReceipt } from '../../../../shared/api/contract';
import { ApiError } from '../../../../shared/api/errors';
import { prePublishChecklist } from '../../../../shared/workflow/pre-publish-checklist';
import type { WorkspaceStore } from '../../store/workspace-store';
import type { Article } from '../../../../shared/domain/article';
import type { PublicationFacts } from '../../../../shared/portal/render';
import { missingSiteIdentifiers } from '../../../../shared/portal/site';
import { type ApprovalCheck, type PublishGate, type PublishTrail, requirePublisher, type SessionGuard } from '../access';
import { IndexNumbers } from '../index-numbers';
import { isStatic, profileOf, type SiteService, type TargetEntry } from '../sites';
import type { StaticPublisher } from '../static/publisher';
import { publishMessage } from './messages';
import { Outbox, type OutboxJob } from './outbox';
import { buildPublishPayload } from './payload';
import { type RemoteTargetFactory, siteTargets } from './site-targets';

/** Options of {@link OutboxRunner.open}. */
export interface OutboxRunnerOptions {
  store: WorkspaceStore;
  guard: SessionGuard;
  approvals: ApprovalCheck;
  /** The audit trail a withdrawal is recorded in, with its reason. */
  trail: PublishTrail;
  /**
   * Asked before publish/update is queued (proofreading refuses while errors
   * remain). Required: a runner wired without it must not publish unchecked.
   */
  publishGate: PublishGate;
  sites: SiteService;
  staticPublisher: StaticPublisher;
  /** The outbox folder (`<ws>/outbox`). */
  dir: string;
  now?: () => number;
  log?: (message: string) => void;
  /** Live-page verification after a push; null turns it off (static-folder targets are checked on disk). */
  verifyFetch?: typeof fetch | null;
  /** First retry delay of the outbox (ms). */
  retryBaseDelayMs?: number;
  /** Sends due jobs on a timer (the app and web host); the CLI sends only when asked. */
  autoStart?: boolean;
  /** Builds WordPress/MetaWeblog clients; tests and proxies replace it. */
  remoteTarget?: RemoteTargetFactory;
  /** The workspace's 索引号 (default: `<ws>/disclosure`). */
  indexNumbers?: IndexNumbers;
  /**
   * Run before a 索引号 is assigned: on a desktop joined to an office, a sync
   * round, so the numbers other desktops signed since the last round are known.
   */
  beforeNumbering?: () => Promise<void>;
}

/**
 * The workspace's one durable {@link Outbox}, driving the static, WordPress and
 * MetaWeblog targets of every site: who may queue what, what a job shows, and
 * the article's status once a job succeeds.
 */
export class OutboxRunner {
  readonly #options: OutboxRunnerOptions;
  readonly #store: WorkspaceStore;
  readonly #guard: SessionGuard;
  readonly #sites: SiteService;
  readonly #log: (message: string) => void;
  readonly #dir: string;
  readonly #indexNumbers: IndexNumbers;
  /** Status updates after successful jobs, awaited before runDue/close report back. */
  readonly #pending = new Set<Promise<void>>();
  #outbox: Outbox | null = null;
  #opening: Promise<Outbox> | null = null;
  #started = false;
  #closed = false;

  private constructor(options: OutboxRunnerOptions) {
    this.#options = options;
    this.#store = options.store;
    this.#guard = options.guard;
    this.#sites = options.sites;
    this.#log = options.log ?? (() => {});
    this.#dir = options.dir;
    this.#indexNumbers = options.indexNumbers ?? new IndexNumbers({ dir: join(options.store.dir, 'disclosure') });
    options.sites.onSaved(() => this.#reloadOutbox());
  }

  /** Opens the outbox of a workspace; existing jobs are loaded (and, with autoStart, resumed) at once. */
  static async open(options: OutboxRunnerOptions): Promise<OutboxRunner> {
    const runner = new OutboxRunner(options);
    // A workspace that never published gets no outbox folder until its first job.
    if (existsSync(join(runner.#dir, 'jobs'))) await runner.#outboxReady();
    if (options.autoStart ?? true) runner.start();
    return runner;
  }

  #verifyFetch(): typeof fetch | null {
    const network = this.#options.verifyFetch === undefined ? fetch : this.#options.verifyFetch;
    if (!network) return null;
    return async (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const local = this.#options.staticPublisher.localPage(url);
      if (local) {
        try {
          return new Response(await readFile(local));
        } catch {
          return new Response('', { status: 404 });
        }
      }
      return network(input, init);
    };
  }

  async #openOutbox(): Promise<Outbox> {
    const outbox = await Outbox.open({
      dir: this.#dir,
      targets: await siteTargets({
        sites: this.#sites,
        staticPublisher: this.#options.staticPublisher,
        jobOf: (jobId) => this.#outbox?.job(jobId) ?? null,
        remoteTarget: this.#options.remoteTarget,
      }),
      now: this.#options.now,
      baseDelayMs: this.#options.retryBaseDelayMs,
      verifyFetch: this.#verifyFetch(),
    });
    for (const problem of outbox.problems) this.#log(`[publish] outbox job ${problem.file} moved to ${problem.movedTo}: ${problem.detail}`);
    outbox.on((event) => {
      if (event.type === 'succeeded') this.#track(this.#afterSuccess(event.job));
      if (event.type === 'failed' || event.type === 'retry_scheduled' || event.type === 'waiting_offline') {
        this.#log(`[publish] ${event.job.action} ${event.job.articleId} → ${event.job.targetId}: ${event.message}`);
      }
    });
    if (this.#started && !this.#closed) outbox.start();
    return outbox;
  }

  #outboxReady(): Promise<Outbox> {
    if (this.#outbox) return Promise.resolve(this.#outbox);
    this.#opening ??= this.#openOutbox().then((outbox) => {
      this.#outbox = outbox;
      return outbox;
    });
    return this.#opening;
  }

  /** Targets are fixed per Outbox instance, so a changed site reopens it (jobs are all on disk). */
  async #reloadOutbox(): Promise<void> {
    const old = this.#outbox ?? (this.#opening ? await this.#opening : null);
    if (!old) return;
    await old.stop();
    this.#outbox = null;
    this.#opening = null;
    await this.#outboxReady();
  }

  #track(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => this.#log(`[publish] status update failed: ${error instanceof Error ? error.message : String(error)}`));
    this.#pending.add(tracked);
    void tracked.finally(() => this.#pending.delete(tracked));
  }

  async #afterSuccess(job: OutboxJob): Promise<void> {
    if (!this.#store.summary(job.articleId)) return;
    await this.#store.setStatus(job.articleId, job.action === 'withdraw' ? 'withdrawn' : 'published');
  }

  async #settle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  /**
   * publish:enqueue — publisher only; publish/update need the current text's
   * full approval and a passing checklist (else `{ok:false, checklist}` and
   * nothing is queued). Jobs are on disk before this returns.
   */
  async enqueue(request: ParsedRequestOf<'publish:enqueue'>, context: CallContext): Promise<EnqueueResult> {
    requirePublisher(this.#guard, context, request.action);
    const entries: TargetEntry[] = [];
    for (const id of [...new Set(request.targetIds)]) entries.push(await this.#sites.target(id));
    const article = await this.#store.get(request.articleId);
    const outbox = await this.#outboxReady();
    if (request.action === 'withdraw') {
      const jobs: OutboxJob[] = [];
      for (const entry of entries) {
        const last = outbox.lastReceipt(entry.config.id, article.id);
        const queued = outbox
          .jobs()
          .some((j) => j.articleId === article.id && j.targetId === entry.config.id && j.action !== 'withdraw' && (j.state === 'pending' || j.state === 'running'));
        if ((!last || last.action === 'withdraw') && !queued) {
          throw new ApiError('conflict', publishMessage('publish.error.nothing_to_withdraw', { target: entry.config.label }));
        }
      }
      for (const entry of entries) {
        const last = outbox.lastReceipt(entry.config.id, article.id);
        jobs.push(
          await outbox.enqueue({
            action: 'withdraw',
            targetId: entry.config.id,
            articleId: article.id,
            contentHash: last?.contentHash ?? '',
            notBefore: request.notBefore ?? null,
          }),
        );
      }
      await this.#options.trail.recordWithdraw(article.id, context, request.reason ?? '', entries.map((entry) => entry.config.id));
      return { ok: true, jobs: await Promise.all(jobs.map((job) => this.#view(job))) };
    }
    await this.#requireSiteIdentifiers(entries);
    const { contentHash, approvers } = await this.#options.approvals.assertPublishable(article.id);
    await this.#options.publishGate(article);
    const checklist = prePublishChecklist(article);
    if (checklist.some((item) => !item.ok)) return { ok: false, checklist };
    // Signed before anything is queued: a publisher without a key here, or a
    // record that does not say every stage approved this content, stops it.
    // The 索引号 is signed with it, and taken only once the record took the publication.
    const indexNo = await this.#indexNumberFor(article, entries, (number) =>
      this.#options.trail.recordPublish(article.id, context, contentHash, number),
    );
    const publication: PublicationFacts = { indexNo, reviews: approvers ?? [] };
    if (entries.some((entry) => isStatic(entry.config))) await this.#options.staticPublisher.saveSnapshot(article, contentHash, publication);
    const jobs: OutboxJob[] = [];
    for (const entry of entries) {
      // Each target gets the site's photo sizes, in WebP only where it accepts it (MetaWeblog servers vary: JPEG).
      const photos = profileOf(await this.#sites.site(entry.siteId)).photos;
      const payload = buildPublishPayload(article, {
        assetsDir: join(this.#store.articleFolder(article.id), 'assets'),
        indexNo: publication.indexNo,
        slugPattern: entry.config.kind === 'wordpress' || entry.config.kind === 'metaweblog' ? entry.config.slugPattern : '',
        now: new Date(this.#options.now?.() ?? Date.now()),
        photos: {
          maxWidth: photos.maxWidth,
          quality: photos.quality,
          format: photos.webp && entry.config.kind !== 'metaweblog' ? 'webp' : 'jpeg',
        },
      });
      jobs.push(
        await outbox.enqueue({
          action: request.action,
          targetId: entry.config.id,
          articleId: article.id,
          contentHash,
          payload,
          notBefore: request.notBefore ?? null,
        }),
      );
    }
    return { ok: true, jobs: await Promise.all(jobs.map((job) => this.#view(job))) };
  }

  /**
   * Refuses to publish to a site whose 网站标识码 / ICP 备案号 / 公安备案号 are
   * still empty: every page carries them, and a page without them (or with
   * someone else's) must never go live. Checked before anything is signed or queued.
   */
  async #requireSiteIdentifiers(entries: readonly TargetEntry[]): Promise<void> {
    for (const siteId of new Set(entries.map((entry) => entry.siteId))) {
      const site = await this.#sites.site(siteId);
      const missing = missingSiteIdentifiers(site);
      if (missing.length === 0) continue;
      const fields = missing.map((field) => `“${publishMessage(`publish.field.${field}`)}”`).join('、');
      throw new ApiError('conflict', publishMessage('publish.error.site_identifiers', { site: site.name, fields }));
    }
  }

  /**
   * Signs the publication (`sign`) with the article's 索引号 and returns it:
   * the one it holds, else — for a document with 信息公开 fields going to a
   * site that numbers (an organ code in its profile) — the next of that organ
   * in the 发布日期's year, after a sync round where the desktop is joined to
   * an office. null (signed without a number) otherwise.
   */
  async #indexNumberFor(article: Article, entries: readonly TargetEntry[], sign: (indexNo: string | null) => Promise<void>): Promise<string | null> {
    if (!article.meta.disclosure) {
      await sign(null);
      return null;
    }
    const held = await this.#indexNumbers.numberOf(article.id);
    if (held) {
      await sign(held);
      return held;
    }
    for (const siteId of new Set(entries.map((entry) => entry.siteId))) {
      const organ = profileOf(await this.#sites.site(siteId)).government.indexOrganCode;
      if (organ === '') continue;
      await this.#options.beforeNumbering?.();
      const when = article.meta.publishAt ?? new Date(this.#options.now?.() ?? Date.now()).toISOString();
      return this.#indexNumbers.assign(article.id, organ, Number(when.slice(0, 4)), sign);
    }
    await sign(null);
    return null;
  }

  async #view(job: OutboxJob, targets?: Map<string, TargetEntry>): Promise<PublishJobView> {
    const entry = (targets ?? (await this.#sites.targets())).get(job.targetId);
    return {
      id: job.id,
      action: job.action,
      articleId: job.articleId,
      title: this.#store.summary(job.articleId)?.title ?? job.payload?.title ?? job.articleId,
      siteId: entry?.siteId ?? '',
      targetId: job.targetId,
      targetLabel: entry?.config.label ?? job.targetId,
      state: job.state,
      attempts: job.attempts,
      createdAt: job.createdAt,
      notBefore: job.notBefore,
      nextAttemptAt: job.nextAttemptAt,
      error: job.lastError?.message ?? null,
      receipt: job.receipt ? { jobId: job.id, ...job.receipt } : null,
    };
  }

  /** publish:jobs — every job (or one article's), newest first, with per-target counts. */
  async jobs(request: ParsedRequestOf<'publish:jobs'>, context: CallContext): Promise<PublishJobsView> {
    this.#guard.requirePerson(context);
    const outbox = existsSync(this.#dir) ? await this.#outboxReady() : null;
    const targets = await this.#sites.targets();
    const all = (outbox?.jobs() ?? []).filter((job) => !request.articleId || job.articleId === request.articleId).reverse();
    const counts = new Map<string, PublishJobsView['targets'][number]>();
    for (const [id, entry] of targets) {
      counts.set(id, { targetId: id, label: entry.config.label, pending: 0, running: 0, succeeded: 0, failed: 0 });
    }
    for (const job of all) {
      const row = counts.get(job.targetId);
      if (row && job.state !== 'cancelled') row[job.state] += 1;
    }
    return { jobs: await Promise.all(all.map((job) => this.#view(job, targets))), targets: [...counts.values()] };
  }

  /** publish:receipts — one article's receipts, oldest first. */
  async receipts(request: ParsedRequestOf<'publish:receipts'>, context: CallContext): Promise<PublishReceipt[]> {
    this.#guard.requirePerson(context);
    if (!existsSync(this.#dir)) return [];
    const outbox = await this.#outboxReady();
    return outbox
      .jobs()
      .filter((job) => job.articleId === request.articleId && job.receipt)
      .map((job) => ({ jobId: job.id, ...(job.receipt as NonNullable<OutboxJob['receipt']>) }));
  }

  /** publish:retry (publisher) — makes a waiting or failed job due now. */
  async retry(request: ParsedRequestOf<'publish:retry'>, context: CallContext): Promise<PublishJobView> {
    const outbox = await this.#outboxReady();
    const job = outbox.job(request.jobId);
    if (!job) throw new ApiError('not_found', publishMessage('publish.error.job_not_found', { job: request.jobId }));
    requirePublisher(this.#guard, context, job.action);
    await outbox.retryNow(job.id);
    return this.#view(outbox.job(job.id) ?? job);
  }

  /** Sends every due job once (the CLI's `outbox run`); returns the jobs attempted, as they ended. */
  async runDue(): Promise<PublishJobView[]> {
    if (!existsSync(this.#dir)) return [];
    const outbox = await this.#outboxReady();
    const before = new Map(outbox.jobs().map((job) => [job.id, job.attempts]));
    const untouchedDue = () => {
      const now = new Date(this.#options.now?.() ?? Date.now()).toISOString();
      return outbox.jobs().some((job) => job.state === 'pending' && job.nextAttemptAt <= now && job.attempts === (before.get(job.id) ?? 0));
    };
    // A timer run already in flight may have started before the latest jobs were queued: go again for those.
    for (let round = 0; round < 5; round++) {
      await outbox.runDue();
      if (!untouchedDue()) break;
    }
    await this.#settle();
    const attempted = outbox.jobs().filter((job) => job.attempts !== (before.get(job.id) ?? 0));
    const targets = await this.#sites.targets();
    return Promise.all(attempted.map((job) => this.#view(job, targets)));
  }

  /** Resumes sending on a timer (jobs left from a previous run included). */
  start(): void {
    this.#started = true;
    this.#outbox?.start();
  }

  /** Stops the timer and waits for a send in progress and its status update. */
  async close(): Promise<void> {
    this.#closed = true;
    const outbox = this.#outbox ?? (this.#opening ? await this.#opening.catch(() => null) : null);
    await outbox?.stop();
    await this.#settle();
  }
}
