// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { parseSignoffVerifyCode, type SignoffSheet, signoffHtml, signoffVerifyCode } from '../../../shared/workflow/signoff';

const HASH = `3f2a9c1b0d4e${'7b'.repeat(26)}`;

const sheet: SignoffSheet = {
  articleId: 'art-01',
  title: '区政府召开<常务>会议',
  column: ['首页', '要闻动态'],
  source: '区党政办',
  date: '2026-12-03T09:30',
  status: 'approved',
  submittedBy: '张撰稿',
  officeName: '某某区人民政府办公室',
  stages: [
    {
      stageId: 'first',
      stageName: '初审',
      reviewer: '李初审',
      at: '2026-12-03T02:10:00Z',
      opinion: '同意',
      contentHash: 'c'.repeat(64),
      signature: 'valid',
      current: false,
      approvedEarlierVersion: true,
      supersededBy: { name: '赵终审', at: '2026-12-03T06:01:00Z' },
    },
    {
      stageId: 'final',
      stageName: '终审',
      reviewer: '赵终审',
      at: '2026-12-03T06:05:00Z',
      opinion: '同意发布',
      contentHash: HASH,
      signature: 'invalid',
      current: true,
    },
  ],
  invalidated: [],
  currentHash: HASH,
  fullyApproved: true,
  printedAt: '2026-12-03T07:30:00Z',
};

const page = (html: string) => new DOMParser().parseFromString(html, 'text/html');

describe('the 审核表 as HTML', () => {
  it('is the filed form: office, heading, a bordered table and a row per stage with an empty cell to sign', () => {
    const doc = page(signoffHtml(sheet));
    expect(doc.querySelector('.office')?.textContent).toBe('某某区人民政府办公室');
    expect(doc.querySelector('h1')?.textContent).toBe('信息发布审核表');
    expect(doc.querySelector('table.fields')?.textContent).toContain('区政府召开<常务>会议');
    const rows = [...doc.querySelectorAll('tr.stage')];
    expect(rows.map((r) => r.querySelector('th')?.textContent)).toEqual(['初审', '终审']);
    expect(rows.map((r) => r.querySelector('td.sign')?.textContent)).toEqual(['', '']);
    expect(rows[0]?.textContent).toContain('已审核（修改前版本）');
    expect(rows[0]?.textContent).toContain('其后由赵终审于2026年12月3日 14:01修改');
    expect(rows[1]?.textContent).toContain('2026年12月3日 14:05');
    expect(rows[1]?.textContent).toContain('电子签名无效');
    expect(rows[1]?.getAttribute('data-hash')).toBe(HASH);
    // The publish date is office-local and printed as written.
    expect(doc.querySelector('table.fields')?.textContent).toContain('2026年12月3日 09:30');
    // The short hash is what a person compares; the full one appears once, in the verification code.
    expect(doc.querySelector('.short-hash')?.textContent).toBe('3f2a9c1b0d4e');
    expect(doc.body.textContent?.split(HASH)).toHaveLength(2);
    expect(doc.body.textContent).toContain('当前内容已通过全部审核环节');
    expect(doc.body.textContent).not.toContain('保密审查');
  });

  it('adds the 保密审查 row, empty for hand-filling, when the office asks for it', () => {
    const doc = page(signoffHtml({ ...sheet, confidentialityReview: true }));
    const row = doc.querySelector('tr[data-stage="confidentiality"]');
    expect(row?.querySelector('th')?.textContent).toBe('保密审查');
    expect([...(row?.querySelectorAll('td') ?? [])].map((td) => td.textContent)).toEqual(['', '', '', '']);
  });

  it('says 记录异常 and lists the problems, and never that the text passed, when the record does not verify', () => {
    const doc = page(signoffHtml({ ...sheet, recordProblems: ['第 2 条审核记录的签名无效'] }));
    expect(doc.querySelector('.problems')?.textContent).toContain('记录异常');
    expect(doc.querySelector('.problems li')?.textContent).toBe('第 2 条审核记录的签名无效');
    expect(doc.body.textContent).not.toContain('当前内容已通过全部审核环节');
  });

  it('draws the QR code it is given and appends the article text', () => {
    const qr = [
      [true, false],
      [false, true],
    ];
    const doc = page(signoffHtml({ ...sheet, articleText: ['第一段。', '第二段。'] }, 'zh-CN', qr));
    expect(doc.querySelector('svg.qr path')?.getAttribute('d')).toBe('M4 4h1v1h-1zM5 5h1v1h-1z');
    expect(doc.querySelector('svg.qr')?.getAttribute('aria-label')).toBe(signoffVerifyCode('art-01', HASH));
    expect([...doc.querySelectorAll('.article-text p')].map((p) => p.textContent)).toEqual(['第一段。', '第二段。']);
  });
});

describe('the verification code', () => {
  it('reads back the article id and full hash it was made from', () => {
    expect(signoffVerifyCode('art-01', HASH)).toBe(`gazette:verify:art-01:${HASH}`);
    expect(parseSignoffVerifyCode(` gazette:verify:art-01:${HASH}\n`)).toEqual({ articleId: 'art-01', contentHash: HASH });
  });

  it('refuses anything else rather than check the wrong article', () => {
    expect(parseSignoffVerifyCode(`gazette:verify:art-01:${HASH.slice(0, 12)}`)).toBeNull();
    expect(parseSignoffVerifyCode(`gazette:verify:art 01:${HASH}`)).toBeNull();
    expect(parseSignoffVerifyCode(`https://example.org/${HASH}`)).toBeNull();
  });
});
