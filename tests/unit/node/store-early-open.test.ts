import { existsSync, mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArticleMetaSchema } from '../../../shared/domain/article';
import { type Doc, paragraph } from '../../../shared/domain/doc';
import { WorkspaceStore } from '../../../node/services/store/workspace-store';

/*
 * An archive takes seconds to load: opened early, the store lists its newest
 * rows at once, loads every article behind them, and has everything else wait.
 */

let dir: string;
const open: WorkspaceStore[] = [];
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gazette-early-'));
});
afterEach(async () => {
  for (const store of open.splice(0)) await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const doc = (text: string): Doc => ({ type: 'doc', content: [paragraph(text)] });
const PAGE = { offset: 0, limit: 3 };

/** A closed workspace of `n` articles, created in order (the last is the newest); returns their ids. */
async function workspaceOf(n: number): Promise<string[]> {
  const store = await WorkspaceStore.open(dir, { indexFlushDelayMs: 10 });
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await store.create(ArticleMetaSchema.parse({ title: `第${i}篇` }), doc(`正文${i}：乡村振兴。`))).id);
  await store.close();
  return ids;
}

async function openEarly(): Promise<WorkspaceStore> {
  const store = await WorkspaceStore.openEarly(dir, { indexFlushDelayMs: 10 });
  open.push(store);
  return store;
}

describe('opening a workspace early', () => {
  it('lists the newest rows as the last session left them, then the whole list once loaded', async () => {
    const ids = await workspaceOf(8);
    const store = await openEarly();
    expect(store.loading).toBe(true);
    const early = store.earlyPage({}, PAGE);
    expect(early?.items.map((row) => row.id)).toEqual([ids[7], ids[6], ids[5]]);
    expect(early?.total).toBe(8);
    // Any other view of the list waits for the load.
    expect(store.earlyPage({ query: '乡村振兴' }, PAGE)).toBeNull();
    expect(store.earlyPage({}, { offset: 3, limit: 3 })).toBeNull();
    expect(store.earlyPage({ trash: true }, PAGE)).toBeNull();

    await store.loaded;
    expect(store.loading).toBe(false);
    expect(store.earlyPage({}, PAGE)).toBeNull();
    expect(store.search({}, PAGE).items.map((row) => row.id)).toEqual([ids[7], ids[6], ids[5]]);
    expect(store.search({ query: '乡村振兴' }).total).toBe(8);
  });

  it('writes the first rows at the next close when they are missing (a workspace from before), even with nothing changed', async () => {
    const ids = await workspaceOf(4);
    const firstPage = join(dir, 'index', 'first-page.json');
    rmSync(firstPage);
    const plain = await WorkspaceStore.open(dir, { indexFlushDelayMs: 10 });
    await plain.close();
    expect(existsSync(firstPage)).toBe(true);
    const store = await openEarly();
    expect(store.earlyPage({}, PAGE)?.items.map((row) => row.id)).toEqual([ids[3], ids[2], ids[1]]);
  });

  it('never shows a row whose file changed since it was listed, nor one in the trash', async () => {
    const ids = await workspaceOf(5);
    // Changed behind the app's back: another title, another size.
    const file = join(dir, 'articles', ids[4] as string, 'article.json');
    const article = JSON.parse(readFileSync(file, 'utf8'));
    article.meta.title = '外部修改过的标题';
    writeFileSync(file, JSON.stringify(article));

    const store = await openEarly();
    const early = store.earlyPage({}, PAGE);
    expect(early?.items.map((row) => row.id)).toEqual([ids[3], ids[2], ids[1]]);
    await store.loaded;
    expect(store.search({}, PAGE).items[0]?.title).toBe('外部修改过的标题');
  });

  it('without any index (a first open of a copied archive), lists the files written last, read and checked', async () => {
    const ids = await workspaceOf(6);
    rmSync(join(dir, 'index'), { recursive: true, force: true });
    writeFileSync(join(dir, 'articles', ids[2] as string, 'article.json'), '{"broken":');
    const store = await openEarly();
    const early = store.earlyPage({}, PAGE);
    expect(early?.items.map((row) => row.id)).toEqual([ids[5], ids[4], ids[3]]);
    // Folders, broken one included: the number is approximate until everything is read.
    expect(early?.total).toBe(6);
    await store.loaded;
    expect(store.search({}).total).toBe(5);
  });

  it('makes reading and writing articles wait for the load, so none works on part of the workspace', async () => {
    const ids = await workspaceOf(4);
    const store = await openEarly();
    const oldest = ids[0] as string;
    const [article, created] = await Promise.all([
      store.get(oldest),
      store.create(ArticleMetaSchema.parse({ title: '加载时新建' }), doc('正文。')),
    ]);
    expect(store.loading).toBe(false);
    expect(article.meta.title).toBe('第0篇');
    expect(store.search({}).items.map((row) => row.id)).toContain(created.id);
    expect(store.search({}).total).toBe(5);
  });

  it('ignores a first-rows file that is not one (damaged, oversized, or naming folders that are not articles)', async () => {
    const ids = await workspaceOf(3);
    const firstPage = join(dir, 'index', 'first-page.json');
    const saved = JSON.parse(readFileSync(firstPage, 'utf8'));
    for (const content of [
      '{"format":"gazette/first-page", broken',
      JSON.stringify({ ...saved, total: 999, rows: [{ ...saved.rows[0], summary: { ...saved.rows[0].summary, id: '../../etc' } }] }),
      JSON.stringify({ ...saved, total: 999, padding: 'x'.repeat(2 * 1024 * 1024) }),
    ]) {
      writeFileSync(firstPage, content);
      const store = await openEarly();
      // Read from the newest files instead (the file's own count is not taken either).
      const early = store.earlyPage({}, PAGE);
      expect(early?.items.map((row) => row.id)).toEqual([ids[2], ids[1], ids[0]]);
      expect(early?.total).toBe(3);
      await store.close();
      open.splice(open.indexOf(store), 1);
    }
  });

  it('after a crash lists the unchanged newest rows at once and recovers every folder before answering anything else', async () => {
    const ids = await workspaceOf(3);
    // The last save of the newest article never reached its name: the temp holds the newer text.
    const folder = join(dir, 'articles', ids[2] as string);
    const saved = JSON.parse(readFileSync(join(folder, 'article.json'), 'utf8'));
    saved.meta.title = '崩溃前的新标题';
    saved.updatedAt = new Date(Date.parse(saved.updatedAt) + 1000).toISOString();
    writeFileSync(join(folder, 'article.json.tmp-0f0f0f0f0f0f'), JSON.stringify(saved));
    writeFileSync(join(dir, '.gazette-open'), '{}');

    const store = await openEarly();
    expect(store.loading).toBe(true);
    expect(store.earlyPage({}, PAGE)?.items.map((row) => row.title)).toEqual(['第2篇', '第1篇', '第0篇']);
    expect((await store.get(ids[2] as string)).meta.title).toBe('崩溃前的新标题');
    expect(store.search({}).items.map((row) => row.title)).toEqual(['崩溃前的新标题', '第1篇', '第0篇']);
  });

  it('closes while still loading, keeps what it read, and the next open lists everything', async () => {
    const ids = await workspaceOf(30);
    rmSync(join(dir, 'index'), { recursive: true, force: true });
    const store = await openEarly();
    await store.close();
    open.splice(open.indexOf(store), 1);
    expect(existsSync(join(dir, '.gazette-open'))).toBe(false);

    const again = await WorkspaceStore.open(dir, { indexFlushDelayMs: 10 });
    open.push(again);
    expect(again.search({}).items.map((row) => row.id)).toEqual([...ids].reverse());
  });
});
