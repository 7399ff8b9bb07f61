import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { ASSETS_DIR, ID_PATTERN } from './article-file';
import { assertStoredAsset, storedAssetName } from './assets';
import { statOrNull, writeFileAtomic } from './atomic-file';

/**
 * The files an article's doc points to (`assets/<hash>.<ext>`), in
 * `articles/<id>/assets/`. Callers check that the article exists.
 */
export class ArticleAssets {
  readonly #folderOf: (articleId: string) => string;

  constructor(folderOf: (articleId: string) => string) {
    this.#folderOf = folderOf;
  }

  /** Stores a file; returns the `src` to put in the doc. Throws a StoreError for a name or type not allowed. */
  async add(articleId: string, fileName: string, data: Uint8Array): Promise<{ src: string }> {
    const name = storedAssetName(fileName, data);
    const folder = this.#folder(articleId);
    const path = join(folder, name);
    // The name is a content hash: an existing file already holds these exact bytes.
    if (!existsSync(path)) {
      await mkdir(folder, { recursive: true });
      await writeFileAtomic(path, data);
    }
    return { src: `${ASSETS_DIR}/${name}` };
  }

  /** Refuses (StoreError) unless every file received from elsewhere passes {@link assertStoredAsset}. */
  static check(assets: readonly { name: string; bytes: Uint8Array }[]): void {
    for (const asset of assets) assertStoredAsset(asset.name, asset.bytes);
  }

  /** Writes files received from elsewhere under their stored names, after all of them passed {@link ArticleAssets.check}. */
  async adopt(articleId: string, assets: readonly { name: string; bytes: Uint8Array }[]): Promise<void> {
    ArticleAssets.check(assets);
    const folder = this.#folder(articleId);
    if (assets.length > 0) await mkdir(folder, { recursive: true });
    for (const asset of assets) await writeFileAtomic(join(folder, asset.name), asset.bytes);
  }

  /** Absolute path of an asset, or null if `src` points outside the article's assets or to nothing. */
  path(articleId: string, src: string): string | null {
    if (!ID_PATTERN.test(articleId) || !src.startsWith(`${ASSETS_DIR}/`)) return null;
    const name = src.slice(ASSETS_DIR.length + 1);
    if (name === '' || name === '.' || name === '..' || /[/\\\0:]/.test(name)) return null;
    const folder = this.#folder(articleId);
    const path = resolve(folder, name);
    const rel = relative(folder, path);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return null;
    const stat = statOrNull(path);
    return stat?.isFile() ? path : null;
  }

  #folder(articleId: string): string {
    return join(this.#folderOf(articleId), ASSETS_DIR);
  }
}
