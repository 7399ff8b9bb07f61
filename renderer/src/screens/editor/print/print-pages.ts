/**
 * The print preview's pages. The services' print page lays the 公文 out for
 * paper with CSS @page rules (A4, the GB/T 9704 margins, page numbers in the
 * margin boxes); on screen a browser ignores those and shows one endless
 * sheet. To show it page by page without running any script inside the page,
 * the screen rules below pour the same text into columns exactly as tall and
 * wide as the printed text area: Chromium breaks columns with the same
 * fragmentation engine it prints with, so column N holds what page N will.
 * Each sheet of the preview is its own frame showing one column.
 */

/** The text area of GB/T 9704-2012 §5.2.2 and its margins, in mm (as the print page sets them). */
export const SHEET_MM = { width: 210, height: 297, top: 37, bottom: 35, left: 28, right: 26 } as const;
const TEXT_WIDTH_MM = SHEET_MM.width - SHEET_MM.left - SHEET_MM.right; // 156
const TEXT_HEIGHT_MM = SHEET_MM.height - SHEET_MM.top - SHEET_MM.bottom; // 225
/**
 * Wider than both side margins together, so a neighbouring column never
 * shows inside a sheet's margins.
 */
const COLUMN_GAP_MM = 60;
/** From one page's column to the next. */
export const PAGE_PITCH_MM = TEXT_WIDTH_MM + COLUMN_GAP_MM;
/**
 * The text area holds its 22 lines of 225/22 mm to within a hundredth of a
 * pixel. On screen line positions are rounded to Chromium's layout unit, and
 * the 22nd line can then land just past the column's foot and open the next
 * sheet a line early, which print does not do. A fifth of a millimetre of
 * slack, far less than a line, keeps it where the PDF has it.
 */
const COLUMN_SLACK_MM = 0.2;

/**
 * Screen-only rules for sheet `pageIndex` (0-based): the body becomes one
 * A4 sheet whose text area is a column of the text, shifted so that column
 * `pageIndex` sits in it; everything else is clipped. Print rules are left
 * alone, so printing the same document still gives the services' layout.
 */
export function sheetRules(pageIndex: number): string {
  return `@media screen {
html { background: #fff; width: ${SHEET_MM.width}mm; height: ${SHEET_MM.height}mm; overflow: hidden; }
body { box-sizing: content-box; width: ${TEXT_WIDTH_MM}mm; height: ${TEXT_HEIGHT_MM + COLUMN_SLACK_MM}mm; margin: 0 0 0 ${-pageIndex * PAGE_PITCH_MM}mm; padding: ${SHEET_MM.top}mm ${SHEET_MM.right}mm ${SHEET_MM.bottom - COLUMN_SLACK_MM}mm ${SHEET_MM.left}mm; box-shadow: none; column-width: ${TEXT_WIDTH_MM}mm; column-count: auto; column-gap: ${COLUMN_GAP_MM}mm; column-fill: auto; }
}`;
}

/** The print page with the rules for one sheet added at the end of its head (so they win over its own screen rules). */
export function sheetDocument(printHtml: string, pageIndex: number): string {
  const style = `<style data-sheet="${pageIndex}">${sheetRules(pageIndex)}</style>`;
  const at = printHtml.search(/<\/head>/iu);
  // The services always write a head; a page without one still gets the rules first.
  return at < 0 ? `${style}${printHtml}` : `${printHtml.slice(0, at)}${style}${printHtml.slice(at)}`;
}

/**
 * How many pages text fragments at these left edges fill, given where the
 * first column starts and the column pitch (all in the same unit). A
 * fragment a hair left of its column (sub-pixel rounding) still counts for
 * that column, and an empty document is one blank page, as printed.
 */
export function pageCount(fragmentLefts: readonly number[], firstColumnLeft: number, pitch: number): number {
  if (!(pitch > 0)) return 1;
  let last = 0;
  for (const left of fragmentLefts) {
    const index = Math.floor((left - firstColumnLeft + 1) / pitch);
    if (Number.isFinite(index) && index > last) last = index;
  }
  return last + 1;
}

/**
 * Counts the pages of a sheet document laid out in a frame (same-origin, no
 * scripts): every fragment of text and every box, by the column it landed in.
 */
export function measurePages(doc: Document): number {
  const view = doc.defaultView;
  const body = doc.body;
  if (!view || !body) return 1;
  const style = view.getComputedStyle(body);
  const firstColumnLeft = body.getBoundingClientRect().left + Number.parseFloat(style.paddingLeft || '0');
  const pitch = Number.parseFloat(style.width || '0') + Number.parseFloat(style.columnGap || '0');
  const range = doc.createRange();
  range.selectNodeContents(body);
  const lefts: number[] = [];
  for (const rect of range.getClientRects()) if (rect.width > 0 || rect.height > 0) lefts.push(rect.left);
  return pageCount(lefts, firstColumnLeft, pitch);
}

/**
 * GB/T 9704 §7.5: the page number sits on the outer side, right on odd pages
 * and left on even ones, as the print page's margin boxes put it.
 */
export function pageNumberSide(pageNumber: number): 'right' | 'left' {
  return pageNumber % 2 === 1 ? 'right' : 'left';
}

/** 页码 as the standard writes it: a dash each side, 「— 1 —」. */
export function pageNumberText(pageNumber: number): string {
  return `— ${pageNumber} —`;
}

/** A4's height in CSS pixels (96 dpi). */
const SHEET_HEIGHT_PX = (SHEET_MM.height * 96) / 25.4;
/**
 * What the print preview dialog needs besides a sheet: its header, the
 * notes and size line, its footer and the desk's margins (about; the dialog
 * scrolls if it is a little more).
 */
const DIALOG_CHROME_PX = 240;

/**
 * The zoom at which one whole sheet fits the dialog (88 % of the window's
 * height, as dialogs are), never larger than A4 itself and never so small
 * that the text is a grey blur.
 */
export function fitPageZoom(viewportHeight: number): number {
  const fit = (viewportHeight * 0.88 - DIALOG_CHROME_PX) / SHEET_HEIGHT_PX;
  return Math.min(1, Math.max(0.35, Number.isFinite(fit) ? fit : 1));
}
