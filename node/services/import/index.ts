import { type NoteMessage, note } from '../../../shared/i18n/note';
import { ApiError } from '../../../shared/api/errors';
import { paragraph } from '../../../shared/domain/doc';
import { importDoc } from './doc';
import { importDocx } from './docx';
import { assembleDraft, type ImportDraft } from './draft';
import { checkWordZip, IMPORT_LIMITS, ImportLimitError } from './limits';
import { splitPortalHtml } from './portal-html';
import { type PortalTextParts, splitPortalText } from './portal-text';

export type { ImportDraft } from './draft';

const megabytes = (bytes: number): string => (bytes / (1024 * 1024)).toFixed(0);

/** Text copied from (or saved off) a portal article page → a draft. */
export function importPortalText(text: string, fileName: string): ImportDraft {
  return portalDraft(splitPortalText(text), fileName);
}

/** A saved portal page's source → a draft, read by its structure first (see portal-html.ts). */
export function importPortalHtml(html: string, fileName: string): ImportDraft {
  return portalDraft(splitPortalHtml(html), fileName);
}

function portalDraft(parts: PortalTextParts, fileName: string): ImportDraft {
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
    disclosure: parts.disclosure,
    reviews: parts.reviews,
    uncertain: parts.uncertain,
    attachments: parts.attachments,
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

/**
 * Any importable file → a draft, in the calling thread; anything we cannot
 * read → ApiError('unsupported_file'), anything past IMPORT_LIMITS →
 * ImportLimitError (a Word file is measured before its converter runs). The
 * host and the CLI call it through ImportThread, which adds the time and
 * memory limits only a separate thread can enforce.
 */
export async function importFileBuffer(fileName: string, data: Buffer): Promise<ImportDraft> {
  const extension = extensionOf(fileName);
  if (data.length === 0) throw new ApiError('unsupported_file', `“${fileName}”是空文件，没有可导入的内容。`);
  switch (extension) {
    case '.docx':
      checkWordZip(data, fileName);
      return importDocx(fileName, data);
    case '.txt':
    case '.text':
    case '.htm':
    case '.html': {
      if (data.length > IMPORT_LIMITS.textBytes) {
        throw new ImportLimitError('textBytes', { file: fileName, size: megabytes(data.length), limit: megabytes(IMPORT_LIMITS.textBytes) });
      }
      const text = decodeText(data, fileName);
      const isHtml = extension === '.htm' || extension === '.html' || looksLikeHtml(text);
      const draft = isHtml ? importPortalHtml(text, fileName) : importPortalText(text, fileName);
      if (isHtml && /<img\b/iu.test(text)) {
        draft.warnings.push(note('importNote.htmlImages'));
      }
      return draft;
    }
    case '.doc':
    case '.wps':
      if (data.length > IMPORT_LIMITS.fileBytes) {
        throw new ImportLimitError('fileBytes', { file: fileName, size: megabytes(data.length), limit: megabytes(IMPORT_LIMITS.fileBytes) });
      }
      // A .docx renamed to .doc (Word and WPS both do this) is read as what it is.
      if (data[0] === 0x50 && data[1] === 0x4b) {
        checkWordZip(data, fileName);
        return importDocx(fileName, data);
      }
      return importDoc(fileName, data, extension === '.wps' ? 'wps' : 'doc');
    default:
      throw new ApiError(
        'unsupported_file',
        `不支持导入“${fileName}”：只能导入 .txt、.htm/.html 网页和 .docx、.doc、.wps 文件。`,
      );
  }
}
