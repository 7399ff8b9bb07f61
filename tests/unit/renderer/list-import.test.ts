import { describe, expect, it, vi } from 'vitest';
import type { ArticleList, ImportOutcome, RequestOf } from '../../../shared/api/contract';
import type { ArticleSummary } from '../../../shared/domain/article';
import { ArticleListController, LIST_PAGE_SIZE } from '../../../renderer/src/state/article-list';
import { countOutcomes, runImport } from '../../../renderer/src/state/import-run';
import { fakeTimersInEachTest } from '../../support/fake-timers';

function summary(id: string, title: string): ArticleSummary {
  return {
    id,
    title,
    column: ['首页', '要闻动态'],
    status: 'draft',
    publishAt: null,
    source: '',
    createdAt: '2024-05-01T00:00:00.000Z',
    updatedAt: '2024-05-01T00:00:00.000Z',
    trashedAt: null,
    charCount: 10,
  };
}

describe('ArticleListController', () => {
  fakeTimersInEachTest();

  it('debounces the search box and sends filters with the query', async () => {
    const requests: RequestOf<'articles:list'>[] = [];
    const list = new ArticleListController(async (request) => {
      requests.push(request);
      return { items: [summary('a1b2c3', '会议')], total: 1, problems: [] };
    });
    list.setStatus('draft');
    await vi.advanceTimersByTimeAsync(0);
    list.setQuery('南');
    list.setQuery('南水');
    list.setQuery('南水北调');
    expect(list.store.get().filters.query).toBe('南水北调');
    await vi.advanceTimersByTimeAsync(199);
    expect(requests).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(requests).toHaveLength(2);
    expect(requests[1]).toEqual({ trash: false, offset: 0, limit: LIST_PAGE_SIZE, status: 'draft', query: '南水北调' });
  });

  it('ignores an older answer that arrives after a newer one', async () => {
    const pending: Array<{ request: RequestOf<'articles:list'>; resolve(list: ArticleList): void }> = [];
    const list = new ArticleListController(
      (request) => new Promise<ArticleList>((resolve) => pending.push({ request, resolve })),
    );
    void list.reload();
    list.setColumn(['首页', '要闻动态']);
    expect(pending[1]?.request.column).toEqual(['首页', '要闻动态']);
    pending[1]?.resolve({ items: [summary('new111', '新')], total: 1, problems: [] });
    await vi.advanceTimersByTimeAsync(0);
    pending[0]?.resolve({ items: [summary('old111', '旧')], total: 1, problems: [] });
    await vi.advanceTimersByTimeAsync(0);
    expect(list.store.get().items.map((item) => item.id)).toEqual(['new111']);
  });

  it('keeps the problems the workspace reported and surfaces a failure instead of an empty list', async () => {
    let fail = false;
    const list = new ArticleListController(async () => {
      if (fail) throw new Error('offline');
      return {
        items: [],
        total: 0,
        problems: [
          {
            kind: 'damaged',
            file: 'abc.json',
            quarantinedAs: 'quarantine/abc.json',
            articleId: null,
            detail: 'Unexpected end of JSON',
            at: '2024-05-01T00:00:00.000Z',
          },
        ],
      };
    });
    await list.reload();
    expect(list.store.get().problems[0]?.file).toBe('abc.json');
    fail = true;
    await list.reload();
    expect(list.store.get().error).toBeInstanceOf(Error);
  });

  /** A fake service over `count` articles that pages and filters by ids as the real one does. */
  function pagedArchive(count: number) {
    const all = Array.from({ length: count }, (_, i) => summary(`row${String(i).padStart(4, '0')}`, `第${i}篇`));
    const requests: RequestOf<'articles:list'>[] = [];
    const fetcher = async (request: RequestOf<'articles:list'>): Promise<ArticleList> => {
      requests.push(request);
      const rows = request.ids ? all.filter((row) => request.ids?.includes(row.id)) : all;
      const offset = request.offset ?? 0;
      return { items: rows.slice(offset, offset + (request.limit ?? 500)), total: rows.length, problems: [] };
    };
    return { all, requests, fetcher };
  }

  it('fetches one page, says how many there are in all, and reaches the last row page by page', async () => {
    const archive = pagedArchive(LIST_PAGE_SIZE * 2 + 7);
    const list = new ArticleListController(archive.fetcher);
    await list.reload();
    expect(list.store.get().items).toHaveLength(LIST_PAGE_SIZE);
    expect(list.store.get().total).toBe(archive.all.length);
    await list.loadMore();
    await list.loadMore();
    expect(list.store.get().items.map((row) => row.id)).toEqual(archive.all.map((row) => row.id));
    // Everything is shown: asking for more asks nobody.
    const asked = archive.requests.length;
    await list.loadMore();
    expect(archive.requests).toHaveLength(asked);
    // A reload (after a save, a sync round) keeps as many rows as were shown; a new filter starts from the first page.
    await list.reload();
    expect(list.store.get().items).toHaveLength(archive.all.length);
    list.setStatus('draft');
    await vi.advanceTimersByTimeAsync(0);
    expect(list.store.get().items).toHaveLength(LIST_PAGE_SIZE);
  });

  it('asks the services for the articles in the chosen sync state, so the count and pages are theirs', async () => {
    const archive = pagedArchive(LIST_PAGE_SIZE + 10);
    const list = new ArticleListController(archive.fetcher, { syncStates: () => ({ row0003: 'conflict', row0059: 'conflict', row0004: 'pending' }) });
    list.setSync('conflict');
    await vi.advanceTimersByTimeAsync(0);
    expect(archive.requests.at(-1)?.ids).toEqual(['row0003', 'row0059']);
    expect(list.store.get().items.map((row) => row.id)).toEqual(['row0003', 'row0059']);
    expect(list.store.get().total).toBe(2);
  });
});

describe('runImport', () => {
  it('sends files one by one, reports progress, and turns failures into summary lines', async () => {
    const progress: string[] = [];
    const sent: string[] = [];
    const outcomes = await runImport(
      [
        { name: 'a.txt', read: async () => 'QQ==' },
        { name: 'broken.docx', read: async () => Promise.reject(new Error('cannot read')) },
        { name: 'c.html', read: async () => 'Qw==' },
      ],
      async (name): Promise<ImportOutcome> => {
        sent.push(name);
        if (name === 'c.html') return { ok: false, file: name, reason: 'no article found' };
        return {
          ok: true,
          file: name,
          article: summary('imp111', '标题'),
          fields: { title: '标题', subtitle: null, date: null, time: null, source: null, author: null, column: [], paragraphs: [] },
          unrecognised: [],
          warnings: [],
        };
      },
      (p) => progress.push(`${p.done}/${p.total}:${p.current ?? '-'}`),
    );
    expect(sent).toEqual(['a.txt', 'c.html']);
    expect(progress).toEqual(['0/3:a.txt', '1/3:broken.docx', '2/3:c.html', '3/3:-']);
    expect(outcomes[1]).toEqual({ ok: false, file: 'broken.docx', reason: 'cannot read' });
    expect(countOutcomes(outcomes)).toEqual({ imported: 1, duplicates: 0, failed: 2 });
  });

  it('stops before the next file when asked', async () => {
    let stop = false;
    const outcomes = await runImport(
      [
        { name: 'a.txt', read: async () => '' },
        { name: 'b.txt', read: async () => '' },
      ],
      async (name) => {
        stop = true;
        return { ok: false, file: name, reason: 'x' };
      },
      () => {},
      () => stop,
    );
    expect(outcomes.map((outcome) => outcome.file)).toEqual(['a.txt']);
  });
});
