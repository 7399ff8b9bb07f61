import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ArticleMetaSchema } from '../../../shared/domain/article';
import { type Doc, paragraph } from '../../../shared/domain/doc';
import { DEFAULT_PACKS } from '../../../shared/proofread/default-packs';
import { checkArticle } from '../../../shared/proofread/engine';
import { findingMessage } from '../../../shared/proofread/messages';
import type { RulePack, RulePacks } from '../../../shared/proofread/packs';
import { charConfusion } from '../../../shared/proofread/soundalike';
import type { Finding } from '../../../shared/proofread/types';
import { importFileBuffer } from '../../../node/services/import';

// An office's own short form, to show its sound-alikes are caught as the shipped terms' are.
const OFFICE_PACK: RulePack = { id: 'office-short-forms', name: '简称', kind: 'protected', source: '本办', version: '1', entries: [{ text: '工信部' }] };
const PACKS: RulePacks = [...DEFAULT_PACKS, OFFICE_PACK];

function check(...paragraphs: string[]): Finding[] {
  const doc: Doc = { type: 'doc', content: paragraphs.map((p) => paragraph(p)) };
  return checkArticle({ meta: ArticleMetaSchema.parse({ publishAt: '2024-05-20' }), doc }, PACKS);
}

const errors = (findings: Finding[]) => findings.filter((f) => f.severity === 'error');
const pairs = (findings: Finding[]) => findings.map((f) => [f.text, f.suggestion]);

describe('sound-alike and look-alike characters in protected terms', () => {
  it('tells sound-alikes from look-alikes by reading', () => {
    expect(charConfusion('查', '察')).toBe('homophone');
    expect(charConfusion('墙', '强')).toBe('homophone');
    expect(charConfusion('发', '法')).toBe('nearHomophone');
    expect(charConfusion('刁', '习')).toBe('lookalike');
    expect(charConfusion('行', '政')).toBeNull();
  });

  it('flags a short term written with a sound-alike, naming the character and why, in Chinese and English', () => {
    const [finding, ...rest] = errors(check('区检查院召开会议。'));
    expect(rest).toEqual([]);
    expect(finding).toMatchObject({ text: '检查院', suggestion: '检察院', family: 'protected' });
    expect(finding?.message).toBe('“检查院”疑似“检察院”的误写：“查”是“察”的同音字');
    expect(findingMessage(finding as Finding, 'en')).toBe('"检查院" looks like a misspelling of "检察院": "查" sounds the same as "察" (a homophone)');
  });

  it('flags sound-alikes and look-alikes in names, places and an office\'s short forms', () => {
    const found = errors(check('习进平。刁近平。新相县。市人民检查院。国务院总里。攻信部。工心部。'));
    expect(pairs(found)).toEqual([
      ['习进平', '习近平'],
      ['刁近平', '习近平'],
      ['新相县', '新乡县'],
      ['人民检查院', '人民检察院'],
      ['国务院总里', '国务院总理'],
      ['攻信部', '工信部'],
      ['工心部', '工信部'],
    ]);
    expect(found[1]?.message).toContain('形近字');
    expect(found[6]?.message).toContain('“心”是“信”的音近字');
  });

  it('does not flag characters that form normal words with their neighbours', () => {
    const text = [
      '会议学习习近平总书记重要讲话精神。',
      '新乡县和新乡市、辉县市的干部参加。',
      // A place named without its 市 or 县, followed by a word that sounds like it.
      '北京是首都，新乡是一座城市，辉县是县级市。',
      '人民检察员出庭。开展检查院内环境整治。',
      '新乡线路改造。政府工作报告。正副主任。',
    ];
    expect(errors(check(...text))).toEqual([]);
  });

  it('raises no error on the portal fixtures', async () => {
    const dir = join(import.meta.dirname, '../../fixtures/portal');
    const names = readdirSync(dir).filter((name) => name.endsWith('.txt'));
    expect(names.length).toBeGreaterThan(3);
    for (const name of names) {
      const draft = await importFileBuffer(name, readFileSync(join(dir, name)));
      const found = errors(checkArticle({ meta: draft.meta, doc: draft.doc }, PACKS));
      expect(found.map((f) => `${name}: ${f.message}`)).toEqual([]);
    }
  });
});

describe('confusable words in context', () => {
  it('截止 before a point in time is 截至, 截止 after it or in 截止日期 is right', () => {
    expect(pairs(errors(check('截止目前，共受理申请120件。', '截止2024年5月底，完成投资3亿元。')))).toEqual([
      ['截止目前', '截至目前'],
      ['截止', '截至'],
    ]);
    // The figure after it is not part of the mark: the fix leaves 2024 as written.
    const beforeFigure = errors(check('截止2024年5月底，完成投资3亿元。'))[0];
    expect((beforeFigure?.end ?? 0) - (beforeFigure?.start ?? 0)).toBe(2);
    // …and the message speaks of the words, not of the pattern's figure.
    expect(beforeFigure?.message).toMatch(/^错别字：“截止”应为“截至”（/);
    const right = ['截至目前，共受理申请。', '报名截止日期为5月31日，5月31日截止。', '截止到目前，已完成八成。'];
    expect(errors(check(...right))).toEqual([]);
  });

  it('做为 is 作为 and 秸杆 is 秸秆, but not across other words', () => {
    expect(pairs(errors(check('做为基层干部，要抓好秸杆禁烧。')))).toEqual([
      ['做为', '作为'],
      ['秸杆', '秸秆'],
    ]);
    expect(errors(check('这就叫做为人民服务。讲座落幕。'))).toEqual([]);
  });

  it('其它 is only a hint toward 其他, with its reason', () => {
    const found = check('其它事项另行通知。').filter((f) => f.family === 'misspelling');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'hint', text: '其它', suggestion: '其他' });
    expect(found[0]?.message).toBe('“其它”建议写作“其他”（“其它”同“其他”，规范文稿宜统一用“其他”）');
  });

  it('the shipped confusables pack names its source', () => {
    const pack = DEFAULT_PACKS.find((p) => p.id === 'default-confusables');
    expect(pack?.source).toContain('现代汉语词典');
  });
});
