import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArticleMetaSchema, type ArticleMetaInput } from '../../../shared/domain/article';
import { type Doc, type DocNode, docToPlainText, paragraph } from '../../../shared/domain/doc';
import { DEFAULT_PACKS } from '../../../shared/proofread/default-packs';
import { articleCounts, checkArticle, unitLevel } from '../../../shared/proofread/engine';
import { optionalPacks } from '../../../shared/proofread/optional-packs';
import { type RulePack, type RulePacks, validateRulePack } from '../../../shared/proofread/packs';
import type { Finding } from '../../../shared/proofread/types';
import { importPortalText } from '../../../node/services/import';

const OFFICE_PACK: RulePack = {
  id: 'office-units',
  name: '本单位名称',
  kind: 'protected',
  source: '本办',
  version: '1',
  entries: [{ text: '新乡经开区' }, { text: '区党政办' }, { text: '区党工委' }, { text: '纬七路街道办' }, { text: '小店镇' }],
};
const PACKS: RulePacks = [...DEFAULT_PACKS, OFFICE_PACK];

function article(paragraphs: string[], meta: ArticleMetaInput = {}, extra: DocNode[] = []) {
  const doc: Doc = { type: 'doc', content: [...paragraphs.map((p) => paragraph(p)), ...extra] };
  return { meta: ArticleMetaSchema.parse({ publishAt: '2021-05-20', ...meta }), doc };
}

function check(paragraphs: string[], meta: ArticleMetaInput = {}, extra: DocNode[] = []): Finding[] {
  return checkArticle(article(paragraphs, meta, extra), PACKS);
}

const ofFamily = (findings: Finding[], family: string) => findings.filter((f) => f.family === family);

describe('protected terms', () => {
  it('flags a substituted character in a long term as an error with the right term as fix', () => {
    const findings = ofFamily(check(['依照中华人民共合国有关法律的规定。']), 'protected');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ severity: 'error', text: '中华人民共合国', suggestion: '中华人民共和国', start: 2, end: 9 });
  });

  it('flags a dropped and an added character inside a long term', () => {
    expect(ofFamily(check(['中华人民共国成立。']), 'protected')[0]).toMatchObject({ text: '中华人民共国', suggestion: '中华人民共和国' });
    expect(ofFamily(check(['最高人民民检察院发布。']), 'protected')[0]).toMatchObject({ text: '最高人民民检察院', suggestion: '最高人民检察院' });
  });

  it('flags two neighbouring characters swapped inside a long term, the two either side of its middle included, but not at its ends', () => {
    const findings = ofFamily(check(['中华人共民和国成立。', '中华民人共和国成立。', '最高人民察检院发布。', '华中人民共和国、中华人民共和国。']), 'protected');
    expect(findings.map((f) => [f.text, f.suggestion, f.messageKey])).toEqual([
      ['中华人共民和国', '中华人民共和国', 'proof.finding.protectedSwap'],
      ['中华民人共和国', '中华人民共和国', 'proof.finding.protectedSwap'],
      ['最高人民察检院', '最高人民检察院', 'proof.finding.protectedSwap'],
    ]);
    expect(findings[0]?.message).toBe('“中华人共民和国”疑似“中华人民共和国”的误写：“共民”应为“民共”，两字顺序颠倒');
  });

  it('offers no fix when a misspelling is a near miss of two terms', () => {
    const findings = ofFamily(check(['最高人民检院发布。']), 'protected');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ text: '最高人民检院', severity: 'error', messageKey: 'proof.finding.protectedNearMissOfSeveral' });
    expect(findings[0]?.suggestion).toBeUndefined();
    expect(findings[0]?.message).toMatch(/最高人民检察院/);
    expect(findings[0]?.message).toMatch(/最高人民法院/);
  });

  it('flags a place name of the office missing a character', () => {
    const findings = ofFamily(check(['新乡开区召开会议。']), 'protected');
    expect(findings[0]).toMatchObject({ text: '新乡开区', suggestion: '新乡经开区', severity: 'error' });
  });

  it('flags look-alike substitutions in short terms (检查院, 攻府)', () => {
    const findings = ofFamily(check(['区检查院和区攻府联合检查。']), 'protected');
    expect(findings.map((f) => [f.text, f.suggestion])).toEqual([
      ['检查院', '检察院'],
      ['攻府', '政府'],
    ]);
  });

  it('flags misspelt leaders\' names and titles, not the right ones or earlier office-holders', () => {
    const wrong = ofFamily(check(['赵乐济委员长出席。王泸宁主席讲话。李墙总理指出。国务院副总里丁薛祥参加。']), 'protected');
    expect(wrong.map((f) => [f.text, f.suggestion, f.severity])).toEqual([
      ['赵乐济委员长', '赵乐际委员长', 'error'],
      ['王泸宁主席', '王沪宁主席', 'error'],
      ['李墙总理', '李强总理', 'error'],
      ['国务院副总里丁薛祥', '国务院副总理丁薛祥', 'error'],
    ]);
    const right = [
      '中共中央总书记、国家主席、中央军委主席习近平，全国政协主席王沪宁，国家副主席韩正，中央纪委书记李希出席。',
      // Earlier office-holders in articles about that time are not slips.
      '2018年3月，国务院总理李克强作政府工作报告；全国政协主席汪洋主持会议，全国人大常委会副委员长、全国政协副主席出席。作家韩寒到场。',
    ];
    expect(ofFamily(check(right), 'protected')).toEqual([]);
  });

  it('never flags exact matches, normal words, or a term followed by another word', () => {
    const text = [
      '中华人民共和国国务院、最高人民检察院、区人民政府召开会议，区检察院开展检查，加强观察，攻坚克难。',
      '中华人民共和国的发展，中国共产党员，全国人民代表大会常务委员会。',
    ];
    expect(ofFamily(check(text), 'protected')).toEqual([]);
  });

  it('does not flag a body of another administrative level or common words next to a term', () => {
    const text = ['全省人民代表大会代表、市人民检察院、区人民法院、省政协委员。', '检察员出庭，审计属于监督，外交部署了外交步伐。'];
    expect(ofFamily(check(text), 'protected')).toEqual([]);
  });

  it('does not treat an arbitrary one-character change of a short term as a near miss', () => {
    // 财政 → 行政 is not a look-alike pair, so neither is flagged as a misspelt 政府.
    expect(ofFamily(check(['行府是古称，区府办公室。']), 'protected')).toEqual([]);
  });
});

describe('word lists', () => {
  it('flags sensitive words with the preferred wording', () => {
    const findings = ofFamily(check(['南朝鲜代表团来访。']), 'sensitive');
    expect(findings[0]).toMatchObject({ text: '南朝鲜', suggestion: '韩国', severity: 'error' });
    expect(ofFamily(check(['朝鲜半岛局势，韩国代表团来访。']), 'sensitive')).toEqual([]);
  });

  it('flags common misspellings with the right spelling', () => {
    const findings = ofFamily(check(['大家再接再励，按装设备。']), 'misspelling');
    expect(findings.map((f) => [f.text, f.suggestion])).toEqual([
      ['再接再励', '再接再厉'],
      ['按装', '安装'],
    ]);
    expect(ofFamily(check(['大家再接再厉，安装设备。']), 'misspelling')).toEqual([]);
  });

  it('flags outdated names only from their date on, and not after 原', () => {
    const current = ofFamily(check(['国土资源部发布通知。'], { publishAt: '2021-05-20' }), 'outdated');
    expect(current[0]).toMatchObject({ text: '国土资源部', suggestion: '自然资源部' });
    expect(ofFamily(check(['国土资源部发布通知。'], { publishAt: '2017-05-20' }), 'outdated')).toEqual([]);
    expect(ofFamily(check(['原国土资源部发布通知。'], { publishAt: '2021-05-20' }), 'outdated')).toEqual([]);
  });
});

describe('punctuation, pairs and repeats', () => {
  it('suggests full-width punctuation inside Chinese text but leaves numbers, times and English alone', () => {
    const findings = ofFamily(check(['会议指出,要加强领导;做好工作(重点)。时间10:30,金额1,000元。Hello, world.']), 'punctuation');
    expect(findings.map((f) => [f.text, f.suggestion])).toEqual([
      [',', '，'],
      [';', '；'],
      ['(', '（'],
      [')', '）'],
      [',', '，'],
    ]);
  });

  it('turns straight double quotes around Chinese into “ and ”, and leaves English quotes and a lone quote alone', () => {
    const findings = ofFamily(
      check(['会议强调"两个确立"的决定性意义，"要"字当头。', '他说"OK"的时候，报告写着 "Hello" world。', '尺寸为 5" 的屏幕，共"三处。']),
      'punctuation',
    );
    expect(findings.map((f) => [f.text, f.suggestion])).toEqual([
      ['"', '“'],
      ['"', '”'],
      ['"', '“'],
      ['"', '”'],
      ['"', '“'],
      ['"', '”'],
    ]);
  });

  it('finds a half-width full stop between Chinese characters without guessing what it stands for', () => {
    const findings = ofFamily(check(['会议.研究了工作。阿卜杜勒.艾尼出席。版本1.2，网址 www.gov.cn，共3.5亿元。']), 'punctuation');
    expect(findings.map((f) => [f.text, f.suggestion, f.messageKey])).toEqual([
      ['.', undefined, 'proof.finding.halfWidthStop'],
      ['.', undefined, 'proof.finding.halfWidthStop'],
    ]);
  });

  it('finds unpaired quotes, brackets and 书名号', () => {
    const findings = ofFamily(check(['学习“四个意识，阅读《决定。', '括号）多余。', '“完整”（完整）《完整》。']), 'pairs');
    expect(findings.map((f) => f.text)).toEqual(['“', '《', '）']);
  });

  it('flags a phrase of three or more characters typed twice in a row, not doubled words of two', () => {
    const findings = ofFamily(check(['要进一步进一步加强领导。会议指出会议指出，要研究研究、看看、一步一步推进，说明了了解情况的重要性。']), 'repeat');
    expect(findings.map((f) => [f.text, f.suggestion])).toEqual([
      ['进一步进一步', '进一步'],
      ['会议指出会议指出', '会议指出'],
    ]);
  });

  it('flags doubled punctuation and doubled function characters but not reduplications', () => {
    const findings = ofFamily(check(['这是我们的的工作。。大家要认真。', '常常、天天、方方面面、实实在在、的的确确、为了了解情况、学习习近平讲话。']), 'repeat');
    expect(findings.map((f) => f.text)).toEqual(['的的', '。。']);
  });
});

describe('dates', () => {
  it('flags impossible dates', () => {
    const findings = ofFamily(check(['2021年2月30日召开。13月1日，4月31日，2月29日，2020年2月29日。']), 'date');
    expect(findings.map((f) => f.text)).toEqual(['2021年2月30日', '13月1日', '4月31日', '2月29日']);
  });

  it('reads dates in Chinese numerals: impossible ones, a wrong weekday, a mix with figures and a year written with 零 or ○', () => {
    const findings = ofFamily(
      check([
        '二〇二一年二月三十日召开。二〇二一年五月二十日（星期三）召开。',
        '2024年五月31日印发，二○二四年六月一日施行，二零二四年十二月三十一日截止。',
        '二〇二四年十二月三十一日、十月一日、2024年5月31日都写对了。五一月饼、统一月日不是日期。',
      ]),
      'date',
    );
    expect(findings.map((f) => [f.rule, f.text, f.suggestion])).toEqual([
      ['date:impossible', '二〇二一年二月三十日', undefined],
      ['date:weekday', '星期三', '星期四'],
      ['date:mixed-numerals', '2024年五月31日', '2024年5月31日'],
      ['date:year-zero', '二○二四', '二〇二四'],
      ['date:year-zero', '二零二四', '二〇二四'],
    ]);
  });

  it('finds figures joined to 千 or 百 and suggests the figures, but leaves units such as 千米 and 千瓦 alone', () => {
    const findings = ofFamily(check(['投资3千万元，参会5百余人，增长1.1千亿元。全长12千米，装机5千瓦，气压1000百帕，共3000万元。']), 'number');
    expect(findings.map((f) => [f.text, f.suggestion])).toEqual([
      ['3千', '3000'],
      ['5百', '500'],
      ['1.1千', '1100'],
    ]);
  });

  it('flags a weekday that does not match its date and suggests the right one', () => {
    const findings = ofFamily(check(['2021年5月20日（星期三）召开。2021年5月21日（星期五）继续。']), 'date');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ text: '星期三', suggestion: '星期四', severity: 'error' });
    const plain = docToPlainText(article(['2021年5月20日（星期三）召开。']).doc);
    const only = findings[0] as Finding;
    expect(plain.slice(only.start, only.end)).toBe('星期三');
  });

  it('compares the lead date with the article date: day before is fine, other month is a warning', () => {
    expect(ofFamily(check(['5月19日，经开区召开会议。']), 'date')).toEqual([]);
    expect(ofFamily(check(['5月20日，经开区召开会议。']), 'date')).toEqual([]);
    expect(ofFamily(check(['5月31日，召开会议。'], { publishAt: '2021-06-01' }), 'date')).toEqual([]);
    const month = ofFamily(check(['4月19日，经开区召开会议。']), 'date');
    expect(month[0]).toMatchObject({ severity: 'warning', rule: 'date:lead-month-vs-meta', text: '4月19日' });
    expect(ofFamily(check(['5月10日，经开区召开会议。']), 'date')[0]?.severity).toBe('hint');
  });
});

describe('metadata and scope', () => {
  const meeting = (attendees: { name: string }[], host = '') => ({
    name: '会议',
    host,
    place: '',
    headcount: null,
    attendees: attendees.map((a) => ({ kind: 'person' as const, name: a.name, title: '', unit: '', role: '出席' as const })),
  });

  it('warns about attendees and a host in the metadata that the body never names', () => {
    const findings = ofFamily(check(['刘思江主持会议，王明出席。'], { meeting: meeting([{ name: '王明' }, { name: '李强' }], '张三') }), 'metadata');
    expect(findings.map((f) => [f.field, f.message])).toEqual([
      ['attendees', '参会人员“李强”在元数据中，但正文没有提到'],
      ['meeting.host', '主持人“张三”在元数据中，但正文没有提到'],
    ]);
  });

  it('flags a source unit that is a near miss of a protected unit name', () => {
    const findings = ofFamily(check(['会议召开。'], { source: '区党正办' }), 'metadata');
    expect(findings[0]).toMatchObject({ field: 'source', severity: 'error', suggestion: '区党政办' });
    expect(ofFamily(check(['会议召开。'], { source: '区党政办' }), 'metadata')).toEqual([]);
  });

  it('reads the unit\'s level from the last level its name gives, not from characters inside place names', () => {
    expect(unitLevel('区党政办')).toBe('district');
    expect(unitLevel('新乡市人民政府办公室')).toBe('city');
    expect(unitLevel('新乡经开区党政办')).toBe('district');
    expect(unitLevel('河南省新乡市红旗区人民政府')).toBe('district');
    expect(unitLevel('区市场监督管理局')).toBe('district');
    expect(unitLevel('市乡村振兴局')).toBe('city');
    expect(unitLevel('河南省人民政府')).toBe('province');
    expect(unitLevel('广西壮族自治区人民政府')).toBe('province');
    expect(unitLevel('延边朝鲜族自治州人民政府')).toBe('city');
    expect(unitLevel('小冀镇人民政府')).toBe('district');
    expect(unitLevel('新华社')).toBeNull();
    // 全市 from the city's own office is right.
    expect(ofFamily(check(['营造全市上下的氛围。'], { source: '新乡市人民政府办公室' }), 'scope')).toEqual([]);
  });

  it('warns about 全市/全省 in an article from a district-level unit, not from a city unit', () => {
    expect(ofFamily(check(['营造全市上下、全区上下的氛围，全市场化改革。'], { source: '区党政办' }), 'scope').map((f) => f.text)).toEqual(['全市']);
    expect(ofFamily(check(['营造全市上下的氛围。'], { source: '市政府办公室' }), 'scope')).toEqual([]);
    expect(ofFamily(check(['全省上下。'], { source: '市政府办公室' }), 'scope').map((f) => f.text)).toEqual(['全省']);
  });
});

describe('accessibility and counts', () => {
  it('warns about images without alt text and very long paragraphs', () => {
    const image = (alt: string): DocNode => ({ type: 'image', attrs: { src: 'a.png', alt, caption: '图为会议现场' } });
    const findings = ofFamily(check(['短段落。', '长'.repeat(600)], {}, [image(''), image('会议现场')]), 'accessibility');
    expect(findings.map((f) => f.rule)).toEqual(['a11y:long-paragraph', 'a11y:image-alt']);
    expect(findings[1]?.text).toBe('图为会议现场');
  });

  it('counts Han characters one by one, Latin words as one, paragraphs and reading time', () => {
    const counts = articleCounts(article(['中文字数统计。', '', 'GDP增长 2021 年。']));
    expect(counts).toMatchObject({ hanCharacters: 9, characters: 13, paragraphs: 2 });
    expect(counts.readingMinutes).toBe(1);
    expect(articleCounts(article(['字'.repeat(3500)])).readingMinutes).toBe(10);
  });
});

describe('rule pack validation', () => {
  it('explains what is wrong, naming the entry', () => {
    const bad = validateRulePack({ id: 'x', name: 'x', kind: 'outdated', source: 's', entries: [{ text: '旧名' }] });
    expect(bad).toEqual({ ok: false, message: '第 1 个词条「旧名」缺少 since（过时日期，YYYY-MM-DD）' });
    const empty = validateRulePack({ id: 'x', name: 'x', kind: 'protected', source: 's', entries: [{ text: 'ok' }, { text: '' }] });
    expect(empty.ok).toBe(false);
    if (!empty.ok) expect(empty.message).toContain('第 2 个词条');
    expect(validateRulePack({ id: 'Bad Id', name: 'x', kind: 'protected', source: 's', entries: [] }).ok).toBe(false);
  });

  it('refuses an entry holding invisible characters (control, zero-width, direction marks, half a surrogate pair)', () => {
    for (const text of ['检察\u0000院', '检\u200B察院', '\u202E检察院', '检察\uD800院', '检察\t院']) {
      const checked = validateRulePack({ id: 'x', name: 'x', kind: 'protected', source: 's', entries: [{ text }] });
      expect(checked, JSON.stringify(text)).toEqual({ ok: false, message: '第 1 个词条 字段 text：词条含有看不见的控制字符或零宽字符，请删去后再导入' });
    }
    expect(validateRulePack({ id: 'x', name: 'x', kind: 'protected', source: 's', entries: [{ text: '王𡒄' }] }).ok).toBe(true);
  });

  it('every shipped default pack is valid and names its source', () => {
    for (const pack of [...DEFAULT_PACKS, ...optionalPacks()]) {
      expect(validateRulePack(pack)).toEqual({ ok: true, pack: expect.objectContaining({ id: pack.id }) });
      expect(pack.source.length).toBeGreaterThan(4);
    }
  });
});

describe('the sample portal article, end to end', () => {
  const raw = readFileSync(join(__dirname, '../../fixtures/portal/sample-2021-05-20.txt'), 'utf8');
  const draft = importPortalText(raw, 'sample.txt');
  const findings = checkArticle({ meta: draft.meta, doc: draft.doc }, PACKS);
  const text = docToPlainText(draft.doc);

  it('raises no error on its correct formulations', () => {
    expect(findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it('flags its real slips: half-width commas, 全市 in a district article, one very long paragraph', () => {
    const rules = new Set(findings.map((f) => f.rule));
    expect(rules).toEqual(new Set(['punct:half-width-in-chinese', 'scope:wider-than-source', 'a11y:long-paragraph']));
    expect(findings.filter((f) => f.rule === 'punct:half-width-in-chinese').length).toBeGreaterThan(50);
    for (const finding of findings) expect(text.slice(finding.start, finding.end)).toBe(finding.text);
  });

  it('a slip written into the sample is caught', () => {
    const broken = JSON.parse(JSON.stringify(draft.doc).replace('习近平总书记在推进', '习近平总书计在推进')) as Doc;
    const errors = checkArticle({ meta: draft.meta, doc: broken }, PACKS).filter((f) => f.severity === 'error');
    expect(errors.map((f) => [f.text, f.suggestion])).toEqual([['习近平总书计', '习近平总书记']]);
  });
});
