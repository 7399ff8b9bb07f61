import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import type { PhotoEdit } from '../../../shared/domain/photo';
import { t } from '../messages';
import { StoreError } from '../store/store-error';
import type { WorkspaceStore } from '../store/workspace-store';
import { isPhotoFileName, makeWorkingCopy } from './photos';

/** What the article's image node records of a photo: the picture it shows, the original it came from, its size. */
export interface AddedPhoto {
  src: string;
  original: string;
  width: number;
  height: number;
}

/**
 * Photos as articles hold them. Each photo is two files in the article's
 * assets: the writer's original, byte for byte (kept, never published), and
 * the working copy the article shows and publishing resizes (upright,
 * cropped and turned as asked, metadata gone). The image node points at the
 * working copy and remembers the original, so a later crop starts again from
 * the original instead of cropping a crop.
 */
export class PhotoLibrary {
  readonly #store: WorkspaceStore;
  /** Photos worked on at once: a 12-megapixel photo holds ~100 MB while decoded, and libuv's pool has 4 threads. */
  readonly #slots: number;
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(store: WorkspaceStore, slots = Math.max(1, Math.min(4, availableParallelism()))) {
    this.#store = store;
    this.#slots = slots;
  }

  /** Whether a file added to an article goes through the photo pipeline (by its name; its bytes decide the rest). */
  static isPhoto(fileName: string): boolean {
    return isPhotoFileName(fileName);
  }

  /**
   * Adds a photo: checks it (refused with a message naming the file when it is
   * not a picture, is cut off or too large — nothing is stored then), stores
   * the original and the working copy. Throws StoreError.
   */
  async add(articleId: string, fileName: string, data: Uint8Array): Promise<AddedPhoto> {
    const working = await this.#inTurn(() => makeWorkingCopy(data, fileName));
    const { src: original } = await this.#store.addAsset(articleId, fileName, '', data);
    const { src } = await this.#store.addAsset(articleId, `photo.${working.ext}`, '', working.data);
    return { src, original, width: working.width, height: working.height };
  }

  /** A new working copy from the article's original `original` (an `assets/…` src), turned and cropped as asked. */
  async edit(articleId: string, original: string, edit: PhotoEdit): Promise<AddedPhoto> {
    const path = this.#store.assetPath(articleId, original);
    if (!path || !isPhotoFileName(path)) throw new StoreError('not_found', t('photo.error.notOriginal', { src: original }));
    const data = await readFile(path);
    const working = await this.#inTurn(() => makeWorkingCopy(data, basename(path), edit));
    const { src } = await this.#store.addAsset(articleId, `photo.${working.ext}`, '', working.data);
    return { src, original, width: working.width, height: working.height };
  }

  async #inTurn<T>(task: () => Promise<T>): Promise<T> {
    if (this.#running >= this.#slots) await new Promise<void>((resolve) => this.#waiting.push(resolve));
    this.#running++;
    try {
      return await task();
    } finally {
      this.#running--;
      this.#waiting.shift()?.();
    }
  }
}
