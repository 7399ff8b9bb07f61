import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArticleMetaSchema } from '../../../shared/domain/article';
import { type Doc, paragraph } from '../../../shared/domain/doc';
import { searchSnippet } from '../../../node/services/store/search-snippets';
import { WorkspaceStore } from '../../../node/services/store/workspace-store';

let dir: string;
const open: WorkspaceStore[] = [];

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gazette-search-'));
});

afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function openStore(): Promise<WorkspaceStore> {
  const store = await WorkspaceStore.open(dir, { indexFlushDelayMs: 10 });
  open.push(store);
  return store;
}

const doc = (...paragraphs: string[]): Doc => ({ type: 'doc', content: paragraphs.map((p) => paragraph(p)) });
const ids = (answer: { items: { id: string }[] }) => answer.items.map((item) => item.id);

describe('full-text search index', () => {
  it('finds a Chinese phrase in the body with the full-text index, and not an article holding its characters apart', async () => {
    const store = await openStore();
    const rural = await store.create(ArticleMetaSchema.parse({ title: '区党工委召开工作会议' }), doc('会议部署了全面推进乡村振兴的重点任务。'));
    // Has 乡村, 村振 and 振兴 as pairs, but never 乡村振兴 itself.
    const apart = await store.create(ArticleMetaSchema.parse({ title: '乡村道路' }), doc('村振作精神，振兴产业。'));
    await store.fullTextReady();
    const answer = store.search({ query: '乡村振兴' });
    expect(answer.indexPending).toBe(false);
    expect(ids(answer)).toEqual([rural.id]);
    expect(ids(store.search({ query: '振兴' }))).toEqual([apart.id, rural.id]);
  });

  it('keeps the list in order through saves, trashing and purging, and the hits of a query in that order, as a fresh open sorts them', async () => {
    const store = await openStore();
    const created: string[] = [];
    for (let i = 0; i < 40; i++) {
      const body = i % 3 === 0 ? `第${i}篇：优化营商环境。` : `第${i}篇：会议召开。`;
      created.push((await store.create(ArticleMetaSchema.parse({ title: `稿件${i}` }), doc(body))).id);
    }
    await store.fullTextReady();
    store.search({}, { offset: 0, limit: 10 });
    store.search({ query: '营商环境' }, { offset: 0, limit: 10 });
    // Saves in no particular order (each moves its article to the top), some gaining the phrase.
    for (const i of [7, 30, 2, 39, 0, 21]) {
      const article = await store.get(created[i] as string);
      await store.save(article.id, article.meta, doc(`第${i}篇改稿：营商环境持续优化。`));
      store.search({ query: '营商环境' }, { offset: 0, limit: 5 });
    }
    await store.trash(created[12] as string);
    await store.trash(created[13] as string);
    await store.purge(created[13] as string);
    const listed = ids(store.search({}));
    const found = ids(store.search({ query: '营商环境' }));
    await store.close();
    open.splice(open.indexOf(store), 1);

    const reopened = await openStore();
    await reopened.fullTextReady();
    expect(listed).toEqual(ids(reopened.search({})));
    expect(listed.slice(0, 6)).toEqual([21, 0, 39, 2, 30, 7].map((i) => created[i]));
    expect(found).toEqual(ids(reopened.search({ query: '营商环境' })));
    // 14 of the 40 held the phrase and one of them is in the trash; the saves gave it to two more (7 and 2).
    expect(found).toHaveLength(15);
  });

  it('finds a saved article by its new text and no longer by its old text', async () => {
    const store = await openStore();
    const article = await store.create(ArticleMetaSchema.parse({ title: '通知' }), doc('关于南水北调工程的通知。'));
    await store.fullTextReady();
    expect(ids(store.search({ query: '南水北调' }))).toEqual([article.id]);
    await store.save(article.id, article.meta, doc('关于营商环境优化的通知。'));
    expect(ids(store.search({ query: '营商环境' }))).toEqual([article.id]);
    expect(ids(store.search({ query: '南水北调' }))).toEqual([]);
  });

  it('does not find a purged article, nor a trashed one outside the trash', async () => {
    const store = await openStore();
    const gone = await store.create(ArticleMetaSchema.parse({ title: '旧稿' }), doc('生态环保督察整改情况。'));
    const kept = await store.create(ArticleMetaSchema.parse({ title: '新稿' }), doc('生态环保宣传活动。'));
    await store.fullTextReady();
    await store.trash(gone.id);
    expect(ids(store.search({ query: '生态环保' }))).toEqual([kept.id]);
    expect(ids(store.search({ query: '生态环保', trash: true }))).toEqual([gone.id]);
    await store.purge(gone.id);
    expect(ids(store.search({ query: '生态环保', trash: true }))).toEqual([]);
  });

  it('finds articles after reopening, answering from the texts (and saying so) until the index is built', async () => {
    const first = await openStore();
    const article = await first.create(ArticleMetaSchema.parse({ title: '乡村振兴工作推进会' }), doc('正文。'));
    await first.close();
    open.splice(0);
    const store = await openStore();
    const early = store.search({ query: '乡村振兴' });
    expect(early.indexPending).toBe(true);
    expect(ids(early)).toEqual([article.id]);
    await store.fullTextReady();
    const later = store.search({ query: '乡村振兴' });
    expect(later.indexPending).toBe(false);
    expect(ids(later)).toEqual([article.id]);
  });

  it('still finds one-character, Latin and digit terms, which hold no Han pair for the index', async () => {
    const store = await openStore();
    const article = await store.create(ArticleMetaSchema.parse({ title: '2024年GDP增长' }), doc('全镇经济稳中向好。'));
    await store.create(ArticleMetaSchema.parse({ title: '其他' }), doc('无关内容。'));
    await store.fullTextReady();
    expect(ids(store.search({ query: '镇' }))).toEqual([article.id]);
    expect(ids(store.search({ query: 'gdp 2024' }))).toEqual([article.id]);
    expect(ids(store.search({ query: 'gdp 经济' }))).toEqual([article.id]);
  });

  it('gives a snippet holding the match, with the matched part marked, in the title and in the body', async () => {
    const store = await openStore();
    const body = `${'前文内容'.repeat(30)}全面推进乡村振兴战略${'后文内容'.repeat(30)}`;
    const article = await store.create(ArticleMetaSchema.parse({ title: '乡村振兴专题会议' }), doc(body));
    await store.fullTextReady();
    const snippet = store.search({ query: '乡村振兴' }).snippets[article.id];
    expect(snippet?.title?.text).toBe('乡村振兴专题会议');
    expect(snippet?.title?.marks).toEqual([[0, 4]]);
    const excerpt = snippet?.body;
    expect(excerpt?.text).toContain('全面推进乡村振兴战略');
    expect(excerpt?.text.startsWith('…')).toBe(true);
    expect(excerpt?.text.endsWith('…')).toBe(true);
    expect(excerpt?.text.length).toBeLessThan(body.length);
    expect(excerpt?.marks.map(([a, b]) => excerpt.text.slice(a, b))).toEqual(['乡村振兴']);
  });
});

describe('search tokens and snippets', () => {
  it('marks every term, merging overlaps', () => {
    const snippet = searchSnippet('标题', '标题\n推进乡村振兴和乡村建设', ['乡村振兴', '乡村']);
    expect(snippet.title).toBeNull();
    expect(snippet.body?.text).toBe('推进乡村振兴和乡村建设');
    expect(snippet.body?.marks).toEqual([
      [2, 6],
      [7, 9],
    ]);
  });
});

describe('list pages', () => {
  it('returns one page of the filtered rows in list order with the number in all, and snippets only for that page', async () => {
    const store = await openStore();
    const made: string[] = [];
    for (let i = 0; i < 7; i++) {
      const text = i % 2 === 0 ? `第${i}篇：推进乡村振兴。` : `第${i}篇：营商环境。`;
      made.push((await store.create(ArticleMetaSchema.parse({ title: `稿件${i}` }), doc(text))).id);
    }
    await store.fullTextReady();
    const newestFirst = ids({ items: store.list() });
    expect(newestFirst).toHaveLength(7);

    const second = store.search({}, { offset: 3, limit: 3 });
    expect(second.total).toBe(7);
    expect(ids(second)).toEqual(newestFirst.slice(3, 6));
    expect(ids(store.search({}, { offset: 6, limit: 3 }))).toEqual(newestFirst.slice(6));

    // Filters apply before paging: four articles hold 乡村振兴, the page holds the second and third of them.
    const rural = store.search({ query: '乡村振兴' }, { offset: 1, limit: 2 });
    expect(rural.total).toBe(4);
    const allRural = ids(store.search({ query: '乡村振兴' }));
    expect(ids(rural)).toEqual(allRural.slice(1, 3));
    expect(Object.keys(rural.snippets).sort()).toEqual([...ids(rural)].sort());

    // Only the named articles (the office-sync filter).
    const named = store.search({ ids: [made[0]!, made[5]!] }, { offset: 0, limit: 50 });
    expect(named.total).toBe(2);
    expect(new Set(ids(named))).toEqual(new Set([made[0], made[5]]));
  });
});
