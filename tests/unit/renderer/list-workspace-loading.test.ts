import { describe, expect, it, vi } from 'vitest';
import type { ArticleList } from '../../../shared/api/contract';
import type { ArticleSummary } from '../../../shared/domain/article';
import { ArticleListController } from '../../../renderer/src/state/article-list';
import { fakeTimersInEachTest } from '../../support/fake-timers';

const row = (id: string): ArticleSummary =>
  ({ id, title: id, column: [], status: 'draft', publishAt: null, source: '', createdAt: '', updatedAt: '', trashedAt: null, charCount: 0 }) as ArticleSummary;

describe('the list while the workspace loads', () => {
  fakeTimersInEachTest();

  it('shows the newest rows and says the workspace is loading, then asks again until the whole list is there', async () => {
    const answers: ArticleList[] = [
      { items: [row('newest01')], total: 100_000, loading: true, problems: [] },
      { items: [row('newest01')], total: 100_000, loading: true, problems: [] },
      { items: [row('newest01'), row('second02')], total: 99_998, problems: [] },
    ];
    const fetcher = vi.fn(async () => answers.shift() as ArticleList);
    const list = new ArticleListController(fetcher);
    await list.reload({ firstPage: true });
    expect(list.store.get()).toMatchObject({ workspaceLoading: true, total: 100_000 });
    await vi.advanceTimersByTimeAsync(1000);
    expect(fetcher).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1000);
    expect(fetcher).toHaveBeenCalledTimes(3);
    expect(list.store.get()).toMatchObject({ workspaceLoading: false, total: 99_998 });
    expect(list.store.get().items.map((item) => item.id)).toEqual(['newest01', 'second02']);
    // Loaded: nothing more is asked.
    await vi.advanceTimersByTimeAsync(5000);
    expect(fetcher).toHaveBeenCalledTimes(3);
  });
});
