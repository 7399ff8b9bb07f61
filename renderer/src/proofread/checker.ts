import type { ArticleCounts } from '../../../shared/proofread/engine';
import type { RulePacks } from '../../../shared/proofread/packs';
import type { CheckInput, Finding } from '../../../shared/proofread/types';
import { createStore, type Store } from '../state/store';
import type { WorkerReply, WorkerRequest } from './protocol';

/** The part of a Worker the checker uses; tests pass a fake. */
export interface CheckerPort {
  postMessage(message: WorkerRequest): void;
  onmessage: ((event: MessageEvent<WorkerReply>) => void) | null;
  terminate(): void;
}

/** One document to check and the tag its answer is delivered with. */
export interface Checkable<Tag> {
  input: CheckInput;
  tag: Tag;
}

/** The latest answer, tagged with whatever the caller attached to the request it answers. */
export interface ProofreadState<Tag> {
  status: 'idle' | 'waiting' | 'checking' | 'ready' | 'failed';
  findings: Finding[];
  /** The tag of the request the findings belong to (e.g. the editor document they were computed on). */
  tag: Tag | null;
  error: string | null;
  /** 字数, paragraphs and reading time of the checked text. */
  counts: ArticleCounts | null;
  elapsedMs: number | null;
}

export interface CheckerOptions {
  debounceMs?: number;
  setTimer?(callback: () => void, ms: number): unknown;
  clearTimer?(handle: unknown): void;
}

/** Quiet time after the last keystroke before a check starts. */
export const CHECK_DEBOUNCE_MS = 400;

/**
 * Debounces check requests and keeps at most one check in the worker: while
 * one runs, only the newest request waits, and an answer to a request that a
 * newer one has superseded is never shown (latest wins).
 */
export class ProofreadChecker<Tag> {
  readonly store: Store<ProofreadState<Tag>>;
  private readonly port: CheckerPort;
  private readonly debounceMs: number;
  private readonly setTimer: (callback: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private timer: unknown = null;
  private seq = 0;
  private inFlight: number | null = null;
  private inFlightTag: Tag | null = null;
  /** Builds the input only when the check starts, so typing never pays for serialising the document. */
  private queued: (() => Checkable<Tag>) | null = null;
  private hasPacks = false;
  private disposed = false;

  constructor(port: CheckerPort, options: CheckerOptions = {}) {
    this.port = port;
    this.debounceMs = options.debounceMs ?? CHECK_DEBOUNCE_MS;
    this.setTimer = options.setTimer ?? ((callback, ms) => globalThis.setTimeout(callback, ms));
    this.clearTimer = options.clearTimer ?? ((handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>));
    this.store = createStore<ProofreadState<Tag>>({ status: 'idle', findings: [], tag: null, error: null, counts: null, elapsedMs: null });
    this.port.onmessage = (event) => this.onReply(event.data);
  }

  /** Hands the worker the rule packs; a waiting request is checked once they are there. */
  setPacks(packs: RulePacks): void {
    if (this.disposed) return;
    this.port.postMessage({ type: 'packs', packs });
    this.hasPacks = true;
    this.pump();
  }

  /** Asks for a check after the debounce; a later call replaces an earlier one. */
  request(produce: () => Checkable<Tag>): void {
    if (this.disposed) return;
    this.queued = produce;
    // Once waiting, further keystrokes change nothing shown: a new state object would re-render the editor screen on each one.
    this.store.set((state) => (state.status === 'checking' || state.status === 'waiting' ? state : { ...state, status: 'waiting' }));
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = this.setTimer(() => {
      this.timer = null;
      this.pump();
    }, this.debounceMs);
  }

  /** Checks `input` without waiting (e.g. right before a submit). */
  requestNow(produce: () => Checkable<Tag>): void {
    if (this.disposed) return;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    this.queued = produce;
    this.pump();
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer !== null) this.clearTimer(this.timer);
    this.port.onmessage = null;
    this.port.terminate();
  }

  private pump(): void {
    if (this.disposed || !this.hasPacks || this.inFlight !== null || this.timer !== null || !this.queued) return;
    const produce = this.queued;
    this.queued = null;
    let checkable: Checkable<Tag>;
    try {
      checkable = produce();
    } catch (error) {
      this.store.set((state) => ({ ...state, status: 'failed', error: error instanceof Error ? error.message : String(error) }));
      return;
    }
    const { input, tag } = checkable;
    this.seq += 1;
    this.inFlight = this.seq;
    this.inFlightTag = tag;
    this.store.set((state) => ({ ...state, status: 'checking' }));
    this.port.postMessage({ type: 'check', seq: this.seq, input });
  }

  private onReply(reply: WorkerReply): void {
    if (reply.seq !== this.inFlight) return;
    const tag = this.inFlightTag;
    this.inFlight = null;
    this.inFlightTag = null;
    const superseded = this.queued !== null;
    if (!superseded) {
      if (reply.type === 'result') {
        this.store.set({ status: 'ready', findings: reply.findings, tag, error: null, counts: reply.counts, elapsedMs: reply.elapsedMs });
      } else {
        this.store.set((state) => ({ ...state, status: 'failed', error: reply.message }));
      }
    }
    this.pump();
  }
}

/**
 * The real worker; Vite bundles worker.ts as its own file, which the CSP's
 * worker-src 'self' allows (from app://gazette/ as from the web host). Should
 * the worker fail to start (a browser without module workers, say), the checks
 * run on the page in idle time instead: slower, but the writer still gets them.
 */
export function startProofreadWorker(): CheckerPort {
  let worker: Worker | null = null;
  let fallback: CheckerPort | null = null;
  let lastPacks: WorkerRequest | null = null;
  let pendingCheck: WorkerRequest | null = null;
  const port: CheckerPort = {
    onmessage: null,
    postMessage(message) {
      if (message.type === 'packs') lastPacks = message;
      else pendingCheck = message;
      (fallback ?? worker)?.postMessage(message);
    },
    terminate() {
      worker?.terminate();
      fallback?.terminate();
    },
  };
  const switchToPage = () => {
    if (fallback) return;
    worker?.terminate();
    worker = null;
    fallback = inlinePort();
    fallback.onmessage = (event) => port.onmessage?.(event);
    if (lastPacks) fallback.postMessage(lastPacks);
    if (pendingCheck) fallback.postMessage(pendingCheck);
  };
  try {
    worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'gazette-proofread' });
    worker.onmessage = (event: MessageEvent<WorkerReply>) => {
      pendingCheck = null;
      port.onmessage?.(event);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      switchToPage();
    };
  } catch {
    switchToPage();
  }
  return port;
}

/** Runs the engine on the page, one check per macrotask; loaded only when the worker cannot start. */
function inlinePort(): CheckerPort {
  let packs: RulePacks | null = null;
  const answering = import('./answer');
  const port: CheckerPort = {
    onmessage: null,
    postMessage(message) {
      if (message.type === 'packs') {
        packs = message.packs;
        return;
      }
      void answering.then(({ answerCheck }) => {
        port.onmessage?.({ data: answerCheck(message, packs) } as MessageEvent<WorkerReply>);
      });
    },
    terminate() {
      port.onmessage = null;
    },
  };
  return port;
}
