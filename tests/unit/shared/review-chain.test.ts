import { describe, expect, it } from 'vitest';
import { reviewApiError } from '../../../shared/api/errors';
import {
  type Approval,
  approvalStatement,
  approve,
  can,
  comment,
  defaultReviewChain,
  initialReviewState,
  isFullyApproved,
  type Person,
  PersonSchema,
  REVIEW_ACTIONS,
  type ReviewAction,
  type ReviewChain,
  ReviewChainSchema,
  ReviewError,
  type ReviewErrorCode,
  ReviewEventSchema,
  type ReviewState,
  ReviewStateSchema,
  recordEdit,
  requestChanges,
  reviewQueue,
  submit,
  type TransitionResult,
} from '../../../shared/workflow/review-chain';

const H1 = '1'.repeat(64);
const H2 = '2'.repeat(64);
const H3 = '3'.repeat(64);
const T0 = '2024-03-01T09:00:00.000Z';
const at = (minute: number) => new Date(Date.parse(T0) + minute * 60_000).toISOString();

const person = (id: string, name: string, roles: Person['roles'], active = true): Person =>
  PersonSchema.parse({ id, name, unit: '区政府办公室', roles, active });

const writer = person('w1', '王撰稿', ['writer']);
const writer2 = person('w2', '李撰稿', ['writer']);
const reviewer = person('r0', '赵审核', ['reviewer']);
const r1 = person('r1', '钱初审', ['reviewer']);
const r2 = person('r2', '孙复审', ['reviewer']);
const r3 = person('r3', '周终审', ['reviewer']);
const publisher = person('p1', '吴发布', ['publisher']);
const admin = person('a1', '郑管理', ['admin']);
const disabled = person('x1', '冯停用', ['reviewer', 'writer'], false);

const chain = defaultReviewChain();

function approval(personId: string, stageId: string, hash = H1): Approval {
  return { personId, stageId, at: T0, opinion: '同意', contentHash: hash, signature: null };
}

/** States named for the matrix; `stage2` has 初审 approved by r1, `approved` has all three. */
function states(): Record<string, ReviewState> {
  const base = initialReviewState('article-1');
  const inReview = {
    ...base,
    chain,
    submittedBy: writer.id,
    submittedAt: T0,
    contentHash: H1,
  };
  return {
    draft: { ...base, contentHash: H1 },
    stage1: { ...inReview, status: 'in_review', stageIndex: 0 },
    stage2: { ...inReview, status: 'in_review', stageIndex: 1, approvals: [approval('r1', 'first')] },
    returned: { ...inReview, status: 'changes_requested', stageIndex: null, approvals: [approval('r1', 'first')] },
    approved: {
      ...inReview,
      status: 'approved',
      stageIndex: null,
      approvals: [approval('r1', 'first'), approval('r2', 'second'), approval('r3', 'final')],
    },
    published: { ...inReview, status: 'published', stageIndex: null },
  };
}

function run(action: ReviewAction, state: ReviewState, actor: Person): TransitionResult {
  switch (action) {
    case 'submit':
      return submit(state, actor, { note: '请审核', chain }, at(1), H1);
    case 'approve':
      return approve(state, actor, { opinion: '同意' }, at(1), H1);
    case 'request_changes':
      return requestChanges(state, actor, { reason: '标题需要修改' }, at(1), H1);
    case 'comment':
      return comment(state, actor, { id: 'c1', body: '第二段的数字请核实' }, at(1), H1);
    case 'edit':
      return recordEdit(state, actor, { note: '修改' }, at(1), H2);
  }
}

type Expect = 'ok' | ReviewErrorCode;
const ACTORS = { writer, writer2, reviewer, r1, publisher, admin, disabled } as const;
type ActorName = keyof typeof ACTORS;
const row = (
  writerE: Expect,
  writer2E: Expect,
  reviewerE: Expect,
  r1E: Expect,
  publisherE: Expect,
  adminE: Expect,
): Record<ActorName, Expect> => ({
  writer: writerE,
  writer2: writer2E,
  reviewer: reviewerE,
  r1: r1E,
  publisher: publisherE,
  admin: adminE,
  disabled: 'inactive_person',
});
const allRefused = (code: ReviewErrorCode) => row(code, code, code, code, code, code);

/**
 * Expected outcome of every action for every role in every state. `writer`
 * submitted the article; `r1` approved 初审 where the state has that approval;
 * `reviewer` is a reviewer with no approval on this article.
 */
const MATRIX: Record<string, Record<ReviewAction, Record<ActorName, Expect>>> = {
  draft: {
    submit: row('ok', 'ok', 'not_writer', 'not_writer', 'not_writer', 'not_writer'),
    approve: allRefused('wrong_status'),
    request_changes: allRefused('wrong_status'),
    comment: allRefused('wrong_status'),
    edit: row('ok', 'ok', 'not_writer', 'not_writer', 'not_writer', 'not_writer'),
  },
  stage1: {
    submit: allRefused('wrong_status'),
    approve: row('not_stage_reviewer', 'not_stage_reviewer', 'ok', 'ok', 'not_stage_reviewer', 'not_stage_reviewer'),
    request_changes: row('not_stage_reviewer', 'not_stage_reviewer', 'ok', 'ok', 'not_stage_reviewer', 'not_stage_reviewer'),
    comment: row('ok', 'ok', 'ok', 'ok', 'not_participant', 'not_participant'),
    edit: row('locked', 'locked', 'ok', 'ok', 'not_stage_reviewer', 'not_stage_reviewer'),
  },
  stage2: {
    submit: allRefused('wrong_status'),
    approve: row('not_stage_reviewer', 'not_stage_reviewer', 'ok', 'already_approved_other_stage', 'not_stage_reviewer', 'not_stage_reviewer'),
    request_changes: row('not_stage_reviewer', 'not_stage_reviewer', 'ok', 'already_approved_other_stage', 'not_stage_reviewer', 'not_stage_reviewer'),
    comment: row('ok', 'ok', 'ok', 'ok', 'not_participant', 'not_participant'),
    edit: row('locked', 'locked', 'ok', 'ok', 'not_stage_reviewer', 'not_stage_reviewer'),
  },
  returned: {
    submit: row('ok', 'ok', 'not_writer', 'not_writer', 'not_writer', 'not_writer'),
    approve: allRefused('wrong_status'),
    request_changes: allRefused('wrong_status'),
    comment: row('ok', 'ok', 'ok', 'ok', 'not_participant', 'not_participant'),
    edit: row('ok', 'ok', 'not_writer', 'not_writer', 'not_writer', 'not_writer'),
  },
  approved: {
    submit: allRefused('wrong_status'),
    approve: allRefused('wrong_status'),
    request_changes: allRefused('wrong_status'),
    comment: row('ok', 'ok', 'ok', 'ok', 'not_participant', 'not_participant'),
    edit: row('locked', 'locked', 'ok', 'ok', 'not_stage_reviewer', 'not_stage_reviewer'),
  },
  published: {
    submit: allRefused('wrong_status'),
    approve: allRefused('wrong_status'),
    request_changes: allRefused('wrong_status'),
    comment: allRefused('wrong_status'),
    edit: allRefused('wrong_status'),
  },
};

describe('permission matrix: every role × every transition × every state', () => {
  const cases: [string, ReviewAction, ActorName, Expect][] = [];
  for (const [stateName, byAction] of Object.entries(MATRIX)) {
    for (const action of REVIEW_ACTIONS) {
      for (const actorName of Object.keys(ACTORS) as ActorName[]) {
        cases.push([stateName, action, actorName, byAction[action][actorName]]);
      }
    }
  }

  it('covers all states, actions and actors', () => {
    expect(cases.length).toBe(6 * REVIEW_ACTIONS.length * Object.keys(ACTORS).length);
    expect(cases.filter((c) => c[3] === 'ok').length).toBeGreaterThan(20);
  });

  it.each(cases)('%s: %s by %s → %s', (stateName, action, actorName, expected) => {
    const state = states()[stateName]!;
    const actor = ACTORS[actorName];
    const check = can(actor, action, state, chain);
    if (expected === 'ok') {
      expect(check).toEqual({ allowed: true });
      const result = run(action, state, actor);
      expect(result.events.length).toBeGreaterThan(0);
      for (const event of result.events) expect(event.actorId).toBe(actor.id);
      expect(() => ReviewStateSchema.parse(JSON.parse(JSON.stringify(result.state)))).not.toThrow();
    } else {
      expect(check.allowed).toBe(false);
      if (!check.allowed) expect(check.error.code).toBe(expected);
      let thrown: unknown;
      try {
        run(action, state, actor);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ReviewError);
      expect((thrown as ReviewError).code).toBe(expected);
      expect((thrown as ReviewError).message).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});

describe('permission details', () => {
  it('a submitter who is also a reviewer may neither approve nor edit their own article', () => {
    const both = person('wr', '陈兼任', ['writer', 'reviewer']);
    const state = { ...states().stage1!, submittedBy: both.id };
    const refusal = can(both, 'approve', state, chain);
    expect(refusal.allowed || refusal.error.code).toBe('own_article');
    const editRefusal = can(both, 'edit', state, chain);
    expect(editRefusal.allowed || editRefusal.error.code).toBe('locked');
  });

  it('a writer who is also a reviewer may act on someone else’s article', () => {
    const both = person('wr', '陈兼任', ['writer', 'reviewer']);
    expect(can(both, 'approve', states().stage1!, chain)).toEqual({ allowed: true });
    expect(can(both, 'edit', states().stage1!, chain)).toEqual({ allowed: true });
  });

  it('a stage that names people admits only them; a stage without edit rights refuses edits', () => {
    const strict: ReviewChain = ReviewChainSchema.parse({
      stages: [
        { id: 'first', name: '初审', people: ['r1'], mayEdit: false },
        { id: 'final', name: '终审', roles: ['admin'] },
      ],
    });
    const state: ReviewState = { ...states().stage1!, chain: strict };
    const r2Check = can(r2, 'approve', state, strict);
    expect(r2Check.allowed || r2Check.error.code).toBe('not_stage_reviewer');
    expect(r2Check.allowed || r2Check.error.message).toContain('初审');
    expect(can(r1, 'approve', state, strict)).toEqual({ allowed: true });
    const editCheck = can(r1, 'edit', state, strict);
    expect(editCheck.allowed || editCheck.error.code).toBe('no_edit_rights');
    const atFinal: ReviewState = { ...state, stageIndex: 1, approvals: [approval('r1', 'first')] };
    expect(can(admin, 'approve', atFinal, strict)).toEqual({ allowed: true });
  });

  it('an article in review follows the chain it was submitted under, not later office changes', () => {
    const officeNow = ReviewChainSchema.parse({ stages: [{ id: 'first', name: '初审', people: ['r3'] }] });
    const check = can(reviewer, 'approve', states().stage1!, officeNow);
    expect(check).toEqual({ allowed: true });
    const r3check = can(r3, 'approve', states().stage1!, officeNow);
    expect(r3check).toEqual({ allowed: true });
  });

  it('without distinctReviewers one person may approve several stages', () => {
    const relaxed = { ...chain, distinctReviewers: false };
    const state = { ...states().stage2!, chain: relaxed };
    expect(can(r1, 'approve', state, relaxed)).toEqual({ allowed: true });
  });

  it('maps refusals onto API errors: permission → forbidden, state → conflict, input → invalid_request', () => {
    expect(reviewApiError(new ReviewError('locked', { status: '审核中' })).code).toBe('forbidden');
    expect(reviewApiError(new ReviewError('wrong_status', { status: '草稿', action: '审核通过' })).code).toBe('conflict');
    expect(reviewApiError(new ReviewError('reason_required')).code).toBe('invalid_request');
  });

  it('rejects chains with duplicate stage ids or a stage nobody may act on', () => {
    expect(
      ReviewChainSchema.safeParse({ stages: [{ id: 'a', name: '初审', roles: ['reviewer'] }, { id: 'a', name: '终审', roles: ['reviewer'] }] })
        .success,
    ).toBe(false);
    expect(ReviewChainSchema.safeParse({ stages: [{ id: 'a', name: '初审' }] }).success).toBe(false);
    expect(ReviewChainSchema.safeParse({ stages: [] }).success).toBe(false);
    expect(defaultReviewChain().stages.map((s) => s.name)).toEqual(['初审', '复审', '终审']);
  });
});

describe('the review workflow', () => {
  /** Applies a result and keeps the audit log, as the service will. */
  function journal() {
    const events: TransitionResult['events'] = [];
    const revisions: string[] = [];
    const apply = (result: TransitionResult) => {
      events.push(...result.events);
      if (result.revision) revisions.push(result.revision.name);
      return result.state;
    };
    return { events, revisions, apply };
  }

  it('runs the whole three-stage scenario: approve, request changes, edit, reset, approve all three', () => {
    const log = journal();
    let state = log.apply(recordEdit(initialReviewState('article-1'), writer, {}, at(0), H1));
    state = log.apply(submit(state, writer, { note: '请审核', chain }, at(1), H1));
    expect(state).toMatchObject({ status: 'in_review', stageIndex: 0, submittedBy: 'w1' });

    state = log.apply(approve(state, r1, { opinion: '同意', expectedHash: H1 }, at(2), H1));
    expect(state).toMatchObject({ status: 'in_review', stageIndex: 1 });

    state = log.apply(comment(state, r2, { id: 'c1', body: '“150余人”请核实', anchor: { quote: '150余人', prefix: '共计', suffix: '参加', start: 10, end: 15 } }, at(3), H1));
    state = log.apply(requestChanges(state, r2, { reason: '参会人数需要核实' }, at(4), H1));
    expect(state.status).toBe('changes_requested');
    expect(state.notice).toContain('参会人数需要核实');
    expect(state.notice).toContain('孙复审');
    expect(state.approvals.map((a) => a.stageId)).toEqual(['first']);
    expect(state.comments[0]).toMatchObject({ authorId: 'r2', stageId: 'second', body: '“150余人”请核实' });

    state = log.apply(recordEdit(state, writer, { note: '核实人数' }, at(5), H2));
    expect(state.status).toBe('changes_requested');
    expect(state.approvals).toEqual([]);
    expect(state.invalidatedApprovals).toHaveLength(1);
    expect(state.invalidatedApprovals[0]).toMatchObject({ personId: 'r1', stageId: 'first', contentHash: H1 });
    expect(state.notice).toContain('初审');

    state = log.apply(submit(state, writer, { note: '已修改', chain }, at(6), H2));
    expect(state).toMatchObject({ status: 'in_review', stageIndex: 0 });
    state = log.apply(approve(state, r1, { opinion: '同意' }, at(7), H2));
    state = log.apply(approve(state, r2, { opinion: '同意' }, at(8), H2));
    state = log.apply(approve(state, r3, { opinion: '同意发布' }, at(9), H2));
    expect(state).toMatchObject({ status: 'approved', stageIndex: null, notice: null });
    expect(isFullyApproved(state, H2)).toBe(true);
    expect(isFullyApproved(state, H1)).toBe(false);
    expect(state.approvals.map((a) => [a.stageId, a.personId, a.contentHash])).toEqual([
      ['first', 'r1', H2],
      ['second', 'r2', H2],
      ['final', 'r3', H2],
    ]);

    expect(log.events.map((e) => e.type)).toEqual([
      'edit',
      'submit',
      'approve',
      'comment',
      'request_changes',
      'edit',
      'invalidate',
      'submit',
      'approve',
      'approve',
      'approve',
    ]);
    for (const event of log.events) expect(() => ReviewEventSchema.parse(event)).not.toThrow();
    const times = log.events.map((e) => e.at);
    expect([...times].sort()).toEqual(times);
    expect(log.revisions).toEqual(['提交审核', '初审通过', '复审退回修改', '提交审核', '初审通过', '复审通过', '终审通过']);
  });

  it('queues for each reviewer what waits at a stage they may act on, oldest arrival first', () => {
    const enter = (id: string, minute: number) =>
      submit({ ...initialReviewState(id), contentHash: H1 }, writer, { note: '', chain }, at(minute), H1).state;
    const newer = { id: 'newer', review: enter('newer', 30) };
    const older = { id: 'older', review: enter('older', 10) };
    const passedFirst = { id: 'passed', review: approve(enter('passed', 5), r1, { opinion: '同意' }, at(40), H1).state };
    const draft = { id: 'draft', review: initialReviewState('draft') };
    const items = [newer, draft, passedFirst, older];
    expect(reviewQueue(reviewer, items, chain).map((i) => i.id)).toEqual(['older', 'newer', 'passed']);
    // r1 approved 初审 of "passed", so the four-eyes rule keeps its 复审 out of r1's queue.
    expect(reviewQueue(r1, items, chain).map((i) => i.id)).toEqual(['older', 'newer']);
    expect(reviewQueue(writer, items, chain)).toEqual([]);
    expect(passedFirst.review.stageEnteredAt).toBe(at(40));
  });

  it('resumes at the stage that asked for changes when the text did not change', () => {
    let state = states().returned!;
    state = submit(state, writer, { note: '无需修改，请再看', chain }, at(1), H1).state;
    expect(state).toMatchObject({ status: 'in_review', stageIndex: 1 });
    expect(state.approvals).toHaveLength(1);
  });

  it('a reviewer’s correction is attributed to them and, where the chain says so, sends the article back to the first stage', () => {
    const strict = ReviewChainSchema.parse({ ...chain, onCorrection: { kind: 'returnTo', stageId: 'first' } });
    const result = recordEdit({ ...states().stage2!, chain: strict }, r2, { note: '改正错别字' }, at(1), H2);
    expect(result.state).toMatchObject({ status: 'in_review', stageIndex: 0, contentHash: H2, approvals: [] });
    expect(result.state.notice).toBe('孙复审在“复审”环节修改了文稿，按本审核流程的设置退回“初审”重新审核：“初审”的审核意见已失效');
    expect(result.events.map((e) => e.type)).toEqual(['edit', 'invalidate', 'reopen']);
    expect(result.events[0]).toMatchObject({ actorId: 'r2', stageId: 'second', previousHash: H1, contentHash: H2 });
    expect(result.revision?.name).toBe('孙复审在复审中修改');
  });

  it('a correction at the first stage keeps the article where it is', () => {
    const result = recordEdit(states().stage1!, r1, {}, at(1), H2);
    expect(result.state).toMatchObject({ status: 'in_review', stageIndex: 0 });
    expect(result.events.map((e) => e.type)).toEqual(['edit']);
    expect(result.revision).not.toBeNull();
  });

  it('editing an approved article withdraws every approval and restarts review at 初审', () => {
    const result = recordEdit(states().approved!, r3, { note: '终审改标题' }, at(1), H3);
    expect(result.state).toMatchObject({ status: 'in_review', stageIndex: 0, approvals: [] });
    expect(result.state.invalidatedApprovals.map((a) => a.stageId)).toEqual(['first', 'second', 'final']);
    expect(result.state.notice).toContain('“初审”、“复审”、“终审”');
    expect(isFullyApproved(result.state, H3)).toBe(false);
  });

  it('an autosave of unchanged text by a locked writer is a silent no-op', () => {
    const state = states().stage2!;
    const result = recordEdit(state, writer, {}, at(1), H1);
    expect(result).toEqual({ state, events: [], revision: null });
  });

  it('refuses to approve text that changed since the reviewer opened it', () => {
    const state = states().stage1!;
    expect(() => approve(state, r1, { opinion: '同意', expectedHash: H2 }, at(1), H1)).toThrow(/已被修改/);
    // An edit the store never recorded: the state still says H1 but the text is H2.
    expect(() => approve(state, r1, { opinion: '同意' }, at(1), H2)).toThrow(ReviewError);
    expect(() => requestChanges(state, r1, { reason: '请改', expectedHash: H3 }, at(1), H1)).toThrow(ReviewError);
  });

  it('requires a reason to request changes and a body for comments, with limits', () => {
    const state = states().stage1!;
    expect(() => requestChanges(state, r1, { reason: '   ' }, at(1), H1)).toThrow(expect.objectContaining({ code: 'reason_required' }));
    expect(() => comment(state, r1, { id: 'c', body: '' }, at(1), H1)).toThrow(expect.objectContaining({ code: 'comment_required' }));
    expect(() => comment(state, r1, { id: 'c', body: '长'.repeat(10_001) }, at(1), H1)).toThrow(
      expect.objectContaining({ code: 'comment_too_long' }),
    );
  });

  it('stores the reviewer’s signature on the approval and its event', () => {
    const signature = { keyId: 'k1', value: 'c2lnbmF0dXJl' };
    const result = approve(states().stage1!, r1, { opinion: '同意', signature }, at(1), H1);
    expect(result.state.approvals[0]?.signature).toEqual(signature);
    expect(result.events[0]).toMatchObject({ type: 'approve', signature, final: false });
  });

  it('drops approvals of stages the office removed when the writer resubmits', () => {
    const shorter = ReviewChainSchema.parse({ stages: [{ id: 'second', name: '复审', roles: ['reviewer'] }, { id: 'final', name: '终审', roles: ['reviewer'] }] });
    const result = submit(states().returned!, writer, { note: '', chain: shorter }, at(1), H1);
    expect(result.state.approvals).toEqual([]);
    expect(result.state.invalidatedApprovals[0]?.reason).toContain('不再包含“初审”');
    expect(result.state).toMatchObject({ stageIndex: 0, chain: shorter });
  });

  it('binds the approval statement to article, stage, person, time, opinion and hash', () => {
    const base = approval('r1', 'first');
    const statement = approvalStatement('article-1', base);
    expect(statement).toContain(H1);
    const variants = [
      approvalStatement('article-2', base),
      approvalStatement('article-1', { ...base, stageId: 'second' }),
      approvalStatement('article-1', { ...base, personId: 'r2' }),
      approvalStatement('article-1', { ...base, at: at(5) }),
      approvalStatement('article-1', { ...base, opinion: '不同意' }),
      approvalStatement('article-1', { ...base, contentHash: H2 }),
    ];
    for (const variant of variants) expect(variant).not.toBe(statement);
    const signed: Approval = { ...base, signature: { keyId: 'k', value: 'v' } };
    expect(approvalStatement('article-1', signed)).toBe(statement);
  });
});
