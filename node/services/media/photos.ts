import { createRequire } from 'node:module';
import type { Metadata, Sharp } from 'sharp';
import { type PhotoEdit, type PixelSize, webSizes } from '../../../shared/domain/photo';
import { t } from '../messages';
import { StoreError } from '../store/store-error';

/**
 * The photo pipeline: what happens to every picture between the writer's
 * camera and a published page. Plain Node (sharp/libvips), never `electron`.
 *
 * Every call is asynchronous: sharp decodes and encodes on libuv's thread
 * pool, so the event loop that answers the UI (IPC or the web host) keeps
 * running while a 12-megapixel photo is worked on.
 *
 * - {@link inspectPhoto} refuses what is not a picture, what is cut off and
 *   what would decode into more pixels than {@link MAX_INPUT_PIXELS}.
 * - {@link makeWorkingCopy} turns the writer's original into the picture the
 *   article shows: upright by its EXIF orientation, turned and cropped as the
 *   image dialog asked, and without EXIF, GPS, XMP or ICC-embedded notes.
 *   The original stays in the workspace untouched.
 * - {@link webVersions} and {@link thumbnails} make what a site receives.
 */

/**
 * Largest picture accepted, in pixels. Camera and phone photos are 12–50
 * megapixels; a "decompression bomb" (a small file declaring a vast canvas)
 * is refused before any pixel is decoded.
 */
export const MAX_INPUT_PIXELS = 100_000_000;

type SharpModule = (typeof import('sharp'))['default'];
let loaded: SharpModule | null = null;

/**
 * libvips is loaded at the first photo rather than at start: a host that is
 * only listing and searching an archive does without its ~10 MB. Required,
 * not imported, so the desktop app's CommonJS build loads it from the
 * packaged app the same way as before.
 */
function loadSharp(): SharpModule {
  if (!loaded) {
    loaded = createRequire(import.meta.url)('sharp') as SharpModule;
    // One libvips thread per photo: photos are worked on in parallel instead (PhotoLibrary, the
    // site build), so two photos on a two-core machine take two threads, not four, and the event
    // loop that answers the UI is not crowded out.
    loaded.concurrency(1);
  }
  return loaded;
}

/** Formats the pipeline reads (sharp's prebuilt libvips); BMP and SVG are not among them. */
const READABLE = new Set(['jpeg', 'png', 'webp', 'gif', 'tiff', 'avif', 'heif']);

/** Quality of the working copy: it is re-encoded again for the web, so it keeps almost everything. */
const WORKING_QUALITY = 92;

export interface PhotoInfo {
  format: string;
  /** Upright size (after the EXIF orientation). */
  width: number;
  height: number;
  animated: boolean;
  hasAlpha: boolean;
}

/** A picture the pipeline produced, with its upright pixel size and file extension. */
export interface EncodedPhoto extends PixelSize {
  data: Buffer;
  ext: 'jpg' | 'png' | 'webp' | 'gif';
}

export type WebFormat = 'jpeg' | 'webp';

/** How a site wants its photos (see SitePhotos in shared/portal/site.ts). */
export interface WebPhotoOptions {
  maxWidth: number;
  quality: number;
  format: WebFormat;
}

function open(data: Uint8Array): Sharp {
  const sharp = loadSharp();
  // failOn 'truncated': a photo cut off in transfer is refused, while the harmless
  // warnings many cameras' files raise (extraneous bytes before a marker) are not.
  return sharp(data, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'truncated', animated: false });
}

function damaged(fileName: string, error: unknown): StoreError {
  const detail = error instanceof Error ? error.message.replace(/\s+/g, ' ').trim().slice(0, 160) : String(error);
  return new StoreError('unsupported_file', t('photo.error.damaged', { file: fileName, detail }));
}

/**
 * Reads a picture's header: what it is and how big it says it is. Refuses a
 * file that is not a picture the pipeline reads, and one that would decode
 * into more than {@link MAX_INPUT_PIXELS}, before any pixel is decoded.
 */
export async function photoHeader(data: Uint8Array, fileName: string): Promise<PhotoInfo> {
  let meta: Metadata;
  try {
    const sharp = loadSharp();
    meta = await sharp(data, { limitInputPixels: false }).metadata();
  } catch {
    throw new StoreError('unsupported_file', t('photo.error.notImage', { file: fileName }));
  }
  if (!meta.format || !READABLE.has(meta.format) || !meta.width || !meta.height) {
    throw new StoreError('unsupported_file', t('photo.error.notImage', { file: fileName }));
  }
  const pixels = meta.width * meta.height;
  if (pixels > MAX_INPUT_PIXELS) {
    throw new StoreError(
      'unsupported_file',
      t('photo.error.tooManyPixels', { file: fileName, pixels: Math.round(pixels / 10_000), limit: MAX_INPUT_PIXELS / 10_000 }),
    );
  }
  const upright = meta.autoOrient ?? { width: meta.width, height: meta.height };
  return {
    format: meta.format,
    width: upright.width,
    height: upright.height,
    animated: (meta.pages ?? 1) > 1,
    hasAlpha: meta.hasAlpha === true,
  };
}

/**
 * {@link photoHeader}, then one full decode (into nothing): the only way to
 * know every scanline is there, so a file cut off in transfer is refused with
 * a message naming it before anything is stored.
 */
export async function inspectPhoto(data: Uint8Array, fileName: string): Promise<PhotoInfo> {
  const info = await photoHeader(data, fileName);
  try {
    await open(data).raw().toBuffer();
  } catch (error) {
    throw damaged(fileName, error);
  }
  return info;
}

/** Pixel rectangle of a crop given as fractions of a `width`×`height` picture, kept inside it. */
export function cropRectangle(width: number, height: number, crop: NonNullable<PhotoEdit['crop']>) {
  const left = Math.min(width - 1, Math.max(0, Math.round(crop.x * width)));
  const top = Math.min(height - 1, Math.max(0, Math.round(crop.y * height)));
  return {
    left,
    top,
    width: Math.max(1, Math.min(width - left, Math.round(crop.width * width))),
    height: Math.max(1, Math.min(height - top, Math.round(crop.height * height))),
  };
}

/**
 * The picture the article shows, made from the original: upright, turned and
 * cropped as asked, metadata dropped (sharp writes none unless told to).
 * Photos become JPEG; pictures with transparency PNG. An animated GIF is
 * kept as it is (it carries no EXIF, and re-encoding would lose its frames).
 */
export async function makeWorkingCopy(original: Uint8Array, fileName: string, edit: PhotoEdit = { rotate: 0, crop: null }): Promise<EncodedPhoto> {
  // The encode below decodes every pixel and fails on a truncated file, so the header is enough here.
  const info = await photoHeader(original, fileName);
  if (info.animated && info.format === 'gif' && edit.rotate === 0 && edit.crop === null) {
    await inspectPhoto(original, fileName);
    return { data: Buffer.from(original), ext: 'gif', width: info.width, height: info.height };
  }
  const turned = edit.rotate === 90 || edit.rotate === 270;
  const width = turned ? info.height : info.width;
  const height = turned ? info.width : info.height;
  let pipeline = open(original).autoOrient();
  if (edit.rotate !== 0) pipeline = pipeline.rotate(edit.rotate);
  if (edit.crop) pipeline = pipeline.extract(cropRectangle(width, height, edit.crop));
  const keepAlpha = info.hasAlpha && info.format !== 'jpeg';
  try {
    const out = keepAlpha
      ? await pipeline.png({ compressionLevel: 6 }).toBuffer({ resolveWithObject: true })
      : await pipeline.flatten({ background: '#ffffff' }).jpeg({ quality: WORKING_QUALITY }).toBuffer({ resolveWithObject: true });
    return { data: out.data, ext: keepAlpha ? 'png' : 'jpg', width: out.info.width, height: out.info.height };
  } catch (error) {
    throw damaged(fileName, error);
  }
}

function encode(pipeline: Sharp, options: WebPhotoOptions, hasAlpha: boolean): Sharp {
  if (options.format === 'webp') return pipeline.webp({ quality: options.quality });
  return (hasAlpha ? pipeline.flatten({ background: '#ffffff' }) : pipeline).jpeg({ quality: options.quality, progressive: true });
}

function extensionOf(format: WebFormat): EncodedPhoto['ext'] {
  return format === 'webp' ? 'webp' : 'jpg';
}

/**
 * What a site receives for one picture of the article: the page size (at
 * most `maxWidth` wide) and, when the picture has the pixels, a 2× file for
 * `srcset`. Sizes come from {@link webSizes}, the same function the HTML uses
 * for width/height, and are forced exactly so the two always agree. Metadata
 * is dropped again, whatever the input holds.
 */
export async function webVersions(
  picture: Uint8Array,
  fileName: string,
  options: WebPhotoOptions,
): Promise<{ normal: EncodedPhoto; double: EncodedPhoto | null }> {
  const info = await photoHeader(picture, fileName);
  if (info.animated && info.format === 'gif') {
    // Frames are kept; the HTML still gets width/height from the picture.
    const kept = { data: Buffer.from(picture), ext: 'gif' as const, width: info.width, height: info.height };
    return { normal: kept, double: null };
  }
  const sizes = webSizes(info.width, info.height, options.maxWidth);
  const ext = extensionOf(options.format);
  const resized = async (size: PixelSize): Promise<EncodedPhoto> => {
    const pipeline = open(picture).autoOrient().resize(size.width, size.height, { fit: 'fill' });
    try {
      const data = await encode(pipeline, options, info.hasAlpha).toBuffer();
      return { data, ext, ...size };
    } catch (error) {
      throw damaged(fileName, error);
    }
  };
  const [normal, double] = await Promise.all([resized(sizes.normal), sizes.double ? resized(sizes.double) : Promise.resolve(null)]);
  return { normal, double };
}

/** A cover cut to each of the site's thumbnail sizes: filled and centred, never stretched. */
export async function thumbnails(picture: Uint8Array, fileName: string, sizes: readonly PixelSize[], options: WebPhotoOptions): Promise<EncodedPhoto[]> {
  const info = await photoHeader(picture, fileName);
  const ext = extensionOf(options.format);
  return Promise.all(
    sizes.map(async (size) => {
      const pipeline = open(picture).autoOrient().resize(size.width, size.height, { fit: 'cover', position: 'centre' });
      try {
        return { data: await encode(pipeline, options, info.hasAlpha).toBuffer(), ext, ...size };
      } catch (error) {
        throw damaged(fileName, error);
      }
    }),
  );
}

/**
 * Extensions of the asset allowlist that are pictures: they go through the
 * pipeline (BMP too, which it cannot read, so it is refused with a message
 * instead of being published as a multi-megabyte file).
 */
export const PHOTO_EXTENSIONS = new Set(['jpg', 'jpeg', 'png', 'webp', 'gif', 'bmp']);

export function isPhotoFileName(fileName: string): boolean {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 && PHOTO_EXTENSIONS.has(fileName.slice(dot + 1).toLowerCase());
}
