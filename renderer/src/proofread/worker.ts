/// <reference lib="webworker" />
import type { RulePacks } from '../../../shared/proofread/packs';
import { answerCheck } from './answer';
import type { WorkerRequest } from './protocol';

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
  scope.postMessage(answerCheck(request, packs));
};
