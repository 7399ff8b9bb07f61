import { createHash } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import { lstat, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { ASSETS_DIR, ID_PATTERN } from './article-file';
import { assertStoredAsset, storedAssetName } from './assets';
import { isMissing, statOrNull, TEMP_MARKER, writeFileAtomic } from './atomic-file';
import { t } from '../messages';
import { StoreError } from './store-error';

/** A stored asset's name and the SHA-256 of its bytes, as the content hash lists it. */
export interface StoredAssetDigest {
  name: string;
  sha256: string;
}

/**
 * The files an article's doc points to (`assets/<hash>.<ext>`), in
 * `articles/<id>/assets/`. Callers check that the article exists.
 */
export class ArticleAssets {
  readonly #folderOf: (articleId: string) => string;
  readonly #root: string;
  /** Digests by path, valid while size and modification time are unchanged. */
  readonly #digests = new Map<string, { stamp: string; sha256: string }>();

  /** `root` is the workspace folder: no asset may resolve outside it, nor through a link inside it. */
  constructor(root: string, folderOf: (articleId: string) => string) {
    this.#root = resolve(root);
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

  /**
   * Makes the assets folder hold exactly `assets` (checked first, all of them):
   * what a newer signed version of the article brings replaces what was here,
   * and a file it no longer has is removed, since it would count in the hash.
   */
  async replace(articleId: string, assets: readonly { name: string; bytes: Uint8Array }[]): Promise<void> {
    ArticleAssets.check(assets);
    const keep = new Set(assets.map((a) => a.name));
    for (const { name } of await this.digests(articleId)) {
      if (!keep.has(name)) await rm(join(this.#folder(articleId), name), { force: true });
    }
    await this.adopt(articleId, assets);
  }

  /**
   * Absolute path of an asset, or null if `src` points outside the article's
   * assets or to nothing. Throws a StoreError when the file is reached
   * through a symbolic link (or any other way out of the workspace): every
   * reader (web host, asset protocol, export, publishing, photos) comes
   * here, and none of them may carry a file from elsewhere on the disk.
   */
  path(articleId: string, src: string): string | null {
    if (!ID_PATTERN.test(articleId) || !src.startsWith(`${ASSETS_DIR}/`)) return null;
    const name = src.slice(ASSETS_DIR.length + 1);
    if (name === '' || name === '.' || name === '..' || /[/\\\0:]/.test(name)) return null;
    const folder = this.#folder(articleId);
    const path = resolve(folder, name);
    const rel = relative(folder, path);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return null;
    const stat = statOrNull(path);
    if (!stat?.isFile()) return null;
    this.#assertNoLink(path, src);
    return path;
  }

  /** Refuses a path whose real location is not the one its name says (a link anywhere below the workspace). */
  #assertNoLink(path: string, src: string): void {
    let real: string;
    let expected: string;
    try {
      real = realpathSync.native(path);
      // The workspace folder itself may sit behind a link (a synced or moved profile): that is the user's choice.
      expected = join(realpathSync.native(this.#root), relative(this.#root, path));
    } catch {
      throw new StoreError('invalid_request', t('store.asset.outside', { src }));
    }
    if (real !== expected) throw new StoreError('invalid_request', t('store.asset.outside', { src }));
  }

  /**
   * Every file in the article's assets folder with the SHA-256 of its bytes as
   * they are now: what goes live with the text, so what an approval covers. A
   * file nobody links to still counts (it would still be copied and served).
   */
  async digests(articleId: string): Promise<StoredAssetDigest[]> {
    const folder = this.#folder(articleId);
    let names: string[];
    try {
      names = await readdir(folder);
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
    const out: StoredAssetDigest[] = [];
    for (const name of names.sort()) {
      if (name.includes(TEMP_MARKER)) continue;
      const path = join(folder, name);
      // lstat: a link is not one of the article's files, and is never followed (see path()).
      const info = await lstat(path);
      if (!info.isFile()) continue;
      // ctime changes on every write and cannot be set back by the writer, unlike mtime.
      const stamp = `${info.size}|${info.mtimeMs}|${info.ctimeMs}|${info.ino}`;
      let cached = this.#digests.get(path);
      if (cached?.stamp !== stamp) {
        cached = { stamp, sha256: createHash('sha256').update(await readFile(path)).digest('hex') };
        this.#digests.set(path, cached);
      }
      out.push({ name, sha256: cached.sha256 });
    }
    return out;
  }

  #folder(articleId: string): string {
    return join(this.#folderOf(articleId), ASSETS_DIR);
  }
}
