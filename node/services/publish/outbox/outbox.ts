import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { writeFileAtomic } from '../../store/atomic-file';
import { fillTemplate } from '../../../../shared/i18n/define';
import pubuiMessages from '../../../../shared/i18n/messages/pubui';
import { normalizedPageText } from '../../../../shared/portal/page-text';
import { publishMessage } from './messages';
import { PublishError, toPublishError } from './publish-error';
import { type PublishPayload, PublishPayloadSchema, type PublishTarget, type RemotePost } from './target';

export const OUTBOX_JOB_FORMAT = 'gazette/outbox-job';

export const OUTBOX_ACTIONS = ['publish', 'update', 'withdraw'] as const;
export type OutboxAction = (typeof OUTBOX_ACTIONS)[number];

/** pending → running → succeeded | failed; cancelled by the user. `running` found on disk means the app died mid-send. */
export const OUTBOX_STATES = ['pending', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type OutboxState = (typeof OUTBOX_STATES)[number];

/** One way the live page differs from what was approved; `params` fill the message of the same code. */
export const VERIFICATION_ISSUE_CODES = ['page_status', 'page_unreachable', 'title_missing', 'body_missing', 'image_status', 'image_type', 'image_unreachable'] as const;
export const VerificationIssueSchema = z.object({
  code: z.enum(VERIFICATION_ISSUE_CODES),
  params: z.record(z.string(), z.string()).default({}),
});
export type VerificationIssue = z.infer<typeof VerificationIssueSchema>;

export const ReceiptSchema = z.object({
  targetId: z.string(),
  action: z.enum(OUTBOX_ACTIONS),
  remoteId: z.string(),
  url: z.string(),
  at: z.string(),
  contentHash: z.string(),
  /**
   * After publish/update the live page is fetched: verified only when it shows the
   * title and the approved body text, and every uploaded image answers 200 with its type.
   */
  verification: z.enum(['pending', 'verified', 'flagged', 'not_applicable']),
  /** What differs, in plain Chinese (the CLI prints it); the screen translates verificationIssues. */
  verificationDetail: z.string().default(''),
  verificationIssues: z.array(VerificationIssueSchema).default([]),
  /** The images the target said the post shows, checked by the verification. */
  images: z.array(z.object({ url: z.string(), mimeType: z.string() })).default([]),
  /** What the publisher should know about a push that went through (e.g. credits kept only in the content). */
  notes: z.array(z.enum(['credits_in_content_only'])).default([]),
  /** The 索引号 the article went live with (null without one). */
  indexNo: z.string().nullable().default(null),
});
export type Receipt = z.infer<typeof ReceiptSchema>;

const JobErrorSchema = z.object({
  kind: z.string(),
  code: z.string(),
  message: z.string(),
  at: z.string(),
});

export const OutboxJobSchema = z.object({
  format: z.literal(OUTBOX_JOB_FORMAT),
  version: z.literal(1),
  /** Client-generated; stored with the remote post so a retry finds it instead of creating another. */
  id: z.string().uuid(),
  action: z.enum(OUTBOX_ACTIONS),
  targetId: z.string().min(1),
  articleId: z.string().min(1),
  contentHash: z.string(),
  payload: PublishPayloadSchema.nullable(),
  /** For update/withdraw: the post to change; filled from the last receipt when null. */
  remoteId: z.string().nullable(),
  createdAt: z.string(),
  /** Scheduled publishing: not sent before this instant (ISO). */
  notBefore: z.string().nullable(),
  nextAttemptAt: z.string(),
  attempts: z.number().int().nonnegative(),
  state: z.enum(OUTBOX_STATES),
  lastError: JobErrorSchema.nullable(),
  receipt: ReceiptSchema.nullable(),
});
export type OutboxJob = z.infer<typeof OutboxJobSchema>;

/** What the UI hears while the outbox works. */
export type OutboxEvent =
  | { type: 'queued' | 'started' | 'succeeded' | 'cancelled'; job: OutboxJob }
  | { type: 'retry_scheduled' | 'waiting_offline' | 'failed'; job: OutboxJob; message: string }
  | { type: 'verified' | 'flagged'; job: OutboxJob; receipt: Receipt }
  | { type: 'progress'; done: number; total: number; targetId: string };

/** A job file that could not be read; it was moved aside as `<name>.damaged`, never deleted. */
export interface OutboxProblem {
  file: string;
  movedTo: string;
  detail: string;
}

export interface OutboxOptions {
  dir: string;
  targets: readonly PublishTarget[];
  now?: () => number;
  random?: () => number;
  /** First retry delay; doubles per attempt up to maxDelayMs, with jitter (half to full delay). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Timeouts and 5xx give up after this many attempts; "cannot connect" never gives up. */
  maxAttempts?: number;
  /** Fetches the live page for verification; null turns verification off. */
  verifyFetch?: typeof fetch | null;
  verifyTimeoutMs?: number;
}

export interface EnqueueRequest {
  action: OutboxAction;
  targetId: string;
  articleId: string;
  contentHash: string;
  payload?: PublishPayload | null;
  remoteId?: string | null;
  /** ISO instant for scheduled publishing. */
  notBefore?: string | null;
}

const TERMINAL: ReadonlySet<OutboxState> = new Set(['succeeded', 'failed', 'cancelled']);

/** The first characters of a block, to name it in a message. */
function excerptOf(text: string): string {
  const chars = [...text];
  return chars.length > 24 ? `${chars.slice(0, 24).join('')}…` : text;
}

/** Where the page stops showing the approved body: the first block not found after the previous one, or null. */
function missingBlock(pageText: string, blocks: readonly string[]): string | null {
  let from = 0;
  for (const block of blocks) {
    const at = pageText.indexOf(block, from);
    if (at < 0) return block;
    from = at + block.length;
  }
  return null;
}

/**
 * Durable publishing queue. Each job is written to its own file (atomically,
 * fsynced) before any network call and after every state change, so a crash or
 * restart loses nothing; retries look the job id up on the target before
 * creating, so a reply lost in transit never produces a second post.
 */
export class Outbox {
  readonly #dir: string;
  readonly #targets: Map<string, PublishTarget>;
  readonly #jobs = new Map<string, OutboxJob>();
  readonly #listeners = new Set<(event: OutboxEvent) => void>();
  readonly #now: () => number;
  readonly #random: () => number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #maxAttempts: number;
  readonly #verifyFetch: typeof fetch | null;
  readonly #verifyTimeoutMs: number;
  #running: Promise<number> | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #stopped = true;
  /** Files that could not be loaded at open. */
  readonly problems: OutboxProblem[] = [];

  private constructor(options: OutboxOptions) {
    this.#dir = options.dir;
    this.#targets = new Map(options.targets.map((target) => [target.id, target]));
    this.#now = options.now ?? Date.now;
    this.#random = options.random ?? Math.random;
    this.#baseDelayMs = options.baseDelayMs ?? 5_000;
    this.#maxDelayMs = options.maxDelayMs ?? 5 * 60_000;
    this.#maxAttempts = options.maxAttempts ?? 12;
    this.#verifyFetch = options.verifyFetch === undefined ? fetch : options.verifyFetch;
    this.#verifyTimeoutMs = options.verifyTimeoutMs ?? 15_000;
  }

  /** Opens (or creates) the outbox folder and reloads every job from disk. */
  static async open(options: OutboxOptions): Promise<Outbox> {
    const outbox = new Outbox(options);
    await outbox.#load();
    return outbox;
  }

  get #jobsDir(): string {
    return join(this.#dir, 'jobs');
  }

  async #load(): Promise<void> {
    await mkdir(this.#jobsDir, { recursive: true });
    for (const name of (await readdir(this.#jobsDir)).sort()) {
      if (!name.endsWith('.json')) continue;
      const file = join(this.#jobsDir, name);
      try {
        const job = OutboxJobSchema.parse(JSON.parse(await readFile(file, 'utf8')));
        // Died mid-send: send again; the job-id lookup makes that safe.
        if (job.state === 'running') job.state = 'pending';
        this.#jobs.set(job.id, job);
      } catch (error) {
        const movedTo = `${file}.damaged`;
        await rename(file, movedTo).catch(() => {});
        this.problems.push({ file, movedTo, detail: error instanceof Error ? error.message.slice(0, 300) : String(error) });
      }
    }
  }

  /** Listens to progress; returns the unsubscribe function. */
  on(listener: (event: OutboxEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #emit(event: OutboxEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A broken listener must not stop a publish halfway.
      }
    }
  }

  async #save(job: OutboxJob): Promise<void> {
    await writeFileAtomic(join(this.#jobsDir, `${job.id}.json`), `${JSON.stringify(job, null, 2)}\n`);
    this.#jobs.set(job.id, job);
  }

  /** All jobs, oldest first. */
  jobs(): OutboxJob[] {
    return [...this.#jobs.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
  }

  job(id: string): OutboxJob | null {
    return this.#jobs.get(id) ?? null;
  }

  /** The receipt of the last successful push of an article to a target (withdrawals included). */
  lastReceipt(targetId: string, articleId: string): Receipt | null {
    const done = this.jobs().filter((j) => j.targetId === targetId && j.articleId === articleId && j.state === 'succeeded' && j.receipt);
    return done[done.length - 1]?.receipt ?? null;
  }

  /** Stores a job durably; nothing is sent until {@link runDue} (or the timer) picks it up. */
  async enqueue(request: EnqueueRequest): Promise<OutboxJob> {
    if (!this.#targets.has(request.targetId)) throw new Error(`unknown publishing target ${request.targetId}`);
    if (request.action !== 'withdraw' && !request.payload) throw new Error(`${request.action} needs a payload`);
    const now = new Date(this.#now()).toISOString();
    const job: OutboxJob = OutboxJobSchema.parse({
      format: OUTBOX_JOB_FORMAT,
      version: 1,
      id: randomUUID(),
      action: request.action,
      targetId: request.targetId,
      articleId: request.articleId,
      contentHash: request.contentHash,
      payload: request.payload ?? null,
      remoteId: request.remoteId ?? null,
      createdAt: now,
      notBefore: request.notBefore ?? null,
      nextAttemptAt: request.notBefore && request.notBefore > now ? request.notBefore : now,
      attempts: 0,
      state: 'pending',
      lastError: null,
      receipt: null,
    });
    await this.#save(job);
    this.#emit({ type: 'queued', job });
    this.#reschedule();
    return job;
  }

  /** Cancels a job that has not gone out yet. */
  async cancel(id: string): Promise<boolean> {
    const job = this.#jobs.get(id);
    if (job?.state !== 'pending') return false;
    const cancelled = { ...job, state: 'cancelled' as const };
    await this.#save(cancelled);
    this.#emit({ type: 'cancelled', job: cancelled });
    return true;
  }

  /** Makes a waiting or failed job due now (e.g. the user pressed 重试, or the network came back). */
  async retryNow(id?: string): Promise<void> {
    const now = new Date(this.#now()).toISOString();
    for (const job of this.#jobs.values()) {
      if (id !== undefined && job.id !== id) continue;
      const eligible = job.state === 'pending' || (id !== undefined && job.state === 'failed');
      if (!eligible) continue;
      if (job.notBefore && job.notBefore > now) continue;
      await this.#save({ ...job, state: 'pending', nextAttemptAt: now, ...(job.state === 'failed' ? { attempts: 0 } : {}) });
    }
    this.#reschedule();
  }

  /** The earliest instant a pending job becomes due, or null. */
  nextDueAt(): number | null {
    let next: number | null = null;
    for (const job of this.#jobs.values()) {
      if (job.state !== 'pending') continue;
      const at = Date.parse(job.nextAttemptAt);
      if (next === null || at < next) next = at;
    }
    return next;
  }

  /** Runs on its own: wakes up when the next job is due. */
  start(): void {
    this.#stopped = false;
    this.#reschedule();
  }

  /** Stops the timer and waits for a send in progress to settle. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    await this.#running;
  }

  #reschedule(): void {
    if (this.#stopped) return;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    const next = this.nextDueAt();
    if (next === null) return;
    const delay = Math.max(0, Math.min(next - this.#now(), 2 ** 31 - 1));
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.runDue().finally(() => this.#reschedule());
    }, delay);
  }

  /** Sends every job that is due now, one after another; resolves with how many were attempted. */
  runDue(): Promise<number> {
    if (this.#running) return this.#running;
    this.#running = this.#runDue().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  async #runDue(): Promise<number> {
    let attempted = 0;
    const now = new Date(this.#now()).toISOString();
    const due = this.jobs().filter((job) => job.state === 'pending' && job.nextAttemptAt <= now);
    const totals = new Map<string, number>();
    for (const job of due) totals.set(job.targetId, (totals.get(job.targetId) ?? 0) + 1);
    const done = new Map<string, number>();
    for (const job of due) {
      if (this.#blockedByEarlierJob(job)) continue;
      await this.#attempt(job);
      attempted += 1;
      done.set(job.targetId, (done.get(job.targetId) ?? 0) + 1);
      this.#emit({ type: 'progress', done: done.get(job.targetId) ?? 0, total: totals.get(job.targetId) ?? 0, targetId: job.targetId });
    }
    return attempted;
  }

  /** Jobs for one article on one target go out in the order they were queued (publish before update). */
  #blockedByEarlierJob(job: OutboxJob): boolean {
    return this.jobs().some(
      (other) =>
        other.id !== job.id &&
        other.targetId === job.targetId &&
        other.articleId === job.articleId &&
        !TERMINAL.has(other.state) &&
        (other.createdAt < job.createdAt || (other.createdAt === job.createdAt && other.id < job.id)),
    );
  }

  #remoteIdFor(job: OutboxJob): string | null {
    if (job.remoteId) return job.remoteId;
    const last = this.lastReceipt(job.targetId, job.articleId);
    return last ? last.remoteId : null;
  }

  async #send(job: OutboxJob, target: PublishTarget): Promise<RemotePost> {
    if (job.action === 'withdraw') {
      const remoteId = this.#remoteIdFor(job);
      if (!remoteId) throw notPublished(target, job.action);
      await target.withdraw(remoteId);
      return { remoteId, url: this.lastReceipt(job.targetId, job.articleId)?.url ?? '' };
    }
    const payload = job.payload as PublishPayload;
    // Every attempt first asks whether an earlier attempt of this very job already got through.
    const earlier = await target.findByJobId(job.id);
    if (earlier && job.action === 'publish') return earlier;
    const remoteId = earlier?.remoteId ?? this.#remoteIdFor(job);
    if (remoteId) return target.update(remoteId, payload, job.id);
    if (job.action === 'update') throw notPublished(target, job.action);
    return target.create(payload, job.id);
  }

  async #attempt(queued: OutboxJob): Promise<void> {
    const target = this.#targets.get(queued.targetId);
    let job: OutboxJob = { ...queued, state: 'running', attempts: queued.attempts + 1 };
    // Written before the request: a crash from here on is retried (and deduplicated) at the next start.
    await this.#save(job);
    this.#emit({ type: 'started', job });
    try {
      if (!target) throw new Error(`unknown publishing target ${queued.targetId}`);
      const remote = await this.#send(job, target);
      const receipt: Receipt = {
        targetId: job.targetId,
        action: job.action,
        remoteId: remote.remoteId,
        url: remote.url,
        at: new Date(this.#now()).toISOString(),
        contentHash: job.contentHash,
        verification: job.action === 'withdraw' || !this.#verifyFetch ? 'not_applicable' : 'pending',
        verificationDetail: '',
        verificationIssues: [],
        images: remote.images ?? [],
        notes: remote.notes ?? [],
        indexNo: job.payload?.indexNo ?? null,
      };
      job = { ...job, state: 'succeeded', remoteId: remote.remoteId, receipt, lastError: null };
      await this.#save(job);
      this.#emit({ type: 'succeeded', job });
      if (receipt.verification === 'pending') await this.#verify(job);
    } catch (thrown) {
      const error = thrown instanceof PublishError ? thrown : toPublishError(thrown, target?.label ?? queued.targetId, 0);
      await this.#recordFailure(job, error);
    }
  }

  async #recordFailure(job: OutboxJob, error: PublishError): Promise<void> {
    const lastError = { kind: error.kind, code: error.code, message: error.message, at: new Date(this.#now()).toISOString() };
    const keepTrying = error.kind === 'network' || (error.retryable && job.attempts < this.#maxAttempts);
    if (!keepTrying) {
      const failed: OutboxJob = { ...job, state: 'failed', lastError };
      await this.#save(failed);
      this.#emit({ type: 'failed', job: failed, message: error.message });
      return;
    }
    const delay = this.backoffDelay(job.attempts);
    const waiting: OutboxJob = { ...job, state: 'pending', lastError, nextAttemptAt: new Date(this.#now() + delay).toISOString() };
    await this.#save(waiting);
    this.#emit({ type: error.kind === 'network' ? 'waiting_offline' : 'retry_scheduled', job: waiting, message: error.message });
  }

  /** Exponential backoff with jitter: attempt n waits between half and all of base·2^(n-1), capped. */
  backoffDelay(attempts: number): number {
    const ceiling = Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** Math.max(0, attempts - 1));
    return Math.round(ceiling / 2 + this.#random() * (ceiling / 2));
  }

  async #verify(job: OutboxJob): Promise<void> {
    const receipt = job.receipt as Receipt;
    const issues = await this.#liveIssues(receipt, job.payload);
    const verification: Receipt['verification'] = issues.length === 0 ? 'verified' : 'flagged';
    // The receipt keeps Chinese words for the CLI; the screen translates the issues into its own language.
    const detail = issues.map((issue) => fillTemplate(pubuiMessages['zh-CN'][`pubui.verify.${issue.code}`], issue.params)).join('；');
    const checked: Receipt = { ...receipt, verification, verificationDetail: detail, verificationIssues: issues };
    const updated: OutboxJob = { ...job, receipt: checked };
    await this.#save(updated);
    this.#emit({ type: verification === 'verified' ? 'verified' : 'flagged', job: updated, receipt: checked });
  }

  /** Fetches with the verification's timeout; a thrown error becomes null plus its message. */
  async #fetchLive(url: string): Promise<{ response: Response; error: null } | { response: null; error: string }> {
    try {
      return { response: await (this.#verifyFetch as typeof fetch)(url, { signal: AbortSignal.timeout(this.#verifyTimeoutMs) }), error: null };
    } catch (error) {
      return { response: null, error: error instanceof Error ? error.message : String(error) };
    }
  }

  /** Everything the live page gets wrong: status, title, the approved body (in order), each image's status and type. */
  async #liveIssues(receipt: Receipt, payload: PublishPayload | null): Promise<VerificationIssue[]> {
    const page = await this.#fetchLive(receipt.url);
    if (!page.response) return [{ code: 'page_unreachable', params: { url: receipt.url, detail: page.error } }];
    const html = await page.response.text().catch(() => '');
    if (!page.response.ok) return [{ code: 'page_status', params: { url: receipt.url, status: String(page.response.status) } }];
    const issues: VerificationIssue[] = [];
    const pageText = normalizedPageText(html);
    const title = normalizedPageText(payload?.title ?? '');
    if (title === '' || !pageText.includes(title)) issues.push({ code: 'title_missing', params: { title: payload?.title ?? '' } });
    const missing = missingBlock(pageText, payload?.bodyText ?? []);
    if (missing !== null) issues.push({ code: 'body_missing', params: { text: excerptOf(missing) } });
    for (const image of receipt.images) {
      const reply = await this.#fetchLive(image.url);
      if (!reply.response) {
        issues.push({ code: 'image_unreachable', params: { url: image.url, detail: reply.error } });
        continue;
      }
      await reply.response.body?.cancel().catch(() => {});
      const type = (reply.response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      if (reply.response.status !== 200) issues.push({ code: 'image_status', params: { url: image.url, status: String(reply.response.status) } });
      else if (type !== image.mimeType.toLowerCase()) issues.push({ code: 'image_type', params: { url: image.url, expected: image.mimeType, actual: type || '?' } });
    }
    return issues;
  }
}

function notPublished(target: PublishTarget, action: OutboxAction): PublishError {
  return new PublishError('rejected', 'publish.error.not_published', {
    target: target.label,
    action: publishMessage(`publish.action.${action}`),
  });
}
