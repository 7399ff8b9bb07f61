import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type ImportDraft, importFileBuffer } from '../../../node/services/import/index';
import { noteText } from '../../../shared/i18n/note';

/**
 * Pages of the CMS families government portals run on (TRS, 大汉 Hanweb, 新点
 * Epoint, 易普拉格, the 政府网站集约化平台, WordPress) and text copied from such
 * pages, each with the fields a careful reader would take from it in a JSON
 * beside it. Every field is scored: right, missed (left empty — allowed, and
 * the import must say so), or wrong (a value the page does not support). A
 * wrong value fails the test: it is worse than an empty one.
 */

const DIR = new URL('../../fixtures/portal/families/', import.meta.url);

interface Expected {
  family: string;
  title: string | null;
  date: string | null;
  time: string | null;
  source: string | null;
  author: string | null;
  column: string[];
  disclosure?: Partial<Record<'indexNo' | 'publisher' | 'docNo' | 'writtenAt' | 'topic' | 'validity', string | null>>;
  reviewLines?: string[];
  /** Fields that must be left empty and listed because the page contradicts itself. */
  uncertain?: string[];
  bodyFirst: string;
  bodyLast: string;
  bodyParagraphs: number;
}

/** Page furniture that must never reach an article's text. */
const CHROME = ['字体大小', '背景色', '返回顶部', '友情链接', '打印本页', '关闭窗口', '大 中 小', '扫一扫', '一审', '二审', '浏览次数', '4874268', '分享到', '上一篇', '主办单位', 'ICP备', '当前位置'];

type Verdict = 'right' | 'missed' | 'wrong';

interface Score {
  fixture: string;
  field: string;
  verdict: Verdict;
  expected: unknown;
  actual: unknown;
}

const isEmpty = (value: unknown): boolean => value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);

function judge(expected: unknown, actual: unknown): Verdict {
  if (isEmpty(expected)) return isEmpty(actual) ? 'right' : 'wrong';
  if (isEmpty(actual)) return 'missed';
  return JSON.stringify(expected) === JSON.stringify(actual) ? 'right' : 'wrong';
}

/** A missed title, date, source or column must be named to the writer. */
function listed(draft: ImportDraft, field: string): boolean {
  const uncertain = draft.fields.uncertain ?? [];
  if (uncertain.some((entry) => entry.field === field)) return true;
  const key = { title: 'importNote.noTitle', date: 'importNote.noDate', source: 'importNote.noSource', column: 'importNote.noColumn' }[field];
  return draft.warnings.some((warning) => warning.messageKey === key || (field === 'source' && warning.messageKey === 'importNote.publisherNotSource'));
}

async function score(name: string): Promise<{ draft: ImportDraft; scores: Score[] }> {
  const base = name.replace(/\.(?:html|txt)$/u, '');
  const expected = JSON.parse(readFileSync(new URL(`${base}.json`, DIR), 'utf8')) as Expected;
  const draft = await importFileBuffer(name, readFileSync(new URL(name, DIR)));
  const { fields } = draft;
  const scores: Score[] = [];
  const add = (field: string, want: unknown, got: unknown) =>
    scores.push({ fixture: name, field, verdict: judge(want, got), expected: want, actual: got });
  add('title', expected.title, draft.meta.title || null);
  add('date', expected.date, fields.date);
  add('time', expected.time, fields.time);
  add('source', expected.source, fields.source);
  add('author', expected.author, fields.author);
  add('column', expected.column, fields.column);
  for (const [key, want] of Object.entries(expected.disclosure ?? {})) {
    add(`disclosure.${key}`, want, fields.disclosure?.[key as keyof typeof fields.disclosure] ?? null);
  }
  if (expected.reviewLines) add('reviewLines', expected.reviewLines, fields.reviewLines ?? []);
  const paragraphs = fields.paragraphs;
  const bodyRight =
    paragraphs.length === expected.bodyParagraphs &&
    (paragraphs[0] ?? '').startsWith(expected.bodyFirst) &&
    (paragraphs[paragraphs.length - 1] ?? '').endsWith(expected.bodyLast);
  scores.push({
    fixture: name,
    field: 'body',
    verdict: bodyRight ? 'right' : 'wrong',
    expected: `${expected.bodyParagraphs} paragraphs, “${expected.bodyFirst}” … “${expected.bodyLast}”`,
    actual: paragraphs,
  });
  const text = paragraphs.join('\n');
  const chrome = CHROME.filter((word) => text.includes(word));
  scores.push({ fixture: name, field: 'no page furniture in body', verdict: chrome.length === 0 ? 'right' : 'wrong', expected: [], actual: chrome });
  return { draft, scores };
}

const fixtures = readdirSync(DIR).filter((name) => /\.(?:html|txt)$/u.test(name)).sort();

describe('portal pages of many CMS families', () => {
  it('has at least 12 page structures, each with its expected fields', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(12);
    const families = fixtures.map((name) => (JSON.parse(readFileSync(new URL(name.replace(/\.\w+$/u, '.json'), DIR), 'utf8')) as Expected).family);
    expect(new Set(families).size).toBe(fixtures.length);
  });

  it('reads every field right or leaves it empty and says so; never a wrong value', async () => {
    const all: Score[] = [];
    const unlisted: string[] = [];
    for (const name of fixtures) {
      const { draft, scores } = await score(name);
      all.push(...scores);
      for (const entry of scores) {
        if (entry.verdict === 'missed' && ['title', 'date', 'source', 'column'].includes(entry.field) && !listed(draft, entry.field)) {
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
      const expected = JSON.parse(readFileSync(new URL(name.replace(/\.\w+$/u, '.json'), DIR), 'utf8')) as Expected;
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
