import type { Article } from '../../../shared/domain/article';
import { type NoteMessage, note } from '../../../shared/i18n/note';
import type { DocMark, DocNode } from '../../../shared/domain/doc';

/**
 * An article as a 公文 (GB/T 9704-2012): which line is the title, the 主送,
 * a numbered heading, the 附件说明, the 落款 and the 成文日期. The Word and the
 * print (HTML → PDF) layouts both draw this one model, so they cannot disagree
 * about what a line is; each only decides how to draw it.
 */

/** Which typeface a run is set in; each layout maps it to a font chain (fonts.ts). */
export type FontRole = 'body' | 'title' | 'hei' | 'kai';

export interface Run {
  text: string;
  font: FontRole;
  bold?: boolean;
  italic?: boolean;
  underline?: boolean;
  strike?: boolean;
  /** A line break inside the paragraph (Word: a break run; HTML: <br>). */
  lineBreak?: boolean;
}

export type Align = 'left' | 'center' | 'right' | 'justify';

/**
 * What a paragraph is in the 公文. 'body' is indented two characters;
 * 'addressee' (主送) is flush left; 'signature' (落款) and 'date' (成文日期)
 * are right-aligned with computed right indents; 'attachment' is the first
 * line of the 附件说明 and 'attachmentItem' its further numbered lines.
 */
export type ParagraphKind = 'body' | 'addressee' | 'signature' | 'date' | 'attachment' | 'attachmentItem';

export interface ParagraphBlock {
  kind: 'paragraph';
  role: ParagraphKind;
  /** The writer's own alignment (centre, right); null keeps the role's default. */
  align: Align | null;
  runs: Run[];
  /** The runs before a numbered line was set as a heading: an 附件 line turns out not to be one. */
  unstyled?: Run[];
  /** Right indent in characters (落款, 成文日期), computed by {@link placeSignature}. */
  rightIndentChars?: number;
}

export interface TableCell {
  header: boolean;
  colspan: number;
  rowspan: number;
  paragraphs: Run[][];
}

export type Block =
  | ParagraphBlock
  | { kind: 'blank' }
  | { kind: 'table'; rows: TableCell[][] }
  | { kind: 'image'; src: string; alt: string; caption: string }
  | { kind: 'rule' };

export interface Redhead {
  /** 发文机关标志, e.g. 某某区人民政府办公室文件. */
  organ: string;
  /** 发文字号, e.g. 镇政发〔2024〕7号; '' prints no line for it. */
  docNo: string;
}

export interface GongwenModel {
  title: string;
  subtitle: string;
  redhead: Redhead | null;
  blocks: Block[];
  /** What the layout changed or could not place, for the person exporting (Chinese). */
  notes: NoteMessage[];
}

/** The 结构层次序数 of GB/T 9704 §7.3.3: 一、 （一） 1. （1）. */
const LEVEL_PATTERNS: [1 | 2 | 3 | 4, RegExp][] = [
  [1, /^[一二三四五六七八九十百]+、/u],
  [2, /^[（(][一二三四五六七八九十百]+[）)]/u],
  [3, /^\d{1,2}[.．](?!\d)/u],
  [4, /^[（(]\d{1,2}[）)]/u],
];

/** Level 1 in 黑体, level 2 in 楷体, level 3 in bold 仿宋, level 4 in plain 仿宋 (§7.3.3). */
function levelStyle(level: 1 | 2 | 3 | 4): { font: FontRole; bold: boolean } {
  if (level === 1) return { font: 'hei', bold: false };
  if (level === 2) return { font: 'kai', bold: false };
  return { font: 'body', bold: level === 3 };
}

export function headingLevelOf(text: string): 1 | 2 | 3 | 4 | null {
  for (const [level, pattern] of LEVEL_PATTERNS) if (pattern.test(text)) return level;
  return null;
}

/** Widths in characters of the body grid: CJK and full-width 1, ASCII (the Arabic numerals of a date) ½. */
export function gridWidth(text: string): number {
  let width = 0;
  for (const char of text) width += (char.codePointAt(0) ?? 0) <= 0xff ? 0.5 : 1;
  return width;
}

const CHINESE_DIGITS: Record<string, number> = { 〇: 0, 零: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };

function chineseNumber(text: string): number | null {
  if (/^[〇零一二三四五六七八九]{4}$/u.test(text)) {
    return Number([...text].map((char) => CHINESE_DIGITS[char]).join(''));
  }
  const m = /^([一二三]?)(十?)([一二三四五六七八九]?)$/u.exec(text);
  if (!m || text === '') return null;
  const tens = m[2] ? (m[1] ? (CHINESE_DIGITS[m[1]] ?? 0) : 1) : 0;
  if (!m[2] && m[1] && m[3]) return null;
  const ones = m[3] ? (CHINESE_DIGITS[m[3]] ?? 0) : !m[2] && m[1] ? (CHINESE_DIGITS[m[1]] ?? 0) : 0;
  const value = tens * 10 + ones;
  return value > 0 ? value : null;
}

/**
 * 成文日期 as GB/T 9704-2012 §7.3.5.3 writes it: Arabic numerals, year in
 * full, no leading zeros (2024年4月6日). Accepts YYYY-MM-DD and the same date
 * written in Chinese numerals (二〇二四年四月六日, the 1999 edition's form);
 * anything else is null, so a line that is not a date is never rewritten.
 */
export function writtenDate(text: string): string | null {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/u.exec(text.trim());
  if (iso) return `${Number(iso[1])}年${Number(iso[2])}月${Number(iso[3])}日`;
  const arabic = /^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日$/u.exec(text.trim());
  if (arabic) return `${Number(arabic[1])}年${Number(arabic[2])}月${Number(arabic[3])}日`;
  const chinese = /^([〇零一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日$/u.exec(text.trim());
  if (chinese) {
    const [year, month, day] = [chineseNumber(chinese[1] ?? ''), chineseNumber(chinese[2] ?? ''), chineseNumber(chinese[3] ?? '')];
    if (year !== null && month !== null && day !== null && month <= 12 && day <= 31) return `${year}年${month}月${day}日`;
  }
  return null;
}

/** The same date as YYYY-MM-DD, or null; the importer offers it as 成文日期. */
export function isoFromWrittenDate(text: string): string | null {
  const written = writtenDate(text);
  if (!written) return null;
  const m = /^(\d{4})年(\d{1,2})月(\d{1,2})日$/u.exec(written);
  if (!m) return null;
  const iso = `${m[1]}-${(m[2] ?? '').padStart(2, '0')}-${(m[3] ?? '').padStart(2, '0')}`;
  const date = new Date(`${iso}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso ? null : iso;
}

/**
 * Right indents of 落款 and 成文日期 (§7.3.5.2, a document without a seal):
 * the 署名 ends two characters from the right margin and the date starts two
 * characters right of the 署名's first character; when the date is the longer
 * line the 署名 moves left instead, so the date never runs into the margin.
 */
export function placeSignature(signatureWidth: number, dateWidth: number): { signature: number; date: number } {
  const signature = Math.max(2, dateWidth + 2 - signatureWidth);
  return { signature, date: signature + signatureWidth - 2 - dateWidth };
}

function runsOf(node: DocNode, font: FontRole, out: Run[] = []): Run[] {
  for (const child of node.content ?? []) {
    if (child.type === 'text') {
      const marks = new Set((child.marks ?? []).map((mark: DocMark) => mark.type));
      const run: Run = { text: child.text ?? '', font };
      if (marks.has('bold')) run.bold = true;
      if (marks.has('italic')) run.italic = true;
      if (marks.has('underline')) run.underline = true;
      if (marks.has('strike')) run.strike = true;
      out.push(run);
    } else if (child.type === 'hardBreak') {
      out.push({ text: '', font, lineBreak: true });
    } else if (child.content) {
      runsOf(child, font, out);
    }
  }
  return out;
}

function runsText(runs: Run[]): string {
  return runs.map((run) => (run.lineBreak ? '\n' : run.text)).join('');
}

/**
 * Sets a numbered heading's words in its level's typeface. A line that is
 * only the heading takes the face whole; 「（一）加强领导。正文……」 takes it up
 * to the first 。 (the usual run-in heading); a long numbered line without a
 * 。 stays body text rather than being guessed at.
 */
function styleNumbered(runs: Run[], level: 1 | 2 | 3 | 4, wholeLine: boolean): Run[] {
  const style = levelStyle(level);
  const text = runsText(runs);
  let end = text.length;
  if (!wholeLine) {
    const stop = text.indexOf('。');
    const isShortLine = text.length <= 40 && !/[，,；;]/u.test(text.slice(0, -1));
    if (stop >= 0 && stop < text.length - 1) end = stop + 1;
    else if (!isShortLine) return runs;
  }
  const out: Run[] = [];
  let offset = 0;
  for (const run of runs) {
    const length = run.lineBreak ? 1 : run.text.length;
    const start = offset;
    offset += length;
    if (start >= end || run.lineBreak) {
      out.push(run);
      continue;
    }
    const cut = Math.min(length, end - start);
    out.push({ ...run, text: run.text.slice(0, cut), font: style.font, bold: run.bold || style.bold });
    if (cut < length) out.push({ ...run, text: run.text.slice(cut) });
  }
  return out;
}

function alignOf(node: DocNode): Align | null {
  const align = node.attrs?.textAlign;
  return align === 'left' || align === 'center' || align === 'right' || align === 'justify' ? align : null;
}

function roleOf(node: DocNode): string {
  return typeof node.attrs?.role === 'string' ? node.attrs.role : '';
}

function positiveInt(value: unknown): number {
  return typeof value === 'number' && Number.isInteger(value) && value > 0 ? value : 1;
}

export interface ModelOptions {
  /** The 红头: null (or absent) for the plain version. */
  redhead?: Redhead | null;
}

/** Builds the 公文 model of an article. Pure: the same article gives the same model. */
export function gongwenModel(article: Article, options: ModelOptions = {}): GongwenModel {
  const notes: NoteMessage[] = [];
  const blocks: Block[] = [];
  const disclosure = article.meta.disclosure;

  const paragraphBlock = (node: DocNode, prefix = ''): ParagraphBlock => {
    const role = roleOf(node);
    let runs = runsOf(node, 'body');
    if (prefix) runs.unshift({ text: prefix, font: 'body' });
    const text = runsText(runs).trim();
    if (role === 'addressee') return { kind: 'paragraph', role: 'addressee', align: null, runs };
    if (role === 'signature') return { kind: 'paragraph', role: 'signature', align: null, runs };
    if (role === 'signatureDate') {
      const written = writtenDate(text);
      if (written && written !== text) {
        notes.push(note('exportNote.writtenDateRewritten', { text, written }));
        runs = [{ text: written, font: 'body' }];
      }
      return { kind: 'paragraph', role: 'date', align: null, runs };
    }
    if (node.type === 'heading') {
      const level = headingLevelOf(text) ?? (Math.min(4, Math.max(1, positiveInt(node.attrs?.level))) as 1 | 2 | 3 | 4);
      return { kind: 'paragraph', role: 'body', align: alignOf(node), runs: styleNumbered(runs, level, true) };
    }
    const level = headingLevelOf(text);
    if (!level) return { kind: 'paragraph', role: 'body', align: alignOf(node), runs };
    return { kind: 'paragraph', role: 'body', align: alignOf(node), runs: styleNumbered(runs, level, false), unstyled: runs };
  };

  const cellParagraphs = (cell: DocNode): Run[][] => {
    const out: Run[][] = [];
    const walk = (node: DocNode): void => {
      if (node.type === 'paragraph' || node.type === 'heading') out.push(runsOf(node, 'body'));
      else for (const child of node.content ?? []) walk(child);
    };
    walk(cell);
    return out.length ? out : [[]];
  };

  const visit = (node: DocNode, prefix = ''): void => {
    switch (node.type) {
      case 'paragraph':
      case 'heading': {
        if (runsText(runsOf(node, 'body')).trim() === '' && !prefix) {
          blocks.push({ kind: 'blank' });
          return;
        }
        blocks.push(paragraphBlock(node, prefix));
        return;
      }
      case 'bulletList':
      case 'orderedList': {
        let number = node.type === 'orderedList' ? positiveInt(node.attrs?.start) : 0;
        for (const item of node.content ?? []) {
          const [first, ...others] = item.content ?? [];
          if (first) visit(first, node.type === 'orderedList' ? `${number++}.` : '');
          for (const other of others) visit(other);
        }
        return;
      }
      case 'blockquote':
      case 'listItem':
        for (const child of node.content ?? []) visit(child);
        return;
      case 'horizontalRule':
        blocks.push({ kind: 'rule' });
        return;
      case 'image': {
        const src = typeof node.attrs?.src === 'string' ? node.attrs.src : '';
        if (src) {
          blocks.push({
            kind: 'image',
            src,
            alt: typeof node.attrs?.alt === 'string' ? node.attrs.alt : '',
            caption: typeof node.attrs?.caption === 'string' ? node.attrs.caption : '',
          });
        }
        return;
      }
      case 'table': {
        const rows = (node.content ?? []).map((row) =>
          (row.content ?? []).map((cell) => ({
            header: cell.type === 'tableHeader',
            colspan: positiveInt(cell.attrs?.colspan),
            rowspan: positiveInt(cell.attrs?.rowspan),
            paragraphs: cellParagraphs(cell),
          })),
        );
        if (rows.length) blocks.push({ kind: 'table', rows });
        return;
      }
      default:
        if (node.content) for (const child of node.content) visit(child);
    }
  };
  for (const node of article.doc.content) visit(node);
  while (blocks[blocks.length - 1]?.kind === 'blank') blocks.pop();
  while (blocks[0]?.kind === 'blank') blocks.shift();

  markAttachments(blocks);
  addWrittenDate(blocks, disclosure?.writtenAt ?? null, notes);
  spaceBefore(blocks, (block) => block.role === 'attachment' || block.role === 'signature');
  placeSignatures(blocks);

  const title = article.meta.title.trim();
  if (!title) notes.push(note('exportNote.noTitle'));
  return { title, subtitle: article.meta.subtitle.trim(), redhead: options.redhead ?? null, blocks, notes };
}

/** 附件：1.…… and the numbered lines under it (§7.3.4). */
function markAttachments(blocks: Block[]): void {
  for (let index = 0; index < blocks.length; index++) {
    const block = blocks[index];
    if (block?.kind !== 'paragraph' || block.role !== 'body') continue;
    if (!/^附件[:：]/u.test(runsText(block.runs).trim())) continue;
    block.role = 'attachment';
    block.runs = block.unstyled ?? block.runs;
    for (let next = index + 1; next < blocks.length; next++) {
      const item = blocks[next];
      if (item?.kind !== 'paragraph' || item.role !== 'body' || !/^\d{1,2}[.．]/u.test(runsText(item.runs).trim())) break;
      item.role = 'attachmentItem';
      item.runs = item.unstyled ?? item.runs;
      index = next;
    }
  }
}

/**
 * A 落款 without a date line under it gets the 成文日期 from the 信息公开
 * fields. Nothing is added when the text has no 落款: a date alone at the
 * end would read as a signature the writer never wrote.
 */
function addWrittenDate(blocks: Block[], writtenAt: string | null, notes: NoteMessage[]): void {
  let signatureIndex = -1;
  blocks.forEach((block, index) => {
    if (block.kind === 'paragraph' && block.role === 'signature') signatureIndex = index;
  });
  const hasDate = blocks.some((block) => block.kind === 'paragraph' && block.role === 'date');
  if (hasDate || !writtenAt) return;
  const written = writtenDate(writtenAt);
  if (!written) return;
  if (signatureIndex < 0) {
    notes.push(note('exportNote.noSignature'));
    return;
  }
  blocks.splice(signatureIndex + 1, 0, { kind: 'paragraph', role: 'date', align: null, runs: [{ text: written, font: 'body' }] });
}

/** 正文（或附件说明）下空一行: one blank line before the block unless the writer left one. */
function spaceBefore(blocks: Block[], wants: (block: ParagraphBlock) => boolean): void {
  for (let index = blocks.length - 1; index > 0; index--) {
    const block = blocks[index];
    const before = blocks[index - 1];
    if (block?.kind !== 'paragraph' || !wants(block) || !before || before.kind === 'blank') continue;
    // Consecutive 落款 lines (two organs signing) and the attachment's own lines stay together.
    if (before.kind === 'paragraph' && (before.role === 'signature' || (block.role === 'signature' && before.role === 'date'))) continue;
    blocks.splice(index, 0, { kind: 'blank' });
  }
}

function placeSignatures(blocks: Block[]): void {
  for (let index = 0; index < blocks.length; index++) {
    const block = blocks[index];
    if (block?.kind !== 'paragraph' || block.role !== 'signature') continue;
    const next = blocks[index + 1];
    const date = next?.kind === 'paragraph' && next.role === 'date' ? next : null;
    const place = placeSignature(gridWidth(runsText(block.runs).trim()), date ? gridWidth(runsText(date.runs).trim()) : 0);
    block.rightIndentChars = date ? place.signature : 2;
    if (date) date.rightIndentChars = place.date;
  }
  for (const block of blocks) {
    // A date line with no 署名 above it: 右空四字 as for a sealed document.
    if (block.kind === 'paragraph' && block.role === 'date' && block.rightIndentChars === undefined) block.rightIndentChars = 4;
  }
}

export function plainTextOf(runs: Run[]): string {
  return runsText(runs);
}

/** For tests and notes: the model's text in reading order. */
export function modelText(model: GongwenModel): string {
  return [model.title, ...model.blocks.map((block) => (block.kind === 'paragraph' ? runsText(block.runs) : ''))].join('\n');
}
