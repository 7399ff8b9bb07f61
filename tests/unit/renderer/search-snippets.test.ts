// @vitest-environment jsdom
/// <reference lib="dom" />
import { act, createElement } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ArticleSummary } from '../../../shared/domain/article';
import { MarkedText } from '../../../renderer/src/components/MarkedText';
import { ArticleListController } from '../../../renderer/src/state/article-list';

(globalThis as { IS_REACT_ACT_ENVIRONMENT?: boolean }).IS_REACT_ACT_ENVIRONMENT = true;

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

function render(text: string, marks: [number, number][]): void {
  act(() => root.render(createElement(MarkedText, { value: { text, marks } })));
}

describe('search snippet', () => {
  it('shows the snippet text with each match in a <mark>', () => {
    render('…会议部署全面推进乡村振兴和乡村建设…', [
      [9, 13],
      [14, 16],
    ]);
    expect(container.textContent).toBe('…会议部署全面推进乡村振兴和乡村建设…');
    expect([...container.querySelectorAll('mark')].map((mark) => mark.textContent)).toEqual(['乡村振兴', '乡村']);
  });

  it('shows markup in an article as text, never as HTML', () => {
    render('<img src=x onerror=alert(1)>乡村振兴', [[28, 32]]);
    expect(container.querySelector('img')).toBeNull();
    expect(container.textContent).toBe('<img src=x onerror=alert(1)>乡村振兴');
    expect(container.querySelector('mark')?.textContent).toBe('乡村振兴');
  });

  it('skips marks that overlap or fall outside the text instead of cutting it wrongly', () => {
    render('乡村振兴', [
      [0, 2],
      [1, 3],
      [3, 9],
    ]);
    expect(container.textContent).toBe('乡村振兴');
    expect([...container.querySelectorAll('mark')].map((mark) => mark.textContent)).toEqual(['乡村']);
  });

  it('keeps the snippets and the "index still building" note of the answer with the rows', async () => {
    const row: ArticleSummary = {
      id: 'a1b2c3',
      title: '乡村振兴推进会',
      column: ['首页'],
      status: 'draft',
      publishAt: null,
      source: '',
      createdAt: '2024-05-01T00:00:00.000Z',
      updatedAt: '2024-05-01T00:00:00.000Z',
      trashedAt: null,
      charCount: 10,
    };
    const snippet = { title: { text: row.title, marks: [[0, 4]] as [number, number][] }, body: null };
    const list = new ArticleListController(async () => ({
      items: [row],
      total: 1,
      problems: [],
      snippets: { [row.id]: snippet },
      searchIndexPending: true,
    }));
    await list.reload();
    expect(list.store.get().snippets[row.id]).toEqual(snippet);
    expect(list.store.get().searchIndexPending).toBe(true);
  });
});
