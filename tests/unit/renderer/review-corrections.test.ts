// @vitest-environment jsdom
/// <reference lib="dom" />
import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReviewDiff, ReviewView } from '../../../shared/api/contract';
import type { RevisionSummary } from '../../../shared/domain/article';
import {
  approve,
  defaultReviewChain,
  initialReviewState,
  type Person,
  PersonSchema,
  type ReviewEvent,
  type ReviewState,
  recordEdit,
  submit,
  type TransitionResult,
} from '../../../shared/workflow/review-chain';

/*
 * The review panel after 复审 corrected the text: 初审's approval is shown as
 * 已审核（修改前版本）, and those who must judge the corrected text open the
 * changes since that approval in 版本对比.
 */

const invoke = vi.fn();
vi.mock('../../../renderer/src/api/client', () => ({ api: { invoke: (...args: unknown[]) => invoke(...args), assetUrl: () => '' } }));

const { ReviewPanel } = await import('../../../renderer/src/review/ReviewPanel');
const { approvalRevision, approvalStanding, mayReviewCorrections, stageProgress } = await import(
  '../../../renderer/src/review/review-logic'
);
const { sessionStore } = await import('../../../renderer/src/state/session');
const { chainProblem, correctionChoice, removeStage, setCorrectionChoice } = await import('../../../renderer/src/review/chain-edit');

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const H1 = '1'.repeat(64);
const H2 = '2'.repeat(64);
const T0 = Date.parse('2026-05-20T01:00:00.000Z');
const at = (minute: number, ms = 0) => new Date(T0 + minute * 60_000 + ms).toISOString();
const person = (id: string, name: string, roles: Person['roles']): Person => PersonSchema.parse({ id, name, roles });

const writer = person('w1', '王撰稿', ['writer']);
const r1 = person('r1', '钱初审', ['reviewer']);
const r2 = person('r2', '孙复审', ['reviewer']);
const publisher = person('p1', '吴发布', ['publisher']);
const chain = defaultReviewChain();

/** Submitted, approved at 初审 (H1), corrected at 复审 (H2): what review:get gives, with its trail. */
function corrected(): { state: ReviewState; events: ReviewEvent[] } {
  const events: ReviewEvent[] = [];
  const take = (result: TransitionResult) => {
    events.push(...result.events);
    return result.state;
  };
  let state = take(submit({ ...initialReviewState('art_1'), contentHash: H1 }, writer, { note: '', chain }, at(1), H1));
  state = take(approve(state, r1, { opinion: '同意' }, at(2), H1));
  state = take(recordEdit(state, r2, { note: '改正错别字' }, at(3), H2));
  return { state, events };
}

/** The revisions the services keep: one per submission, approval and correction, each a few milliseconds after its act. */
const revisions: RevisionSummary[] = [
  { id: 'rev-submit', articleId: 'art_1', name: '提交审核', createdAt: at(1, 4), author: { id: 'w1', name: '王撰稿' }, reason: 'submit' },
  { id: 'rev-first', articleId: 'art_1', name: '初审通过', createdAt: at(2, 3), author: { id: 'r1', name: '钱初审' }, reason: 'approve' },
  { id: 'rev-edit', articleId: 'art_1', name: '孙复审在复审中修改', createdAt: at(3, 5), author: { id: 'r2', name: '孙复审' }, reason: 'reviewer_edit' },
];

function view(canApprove: boolean): ReviewView {
  const { state, events } = corrected();
  return {
    articleId: 'art_1',
    title: '全区生态环境保护大会召开',
    state,
    events,
    currentHash: H2,
    canAct: { submit: false, approve: canApprove, requestChanges: canApprove, comment: true, edit: canApprove },
    lockReason: null,
    comments: [],
    names: { w1: '王撰稿', r1: '钱初审', r2: '孙复审' },
    stageName: '复审',
    articleStatus: 'in_review',
    record: { intact: true, problems: [], publishable: false, published: null, withdrawn: null },
  };
}

describe('the panel’s reading of a corrected article', () => {
  it('counts 初审 as done with an approval of the earlier version; an approval of other words still counts for nothing', () => {
    const steps = stageProgress({ state: corrected().state, currentHash: H2 }, null);
    expect(steps.map((s) => [s.name, s.status, s.earlierVersion])).toEqual([
      ['初审', 'done', true],
      ['复审', 'current', false],
      ['终审', 'pending', false],
    ]);
    // The text on disk is not what the record last signed: nothing counts.
    const unrecorded = stageProgress({ state: corrected().state, currentHash: '9'.repeat(64) }, null);
    expect(unrecorded[0]).toMatchObject({ status: 'pending', approval: null });
    const approval = corrected().state.approvals[0]!;
    expect(approvalStanding(approval, H2)).toBe('earlierVersion');
    expect(approvalStanding(approval, H1)).toBe('current');
    expect(approvalStanding({ ...approval, keptFor: undefined }, H2)).toBe('stale');
  });

  it('finds the revision kept when 初审 approved, and only when exactly one fits', () => {
    const { state, events } = corrected();
    const approval = state.approvals[0]!;
    expect(approvalRevision(approval, revisions, events)?.id).toBe('rev-first');
    // None saved (the step failed after signing): no guess.
    expect(approvalRevision(approval, revisions.filter((r) => r.id !== 'rev-first'), events)).toBeNull();
    // Two that could be it: no guess either.
    const twin = { ...revisions[1]!, id: 'rev-twin', createdAt: at(2, 9) };
    expect(approvalRevision(approval, [...revisions, twin], events)).toBeNull();
    // A revision by the approver after the next act belongs to something else.
    const later = { ...revisions[1]!, createdAt: at(4) };
    expect(approvalRevision(approval, [later], events)).toBeNull();
  });

  it('offers the changes to the stage holding the article and to the final stage’s reviewers, not to others', () => {
    const v = view(false);
    expect(mayReviewCorrections(view(true), null, null)).toBe(true);
    expect(mayReviewCorrections(v, r2, null)).toBe(true);
    expect(mayReviewCorrections(v, publisher, null)).toBe(false);
    expect(mayReviewCorrections(v, writer, null)).toBe(false);
  });
});

describe('the correction rule in the chain editor', () => {
  it('stores keep as no rule, so an unchanged chain saves as it was signed; returnTo names a stage', () => {
    const returning = setCorrectionChoice(chain, 'returnTo:second');
    expect(returning.onCorrection).toEqual({ kind: 'returnTo', stageId: 'second' });
    expect(correctionChoice(returning)).toBe('returnTo:second');
    const keep = setCorrectionChoice(returning, 'keep');
    expect(keep).toEqual(chain);
    expect(Object.keys(keep)).not.toContain('onCorrection');
    expect(correctionChoice(chain)).toBe('keep');
  });

  it('refuses to save a chain whose return stage was removed, instead of picking another', () => {
    const returning = setCorrectionChoice(chain, 'returnTo:second');
    const removed = removeStage(returning, 1);
    expect(correctionChoice(removed)).toBe('missing');
    expect(chainProblem(removed)).toEqual({ key: 'correctionStage', stage: '' });
    expect(chainProblem(setCorrectionChoice(removed, 'returnTo:first'))).toBeNull();
  });
});

describe('the review panel', () => {
  let root: Root | null = null;
  let host: HTMLElement;

  beforeEach(() => {
    invoke.mockReset();
    host = document.createElement('div');
    document.body.append(host);
    root = createRoot(host);
  });

  afterEach(() => {
    act(() => root?.unmount());
    host.remove();
    sessionStore.set({ kind: 'loading' });
  });

  const actions = {
    approve: vi.fn(),
    requestChanges: vi.fn(),
    comment: vi.fn(async () => true),
    pickPassage: () => null,
    focusComment: vi.fn(),
    thread: vi.fn(async () => true),
  };
  const render = (v: ReviewView, signedIn: Person) => {
    sessionStore.set({ kind: 'ready', info: { person: { ...signedIn, keyId: null }, people: [], needsSetup: false } });
    act(() => root!.render(createElement(ReviewPanel, { view: v, officeChain: null, activeCommentId: null, busy: false, actions })));
  };
  const approvalsList = () => host.querySelector('ul[aria-label="审核意见"]')!;

  it('shows 初审 as 已审核（修改前版本）, and 查看修改 opens the changes since that approval', async () => {
    const diff: ReviewDiff = {
      text: [{ op: 'equal', text: '会议于5月20日' }, { op: 'delete', text: '召开' }, { op: 'insert', text: '举行' }],
      meta: [],
      inserted: 2,
      deleted: 2,
      from: { id: 'rev-first', name: '初审通过', createdAt: at(2, 3), author: { id: 'r1', name: '钱初审' } },
      to: { id: 'current', name: '当前内容', createdAt: at(3), author: null },
      editors: [{ id: 'r2', name: '孙复审', at: at(3) }],
    };
    invoke.mockImplementation(async (channel: string) => {
      if (channel === 'articles:versions') return revisions;
      if (channel === 'review:diff') return diff;
      throw new Error(`unexpected ${channel}`);
    });
    render(view(true), r2);
    const item = approvalsList().querySelector('li')!;
    expect(item.textContent).toContain('初审');
    expect(item.textContent).toContain('已审核（修改前版本）');
    expect(item.textContent).not.toContain('审核的不是当前内容');
    expect(host.querySelector('.stage-progress')?.textContent).toContain('初审 ✓（修改前版本）');

    const button = [...item.querySelectorAll('button')].find((b) => b.textContent === '查看修改')!;
    await act(async () => button.click());
    await act(async () => {});
    expect(invoke).toHaveBeenCalledWith('review:diff', { id: 'art_1', from: 'rev-first', to: 'current' });
    const dialog = document.querySelector('[role="dialog"]')!;
    expect(dialog.textContent).toContain('查看“初审”审核之后的修改');
    expect(dialog.textContent).toContain('期间修改人：孙复审');
    expect(dialog.querySelector('[data-testid="diff-text"] ins')?.textContent).toBe('举行');
  });

  it('says so when the approved version cannot be found, and does not present another version as the approved one', async () => {
    invoke.mockImplementation(async (channel: string) => {
      if (channel === 'articles:versions') return revisions.filter((r) => r.id !== 'rev-first');
      if (channel === 'review:diff') return { text: [], meta: [], inserted: 0, deleted: 0, from: {}, to: {}, editors: [] };
      throw new Error(`unexpected ${channel}`);
    });
    render(view(true), r2);
    const button = [...approvalsList().querySelectorAll('button')].find((b) => b.textContent === '查看修改')!;
    await act(async () => button.click());
    await act(async () => {});
    const dialog = document.querySelector('[role="dialog"]')!;
    expect(dialog.textContent).toContain('找不到“初审”审核时保存的版本，请在下面自行选择要对比的版本');
    expect(dialog.textContent).not.toContain('审核时的版本（');
    // The usual 版本对比 opening, offered as a choice, not as 初审's version.
    expect(invoke).toHaveBeenCalledWith('review:diff', { id: 'art_1', from: 'rev-submit', to: 'current' });
  });

  it('shows the label but no 查看修改 to someone who does not judge the corrected text', () => {
    render(view(false), publisher);
    const item = approvalsList().querySelector('li')!;
    expect(item.textContent).toContain('已审核（修改前版本）');
    expect([...item.querySelectorAll('button')].some((b) => b.textContent === '查看修改')).toBe(false);
  });
});
