import { isKnownTopic, TOPIC_SEPARATOR } from '../../../shared/domain/disclosure';
import { parseDateAtStart } from './header';

/**
 * The 信息公开 block government portals print above a document (索引号,
 * 发布机构, 文号, 成文日期 …, often as a table), and the 一审/二审/三审 line
 * under an article. Both are read only as whole lines made of known
 * `key：value` pairs, so a sentence mentioning 文号 stays body text.
 */

/** What the 信息公开 block said; null where it said nothing or something we could not read. */
export interface DisclosureFields {
  indexNo: string | null;
  publisher: string | null;
  docNo: string | null;
  /** 成文日期, YYYY-MM-DD */
  writtenAt: string | null;
  /** 发布日期 / 生成日期 of the block: the publication date. */
  publishDate: string | null;
  publishTime: string | null;
  topic: string | null;
  genre: string | null;
  validity: '有效' | '失效' | '废止' | null;
  /** 名称 / 标题 as the block printed it. */
  title: string | null;
}

export function emptyDisclosure(): DisclosureFields {
  return {
    indexNo: null,
    publisher: null,
    docNo: null,
    writtenAt: null,
    publishDate: null,
    publishTime: null,
    topic: null,
    genre: null,
    validity: null,
    title: null,
  };
}

export function hasDisclosure(fields: DisclosureFields): boolean {
  return Object.values(fields).some((value) => value !== null);
}

/** Keeps what was found first. */
export function mergeDisclosure(into: DisclosureFields, from: DisclosureFields): DisclosureFields {
  const out = { ...into };
  for (const key of Object.keys(out) as (keyof DisclosureFields)[]) {
    if (out[key] === null) (out as Record<string, unknown>)[key] = from[key];
  }
  return out;
}

type DisclosureKey = keyof DisclosureFields | 'ignored';

/** Keys of the block; `exclusive` ones never appear in a news info line, so they mark the block. */
const DISCLOSURE_KEYS: Record<string, { field: DisclosureKey; exclusive: boolean }> = {
  索引号: { field: 'indexNo', exclusive: true },
  发布机构: { field: 'publisher', exclusive: false },
  发文机关: { field: 'publisher', exclusive: true },
  发文单位: { field: 'publisher', exclusive: true },
  发布单位: { field: 'publisher', exclusive: false },
  文号: { field: 'docNo', exclusive: true },
  发文字号: { field: 'docNo', exclusive: true },
  成文日期: { field: 'writtenAt', exclusive: true },
  发文日期: { field: 'writtenAt', exclusive: true },
  生成日期: { field: 'publishDate', exclusive: true },
  发布日期: { field: 'publishDate', exclusive: false },
  公开日期: { field: 'publishDate', exclusive: true },
  主题分类: { field: 'topic', exclusive: true },
  体裁分类: { field: 'genre', exclusive: true },
  有效性: { field: 'validity', exclusive: true },
  名称: { field: 'title', exclusive: true },
  信息名称: { field: 'title', exclusive: true },
  文件名称: { field: 'title', exclusive: true },
  标题: { field: 'title', exclusive: true },
  公开方式: { field: 'ignored', exclusive: true },
  公开范围: { field: 'ignored', exclusive: true },
  公开时限: { field: 'ignored', exclusive: true },
  公开形式: { field: 'ignored', exclusive: true },
  组配分类: { field: 'ignored', exclusive: true },
  信息分类: { field: 'ignored', exclusive: true },
  服务对象: { field: 'ignored', exclusive: true },
  主题词: { field: 'ignored', exclusive: true },
  关键词: { field: 'ignored', exclusive: true },
  生效日期: { field: 'ignored', exclusive: true },
  失效日期: { field: 'ignored', exclusive: true },
  废止日期: { field: 'ignored', exclusive: true },
  内容概述: { field: 'ignored', exclusive: true },
  统一编号: { field: 'ignored', exclusive: true },
  登记号: { field: 'ignored', exclusive: true },
  // Counters and tools that share the block's last line on some pages.
  浏览次数: { field: 'ignored', exclusive: false },
  访问量: { field: 'ignored', exclusive: false },
  点击数: { field: 'ignored', exclusive: false },
  阅读次数: { field: 'ignored', exclusive: false },
  字号: { field: 'ignored', exclusive: false },
};

/** `索 引 号`, `文　　号`: the block pads keys to one width with spaces; the pattern allows them between characters. */
const spaced = (key: string): string => [...key].join('[\\s\\u3000]*');
const KEY_ALTERNATIVES = Object.keys(DISCLOSURE_KEYS)
  .sort((a, b) => b.length - a.length)
  .map(spaced)
  .join('|');
/**
 * `索引号：…`, or a table's key cell copied or saved without a colon (`索引号⇥…⇥主题分类⇥…`):
 * then the key must fill its cell, from the line's start or a tab to the next tab.
 */
const KEY_PATTERN = new RegExp(`(${KEY_ALTERNATIVES})[\\s\\u3000]*[:：]|(?<=^|\\t)[ \\u3000]*(${KEY_ALTERNATIVES})[ \\u3000]*\\t`, 'gu');

const MAX_BLOCK_LINE = 240;
const MAX_VALUE = 100;

function squeeze(key: string): string {
  return key.replace(/[\s\u3000]/gu, '');
}

function clean(value: string): string {
  return value.replace(/^[\s\u3000|丨｜·•]+|[\s\u3000|丨｜·•]+$/gu, '');
}

/** 综合政务/政务公开, 综合政务>政务公开 → 综合政务\政务公开 when that is a known topic; as printed otherwise. */
function normaliseTopic(value: string): string {
  const joined = value.replace(/\s*(?:[/／>＞›»]|\\)\s*/gu, TOPIC_SEPARATOR);
  return isKnownTopic(joined) ? joined : value;
}

/** What one line of the block holds, and whether it had a key only the block uses. */
export interface DisclosureLine {
  fields: DisclosureFields;
  exclusive: boolean;
  /** Keys whose value could not be read (e.g. a 成文日期 that is no date): left empty, listed for the writer. */
  unreadable: string[];
}

/**
 * A whole line of the 信息公开 block (`索 引 号：…　主题分类：…`, `发布机构：… 生成日期：…`);
 * null unless the line starts with a key and is made only of known key–value pairs.
 */
export function parseDisclosureLine(line: string): DisclosureLine | null {
  const text = line.trim();
  if (!text || text.length > MAX_BLOCK_LINE) return null;
  const matches = [...text.matchAll(KEY_PATTERN)];
  if (matches.length === 0 || clean(text.slice(0, matches[0]?.index ?? 0).replace(/^[【[]/u, '')) !== '') return null;
  const fields = emptyDisclosure();
  const unreadable: string[] = [];
  let exclusive = false;
  for (const [index, match] of matches.entries()) {
    const key = squeeze(match[1] ?? match[2] ?? '');
    const entry = DISCLOSURE_KEYS[key];
    if (!entry) return null;
    exclusive ||= entry.exclusive;
    const start = (match.index ?? 0) + match[0].length;
    const end = matches[index + 1]?.index ?? text.length;
    const value = clean(text.slice(start, end).replace(/[【】[\]]/gu, ' '));
    if (value.length > MAX_VALUE) return null;
    if (!value || entry.field === 'ignored') continue;
    switch (entry.field) {
      case 'writtenAt':
      case 'publishDate': {
        const parsed = parseDateAtStart(value);
        if (!parsed || clean(parsed.rest) !== '') {
          unreadable.push(key);
          break;
        }
        if (entry.field === 'writtenAt') fields.writtenAt ??= parsed.date;
        else if (fields.publishDate === null) {
          fields.publishDate = parsed.date;
          fields.publishTime = parsed.time;
        }
        break;
      }
      case 'validity': {
        const state = /^(有效|失效|废止)$/u.exec(value)?.[1] as DisclosureFields['validity'] | undefined;
        if (state) fields.validity ??= state;
        else unreadable.push(key);
        break;
      }
      case 'topic':
        fields.topic ??= normaliseTopic(value);
        break;
      case 'indexNo':
        // An index number is one token; anything with spaces in it is not one we can trust.
        if (/^[\w./\-－—]+$/u.test(value)) fields.indexNo ??= value;
        else unreadable.push(key);
        break;
      case 'docNo':
        fields.docNo ??= value.replace(/[\s\u3000]+/gu, '');
        break;
      default:
        fields[entry.field] ??= value;
    }
  }
  return { fields, exclusive, unreadable };
}

/** The roles of a page's sign-off line: 一审 / 二审 / 三审, 初审 / 复审 / 终审 and their like. */
const REVIEW_ROLES = ['一审', '二审', '三审', '初审', '复审', '终审', '审核', '审签', '审定', '签发', '校对', '责任编辑', '编辑'];
const REVIEW_PATTERN = new RegExp(`(${REVIEW_ROLES.join('|')})[\\s\\u3000]*[:：]`, 'gu');
const REVIEW_MARK = /一审|二审|三审|初审|复审|终审/u;

/** A sign-off line: who reviewed the page at the portal. Information on the import, not text of the article. */
export interface ReviewLine {
  /** `一审：张松` …, one per role, names with the stray spaces between characters removed. */
  entries: string[];
  /** 责任编辑 / 编辑 named on the same line. */
  editor: string | null;
}

/** `一审:张 松 / 二审:李四 / 三审:王五`; null unless the whole line is such pairs and names a 一审/二审/三审-like step. */
export function parseReviewLine(line: string): ReviewLine | null {
  const text = line.trim().replace(/^[【[（(]|[】\]）)]$/gu, '');
  if (!text || text.length > 120 || !REVIEW_MARK.test(text)) return null;
  const matches = [...text.matchAll(REVIEW_PATTERN)];
  if (matches.length === 0 || clean(text.slice(0, matches[0]?.index ?? 0)) !== '') return null;
  const entries: string[] = [];
  let editor: string | null = null;
  for (const [index, match] of matches.entries()) {
    const role = match[1] ?? '';
    const start = (match.index ?? 0) + match[0].length;
    const end = matches[index + 1]?.index ?? text.length;
    const raw = text.slice(start, end).replace(/[/／|丨｜,，;；、【】[\]（）()]+/gu, ' ');
    const spacedOut = clean(raw);
    // 张 松: a two-character name padded to the width of three; two names keep their space.
    const name = /^\p{Script=Han}[\s\u3000]+\p{Script=Han}$/u.test(spacedOut) ? spacedOut.replace(/[\s\u3000]+/gu, '') : spacedOut;
    if (name.length > 20 || /[。！？]/u.test(name)) return null;
    if (!name) continue;
    if (role === '责任编辑' || role === '编辑') editor ??= name;
    else entries.push(`${role}：${name}`);
  }
  return { entries, editor };
}
