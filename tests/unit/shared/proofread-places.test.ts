import { describe, expect, it } from 'vitest';
import { ArticleMetaSchema, type ArticleMetaInput } from '../../../shared/domain/article';
import { type Doc, paragraph } from '../../../shared/domain/doc';
import { DEFAULT_PACKS } from '../../../shared/proofread/default-packs';
import { CITY_NAMES, COUNTY_NAMES, PROVINCE_NAMES } from '../../../shared/proofread/default-packs/place-names';
import { checkArticle, unitLevel } from '../../../shared/proofread/engine';
import type { Finding } from '../../../shared/proofread/types';

function check(paragraphs: string[], meta: ArticleMetaInput = {}): Finding[] {
  const doc: Doc = { type: 'doc', content: paragraphs.map((p) => paragraph(p)) };
  return checkArticle({ meta: ArticleMetaSchema.parse({ publishAt: '2024-05-20', ...meta }), doc }, DEFAULT_PACKS);
}
const protectedOf = (findings: Finding[]) => findings.filter((f) => f.family === 'protected').map((f) => [f.text, f.suggestion, f.severity]);

describe('place names of GB/T 2260', () => {
  it('ship every province-, prefecture- and county-level division', () => {
    expect(PROVINCE_NAMES).toHaveLength(31);
    expect(CITY_NAMES.length).toBeGreaterThan(320);
    expect(COUNTY_NAMES.length).toBeGreaterThan(2800);
    for (const name of ['河南省', '内蒙古自治区', '新乡市', '齐齐哈尔市', '阿拉善盟', '新乡县', '辉县市', '红旗区', '神农架林区']) {
      expect([...PROVINCE_NAMES, ...CITY_NAMES, ...COUNTY_NAMES]).toContain(name);
    }
  });

  it('catch a dropped, added or substituted character in a place name', () => {
    expect(protectedOf(check(['齐齐哈市召开农业工作会议。']))).toEqual([['齐齐哈市', '齐齐哈尔市', 'error']]);
    expect(protectedOf(check(['乌鲁木木齐市举行签约仪式。']))).toEqual([['乌鲁木木齐市', '乌鲁木齐市', 'error']]);
    expect(protectedOf(check(['呼和浩待市代表团来访。']))).toEqual([['呼和浩待市', '呼和浩特市', 'error']]);
  });

  it('never flag the names themselves, even where one contains or touches another (新乡县/新乡市)', () => {
    const all = [...PROVINCE_NAMES, ...CITY_NAMES, ...COUNTY_NAMES];
    const paragraphs: string[] = [];
    for (let i = 0; i < all.length; i += 40) paragraphs.push(`${all.slice(i, i + 40).join('、')}。`);
    paragraphs.push('新乡市新乡县、新乡市卫辉市与辉县市，河南省新乡市红旗区，黑龙江省齐齐哈尔市。');
    expect(protectedOf(check(paragraphs))).toEqual([]);
  });

  it("give the scope check each unit's level", () => {
    expect(unitLevel('河南省人民政府')).toBe('province');
    expect(unitLevel('新乡市人民政府办公室')).toBe('city');
    expect(unitLevel('新乡市红旗区人民政府')).toBe('district');
    expect(unitLevel('新乡县人民政府')).toBe('district');
    // A county-level city speaks of itself as 全市.
    expect(unitLevel('辉县市人民政府')).toBe('city');
    expect(unitLevel('内蒙古自治区阿拉善盟行政公署')).toBe('city');
    for (const name of PROVINCE_NAMES) expect(unitLevel(`${name}人民政府`), name).toBe('province');
    for (const name of CITY_NAMES) expect(unitLevel(`${name}人民政府`), name).toBe('city');
    for (const name of COUNTY_NAMES) expect(unitLevel(`${name}人民政府`), name).toBe(name.endsWith('市') ? 'city' : 'district');
  });

  it('flag 全市 in an article from a county, not from a county-level city', () => {
    const scope = (source: string) => check(['全市上下共同努力。'], { source }).filter((f) => f.family === 'scope');
    expect(scope('新乡县人民政府').map((f) => f.suggestion)).toEqual(['全县']);
    expect(scope('辉县市人民政府')).toEqual([]);
  });
});
