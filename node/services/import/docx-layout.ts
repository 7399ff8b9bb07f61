import { type NoteMessage, note } from '../../../shared/i18n/note';
import JSZip from 'jszip';
import type { Doc, DocNode } from '../../../shared/domain/doc';
import { docToPlainText } from '../../../shared/domain/doc';
import { isoFromWrittenDate } from '../export/gongwen-model';

/**
 * What mammoth does not carry over from a Word file but a 公文 needs: each
 * paragraph's alignment (落款 right, title centred) and indent. Read straight
 * from word/document.xml and matched to mammoth's paragraphs by their text.
 */
export interface XmlParagraph {
  text: string;
  align: 'left' | 'center' | 'right' | 'justify' | null;
  /** First-line or left indent in twips (a 落款 moved right with indents instead of alignment). */
  indentTwips: number;
  /** A red run (the 发文机关标志 of a 红头). */
  red: boolean;
}

const squash = (text: string): string => text.replace(/[\s\u3000]+/gu, '');

function decodeXml(text: string): string {
  return text
    .replace(/&lt;/gu, '<')
    .replace(/&gt;/gu, '>')
    .replace(/&quot;/gu, '"')
    .replace(/&apos;/gu, "'")
    .replace(/&amp;/gu, '&');
}

/** The body's paragraphs outside tables, in order; [] when the XML cannot be read. */
export async function readXmlParagraphs(data: Buffer): Promise<XmlParagraph[]> {
  let xml: string;
  try {
    const zip = await JSZip.loadAsync(data);
    xml = (await zip.file('word/document.xml')?.async('string')) ?? '';
  } catch {
    return [];
  }
  // Table cells are matched by mammoth's table conversion, not here.
  let body = xml;
  for (let guard = 0; guard < 50 && /<w:tbl>/u.test(body); guard++) body = body.replace(/<w:tbl>(?:(?!<w:tbl>).)*?<\/w:tbl>/gsu, '');
  const out: XmlParagraph[] = [];
  for (const match of body.matchAll(/<w:p(?:\s[^>]*)?>(.*?)<\/w:p>|<w:p(?:\s[^>]*)?\/>/gsu)) {
    const inner = match[1] ?? '';
    const props = /<w:pPr>(.*?)<\/w:pPr>/su.exec(inner)?.[1] ?? '';
    const jc = /<w:jc w:val="(\w+)"/u.exec(props)?.[1] ?? '';
    const align = jc === 'center' ? 'center' : jc === 'right' || jc === 'end' ? 'right' : jc === 'both' ? 'justify' : jc === 'left' || jc === 'start' ? 'left' : null;
    const ind = /<w:ind ([^>]*)\/>/u.exec(props)?.[1] ?? '';
    const twips = (name: string) => Number(new RegExp(`w:${name}="(-?\\d+)"`, 'u').exec(ind)?.[1] ?? 0);
    const text = decodeXml([...inner.matchAll(/<w:t(?:\s[^>]*)?>([^<]*)<\/w:t>/gu)].map((m) => m[1]).join(''));
    out.push({
      text,
      align,
      indentTwips: Math.max(twips('left') + twips('firstLine'), twips('start') + twips('firstLine')),
      red: /<w:color w:val="(?:FF0000|ff0000|E60012|C00000|FF0000)"/u.test(inner),
    });
  }
  return out;
}

/** Pairs each top-level paragraph and heading of `doc` with its XML paragraph, by text, in order. */
export function matchParagraphs(doc: Doc, xml: XmlParagraph[]): Map<DocNode, XmlParagraph> {
  const out = new Map<DocNode, XmlParagraph>();
  let cursor = 0;
  for (const node of doc.content) {
    if (node.type !== 'paragraph' && node.type !== 'heading') continue;
    const text = squash(docToPlainText(node));
    if (!text) continue;
    for (let index = cursor; index < xml.length && index < cursor + 40; index++) {
      if (squash(xml[index]?.text ?? '') === text) {
        out.set(node, xml[index] as XmlParagraph);
        cursor = index + 1;
        break;
      }
    }
  }
  return out;
}

/** 发文字号 as a 红头 prints it: 镇政发〔2024〕7号 (also with [] or 【】, which proofreading then flags). */
export const DOC_NO_LINE = /^[\u4e00-\u9fa5]{1,12}[〔[【（(]\d{4}[〕\]】）)]\d{1,5}号$/u;

export interface LayoutFindings {
  doc: Doc;
  /** 文号 read under a 红头, as written. */
  docNo: string | null;
  /** 发文机关标志 without 文件, when a 红头 was recognised. */
  organ: string | null;
  /** 成文日期 (YYYY-MM-DD) read from the 落款 date line. */
  writtenAt: string | null;
  warnings: NoteMessage[];
}

const ORGAN_LINE = /^[\u4e00-\u9fa5（）()]{2,30}文件$/u;
const ADDRESSEE_LINE = /^[^，。；！？,.;]{2,80}[：:]$/u;
const SIGNATURE_LINE = /^[\u4e00-\u9fa5（）()、\s]{2,40}$/u;

function withAttrs(node: DocNode, attrs: Record<string, unknown>): DocNode {
  return { ...node, attrs: { ...(node.attrs ?? {}), ...attrs } };
}

/**
 * Applies what the XML says to mammoth's doc: alignment, the 红头 (taken out
 * of the text, its 文号 into the metadata), numbered headings, 主送, 落款 and
 * its date. Each is recognised only from the whole line and its place; a
 * right-aligned line at the end that may or may not be a 落款 is reported,
 * not marked.
 */
export function applyLayout(input: Doc, xml: XmlParagraph[]): LayoutFindings {
  const matched = matchParagraphs(input, xml);
  const warnings: NoteMessage[] = [];
  let content = input.content.map((node) => {
    const source = matched.get(node);
    if (!source?.align || source.align === 'left' || source.align === 'justify') return node;
    return withAttrs(node, { textAlign: source.align });
  });
  const text = (node: DocNode | undefined) => (node ? docToPlainText(node).trim() : '');
  const alignOf = (node: DocNode | undefined) => (typeof node?.attrs?.textAlign === 'string' ? node.attrs.textAlign : null);

  // 红头: 发文机关标志 (…文件) at the very top, then the 发文字号 line within the next three.
  let docNo: string | null = null;
  let organ: string | null = null;
  const firstIndex = content.findIndex((node) => text(node) !== '');
  const first = content[firstIndex];
  if (first && ORGAN_LINE.test(squash(text(first)))) {
    const noIndex = content.findIndex((node, index) => index > firstIndex && index <= firstIndex + 3 && DOC_NO_LINE.test(squash(text(node))));
    if (noIndex > 0) {
      docNo = squash(text(content[noIndex]));
      organ = squash(text(first)).replace(/文件$/u, '');
      content = content.filter((_, index) => index < firstIndex || index > noIndex);
    }
  }

  // Numbered headings on a line of their own (一、总体要求) stay headings: 一、 as h2, （一） as h3.
  content = content.map((node) => {
    if (node.type !== 'paragraph') return node;
    const line = text(node);
    if (line.length > 30 || /[。；;，,]/u.test(line)) return node;
    if (/^[一二三四五六七八九十]+、/u.test(line)) return { ...node, type: 'heading', attrs: { level: 2 } };
    if (/^[（(][一二三四五六七八九十]+[）)]/u.test(line)) return { ...node, type: 'heading', attrs: { level: 3 } };
    return node;
  });

  // 主送: the first line of the body when it is a list of addressees ending in a colon.
  const bodyStart = content.findIndex((node) => node.type === 'paragraph' && text(node) !== '' && alignOf(node) !== 'center');
  const addressee = content[bodyStart];
  if (addressee && ADDRESSEE_LINE.test(text(addressee)) && alignOf(addressee) !== 'right') {
    content[bodyStart] = withAttrs(addressee, { role: 'addressee' });
  }

  // 落款 and 成文日期: the last two lines, the date one a real date, both right-aligned (or pushed right by indents).
  let writtenAt: string | null = null;
  // Mammoth writes footnotes as a list after the last paragraph: look past it.
  let lastIndex = content.length - 1;
  while (lastIndex > 0 && (text(content[lastIndex]) === '' || content[lastIndex]?.type === 'orderedList')) lastIndex--;
  const last = content[lastIndex];
  const before = content[lastIndex - 1];
  const pushedRight = (node: DocNode | undefined) => {
    const source = node ? matched.get(node) : undefined;
    return alignOf(node) === 'right' || (source?.indentTwips ?? 0) >= 2880; // two inches: well past a paragraph indent
  };
  const lastDate = last ? isoFromWrittenDate(text(last)) : null;
  if (last && lastDate && pushedRight(last)) {
    if (before && pushedRight(before) && SIGNATURE_LINE.test(text(before))) {
      content[lastIndex - 1] = withAttrs(before, { role: 'signature', textAlign: 'right' });
      content[lastIndex] = withAttrs(last, { role: 'signatureDate', textAlign: 'right' });
      writtenAt = lastDate;
    } else {
      warnings.push(note('importNote.loneDate', { text: text(last) }));
    }
  } else if (last && pushedRight(last) && SIGNATURE_LINE.test(text(last)) && lastIndex > 0) {
    warnings.push(note('importNote.signatureWithoutDate', { text: text(last) }));
  }
  return { doc: { ...input, content }, docNo, organ, writtenAt, warnings };
}
