import type { ExportedFile } from '../../../shared/api/contract/channel';
import { ApiError } from '../../../shared/api/errors';
import { noteText } from '../../../shared/i18n/note';
import type { Article } from '../../../shared/domain/article';
import { fontNotes } from './fonts';
import { gongwenDocx } from './gongwen-docx';
import { gongwenHtml } from './gongwen-html';
import { type GongwenModel, gongwenModel, type Redhead } from './gongwen-model';
import { chromiumPrintToPdf, type PrintToPdf } from './pdf';

export type { PrintToPdf } from './pdf';
export { chromiumPrintToPdf } from './pdf';

/** The 公文 formats: the Word file, its PDF, and the print page the editor previews. */
export type GongwenFormat = 'docx' | 'pdf' | 'print';

export interface GongwenExportDeps {
  /** Bytes of an article's image by its `src` (null when it is not one of its assets). */
  readAsset: (articleId: string, src: string) => Buffer | null;
  mimeOf: (src: string) => string;
  /** Electron's printToPDF in the desktop app; headless Chromium elsewhere. */
  printToPdf?: PrintToPdf;
}

export interface GongwenExportOptions {
  /** 红头 version: the 发文机关 to print in red; null for the plain version. */
  redheadOrgan?: string | null;
}

/**
 * The 红头's 发文机关标志: the 发文机关 and 文件 (§7.2.2), unless the name
 * given already ends in 文件.
 */
export function redheadFor(article: Article, organ: string): Redhead {
  const docNo = article.meta.disclosure?.docNo ?? '';
  const name = organ.trim();
  return { organ: /文件$/u.test(name) ? name : `${name}文件`, docNo };
}

/** An article as a 公文 Word file, PDF or print page, with notes on what was substituted or left out. */
export async function exportGongwen(
  article: Article,
  format: GongwenFormat,
  options: GongwenExportOptions,
  deps: GongwenExportDeps,
  baseName: string,
): Promise<ExportedFile> {
  if (options.redheadOrgan !== undefined && options.redheadOrgan !== null && !options.redheadOrgan.trim()) {
    throw new ApiError('invalid_request', '红头版需要发文机关名称：请在信息公开中填写发布机构，或在设置中填写单位名称。');
  }
  const model: GongwenModel = gongwenModel(article, {
    redhead: options.redheadOrgan ? redheadFor(article, options.redheadOrgan) : null,
  });
  const notes = [...model.notes];
  // Chinese for the CLI and older readers; the keys for the window, which shows them in the person's language.
  const told = () => ({ notes: notes.map((message) => noteText(message)), noteMessages: notes });
  const suffix = model.redhead ? '（红头）' : '';
  if (format === 'docx') {
    const { data, notes: layoutNotes } = await gongwenDocx(model, { readImage: (src) => deps.readAsset(article.id, src) });
    notes.push(...layoutNotes, ...(await fontNotes('docx')));
    return {
      fileName: `${baseName}${suffix}.docx`,
      mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      content: data.toString('base64'),
      encoding: 'base64',
      ...told(),
    };
  }
  const { html, notes: htmlNotes } = gongwenHtml(model, {
    resolveImage: (src) => {
      const data = deps.readAsset(article.id, src);
      return data ? `data:${deps.mimeOf(src)};base64,${data.toString('base64')}` : null;
    },
  });
  notes.push(...htmlNotes, ...(await fontNotes('pdf')));
  if (format === 'print') return { fileName: `${baseName}${suffix}.html`, mime: 'text/html', content: html, ...told() };
  const pdf = await (deps.printToPdf ?? chromiumPrintToPdf)(html);
  return { fileName: `${baseName}${suffix}.pdf`, mime: 'application/pdf', content: pdf.toString('base64'), encoding: 'base64', ...told() };
}
