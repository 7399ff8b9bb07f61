import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { SitePhotos } from '../../../shared/portal/site';
import { writeFileAtomic } from '../store/atomic-file';
import { type EncodedPhoto, thumbnails, type WebFormat, webVersions } from './photos';

/** Bump when the pipeline's output for the same input and settings changes. */
const PIPELINE_VERSION = 'gazette-photos/1';

/** Photos kept in memory per site (about 1.5 MB each at the default sizes). */
const RECENT_PHOTOS = 48;

/** A published photo's files, as the static build takes them (PublishedPhoto in publish/static/build.ts). */
export interface PreparedPhoto {
  normal: EncodedPhoto;
  double: EncodedPhoto | null;
  thumbnails: EncodedPhoto[];
}

const FileEntrySchema = z.object({
  sha256: z.string().regex(/^[a-f0-9]{64}$/),
  ext: z.enum(['jpg', 'png', 'webp', 'gif']),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
});
const EntrySchema = z.object({
  version: z.literal(PIPELINE_VERSION),
  normal: FileEntrySchema,
  double: FileEntrySchema.nullable(),
  thumbnails: z.array(FileEntrySchema),
});
type FileEntry = z.infer<typeof FileEntrySchema>;

function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * The files a site publishes for its photos, kept between builds so a
 * rebuild does not resize every photo of the site again. The cache is never
 * trusted: an entry is keyed by the SHA-256 of the picture's bytes and the
 * settings, and each file is used only if its bytes still hash to what the
 * entry says; anything else is made again from the article's picture.
 */
export class SitePhotoCache {
  readonly #dir: string;
  /** The last photos prepared or read, so a preview refreshed at every pause in typing does not reread them. */
  readonly #recent = new Map<string, PreparedPhoto>();

  constructor(dir: string) {
    this.#dir = dir;
  }

  /** The page-size and 2× files of `picture` for a site with these settings, and thumbnails when it is a cover. */
  async prepare(picture: Uint8Array, fileName: string, settings: SitePhotos, format: WebFormat, cover: boolean): Promise<PreparedPhoto> {
    const options = { maxWidth: settings.maxWidth, quality: settings.quality, format };
    const key = sha256(JSON.stringify([PIPELINE_VERSION, sha256(picture), options, cover ? settings.thumbnails : []]));
    const recent = this.#recent.get(key);
    if (recent) return recent;
    let photo = await this.#read(key);
    if (!photo) {
      const { normal, double } = await webVersions(picture, fileName, options);
      const thumbs = cover ? await thumbnails(picture, fileName, settings.thumbnails, options) : [];
      photo = { normal, double, thumbnails: thumbs };
      await this.#write(key, photo);
    }
    this.#recent.set(key, photo);
    if (this.#recent.size > RECENT_PHOTOS) this.#recent.delete(this.#recent.keys().next().value as string);
    return photo;
  }

  async #read(key: string): Promise<PreparedPhoto | null> {
    let entry: z.infer<typeof EntrySchema>;
    try {
      const parsed = EntrySchema.safeParse(JSON.parse(await readFile(join(this.#dir, `${key}.json`), 'utf8')));
      if (!parsed.success) return null;
      entry = parsed.data;
    } catch {
      return null;
    }
    const load = async (file: FileEntry): Promise<EncodedPhoto | null> => {
      try {
        const data = await readFile(join(this.#dir, `${file.sha256}.${file.ext}`));
        return sha256(data) === file.sha256 ? { data, ext: file.ext, width: file.width, height: file.height } : null;
      } catch {
        return null;
      }
    };
    const normal = await load(entry.normal);
    const double = entry.double ? await load(entry.double) : null;
    const thumbs = await Promise.all(entry.thumbnails.map(load));
    if (!normal || (entry.double && !double) || thumbs.some((t) => t === null)) return null;
    return { normal, double, thumbnails: thumbs as EncodedPhoto[] };
  }

  async #write(key: string, photo: PreparedPhoto): Promise<void> {
    await mkdir(this.#dir, { recursive: true });
    const entryOf = async (file: EncodedPhoto): Promise<FileEntry> => {
      const sha = sha256(file.data);
      await writeFileAtomic(join(this.#dir, `${sha}.${file.ext}`), file.data);
      return { sha256: sha, ext: file.ext, width: file.width, height: file.height };
    };
    const entry = {
      version: PIPELINE_VERSION,
      normal: await entryOf(photo.normal),
      double: photo.double ? await entryOf(photo.double) : null,
      thumbnails: await Promise.all(photo.thumbnails.map(entryOf)),
    };
    await writeFileAtomic(join(this.#dir, `${key}.json`), `${JSON.stringify(entry)}\n`);
  }
}
