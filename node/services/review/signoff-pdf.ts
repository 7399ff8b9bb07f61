import { existsSync, readFileSync } from 'node:fs';
import { create as createQr } from 'qrcode';
import { ApiError } from '../../../shared/api/errors';
import type { Locale } from '../../../shared/domain/settings';
import { translate } from '../../../shared/i18n';
import {
  type QrModules,
  type SignoffForm,
  type SignoffSheet,
  signoffForm,
  signoffHtml,
  signoffVerifyCode,
} from '../../../shared/workflow/signoff';

/** A font file with CJK glyphs; `family` picks the face inside a .ttc collection. */
export interface CjkFont {
  path: string;
  family?: string;
}

/** Fonts tried in order; the first that exists is used. */
export const CJK_FONT_CANDIDATES: readonly CjkFont[] = [
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc', family: 'NotoSansCJKsc-Regular' },
  { path: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', family: 'NotoSerifCJKsc-Regular' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYiMicroHei' },
  { path: 'C:\\Windows\\Fonts\\simsun.ttc', family: 'SimSun' },
  { path: 'C:\\Windows\\Fonts\\msyh.ttc', family: 'MicrosoftYaHei' },
  { path: '/System/Library/Fonts/PingFang.ttc', family: 'PingFangSC-Regular' },
  { path: '/System/Library/Fonts/STHeiti Light.ttc', family: 'STHeitiSC-Light' },
];

/** The first installed CJK font, or null. */
export function findCjkFont(candidates: readonly CjkFont[] = CJK_FONT_CANDIDATES): CjkFont | null {
  return candidates.find((font) => existsSync(font.path)) ?? null;
}

// A CJK face is ~20 MB; reading it once per process keeps every PDF after the first from paying for the disk.
const fontBytesByPath = new Map<string, Buffer>();

function fontBytes(path: string): Buffer {
  let bytes = fontBytesByPath.get(path);
  if (!bytes) {
    bytes = readFileSync(path);
    fontBytesByPath.set(path, bytes);
  }
  return bytes;
}


/**
 * The QR symbol of the sheet's verification code ({@link signoffVerifyCode}),
 * for the PDF and for {@link signoffHtml}.
 */
export function signoffQr(sheet: SignoffSheet): QrModules {
  // Level M (15 % may be lost) keeps a 41×41 symbol for the ~100-character code and survives a fold or a stamp.
  const symbol = createQr(signoffVerifyCode(sheet.articleId, sheet.currentHash), { errorCorrectionLevel: 'M' });
  const { size } = symbol.modules;
  return Array.from({ length: size }, (_, row) => Array.from({ length: size }, (_, col) => symbol.modules.get(row, col) === 1));
}

/** The 审核表 as HTML with its QR code: what `review:signoff` hands out for `format: 'html'`. */
export function renderSignoffHtml(sheet: SignoffSheet, locale: Locale = 'zh-CN'): string {
  return signoffHtml(sheet, locale, signoffQr(sheet));
}

/**
 * Renders the 审核表 as an A4 PDF with an embedded (subset) CJK font: the
 * office's name, 信息发布审核表, a bordered table of the article and one row per
 * stage with an empty cell to sign by hand, the verification block (short hash
 * and QR code), then the article text when the sheet carries it. Pages are
 * numbered 第 X 页 共 Y 页 once there is more than one. Throws `internal` with a
 * clear Chinese message when no CJK font is installed.
 */
export async function renderSignoffPdf(
  sheet: SignoffSheet,
  options: { font?: CjkFont | null; locale?: Locale } = {},
): Promise<Uint8Array> {
  const locale = options.locale ?? 'zh-CN';
  const font = options.font === undefined ? findCjkFont() : options.font;
  if (!font) throw new ApiError('internal', translate(locale, 'session.error.noCjkFont'));
  // Loaded on demand: the PDF writer and its font engine are only needed here.
  const { default: PDFDocument } = await import('pdfkit');
  const form = signoffForm(sheet, locale);
  // `font: null` keeps pdfkit from loading its built-in Helvetica metrics, which a bundle may not carry.
  // Pages are buffered so the footer can say how many there are once all are laid out.
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: MARGIN, left: MARGIN, right: MARGIN, bottom: MARGIN + FOOTER },
    bufferPages: true,
    font: null as unknown as string,
    info: { Title: `${form.heading} ${sheet.title}`, Producer: 'Gazette' },
  });
  const chunks: Buffer[] = [];
  const finished = new Promise<Uint8Array>((resolve, reject) => {
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
  });
  try {
    doc.registerFont('cjk', fontBytes(font.path), font.family);
    doc.font('cjk');
  } catch (error) {
    // Bytes that do not parse (or a file replaced since) must not stay cached.
    fontBytesByPath.delete(font.path);
    doc.end();
    await finished.catch(() => {});
    throw new ApiError(
      'internal',
      `${translate(locale, 'session.error.noCjkFont')}（${font.path}: ${error instanceof Error ? error.message : String(error)}）`,
    );
  }
  new SheetLayout(doc, form, signoffQr(sheet)).draw();
  numberPages(doc, locale);
  doc.end();
  return finished;
}

const MARGIN = 50;
/** Room under the body for 第 X 页 共 Y 页. */
const FOOTER = 24;
const PAD = 5;
/** A stage row is at least this tall, so there is room to sign by hand. */
const SIGN_ROW = 46;
const LABEL = 64;
/** 审核环节, 审核意见, 审核人, 审核时间; 签字 takes what is left. */
const STAGE_COLUMNS = [64, 168, 80, 102] as const;
const QR_SIZE = 86;

type Doc = PDFKit.PDFDocument;

/** A line of a cell: its text and type size; `fake bold` strokes the glyphs, as the CJK face has no bold weight here. */
interface Line {
  text: string;
  size: number;
  bold?: boolean;
  align?: 'left' | 'center';
}

interface Cell {
  width: number;
  lines: Line[];
}

/** Draws the form top to bottom, starting a new page (and repeating the stage header) where a row would not fit. */
class SheetLayout {
  readonly #doc: Doc;
  readonly #form: SignoffForm;
  readonly #qr: QrModules;
  readonly #left: number;
  readonly #width: number;
  #y: number;

  constructor(doc: Doc, form: SignoffForm, qr: QrModules) {
    this.#doc = doc;
    this.#form = form;
    this.#qr = qr;
    this.#left = doc.page.margins.left;
    this.#width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
    this.#y = doc.page.margins.top;
  }

  draw(): void {
    const form = this.#form;
    if (form.officeName) this.#centered(form.officeName, 15, 2);
    this.#centered(form.heading, 22, 12, true);
    if (form.recordProblems) this.#problems(form.recordProblems);
    this.#fields();
    this.#stages();
    this.#gap(8);
    this.#paragraph(form.verdict, form.recordProblems ? 14 : 11.5, true);
    if (form.openComments.length > 0) {
      this.#gap(4);
      this.#paragraph(form.openCommentsTitle, 10, true);
      for (const line of form.openComments) this.#paragraph(line, 8.5);
    }
    if (form.invalidated.length > 0) {
      this.#gap(4);
      this.#paragraph(form.invalidatedTitle, 10, true);
      for (const line of form.invalidated) this.#paragraph(line, 8.5);
    }
    this.#gap(8);
    this.#verification();
    if (form.articleText) this.#articleText(form.articleText);
  }

  #bottom(): number {
    return this.#doc.page.height - this.#doc.page.margins.bottom;
  }

  /** Moves to a new page unless `height` more fits on this one; true when it did. */
  #room(height: number): boolean {
    if (this.#y + height <= this.#bottom()) return false;
    this.#doc.addPage();
    this.#y = this.#doc.page.margins.top;
    return true;
  }

  #gap(points: number): void {
    this.#y += points;
  }

  #write(line: Line, x: number, y: number, width: number): void {
    const doc = this.#doc;
    doc.fontSize(line.size);
    const options: PDFKit.Mixins.TextOptions = { width, align: line.align ?? 'left', lineBreak: true };
    if (line.bold) {
      doc.save().lineWidth(line.size / 40).strokeColor('black');
      doc.text(line.text, x, y, { ...options, fill: true, stroke: true });
      doc.restore();
    } else {
      doc.text(line.text, x, y, options);
    }
  }

  #heightOf(line: Line, width: number): number {
    this.#doc.fontSize(line.size);
    return line.text === '' ? 0 : this.#doc.heightOfString(line.text, { width });
  }

  #centered(text: string, size: number, after: number, bold = false): void {
    const line: Line = { text, size, bold, align: 'center' };
    const height = this.#heightOf(line, this.#width);
    this.#room(height);
    this.#write(line, this.#left, this.#y, this.#width);
    this.#y += height + after;
  }

  #paragraph(text: string, size: number, bold = false): void {
    const line: Line = { text, size, bold };
    const height = this.#heightOf(line, this.#width);
    this.#room(height);
    this.#write(line, this.#left, this.#y, this.#width);
    this.#y += height + 2;
  }

  /** 记录异常 in a heavy box above everything else, so nobody files the sheet without seeing it. */
  #problems(problems: NonNullable<SignoffForm['recordProblems']>): void {
    const inner = this.#width - 2 * 8;
    const lines: Line[] = [
      { text: problems.title, size: 20, bold: true },
      { text: problems.note, size: 10 },
      ...problems.problems.map((p) => ({ text: `· ${p}`, size: 9.5 })),
    ];
    const height = lines.reduce((sum, line) => sum + this.#heightOf(line, inner) + 2, 0) + 2 * 8;
    this.#room(height);
    const doc = this.#doc;
    doc.save().lineWidth(2).rect(this.#left, this.#y, this.#width, height).stroke().restore();
    let y = this.#y + 8;
    for (const line of lines) {
      this.#write(line, this.#left + 8, y, inner);
      y += this.#heightOf(line, inner) + 2;
    }
    this.#y += height + 10;
  }

  /** A bordered row of cells, each a stack of lines, vertically centred, at least `minHeight` tall. */
  #row(cells: Cell[], minHeight: number): void {
    const heights = cells.map((cell) => this.#cellHeight(cell));
    const height = Math.max(minHeight, ...heights.map((h) => h + 2 * PAD));
    const doc = this.#doc;
    let x = this.#left;
    cells.forEach((cell, i) => {
      doc.save().lineWidth(0.8).rect(x, this.#y, cell.width, height).stroke().restore();
      let y = this.#y + (height - (heights[i] ?? 0)) / 2;
      for (const line of cell.lines) {
        if (line.text === '') continue;
        this.#write(line, x + PAD, y, cell.width - 2 * PAD);
        y += this.#heightOf(line, cell.width - 2 * PAD);
      }
      x += cell.width;
    });
    this.#y += height;
  }

  #cellHeight(cell: Cell): number {
    return cell.lines.reduce((sum, line) => sum + this.#heightOf(line, cell.width - 2 * PAD), 0);
  }

  #rowHeight(cells: Cell[], minHeight: number): number {
    return Math.max(minHeight, ...cells.map((cell) => this.#cellHeight(cell) + 2 * PAD));
  }

  #fields(): void {
    const { titleField, fieldPairs } = this.#form;
    const label = (text: string): Cell => ({ width: LABEL, lines: [{ text, size: 10.5, align: 'center' }] });
    const value = (text: string, width: number): Cell => ({ width, lines: [{ text, size: 10.5 }] });
    const half = (this.#width - 2 * LABEL) / 2;
    const rows = [
      [label(titleField.label), value(titleField.value, this.#width - LABEL)],
      ...fieldPairs.map(([a, b]) => [label(a.label), value(a.value, half), label(b.label), value(b.value, half)]),
    ];
    for (const cells of rows) {
      this.#room(this.#rowHeight(cells, 26));
      this.#row(cells, 26);
    }
  }

  #stageCells(stage: string, opinion: Line[], reviewer: Line[], time: string, bold = false): Cell[] {
    const rest = this.#width - STAGE_COLUMNS.reduce((a, b) => a + b, 0);
    return [
      { width: STAGE_COLUMNS[0], lines: [{ text: stage, size: 10.5, bold, align: 'center' }] },
      { width: STAGE_COLUMNS[1], lines: opinion },
      { width: STAGE_COLUMNS[2], lines: reviewer },
      { width: STAGE_COLUMNS[3], lines: [{ text: time, size: 9.5, bold, align: 'center' }] },
      // 签字: left empty for a pen.
      { width: rest, lines: [] },
    ];
  }

  #stageHeader(): void {
    const { columns } = this.#form;
    const head = (text: string): Line[] => [{ text, size: 10.5, bold: true, align: 'center' }];
    const cells = this.#stageCells(columns.stage, head(columns.opinion), head(columns.reviewer), columns.time, true);
    const last = cells[4];
    if (last) last.lines = head(columns.handSign);
    this.#row(cells, 24);
  }

  #stages(): void {
    const header = this.#rowHeight(this.#stageCells('', [], [], '', true), 24);
    // The header goes with the first row: never alone at the foot of a page.
    this.#room(header + SIGN_ROW);
    this.#stageHeader();
    const rows = this.#form.rows.map((row) =>
      this.#stageCells(
        row.stage,
        [{ text: row.opinion, size: 10 }, ...row.notes.map((note) => ({ text: note, size: 8.5 }))],
        [
          { text: row.reviewer, size: 10.5, align: 'center' },
          { text: row.signature, size: 7.5, align: 'center' },
        ],
        row.time,
      ),
    );
    if (this.#form.confidentiality) rows.push(this.#stageCells(this.#form.confidentiality, [], [], ''));
    for (const cells of rows) {
      if (this.#room(header + this.#rowHeight(cells, SIGN_ROW))) this.#stageHeader();
      this.#row(cells, SIGN_ROW);
    }
  }

  /** The QR code of the verification code beside the short hash, how to check, and when the sheet was printed. */
  #verification(): void {
    const form = this.#form;
    const textX = this.#left + QR_SIZE + 12;
    const textWidth = this.#width - QR_SIZE - 12;
    const lines: Line[] = [
      { text: `${form.shortHashLabel}：${form.shortHash}`, size: 12, bold: true },
      { text: form.verifyHint, size: 9 },
      { text: `${form.verifyCodeLabel}：${form.verifyCode}`, size: 6.5 },
      { text: form.printedAt, size: 9 },
    ];
    const textHeight = lines.reduce((sum, line) => sum + this.#heightOf(line, textWidth) + 3, 0);
    const height = Math.max(QR_SIZE, textHeight);
    this.#room(height);
    this.#drawQr(this.#left, this.#y, QR_SIZE);
    let y = this.#y + (height - textHeight) / 2;
    for (const line of lines) {
      this.#write(line, textX, y, textWidth);
      y += this.#heightOf(line, textWidth) + 3;
    }
    this.#y += height;
  }

  /** Each run of dark modules in a row is one rectangle, so no hairline seams split the symbol when rasterised. */
  #drawQr(x: number, y: number, size: number): void {
    const quiet = 4;
    const count = this.#qr.length + 2 * quiet;
    const module = size / count;
    const doc = this.#doc;
    doc.save();
    doc.rect(x, y, size, size).fill('white');
    this.#qr.forEach((row, r) => {
      let c = 0;
      while (c < row.length) {
        if (!row[c]) {
          c += 1;
          continue;
        }
        const start = c;
        while (c < row.length && row[c]) c += 1;
        doc.rect(x + (start + quiet) * module, y + (r + quiet) * module, (c - start) * module, module);
      }
    });
    doc.fill('black');
    doc.restore();
  }

  /** 附：文稿正文, flowing onto as many pages as it needs. */
  #articleText(paragraphs: string[]): void {
    const doc = this.#doc;
    this.#gap(18);
    this.#paragraph(this.#form.articleTextTitle, 12, true);
    this.#gap(4);
    doc.fontSize(11);
    // pdfkit breaks pages itself here, and doc.y follows it.
    doc.x = this.#left;
    doc.y = this.#y;
    for (const paragraph of paragraphs) {
      doc.text(paragraph, this.#left, doc.y, { width: this.#width, indent: 22, lineGap: 4, paragraphGap: 4 });
    }
    this.#y = doc.y;
  }
}

/** 第 X 页 共 Y 页 at the foot of every page, once there is more than one. */
function numberPages(doc: Doc, locale: Locale): void {
  const { start, count } = doc.bufferedPageRange();
  if (count < 2) return;
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    const { margins } = doc.page;
    const bottom = margins.bottom;
    // Writing inside the bottom margin would make pdfkit start a new page; the footer belongs to this one.
    margins.bottom = 0;
    doc.fontSize(9).text(translate(locale, 'signoff.page', { page: i - start + 1, pages: count }), margins.left, doc.page.height - MARGIN - 10, {
      width: doc.page.width - margins.left - margins.right,
      align: 'center',
      lineBreak: false,
    });
    margins.bottom = bottom;
  }
}
