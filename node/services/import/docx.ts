import { type NoteMessage, note } from '../../../shared/i18n/note';
import mammoth from 'mammoth';
import { ApiError } from '../../../shared/api/errors';
import { DisclosureSchema } from '../../../shared/domain/article';
import type { Doc, DocNode } from '../../../shared/domain/doc';
import { docToPlainText } from '../../../shared/domain/doc';
import { assembleDraft, type ImportDraft } from './draft';
import {
  bylineConflicts,
  emptyInfo,
  type InfoFields,
  isChromeLine,
  looksLikeTitle,
  mergeInfo,
  parseBreadcrumb,
  parseBylineLine,
  parseInfoLine,
} from './header';
import { applyLayout, readXmlParagraphs } from './docx-layout';
import { htmlToDoc } from './html-to-doc';
import { closingInfoLine } from './portal-text';

/**
 * Word/WPS heading styles by the names Chinese installations give them, on top
 * of mammoth's built-in English names; underline is dropped by mammoth unless asked for.
 */
export const DOCX_STYLE_MAP: string[] = [
  ...[1, 2, 3, 4, 5, 6].flatMap((level) => [
    `p[style-name='标题 ${level}'] => h${level}:fresh`,
    `p[style-name='标题${level}'] => h${level}:fresh`,
  ]),
  "p[style-name='Title'] => h1:fresh",
  "p[style-name='标题'] => h1:fresh",
  "p[style-name='Subtitle'] => p:fresh",
  "p[style-name='副标题'] => p:fresh",
  'u => u',
];

const IMAGE_EXTENSIONS: Record<string, string> = {
  'image/png': 'png',
  'image/jpeg': 'jpg',
  'image/jpg': 'jpg',
  'image/gif': 'gif',
  'image/bmp': 'bmp',
  'image/webp': 'webp',
  'image/svg+xml': 'svg',
  'image/tiff': 'tif',
  'image/x-emf': 'emf',
  'image/x-wmf': 'wmf',
};
const BROWSER_IMAGE = new Set(['png', 'jpg', 'gif', 'webp', 'svg', 'bmp']);

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const OLE_MAGIC = [0xd0, 0xcf, 0x11, 0xe0];

function startsWith(data: Buffer, magic: number[]): boolean {
  return magic.every((byte, index) => data[index] === byte);
}

/** Mammoth's messages, in words a writer understands (the unknown rest as mammoth says it). */
function translateMessage(message: string): NoteMessage {
  const style = /^Unrecognised (paragraph|run) style: '([^']*)'/u.exec(message);
  if (style) return note(style[1] === 'paragraph' ? 'importNote.docxParagraphStyle' : 'importNote.docxRunStyle', { style: style[2] ?? '' });
  const element = /^An unrecognised element was ignored: (.*)$/u.exec(message);
  if (element) return note('importNote.docxIgnored', { element: element[1] ?? '' });
  return note('importNote.docxConverter', { message });
}

function blockText(node: DocNode): string {
  return docToPlainText(node).trim();
}

interface Header {
  title: string | null;
  subtitle: string | null;
  column: string[];
  info: InfoFields;
  rest: DocNode[];
}

/** Title, breadcrumb and 时间/来源 lines at the top of the document, as on a portal page. */
function readHeader(blocks: DocNode[]): Header {
  const header: Header = { title: null, subtitle: null, column: [], info: emptyInfo(), rest: blocks };
  let index = 0;
  for (; index < blocks.length && index < 12; index++) {
    const block = blocks[index];
    if (!block) break;
    const isTextBlock = block.type === 'paragraph' || block.type === 'heading';
    if (!isTextBlock) break;
    const text = blockText(block);
    if (!text) continue;
    const crumbs = header.column.length === 0 ? parseBreadcrumb(text) : null;
    if (crumbs) {
      header.column = crumbs;
      continue;
    }
    if (isChromeLine(text)) continue;
    const info = parseInfoLine(text);
    if (info) {
      header.info = mergeInfo(header.info, info);
      continue;
    }
    if (header.title === null && (block.type === 'heading' || (looksLikeTitle(text) && text.length <= 60))) {
      header.title = text;
      continue;
    }
    if (header.title !== null && header.subtitle === null && /^(?:[—─－]{1,2}|--)/u.test(text)) {
      header.subtitle = text.replace(/^(?:[—─－]{1,2}|--)\s*/u, '');
      continue;
    }
    break;
  }
  header.rest = blocks.slice(index);
  return header;
}

/** A .docx file → a draft with its images as assets. */
export async function importDocx(fileName: string, data: Buffer): Promise<ImportDraft> {
  if (startsWith(data, OLE_MAGIC)) {
    throw new ApiError(
      'unsupported_file',
      `“${fileName}”实际是旧版 Word（.doc）文件，请在 Word 或 WPS 中“另存为” .docx 后再导入。`,
    );
  }
  if (!startsWith(data, ZIP_MAGIC)) {
    throw new ApiError('unsupported_file', `“${fileName}”不是有效的 Word 文档（.docx），文件可能已损坏或扩展名有误。`);
  }
  const assets: ImportDraft['assets'] = [];
  const warnings: NoteMessage[] = [];
  let html: string;
  let messages: { message: string }[];
  try {
    const result = await mammoth.convertToHtml(
      { buffer: data },
      {
        styleMap: DOCX_STYLE_MAP,
        convertImage: mammoth.images.imgElement(async (image) => {
          const extension = IMAGE_EXTENSIONS[image.contentType.toLowerCase()] ?? 'bin';
          const name = `image-${assets.length + 1}.${extension}`;
          assets.push({ fileName: name, mime: image.contentType, data: await image.readAsBuffer() });
          if (!BROWSER_IMAGE.has(extension)) {
            warnings.push(note('importNote.docxImageFormat', { name, type: image.contentType }));
          }
          return { src: `assets/${name}` };
        }),
      },
    );
    // Mammoth ends each footnote with a ↑ link back to its reference: a web page's device, not the note's text.
    html = result.value.replace(/\s*<a href="#(?:footnote|endnote)-ref-[^"]*">↑<\/a>/gu, '');
    messages = result.messages;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ApiError(
      'unsupported_file',
      `无法读取 Word 文档“${fileName}”，文件可能已损坏或不是 .docx 格式（${reason.slice(0, 200)}）。`,
    );
  }
  warnings.push(...[...new Set(messages.map((message) => message.message))].map(translateMessage));

  const layout = applyLayout(htmlToDoc(html), await readXmlParagraphs(data));
  warnings.push(...layout.warnings);
  const converted = layout.doc;
  const header = readHeader(converted.content);
  const rest = [...header.rest];
  let info = header.info;
  for (;;) {
    const last = rest[rest.length - 1];
    // A 落款 or its date is the document's own text, not a portal byline.
    if (last?.type !== 'paragraph' || rest.length < 2 || last.attrs?.role) break;
    const text = blockText(last);
    const byline = parseBylineLine(text);
    if (byline && bylineConflicts(info, byline)) break;
    const infoLine = byline ? null : closingInfoLine(text);
    if (byline) info = mergeInfo(info, { ...emptyInfo(), ...byline });
    else if (infoLine) info = mergeInfo(info, infoLine);
    else break;
    rest.pop();
  }
  const doc: Doc = { type: 'doc', content: rest.length ? rest : [{ type: 'paragraph' }] };
  const draft = assembleDraft({
    title: header.title,
    subtitle: header.subtitle,
    column: header.column,
    info,
    doc,
    unrecognised: [],
    warnings,
    assets,
    columnExpected: false,
  });
  if (layout.docNo || layout.writtenAt) {
    // Offered, not decided: the writer sees them in 信息公开 and the proofreader checks the 文号's brackets.
    draft.meta.disclosure = DisclosureSchema.parse({ docNo: layout.docNo ?? '', writtenAt: layout.writtenAt });
    if (layout.docNo) draft.warnings.push(note('importNote.docNo', { docNo: layout.docNo }));
    if (layout.writtenAt) draft.warnings.push(note('importNote.writtenAt', { date: layout.writtenAt }));
  }
  if (layout.organ) draft.warnings.push(note('importNote.redhead', { organ: layout.organ }));
  return draft;
}
