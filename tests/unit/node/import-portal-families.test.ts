import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseDisclosureLine, parseReviewLine } from '../../../node/services/import/disclosure-block';
import { parseBreadcrumbLine, parseInfoLine } from '../../../node/services/import/header';
import { importFileBuffer, importPortalText } from '../../../node/services/import/index';
import { noteText } from '../../../shared/i18n/note';
import { fixtureNames, listed, MUST_LIST, readExpected, type Score, score as scoreFixture } from './portal-fixture-scoring';

/**
 * Pages of the CMS families government portals run on (TRS, 大汉 Hanweb, 新点
 * Epoint, 易普拉格, the 政府网站集约化平台, WordPress) and text copied from such
 * pages, each with the fields a careful reader would take from it in a JSON
 * beside it. Every field is scored: right, missed (left empty — allowed, and
 * the import must say so), or wrong (a value the page does not support). A
 * wrong value fails the test: it is worse than an empty one. The scoring is shared
 * with the held-out set (portal-fixture-scoring.ts).
 */

const DIR = new URL('../../fixtures/portal/families/', import.meta.url);

const score = (name: string) => scoreFixture(DIR, name);

const fixtures = fixtureNames(DIR);

describe('portal pages of many CMS families', () => {
  it('has at least 12 page structures, each with its expected fields', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(12);
    const families = fixtures.map((name) => readExpected(DIR, name).family);
    expect(new Set(families).size).toBe(fixtures.length);
  });

  it('reads every field right or leaves it empty and says so; never a wrong value', async () => {
    const all: Score[] = [];
    const unlisted: string[] = [];
    for (const name of fixtures) {
      const { draft, scores } = await score(name);
      all.push(...scores);
      for (const entry of scores) {
        if (entry.verdict === 'missed' && MUST_LIST.includes(entry.field) && !listed(draft, entry.field)) {
          unlisted.push(`${name}: ${entry.field}`);
        }
      }
    }
    const right = all.filter((entry) => entry.verdict === 'right').length;
    const wrong = all.filter((entry) => entry.verdict === 'wrong');
    const missed = all.filter((entry) => entry.verdict === 'missed');
    console.log(`importer field accuracy: ${right}/${all.length} (${missed.length} left empty and listed, ${wrong.length} wrong)`);
    for (const entry of missed) console.log(`  missed ${entry.fixture} ${entry.field}: expected ${JSON.stringify(entry.expected)}`);
    expect(wrong.map((entry) => `${entry.fixture} ${entry.field}: expected ${JSON.stringify(entry.expected)}, got ${JSON.stringify(entry.actual)}`)).toEqual([]);
    expect(unlisted).toEqual([]);
  });

  it('leaves contradicted fields empty and lists what the page said, in both languages', async () => {
    for (const name of fixtures) {
      const expected = readExpected(DIR, name);
      if (!expected.uncertain) continue;
      const draft = await importFileBuffer(name, readFileSync(new URL(name, DIR)));
      const uncertain = draft.fields.uncertain ?? [];
      expect(uncertain.map((entry) => entry.field).sort()).toEqual([...expected.uncertain].sort());
      for (const entry of uncertain) expect(entry.candidates.length).toBeGreaterThan(0);
      const notes = draft.warnings.filter((warning) => warning.messageKey.startsWith('importNote.uncertain.'));
      expect(notes).toHaveLength(uncertain.length);
      for (const warning of notes) {
        expect(noteText(warning)).toMatch(/无法确定/u);
        expect(noteText(warning, 'en')).toMatch(/unclear/u);
      }
    }
  });

  it('puts the 信息公开 block into the article’s disclosure fields, but not the page’s 索引号', async () => {
    const draft = await importFileBuffer('trs-xxgk.html', readFileSync(new URL('trs-xxgk.html', DIR)));
    expect(draft.meta.disclosure).toMatchObject({
      publisher: '青禾市人民政府办公室',
      docNo: '青政办〔2019〕3号',
      writtenAt: '2019-01-04',
      topic: '综合政务\\应急管理',
      validity: { state: '有效' },
    });
    expect(JSON.stringify(draft.meta)).not.toContain('2019-00012');
    expect(draft.warnings.map((warning) => noteText(warning)).join('\n')).toContain('11410700MB0000000X/2019-00012');
    // 发布机构 is the issuing organ, not the story's source.
    expect(draft.meta.source).toBe('');
  });

  it('keeps the sign-off as information on the import, not in the body', async () => {
    const draft = await importFileBuffer('copied-crumb-title.txt', readFileSync(new URL('copied-crumb-title.txt', DIR)));
    expect(draft.fields.reviewLines).toEqual(['一审：张松', '二审：李华', '三审：王建国']);
    expect(draft.warnings.map((warning) => noteText(warning, 'en')).join('\n')).toContain('一审：张松');
  });
});

describe('the lines other portals print around an article', () => {
  it.each([
    ['索 引 号：11410700/2019-00123　主题分类：综合政务\\政务公开', { indexNo: '11410700/2019-00123', topic: '综合政务\\政务公开' }],
    ['发布机构：区政府办公室　生成日期：2019-01-05', { publisher: '区政府办公室', publishDate: '2019-01-05' }],
    ['文　　号：区政办〔2019〕1号　成文日期：2019年1月4日', { docNo: '区政办〔2019〕1号', writtenAt: '2019-01-04' }],
    ['有 效 性：废止', { validity: '废止' }],
  ])('reads the 信息公开 row %s', (line, expected) => {
    expect(parseDisclosureLine(line)?.fields).toMatchObject(expected);
  });

  it('leaves a 成文日期 it cannot read empty and says which key it was', () => {
    const line = parseDisclosureLine('成文日期：二〇一九年一月');
    expect(line?.fields.writtenAt).toBeNull();
    expect(line?.unreadable).toEqual(['成文日期']);
  });

  it.each(['文号是区政办〔2019〕1号。', '本项目名称为“口袋公园”建设工程', '主题分类的调整由市里统一部署。'])('is not fooled by a body sentence: %s', (line) => {
    expect(parseDisclosureLine(line)).toBeNull();
  });

  it('reads a sign-off line, squeezing a two-character name padded to three', () => {
    expect(parseReviewLine('一审:张 松 / 二审:李华 / 三审:王建国')).toEqual({ entries: ['一审：张松', '二审：李华', '三审：王建国'], editor: null });
    expect(parseReviewLine('【初审：赵六 复审：钱七 终审：孙八 责任编辑：周九】')).toEqual({
      entries: ['初审：赵六', '复审：钱七', '终审：孙八'],
      editor: '周九',
    });
    expect(parseReviewLine('一审工作已于3月完成，二审将在下月进行。')).toBeNull();
  });

  it('takes the title off the end of a breadcrumb', () => {
    expect(parseBreadcrumbLine('您当前的位置: 首页 > 政务公开 > 关于做好2019年春节期间安全生产工作的通知')).toEqual({
      column: ['首页', '政务公开'],
      title: '关于做好2019年春节期间安全生产工作的通知',
    });
    expect(parseBreadcrumbLine('当前位置 首页 › 新闻中心')).toEqual({ column: ['首页', '新闻中心'], title: null });
  });

  it('puts a long last breadcrumb segment back into the column when the heading is another title', () => {
    const text = '当前位置：首页 > 专题专栏 > 学习贯彻党的二十大精神专栏\n\n区委理论学习中心组开展专题学习\n\n时间：2023-03-01\n\n正文。';
    const draft = importPortalText(text, 'long-column.txt');
    expect(draft.meta.column).toEqual(['首页', '专题专栏', '学习贯彻党的二十大精神专栏']);
    expect(draft.meta.title).toBe('区委理论学习中心组开展专题学习');
    expect(draft.fields.uncertain).toEqual([]);
  });

  it.each([
    ['发布时间:2018-11-12 17:25:15', '2018-11-12', '17:25'],
    ['2010/1/6 16:43:13', '2010-01-06', '16:43'],
    ['发布日期：2018年11月 12 日', '2018-11-12', null],
    ['时间：2018 - 11 - 12　来源：县政府', '2018-11-12', null],
  ])('reads the date of %s', (line, date, time) => {
    expect(parseInfoLine(line)).toMatchObject({ date, time });
  });

  it('does not take 发布机构 as the source, nor its 生成日期 into it', () => {
    expect(parseInfoLine('发布机构: 区政府办 生成日期: 2019-01-05')).toMatchObject({ source: null, publisher: '区政府办', date: '2019-01-05' });
  });

  it('drops a bare visit counter at the end of the page but keeps a number inside the text', () => {
    const draft = importPortalText('区里召开工作会议\n\n时间：2024-01-05\n\n会议确定的项目编号为：\n\n20240105\n\n会议要求抓好落实。\n\n4874268', 'n.txt');
    expect(draft.fields.paragraphs).toEqual(['会议确定的项目编号为：', '20240105', '会议要求抓好落实。']);
  });
});
