import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findCjkFont, renderSignoffPdf } from '../../../node/services/review/signoff-pdf';
import { ApiError } from '../../../shared/api/errors';
import { translate } from '../../../shared/i18n';
import { parseSignoffVerifyCode, type SignoffSheet } from '../../../shared/workflow/signoff';

const installed = findCjkFont();

function hasPoppler(): boolean {
  try {
    execFileSync('pdftoppm', ['-v'], { stdio: 'ignore' });
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const poppler = hasPoppler();

const HASH = `3f2a9c1b0d4e${'7b'.repeat(26)}`;
const EARLIER = 'c'.repeat(64);

/** A sheet as the office files it: three stages, the first two approved before 终审 corrected the text. */
const sheet: SignoffSheet = {
  articleId: 'art-20261203-01',
  title: '全区生态环境保护大会召开',
  column: ['首页', '要闻动态'],
  source: '区党政办',
  date: '2026-12-03',
  status: 'approved',
  submittedBy: '张撰稿',
  officeName: '某某区人民政府办公室',
  writer: '张撰稿',
  confidentialityReview: true,
  stages: [
    {
      stageId: 'first',
      stageName: '初审',
      reviewer: '李初审',
      at: '2026-12-03T02:10:00.000Z',
      opinion: '内容属实，同意报复审。',
      contentHash: EARLIER,
      signature: 'valid',
      current: false,
      approvedEarlierVersion: true,
      supersededBy: { name: '赵终审', at: '2026-12-03T06:01:00.000Z' },
    },
    {
      stageId: 'second',
      stageName: '复审',
      reviewer: '王复审',
      at: '2026-12-03T03:40:00.000Z',
      opinion: '同意。',
      contentHash: EARLIER,
      signature: 'valid',
      current: false,
      approvedEarlierVersion: true,
    },
    {
      stageId: 'final',
      stageName: '终审',
      reviewer: '赵终审',
      at: '2026-12-03T06:05:00.000Z',
      opinion: '同意发布',
      contentHash: HASH,
      signature: 'valid',
      current: true,
    },
  ],
  invalidated: [],
  currentHash: HASH,
  fullyApproved: true,
  printedAt: '2026-12-03T07:30:00.000Z',
};

const PARAGRAPH =
  '会议指出，要坚持生态优先、绿色发展，统筹推进山水林田湖草沙一体化保护和系统治理，持续深入打好蓝天、碧水、净土保卫战，以高水平保护推动高质量发展。';

let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gazette-signoff-'));
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const isPdf = (bytes: Uint8Array) => Buffer.from(bytes.subarray(0, 5)).toString('latin1') === '%PDF-';

/** The PDF as a reader sees it: its page count, its text, and page 1 as grey pixels. */
async function printed(input: SignoffSheet, name = 'sheet') {
  const file = join(dir, `${name}.pdf`);
  writeFileSync(file, await renderSignoffPdf(input));
  const info = execFileSync('pdfinfo', [file], { encoding: 'utf8' });
  const pages = Number(/^Pages:\s+(\d+)/m.exec(info)?.[1]);
  const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
  return { file, pages, text };
}

/** Page 1 rendered at 150 dpi: PNG (to look at) and a greyscale PGM decoded to RGBA for the QR reader. */
function rasterise(file: string): { png: string; rgba: Uint8ClampedArray; width: number; height: number } {
  const base = join(dir, 'page');
  execFileSync('pdftoppm', ['-r', '150', '-f', '1', '-l', '1', '-singlefile', '-png', file, base]);
  execFileSync('pdftoppm', ['-r', '150', '-f', '1', '-l', '1', '-singlefile', '-gray', file, base]);
  const pgm = readFileSync(`${base}.pgm`);
  // P5 header: magic, width, height, maxval, each followed by one whitespace byte.
  const header = /^P5\s+(\d+)\s+(\d+)\s+(\d+)\s/.exec(pgm.subarray(0, 64).toString('latin1'));
  if (!header) throw new Error('pdftoppm did not write a binary PGM');
  const [width, height] = [Number(header[1]), Number(header[2])];
  const grey = pgm.subarray(header[0].length);
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < width * height; i++) {
    const v = grey[i] ?? 255;
    rgba.set([v, v, v, 255], i * 4);
  }
  return { png: `${base}.png`, rgba, width, height };
}

/** pdftotext may break a line anywhere inside a table cell; compare without the breaks. */
const flat = (text: string) => text.replace(/\s+/g, '');

describe('sign-off sheet PDF', () => {
  it('says which font to install when there is no CJK font', async () => {
    const failure = renderSignoffPdf(sheet, { font: null });
    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toThrow(translate('zh-CN', 'session.error.noCjkFont'));
  });

  it.skipIf(!installed)('reads the font once: a second PDF renders even after the font file is gone', async () => {
    const path = join(dir, 'cjk.ttc');
    copyFileSync(installed?.path ?? '', path);
    const font = { path, ...(installed?.family ? { family: installed.family } : {}) };
    expect(isPdf(await renderSignoffPdf(sheet, { font }))).toBe(true);
    rmSync(path);
    expect(isPdf(await renderSignoffPdf(sheet, { font }))).toBe(true);
  });

  it.skipIf(!installed)('names a broken font file, and uses the file once it is repaired', async () => {
    const path = join(dir, 'broken.ttc');
    writeFileSync(path, 'not a font');
    const font = { path, ...(installed?.family ? { family: installed.family } : {}) };
    await expect(renderSignoffPdf(sheet, { font })).rejects.toThrow(path);
    copyFileSync(installed?.path ?? '', path);
    expect(isPdf(await renderSignoffPdf(sheet, { font }))).toBe(true);
  });

  it('has poppler in CI, so the printed page is really looked at there', () => {
    if (process.env.CI) expect(poppler).toBe(true);
  });
});

describe.skipIf(!installed || !poppler)('the 审核表 as printed', () => {
  it('is one A4 page: the office, the heading, the article, a row per stage, 保密审查, Chinese dates in Beijing time', async () => {
    const { file, pages, text } = await printed(sheet);
    expect(pages).toBe(1);
    expect(execFileSync('pdfinfo', [file], { encoding: 'utf8' })).toMatch(/Page size:\s+595\.2\d? x 841\.8\d? pts \(A4\)/);
    const words = flat(text);
    for (const expected of [
      '某某区人民政府办公室',
      '信息发布审核表',
      '全区生态环境保护大会召开',
      '首页>要闻动态',
      '区党政办',
      '拟稿人张撰稿',
      '审核环节',
      '签字',
      '保密审查',
      '李初审',
      '王复审',
      '赵终审',
      '同意发布',
      '已审核（修改前版本）',
      '电子签名有效',
      '当前内容已通过全部审核环节',
      '3f2a9c1b0d4e',
    ]) {
      expect(words).toContain(expected);
    }
    for (const stage of ['初审', '复审', '终审']) expect(text).toContain(stage);
    // 06:05 UTC is 14:05 in Beijing; nothing is printed as an ISO timestamp.
    expect(text).toContain('2026年12月3日 14:05');
    expect(text).toContain('2026年12月3日 10:10');
    expect(text).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}/);
    // A single page carries no page numbers.
    expect(flat(text)).not.toContain('第1页');
  });

  it('carries a QR code that reads back as the verification code of this article and its full hash', async () => {
    const { file } = await printed(sheet);
    const page = rasterise(file);
    const code = jsQR(page.rgba, page.width, page.height);
    expect(code?.data).toBe(`gazette:verify:art-20261203-01:${HASH}`);
    expect(parseSignoffVerifyCode(code?.data ?? '')).toEqual({ articleId: 'art-20261203-01', contentHash: HASH });
  });

  it('appends the article text over as many pages as it needs, numbered 第 X 页 共 Y 页', async () => {
    const articleText = Array.from({ length: 18 }, (_, i) => `（${i + 1}）${PARAGRAPH}`);
    const { pages, text } = await printed({ ...sheet, articleText }, 'long');
    expect(pages).toBe(2);
    expect(text).toContain('附：文稿正文');
    // pdftotext drops the spaces between CJK and digits, hence the flattened comparison.
    expect(flat(text)).toContain('第1页共2页');
    expect(flat(text)).toContain('第2页共2页');
    expect(flat(text)).toContain(flat(`（18）${PARAGRAPH}`));
    // The form still comes first, whole, on page 1.
    const [first = ''] = text.split('\f');
    expect(flat(first)).toContain('信息发布审核表');
    expect(flat(first)).toContain('3f2a9c1b0d4e');
  });

  it('says 记录异常 and never 已通过 when the record does not verify, even if the approvals look complete', async () => {
    const problem = '第 3 条审核记录的签名无效：内容在签名后被改动';
    const { text } = await printed({ ...sheet, recordProblems: [problem] }, 'problems');
    expect(text).toContain('记录异常');
    expect(flat(text)).toContain(flat(problem));
    expect(text).not.toContain('当前内容已通过全部审核环节');
  });

  it('shows a pending stage as 待审核 and an approval of other text as such', async () => {
    const [first, second] = sheet.stages;
    if (!first || !second) throw new Error('fixture');
    const { text } = await printed(
      {
        ...sheet,
        fullyApproved: false,
        confidentialityReview: false,
        stages: [
          { ...first, approvedEarlierVersion: false, supersededBy: null },
          { ...second, reviewer: null, at: null, opinion: '', contentHash: null, signature: null, current: false, approvedEarlierVersion: false },
        ],
      },
      'pending',
    );
    expect(flat(text)).toContain('审核的不是当前内容');
    expect(text).toContain('待审核');
    expect(text).toContain('当前内容尚未通过全部审核环节');
    expect(text).not.toContain('保密审查');
    expect(text).not.toContain('已审核（修改前版本）');
  });

  it('prints every stage of a long chain, repeating the column heads on the next page', async () => {
    const stages = Array.from({ length: 14 }, (_, i) => ({ ...sheet.stages[2]!, stageId: `s${i}`, stageName: `第${i + 1}环节` }));
    const { pages, text } = await printed({ ...sheet, stages }, 'chain');
    expect(pages).toBe(2);
    for (const stage of stages) expect(text).toContain(stage.stageName);
    const [, second = ''] = text.split('\f');
    expect(second).toContain('审核环节');
  });
});
