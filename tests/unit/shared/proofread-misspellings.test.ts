import { describe, expect, it } from 'vitest';
import { ArticleMetaSchema } from '../../../shared/domain/article';
import { type Doc, paragraph } from '../../../shared/domain/doc';
import { DEFAULT_PACKS } from '../../../shared/proofread/default-packs';
import { checkArticle } from '../../../shared/proofread/engine';
import { validateRulePack } from '../../../shared/proofread/packs';
import type { Finding } from '../../../shared/proofread/types';

function misspellings(text: string): Finding[] {
  const doc: Doc = { type: 'doc', content: [paragraph(text)] };
  const findings = checkArticle({ meta: ArticleMetaSchema.parse({ publishAt: '2024-05-20' }), doc }, DEFAULT_PACKS);
  return findings.filter((f) => f.family === 'misspelling');
}

const spans = (findings: Finding[]) => findings.map((f) => [f.text, f.suggestion, f.severity]);

describe('shipped misspelling lists', () => {
  const packs = DEFAULT_PACKS.filter((p) => p.kind === 'misspelling');

  it('hold at least 2,000 entries, each pack valid and naming its source', () => {
    const total = packs.reduce((n, p) => n + p.entries.length, 0);
    expect(total).toBeGreaterThanOrEqual(2000);
    for (const pack of packs) {
      expect(validateRulePack(pack)).toMatchObject({ ok: true });
      expect(pack.source.length).toBeGreaterThan(10);
    }
    expect(packs.map((p) => p.source).join('')).toContain('第一批异形词整理表');
    expect(packs.map((p) => p.source).join('')).toContain('咬文嚼字');
  });

  it('list each wrong form once, never a right form as wrong, and never a protected term', () => {
    const seen = new Set<string>();
    const rights = new Set(packs.flatMap((p) => p.entries.map((e) => e.suggestion)));
    const protectedTerms = new Set(DEFAULT_PACKS.filter((p) => p.kind === 'protected' || p.kind === 'allow').flatMap((p) => p.entries.map((e) => e.text)));
    for (const pack of packs) {
      for (const entry of pack.entries) {
        expect(seen.has(entry.text), entry.text).toBe(false);
        seen.add(entry.text);
        expect(entry.text).not.toBe(entry.suggestion);
        expect(rights.has(entry.text), `${entry.text} is also listed as right`).toBe(false);
        expect(protectedTerms.has(entry.text), entry.text).toBe(false);
      }
    }
  });
});

describe('《第一批异形词整理表》', () => {
  it('suggests the recommended form as a warning that names the table', () => {
    const found = misspellings('该产品的成份复杂，笔划较多，关连企业参预其中。');
    expect(spans(found)).toEqual([
      ['成份', '成分', 'warning'],
      ['笔划', '笔画', 'warning'],
      ['关连', '关联', 'warning'],
      ['参预', '参与', 'warning'],
    ]);
    expect(found[0]?.message).toContain('第一批异形词整理表');
  });

  it('knows the table’s rarer groups too', () => {
    expect(spans(misspellings('游客在景区逗遛，发现一种希有植物，他做了瘜肉切除手术。'))).toEqual([
      ['逗遛', '逗留', 'warning'],
      ['希有', '稀有', 'warning'],
      ['瘜肉', '息肉', 'warning'],
    ]);
    expect(misspellings('游客在景区逗留，发现一种稀有植物，他做了息肉切除手术，会上傅会长讲话，纳入坐标系。')).toEqual([]);
  });

  it('leaves the recommended forms and words that only contain a variant', () => {
    expect(misspellings('该产品的成分复杂，笔画较多，关联企业参与其中。')).toEqual([]);
    // 股分 inside 按股分红, 定货 inside 确定货源, 份内 inside 一份内容.
    expect(misspellings('企业按股分红，先确定货源渠道，再把一份内容报送区里。')).toEqual([]);
  });
});

describe('《咬文嚼字》 and common misspellings', () => {
  it('are errors with the right form as the fix', () => {
    expect(spans(misspellings('寄来一张名信片，侯选人名单已公示，消防演练如火如茶。'))).toEqual([
      ['名信片', '明信片', 'error'],
      ['侯选人', '候选人', 'error'],
      ['如火如茶', '如火如荼', 'error'],
    ]);
  });

  it('do not flag the right forms or the same characters read as other words', () => {
    expect(misspellings('寄来一张明信片，候选人名单已公示，消防演练如火如荼。')).toEqual([]);
    // 一幅画 is right; only 一幅对联 is the slip. 他竟相信了 is 竟 + 相信.
    expect(misspellings('墙上挂着一幅画，他竟相信了，既便宜又实用，每年记者节都有活动。')).toEqual([]);
  });

  it('account words written with 帐 are warnings, 帐篷 is right', () => {
    expect(spans(misspellings('请核对帐户信息，救灾帐篷已运到。'))).toEqual([['帐户', '账户', 'warning']]);
  });
});

describe('characters swapped for their usual confusion partner', () => {
  it('are flagged as warnings naming the character', () => {
    const found = misspellings('在淄搏召开博览会，这是一项艰巨的挑战，要坚诀完成。');
    expect(spans(found)).toEqual([
      ['淄搏', '淄博', 'warning'],
      ['坚诀', '坚决', 'warning'],
    ]);
    expect(found[0]?.message).toContain('“博”误写作“搏”');
  });

  it('are not flagged where the characters are ordinary words', () => {
    expect(misspellings('你爱带孩子去公园，请贴在墙上，对像他这样的人要耐心。')).toEqual([]);
  });
});

describe('confusable words in context', () => {
  it('截止 before a point in time is 截至; after it, it stays 截止', () => {
    expect(spans(misspellings('截止目前，已完成任务。'))).toEqual([['截止目前', '截至目前', 'error']]);
    expect(misspellings('截至目前，已完成任务。报名于5月31日截止，截止日期不变。')).toEqual([]);
  });

  it('做为 is 作为, but 叫做为人民服务 is 叫做 + 为; 其它 is only a hint', () => {
    expect(spans(misspellings('做为一名党员，要做好其它工作。'))).toEqual([
      ['做为', '作为', 'error'],
      ['其它', '其他', 'hint'],
    ]);
    expect(misspellings('这就叫做为人民服务。')).toEqual([]);
  });

  it('never flags the reduplicated 的的确确 or 学习习近平总书记', () => {
    const doc: Doc = { type: 'doc', content: [paragraph('会议学习习近平总书记重要讲话，大家的的确确受到教育。')] };
    const findings = checkArticle({ meta: ArticleMetaSchema.parse({ publishAt: '2024-05-20' }), doc }, DEFAULT_PACKS);
    expect(findings.filter((f) => f.severity !== 'hint')).toEqual([]);
  });
});
