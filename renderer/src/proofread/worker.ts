/// <reference lib="webworker" />
import { articleCounts, checkArticle } from '../../../shared/proofread/engine';
import type { RulePacks } from '../../../shared/proofread/packs';
import type { WorkerReply, WorkerRequest } from './protocol';

/**
 * Runs the checks off the main thread so typing never waits on them. The packs
 * arrive once (and again after a settings change); every check carries its
 * sequence number so the page can drop answers to texts already edited away.
 */
const scope = self as unknown as DedicatedWorkerGlobalScope;
let packs: RulePacks | null = null;

scope.onmessage = (event: MessageEvent<WorkerRequest>) => {
  const request = event.data;
  if (request.type === 'packs') {
    packs = request.packs;
    return;
  }
  let reply: WorkerReply;
  try {
    if (!packs) throw new Error('rule packs not loaded');
    const started = performance.now();
    const findings = checkArticle(request.input, packs);
    const elapsedMs = performance.now() - started;
    reply = { type: 'result', seq: request.seq, findings, counts: articleCounts(request.input), elapsedMs };
  } catch (error) {
    reply = { type: 'error', seq: request.seq, message: error instanceof Error ? error.message : String(error) };
  }
  scope.postMessage(reply);
};
