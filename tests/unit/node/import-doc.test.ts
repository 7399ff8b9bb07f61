import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AlignmentType, Document, Packer, Paragraph, Table, TableCell, TableRow } from 'docx';
import { describe, expect, it } from 'vitest';
import { docToPlainText } from '../../../shared/domain/doc';
import { importFileBuffer } from '../../../node/services/import/index';
import { NOTICE, redheadNoticeDocx } from '../../support/notice-docx';
import { noteText } from '../../../shared/i18n/note';

const soffice = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((path) => existsSync(path));
if (!soffice) console.warn('import-doc: .doc fixtures need LibreOffice to convert a generated .docx (apt-get install libreoffice-writer-nogui); skipped');

/** A .docx saved as Word 97-2003 (.doc) by LibreOffice. */
function toDoc(docx: Buffer): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'gazette-doc-'));
  writeFileSync(join(dir, 'notice.docx'), docx);
  execFileSync(soffice as string, ['--headless', `-env:UserInstallation=file://${dir}/profile`, '--convert-to', 'doc', '--outdir', dir, join(dir, 'notice.docx')], { timeout: 120_000 });
  return readFileSync(join(dir, 'notice.doc'));
}

/** A notice saved as Word 97-2003 (.doc) by LibreOffice from a generated .docx. */
async function docFixture(): Promise<Buffer> {
  const cell = (text: string) => new TableCell({ children: [new Paragraph(text)] });
  const docx = await Packer.toBuffer(
    new Document({
      sections: [
        {
          children: [
            new Paragraph({ alignment: AlignmentType.CENTER, text: '关于开展安全检查的通知' }),
            new Paragraph('各园区、各部门：'),
            new Paragraph('为做好安全生产工作，现将有关事项通知如下。'),
            new Paragraph('一、检查范围'),
            new Paragraph('全区各类生产经营单位。'),
            new Table({ rows: [new TableRow({ children: [cell('单位'), cell('负责人')] }), new TableRow({ children: [cell('应急管理局'), cell('王芳')] })] }),
            new Paragraph({ alignment: AlignmentType.RIGHT, text: '某某区人民政府办公室' }),
          ],
        },
      ],
    }),
  );
  return toDoc(docx);
}

describe.skipIf(!soffice)('.doc import', () => {
  it('imports the text, the title, numbered headings and the table of an old Word file', async () => {
    const data = await docFixture();
    expect(data.subarray(0, 4)).toEqual(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]));
    const draft = await importFileBuffer('通知.doc', data);
    expect(draft.meta.title).toBe('关于开展安全检查的通知');
    const text = docToPlainText(draft.doc);
    expect(text).toContain('为做好安全生产工作，现将有关事项通知如下。');
    expect(draft.doc.content.find((node) => node.type === 'heading') && docToPlainText(draft.doc.content.find((node) => node.type === 'heading') ?? { type: 'x' })).toBe('一、检查范围');
    const table = draft.doc.content.find((node) => node.type === 'table');
    expect((table?.content ?? []).map((row) => (row.content ?? []).map((c) => docToPlainText(c)))).toEqual([
      ['单位', '负责人'],
      ['应急管理局', '王芳'],
    ]);
    expect(draft.warnings.map((w) => noteText(w)).join('\n')).toContain('对齐、字体和图片没有带过来');
  }, 180_000);

  it('takes a 红头 out of the text: the 文号 goes to 信息公开, the title is the line under it, 主送 is marked', async () => {
    const draft = await importFileBuffer('通知.doc', toDoc(await redheadNoticeDocx()));
    expect(draft.meta.title).toBe(NOTICE.title);
    expect(draft.meta.disclosure?.docNo).toBe(NOTICE.docNo);
    const text = docToPlainText(draft.doc);
    expect(text).not.toContain(`${NOTICE.organ}文件`);
    expect(text).not.toContain(NOTICE.docNo);
    expect(draft.doc.content[0]).toMatchObject({ attrs: { role: 'addressee' } });
    expect(docToPlainText(draft.doc.content[0] ?? { type: 'x' })).toBe(NOTICE.addressee);
    // Without alignment a closing date could be anything: no 落款 and no 成文日期 are guessed.
    expect(draft.meta.disclosure?.writtenAt ?? null).toBeNull();
    expect(draft.doc.content.some((node) => node.attrs?.role === 'signature')).toBe(false);
  }, 180_000);
});

describe('.wps import', () => {
  it('asks for a .docx when the WPS file cannot be read, and loses nothing', async () => {
    const unreadable = Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(600, 7)]);
    await expect(importFileBuffer('通知.wps', unreadable)).rejects.toThrow('请在 WPS 中另存为 .docx 后导入');
  });
});
