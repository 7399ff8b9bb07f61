import { note } from '../../../shared/i18n/note';
import WordExtractor from 'word-extractor';
import { ApiError } from '../../../shared/api/errors';
import { DisclosureSchema } from '../../../shared/domain/article';
import { type DocNode, docToPlainText, heading, paragraph } from '../../../shared/domain/doc';
import { applyLayout } from './docx-layout';
import { assembleDraft, type ImportDraft } from './draft';
import { emptyInfo } from './header';

/**
 * Old binary Word (.doc) and WPS (.wps) files: word-extractor reads their text.
 * What it gives is text only — no styles, no alignment — so headings are the
 * numbered lines (一、 （一）) on a line of their own, tab-separated lines are
 * table rows, and the warning says the formatting was not carried over.
 * The 红头 and the 主送 line are recognised from the text alone, as in a
 * .docx; a 落款 is not, since without alignment a date at the end could be
 * anything.
 */
export async function importDoc(fileName: string, data: Buffer, kind: 'doc' | 'wps'): Promise<ImportDraft> {
  let body: string;
  let notes = '';
  try {
    const extracted = await new WordExtractor().extract(data);
    body = extracted.getBody();
    notes = [extracted.getFootnotes(), extracted.getEndnotes()].join('\n').trim();
  } catch {
    throw new ApiError(
      'unsupported_file',
      kind === 'wps'
        ? `无法读取 WPS 文件“${fileName}”。请在 WPS 中另存为 .docx 后导入。`
        : `无法读取旧版 Word 文件“${fileName}”（文件可能已损坏或已加密）。请在 Word 或 WPS 中另存为 .docx 后导入。`,
    );
  }
  // Word's cell marks (BEL), vertical tabs and page breaks are layout, not text.
  const layoutChars = new Set(['\u0007', '\u000b', '\f']);
  const lines = body
    .replace(/\r\n?/gu, '\n')
    .split('\n')
    .map((line) => [...line].filter((char) => !layoutChars.has(char)).join('').trimEnd());
  const blocks: DocNode[] = [];
  let rows: string[][] = [];
  const flushTable = (): void => {
    if (rows.length === 0) return;
    const width = Math.max(...rows.map((row) => row.length));
    blocks.push({
      type: 'table',
      content: rows.map((row) => ({
        type: 'tableRow',
        content: Array.from({ length: width }, (_, index) => ({
          type: 'tableCell',
          attrs: { colspan: 1, rowspan: 1 },
          content: [paragraph(row[index]?.trim() ?? '')],
        })),
      })),
    });
    rows = [];
  };
  for (const raw of lines) {
    if (raw.includes('\t')) {
      rows.push(raw.split('\t'));
      continue;
    }
    flushTable();
    const line = raw.trim();
    if (!line) continue;
    const numberedHeading = line.length <= 30 && !/[。；;，,]/u.test(line);
    if (numberedHeading && /^[一二三四五六七八九十]+、/u.test(line)) blocks.push(heading(2, line));
    else if (numberedHeading && /^[（(][一二三四五六七八九十]+[）)]/u.test(line)) blocks.push(heading(3, line));
    else blocks.push(paragraph(line));
  }
  flushTable();
  if (notes) for (const note of notes.split('\n').filter((line) => line.trim())) blocks.push(paragraph(note.trim()));
  // No alignment to go by: the layout rules see text only, so they take out a 红头 and mark 主送, never a 落款.
  // The 红头 comes off first, the title (the first line under it) next, and then the 主送 line is the body's first.
  const layout = applyLayout({ type: 'doc', content: blocks }, []);
  const rest = [...layout.doc.content];
  const first = rest[0];
  const firstText = first?.type === 'paragraph' ? docToPlainText(first).trim() : '';
  const title = firstText && firstText.length <= 60 && !/[。；：:]$/u.test(firstText) ? firstText : null;
  if (title) rest.shift();
  const content = applyLayout({ type: 'doc', content: rest }, []).doc.content;
  const draft = assembleDraft({
    title,
    subtitle: null,
    column: [],
    info: emptyInfo(),
    doc: { type: 'doc', content: content.length ? content : [paragraph('')] },
    unrecognised: [],
    warnings: [note(kind === 'wps' ? 'importNote.wps' : 'importNote.doc', { file: fileName })],
    assets: [],
    columnExpected: false,
  });
  if (layout.docNo) {
    draft.meta.disclosure = DisclosureSchema.parse({ docNo: layout.docNo });
    draft.warnings.push(note('importNote.docNo', { docNo: layout.docNo }));
  }
  if (layout.organ) draft.warnings.push(note('importNote.redhead', { organ: layout.organ }));
  return draft;
}
