// @vitest-environment jsdom
/// <reference lib="dom" />
import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ConflictHunk, SyncConflictView } from '../../../shared/api/contract/sync';
import { ApiError } from '../../../shared/api/errors';
import { type Doc, type DocNode, paragraph } from '../../../shared/domain/doc';

// The controller is handed its calls; nothing here may reach the real transport.
vi.mock('../../../renderer/src/api/client', () => ({
  api: { invoke: () => Promise.reject(new Error('no transport in unit tests')), assetUrl: () => '' },
}));

const { ArticleConflict } = await import('../../../renderer/src/screens/editor/conflict/article-conflict');
const { ArticleLoader } = await import('../../../renderer/src/screens/editor/article-loader');
const { ConflictView } = await import('../../../renderer/src/screens/editor/conflict/ConflictView');

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

const p = (text: string) => paragraph(text);

function hunk(id: string, at: number, mine: DocNode[], theirs: DocNode[], base: DocNode[]): ConflictHunk {
  return { id, kind: mine.length === 0 ? 'deleted_here' : 'both_changed', base, mine, theirs, at };
}

/** Two hunks (one both-changed, one deleted here and edited there) and the title changed on both sides. */
function sampleView(change: Partial<SyncConflictView> = {}): SyncConflictView {
  return {
    articleId: 'art_123456',
    title: '全区领导干部会议',
    detectedAt: '2025-03-01T08:00:00.000Z',
    theirsBy: { personId: 'p2', name: '李编辑' },
    theirsAt: '2025-03-01T07:55:00.000Z',
    fields: [{ field: 'meta.title', base: '会议', mine: '全区领导干部会议', theirs: '全区干部大会' }],
    hunks: [
      hunk('h1', 1, [p('会议由张三主持。')], [p('会议由李四主持。')], [p('会议由王五主持。')]),
      hunk('h2', 3, [], [p('会议强调生态优先，补充一句。')], [p('会议强调生态优先。')]),
    ],
    revisionId: 'rev_1',
    ...change,
  };
}

/** The article as the merge left it: this desktop's blocks at each hunk. */
const storedDoc: Doc = { type: 'doc', content: [p('导语'), p('会议由张三主持。'), p('中间'), p('结尾')] };

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

function controller(overrides: Partial<ConstructorParameters<typeof ArticleConflict>[1]> = {}) {
  const deps = {
    load: vi.fn(async (_articleId: string): Promise<SyncConflictView | null> => sampleView()),
    resolve: vi.fn(async (_request: unknown): Promise<unknown> => ({ ok: true })),
    flush: vi.fn(async () => true),
    onResolved: vi.fn(),
    onAppeared: vi.fn(),
    handleSessionLoss: vi.fn(() => false),
    ...overrides,
  };
  return { conflict: new ArticleConflict('art_123456', deps), deps };
}

describe('the conflict controller', () => {
  it('sends every decision, in the contract’s shape, only once everything is decided; then the editor reopens', async () => {
    const { conflict, deps } = controller();
    await conflict.refresh();
    expect(conflict.pending).toBe(true);
    conflict.chooseHunk('h1', 'both');
    conflict.chooseHunk('h2', 'theirs');
    expect(conflict.canResolve()).toBe(false);
    expect(await conflict.resolve()).toBe(false);
    expect(deps.resolve).not.toHaveBeenCalled();

    conflict.chooseField('meta.title', 'theirs');
    expect(conflict.canResolve()).toBe(true);
    expect(await conflict.resolve()).toBe(true);
    expect(deps.flush).toHaveBeenCalledBefore(vi.mocked(deps.resolve));
    expect(deps.resolve).toHaveBeenCalledWith({
      articleId: 'art_123456',
      hunks: [
        { id: 'h1', take: 'both' },
        { id: 'h2', take: 'theirs' },
      ],
      fields: [{ field: 'meta.title', take: 'theirs' }],
    });
    expect(deps.onResolved).toHaveBeenCalledTimes(1);
    expect(conflict.pending).toBe(false);
  });

  it('keeps every choice when 完成合并 fails, and sends the same decisions when pressed again', async () => {
    const failure = new ApiError('conflict', '文稿在发现冲突之后又被修改，无法确定第 h1 处的位置');
    const resolve = vi.fn<(request: unknown) => Promise<unknown>>().mockRejectedValueOnce(failure).mockResolvedValueOnce({ ok: true });
    const { conflict, deps } = controller({ resolve });
    await conflict.refresh();
    conflict.chooseAll('mine');
    conflict.chooseHunk('h2', 'theirs');
    expect(await conflict.resolve()).toBe(false);
    const state = conflict.store.get();
    expect(state.resolveError).toBe(failure);
    expect(state.choices).toEqual({ hunks: { h1: 'mine', h2: 'theirs' }, fields: { 'meta.title': 'mine' } });
    expect(conflict.pending).toBe(true);
    expect(deps.onResolved).not.toHaveBeenCalled();

    expect(await conflict.resolve()).toBe(true);
    expect(resolve.mock.calls[1]![0]).toEqual(resolve.mock.calls[0]![0]);
  });

  it('reopens the article when a conflict appears while it is open, not when it was there at opening', async () => {
    let answer: SyncConflictView | null = null;
    const { conflict, deps } = controller({ load: vi.fn(async () => answer) });
    await conflict.refresh();
    expect(conflict.pending).toBe(false);
    answer = sampleView();
    await conflict.refresh();
    expect(deps.onAppeared).toHaveBeenCalledTimes(1);

    const atOpening = controller();
    await atOpening.conflict.refresh();
    await atOpening.conflict.refresh();
    expect(atOpening.deps.onAppeared).not.toHaveBeenCalled();
  });

  it('drops an older answer that arrives after a newer one', async () => {
    const slow = deferred<SyncConflictView | null>();
    const answers = [slow.promise, Promise.resolve(null)];
    const { conflict } = controller({ load: vi.fn(() => answers.shift()!) });
    const first = conflict.refresh();
    await conflict.refresh();
    slow.resolve(sampleView());
    await first;
    expect(conflict.pending).toBe(false);
  });

  it('shows why the conflict could not be read and keeps the last answer', async () => {
    const failure = new ApiError('internal', 'network: 连接被拒绝');
    const load = vi.fn<(articleId: string) => Promise<SyncConflictView | null>>().mockResolvedValueOnce(sampleView()).mockRejectedValueOnce(failure);
    const { conflict } = controller({ load });
    await conflict.refresh();
    await conflict.refresh();
    expect(conflict.store.get().loadError).toBe(failure);
    expect(conflict.pending).toBe(true);
  });
});

describe('opening the article again after a conflict appears or is decided', () => {
  it('starts a new editing session without dropping the local copy of anything unsaved', async () => {
    const session = { flushNow: vi.fn(), dispose: vi.fn(), abandonChanges: vi.fn() };
    const article = { id: 'art_123456', status: 'draft' } as never;
    const loader = new ArticleLoader('art_123456', { fetch: async () => article, openSession: () => session as never });
    const close = loader.open();
    await Promise.resolve();
    await Promise.resolve();
    loader.reopen();
    close();
    expect(session.abandonChanges).not.toHaveBeenCalled();
    // The old session saves what it still holds as it closes.
    expect(session.flushNow).toHaveBeenCalled();
    expect(loader.store.get()).toEqual({ load: { kind: 'loading' }, generation: 1 });
  });
});

describe('the conflict view', () => {
  let container: HTMLDivElement;
  let root: Root;

  beforeEach(() => {
    container = document.createElement('div');
    document.body.append(container);
    root = createRoot(container);
  });
  afterEach(() => {
    act(() => root.unmount());
    container.remove();
  });

  async function show(conflict: InstanceType<typeof ArticleConflict>, view = sampleView()) {
    await act(async () => {
      root.render(createElement(ConflictView, { conflict, view, doc: storedDoc, resolveSrc: (src: string) => src }));
    });
  }
  const button = (name: string) => {
    const found = [...container.querySelectorAll('button')].find((b) => (b.getAttribute('aria-label') ?? b.textContent) === name);
    if (!found) throw new Error(`no button ${name}`);
    return found;
  };
  const click = async (name: string) => {
    await act(async () => button(name).click());
  };
  const previewText = () => [...container.querySelectorAll('[data-testid="conflict-preview"] p')].map((el) => el.textContent);

  it('tells the person what happened, shows both versions with who made the other, and marks what differs', async () => {
    const { conflict } = controller();
    await conflict.refresh();
    await show(conflict);
    const banner = container.querySelector('[data-testid="conflict-banner"]')!.textContent;
    expect(banner).toContain('冲突待处理');
    expect(banner).toContain('有 3 处需要您决定');
    expect(banner).toContain('您的版本已保留，对方版本已存为历史版本');
    expect(banner).toContain('正文和文稿信息不能编辑');
    expect(banner).toContain('李编辑');

    const first = container.querySelector('[data-testid="conflict-hunk-1"]')!;
    expect(first.querySelector('[data-testid="conflict-mine"]')!.textContent).toContain('会议由张三主持。');
    expect(first.querySelector('[data-testid="conflict-theirs"]')!.textContent).toContain('对方（李编辑）');
    expect([...first.querySelectorAll('[data-testid="conflict-mine"] mark')].map((m) => m.textContent)).toEqual(['张三']);
    expect([...first.querySelectorAll('[data-testid="conflict-theirs"] mark')].map((m) => m.textContent)).toEqual(['李四']);

    // Deleted here, edited there: the other side's addition to the original is what is marked.
    const second = container.querySelector('[data-testid="conflict-hunk-2"]')!;
    expect(second.querySelector('[data-testid="conflict-mine"]')!.textContent).toContain('您已删除这部分');
    expect([...second.querySelectorAll('mark')].map((m) => m.textContent)).toEqual(['，补充一句']);

    const fields = container.querySelector('[data-testid="conflict-fields"]')!.textContent;
    expect(fields).toContain('标题');
    expect(fields).toContain('全区干部大会');
  });

  it('offers three named choices per hunk (two where one side deleted it) and two per field, as buttons in order', async () => {
    const { conflict } = controller();
    await conflict.refresh();
    await show(conflict);
    const names = [...container.querySelectorAll('button')].map((b) => b.getAttribute('aria-label') ?? b.textContent);
    expect(names).toEqual([
      '全部保留我方',
      '全部采用对方',
      '完成合并',
      '标题：保留我方',
      '标题：采用对方',
      '第 1 处：保留我方',
      '第 1 处：采用对方',
      '第 1 处：两者都保留',
      '第 2 处：保留我方',
      '第 2 处：采用对方',
    ]);
  });

  it('enables 完成合并 only when every hunk and field is decided, and counts as the person decides', async () => {
    const { conflict, deps } = controller();
    await conflict.refresh();
    await show(conflict);
    const progress = () => container.querySelector('[data-testid="conflict-progress"]')!.textContent;
    expect(progress()).toBe('已决定 0 / 3');
    expect(button('完成合并').disabled).toBe(true);

    await click('第 1 处：两者都保留');
    await click('第 2 处：采用对方');
    expect(progress()).toBe('已决定 2 / 3');
    expect(button('完成合并').disabled).toBe(true);
    expect(button('第 1 处：两者都保留').getAttribute('aria-pressed')).toBe('true');
    expect(button('第 1 处：保留我方').getAttribute('aria-pressed')).toBe('false');

    await click('标题：采用对方');
    expect(progress()).toBe('已决定 3 / 3');
    expect(button('完成合并').disabled).toBe(false);
    await click('完成合并');
    expect(deps.resolve).toHaveBeenCalledTimes(1);
  });

  it('previews 两者都保留 as this desktop’s text followed by the other’s, and a restored deletion in its place', async () => {
    const { conflict } = controller();
    await conflict.refresh();
    await show(conflict);
    expect(previewText()).toEqual(['导语', '会议由张三主持。', '中间', '结尾']);
    await click('第 1 处：两者都保留');
    await click('第 2 处：采用对方');
    expect(previewText()).toEqual(['导语', '会议由张三主持。', '会议由李四主持。', '中间', '会议强调生态优先，补充一句。', '结尾']);
  });

  it('says in plain Chinese why 完成合并 failed and keeps every choice on screen', async () => {
    const failure = new ApiError('conflict', '文稿在发现冲突之后又被修改');
    const { conflict } = controller({ resolve: vi.fn(async () => Promise.reject(failure)) });
    await conflict.refresh();
    await show(conflict);
    await click('全部采用对方');
    await click('第 1 处：两者都保留');
    await click('完成合并');
    const alert = container.querySelector('[role="alert"]')!.textContent!;
    expect(alert).toContain('合并没有完成');
    expect(alert).toContain('文稿在发现冲突之后又被修改');
    expect(alert).toContain('您的选择都还在');
    expect(button('第 1 处：两者都保留').getAttribute('aria-pressed')).toBe('true');
    expect(button('第 2 处：采用对方').getAttribute('aria-pressed')).toBe('true');
    expect(button('标题：采用对方').getAttribute('aria-pressed')).toBe('true');
    expect(button('完成合并').disabled).toBe(false);
  });
});
