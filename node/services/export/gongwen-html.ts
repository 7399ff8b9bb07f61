import { type NoteMessage, note } from '../../../shared/i18n/note';
import { FONT_CHAINS, LATIN_FONT } from './fonts';
import type { Block, FontRole, GongwenModel, ParagraphBlock, Run } from './gongwen-model';
import { PAGE, redheadSizePt } from './page';

/**
 * The 公文 model as a print page: HTML and CSS paged media with the same
 * measures as the Word file, for Chromium's (and Electron's) PDF and for the
 * editor's print preview. Page numbers are CSS page-margin boxes, odd pages
 * on the right and even pages on the left like the Word file's footers.
 */

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/gu, (char) => `&#${char.charCodeAt(0)};`);
}

function family(role: FontRole | 'pageNumber'): string {
  const chain = FONT_CHAINS[role].map((name) => `"${name}"`);
  // Latin letters and digits of body text in Times New Roman, as in the Word file.
  return (role === 'body' ? [`"${LATIN_FONT}"`, ...chain] : chain).concat('serif').join(', ');
}

function runHtml(run: Run): string {
  if (run.lineBreak) return '<br>';
  let html = escapeHtml(run.text);
  if (run.bold) html = `<b>${html}</b>`;
  if (run.italic) html = `<i>${html}</i>`;
  if (run.underline) html = `<u>${html}</u>`;
  if (run.strike) html = `<s>${html}</s>`;
  return run.font === 'body' ? html : `<span class="f-${run.font}">${html}</span>`;
}

function runsHtml(runs: Run[]): string {
  return runs.map(runHtml).join('');
}

function paragraphHtml(block: ParagraphBlock): string {
  const style =
    block.rightIndentChars !== undefined ? ` style="padding-right:calc(var(--ch) * ${block.rightIndentChars})"` : '';
  const align = block.role === 'body' && block.align ? ` style="text-align:${block.align};text-indent:${block.align === 'center' || block.align === 'right' ? '0' : 'calc(var(--ch) * 2)'}"` : '';
  return `<p class="${block.role}"${style || align}>${runsHtml(block.runs) || '&#8203;'}</p>`;
}

export interface HtmlOptions {
  /** An image's `src` as the page may load it (a data: URL), or null to leave it out. */
  resolveImage: (src: string) => string | null;
}

function blockHtml(block: Block, options: HtmlOptions, notes: NoteMessage[]): string {
  switch (block.kind) {
    case 'paragraph':
      return paragraphHtml(block);
    case 'blank':
      return '<p class="blank">&#8203;</p>';
    case 'rule':
      return '<hr>';
    case 'table': {
      const rows = block.rows
        .map(
          (row) =>
            `<tr>${row
              .map((cell) => {
                const tag = cell.header ? 'th' : 'td';
                const span = `${cell.colspan > 1 ? ` colspan="${cell.colspan}"` : ''}${cell.rowspan > 1 ? ` rowspan="${cell.rowspan}"` : ''}`;
                return `<${tag}${span}>${cell.paragraphs.map((runs) => `<p>${runsHtml(runs)}</p>`).join('')}</${tag}>`;
              })
              .join('')}</tr>`,
        )
        .join('');
      return `<table>${rows}</table>`;
    }
    case 'image': {
      const src = options.resolveImage(block.src);
      if (!src) {
        notes.push(note('exportNote.image.print', { image: block.alt || block.src }));
        return '';
      }
      const caption = block.caption ? `<figcaption>${escapeHtml(block.caption)}</figcaption>` : '';
      return `<figure><img src="${escapeHtml(src)}" alt="${escapeHtml(block.alt)}">${caption}</figure>`;
    }
  }
}

/** The whole print page as one HTML document (no scripts, no external requests). */
export function gongwenHtml(model: GongwenModel, options: HtmlOptions): { html: string; notes: NoteMessage[] } {
  const notes: NoteMessage[] = [];
  const m = PAGE.marginMm;
  const lineMm = (PAGE.textHeightMm / PAGE.lines).toFixed(3);
  const css = `
@page { size: A4; margin: ${m.top}mm ${m.right}mm ${m.bottom}mm ${m.left}mm; }
@page :right { @bottom-right { content: "— " counter(page) " —"; font-family: ${family('pageNumber')}; font-size: 14pt; vertical-align: top; padding-top: 7mm; padding-right: calc(156mm / 28); } }
@page :left { @bottom-left { content: "— " counter(page) " —"; font-family: ${family('pageNumber')}; font-size: 14pt; vertical-align: top; padding-top: 7mm; padding-left: calc(156mm / 28); } }
:root { --ch: calc(${PAGE.textWidthMm}mm / ${PAGE.chars}); --line: ${lineMm}mm; }
html { background: #fff; color: #000; }
body { margin: 0; font-family: ${family('body')}; font-size: ${PAGE.bodyPt}pt; line-height: var(--line); letter-spacing: calc(var(--ch) - 1em); }
@media screen { body { width: ${PAGE.textWidthMm}mm; margin: 0 auto; padding: ${m.top}mm ${m.right}mm ${m.bottom}mm ${m.left}mm; box-shadow: 0 0 6px #999; } html { background: #eee; } }
p { margin: 0; text-align: justify; text-indent: calc(var(--ch) * 2); min-height: var(--line); }
.f-title, h1 { font-family: ${family('title')}; font-weight: normal; }
.f-hei { font-family: ${family('hei')}; }
.f-kai { font-family: ${family('kai')}; }
h1 { font-size: 22pt; text-align: center; margin: 0; line-height: var(--line); letter-spacing: 0; }
.subtitle { text-align: center; text-indent: 0; font-family: ${family('kai')}; }
.addressee { text-indent: 0; text-align: left; }
.signature, .date { text-indent: 0; text-align: right; }
.attachment { text-indent: calc(var(--ch) * -3); padding-left: calc(var(--ch) * 5); }
.attachmentItem { text-indent: 0; padding-left: calc(var(--ch) * 5); }
.redhead { text-align: center; text-indent: 0; }
.redhead-organ { color: #e00; font-family: ${family('title')}; line-height: 1.2; padding-top: 35mm; letter-spacing: 0; white-space: nowrap; }
.redhead-docno { border-bottom: 1px solid #e00; padding-bottom: 4mm; margin-bottom: calc(var(--line) * 2 - 4mm); }
table { border-collapse: collapse; width: 100%; letter-spacing: 0; }
th, td { border: 1px solid #000; padding: 0 1mm; vertical-align: top; }
th p, td p { text-indent: 0; }
figure { margin: 0; text-align: center; break-inside: avoid; }
img { max-width: 100%; }
figcaption { font-family: ${family('kai')}; }
hr { border: 0; border-top: 1px solid #000; }
`;
  const head = model.redhead
    ? `<p class="redhead redhead-organ" style="font-size:${redheadSizePt(model.redhead.organ)}pt">${escapeHtml(model.redhead.organ)}</p><p class="blank">&#8203;</p><p class="redhead redhead-docno">${escapeHtml(model.redhead.docNo) || '&#8203;'}</p>`
    : '';
  const subtitle = model.subtitle ? `<p class="subtitle">${escapeHtml(model.subtitle)}</p>` : '';
  const body = model.blocks.map((block) => blockHtml(block, options, notes)).join('\n');
  const html = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${escapeHtml(model.title)}</title><style>${css}</style></head>
<body>${head}<h1>${escapeHtml(model.title) || '&#8203;'}</h1>${subtitle}<p class="blank">&#8203;</p>
${body}
</body></html>
`;
  return { html, notes };
}
