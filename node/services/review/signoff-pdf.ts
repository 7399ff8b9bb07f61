import { existsSync, readFileSync } from 'node:fs';
import { ApiError } from '../../../shared/api/errors';
import type { Locale } from '../../../shared/domain/settings';
import { translate } from '../../../shared/i18n';
import { shortHash } from '../../../shared/workflow/canonical';
import { formatTime, type SignoffSheet, signoffFields, signoffStageCells } from '../../../shared/workflow/signoff';

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
 * Renders the 审核表 as an A4 PDF with an embedded (subset) CJK font. Throws
 * `internal` with a clear Chinese message when no CJK font is installed.
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
  // `font: null` keeps pdfkit from loading its built-in Helvetica metrics, which a bundle may not carry.
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    font: null as unknown as string,
    info: { Title: `${translate(locale, 'signoff.title')} ${sheet.title}`, Producer: 'Gazette' },
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

  const t = (key: Parameters<typeof translate>[1]) => translate(locale, key);
  const width = doc.page.width - 100;
  doc.fontSize(20).text(t('signoff.title'), { align: 'center' });
  doc.moveDown(1);
  doc.fontSize(11);
  for (const [label, value] of signoffFields(sheet, locale)) {
    doc.text(`${label}：${value}`, { width });
  }
  doc.moveDown(0.8);
  for (const stage of sheet.stages) {
    const [name, reviewer, time, opinion, hash, signature] = signoffStageCells(stage, locale);
    doc.fontSize(13).text(name ?? '', { width });
    doc.fontSize(10);
    doc.text(`${t('signoff.reviewer')}：${reviewer ?? ''}    ${t('signoff.time')}：${time ?? ''}`, { width });
    if (stage.reviewer) {
      doc.text(`${t('signoff.opinion')}：${opinion ?? ''}`, { width });
      doc.text(`${t('signoff.hash')}：${hash ?? ''}`, { width });
      doc.text(`${t('signoff.signature')}：${signature ?? ''}`, { width });
    }
    doc.moveDown(0.6);
  }
  if (sheet.invalidated.length > 0) {
    doc.fontSize(12).text(t('signoff.invalidated'), { width });
    doc.fontSize(9);
    for (const a of sheet.invalidated) {
      doc.text(`${a.stageName} · ${a.reviewer} · ${formatTime(a.at)} · ${shortHash(a.contentHash)} — ${a.reason}`, { width });
    }
    doc.moveDown(0.6);
  }
  doc.fontSize(11).text(t(sheet.fullyApproved ? 'signoff.fullyApproved' : 'signoff.notApproved'), { width });
  doc.moveDown(0.4);
  doc.fontSize(9);
  doc.text(`${t('signoff.currentHash')}：${sheet.currentHash}（${shortHash(sheet.currentHash)}）`, { width });
  doc.text(`${t('signoff.printedAt')}：${formatTime(sheet.printedAt)}`, { width });
  doc.end();
  return finished;
}
