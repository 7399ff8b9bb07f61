import {
  AlignmentType,
  BorderStyle,
  Document,
  DocumentGridType,
  Footer,
  ImageRun,
  LineRuleType,
  Packer,
  PageNumber,
  Paragraph,
  type ParagraphChild,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { type NoteMessage, note } from '../../../shared/i18n/note';
import { FONT_CHAINS, LATIN_FONT, WORD_FONT_TABLE } from './fonts';
import type { Align, Block, FontRole, GongwenModel, ParagraphBlock, Run, TableCell as ModelCell } from './gongwen-model';
import { PAGE, redheadSizePt } from './page';

/**
 * The 公文 model as a Word file in the GB/T 9704-2012 layout. Every measure
 * comes from ./page so the Word file and the printed page agree.
 */

const FONT_SIZE = { body: 32, title: 44, pageNumber: 28 } as const; // half-points: 三号 16 pt, 二号 22 pt, 四号 14 pt
const RED = 'FF0000';

function font(role: FontRole | 'pageNumber'): { eastAsia: string; ascii: string; hAnsi: string; cs: string; hint: string } {
  const name = FONT_CHAINS[role][0] ?? '';
  const latin = role === 'body' ? LATIN_FONT : name;
  // The eastAsia hint sends characters shared with Western text (“”、……, —) to the
  // Chinese face, full-width as 公文 sets them, instead of Times New Roman.
  return { eastAsia: name, ascii: latin, hAnsi: latin, cs: latin, hint: 'eastAsia' };
}

function xmlAttr(value: string): string {
  return value.replace(/&/gu, '&amp;').replace(/"/gu, '&quot;').replace(/</gu, '&lt;').replace(/>/gu, '&gt;');
}

/**
 * word/fontTable.xml with each font's alternate names. The docx package writes
 * the table only for embedded fonts, so this one replaces its (empty) table.
 */
export function fontTableXml(): string {
  const fonts = WORD_FONT_TABLE.map(({ name, altNames, charset }) =>
    [
      `<w:font w:name="${xmlAttr(name)}">`,
      altNames.length > 0 ? `<w:altName w:val="${xmlAttr(altNames.join(','))}"/>` : '',
      charset ? `<w:charset w:val="${charset}"/>` : '',
      '</w:font>',
    ].join(''),
  );
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">${fonts.join('')}</w:fonts>`;
}

function alignment(align: Align | null): (typeof AlignmentType)[keyof typeof AlignmentType] | undefined {
  if (align === 'center') return AlignmentType.CENTER;
  if (align === 'right') return AlignmentType.RIGHT;
  if (align === 'left') return AlignmentType.LEFT;
  if (align === 'justify') return AlignmentType.BOTH;
  return undefined;
}

function textRuns(runs: Run[], size: number = FONT_SIZE.body): TextRun[] {
  return runs.map((run) =>
    run.lineBreak
      ? new TextRun({ break: 1 })
      : new TextRun({
          text: run.text,
          font: font(run.font),
          size,
          characterSpacing: PAGE.runSpacingTwips,
          bold: run.bold,
          italics: run.italic,
          underline: run.underline ? {} : undefined,
          strike: run.strike,
        }),
  );
}

const chars = (n: number): number => Math.round(n * PAGE.charTwips);

function paragraph(block: ParagraphBlock): Paragraph {
  const children = textRuns(block.runs);
  switch (block.role) {
    case 'addressee':
      // 主送: 顶格, and its continuation lines too (§7.3.2).
      return new Paragraph({ children, alignment: AlignmentType.LEFT, indent: { firstLine: 0, left: 0 } });
    case 'signature':
    case 'date':
      return new Paragraph({ children, alignment: AlignmentType.RIGHT, indent: { right: chars(block.rightIndentChars ?? 2), firstLine: 0 } });
    case 'attachment':
      // 附件：1.xxxx — further lines of a long name align after 附件：(2 + 3 characters).
      return new Paragraph({ children, indent: { left: chars(5), hanging: chars(3) } });
    case 'attachmentItem':
      return new Paragraph({ children, indent: { left: chars(5) } });
    default: {
      const align = alignment(block.align);
      const centred = block.align === 'center' || block.align === 'right';
      return new Paragraph({ children, alignment: align ?? AlignmentType.BOTH, indent: centred ? { firstLine: 0 } : { firstLine: chars(2) } });
    }
  }
}

function cell(model: ModelCell): TableCell {
  return new TableCell({
    columnSpan: model.colspan > 1 ? model.colspan : undefined,
    rowSpan: model.rowspan > 1 ? model.rowspan : undefined,
    children: model.paragraphs.map(
      (runs) =>
        new Paragraph({
          children: textRuns(runs.map((run) => (model.header ? { ...run, bold: true } : run))),
          alignment: model.header ? AlignmentType.CENTER : AlignmentType.LEFT,
        }),
    ),
  });
}

function imageType(data: Buffer): 'png' | 'jpg' | 'gif' | 'bmp' | null {
  if (data[0] === 0x89 && data[1] === 0x50) return 'png';
  if (data[0] === 0xff && data[1] === 0xd8) return 'jpg';
  if (data[0] === 0x47 && data[1] === 0x49) return 'gif';
  if (data[0] === 0x42 && data[1] === 0x4d) return 'bmp';
  return null;
}

/** Pixel size of a PNG/JPEG/GIF, for the image's aspect ratio; null when unknown. */
export function imageSize(data: Buffer): { width: number; height: number } | null {
  const type = imageType(data);
  if (type === 'png' && data.length >= 24) return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
  if (type === 'gif' && data.length >= 10) return { width: data.readUInt16LE(6), height: data.readUInt16LE(8) };
  if (type === 'jpg') {
    let offset = 2;
    while (offset + 9 < data.length) {
      if (data[offset] !== 0xff) return null;
      const marker = data[offset + 1] ?? 0;
      const length = data.readUInt16BE(offset + 2);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { width: data.readUInt16BE(offset + 7), height: data.readUInt16BE(offset + 5) };
      }
      offset += 2 + length;
    }
  }
  return null;
}

export interface DocxOptions {
  /** The bytes of an article image by its `src`, or null when it cannot be read. */
  readImage: (src: string) => Buffer | null;
}

function blocks(model: GongwenModel, options: DocxOptions, notes: NoteMessage[]): (Paragraph | Table)[] {
  const out: (Paragraph | Table)[] = [];
  const blank = (): Paragraph => new Paragraph({ children: [] });
  if (model.redhead) {
    // 发文机关标志 35 mm below the top of the text area (§7.2.2, 下行文), 红色小标宋, centred.
    const size = redheadSizePt(model.redhead.organ) * 2;
    out.push(
      new Paragraph({
        alignment: AlignmentType.CENTER,
        spacing: { before: PAGE.redheadTopTwips, line: size * 10 * 1.2, lineRule: LineRuleType.AT_LEAST },
        children: [new TextRun({ text: model.redhead.organ, font: font('title'), size, color: RED })],
      }),
      blank(),
    );
    // 发文字号 两行之下居中; the red rule 4 mm under it, as wide as the text area.
    out.push(
      new Paragraph({
        alignment: AlignmentType.CENTER,
        border: { bottom: { style: BorderStyle.SINGLE, size: 12, color: RED, space: 11 } },
        children: textRuns([{ text: model.redhead.docNo, font: 'body' }]),
      }),
      blank(),
    );
  }
  out.push(
    new Paragraph({ alignment: AlignmentType.CENTER, children: textRuns([{ text: model.title, font: 'title' }], FONT_SIZE.title) }),
  );
  if (model.subtitle) out.push(new Paragraph({ alignment: AlignmentType.CENTER, children: textRuns([{ text: model.subtitle, font: 'kai' }]) }));
  out.push(blank());
  for (const block of model.blocks) out.push(...blockElements(block, options, notes));
  return out;
}

function blockElements(block: Block, options: DocxOptions, notes: NoteMessage[]): (Paragraph | Table)[] {
  switch (block.kind) {
    case 'paragraph':
      return [paragraph(block)];
    case 'blank':
      return [new Paragraph({ children: [] })];
    case 'rule':
      return [new Paragraph({ children: [], border: { bottom: { style: BorderStyle.SINGLE, size: 6, color: '000000', space: 1 } } })];
    case 'table':
      return [
        new Table({
          width: { size: 100, type: WidthType.PERCENTAGE },
          rows: block.rows.map((row) => new TableRow({ children: row.map(cell) })),
        }),
      ];
    case 'image': {
      const data = options.readImage(block.src);
      const type = data ? imageType(data) : null;
      if (!data || !type) {
        notes.push(note('exportNote.image.docx', { image: block.alt || block.src }));
        return [];
      }
      const size = imageSize(data) ?? { width: 600, height: 400 };
      const maxWidth = PAGE.textWidthPx;
      const scale = Math.min(1, maxWidth / size.width);
      const children: ParagraphChild[] = [
        new ImageRun({
          type,
          data,
          transformation: { width: Math.round(size.width * scale), height: Math.round(size.height * scale) },
          altText: { name: block.alt || 'image', description: block.alt, title: block.alt },
        }),
      ];
      const out: Paragraph[] = [new Paragraph({ alignment: AlignmentType.CENTER, children })];
      if (block.caption) out.push(new Paragraph({ alignment: AlignmentType.CENTER, children: textRuns([{ text: block.caption, font: 'kai' }]) }));
      return out;
    }
  }
}

/** 页码: 四号半角宋体阿拉伯数字，数字左右各放一条一字线; odd pages 右空一字, even pages 左空一字 (§7.5). */
function pageNumberFooter(side: 'odd' | 'even'): Footer {
  const run = (text: string): TextRun => new TextRun({ text, font: font('pageNumber'), size: FONT_SIZE.pageNumber });
  return new Footer({
    children: [
      new Paragraph({
        alignment: side === 'odd' ? AlignmentType.RIGHT : AlignmentType.LEFT,
        indent: side === 'odd' ? { right: chars(1) } : { left: chars(1) },
        children: [
          run('— '),
          new TextRun({ children: [PageNumber.CURRENT], font: font('pageNumber'), size: FONT_SIZE.pageNumber }),
          run(' —'),
        ],
      }),
    ],
  });
}

/** The Word file (bytes) and what the layout noted on the way. */
export async function gongwenDocx(model: GongwenModel, options: DocxOptions): Promise<{ data: Buffer; notes: NoteMessage[] }> {
  const notes: NoteMessage[] = [];
  const children = blocks(model, options, notes);
  const document = new Document({
    creator: 'Gazette',
    title: model.title,
    evenAndOddHeaderAndFooters: true,
    styles: {
      default: {
        document: {
          run: { font: font('body'), size: FONT_SIZE.body },
          paragraph: { spacing: { line: PAGE.linePitchTwips, lineRule: LineRuleType.EXACT, before: 0, after: 0 } },
        },
      },
      // The character grid is measured against the Normal style's font size;
      // LibreOffice reads it from the style, not from the document defaults.
      paragraphStyles: [{ id: 'Normal', name: 'Normal', run: { font: font('body'), size: FONT_SIZE.body } }],
    },
    sections: [
      {
        properties: {
          page: {
            size: { width: PAGE.widthTwips, height: PAGE.heightTwips },
            margin: {
              top: PAGE.marginTwips.top,
              bottom: PAGE.marginTwips.bottom,
              left: PAGE.marginTwips.left,
              right: PAGE.marginTwips.right,
              header: PAGE.headerTwips,
              footer: PAGE.footerTwips,
            },
            pageNumbers: { start: 1 },
          },
          // A line grid, not lines-and-characters: LibreOffice gives each 16 pt glyph two cells of a
          // 15.8 pt character grid (14 to a line); the 28 characters come from the run spacing instead.
          grid: { type: DocumentGridType.LINES, linePitch: PAGE.linePitchTwips, charSpace: PAGE.charSpace },
        },
        footers: { default: pageNumberFooter('odd'), even: pageNumberFooter('even') },
        children,
      },
    ],
  });
  return { data: await Packer.toBuffer(document, false, [{ path: 'word/fontTable.xml', data: fontTableXml() }]), notes };
}
