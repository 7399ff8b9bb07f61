import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WorkspaceStore } from '../../../node/services/store/workspace-store';
import { ArticleMetaSchema, newArticle } from '../../../shared/domain/article';

/*
 * Every way an asset arrives goes through one allowlist checked by the bytes:
 * files a writer adds, and files that arrive already named in a package or a
 * sync. A package holding script-bearing files or an image swapped under its
 * approved name must not get them into the workspace, let alone onto the portal.
 */

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8ffff3f0005fe02fe0def46b80000000049454e44ae426082', 'hex');
const nameOf = (bytes: Uint8Array, ext: string) => `${createHash('sha256').update(bytes).digest('hex').slice(0, 20)}.${ext}`;

let dir: string;
let store: WorkspaceStore;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gazette-assets-'));
  store = await WorkspaceStore.open(dir, { indexFlushDelayMs: 10 });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const incoming = (id: string) => newArticle(id, '2026-12-01T08:00:00.000Z', ArticleMetaSchema.parse({ title: '包中文稿' }));

async function expectRefusedAdoption(assets: { name: string; bytes: Uint8Array }[]) {
  const article = incoming(store.newArticleId());
  await expect(store.adopt(article, [], assets)).rejects.toMatchObject({ code: 'unsupported_file' });
  // Nothing of the refused article is left behind.
  expect(existsSync(join(dir, 'articles', article.id))).toBe(false);
  expect(store.summary(article.id)).toBeUndefined();
}

describe('one asset allowlist, checked by the bytes', () => {
  it('adopts a package image stored under the hash of its bytes', async () => {
    const article = incoming(store.newArticleId());
    await store.adopt(article, [], [{ name: nameOf(PNG, 'png'), bytes: PNG }]);
    expect(store.assetPath(article.id, `assets/${nameOf(PNG, 'png')}`)).not.toBeNull();
  });

  it('refuses HTML and SVG files with script arriving in a package, whatever they are named', async () => {
    const script = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>');
    await expectRefusedAdoption([{ name: 'x.html', bytes: Buffer.from('<script>alert(1)</script>') }]);
    await expectRefusedAdoption([{ name: 'x.svg', bytes: script }]);
    await expectRefusedAdoption([{ name: nameOf(script, 'svg'), bytes: script }]);
    // Script bytes dressed as an image under a well-formed name.
    await expectRefusedAdoption([{ name: nameOf(script, 'png'), bytes: script }]);
  });

  it('refuses an image swapped under the name of the approved one', async () => {
    const other = Buffer.concat([PNG, Buffer.from([0])]);
    await expectRefusedAdoption([
      { name: nameOf(PNG, 'png'), bytes: PNG },
      { name: nameOf(PNG, 'jpg'), bytes: other },
    ]);
  });

  it('checks attachments by their bytes too: a .pdf must be a PDF, a .docx a ZIP container', async () => {
    const created = await store.create(ArticleMetaSchema.parse({ title: '附件' }), { type: 'doc', content: [] });
    await expect(store.addAsset(created.id, '通知.pdf', 'application/pdf', Buffer.from('<html><script>'))).rejects.toMatchObject({
      code: 'unsupported_file',
    });
    await expect(store.addAsset(created.id, '通知.docx', 'application/octet-stream', Buffer.from('MZ\x90\x00'))).rejects.toMatchObject({
      code: 'unsupported_file',
    });
    await expect(store.addAsset(created.id, '通知.pdf', 'application/pdf', Buffer.from('%PDF-1.7\n'))).resolves.toMatchObject({
      src: expect.stringMatching(/^assets\/[0-9a-f]{20}\.pdf$/),
    });
  });
});
