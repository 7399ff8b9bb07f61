import { articleCounts, checkArticle } from '../../../shared/proofread/engine';
import type { RulePacks } from '../../../shared/proofread/packs';
import type { WorkerReply, WorkerRequest } from './protocol';

/** One check request answered: findings, counts and the time the check took, or why it failed. */
export function answerCheck(request: Extract<WorkerRequest, { type: 'check' }>, packs: RulePacks | null): WorkerReply {
  try {
    if (!packs) throw new Error('rule packs not loaded');
    const started = performance.now();
    const findings = checkArticle(request.input, packs);
    const elapsedMs = performance.now() - started;
    return { type: 'result', seq: request.seq, findings, counts: articleCounts(request.input), elapsedMs };
  } catch (error) {
    return { type: 'error', seq: request.seq, message: error instanceof Error ? error.message : String(error) };
  }
}
