import { describe, expect, it } from 'vitest';
import { ArticleMetaSchema } from '../../../shared/domain/article';
import { type Doc, paragraph } from '../../../shared/domain/doc';
import { DEFAULT_PACKS } from '../../../shared/proofread/default-packs';
import { STANDARD_CHARS } from '../../../shared/proofread/default-packs/standard-chars';
import { checkArticle } from '../../../shared/proofread/engine';
import { townsPack } from '../../../shared/proofread/optional-packs';
import type { RulePack, RulePacks } from '../../../shared/proofread/packs';
import type { Finding } from '../../../shared/proofread/types';

function check(paragraphs: string[], packs: RulePacks = DEFAULT_PACKS): Finding[] {
  const doc: Doc = { type: 'doc', content: paragraphs.map((p) => paragraph(p)) };
  return checkArticle({ meta: ArticleMetaSchema.parse({ publishAt: '2024-05-20' }), doc }, packs);
}
const charset = (findings: Finding[]) => findings.filter((f) => f.family === 'charset').map((f) => [f.text, f.suggestion, f.start, f.end]);

describe('characters outside 《通用规范汉字表》', () => {
  it('ships the whole table', () => {
    const chars = [...STANDARD_CHARS];
    expect(chars).toHaveLength(8105);
    expect(new Set(chars).size).toBe(8105);
    // 一级 starts with 一, 二级 with 乂, 三级 ends with 蠼 in the table's order.
    expect([chars[0], chars[3500], chars[8104]]).toEqual(['一', '乂', '蠼']);
  });

  it('finds a radical or compatibility character copied from a PDF and offers the character it looks like', () => {
    const findings = check(['\u2F00季度全县经济运行平稳，\uF967断提升服务水平。']);
    expect(charset(findings)).toEqual([
      ['\u2F00', '一', 0, 1],
      ['\uF967', '不', 12, 13],
    ]);
    expect(findings.find((f) => f.rule === 'charset:compatibility')?.message).toContain('编码不同');
  });

  it('gives the simplified radicals a PDF draws as whole characters (⻓ ⻄ ⻔ ⻅ ⻢) the character they stand for', () => {
    expect(charset(check(['\u2ED3\u2EC4\u2ED4\u2EC5\u2EE2\u2EDC\u2ECB\u2EA0\u2EDB\u2EEC'])).map(([, fix]) => fix).join('')).toBe('长西门见马飞车民风齐');
  });

  it('gives a traditional character its standard form', () => {
    const findings = check(['這次會議由他們主持。']);
    expect(charset(findings)).toEqual([
      ['這', '这', 0, 1],
      ['會', '会', 2, 3],
      ['議', '议', 3, 4],
      ['們', '们', 6, 7],
    ]);
    expect(findings[0]?.message).toBe('“這”是繁体字，不在《通用规范汉字表》中，规范字为“这”');
  });

  it('names a variant or rare character without guessing a fix, with offsets right past characters outside the BMP', () => {
    const findings = check(['𡒄村和峯岭的々。']);
    expect(charset(findings)).toEqual([
      ['𡒄', undefined, 0, 2],
      ['峯', undefined, 4, 5],
      ['々', undefined, 7, 8],
    ]);
    expect(findings.every((f) => f.severity === 'warning')).toBe(true);
  });

  it('leaves every table character alone, rare ones of names and places included, and 〇 in dates', () => {
    const chars = [...STANDARD_CHARS];
    const rows: string[] = [];
    for (let i = 0; i < chars.length; i += 60) rows.push(chars.slice(i, i + 60).join(''));
    expect(charset(check([...rows, '二〇二四年五月，张喆、李堃、王犇到亳州市调研。']))).toEqual([]);
  });

  it('lets the office allow a name written with a character outside the table', () => {
    const names: RulePack = { id: 'office-names', name: '本单位人名', kind: 'allow', source: '本单位', version: '1', entries: [{ text: '王𡒄' }] };
    expect(charset(check(['王𡒄同志出席。'], [...DEFAULT_PACKS, names]))).toEqual([]);
    expect(charset(check(['王𡒄同志出席。']))).toHaveLength(1);
  });

  it('lets a name keep its character only inside the name: the towns list does not let 鷺 or 濛 through elsewhere', () => {
    const withTowns = [...DEFAULT_PACKS, townsPack()];
    expect(townsPack().entries.map((e) => e.text)).toContain('濛江乡');
    expect(charset(check(['濛江乡召开会议。'], withTowns))).toEqual([]);
    expect(charset(check(['白鷺飞过，濛濛细雨。'], withTowns)).map(([char]) => char)).toEqual(['鷺', '濛', '濛']);
  });
});
