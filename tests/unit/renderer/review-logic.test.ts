import { describe, expect, it } from 'vitest';
import type { ReviewView } from '../../../shared/api/contract';
import type { RevisionSummary } from '../../../shared/domain/article';
import { defaultReviewChain, initialReviewState, type ReviewState } from '../../../shared/workflow/review-chain';
import { addStage, chainProblem, moveStage, removeStage, toggle, updateStage } from '../../../renderer/src/review/chain-edit';
import { defaultDiffSides, editingMode, eventDetail, stageProgress, submitButton } from '../../../renderer/src/review/review-logic';
import { type MessageKey, type MessageParams, translate } from '../../../shared/i18n';

const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);
const chain = defaultReviewChain();

function inReview(stageIndex: number, approvals: ReviewState['approvals']): ReviewState {
  return { ...initialReviewState('art-1'), status: 'in_review', stageIndex, chain, approvals, contentHash: HASH_A };
}

const approval = (stageId: string, contentHash: string) => ({
  personId: 'p1',
  stageId,
  at: '2021-05-20T09:00:00Z',
  opinion: '同意',
  contentHash,
  signature: null,
});

const abilities = (edit: boolean): ReviewView['canAct'] => ({ submit: false, approve: false, requestChanges: false, comment: true, edit });

describe('stage progress', () => {
  it('shows 初审 done, 复审 current, 终审 pending', () => {
    const steps = stageProgress({ state: inReview(1, [approval('first', HASH_A)]), currentHash: HASH_A }, null);
    expect(steps.map((s) => [s.name, s.status])).toEqual([
      ['初审', 'done'],
      ['复审', 'current'],
      ['终审', 'pending'],
    ]);
  });

  it('does not count an approval of different text as done', () => {
    const steps = stageProgress({ state: inReview(0, [approval('first', HASH_B)]), currentHash: HASH_A }, null);
    expect(steps[0]!.status).toBe('current');
    expect(steps[0]!.approval).toBeNull();
  });

  it('uses the office chain for a never-submitted article', () => {
    const steps = stageProgress({ state: initialReviewState('art-1'), currentHash: HASH_A }, chain);
    expect(steps.map((s) => s.status)).toEqual(['pending', 'pending', 'pending']);
  });
});

describe('editing mode', () => {
  it('lets the writer edit a draft and a returned article', () => {
    for (const status of ['draft', 'changes_requested'] as const) {
      const state = { ...initialReviewState('a'), status };
      expect(editingMode({ state, canAct: abilities(true) }, false)).toEqual({ readOnly: false, reviewerMayEdit: false });
    }
  });

  it('locks the text for someone who may not edit', () => {
    expect(editingMode({ state: inReview(0, []), canAct: abilities(false) }, true).readOnly).toBe(true);
    expect(editingMode(null, false).readOnly).toBe(true);
  });

  it('keeps a reviewer with edit rights read-only until they switch to editing', () => {
    const view = { state: inReview(1, []), canAct: abilities(true) };
    expect(editingMode(view, false)).toEqual({ readOnly: true, reviewerMayEdit: true });
    expect(editingMode(view, true)).toEqual({ readOnly: false, reviewerMayEdit: true });
  });
});

describe('default comparison', () => {
  const revision = (id: string, createdAt: string): RevisionSummary => ({ id, articleId: 'a', name: id, createdAt });

  it('compares the revision before the latest with the current text', () => {
    const sides = defaultDiffSides([
      revision('r3', '2021-05-20T10:00:00Z'),
      revision('r1', '2021-05-20T08:00:00Z'),
      revision('r2', '2021-05-20T09:00:00Z'),
    ]);
    expect(sides).toEqual({ from: 'r2', to: 'current' });
  });

  it('offers nothing without revisions', () => {
    expect(defaultDiffSides([])).toBeNull();
  });
});

describe('review chain editing', () => {
  it('adds a stage with a fresh id and reorders without changing ids', () => {
    const added = addStage(chain, '政审');
    expect(added.stages.map((s) => s.name)).toEqual(['初审', '复审', '终审', '政审']);
    expect(new Set(added.stages.map((s) => s.id)).size).toBe(4);
    const moved = moveStage(added, 3, -1);
    expect(moved.stages.map((s) => s.name)).toEqual(['初审', '复审', '政审', '终审']);
    expect(moved.stages[2]!.id).toBe(added.stages[3]!.id);
    expect(moveStage(moved, 0, -1)).toBe(moved);
  });

  it('keeps at least one stage', () => {
    let one = removeStage(removeStage(chain, 0), 0);
    expect(one.stages.map((s) => s.name)).toEqual(['终审']);
    one = removeStage(one, 0);
    expect(one.stages).toHaveLength(1);
  });

  it('refuses a stage nobody may act on, naming it', () => {
    const nobody = updateStage(chain, 1, { roles: toggle(chain.stages[1]!.roles, 'reviewer', false) });
    expect(chainProblem(nobody)).toEqual({ key: 'nobody', stage: '复审' });
    expect(chainProblem(updateStage(nobody, 1, { people: ['p-zhang'] }))).toBeNull();
    expect(chainProblem(updateStage(chain, 0, { name: '  ' }))).toEqual({ key: 'emptyName', stage: '1' });
  });
});

describe('audit trail entry for a proofreading override', () => {
  const override = {
    type: 'proofread_override' as const,
    at: '2021-05-20T09:00:00Z',
    actorId: 'p-li',
    contentHash: HASH_A,
    rule: 'protected-term:中华人民共和国',
    text: '中华人民共合国',
    start: 0,
    message: '“中华人民共合国”疑似“中华人民共和国”的误写',
    messageKey: 'proof.finding.protectedNearMiss',
    params: { text: '中华人民共合国', term: '中华人民共和国' },
    reason: '引用原文，保留原貌',
  };
  const zh = (key: MessageKey, params?: MessageParams) => translate('zh-CN', key, params);
  const en = (key: MessageKey, params?: MessageParams) => translate('en', key, params);

  it('shows what was let through and why, in the reader\'s language', () => {
    expect(eventDetail(override, zh, 'zh-CN')).toBe('“中华人民共合国”：“中华人民共合国”疑似“中华人民共和国”的误写。放行理由：引用原文，保留原貌');
    const english = eventDetail(override, en, 'en');
    expect(english).toBe('"中华人民共合国": "中华人民共合国" looks like a misspelling of "中华人民共和国". Reason: 引用原文，保留原貌');
  });

  it('falls back to the recorded Chinese message for an entry without a message key', () => {
    const { messageKey: _key, params: _params, ...old } = override;
    expect(eventDetail(old, en, 'en')).toBe('"中华人民共合国": “中华人民共合国”疑似“中华人民共和国”的误写. Reason: 引用原文，保留原貌');
  });

  it('leaves out the quoted text for a metadata finding', () => {
    const { messageKey: _key, params: _params, ...old } = override;
    const detail = eventDetail({ ...old, text: '', message: '来源“区党证办”疑似“区党政办”的误写' }, zh, 'zh-CN');
    expect(detail).toBe('来源“区党证办”疑似“区党政办”的误写。放行理由：引用原文，保留原貌');
  });
});

describe('提交审核 in the editor’s toolbar', () => {
  const may = (submit: boolean): ReviewView['canAct'] => ({ ...abilities(true), submit });
  const reason = '“通知”有同步冲突待处理：两台电脑改了同一段，请先在编辑器里逐段决定保留哪一方，再提交审核';

  it('is disabled with the services’ reason while the article is 冲突待处理, and enabled once decided', () => {
    expect(submitButton({ canAct: may(true), submitBlocked: reason })).toEqual({ shown: true, disabledReason: reason });
    expect(submitButton({ canAct: may(true), submitBlocked: null })).toEqual({ shown: true, disabledReason: null });
  });

  it('is not offered to someone the review rules do not let submit, conflict or not', () => {
    expect(submitButton({ canAct: may(false), submitBlocked: reason }).shown).toBe(false);
    expect(submitButton(null).shown).toBe(false);
  });
});
