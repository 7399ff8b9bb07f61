import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import JSZip from 'jszip';
import { describe, expect, it } from 'vitest';
import { type Article, emptyMeta, newArticle } from '../../../shared/domain/article';
import type { DocNode } from '../../../shared/domain/doc';
import { exportGongwen } from '../../../node/services/export';
import { gongwenModel, headingLevelOf, placeSignature, writtenDate } from '../../../node/services/export/gongwen-model';
import { noteText } from '../../../shared/i18n/note';

const p = (text: string, attrs?: Record<string, unknown>): DocNode => ({
  type: 'paragraph',
  ...(attrs ? { attrs } : {}),
  content: [{ type: 'text', text }],
});

/** A 通知 as an office writes it: 主送, numbered headings, 附件, 落款; 成文日期 only in the 信息公开 fields. */
function notice(extra: DocNode[] = []): Article {
  const meta = {
    ...emptyMeta('notice'),
    title: '关于做好2024年清明节期间安全生产工作的通知',
    disclosure: {
      publisher: '某某区人民政府办公室',
      writtenAt: '2024-04-06',
      docNo: '某政办〔2024〕7号',
      topic: '',
      genre: '通知',
      validity: { state: '有效' as const, from: null, until: null },
    },
  };
  return newArticle('notice1', '2024-04-06T00:00:00Z', meta, {
    type: 'doc',
    content: [
      p('各园区、各部门：', { role: 'addressee' }),
      p('清明节将至，为切实做好节日期间安全生产工作，现将有关事项通知如下。'),
      p('一、提高思想认识'),
      p('（一）加强组织领导。各单位主要负责人要亲自部署，层层压实责任。'),
      p('1.开展隐患排查。重点检查人员密集场所。'),
      ...extra,
      p('附件：1.安全检查表'),
      p('2.值班安排表'),
      p('某某区人民政府办公室', { role: 'signature' }),
    ],
  });
}

const deps = { readAsset: () => null, mimeOf: () => 'image/png' };

async function docxOf(article: Article, redheadOrgan: string | null = null) {
  const file = await exportGongwen(article, 'docx', { redheadOrgan }, deps, 'notice');
  expect(file.encoding).toBe('base64');
  const bytes = Buffer.from(file.content, 'base64');
  const zip = await JSZip.loadAsync(bytes);
  const read = async (name: string) => (await zip.file(name)?.async('string')) ?? '';
  return { file, bytes, zip, document: await read('word/document.xml'), styles: await read('word/styles.xml'), settings: await read('word/settings.xml'), read };
}

/** The <w:p> elements of document.xml whose text is `text`. */
function paragraphWith(document: string, text: string): string {
  const found = [...document.matchAll(/<w:p>.*?<\/w:p>|<w:p [^>]*>.*?<\/w:p>/gsu)].map((m) => m[0]).find((xml) => {
    const content = [...xml.matchAll(/<w:t[^>]*>([^<]*)<\/w:t>/gu)].map((m) => m[1]).join('');
    return content === text;
  });
  if (!found) throw new Error(`no paragraph “${text}”`);
  return found;
}

describe('公文 layout rules', () => {
  it('knows the four levels of 结构层次序数', () => {
    expect(headingLevelOf('一、提高思想认识')).toBe(1);
    expect(headingLevelOf('（二）加强领导。')).toBe(2);
    expect(headingLevelOf('3.开展排查')).toBe(3);
    expect(headingLevelOf('（4）明确责任人')).toBe(4);
    expect(headingLevelOf('2024.5 是日期不是标题')).toBeNull();
    expect(headingLevelOf('一些普通的话')).toBeNull();
  });

  it('writes the 成文日期 in Arabic numerals without leading zeros, and rewrites nothing that is not a date', () => {
    expect(writtenDate('2024-04-06')).toBe('2024年4月6日');
    expect(writtenDate('二〇二四年四月六日')).toBe('2024年4月6日');
    expect(writtenDate('二〇二四年十二月二十一日')).toBe('2024年12月21日');
    expect(writtenDate('2024年04月06日')).toBe('2024年4月6日');
    expect(writtenDate('某某区人民政府办公室')).toBeNull();
  });

  it('puts the date two characters right of the 署名, and moves a short 署名 left instead of pushing the date into the margin', () => {
    // 10-character organ, 6-wide date (年月日 + six half-width digits).
    expect(placeSignature(10, 6)).toEqual({ signature: 2, date: 4 });
    expect(placeSignature(4, 7)).toEqual({ signature: 5, date: 0 });
  });

  it('takes the 成文日期 from the 信息公开 fields under the 落款, and says so when there is no 落款 to put it under', () => {
    const model = gongwenModel(notice());
    const tail = model.blocks.filter((b) => b.kind === 'paragraph').slice(-2);
    expect(tail.map((b) => (b.kind === 'paragraph' ? [b.role, b.runs.map((r) => r.text).join('')] : null))).toEqual([
      ['signature', '某某区人民政府办公室'],
      ['date', '2024年4月6日'],
    ]);
    const withoutSignature = notice();
    withoutSignature.doc.content.pop();
    const bare = gongwenModel(withoutSignature);
    expect(bare.blocks.some((b) => b.kind === 'paragraph' && b.role === 'date')).toBe(false);
    expect(bare.notes.map((n) => noteText(n)).join('')).toContain('落款');
  });
});

describe('公文 export to Word (GB/T 9704-2012)', () => {
  it('sets A4 with margins 37/35/28/26 mm and a grid of 22 lines', async () => {
    const { document } = await docxOf(notice());
    expect(document).toMatch(/<w:pgSz w:w="11906" w:h="16838"/u);
    expect(document).toMatch(/<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"/u);
    // 22 × 579 twips fills the 225 mm text area (12 756 twips) without a 23rd line.
    const pitch = Number(/w:linePitch="(\d+)"/u.exec(document)?.[1]);
    expect(pitch).toBe(579);
    expect(Math.floor(12756 / pitch)).toBe(22);
  });

  it('sets body text in 仿宋_GB2312 三号 on an exact line pitch, the title in 方正小标宋 二号 centred', async () => {
    const { document, styles } = await docxOf(notice());
    expect(styles).toMatch(/<w:rFonts [^>]*w:eastAsia="仿宋_GB2312"/u);
    expect(styles).toMatch(/<w:sz w:val="32"\/>/u);
    expect(styles).toMatch(/<w:spacing [^>]*w:line="579" w:lineRule="exact"/u);
    const title = paragraphWith(document, '关于做好2024年清明节期间安全生产工作的通知');
    expect(title).toContain('<w:jc w:val="center"/>');
    expect(title).toContain('w:eastAsia="方正小标宋简体"');
    expect(title).toContain('<w:sz w:val="44"/>');
  });

  it('indents body paragraphs two characters, keeps the 主送 flush left, right-aligns 落款 and 成文日期', async () => {
    const { document } = await docxOf(notice());
    expect(paragraphWith(document, '清明节将至，为切实做好节日期间安全生产工作，现将有关事项通知如下。')).toMatch(/w:firstLine="63\d"/u);
    const addressee = paragraphWith(document, '各园区、各部门：');
    expect(addressee).toMatch(/w:firstLine="0"/u);
    expect(addressee).toContain('<w:jc w:val="left"/>');
    const signature = paragraphWith(document, '某某区人民政府办公室');
    const date = paragraphWith(document, '2024年4月6日');
    expect(signature).toContain('<w:jc w:val="right"/>');
    expect(date).toContain('<w:jc w:val="right"/>');
    const right = (xml: string) => Number(/w:right="(\d+)"/u.exec(xml)?.[1]);
    expect(right(signature)).toBe(632); // 2 characters of 15.8 pt
    expect(right(date)).toBe(1264); // 4 characters (年月日 + six half-width digits = 6 wide): it starts 2 right of the 署名
  });

  it('sets the heading levels in 黑体, 楷体 and bold 仿宋, only up to the end of a run-in heading', async () => {
    const { document } = await docxOf(notice());
    expect(paragraphWith(document, '一、提高思想认识')).toContain('w:eastAsia="黑体"');
    const second = paragraphWith(document, '（一）加强组织领导。各单位主要负责人要亲自部署，层层压实责任。');
    expect(second).toMatch(/<w:r>.*?w:eastAsia="楷体_GB2312".*?<w:t[^>]*>（一）加强组织领导。<\/w:t>/su);
    expect(second).toMatch(/w:eastAsia="仿宋_GB2312".*?<w:t[^>]*>各单位主要负责人/su);
    expect(paragraphWith(document, '1.开展隐患排查。重点检查人员密集场所。')).toMatch(/<w:b\/>.*?1\.开展隐患排查。/su);
    // 附件 lines are numbered too, but they are not headings.
    expect(paragraphWith(document, '2.值班安排表')).not.toContain('<w:b/>');
  });

  it('numbers pages — 1 — in 四号, odd pages on the right and even pages on the left', async () => {
    const { document, settings, read, zip } = await docxOf(notice());
    expect(settings).toContain('<w:evenAndOddHeaders/>');
    expect(document).toMatch(/<w:footerReference w:type="default"/u);
    expect(document).toMatch(/<w:footerReference w:type="even"/u);
    const footers = await Promise.all(Object.keys(zip.files).filter((name) => /^word\/footer\d+\.xml$/u.test(name)).map(read));
    expect(footers).toHaveLength(2);
    for (const footer of footers) {
      expect(footer).toContain('PAGE');
      expect(footer).toContain('— ');
      expect(footer).toContain('<w:sz w:val="28"/>');
    }
    expect(footers.map((footer) => /<w:jc w:val="(\w+)"/u.exec(footer)?.[1]).sort()).toEqual(['left', 'right']);
  });

  it('prints the 红头 in red with the 文号 and a red rule, and refuses a 红头 without an organ', async () => {
    const { document, file } = await docxOf(notice(), '某某区人民政府办公室');
    expect(file.fileName).toBe('notice（红头）.docx');
    const organ = paragraphWith(document, '某某区人民政府办公室文件');
    expect(organ).toContain('<w:color w:val="FF0000"/>');
    expect(paragraphWith(document, '某政办〔2024〕7号')).toMatch(/<w:bottom w:val="single" w:color="FF0000"/u);
    await expect(exportGongwen(notice(), 'docx', { redheadOrgan: '  ' }, deps, 'x')).rejects.toThrow(/发文机关/u);
  });

  it('says which fonts this machine does not have', async () => {
    const { file } = await docxOf(notice());
    const fcList = (() => {
      try {
        return execFileSync('fc-list', [':', 'family'], { encoding: 'utf8' });
      } catch {
        return null;
      }
    })();
    if (fcList === null) {
      expect(file.notes?.join('')).toContain('fc-list');
    } else if (!fcList.includes('仿宋_GB2312')) {
      expect(file.notes?.join('\n')).toContain('本机未安装“仿宋_GB2312”');
    } else {
      expect(file.notes?.join('\n') ?? '').not.toContain('“仿宋_GB2312”');
    }
  });

  it('gives its notes as keys too, so a person who reads English gets them in English, in the same order', async () => {
    const withoutSignature = notice();
    withoutSignature.doc.content.pop();
    const { file } = await docxOf(withoutSignature);
    const messages = file.noteMessages ?? [];
    expect(messages.length).toBe(file.notes?.length);
    expect(messages.map((m) => noteText(m))).toEqual(file.notes);
    const english = messages.map((m) => noteText(m, 'en'));
    expect(english).toContain(
      'No paragraph is marked as the signature (落款), so the date written was not added; mark the issuing organ’s name as 落款 in the editor.',
    );
    for (const line of english) expect(line).not.toMatch(/本机|请|未写入/u);
  });
});

const soffice = ['/usr/bin/soffice', '/usr/bin/libreoffice'].find((path) => existsSync(path));
const skipReason = soffice ? '' : 'LibreOffice is not installed (apt-get install libreoffice-writer-nogui)';
if (skipReason) console.warn(`export-docx rendering tests skipped: ${skipReason}`);

describe.skipIf(!soffice)('公文 Word file rendered by LibreOffice', () => {
  it('lays out 28 characters a line and 22 lines a page, with the page number on the page', async () => {
    // CJK only: Latin digits would bring LibreOffice's CJK/Latin autospace into the count.
    const filler = Array.from({ length: 40 }, () => p('本条正文内容用于检查版心的行数和每行的字数是否符合国家标准要求并且足够长。'));
    const { bytes } = await docxOf(notice(filler), '某某区人民政府办公室');
    const dir = mkdtempSync(join(tmpdir(), 'gazette-docx-'));
    writeFileSync(join(dir, 'notice.docx'), bytes);
    execFileSync(soffice as string, ['--headless', `-env:UserInstallation=file://${dir}/profile`, '--convert-to', 'pdf', '--outdir', dir, join(dir, 'notice.docx')], {
      timeout: 120_000,
    });
    const pdf = join(dir, 'notice.pdf');
    expect(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' })).toMatch(/A4/u);
    // Page 2 is all body text: 22 lines, each paragraph 26 characters after its 2-character indent, then the rest.
    const page2 = execFileSync('pdftotext', ['-f', '2', '-l', '2', pdf, '-'], { encoding: 'utf8' })
      .split('\n')
      .map((line) => line.replace(/\s+/gu, ''))
      .filter((line) => line.length > 0);
    const pageNumber = page2.pop();
    expect(pageNumber).toBe('—2—');
    expect(page2).toHaveLength(22);
    const firstLines = page2.filter((line) => line.startsWith('本条'));
    expect(firstLines.length).toBeGreaterThan(5);
    for (const line of firstLines) expect([...line]).toHaveLength(26);
    const png = join(dir, 'page');
    execFileSync('pdftoppm', ['-r', '60', '-png', '-f', '1', '-l', '1', pdf, png]);
    expect(readFileSync(`${png}-1.png`).length).toBeGreaterThan(1000);
  }, 180_000);
});
