import { describe, expect, it } from 'vitest';
import { ArticleMetaSchema, type ArticleMetaInput } from '../../../shared/domain/article';
import { type Doc, paragraph } from '../../../shared/domain/doc';
import { DEFAULT_PACKS } from '../../../shared/proofread/default-packs';
import { CITY_NAMES, COUNTY_NAMES, PROVINCE_NAMES } from '../../../shared/proofread/default-packs/place-names';
import { checkArticle, unitLevel } from '../../../shared/proofread/engine';
import { townsPack } from '../../../shared/proofread/optional-packs';
import type { RulePacks } from '../../../shared/proofread/packs';
import type { Finding } from '../../../shared/proofread/types';

function check(paragraphs: string[], meta: ArticleMetaInput = {}, packs: RulePacks = DEFAULT_PACKS): Finding[] {
  const doc: Doc = { type: 'doc', content: paragraphs.map((p) => paragraph(p)) };
  return checkArticle({ meta: ArticleMetaSchema.parse({ publishAt: '2024-05-20', ...meta }), doc }, packs);
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

describe('local organs at every level', () => {
  const errorsOf = (findings: Finding[]) => findings.filter((f) => f.severity === 'error').map((f) => [f.text, f.suggestion]);

  it('catch a slip in the name an organ takes after its place', () => {
    expect(errorsOf(check(['新乡市人民代表大会常务委员汇召开会议。']))).toEqual([['人民代表大会常务委员汇', '人民代表大会常务委员会']]);
    expect(errorsOf(check(['区纪律检察委员会通报三起典型问题。']))).toEqual([['纪律检察委员会', '纪律检查委员会']]);
    expect(errorsOf(check(['县人民政付办公室印发通知。']))).toEqual([['人民政付办公室', '人民政府办公室']]);
    expect(errorsOf(check(['市中级人名法院公开开庭。']))).toEqual([['中级人名法院', '中级人民法院']]);
    expect(errorsOf(check(['区纪委临委通报。']))).toEqual([['纪委临委', '纪委监委']]);
  });

  it('leave the organs and the words around them alone', () => {
    const right = [
      '区第十八届人民代表大会第三次会议开幕，全区人民代表大会代表和政协委员出席。',
      '县政府办公室主任、县政协办公室主任、区人民检察院检察长、省高级人民法院院长参加。',
      '党工委书记、管委会主任，纪委监委机关，监察委员会委员，区人大常委会副主任，市人民武装部部长，乡党委办公室主任。',
    ];
    expect(errorsOf(check(right))).toEqual([]);
  });

  it('report a court named after a division of the wrong level, not the right ones', () => {
    const courts = (text: string) =>
      check([text])
        .filter((f) => f.rule === 'scope:court-level')
        .map((f) => f.text);
    expect(courts('辉县市中级人民法院、新乡县中级人民法院、红旗区高级人民法院、新乡市高级人民法院。')).toEqual([
      '辉县市中级人民法院',
      '新乡县中级人民法院',
      '红旗区高级人民法院',
      '新乡市高级人民法院',
    ]);
    // A prefecture's intermediate court, a province's high court, numbered courts, a county's own court, and 济源市 (governed by its province) are right.
    expect(courts('新乡市中级人民法院、河南省高级人民法院、北京市第一中级人民法院、红旗区人民法院、济源市中级人民法院。')).toEqual([]);
  });
});

describe('the optional towns pack', () => {
  const withTowns = [...DEFAULT_PACKS, townsPack()];
  const slips = (text: string, packs: RulePacks = withTowns) => protectedOf(check([text], {}, packs)).map(([written, term]) => [written, term]);

  it('holds the township-level names of GB/T 2260, three characters or more', () => {
    const names = townsPack().entries.map((e) => e.text);
    expect(names.length).toBeGreaterThan(29_000);
    for (const name of ['城关镇', '新华街道', '东陂镇', '七墩回族东乡族乡', '乌兰哈达苏木']) expect(names).toContain(name);
    expect(names.every((name) => [...name].length >= 3 && /(镇|乡|街道|苏木)$/.test(name))).toBe(true);
  });

  it('catches a slip in a town name that makes no ordinary word, as a warning: no list of towns is ever complete', () => {
    expect(slips('城官镇召开会议。')).toEqual([['城官镇', '城关镇']]);
    expect(protectedOf(check(['城官镇召开会议。'], {}, withTowns))).toEqual([['城官镇', '城关镇', 'warning']]);
    expect(slips('新华街到办事处开展活动。')).toEqual([['新华街到', '新华街道']]);
  });

  it('stays quiet where the characters read as ordinary words, which the same names would not without that care', () => {
    const text = '县住房和城乡建设局决定。为了和平乡亲们。';
    expect(slips(text)).toEqual([]);
    const careless = [...DEFAULT_PACKS, { ...townsPack(), nearMisses: 'always' as const }];
    expect(slips(text, careless)).toContainEqual(['和城乡', '和盛乡']);
  });

  it('never calls the standard character a slip of a name that keeps an old form (蒙江乡 is not 濛江乡 misspelt)', () => {
    expect(slips('蒙江乡召开会议，炮里街道、昭余镇参加。')).toEqual([]);
  });

  it('never flags the names themselves', () => {
    const names = townsPack().entries.map((e) => e.text);
    const rows: string[] = [];
    for (let i = 0; i < names.length; i += 40) rows.push(`${names.slice(i, i + 40).join('、')}。`);
    expect(protectedOf(check(rows, {}, withTowns))).toEqual([]);
  });
});
