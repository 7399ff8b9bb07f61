import { basename, join } from 'node:path';
import type { Article, Disclosure } from '../../../../shared/domain/article';
import { writtenDateText } from '../../../../shared/domain/disclosure';
import { attendeesSentence } from '../../../../shared/domain/attendees';
import type { DocNode } from '../../../../shared/domain/doc';
import { docToHtml, escapeHtml, type ResolvedImage } from '../../../../shared/html/serialize';
import { type PixelSize, webSizes } from '../../../../shared/domain/photo';
import { isPhotoFileName, webVersions } from '../../media/photos';
import { portalText } from '../../../../shared/portal/labels';
import { normalizedPageText } from '../../../../shared/portal/page-text';
import { postSlug } from '../../../../shared/portal/post-slug';
import { articleInfo } from '../../../../shared/portal/render';
import { readFile } from 'node:fs/promises';
import { assertStoredAsset, mimeForAsset } from '../../store/assets';
import { publishMessage } from './messages';
import { PublishError } from './publish-error';
import type { MediaFile, PublishPayload } from './target';

function collectImageSrcs(node: DocNode, into: Set<string>): void {
  if (node.type === 'image' && typeof node.attrs?.src === 'string') into.add(node.attrs.src.trim());
  for (const child of node.content ?? []) collectImageSrcs(child, into);
}

function hasAttendeesParagraph(node: DocNode): boolean {
  if (node.type === 'paragraph' && node.attrs?.role === 'attendees') return true;
  return (node.content ?? []).some(hasAttendeesParagraph);
}

function mediaFor(src: string, assetsDir: string, alt = '', web?: MediaFile['web']): MediaFile | null {
  // Only workspace assets are uploaded; http(s) images stay where they are.
  if (!src.startsWith('assets/')) return null;
  const stored = basename(src);
  if (web && isPhotoFileName(stored)) {
    const fileName = `${stored.slice(0, stored.lastIndexOf('.'))}.${web.format === 'webp' ? 'webp' : 'jpg'}`;
    return { src, path: join(assetsDir, stored), fileName, mimeType: mimeForAsset(fileName), alt, web };
  }
  return { src, path: join(assetsDir, stored), fileName: stored, mimeType: mimeForAsset(stored), alt };
}

/** Every image node's recorded pixel size by src, for the width/height the published HTML carries. */
function imageSizes(node: DocNode, into: Map<string, PixelSize>): Map<string, PixelSize> {
  const src = node.type === 'image' ? node.attrs?.src : undefined;
  const width = node.attrs?.width;
  const height = node.attrs?.height;
  if (typeof src === 'string' && typeof width === 'number' && typeof height === 'number' && width > 0 && height > 0) {
    into.set(src.trim(), { width, height });
  }
  for (const child of node.content ?? []) imageSizes(child, into);
  return into;
}

/**
 * The bytes of an image to upload, as they are on disk when the job runs —
 * which may be long after the approval (a scheduled or retried job) — so they
 * must still be what the allowlist lets in and what the file's hash name says.
 */
export async function readMediaFile(file: MediaFile): Promise<Buffer> {
  const stored = basename(file.path);
  let data: Buffer;
  try {
    data = await readFile(file.path);
  } catch (error) {
    throw new PublishError('local', 'publish.error.asset_missing', { file: stored }, { cause: error });
  }
  try {
    assertStoredAsset(stored, data);
  } catch (error) {
    throw new PublishError('local', 'publish.error.asset_refused', { file: stored }, { cause: error });
  }
  if (!file.web) return data;
  // The target receives the pipeline's page-size file only: never the working copy as stored.
  try {
    return (await webVersions(data, stored, file.web)).normal.data;
  } catch (error) {
    throw new PublishError('local', 'publish.error.asset_refused', { file: stored }, { cause: error });
  }
}

/** The 信息公开 fields as WordPress post meta; empty values are left out. */
export function disclosurePostMeta(disclosure: Disclosure, indexNo: string | null): Record<string, string> {
  const entries: [string, string | null][] = [
    ['gazette_index_no', indexNo],
    ['gazette_publisher', disclosure.publisher],
    ['gazette_written_at', disclosure.writtenAt],
    ['gazette_doc_no', disclosure.docNo],
    ['gazette_topic', disclosure.topic],
    ['gazette_genre', disclosure.genre],
    ['gazette_validity', disclosure.validity.state],
    ['gazette_valid_from', disclosure.validity.from],
    ['gazette_valid_until', disclosure.validity.until],
  ];
  return Object.fromEntries(entries.filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1].trim() !== ''));
}

/** 作者 / 摄影 / 责任编辑 as WordPress post meta; empty values are left out. */
export function creditsPostMeta(meta: Article['meta']): Record<string, string> {
  const entries: [string, string][] = [
    ['gazette_author', meta.author.trim()],
    ['gazette_photographer', meta.photographer.trim()],
    ['gazette_editor', meta.editor.trim()],
  ];
  return Object.fromEntries(entries.filter((entry) => entry[1] !== ''));
}

/**
 * The approved body as the text a reader sees, one entry per top-level block
 * (paragraph, heading, table, figure …), for checking the live page; blocks
 * without text are left out.
 */
export function bodyTextBlocks(doc: DocNode): string[] {
  return (doc.content ?? [])
    .map((node) => normalizedPageText(docToHtml({ type: 'doc', content: [node] })))
    .filter((text) => text !== '');
}

/** The 信息公开 table readers of a WordPress or MetaWeblog post see above the body (no theme there prints post meta). */
function disclosureTableHtml(article: Article, indexNo: string | null): string {
  const d = article.meta.disclosure;
  if (!d) return '';
  const rows: [Parameters<typeof portalText>[1], string | null][] = [
    ['portal.disclosure.indexNo', indexNo],
    ['portal.disclosure.topic', d.topic],
    ['portal.disclosure.publisher', d.publisher],
    ['portal.disclosure.writtenAt', d.writtenAt ? writtenDateText(d.writtenAt) : null],
    ['portal.disclosure.docNo', d.docNo],
    ['portal.disclosure.publishAt', article.meta.publishAt ? writtenDateText(article.meta.publishAt) : null],
    ['portal.disclosure.genre', d.genre],
    ['portal.disclosure.validity', d.validity.state],
  ];
  const cells = rows
    .filter((row): row is [Parameters<typeof portalText>[1], string] => typeof row[1] === 'string' && row[1].trim() !== '')
    .map(([key, value]) => `<tr><th>${escapeHtml(portalText('zh-CN', key))}</th><td>${escapeHtml(value)}</td></tr>`);
  return `<table class="gz-disclosure"><tbody>${cells.join('')}</tbody></table>`;
}

/**
 * What goes out for an article: the shared serializer's body, a 来源 footer and
 * the attendees sentence when the body does not already carry it (WordPress has
 * no place for either without plugins), and the local files to upload.
 */
export function buildPublishPayload(
  article: Article,
  options: {
    assetsDir: string;
    indexNo?: string | null;
    photos?: MediaFile['web'];
    /** The target's slug pattern ('' or absent: the title's pinyin); see postSlug. */
    slugPattern?: string;
    /** For the {yyyy}{mm}{dd} of an article without a 发布日期. */
    now?: Date;
  },
): PublishPayload {
  const { meta, doc } = article;
  const indexNo = options.indexNo ?? null;
  const web = options.photos;
  const sizes = imageSizes(doc, new Map());
  // The uploaded file is the page-size one, so the HTML says that size; the src is swapped by the target after upload.
  const resolveImage = (src: string): ResolvedImage | null => {
    const size = sizes.get(src.trim());
    if (!web || !size || !isPhotoFileName(src)) return null;
    return { src, srcset: null, ...webSizes(size.width, size.height, web.maxWidth).normal };
  };
  const parts = [docToHtml(doc, { resolveImage })];
  // The portal's info line minus what WordPress and MetaWeblog show on their own (date) or in the footer (来源).
  const credits = articleInfo('zh-CN', meta, ['author', 'photographer', 'editor']);
  if (credits.length > 0) parts.unshift(`<p class="gz-info">${credits.map((item) => `<span>${escapeHtml(item)}</span>`).join(' ')}</p>`);
  if (meta.disclosure) parts.unshift(disclosureTableHtml(article, indexNo));
  if (meta.meeting && !hasAttendeesParagraph(doc)) {
    const sentence = attendeesSentence(meta.meeting);
    if (sentence) parts.push(`<p class="gz-attendees">${escapeHtml(sentence)}</p>`);
  }
  if (meta.source.trim()) {
    parts.push(`<p class="gz-source">${escapeHtml(publishMessage('publish.footer.source', { source: meta.source.trim() }))}</p>`);
  }
  const srcs = new Set<string>();
  collectImageSrcs(doc, srcs);
  const images = [...srcs].map((src) => mediaFor(src, options.assetsDir, '', web)).filter((m): m is MediaFile => m !== null);
  return {
    title: meta.title.trim(),
    html: parts.join('\n'),
    excerpt: meta.summary.trim(),
    date: meta.publishAt,
    column: meta.column,
    keywords: meta.keywords,
    source: meta.source.trim(),
    cover: meta.cover ? mediaFor(meta.cover.src, options.assetsDir, meta.cover.alt, web) : null,
    images,
    indexNo,
    postMeta: meta.disclosure || credits.length > 0 ? { ...(meta.disclosure ? disclosurePostMeta(meta.disclosure, indexNo) : {}), ...creditsPostMeta(meta) } : null,
    slug: postSlug({ title: meta.title, date: meta.publishAt, articleId: article.id }, options.slugPattern ?? '', options.now),
    bodyText: bodyTextBlocks(doc),
  };
}
