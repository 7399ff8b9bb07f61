import type { CheckInput, Finding } from '../../../shared/proofread/types';
import type { ArticleCounts } from '../../../shared/proofread/engine';
import type { RulePacks } from '../../../shared/proofread/packs';

/** What the editor posts to the proofreading worker. */
export type WorkerRequest =
  | { type: 'packs'; packs: RulePacks }
  | { type: 'check'; seq: number; input: CheckInput };

/** What the worker posts back. */
export type WorkerReply =
  | { type: 'result'; seq: number; findings: Finding[]; counts: ArticleCounts; elapsedMs: number }
  | { type: 'error'; seq: number; message: string };
