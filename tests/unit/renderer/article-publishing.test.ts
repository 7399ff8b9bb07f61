// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PublishJobsView, PublishJobView } from '../../../shared/api/contract';
import { ApiError } from '../../../shared/api/errors';
import { translate } from '../../../shared/i18n';

vi.mock('../../../renderer/src/api/client', () => ({
  api: { invoke: () => Promise.reject(new Error('no transport in unit tests')), assetUrl: () => '' },
}));

const { ArticlePublishing } = await import('../../../renderer/src/publish/article-publishing');
const { JOB_POLL_MS } = await import('../../../renderer/src/publish/publish-logic');
const { toastStore } = await import('../../../renderer/src/state/notifications');

type Deps = ConstructorParameters<typeof ArticlePublishing>[1];

function job(state: PublishJobView['state'], id = '00000000-0000-4000-8000-000000000001'): PublishJobView {
  return {
    id,
    action: 'publish',
    articleId: 'art_123456',
    title: '标题',
    siteId: 'main',
    targetId: 'folder',
    targetLabel: '本机目录',
    state,
    attempts: 0,
    createdAt: '2024-05-01T08:00:00.000Z',
    notBefore: null,
    nextAttemptAt: '2024-05-01T08:00:00.000Z',
    error: null,
    receipt: null,
  };
}
const jobs = (...list: PublishJobView[]): PublishJobsView => ({ jobs: list, targets: [] });

function setup(answers: { jobs?: () => PublishJobsView; enqueue?: () => unknown; retry?: () => unknown }, proofErrors: unknown[] = []) {
  const calls: { channel: string; request: unknown }[] = [];
  const invoke = vi.fn(async (channel: string, request: unknown) => {
    calls.push({ channel, request });
    if (channel === 'publish:jobs') return (answers.jobs ?? (() => jobs()))();
    if (channel === 'publish:enqueue' && answers.enqueue) return answers.enqueue();
    if (channel === 'publish:retry' && answers.retry) return answers.retry();
    throw new Error(`unexpected call ${channel}`);
  });
  const deps = {
    invoke: invoke as unknown as Deps['invoke'],
    flush: vi.fn(async () => true),
    proofreadingErrors: vi.fn(async () => proofErrors),
    showProofreadingGate: vi.fn(),
    onSettled: vi.fn(),
    handleSessionLoss: vi.fn(),
  };
  return { publishing: new ArticlePublishing('art_123456', deps), deps, calls };
}

const zh = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) => translate('zh-CN', key, params);

beforeEach(() => toastStore.set([]));
afterEach(() => vi.useRealTimers());

describe('publishing one article', () => {
  it('asks for a target and a readable time before calling anything', async () => {
    const { publishing, calls } = setup({});
    await publishing.enqueue('publish', [], '');
    expect(publishing.store.get().refusal).toEqual({ kind: 'pickTarget' });
    await publishing.enqueue('publish', ['folder'], '2024-13-45Tnonsense');
    expect(publishing.store.get().refusal).toEqual({ kind: 'scheduleInvalid' });
    expect(calls).toEqual([]);
  });

  it('shows the proofreading gate instead of publishing while errors stand, but withdraws anyway', async () => {
    const { publishing, deps, calls } = setup({ enqueue: () => ({ ok: true, jobs: [job('pending')] }) }, [{ rule: 'r' }]);
    await publishing.enqueue('publish', ['folder'], '');
    expect(deps.showProofreadingGate).toHaveBeenCalledTimes(1);
    expect(calls).toEqual([]);
    expect(publishing.store.get().busy).toBe(false);
    await publishing.enqueue('withdraw', ['folder'], '', '信息有误');
    expect(calls[0]).toEqual({
      channel: 'publish:enqueue',
      request: { articleId: 'art_123456', targetIds: ['folder'], action: 'withdraw', reason: '信息有误' },
    });
    // The withdrawal is in the audit trail from now: the review view is read again at once.
    expect(deps.onSettled).toHaveBeenCalledTimes(1);
  });

  it('saves first, queues, says so and reads the progress', async () => {
    const { publishing, deps, calls } = setup({ enqueue: () => ({ ok: true, jobs: [job('pending')] }), jobs: () => jobs(job('pending')) });
    await publishing.enqueue('publish', ['folder'], '');
    expect(deps.flush).toHaveBeenCalled();
    expect(calls.map((call) => call.channel)).toEqual(['publish:enqueue', 'publish:jobs']);
    expect(toastStore.get().map((toast) => toast.text)).toContain(zh('pubui.queued', { count: 1 }));
    expect(publishing.store.get().view?.jobs).toHaveLength(1);
  });

  it('shows the checklist the services refused with', async () => {
    const checklist = [{ code: 'approved', ok: false, message: '尚未审核通过' }];
    const { publishing } = setup({ enqueue: () => ({ ok: false, checklist }) });
    await publishing.enqueue('publish', ['folder'], '');
    expect(publishing.store.get().refusal).toEqual({ kind: 'checklist', items: checklist });
  });

  it('keeps a failure with the action it stopped', async () => {
    const refusal = new ApiError('forbidden', '没有发布权限');
    const { publishing, deps } = setup({
      enqueue: () => {
        throw refusal;
      },
    });
    await publishing.enqueue('update', ['folder'], '');
    expect(publishing.store.get().refusal).toEqual({ kind: 'failed', action: 'update', error: refusal });
    expect(deps.handleSessionLoss).toHaveBeenCalledWith(refusal);
  });

  it('polls while jobs are on their way and says when the last one finished', async () => {
    vi.useFakeTimers();
    let state: PublishJobView['state'] = 'running';
    const { publishing, deps, calls } = setup({ jobs: () => jobs(job(state)) });
    const stop = publishing.watch();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(JOB_POLL_MS);
    expect(calls).toHaveLength(2);
    expect(deps.onSettled).not.toHaveBeenCalled();
    state = 'succeeded';
    await vi.advanceTimersByTimeAsync(JOB_POLL_MS);
    expect(deps.onSettled).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(JOB_POLL_MS * 3);
    expect(calls).toHaveLength(3);
    stop();
  });

  it('retries a failed job and reports a refusal as a toast', async () => {
    const ok = setup({ retry: () => job('pending') });
    await ok.publishing.retry(job('failed'));
    expect(ok.calls.map((call) => call.channel)).toEqual(['publish:retry', 'publish:jobs']);
    expect(toastStore.get().map((toast) => toast.text)).toContain(zh('pubui.retried'));

    const refused = setup({
      retry: () => {
        throw new ApiError('forbidden', '只有发布员可以重试');
      },
    });
    await refused.publishing.retry(job('failed'));
    expect(toastStore.get().at(-1)).toMatchObject({ kind: 'error', text: '只有发布员可以重试' });
  });
});
