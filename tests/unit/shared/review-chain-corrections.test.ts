import { describe, expect, it } from 'vitest';
import { nodeRecordCrypto as crypto } from '../../../node/services/record/crypto';
import { entrySigningText, nextEntry, type RecordEntry, type SignedEvent, signedEntry } from '../../../shared/record/entry';
import { policySigningText } from '../../../shared/record/policy';
import { verifyArticleRecord } from '../../../shared/record/verify';
import { canonicalJson } from '../../../shared/workflow/canonical';
import {
  approve,
  defaultReviewChain,
  firstStageNeedingReview,
  initialReviewState,
  isApprovalOfEarlierVersion,
  isFullyApproved,
  type Person,
  PersonSchema,
  type ReviewChain,
  ReviewChainSchema,
  ReviewError,
  type ReviewState,
  ReviewStateSchema,
  recordEdit,
  requestChanges,
  stagesNeedingReview,
  submit,
} from '../../../shared/workflow/review-chain';
import { at as officeAt, office } from '../../support/record-office';
import { signText } from '../../support/signer';

/*
 * 三审三校 as offices run it: a reviewer's correction keeps the approvals of
 * the stages before it (as approvals of the version before the correction),
 * the later stages approve the corrected text, and any other change still
 * sends the article back to review from the start.
 */

const H1 = '1'.repeat(64);
const H2 = '2'.repeat(64);
const H3 = '3'.repeat(64);
const T0 = '2024-03-01T09:00:00.000Z';
const at = (minute: number) => new Date(Date.parse(T0) + minute * 60_000).toISOString();

const person = (id: string, name: string, roles: Person['roles']): Person =>
  PersonSchema.parse({ id, name, unit: '区政府办公室', roles });

const writer = person('w1', '王撰稿', ['writer']);
const r1 = person('r1', '钱初审', ['reviewer']);
const r2 = person('r2', '孙复审', ['reviewer']);
const r3 = person('r3', '周终审', ['reviewer']);
const r4 = person('r4', '吴校对', ['reviewer']);
const admin = person('a1', '郑管理', ['admin']);

const chain = defaultReviewChain();

/** Submitted by the writer and approved at 初审: waiting at 复审, text H1. */
function atSecondStage(reviewChain: ReviewChain = chain): ReviewState {
  let state = recordEdit(initialReviewState('article-1'), writer, {}, at(0), H1).state;
  state = submit(state, writer, { note: '请审核', chain: reviewChain }, at(1), H1).state;
  return approve(state, r1, { opinion: '同意' }, at(2), H1).state;
}

/** 复审 corrects one word (H1 → H2) and approves; 终审 approves the corrected text. */
function correctedAndApproved(): ReviewState {
  let state = recordEdit(atSecondStage(), r2, { note: '改正错别字' }, at(3), H2).state;
  state = approve(state, r2, { opinion: '已改正，同意' }, at(4), H2).state;
  return approve(state, r3, { opinion: '同意发布' }, at(5), H2).state;
}

describe('a reviewer’s correction keeps the earlier approvals (default chain)', () => {
  it('复审 corrects: 初审’s approval stands as an approval of the earlier version and the article stays at 复审', () => {
    const result = recordEdit(atSecondStage(), r2, { note: '改正错别字' }, at(3), H2);
    const { state } = result;
    expect(state).toMatchObject({ status: 'in_review', stageIndex: 1, contentHash: H2, invalidatedApprovals: [] });
    expect(state.approvals).toEqual([expect.objectContaining({ stageId: 'first', personId: 'r1', contentHash: H1, keptFor: H2 })]);
    expect(isApprovalOfEarlierVersion(state.approvals[0]!, H2)).toBe(true);
    expect(state.notice).toBe(
      '孙复审在“复审”环节修改了文稿：“初审”的审核保留为“已审核（修改前版本）”，后续环节可查看修改之处，终审须审核修改后的文稿',
    );
    // Only the signed edit: nothing lapsed, nothing reopened.
    expect(result.events.map((e) => e.type)).toEqual(['edit']);
    expect(result.events[0]).toMatchObject({ actorId: 'r2', stageId: 'second', previousHash: H1, contentHash: H2 });
    expect(result.revision?.name).toBe('孙复审在复审中修改');
    expect(() => ReviewStateSchema.parse(JSON.parse(JSON.stringify(state)))).not.toThrow();
  });

  it('复审 and 终审 approve the corrected text: publishable, and only that text', () => {
    const state = correctedAndApproved();
    expect(state).toMatchObject({ status: 'approved', stageIndex: null, notice: null });
    expect(state.approvals.map((a) => [a.stageId, a.contentHash])).toEqual([
      ['first', H1],
      ['second', H2],
      ['final', H2],
    ]);
    expect(isFullyApproved(state, H2)).toBe(true);
    expect(isFullyApproved(state, H1)).toBe(false);
    // A change nobody recorded (the text on disk is H3) is approved by nobody.
    expect(isFullyApproved(state, H3)).toBe(false);
    expect(firstStageNeedingReview(chain, state.approvals, H3)).toBe(0);
  });

  it('the final stage must approve the final text itself: its approval is never kept over a correction', () => {
    // 终审 approved H1 in an earlier round; it cannot stand for corrected text.
    const state: ReviewState = {
      ...correctedAndApproved(),
      approvals: [
        { personId: 'r1', stageId: 'first', at: at(2), opinion: '', contentHash: H1, keptFor: H2, signature: null },
        { personId: 'r2', stageId: 'second', at: at(4), opinion: '', contentHash: H2, signature: null },
        { personId: 'r3', stageId: 'final', at: at(5), opinion: '', contentHash: H1, keptFor: H2, signature: null },
      ],
    };
    expect(isFullyApproved(state, H2)).toBe(false);
    expect(stagesNeedingReview(chain, state.approvals, H2).map((s) => s.name)).toEqual(['终审']);
  });

  it('a correction at 终审 keeps 初审 and 复审; 终审 approves the corrected text', () => {
    let state = approve(atSecondStage(), r2, { opinion: '同意' }, at(3), H1).state;
    state = recordEdit(state, r3, { note: '终审改标题' }, at(4), H2).state;
    expect(state).toMatchObject({ status: 'in_review', stageIndex: 2 });
    expect(state.approvals.filter((a) => isApprovalOfEarlierVersion(a, H2)).map((a) => a.stageId)).toEqual(['first', 'second']);
    expect(state.notice).toContain('“初审”、“复审”的审核保留为“已审核（修改前版本）”');
    state = approve(state, r3, { opinion: '同意' }, at(5), H2).state;
    expect(isFullyApproved(state, H2)).toBe(true);
  });

  it('a second correction carries the kept approval on to the newest text; correcting back to the approved words makes it current again', () => {
    let state = recordEdit(atSecondStage(), r2, {}, at(3), H2).state;
    state = recordEdit(state, r2, {}, at(4), H3).state;
    expect(state.approvals).toEqual([expect.objectContaining({ stageId: 'first', contentHash: H1, keptFor: H3 })]);
    state = recordEdit(state, r2, {}, at(5), H1).state;
    expect(state.approvals[0]).toMatchObject({ stageId: 'first', contentHash: H1 });
    expect(state.approvals[0]).not.toHaveProperty('keptFor');
  });

  it('a writer’s edit after a correction sends everything back: review restarts at 初审', () => {
    let state = recordEdit(atSecondStage(), r2, { note: '改正错别字' }, at(3), H2).state;
    state = requestChanges(state, r2, { reason: '第二段请补充时间' }, at(4), H2).state;
    state = recordEdit(state, writer, { note: '补充时间' }, at(5), H3).state;
    expect(state.approvals).toEqual([]);
    expect(state.invalidatedApprovals).toEqual([expect.objectContaining({ stageId: 'first', contentHash: H1, keptFor: H2 })]);
    expect(state.notice).toContain('再次提交后将从“初审”开始审核');
    state = submit(state, writer, { note: '已补充', chain }, at(6), H3).state;
    expect(state).toMatchObject({ status: 'in_review', stageIndex: 0 });
  });

  it('resubmitted unchanged after a request for changes, the corrected text goes on from where it was; a text changed without a record does not', () => {
    let state = recordEdit(atSecondStage(), r2, {}, at(3), H2).state;
    state = requestChanges(state, r2, { reason: '请撰稿人确认改动' }, at(4), H2).state;
    const unchanged = submit(state, writer, { note: '确认', chain }, at(5), H2).state;
    expect(unchanged).toMatchObject({ status: 'in_review', stageIndex: 1 });
    expect(unchanged.approvals).toEqual([expect.objectContaining({ stageId: 'first', keptFor: H2 })]);
    // The writer's autosaves are not all signed; submission brings the text H3 the record never saw.
    const changed = submit(state, writer, { note: '确认', chain }, at(5), H3).state;
    expect(changed).toMatchObject({ status: 'in_review', stageIndex: 0, approvals: [] });
    expect(changed.invalidatedApprovals.at(-1)?.reason).toContain('“初审”');
  });

  it('a kept approval does not survive a resubmission under a reordered chain', () => {
    let state = recordEdit(atSecondStage(), r2, {}, at(3), H2).state;
    state = requestChanges(state, r2, { reason: '请确认' }, at(4), H2).state;
    const reordered = ReviewChainSchema.parse({ stages: [chain.stages[1], chain.stages[0], chain.stages[2]] });
    const result = submit(state, writer, { note: '', chain: reordered }, at(5), H2).state;
    expect(result.approvals).toEqual([]);
    expect(result.invalidatedApprovals.at(-1)?.reason).toContain('环节顺序已调整');
    expect(result).toMatchObject({ stageIndex: 0 });
  });

  it('editing the approved (or published) text names every stage that must act again and why', () => {
    const result = recordEdit(correctedAndApproved(), r3, { note: '发布后改一个字' }, at(6), H3);
    expect(result.state).toMatchObject({ status: 'in_review', stageIndex: 0, approvals: [] });
    expect(result.state.notice).toBe(
      '周终审修改了已通过终审的文稿，各环节审核通过的是修改前的内容：需要“初审”、“复审”、“终审”重新审核，现退回“初审”（已发布的文稿须重新通过审核才能再次发布）',
    );
    expect(result.events.map((e) => e.type)).toEqual(['edit', 'invalidate', 'invalidate', 'invalidate', 'reopen']);
    expect(result.events.at(-1)).toMatchObject({ type: 'reopen', stageId: 'first', reason: result.state.notice });
    expect(isFullyApproved(result.state, H3)).toBe(false);
  });
});

describe('who may correct', () => {
  it('refuses a correction by the writer, by someone not holding the stage, or at a stage without edit rights, and changes nothing', () => {
    const noEdit = ReviewChainSchema.parse({
      stages: [
        { id: 'first', name: '初审', roles: ['reviewer'] },
        { id: 'second', name: '复审', people: ['r2'], mayEdit: false },
        { id: 'final', name: '终审', roles: ['reviewer'] },
      ],
    });
    const state = atSecondStage(noEdit);
    const before = structuredClone(state);
    const codeOf = (actor: Person) => {
      try {
        recordEdit(state, actor, {}, at(3), H2);
      } catch (error) {
        return error instanceof ReviewError ? error.code : String(error);
      }
      return 'ok';
    };
    expect(codeOf(r2)).toBe('no_edit_rights');
    expect(codeOf(writer)).toBe('locked');
    expect(codeOf(r3)).toBe('not_stage_reviewer');
    expect(codeOf(admin)).toBe('not_stage_reviewer');
    expect(state).toEqual(before);
  });
});

describe('a chain that sends corrected articles back to a named stage', () => {
  const fourStages = (onCorrection: ReviewChain['onCorrection']) =>
    ReviewChainSchema.parse({
      stages: [
        { id: 'first', name: '初审', roles: ['reviewer'] },
        { id: 'second', name: '复审', roles: ['reviewer'] },
        { id: 'proof', name: '校对', roles: ['reviewer'] },
        { id: 'final', name: '终审', roles: ['reviewer'] },
      ],
      onCorrection,
    });

  it('a correction at 校对 voids 复审 on and returns there; 初审 stays as an approval of the earlier version', () => {
    const returning = fourStages({ kind: 'returnTo', stageId: 'second' });
    let state = approve(atSecondStage(returning), r2, { opinion: '同意' }, at(3), H1).state;
    expect(state.stageIndex).toBe(2);
    const result = recordEdit(state, r4, { note: '校对改错字' }, at(4), H2);
    state = result.state;
    expect(state).toMatchObject({ status: 'in_review', stageIndex: 1, stageEnteredAt: at(4) });
    expect(state.approvals).toEqual([expect.objectContaining({ stageId: 'first', contentHash: H1, keptFor: H2 })]);
    expect(state.invalidatedApprovals.map((a) => a.stageId)).toEqual(['second']);
    expect(state.notice).toBe(
      '吴校对在“校对”环节修改了文稿，按本审核流程的设置退回“复审”重新审核：“复审”的审核意见已失效，“初审”的审核保留为“已审核（修改前版本）”',
    );
    expect(result.events.map((e) => e.type)).toEqual(['edit', 'invalidate', 'reopen']);
    // 复审 approves again, then 校对 and 终审: all of them the corrected text.
    state = approve(state, r2, { opinion: '同意' }, at(5), H2).state;
    state = approve(state, r4, { opinion: '同意' }, at(6), H2).state;
    state = approve(state, r3, { opinion: '同意' }, at(7), H2).state;
    expect(isFullyApproved(state, H2)).toBe(true);
  });

  it('returning to 初审 is the strict rule: every approval lapses', () => {
    const strict = fourStages({ kind: 'returnTo', stageId: 'first' });
    const state = approve(atSecondStage(strict), r2, { opinion: '同意' }, at(3), H1).state;
    const result = recordEdit(state, r4, {}, at(4), H2).state;
    expect(result).toMatchObject({ stageIndex: 0, approvals: [] });
    expect(result.notice).toContain('退回“初审”');
  });

  it('a correction at or before the named stage keeps the article where it is', () => {
    const returning = fourStages({ kind: 'returnTo', stageId: 'proof' });
    const result = recordEdit(atSecondStage(returning), r2, {}, at(3), H2);
    expect(result.state).toMatchObject({ stageIndex: 1 });
    expect(result.state.approvals).toEqual([expect.objectContaining({ stageId: 'first', keptFor: H2 })]);
    expect(result.events.map((e) => e.type)).toEqual(['edit']);
  });

  it('refuses a chain that returns to a stage it does not have', () => {
    const parsed = ReviewChainSchema.safeParse({ ...chain, onCorrection: { kind: 'returnTo', stageId: 'nowhere' } });
    expect(parsed.success).toBe(false);
    expect(ReviewChainSchema.safeParse({ ...chain, onCorrection: { kind: 'sometimes' } }).success).toBe(false);
  });
});

describe('chains in signed policies', () => {
  it('an old chain parses to exactly what was signed: no correction rule is added to it', () => {
    const old = {
      stages: [
        { id: 'first', name: '初审', people: [], roles: ['reviewer'], mayEdit: true },
        { id: 'final', name: '终审', people: [], roles: ['reviewer'], mayEdit: true },
      ],
      distinctReviewers: true,
    };
    const parsed = ReviewChainSchema.parse(old);
    expect(parsed).not.toHaveProperty('onCorrection');
    expect(canonicalJson(parsed)).toBe(canonicalJson(old));
    const o = office();
    const v1 = o.chain[0]!.policy;
    expect(policySigningText({ ...v1, chain: ReviewChainSchema.parse(JSON.parse(JSON.stringify(v1.chain))) })).toBe(policySigningText(v1));
  });
});

describe('the record verifier replays corrections by the same rules', () => {
  const A = 'a'.repeat(64);
  const B = 'b'.repeat(64);
  const C = 'c'.repeat(64);

  type EventInput = SignedEvent extends infer E ? (E extends SignedEvent ? Omit<E, 'actorId'> : never) : never;

  function recordOf(o: ReturnType<typeof office>) {
    const entries: RecordEntry[] = [];
    const add = (signer: typeof o.writer, event: EventInput) => {
      const unsigned = nextEntry('art-1', entries.at(-1) ?? null, 1, { actorId: signer.person.id, ...event } as SignedEvent, crypto);
      entries.push(signedEntry(unsigned, { keyId: signer.keyId, value: signText(signer, entrySigningText(unsigned)) }));
    };
    return { entries, add };
  }
  const verify = (o: ReturnType<typeof office>, entries: readonly unknown[], currentHash: string) =>
    verifyArticleRecord({ articleId: 'art-1', entries, policy: o.verified(), currentHash, crypto });

  it('复审’s signed correction, then 复审 and 终审 approve: publishable and publishing is accepted', () => {
    const o = office();
    const { entries, add } = recordOf(o);
    add(o.writer, { type: 'submit', at: officeAt(10), contentHash: A, stageId: 'first', note: '' });
    add(o.r1, { type: 'approve', at: officeAt(11), contentHash: A, stageId: 'first', opinion: '同意', final: false, signature: null });
    add(o.r2, { type: 'edit', at: officeAt(12), contentHash: B, previousHash: A, stageId: 'second', note: '改一个字' });
    add(o.r2, { type: 'approve', at: officeAt(13), contentHash: B, stageId: 'second', opinion: '同意', final: false, signature: null });
    add(o.r3, { type: 'approve', at: officeAt(14), contentHash: B, stageId: 'final', opinion: '同意发布', final: true, signature: null });
    const verdict = verify(o, entries, B);
    expect(verdict.problems).toEqual([]);
    expect(verdict.publishable).toBe(true);
    expect(verify(o, entries, C).publishable).toBe(false);
    add(o.publisher, { type: 'publish', at: officeAt(15), contentHash: B });
    expect(verify(o, entries, B).problems).toEqual([]);
  });

  it('a correction after the final approval needs every stage again before publishing', () => {
    const o = office();
    const { entries, add } = recordOf(o);
    add(o.writer, { type: 'submit', at: officeAt(10), contentHash: A, stageId: 'first', note: '' });
    add(o.r1, { type: 'approve', at: officeAt(11), contentHash: A, stageId: 'first', opinion: '', final: false, signature: null });
    add(o.r2, { type: 'approve', at: officeAt(12), contentHash: A, stageId: 'second', opinion: '', final: false, signature: null });
    add(o.r3, { type: 'approve', at: officeAt(13), contentHash: A, stageId: 'final', opinion: '', final: true, signature: null });
    add(o.r3, { type: 'edit', at: officeAt(14), contentHash: B, previousHash: A, stageId: 'final', note: '发布后改字' });
    const verdict = verify(o, entries, B);
    expect(verdict.problems).toEqual([]);
    expect(verdict.state).toMatchObject({ status: 'in_review', stageIndex: 0, approvals: [] });
    expect(verdict.publishable).toBe(false);
    add(o.publisher, { type: 'publish', at: officeAt(15), contentHash: B });
    expect(verify(o, entries, B).problems.map((p) => p.code)).toEqual(['transition_refused']);
  });
});
