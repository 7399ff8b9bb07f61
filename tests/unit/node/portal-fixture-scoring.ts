import { readdirSync, readFileSync } from 'node:fs';
import { type ImportDraft, importFileBuffer } from '../../../node/services/import/index';

/**
 * The scoring shared by the portal-page fixture sets (tests/fixtures/portal/families/,
 * which the importer was tuned on, and tests/fixtures/portal/held-out/, which it was
 * not). Each fixture is a saved page (.html) or copied text (.txt) with the fields a
 * careful reader would take from it in a JSON beside it. Every field is scored: right,
 * missed (left empty — allowed, and the import must say so), or wrong (a value the
 * page does not support).
 */

export interface Expected {
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
export const CHROME = ['字体大小', '背景色', '返回顶部', '友情链接', '打印本页', '关闭窗口', '大 中 小', '扫一扫', '一审', '二审', '浏览次数', '4874268', '分享到', '上一篇', '主办单位', 'ICP备', '当前位置'];

export type Verdict = 'right' | 'missed' | 'wrong';

export interface Score {
  fixture: string;
  field: string;
  verdict: Verdict;
  expected: unknown;
  actual: unknown;
}

const isEmpty = (value: unknown): boolean => value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0);

export function judge(expected: unknown, actual: unknown): Verdict {
  if (isEmpty(expected)) return isEmpty(actual) ? 'right' : 'wrong';
  if (isEmpty(actual)) return 'missed';
  return JSON.stringify(expected) === JSON.stringify(actual) ? 'right' : 'wrong';
}

/** The fields whose miss must be named to the writer. */
export const MUST_LIST = ['title', 'date', 'source', 'column'];

/** A missed title, date, source or column must be named to the writer. */
export function listed(draft: ImportDraft, field: string): boolean {
  const uncertain = draft.fields.uncertain ?? [];
  if (uncertain.some((entry) => entry.field === field)) return true;
  const key = { title: 'importNote.noTitle', date: 'importNote.noDate', source: 'importNote.noSource', column: 'importNote.noColumn' }[field];
  return draft.warnings.some((warning) => warning.messageKey === key || (field === 'source' && warning.messageKey === 'importNote.publisherNotSource'));
}

/** The page and copied-text fixtures in a folder, by name. */
export function fixtureNames(dir: URL): string[] {
  return readdirSync(dir)
    .filter((name) => /\.(?:html|txt)$/u.test(name))
    .sort();
}

/** The expectations written beside a fixture. */
export function readExpected(dir: URL, name: string): Expected {
  return JSON.parse(readFileSync(new URL(name.replace(/\.\w+$/u, '.json'), dir), 'utf8')) as Expected;
}

/** Imports one fixture of a folder and scores every field against its JSON. */
export async function score(dir: URL, name: string): Promise<{ draft: ImportDraft; expected: Expected; scores: Score[] }> {
  const expected = readExpected(dir, name);
  const draft = await importFileBuffer(name, readFileSync(new URL(name, dir)));
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
    const got = fields.disclosure?.[key as keyof typeof fields.disclosure] ?? null;
    // The importer stores a topic in the catalogue's 大类\小类 form; a page's 大类/小类 is the same topic.
    const sameForm = (value: unknown) => (key === 'topic' && typeof value === 'string' ? value.replace(/\s*[/／\\]\s*/gu, '\\') : value);
    add(`disclosure.${key}`, sameForm(want), sameForm(got));
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
  return { draft, expected, scores };
}
