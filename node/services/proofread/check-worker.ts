import { parentPort, workerData } from 'node:worker_threads';
import { type CheckOptions, checkArticle, setAutomatonStore } from '../../../shared/proofread/engine';
import type { RulePacks } from '../../../shared/proofread/packs';
import type { CheckInput, Finding } from '../../../shared/proofread/types';
import { FileAutomatonStore } from './automaton-cache';

/*
 * The proofreading thread of the host and the CLI. A check of a pathological
 * article can take seconds; here it never holds up the API both transports
 * answer on, and the main thread can stop it at its time limit. The packs
 * arrive once (and again after a change), so the compiled automaton and the
 * segmentation dictionary stay warm between checks.
 */

export type CheckWorkerRequest =
  | { id: number; op: 'packs'; packs: RulePacks; cacheDir?: string }
  | { id: number; op: 'check'; input: CheckInput; options: CheckOptions };

export type CheckWorkerReply = { id: number; ok: true; findings: Finding[] } | { id: number; ok: false; error: string };

export const CHECK_WORKER_MARK = 'gazette-proofread-worker';

if (parentPort && (workerData as { mark?: string } | null)?.mark === CHECK_WORKER_MARK) {
  const port = parentPort;
  let packs: RulePacks = [];
  port.on('message', (request: CheckWorkerRequest) => {
    if (request.op === 'packs') {
      packs = request.packs;
      setAutomatonStore(request.cacheDir ? new FileAutomatonStore(request.cacheDir) : null);
      port.postMessage({ id: request.id, ok: true, findings: [] } satisfies CheckWorkerReply);
      return;
    }
    try {
      port.postMessage({ id: request.id, ok: true, findings: checkArticle(request.input, packs, request.options) } satisfies CheckWorkerReply);
    } catch (error) {
      port.postMessage({ id: request.id, ok: false, error: error instanceof Error ? error.message : String(error) } satisfies CheckWorkerReply);
    }
  });
}
