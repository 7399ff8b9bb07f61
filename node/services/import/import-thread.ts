import type { Worker } from 'node:worker_threads';
import { ApiError } from '../../../shared/api/errors';
import { spawnWorkerBeside } from '../worker-thread';
import type { ImportDraft } from './draft';
import { IMPORT_WORKER_MARK, IMPORT_WORKER_READY, type ImportWorkerFailure, type ImportWorkerReply, type ImportWorkerRequest } from './import-worker';
import { IMPORT_LIMITS, ImportLimitError } from './limits';

/** A request before it is numbered (Omit over each member of the union, not over the union). */
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

interface Waiting {
  resolve: (draft: ImportDraft) => void;
  reject: (error: Error) => void;
}

/** One worker thread and the import it is answering. */
interface Thread {
  worker: Worker;
  waiting: Map<number, Waiting>;
  /** Settles once the thread has loaded the converters (seconds from source), so the time limit measures imports only. */
  ready: Promise<void>;
}

/**
 * Runs imports in one worker thread, one at a time, with a time limit and a
 * heap limit: an import past either stops (or loses) the thread, the caller
 * gets an ImportLimitError naming the limit, and the next import starts a
 * fresh thread. The calling thread only copies bytes in and a draft out, so
 * the host keeps answering every other request while a file is read.
 */
export class ImportThread {
  readonly #timeLimitMs: number;
  readonly #heapMb: number;
  #thread: Thread | null = null;
  #nextId = 1;
  /** Imports run one after another, so a time limit measures one import, not a queue. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: { timeLimitMs?: number; heapMb?: number } = {}) {
    this.#timeLimitMs = options.timeLimitMs ?? IMPORT_LIMITS.timeMs;
    this.#heapMb = options.heapMb ?? IMPORT_LIMITS.heapMb;
  }

  /** importFileBuffer, in the thread. */
  readonly importFile = (fileName: string, data: Buffer): Promise<ImportDraft> =>
    this.#inTurn(() => this.#ask({ op: 'file', fileName, data }, fileName));

  /** importPortalText, in the thread. */
  readonly importText = (text: string, fileName: string): Promise<ImportDraft> =>
    this.#inTurn(() => this.#ask({ op: 'text', fileName, text }, fileName));

  #inTurn(run: () => Promise<ImportDraft>): Promise<ImportDraft> {
    const next = this.#queue.then(run, run);
    this.#queue = next.catch(() => {});
    return next;
  }

  #start(): Thread {
    if (this.#thread) return this.#thread;
    const worker = spawnWorkerBeside(import.meta.url, 'import-worker', { mark: IMPORT_WORKER_MARK }, 'the import worker', {
      maxOldGenerationSizeMb: this.#heapMb,
      maxYoungGenerationSizeMb: Math.min(64, Math.max(8, Math.floor(this.#heapMb / 8))),
    });
    let started: { resolve: () => void; reject: (error: Error) => void } = { resolve: () => {}, reject: () => {} };
    const ready = new Promise<void>((resolve, reject) => {
      started = { resolve, reject };
    });
    ready.catch(() => {});
    const thread: Thread = { worker, waiting: new Map(), ready };
    worker.unref();
    worker.on('message', (reply: ImportWorkerReply | typeof IMPORT_WORKER_READY) => {
      if (reply === IMPORT_WORKER_READY) {
        started.resolve();
        return;
      }
      const waiting = thread.waiting.get(reply.id);
      if (!waiting) return;
      thread.waiting.delete(reply.id);
      if (reply.ok) waiting.resolve(withBuffers(reply.draft));
      else waiting.reject(errorOf(reply.failure));
    });
    const fail = (error: Error) => {
      if (this.#thread === thread) this.#thread = null;
      started.reject(error);
      for (const waiting of thread.waiting.values()) waiting.reject(error);
      thread.waiting.clear();
    };
    worker.on('error', (error: Error & { code?: string }) => {
      // Past its heap limit the thread is stopped by V8, not by us: say which limit, as for the other limits.
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') fail(new ImportLimitError('heapMb', { file: this.#current, limit: this.#heapMb }));
      else fail(new ApiError('internal', `导入线程出错：${error.message}`));
    });
    worker.on('exit', (code) => fail(new ApiError('internal', `导入线程意外退出（${code}）`)));
    this.#thread = thread;
    return thread;
  }

  /** The file being imported, for the message of a thread lost to its heap limit. */
  #current = '';

  async #ask(request: WithoutId<ImportWorkerRequest>, fileName: string): Promise<ImportDraft> {
    const thread = this.#start();
    await thread.ready;
    const id = this.#nextId++;
    this.#current = fileName;
    return new Promise<ImportDraft>((resolve, reject) => {
      const timer = setTimeout(() => {
        thread.waiting.delete(id);
        if (this.#thread === thread) this.#thread = null;
        void thread.worker.terminate();
        reject(new ImportLimitError('timeMs', { file: fileName, limit: Math.round(this.#timeLimitMs / 1000) }));
      }, this.#timeLimitMs);
      timer.unref?.();
      thread.waiting.set(id, {
        resolve: (draft) => {
          clearTimeout(timer);
          resolve(draft);
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      });
      thread.worker.postMessage({ ...request, id } as ImportWorkerRequest);
    });
  }

  /** Stops the thread (the host's, the app's and the CLI's shutdown). */
  async close(): Promise<void> {
    const thread = this.#thread;
    this.#thread = null;
    if (thread) await thread.worker.terminate();
  }
}

/** Errors rebuilt with their classes, so the API edge maps them as if thrown here. */
function errorOf(failure: ImportWorkerFailure): Error {
  if (failure.kind === 'limit') return new ImportLimitError(failure.limit, failure.params);
  if (failure.kind === 'api') return new ApiError(failure.code, failure.detail);
  return new Error(failure.message);
}

/** Asset bytes arrive as plain Uint8Arrays; the store expects Buffers. */
function withBuffers(draft: ImportDraft): ImportDraft {
  return {
    ...draft,
    assets: draft.assets.map((asset) => ({ ...asset, data: Buffer.from(asset.data.buffer, asset.data.byteOffset, asset.data.byteLength) })),
  };
}
