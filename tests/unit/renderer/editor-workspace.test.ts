// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Channel, RequestOf, ReviewView } from '../../../shared/api/contract';
import { ApiError } from '../../../shared/api/errors';
import { type ArticleStatus, emptyMeta, newArticle } from '../../../shared/domain/article';
import { translate } from '../../../shared/i18n';
import type { Finding } from '../../../shared/proofread/types';
import { defaultReviewChain, initialReviewState } from '../../../shared/workflow/review-chain';

// The controllers are handed their calls; nothing here may reach the real transport.
vi.mock('../../../renderer/src/api/client', () => ({
  api: { invoke: () => Promise.reject(new Error('no transport in unit tests')), assetUrl: () => '' },
}));

const { ArticleReview } = await import('../../../renderer/src/review/article-review');
const { ArticleLoader } = await import('../../../renderer/src/screens/editor/article-loader');
const { EditorWorkspace } = await import('../../../renderer/src/screens/editor/editor-workspace');
const { screenStore } = await import('../../../renderer/src/state/navigation');
const { toastStore } = await import('../../../renderer/src/state/notifications');
const { createStore } = await import('../../../renderer/src/state/store');

type Workspace = InstanceType<typeof EditorWorkspace>;
type Session = ConstructorParameters<typeof EditorWorkspace>[0];
type Handler = (request: never) => unknown;

const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);

function reviewView(status: ArticleStatus, change: Partial<ReviewView> = {}): ReviewView {
  const chain = defaultReviewChain();
  return {
    articleId: 'art_123456',
    title: '标题',
    state: { ...initialReviewState('art_123456', status), stageIndex: status === 'in_review' ? 0 : null, chain, contentHash: HASH_A },
    events: [],
    record: { intact: true, problems: [], publishable: status === 'approved', published: null, withdrawn: null },
    currentHash: HASH_A,
    canAct: { submit: status === 'draft', approve: status === 'in_review', requestChanges: status === 'in_review', comment: true, edit: true },
    lockReason: null,
    comments: [],
    names: {},
    stageName: status === 'in_review' ? '初审' : null,
    articleStatus: status,
    ...change,
  };
}

/** An invoke that answers from `handlers` and records every call. */
function fakeInvoke(handlers: Partial<Record<Channel, Handler>>) {
  const calls: { channel: Channel; request: unknown }[] = [];
  const invoke = vi.fn(async (channel: Channel, request: unknown) => {
    calls.push({ channel, request });
    const handler = handlers[channel];
    if (!handler) throw new Error(`unexpected call ${channel}`);
    return handler(request as never);
  });
  return { invoke: invoke as unknown as <C extends Channel>(channel: C, request: RequestOf<C>) => Promise<never>, calls };
}

/** What the workspace uses of an editing session. */
function fakeSession(title = '会议纪要') {
  const store = createStore({ meta: { ...emptyMeta('meeting'), title }, save: { kind: 'idle' } as { kind: 'idle' } | { kind: 'saved'; at: number } });
  return {
    articleId: 'art_123456',
    store,
    flush: vi.fn(async () => true),
    flushNow: vi.fn(),
    dispose: vi.fn(),
    abandonChanges: vi.fn(),
    setPendingChangesSource: vi.fn(),
    pullPendingChanges: vi.fn(),
  };
}

function setup(handlers: Partial<Record<Channel, Handler>>, options: { errors?: Finding[]; status?: ArticleStatus } = {}) {
  const session = fakeSession();
  const { invoke, calls } = fakeInvoke(handlers);
  const proofreading = { checkNow: vi.fn(async () => options.errors ?? []), markOverridden: vi.fn() };
  const deps = {
    invoke,
    storage: { getItem: () => null, setItem: () => {}, removeItem: vi.fn() },
    proofreading,
    refreshReviewQueue: vi.fn(),
    handleSessionLoss: vi.fn(() => false),
    removeFromList: vi.fn(),
    download: vi.fn(),
  };
  const workspace: Workspace = new EditorWorkspace(session as unknown as Session, options.status ?? 'draft', deps);
  return { workspace, session, calls, deps, proofreading };
}

const zh = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) => translate('zh-CN', key, params);
const toasts = () => toastStore.get().map((toast) => toast.text);
const error = (start: number): Finding => ({ rule: 'r', start, end: start + 1, text: '錯', severity: 'error', message: '错别字' }) as Finding;

beforeEach(() => {
  toastStore.set([]);
  screenStore.set({ name: 'editor', articleId: 'art_123456' });
});

afterEach(() => {
  vi.useRealTimers();
});

describe('the editor workspace', () => {
  it('opens a reviewer on the review panel, and leaves a panel the user already picked', async () => {
    const { workspace } = setup({ 'review:get': () => reviewView('in_review'), 'review:chainGet': () => defaultReviewChain() });
    await workspace.open();
    expect(workspace.store.get().sidePanel).toBe('review');

    const picked = setup({ 'review:get': () => reviewView('in_review'), 'review:chainGet': () => defaultReviewChain() });
    picked.workspace.showSidePanel('publish');
    await picked.workspace.open();
    expect(picked.workspace.store.get().sidePanel).toBe('publish');
  });

  it('keeps a draft on the metadata panel', async () => {
    const { workspace } = setup({ 'review:get': () => reviewView('draft'), 'review:chainGet': () => defaultReviewChain() });
    await workspace.open();
    expect(workspace.store.get().sidePanel).toBe('meta');
    expect(workspace.review.store.get().officeChain?.stages).toHaveLength(3);
  });

  it('asks for the note only when proofreading finds no error, and shows the gate otherwise', async () => {
    const clean = setup({});
    await clean.workspace.startSubmit();
    expect(clean.workspace.store.get()).toMatchObject({ dialog: 'submit', gate: null, busy: false });

    const gated = setup({}, { errors: [error(0)] });
    await gated.workspace.startSubmit();
    expect(gated.workspace.store.get()).toMatchObject({ dialog: null, gate: 'submit', busy: false });
    gated.workspace.retryGated();
    expect(gated.workspace.store.get()).toMatchObject({ dialog: 'submit', gate: null });
  });

  it('submits the saved text, moves to the review panel and tells the queue', async () => {
    const { workspace, session, calls, deps } = setup({ 'review:submit': () => reviewView('in_review') });
    workspace.openDialog('submit');
    await workspace.submit('请审核');
    expect(session.flush).toHaveBeenCalled();
    expect(calls).toEqual([{ channel: 'review:submit', request: { id: 'art_123456', note: '请审核' } }]);
    expect(workspace.store.get()).toMatchObject({ dialog: null, sidePanel: 'review', busy: false });
    expect(workspace.review.status).toBe('in_review');
    expect(deps.refreshReviewQueue).toHaveBeenCalledTimes(1);
    expect(toasts()).toContain(zh('review.ui.submitted'));
  });

  it('does not submit what could not be saved', async () => {
    const { workspace, session, calls } = setup({});
    session.flush.mockResolvedValue(false);
    await expect(workspace.submit('')).rejects.toThrow(zh('review.ui.saveFirst'));
    expect(calls).toEqual([]);
  });

  it('turns a refusal because of proofreading errors into the gate', async () => {
    const { workspace } = setup(
      {
        'review:submit': () => {
          throw new ApiError('conflict', '仍有校对错误');
        },
      },
      { errors: [error(3)] },
    );
    workspace.openDialog('submit');
    await workspace.submit('');
    expect(workspace.store.get()).toMatchObject({ dialog: null, gate: 'submit' });
  });

  it('approves the text as saved when the reviewer corrected it', async () => {
    let current = reviewView('in_review');
    const { workspace, session, calls } = setup({
      'review:get': () => current,
      'review:approve': () => reviewView('in_review', { stageName: '复审' }),
    });
    await workspace.review.load();
    workspace.toggleReviewerEditing();
    current = reviewView('in_review', { currentHash: HASH_B });
    workspace.openDialog('approve');
    await workspace.approve('同意');
    expect(session.flush).toHaveBeenCalled();
    expect(calls.at(-1)).toEqual({ channel: 'review:approve', request: { id: 'art_123456', opinion: '同意', expectedHash: HASH_B } });
    expect(workspace.review.store.get().reviewerEditing).toBe(false);
    expect(workspace.store.get().dialog).toBeNull();
    expect(toasts()).toContain(zh('review.ui.approved'));
  });

  it('shows a refused comment as a toast and keeps the draft', async () => {
    const { workspace } = setup({
      'review:comment': () => {
        throw new ApiError('forbidden', '不是本文稿的参与者');
      },
    });
    expect(await workspace.comment('请核实', { start: 0, end: 2 })).toBe(false);
    expect(toasts()).toContain('不是本文稿的参与者');
  });

  it('moves the article to the trash and goes back to the list', async () => {
    const { workspace, session, deps } = setup({ 'articles:trash': () => ({ ok: true }) });
    await workspace.moveToTrash();
    expect(session.dispose).toHaveBeenCalled();
    expect(deps.storage.removeItem).toHaveBeenCalled();
    expect(deps.removeFromList).toHaveBeenCalledWith('art_123456');
    expect(screenStore.get()).toEqual({ name: 'list' });
    expect(toasts()).toContain(zh('editorScreen.trashed', { title: '会议纪要' }));
  });

  it('stays on the article when the trash is refused, and says why', async () => {
    const { workspace } = setup({
      'articles:trash': () => {
        throw new ApiError('forbidden', '审核中的文稿只有管理员可以删除');
      },
    });
    workspace.openDialog('delete');
    await workspace.moveToTrash();
    expect(workspace.store.get()).toMatchObject({ busy: false, dialog: null });
    expect(screenStore.get()).toEqual({ name: 'editor', articleId: 'art_123456' });
    expect(toastStore.get().at(-1)?.kind).toBe('error');
  });

  it('records an override, tells proofreading and reads the review again', async () => {
    const { workspace, proofreading, calls } = setup({
      'proofread:override': () => ({ articleId: 'art_123456', findings: [], counts: {}, blocking: 0 }),
      'review:get': () => reviewView('draft'),
    });
    const finding = error(5);
    await workspace.overrideFinding(finding, '专有名词');
    expect(calls[0]).toEqual({
      channel: 'proofread:override',
      request: { articleId: 'art_123456', rule: 'r', start: 5, text: '錯', reason: '专有名词' },
    });
    expect(proofreading.markOverridden).toHaveBeenCalledWith(finding, []);
    expect(toasts()).toContain(zh('proof.gate.overridden', { text: '錯' }));
    expect(calls.some((call) => call.channel === 'review:get')).toBe(true);
  });

  it('reads the review again after each save of an article under review, not of a draft', async () => {
    let status: ArticleStatus = 'draft';
    const { workspace, session, calls } = setup({ 'review:get': () => reviewView(status) });
    const detach = workspace.attach(() => {});
    await workspace.review.load();
    session.store.set((state) => ({ ...state, save: { kind: 'saved', at: 1 } }));
    expect(calls.filter((call) => call.channel === 'review:get')).toHaveLength(1);

    status = 'in_review';
    await workspace.review.load();
    await Promise.resolve();
    const before = calls.filter((call) => call.channel === 'review:get').length;
    session.store.set((state) => ({ ...state, save: { kind: 'saved', at: 2 } }));
    expect(calls.filter((call) => call.channel === 'review:get')).toHaveLength(before + 1);
    detach();
    session.store.set((state) => ({ ...state, save: { kind: 'saved', at: 3 } }));
    expect(calls.filter((call) => call.channel === 'review:get')).toHaveLength(before + 1);
    expect(session.setPendingChangesSource).toHaveBeenLastCalledWith(null);
  });
});

describe('the editing mode', () => {
  it('follows the article status until the review arrives, then the review', async () => {
    const review = new ArticleReview('art_123456', {
      invoke: fakeInvoke({ 'review:get': () => reviewView('in_review') }).invoke,
      flush: async () => true,
      onTransition: () => {},
      handleSessionLoss: () => false,
    });
    expect(review.editingMode('draft').readOnly).toBe(false);
    expect(review.editingMode('approved').readOnly).toBe(true);
    expect(review.editingMode('published').readOnly).toBe(true);
    await review.load();
    expect(review.editingMode('draft')).toEqual({ readOnly: true, reviewerMayEdit: true });
    review.setReviewerEditing(true);
    expect(review.editingMode('draft')).toEqual({ readOnly: false, reviewerMayEdit: true });
  });

  it('keeps the failure to read the review, unless the session ended', async () => {
    const failing = (lost: boolean) =>
      new ArticleReview('art_123456', {
        invoke: fakeInvoke({
          'review:get': () => {
            throw new ApiError(lost ? 'unauthorized' : 'internal', 'x');
          },
        }).invoke,
        flush: async () => true,
        onTransition: () => {},
        handleSessionLoss: () => lost,
      });
    const broken = failing(false);
    expect(await broken.load()).toBeNull();
    expect(broken.store.get().error).toBeInstanceOf(ApiError);
    expect(broken.editingMode('draft').readOnly).toBe(true);
    const signedOut = failing(true);
    await signedOut.load();
    expect(signedOut.store.get().error).toBeNull();
  });
});

describe('the article loader', () => {
  const stored = newArticle('art_123456', '2024-05-01T08:00:00.000Z', emptyMeta('meeting'));

  it('opens a session on the loaded article and closes it, saving, when the screen goes', async () => {
    const session = fakeSession();
    const loader = new ArticleLoader('art_123456', { fetch: async () => stored, openSession: () => session as unknown as Session });
    const close = loader.open();
    expect(loader.store.get().load.kind).toBe('loading');
    await Promise.resolve();
    await Promise.resolve();
    expect(loader.store.get().load).toMatchObject({ kind: 'ready', status: 'draft' });
    close();
    expect(session.flushNow).toHaveBeenCalled();
    expect(session.dispose).toHaveBeenCalled();
  });

  it('drops the writer\'s copy on reload after a conflict, and starts a new generation', async () => {
    const session = fakeSession();
    const loader = new ArticleLoader('art_123456', { fetch: async () => stored, openSession: () => session as unknown as Session });
    loader.open();
    await Promise.resolve();
    await Promise.resolve();
    loader.reload();
    expect(session.abandonChanges).toHaveBeenCalled();
    expect(loader.store.get()).toEqual({ load: { kind: 'loading' }, generation: 1 });
  });

  it('keeps the failure and ignores an answer that comes after the screen went', async () => {
    const failing = new ArticleLoader('art_123456', {
      fetch: async () => {
        throw new ApiError('not_found', 'gone');
      },
      openSession: () => fakeSession() as unknown as Session,
    });
    failing.open();
    await Promise.resolve();
    await Promise.resolve();
    expect(failing.store.get().load.kind).toBe('error');

    const openSession = vi.fn(() => fakeSession() as unknown as Session);
    const late = new ArticleLoader('art_123456', { fetch: async () => stored, openSession });
    late.open()();
    await Promise.resolve();
    await Promise.resolve();
    expect(openSession).not.toHaveBeenCalled();
    expect(late.store.get().load.kind).toBe('loading');
  });
});
