import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../../node/services/store/atomic-file';
import { WorkspaceStore } from '../../../node/services/store/workspace-store';
import { ArticleMetaSchema } from '../../../shared/domain/article';

/*
 * Drafts, the office's signed record and people's sealed keys live in the
 * workspace: on a shared computer other accounts must not read them.
 */

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fe0def46b80000000049454e44ae426082', 'hex');
const modeOf = (path: string) => statSync(path).mode & 0o777;

let parent: string;
beforeEach(() => {
  parent = mkdtempSync(join(tmpdir(), 'gazette-perms-'));
});
afterEach(() => {
  rmSync(parent, { recursive: true, force: true });
});

describe.skipIf(process.platform === 'win32')('workspace permissions (POSIX; Windows uses ACLs)', () => {
  it('a new workspace folder is the owner’s alone, and what it saves is readable by the owner only', async () => {
    const dir = join(parent, 'workspace');
    const store = await WorkspaceStore.open(dir, { indexFlushDelayMs: 10 });
    try {
      expect(modeOf(dir)).toBe(0o700);
      const article = await store.create(ArticleMetaSchema.parse({ title: '未发布的稿件' }), { type: 'doc', content: [] });
      const { src } = await store.addAsset(article.id, '现场.png', 'image/png', PNG);
      expect(modeOf(join(dir, 'articles', article.id, 'article.json'))).toBe(0o600);
      expect(modeOf(join(dir, 'articles', article.id, src))).toBe(0o600);
      expect(modeOf(join(dir, '.gazette-open'))).toBe(0o600);
    } finally {
      await store.close();
    }
  });

  it('a file rewritten atomically becomes owner-only, whatever it was before', async () => {
    const file = join(parent, 'settings.json');
    writeFileSync(file, '{}');
    chmodSync(file, 0o644);
    await writeFileAtomic(file, '{"a":0}');
    expect(modeOf(file)).toBe(0o600);
    await writeFileAtomic(file, '{"a":1}', { backup: true });
    expect(modeOf(file)).toBe(0o600);
    expect(modeOf(`${file}.bak`)).toBe(0o600);
  });
});
