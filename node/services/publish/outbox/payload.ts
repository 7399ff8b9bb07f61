import { basename, join } from 'node:path';
import type { Article } from '../../../../shared/domain/article';
import { attendeesSentence } from '../../../../shared/domain/attendees';
import type { DocNode } from '../../../../shared/domain/doc';
import { docToHtml, escapeHtml } from '../../../../shared/html/serialize';
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

/**
 * What goes out for an article: the shared serializer's body, a 来源 footer and
 * the attendees sentence when the body does not already carry it (WordPress has
 * no place for either without plugins), and the local files to upload.
 */
export function buildPublishPayload(article: Article, options: { assetsDir: string }): PublishPayload {
  const { meta, doc } = article;
  const parts = [docToHtml(doc)];
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
  };
}
