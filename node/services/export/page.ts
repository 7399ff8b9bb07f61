/**
 * The GB/T 9704-2012 page (§5.2): A4, 天头 37 mm, 订口 28 mm, and a text area
 * of 156 × 225 mm holding 22 lines of 28 characters of 三号 (16 pt) type. The
 * other margins follow from the text area: bottom 297 − 37 − 225 = 35 mm,
 * right 210 − 28 − 156 = 26 mm. Word measures in twips (1/20 pt), CSS in mm.
 */

const TWIPS_PER_MM = 1440 / 25.4;
const mm = (value: number): number => Math.round(value * TWIPS_PER_MM);

const WIDTH_MM = 210;
const HEIGHT_MM = 297;
const MARGIN_MM = { top: 37, bottom: 35, left: 28, right: 26 } as const;
const TEXT_WIDTH_MM = WIDTH_MM - MARGIN_MM.left - MARGIN_MM.right; // 156
const TEXT_HEIGHT_MM = HEIGHT_MM - MARGIN_MM.top - MARGIN_MM.bottom; // 225
const LINES = 22;
const CHARS = 28;
const BODY_PT = 16;

const textWidthTwips = mm(WIDTH_MM) - mm(MARGIN_MM.left) - mm(MARGIN_MM.right);
const textHeightTwips = mm(HEIGHT_MM) - mm(MARGIN_MM.top) - mm(MARGIN_MM.bottom);

export const PAGE = {
  widthMm: WIDTH_MM,
  heightMm: HEIGHT_MM,
  marginMm: MARGIN_MM,
  textWidthMm: TEXT_WIDTH_MM,
  textHeightMm: TEXT_HEIGHT_MM,
  lines: LINES,
  chars: CHARS,
  bodyPt: BODY_PT,
  widthTwips: mm(WIDTH_MM), // 11906
  heightTwips: mm(HEIGHT_MM), // 16838
  marginTwips: { top: mm(MARGIN_MM.top), bottom: mm(MARGIN_MM.bottom), left: mm(MARGIN_MM.left), right: mm(MARGIN_MM.right) },
  /**
   * Line pitch rounded DOWN: 579 twips × 22 fits the 225 mm text area, 580
   * would not (22 × 580 > 12 756) and Word would then set 21 lines a page.
   */
  linePitchTwips: Math.floor(textHeightTwips / LINES),
  /** One character of the grid: 156 mm / 28 ≈ 15.8 pt. */
  charTwips: textWidthTwips / CHARS,
  /**
   * w:charSpace: how much wider (here narrower) than the 16 pt body font each
   * grid character is, in 1/4096 pt, so Word fits exactly 28 to a line.
   */
  charSpace: Math.round((textWidthTwips / CHARS / 20 - BODY_PT) * 4096),
  /**
   * Every run is set 0.25 pt tighter than its size: a 16 pt glyph is wider
   * than the 15.8 pt grid cell, and LibreOffice then gives it two cells (14
   * characters a line) where Word squeezes it into one; 15.75 pt fits one in both.
   */
  runSpacingTwips: -5,
  /** Header distance (no header is printed; Word needs a value). */
  headerTwips: mm(15),
  /**
   * 页码 一字线上距版心下边缘约 7 mm (§7.5): with a 14 pt line (≈ 5 mm) the
   * footer's bottom edge sits 35 − 7 − 5 = 23 mm above the paper's edge.
   */
  footerTwips: mm(23),
  /** 发文机关标志 上边缘至版心上边缘 35 mm (§7.2.2, 下行文 and 平行文). */
  redheadTopTwips: mm(35),
  /** The text area's width in CSS pixels (96 dpi), the widest an image may be. */
  textWidthPx: Math.floor((TEXT_WIDTH_MM / 25.4) * 96),
} as const;

/**
 * 发文机关标志 size: 小初 (36 pt) unless a long name would not fit on one line
 * of the text area; the standard requires the mark within the text width.
 */
export function redheadSizePt(organ: string): number {
  const chars = Math.max(1, [...organ].length);
  return Math.min(36, Math.floor(((PAGE.textWidthMm / 25.4) * 72) / (chars + 0.5)));
}
