import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArticleMetaSchema, type ArticleMetaInput } from '../../../shared/domain/article';
import { type Doc, type DocNode, paragraph } from '../../../shared/domain/doc';
import findingMessages from '../../../shared/i18n/messages/proof-finding';
import { DEFAULT_PACKS } from '../../../shared/proofread/default-packs';
import { checkArticle } from '../../../shared/proofread/engine';
import { findingMessage } from '../../../shared/proofread/messages';
import type { RulePacks } from '../../../shared/proofread/packs';
import type { Finding } from '../../../shared/proofread/types';
import { importPortalText } from '../../../node/services/import';

const PACKS: RulePacks = [
  ...DEFAULT_PACKS,
  {
    id: 'office-units',
    name: '本单位名称',
    kind: 'protected',
    source: '本办',
    version: '1',
    entries: [{ text: '新乡经开区' }, { text: '区党政办' }, { text: '区党工委' }],
  },
  {
    id: 'office-words',
    name: '本单位慎用词',
    kind: 'sensitive',
    source: '本办',
    version: '1',
    entries: [{ text: '一把手' }],
  },
  {
    id: 'office-old-names',
    name: '本单位旧称',
    kind: 'outdated',
    source: '本办',
    version: '1',
    entries: [{ text: '新东产业集聚区', since: '2021-01-01', note: '已并入经开区' }],
  },
];

function article(paragraphs: string[], meta: ArticleMetaInput, extra: DocNode[] = []) {
  const doc: Doc = { type: 'doc', content: [...paragraphs.map((p) => paragraph(p)), ...extra] };
  return { meta: ArticleMetaSchema.parse({ publishAt: '2021-05-20', ...meta }), doc };
}

/** A meeting report with one slip of every kind the checker knows, spread over three articles. */
function findingsOfEveryFamily(): Finding[] {
  const meeting = article(
    [
      '5月10日，新乡开区召开全区领导干部会议，区党工委书记刘思江主持会议，区领导班子参加。',
      '会议传达了2021年5月20日（星期五）省委会议精神，要求各部门在2月30日前完成自查，进一步浓厚全市上下感党恩、听党话、跟党走的热烈氛围。',
      '会议强调,要再接再励，坚决纠正“台湾政府”的错误说法，不得使用中台关系的提法，不得称某人为一把手；国土资源部、新东产业集聚区等旧称要及时清理。',
      '各部门要认真学习《关于加强生态保护的意见，把各项工作的的落实到位，，确保取得实效。',
      '会议印发了【工作方案（试行，请各单位“对照执行。',
      '方案自2021年五月31日起施行，二○二一年十二月三十一日前完成，投入资金3千万元，要进一步进一步抓好落实.确保实效。',
      '要增强政治意识、核心意识、大局意识、看齐意识，做到政治意识、大局意识、理论自信。',
    ],
    {
      source: '区党政办',
      cover: { src: 'cover.jpg', alt: '' },
      meeting: { host: '刘思江', attendees: [{ kind: 'person', name: '王建国' }] },
    },
    [{ type: 'image', attrs: { src: 'photo.jpg', alt: '' } }],
  );
  const cityReport = article(
    ['4月28日，郑州市召开全省生态环境保护工作推进会，市政府副市长李明主持会议。'],
    { source: '郑州市人民政府办公室', meeting: { host: '张卫东', attendees: [] } },
  );
  const misspeltSource = article(['5月19日，区里召开专题会议，研究部署下一阶段工作。'], { source: '区党攻办' });
  // More of one kind than are listed one by one: the rest are counted in a summary.
  const manyCommas = article(['各部门,'.repeat(60)], {});
  // One character of a protected term swapped for one that sounds the same, nearly the same, or looks alike; a spelling only hinted at.
  const soundalikes = article(['区检查院、刁近平、中华人民共和国宪发、中华人共民和国、最高人民检院，其它事项'], {});
  // Characters outside 《通用规范汉字表》: a radical from a PDF, a traditional one, a variant.
  const oddCharacters = article(['\u2F00季度會議在峯岭召开。'], {});
  // A court named after a division of the wrong level.
  const courts = article(['辉县市中级人民法院与新乡市高级人民法院。'], {});
  return [
    ...checkArticle(oddCharacters, PACKS),
    ...checkArticle(courts, PACKS),
    ...checkArticle(soundalikes, PACKS),
    ...checkArticle(manyCommas, PACKS),
    ...checkArticle(meeting, PACKS, { longParagraphChars: 60 }),
    ...checkArticle(cityReport, PACKS),
    ...checkArticle(misspeltSource, PACKS),
  ];
}

const placeholders = (template: string) => [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const HAN = /\p{Script=Han}/u;

describe('finding message templates', () => {
  it('every key has an English template with the same placeholders as the Chinese one', () => {
    const zh = findingMessages['zh-CN'];
    const en: Record<string, string> = findingMessages.en;
    for (const [key, template] of Object.entries(zh)) {
      expect(en[key], key).toBeTruthy();
      expect(placeholders(en[key] ?? ''), key).toEqual(placeholders(template));
      expect(en[key], key).not.toMatch(HAN);
    }
  });
});

describe('findings in the reader’s language', () => {
  const findings = findingsOfEveryFamily();

  it('covers every family and every reachable message', () => {
    expect(new Set(findings.map((f) => f.family))).toEqual(
      new Set(['protected', 'sensitive', 'misspelling', 'outdated', 'punctuation', 'pairs', 'repeat', 'date', 'number', 'metadata', 'scope', 'charset', 'accessibility']),
    );
    // The note is a suffix, never a message of its own; every opener has a named pair, so the generic "mark" is only a safety net.
    // The service, not the engine, says when two articles hold one 索引号.
    const reachable = Object.keys(findingMessages['zh-CN']).filter(
      (key) => key !== 'proof.finding.note' && key !== 'proof.finding.unpairedMark' && key !== 'proof.finding.indexNoDuplicate',
    );
    expect(new Set(findings.map((f) => f.messageKey))).toEqual(new Set(reachable));
  });

  it('the Chinese rendering is exactly the stored message; the English one is English apart from quoted article text', () => {
    for (const finding of findings) {
      expect(finding.messageKey, finding.message).toBeDefined();
      expect(findingMessage(finding, 'zh-CN')).toBe(finding.message);
      const english = findingMessage(finding, 'en');
      expect(english).not.toBe(finding.message);
      let rest = english;
      // Longest first, so a note quoting the flagged word is removed whole.
      const values = Object.values(finding.params ?? {}).map(String).sort((a, b) => b.length - a.length);
      for (const value of values) rest = rest.split(value).join('');
      expect(rest, english).not.toMatch(HAN);
    }
  });

  it('says what an editor would read, with the office’s note appended untranslated', () => {
    const english = (rule: string) => findings.filter((f) => f.rule === rule).map((f) => findingMessage(f, 'en'));
    expect(english('protected-term:新乡经开区')).toEqual(['"新乡开区" looks like a misspelling of "新乡经开区"']);
    expect(english('date:weekday')).toEqual(['Wrong weekday: 2021-5-20 is 星期四, not 星期五']);
    expect(english('sensitive:中台')).toEqual(['"中台" is a banned or sensitive expression; use "两岸" instead (不得将两岸关系表述为“中台关系”)']);
    expect(english('outdated:新东产业集聚区')).toEqual(['"新东产业集聚区" is no longer used since 2021-01-01 (已并入经开区)']);
    expect(findings.find((f) => f.rule === 'outdated:新东产业集聚区')?.message).toBe('“新东产业集聚区”自2021-01-01起已不再使用（已并入经开区）');
  });

  it('the sample portal article reads the same in Chinese as before and fully in English', () => {
    const raw = readFileSync(join(__dirname, '../../fixtures/portal/sample-2021-05-20.txt'), 'utf8');
    const draft = importPortalText(raw, 'sample.txt');
    const sample = checkArticle({ meta: draft.meta, doc: draft.doc }, PACKS);
    const scope = sample.find((f) => f.rule === 'scope:wider-than-source');
    expect(scope?.message).toBe('来源单位“区党政办”是区县级单位，“全市”的范围可能不对');
    expect(scope && findingMessage(scope, 'en')).toBe('The source "区党政办" is a district or county unit; "全市" may claim too wide a scope');
  });

  it('falls back to the stored message for findings without a key this version knows', () => {
    const stored = { message: '旧版本保存的提示' };
    expect(findingMessage(stored, 'en')).toBe('旧版本保存的提示');
    const fromNewer = { message: '新版本的提示', messageKey: 'proof.finding.fromTheFuture', params: {} } as unknown as Finding;
    expect(findingMessage(fromNewer, 'en')).toBe('新版本的提示');
  });
});
