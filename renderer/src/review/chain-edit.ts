import { type ReviewChain, type ReviewStage, type Role, ReviewChainSchema } from '../../../shared/workflow/review-chain';

/** A new stage id not used in the chain (ids must stay stable: approvals refer to them). */
export function newStageId(chain: ReviewChain): string {
  const taken = new Set(chain.stages.map((s) => s.id));
  for (let n = chain.stages.length + 1; ; n++) {
    const id = `stage${n}`;
    if (!taken.has(id)) return id;
  }
}

/** Appends a stage open to reviewers. */
export function addStage(chain: ReviewChain, name: string): ReviewChain {
  const stage: ReviewStage = { id: newStageId(chain), name, people: [], roles: ['reviewer'], mayEdit: true };
  return { ...chain, stages: [...chain.stages, stage] };
}

/** Removes a stage; the chain keeps at least one. */
export function removeStage(chain: ReviewChain, index: number): ReviewChain {
  if (chain.stages.length <= 1) return chain;
  return { ...chain, stages: chain.stages.filter((_, i) => i !== index) };
}

/** Moves a stage up (-1) or down (+1); out of range is a no-op. */
export function moveStage(chain: ReviewChain, index: number, delta: -1 | 1): ReviewChain {
  const target = index + delta;
  if (target < 0 || target >= chain.stages.length) return chain;
  const stages = [...chain.stages];
  const [moved] = stages.splice(index, 1);
  stages.splice(target, 0, moved!);
  return { ...chain, stages };
}

/** Changes one stage. */
export function updateStage(chain: ReviewChain, index: number, change: Partial<Omit<ReviewStage, 'id'>>): ReviewChain {
  return { ...chain, stages: chain.stages.map((stage, i) => (i === index ? { ...stage, ...change } : stage)) };
}

/** Adds or removes a value from a list (roles or people of a stage). */
export function toggle<T>(list: readonly T[], value: T, on: boolean): T[] {
  return on ? (list.includes(value) ? [...list] : [...list, value]) : list.filter((item) => item !== value);
}

/** Roles a stage may name. */
export const STAGE_ROLES: readonly Role[] = ['reviewer', 'publisher', 'admin', 'writer'];

/**
 * The correction rule as the settings' select names it: 'keep', 'returnTo:<stage id>',
 * or 'missing' when the stage it returned to was removed (the admin must choose again).
 */
export function correctionChoice(chain: ReviewChain): string {
  const policy = chain.onCorrection;
  if (!policy || policy.kind === 'keep') return 'keep';
  return chain.stages.some((s) => s.id === policy.stageId) ? `returnTo:${policy.stageId}` : 'missing';
}

/**
 * Sets the correction rule from a {@link correctionChoice} value. `keep` is
 * stored as no rule at all, so a chain that keeps the default signs exactly as
 * chains did before the rule existed.
 */
export function setCorrectionChoice(chain: ReviewChain, choice: string): ReviewChain {
  const { onCorrection: _previous, ...rest } = chain;
  if (!choice.startsWith('returnTo:')) return rest;
  return { ...rest, onCorrection: { kind: 'returnTo', stageId: choice.slice('returnTo:'.length) } };
}

/** Why the chain cannot be saved (names the stage), or null when valid. */
export function chainProblem(chain: ReviewChain): { key: 'emptyName' | 'nobody' | 'correctionStage'; stage: string } | null {
  for (const [index, stage] of chain.stages.entries()) {
    if (!stage.name.trim()) return { key: 'emptyName', stage: String(index + 1) };
    if (stage.people.length + stage.roles.length === 0) return { key: 'nobody', stage: stage.name };
  }
  if (correctionChoice(chain) === 'missing') return { key: 'correctionStage', stage: '' };
  return ReviewChainSchema.safeParse(chain).success ? null : { key: 'emptyName', stage: '' };
}
