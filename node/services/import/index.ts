import { type NoteMessage, note } from '../../../shared/i18n/note';
import { ApiError } from '../../../shared/api/errors';
import { paragraph } from '../../../shared/domain/doc';
import { importDoc } from './doc';
import { importDocx } from './docx';
import { assembleDraft, type ImportDraft } from './draft';
import { htmlToText } from './html';
import { type SplitOptions, splitPortalText } from './portal-text';

export type { ImportDraft } from './draft';

/** Word files beyond this are almost always scans; mammoth would hold them in memory several times over. */
export const MAX_DOCX_BYTES = 100 * 1024 * 1024;
/** Text beyond this is not one article (a 10 MB paste is still accepted). */
export const MAX_TEXT_BYTES = 32 * 1024 * 1024;

/** Text copied from (or saved off) a portal article page → a draft. */
export function importPortalText(text: string, fileName: string, options: SplitOptions = {}): ImportDraft {
  const parts = splitPortalText(text, options);
  const warnings: NoteMessage[] = [];
  if (parts.paragraphs.length === 0) warnings.push(note('importNote.noBody', { file: fileName }));
  if (parts.skippedMenuLines > 0) warnings.push(note('importNote.menuSkipped', { count: parts.skippedMenuLines }));
  return assembleDraft({
    title: parts.title,
    subtitle: parts.subtitle,
    column: parts.column,
    info: parts.info,
    doc: { type: 'doc', content: parts.paragraphs.map((text) => paragraph(text)) },
    unrecognised: parts.unrecognised,
    warnings,
    assets: [],
    columnExpected: true,
  });
}

/**
 * Bytes of a text file → string. Portal pages saved on office PCs are often
 * GBK/GB18030; UTF-16 comes from Notepad's "Unicode" option.
 */
export function decodeText(data: Buffer, fileName: string): string {
  if (data[0] === 0xef && data[1] === 0xbb && data[2] === 0xbf) return new TextDecoder('utf-8').decode(data.subarray(3));
  if (data[0] === 0xff && data[1] === 0xfe) return new TextDecoder('utf-16le').decode(data.subarray(2));
  if (data[0] === 0xfe && data[1] === 0xff) return new TextDecoder('utf-16be').decode(data.subarray(2));
  if (data.subarray(0, 8192).includes(0)) {
    throw new ApiError('unsupported_file', `“${fileName}”看起来不是文本文件（含有二进制内容），无法导入。`);
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(data);
  } catch {
    // Not UTF-8: the only other encoding Chinese office PCs produce is GBK/GB18030.
  }
  try {
    return new TextDecoder('gb18030', { fatal: true }).decode(data);
  } catch {
    throw new ApiError(
      'unsupported_file',
      `无法识别“${fileName}”的文字编码（既不是 UTF-8 也不是 GB18030/GBK），请用记事本另存为 UTF-8 后再导入。`,
    );
  }
}

function extensionOf(fileName: string): string {
  const base = fileName.split(/[\\/]/u).pop() ?? fileName;
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot).toLowerCase() : '';
}

function looksLikeHtml(text: string): boolean {
  return /^\s*(?:<!doctype html|<html[\s>]|<head[\s>]|<body[\s>])/iu.test(text.slice(0, 2048));
}

/** Any importable file → a draft; anything we cannot read → ApiError('unsupported_file'). */
export async function importFileBuffer(fileName: string, data: Buffer): Promise<ImportDraft> {
  const extension = extensionOf(fileName);
  if (data.length === 0) throw new ApiError('unsupported_file', `“${fileName}”是空文件，没有可导入的内容。`);
  switch (extension) {
    case '.docx':
      if (data.length > MAX_DOCX_BYTES) {
        throw new ApiError('unsupported_file', `“${fileName}”超过 100 MB，无法导入；请压缩其中的图片后再试。`);
      }
      return importDocx(fileName, data);
    case '.txt':
    case '.text':
    case '.htm':
    case '.html': {
      if (data.length > MAX_TEXT_BYTES) {
        throw new ApiError('unsupported_file', `“${fileName}”超过 32 MB，不像是一篇文章，无法导入。`);
      }
      const text = decodeText(data, fileName);
      const isHtml = extension === '.htm' || extension === '.html' || looksLikeHtml(text);
      const draft = importPortalText(isHtml ? htmlToText(text) : text, fileName, { fromHtml: isHtml });
      if (isHtml && /<img\b/iu.test(text)) {
        draft.warnings.push(note('importNote.htmlImages'));
      }
      return draft;
    }
    case '.doc':
    case '.wps':
      if (data.length > MAX_DOCX_BYTES) {
        throw new ApiError('unsupported_file', `“${fileName}”超过 100 MB，无法导入；请在 Word 或 WPS 中另存为 .docx 并压缩图片后再试。`);
      }
      // A .docx renamed to .doc (Word and WPS both do this) is read as what it is.
      if (data[0] === 0x50 && data[1] === 0x4b) return importDocx(fileName, data);
      return importDoc(fileName, data, extension === '.wps' ? 'wps' : 'doc');
    default:
      throw new ApiError(
        'unsupported_file',
        `不支持导入“${fileName}”：只能导入 .txt、.htm/.html 网页和 .docx、.doc、.wps 文件。`,
      );
  }
}
