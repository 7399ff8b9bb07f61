import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeStaleTemps } from '../../../node/services/store/stale-temps';
import { WorkspaceStore } from '../../../node/services/store/workspace-store';
import { ArticleMetaSchema } from '../../../shared/domain/article';

/*
 * A crash between writing a temp file and renaming it leaves `*.tmp-*` files
 * behind. Opening the workspace clears them, except what recovery still
 * needs and what a write under way right now is using.
 */

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fe0def46b80000000049454e44ae426082', 'hex');
const HOUR_AGO = new Date(Date.now() - 3600_000);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gazette-temps-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A file as a crashed earlier run would have left it: written an hour ago. */
function leftOver(path: string, content: string | Buffer): string {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  utimesSync(path, HOUR_AGO, HOUR_AGO);
  return path;
}

const tempsUnder = (root: string): string[] =>
  (readdirSync(root, { recursive: true }) as string[]).filter((name) => name.includes('.tmp-')).map((name) => name.replaceAll('\\', '/')).sort();

describe('stale temp files are cleared when the workspace opens', () => {
  it('removes crash leftovers, keeps a write under way and the quarantine, and recovers an unfinished save first', async () => {
    let store = await WorkspaceStore.open(dir, { indexFlushDelayMs: 10 });
    const kept = await store.create(ArticleMetaSchema.parse({ title: '已保存' }), { type: 'doc', content: [] });
    const { src } = await store.addAsset(kept.id, '现场.png', 'image/png', PNG);
    const unfinished = await store.create(ArticleMetaSchema.parse({ title: '旧标题' }), { type: 'doc', content: [] });
    await store.close();

    const keptFolder = join(dir, 'articles', kept.id);
    const crashLeftovers = [
      leftOver(join(keptFolder, `${src}.tmp-0a0a0a0a0a0a`), PNG),
      leftOver(join(keptFolder, 'article.json.tmp-0b0b0b0b0b0b'), '{"half":'),
      leftOver(join(dir, 'settings.json.tmp-0c0c0c0c0c0c'), '{}'),
    ];
    const evidence = leftOver(join(dir, 'quarantine', '2026-01-01T00-00-00-000Z_settings.json.tmp-0d0d0d0d0d0d'), '{}');
    // Written after this process started: some writer is using it right now.
    const underWay = join(keptFolder, `${src}.tmp-0e0e0e0e0e0e`);
    writeFileSync(underWay, PNG);

    // The last save of this article never reached its name: article.json is gone, the temp holds the text.
    const unfinishedFolder = join(dir, 'articles', unfinished.id);
    const saved = JSON.parse(readFileSync(join(unfinishedFolder, 'article.json'), 'utf8'));
    saved.meta.title = '崩溃前的新标题';
    saved.updatedAt = new Date(Date.parse(saved.updatedAt) + 1000).toISOString();
    const recoverable = leftOver(join(unfinishedFolder, 'article.json.tmp-0f0f0f0f0f0f'), JSON.stringify(saved));
    unlinkSync(join(unfinishedFolder, 'article.json'));
    writeFileSync(join(dir, '.gazette-open'), '{}');

    store = await WorkspaceStore.open(dir, { indexFlushDelayMs: 10 });
    try {
      expect((await store.get(unfinished.id)).meta.title).toBe('崩溃前的新标题');
      expect((await store.get(kept.id)).meta.title).toBe('已保存');
      expect(existsSync(underWay)).toBe(true);
      expect(existsSync(evidence)).toBe(true);
      for (const path of [...crashLeftovers, recoverable]) expect(existsSync(path), path).toBe(false);
      // Only the asset and settings leftovers were swept; recovery itself moved the half-written article save aside.
      const outsideQuarantine = tempsUnder(dir).filter((name) => !name.startsWith('quarantine/') && /\.tmp-0[a-f]0/.test(name));
      expect(outsideQuarantine).toEqual([`articles/${kept.id}/${src}.tmp-0e0e0e0e0e0e`]);
    } finally {
      await store.close();
    }
  });

  it('after a clean close, sweeps leftovers behind the opened list, and is done by the time the store closes', async () => {
    let store = await WorkspaceStore.open(dir, { indexFlushDelayMs: 10 });
    const kept = await store.create(ArticleMetaSchema.parse({ title: '已保存' }), { type: 'doc', content: [] });
    await store.close();
    const leftovers = [leftOver(join(dir, 'articles', kept.id, 'article.json.tmp-0a0b0c0d0e0f'), '{"half":'), leftOver(join(dir, 'settings.json.tmp-0c0c0c0c0c0d'), '{}')];

    store = await WorkspaceStore.open(dir, { indexFlushDelayMs: 10 });
    expect(store.list().map((summary) => summary.title)).toEqual(['已保存']);
    await store.close();
    for (const path of leftovers) expect(existsSync(path), path).toBe(false);
  });

  it('never removes the temp of an article whose article.json is missing, nor anything newer than the cut-off', async () => {
    const folder = join(dir, 'articles', 'a1');
    const needed = leftOver(join(folder, 'article.json.tmp-111111111111'), '{"title":"唯一的副本"}');
    const stale = leftOver(join(dir, 'index.json.tmp-222222222222'), '{}');
    const fresh = join(dir, 'settings.json.tmp-333333333333');
    writeFileSync(fresh, '{}');
    const removed = await removeStaleTemps(dir, Date.now() - 60_000);
    expect(removed).toEqual(['index.json.tmp-222222222222']);
    expect(existsSync(needed)).toBe(true);
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(fresh)).toBe(true);
  });
});
