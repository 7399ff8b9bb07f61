import { type NoteMessage, note } from '../../../shared/i18n/note';
import { type DocNode, docToPlainText } from '../../../shared/domain/doc';
import { ApiError } from '../../../shared/api/errors';
import { PHOTO_EXTENSIONS } from '../media/photos';
import type { ImportDraft } from './draft';
import { decodeEntities, htmlToText } from './html';
import { type FetchLimits, fetchResource, IMAGE_LIMITS, parseWebUrl } from './web-fetch';

/** A page with more pictures than this is a gallery or a listing, not an article; the rest are named, not fetched. */
export const MAX_IMAGES_PER_PAGE = 40;
/** All of one page's pictures together. */
export const MAX_IMAGE_BYTES_PER_PAGE = 100 * 1024 * 1024;

export interface PageImage {
  url: URL;
  alt: string;
  /** Where it goes among the draft's blocks: before the block at this index. */
  beforeBlock: number;
}

/** Text read on either side of a picture to place it: enough for any paragraph, and the cost stays bounded on a huge page. */
const CONTEXT_CHARS = 20_000;
/** <img> tags looked at; a page with more is a gallery whose pictures the warning names by count. */
const MAX_IMG_TAGS = 500;

const IMG_TAG = /<img\b((?:[^>"']|"[^"]*"|'[^']*')*)>/giu;

function attribute(attrs: string, name: string): string | null {
  const match = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'iu').exec(attrs);
  return match ? decodeEntities(match[1] ?? match[2] ?? match[3] ?? '') : null;
}

const squash = (text: string): string => text.replace(/[\s\u3000]+/gu, '');

function lastLine(text: string): string {
  const lines = text.split('\n').map(squash).filter(Boolean);
  return lines[lines.length - 1] ?? '';
}

function firstLine(text: string): string {
  return text.split('\n').map(squash).find(Boolean) ?? '';
}

/**
 * The pictures of the article body and where they stand in it. A picture is
 * placed by the text around it in the page: after the body block its
 * preceding text ends, or before the block its following text starts. One
 * with neither neighbour in the body (a logo, a banner, a share icon in the
 * page's chrome) is not the article's and is left out.
 */
export function findBodyImages(html: string, pageUrl: string, blocks: readonly DocNode[]): PageImage[] {
  const texts = blocks.map((block) => squash(docToPlainText(block)));
  const found: PageImage[] = [];
  const seen = new Set<string>();
  let tags = 0;
  for (const match of html.matchAll(IMG_TAG)) {
    if (++tags > MAX_IMG_TAGS) break;
    const attrs = match[1] ?? '';
    const src = attribute(attrs, 'src') ?? attribute(attrs, 'data-src');
    if (!src || /^data:/iu.test(src)) continue;
    const width = Number(attribute(attrs, 'width'));
    const height = Number(attribute(attrs, 'height'));
    // Spacers and icons, declared as such by the page.
    if ((width > 0 && width < 48) || (height > 0 && height < 48)) continue;
    let url: URL;
    try {
      url = parseWebUrl(src, pageUrl);
    } catch {
      continue;
    }
    if (seen.has(url.href)) continue;
    const at = match.index ?? 0;
    const end = at + match[0].length;
    const before = lastLine(htmlToText(html.slice(Math.max(0, at - CONTEXT_CHARS), at)));
    const after = firstLine(htmlToText(html.slice(end, end + CONTEXT_CHARS)));
    let beforeBlock = -1;
    if (before) {
      for (let i = texts.length - 1; i >= 0; i--) {
        if (texts[i]?.endsWith(before)) {
          beforeBlock = i + 1;
          break;
        }
      }
    }
    if (beforeBlock < 0 && after) {
      const index = texts.findIndex((text) => text?.startsWith(after));
      if (index >= 0) beforeBlock = index;
    }
    if (beforeBlock < 0) continue;
    seen.add(url.href);
    found.push({ url, alt: (attribute(attrs, 'alt') ?? attribute(attrs, 'title') ?? '').trim(), beforeBlock });
  }
  return found;
}

const EXTENSION_OF_TYPE: Record<string, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/gif': 'gif',
  'image/webp': 'webp',
  'image/bmp': 'bmp',
};

/** A file name for the article's assets: the URL's own name when it is a picture's, else one from the type. */
function imageFileName(url: URL, contentType: string, index: number): string | null {
  const last = decodeURIComponent(url.pathname.split('/').pop() ?? '').replace(/[^\p{L}\p{N}._-]+/gu, '_');
  const dot = last.lastIndexOf('.');
  const extension = dot > 0 ? last.slice(dot + 1).toLowerCase() : '';
  const prefix = `web${String(index + 1).padStart(2, '0')}`;
  if (PHOTO_EXTENSIONS.has(extension)) return `${prefix}-${last.slice(-60)}`;
  const fromType = EXTENSION_OF_TYPE[contentType.split(';')[0]?.trim() ?? ''];
  return fromType ? `${prefix}.${fromType}` : null;
}

export interface ImageFetchOptions {
  limits?: FetchLimits;
  maxImages?: number;
  maxTotalBytes?: number;
}

/**
 * Downloads the body's pictures (from this host or any other, each within
 * the limits) into the draft as assets with image blocks where the page had
 * them; the photo pipeline takes them from there as it takes any added
 * picture. A picture that cannot be had is a warning naming it and why; the
 * text is imported regardless.
 */
export async function attachPageImages(draft: ImportDraft, html: string, pageUrl: string, options: ImageFetchOptions = {}): Promise<void> {
  const images = findBodyImages(html, pageUrl, draft.doc.content);
  // The importer's "pictures were not imported" note is answered here, one picture at a time.
  draft.warnings = draft.warnings.filter((warning) => warning.messageKey !== 'importNote.htmlImages');
  if (images.length === 0) return;
  const maxImages = options.maxImages ?? MAX_IMAGES_PER_PAGE;
  const maxTotal = options.maxTotalBytes ?? MAX_IMAGE_BYTES_PER_PAGE;
  const warnings: NoteMessage[] = [];
  const inserts: { beforeBlock: number; node: DocNode }[] = [];
  let total = 0;
  for (const [index, image] of images.entries()) {
    if (index >= maxImages) {
      warnings.push(note('webImport.note.tooManyImages', { count: images.length - maxImages, max: maxImages }));
      break;
    }
    try {
      const fetched = await fetchResource(image.url, options.limits ?? IMAGE_LIMITS);
      total += fetched.data.length;
      if (total > maxTotal) throw new ApiError('unsupported_file', `本页图片合计超过 ${Math.round(maxTotal / 1024 / 1024)} MB`);
      const fileName = imageFileName(new URL(fetched.url), fetched.contentType, index);
      if (!fileName) throw new ApiError('unsupported_file', `不是图片（类型为 ${fetched.contentType || '未知'}）`);
      draft.assets.push({ fileName, mime: fetched.contentType.split(';')[0] ?? 'application/octet-stream', data: fetched.data });
      inserts.push({ beforeBlock: image.beforeBlock, node: { type: 'image', attrs: { src: `assets/${fileName}`, alt: image.alt, caption: '' } } });
    } catch (error) {
      const detail = error instanceof ApiError ? error.detail : error instanceof Error ? error.message : String(error);
      warnings.push(note('webImport.note.imageFailed', { url: image.url.href, detail }));
    }
  }
  const content = [...draft.doc.content];
  // From the back, so earlier indexes still point where they did.
  for (const insert of [...inserts].reverse()) content.splice(Math.min(insert.beforeBlock, content.length), 0, insert.node);
  draft.doc = { ...draft.doc, content };
  draft.warnings.push(...warnings);
}
