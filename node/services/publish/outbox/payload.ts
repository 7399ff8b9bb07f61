import { basename, join } from 'node:path';
import type { Article, Disclosure } from '../../../../shared/domain/article';
import { writtenDateText } from '../../../../shared/domain/disclosure';
import { attendeesSentence } from '../../../../shared/domain/attendees';
import type { DocNode } from '../../../../shared/domain/doc';
import { docToHtml, escapeHtml } from '../../../../shared/html/serialize';
import { portalText } from '../../../../shared/portal/labels';
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

function mediaFor(src: string, assetsDir: string, alt = ''): MediaFile | null {
  // Only workspace assets are uploaded; http(s) images stay where they are.
  if (!src.startsWith('assets/')) return null;
  const fileName = basename(src);
  return { src, path: join(assetsDir, fileName), fileName, mimeType: mimeForAsset(fileName), alt };
}

/**
 * The bytes of an image to upload, as they are on disk when the job runs —
 * which may be long after the approval (a scheduled or retried job) — so they
 * must still be what the allowlist lets in and what the file's hash name says.
 */
export async function readMediaFile(file: MediaFile): Promise<Buffer> {
  let data: Buffer;
  try {
    data = await readFile(file.path);
  } catch (error) {
    throw new PublishError('local', 'publish.error.asset_missing', { file: file.fileName }, { cause: error });
  }
  try {
    assertStoredAsset(file.fileName, data);
  } catch (error) {
    throw new PublishError('local', 'publish.error.asset_refused', { file: file.fileName }, { cause: error });
  }
  return data;
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
export function buildPublishPayload(article: Article, options: { assetsDir: string; indexNo?: string | null }): PublishPayload {
  const { meta, doc } = article;
  const indexNo = options.indexNo ?? null;
  const parts = [docToHtml(doc)];
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
  const images = [...srcs].map((src) => mediaFor(src, options.assetsDir)).filter((m): m is MediaFile => m !== null);
  return {
    title: meta.title.trim(),
    html: parts.join('\n'),
    excerpt: meta.summary.trim(),
    date: meta.publishAt,
    column: meta.column,
    keywords: meta.keywords,
    source: meta.source.trim(),
    cover: meta.cover ? mediaFor(meta.cover.src, options.assetsDir, meta.cover.alt) : null,
    images,
    indexNo,
    postMeta: meta.disclosure ? disclosurePostMeta(meta.disclosure, indexNo) : null,
  };
}
