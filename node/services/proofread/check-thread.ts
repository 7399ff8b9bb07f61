import type { Worker } from 'node:worker_threads';
import { ApiError } from '../../../shared/api/errors';
import type { CheckOptions } from '../../../shared/proofread/engine';
import type { RulePacks } from '../../../shared/proofread/packs';
import type { CheckInput, Finding } from '../../../shared/proofread/types';
import { spawnWorkerBeside } from '../worker-thread';
import { CHECK_WORKER_MARK, type CheckWorkerReply, type CheckWorkerRequest } from './check-worker';

/** How long one check may take before its thread is stopped (a 20,000-character article takes milliseconds). */
export const CHECK_TIME_LIMIT_MS = 20_000;

/** A request before it is numbered (Omit over each member of the union, not over the union). */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** One worker thread and the checks it has yet to answer. */
interface Thread {
  worker: Worker;
  waiting: Map<number, { resolve: (findings: Finding[]) => void; reject: (error: Error) => void }>;
}

/** Where a checker may keep what it builds between runs (the workspace's cache folder). */
export interface CheckPlace {
  cacheDir?: string;
}

/** Checks an article somewhere other than the calling thread. */
export type ArticleChecker = (input: CheckInput, packs: RulePacks, options: CheckOptions, place?: CheckPlace) => Promise<Finding[]>;

/**
 * Runs checks in one worker thread, one at a time, and stops the thread when
 * a check passes the time limit (the next check starts a fresh one): a
 * pathological article costs the writer an error message, never the host.
 */
export class CheckThread {
  readonly #timeLimitMs: number;
  #worker: Thread | null = null;
  /** The packs the current thread holds. */
  #packs: RulePacks | null = null;
  #nextId = 1;
  /** Checks run one after another, so a time limit measures one check, not a queue. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: { timeLimitMs?: number } = {}) {
    this.#timeLimitMs = options.timeLimitMs ?? CHECK_TIME_LIMIT_MS;
  }

  /** The checker to hand a ProofreadService. */
  readonly check: ArticleChecker = (input, packs, options, place = {}) => {
    const run = this.#queue.then(
      () => this.#run(input, packs, options, place),
      () => this.#run(input, packs, options, place),
    );
    this.#queue = run.catch(() => {});
    return run;
  };

  async #run(input: CheckInput, packs: RulePacks, options: CheckOptions, place: CheckPlace): Promise<Finding[]> {
    const worker = this.#thread();
    if (this.#packs !== packs) {
      await this.#ask(worker, { op: 'packs', packs, ...(place.cacheDir ? { cacheDir: place.cacheDir } : {}) }, null);
      this.#packs = packs;
    }
    return this.#ask(worker, { op: 'check', input, options }, this.#timeLimitMs);
  }

  #thread(): Thread {
    if (this.#worker) return this.#worker;
    const thread: Thread = { worker: spawnWorkerBeside(import.meta.url, 'check-worker', { mark: CHECK_WORKER_MARK }, 'the proofreading worker'), waiting: new Map() };
    const { worker, waiting } = thread;
    worker.unref();
    worker.on('message', (reply: CheckWorkerReply) => {
      const w = waiting.get(reply.id);
      if (!w) return;
      waiting.delete(reply.id);
      if (reply.ok) w.resolve(reply.findings);
      else w.reject(new ApiError('internal', `校对出错：${reply.error}`));
    });
    const fail = (error: Error) => {
      if (this.#worker === thread) this.#drop();
      for (const w of waiting.values()) w.reject(error);
      waiting.clear();
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new ApiError('internal', `校对线程意外退出（${code}）`)));
    this.#worker = thread;
    return thread;
  }

  #drop(): void {
    this.#worker = null;
    this.#packs = null;
  }

  #ask(thread: Thread, request: WithoutId<CheckWorkerRequest>, timeLimitMs: number | null): Promise<Finding[]> {
    const { worker, waiting } = thread;
    const id = this.#nextId++;
    return new Promise<Finding[]>((resolve, reject) => {
      let timer: ReturnType<typeof setTimeout> | null = null;
      const done = () => {
        if (timer) clearTimeout(timer);
      };
      waiting.set(id, {
        resolve: (findings) => {
          done();
          resolve(findings);
        },
        reject: (error) => {
          done();
          reject(error);
        },
      });
      if (timeLimitMs !== null) {
        timer = setTimeout(() => {
          waiting.delete(id);
          if (this.#worker === thread) this.#drop();
          void worker.terminate();
          reject(
            new ApiError(
              'conflict',
              `校对超过 ${Math.round(timeLimitMs / 1000)} 秒仍未完成，已停止。文章或规则包可能有大量重复内容，请检查后重试`,
            ),
          );
        }, timeLimitMs);
        timer.unref?.();
      }
      worker.postMessage({ ...request, id } as CheckWorkerRequest);
    });
  }

  /** Stops the thread (the host's and the CLI's shutdown). */
  async close(): Promise<void> {
    const thread = this.#worker;
    this.#drop();
    if (thread) await thread.worker.terminate();
  }
}
