import { isRealDate } from '../../../shared/domain/article';
import { chineseNumeralValue } from '../../../shared/text/chinese-numerals';

/**
 * Recognisers for the lines that surround an article on a portal page (or at
 * the top of a Word file): breadcrumb, info line, page chrome, byline. Each one
 * answers "this whole line is X" or null; none of them guesses from a fragment,
 * so an ordinary sentence that merely mentions 来源 or 时间 stays body text.
 */

/** What an info line (时间:2021-05-20 来源:区党政办 …) told us. */
export interface InfoFields {
  date: string | null;
  time: string | null;
  source: string | null;
  author: string | null;
  editor: string | null;
  photographer: string | null;
  /** 发布机构: the organ that issued the page, which is not the 来源 of a news story. */
  publisher: string | null;
}

export function emptyInfo(): InfoFields {
  return { date: null, time: null, source: null, author: null, editor: null, photographer: null, publisher: null };
}

/** Keeps what was found first: the info line near the title wins over later repeats. */
export function mergeInfo(into: InfoFields, from: InfoFields): InfoFields {
  return {
    date: into.date ?? from.date,
    time: into.date ? into.time : from.time,
    source: into.source ?? from.source,
    author: into.author ?? from.author,
    editor: into.editor ?? from.editor,
    photographer: into.photographer ?? from.photographer,
    publisher: into.publisher ?? from.publisher,
  };
}

type InfoField = keyof InfoFields | 'ignored';

const INFO_KEYS: Record<string, InfoField> = {
  发布时间: 'date',
  发布日期: 'date',
  发表时间: 'date',
  发稿时间: 'date',
  更新时间: 'date',
  生成日期: 'date',
  信息时间: 'date',
  时间: 'date',
  日期: 'date',
  信息来源: 'source',
  文章来源: 'source',
  稿件来源: 'source',
  来源: 'source',
  来自: 'source',
  供稿单位: 'source',
  来源单位: 'source',
  // The issuing organ is not the story's source: taking one for the other is a wrong value.
  发布机构: 'publisher',
  发布单位: 'publisher',
  发布者: 'ignored',
  发布人: 'ignored',
  录入时间: 'ignored',
  作者: 'author',
  撰稿人: 'author',
  撰稿: 'author',
  记者: 'author',
  通讯员: 'author',
  责任编辑: 'editor',
  编辑: 'editor',
  摄影: 'photographer',
  访问量: 'ignored',
  浏览次数: 'ignored',
  点击数: 'ignored',
  阅读次数: 'ignored',
  访问次数: 'ignored',
  浏览量: 'ignored',
  阅读量: 'ignored',
  点击量: 'ignored',
  浏览: 'ignored',
  点击: 'ignored',
  点击次数: 'ignored',
  点击率: 'ignored',
  评论: 'ignored',
  评论数: 'ignored',
  阅读: 'ignored',
  访问: 'ignored',
  字体大小: 'ignored',
  字号: 'ignored',
  字体: 'ignored',
  背景色: 'ignored',
  审核: 'ignored',
  校对: 'ignored',
  分享到: 'ignored',
};

// Two-character labels are often spaced out to line up with longer ones (来 源：, 作　者：).
const INFO_KEY_PATTERN = new RegExp(
  `(${Object.keys(INFO_KEYS)
    .sort((a, b) => b.length - a.length)
    .map((key) => (key.length === 2 ? `${key[0]}[ \\u3000]{0,3}${key[1]}` : key))
    .join('|')})\\s*[:：]`,
  'gu',
);

const DATE_AT_START =
  /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:(?:\s*|T)(\d{1,2})\s*[:：时]\s*(\d{1,2})(?:\s*[:：分]\s*\d{1,2}\s*秒?)?\s*分?)?/u;

/** 二〇一二年十月九日: a date in Chinese numerals, as 公文 and some older portals print it. */
const CHINESE_DATE_AT_START = /^([〇零○Ｏ一二三四五六七八九]{4})\s*年\s*(十[一二]?|[一二三四五六七八九])\s*月\s*(三十一?|二?十[一二三四五六七八九]?|[一二三四五六七八九])\s*日/u;
/** A date at the start of `text` (2021-05-20, 2021/05/20, 2021年5月20日, 2021.05.20, 二〇二一年五月二十日, optional time). */
export function parseDateAtStart(text: string): { date: string; time: string | null; rest: string } | null {
  const chinese = CHINESE_DATE_AT_START.exec(text);
  if (chinese) {
    const [whole, y = '', mo = '', d = ''] = chinese;
    const date = `${chineseNumeralValue(y)}-${String(chineseNumeralValue(mo)).padStart(2, '0')}-${String(chineseNumeralValue(d)).padStart(2, '0')}`;
    return isRealDate(date) ? { date, time: null, rest: text.slice(whole.length) } : null;
  }
  const match = DATE_AT_START.exec(text);
  if (!match) return null;
  const [whole, y = '', mo = '', d = '', h, mi] = match;
  const date = `${y}-${mo.padStart(2, '0')}-${d.padStart(2, '0')}`;
  if (!isRealDate(date)) return null;
  let time: string | null = null;
  if (h !== undefined && mi !== undefined && Number(h) < 24 && Number(mi) < 60) {
    time = `${h.padStart(2, '0')}:${mi.padStart(2, '0')}`;
  }
  return { date, time, rest: text.slice(whole.length) };
}

const TRAILING_CHROME = /[\s|丨｜·•]*(?:打印|关闭|朗读|收藏|分享到?|大\s*中\s*小|【[^】]*】|\[[^\]]*\])\s*$/u;

function cleanValue(raw: string): string {
  let value = raw.replace(/^[\s|丨｜·•,，;；]+/u, '');
  for (let guard = 0; guard < 10 && TRAILING_CHROME.test(value); guard++) {
    value = value.replace(TRAILING_CHROME, '');
  }
  return value
    .replace(/[【】[\]]+/gu, ' ')
    .replace(/[\s|丨｜·•,，;；（(]+$/u, '')
    .trim();
}

const DECORATION_ONLY = /^[\s【[（(|丨｜·•]*$/u;
const MAX_INFO_LINE = 160;
const MAX_NAME_VALUE = 40;

/** 佚名, 不详, 未知: what a CMS prints where nobody's name was entered — no one's name. */
const NO_NAME = /^(?:佚名|不详|未知|匿名|无|暂无|admin|administrator|管理员|系统管理员)$/iu;
const PERSON_FIELDS: ReadonlySet<string> = new Set(['author', 'editor', 'photographer']);
/**
 * 青禾发布 2022-11-09 18:06 发表于云川: the line under a WeChat article's title — the
 * account (its name may stand twice, as nickname and account), the date and time, the region
 * WeChat adds and 收录于合集. 原创 runs into the account's name when the page is copied.
 */
const WECHAT_LINE =
  /^(?:原创\s*)?(?:[\p{Script=Han}A-Za-z0-9·]{2,30}?\s+){1,2}(?<date>\d{4}-\d{1,2}-\d{1,2})\s+(?<time>\d{1,2}:\d{2})(?:\s*发表于\s*\p{Script=Han}{2,8}?)?(?:收录于(?:合集|话题))?$/u;

/**
 * Parses a whole info line; null unless every part of the line is a known
 * `key：value` pair (or a leading date), so body sentences are never eaten.
 */
export function parseInfoLine(line: string): InfoFields | null {
  const text = line.trim();
  if (!text || text.length > MAX_INFO_LINE) return null;
  const fields = emptyInfo();
  const wechat = WECHAT_LINE.exec(text);
  if (wechat?.groups) {
    const when = parseDateAtStart(`${wechat.groups.date} ${wechat.groups.time}`);
    // The account is who posted it, neither a source nor the issuing organ a disclosure names.
    if (when) return { ...fields, date: when.date, time: when.time };
  }
  const matches = [...text.matchAll(INFO_KEY_PATTERN)];
  const firstKeyAt = matches[0]?.index ?? text.length;
  const head = text.slice(0, firstKeyAt);
  if (!DECORATION_ONLY.test(head)) {
    // Some portals print the date first without a label: "2021-05-20 10:30 来源：区党政办".
    const leading = parseDateAtStart(head.replace(/^[\s【[（(]+/u, ''));
    if (!leading || cleanValue(leading.rest) !== '') return null;
    fields.date = leading.date;
    fields.time = leading.time;
  } else if (matches.length === 0) {
    return null;
  }
  for (const [index, match] of matches.entries()) {
    const key = (match[1] ?? '').replace(/[ \u3000]/gu, '');
    const field = INFO_KEYS[key] ?? 'ignored';
    const start = (match.index ?? 0) + match[0].length;
    const end = matches[index + 1]?.index ?? text.length;
    const value = cleanValue(text.slice(start, end));
    if (field === 'ignored') continue;
    if (field === 'date') {
      if (!value) continue;
      const parsed = parseDateAtStart(value);
      if (!parsed || cleanValue(parsed.rest) !== '') return null;
      fields.date ??= parsed.date;
      if (fields.date === parsed.date) fields.time ??= parsed.time;
      continue;
    }
    if (value.length > MAX_NAME_VALUE || /[。！？]/u.test(value)) return null;
    if (PERSON_FIELDS.has(field) && NO_NAME.test(value)) continue;
    if (value) fields[field] ??= value;
  }
  return fields;
}

const HOME_NAMES = new Set(['首页', '网站首页', '主页', '门户首页', '返回首页']);
const CRUMB_SPLIT = /\s*(?:>>|＞＞|>|＞|»|›|\/|／|→|&gt;)\s*/u;
/** 当前位置, 您现在的位置, 您所在的位置, 当前页面 …: the words that introduce a breadcrumb. */
const LOCATION_WORDS = '(?:(?:您|你)?(?:当前|现在|目前)?(?:所在|所处)?的?位置|当前页面)';
const LOCATION_PREFIX = new RegExp(`^${LOCATION_WORDS}\\s*(?:是)?\\s*(?:[:：]\\s*|\\s+(?=首页|网站首页|主页|门户首页))(.*)$`, 'u');
const LOCATION_START = new RegExp(`^\\s*${LOCATION_WORDS}\\s*[:：]`, 'u');

/** Whether `text` starts with 当前位置： (or another wording of it). */
export function startsWithLocation(text: string): boolean {
  return LOCATION_START.test(text);
}
const STARTS_AT_HOME = /^(?:首页|网站首页|主页|门户首页)\s*(?:>>|＞＞|>|＞|»|›|\/|／|→)/u;
const TRAILING_CRUMBS = new Set(['正文', '详情', '正文内容', '文章详情', '内容', '详细内容', '阅读文章']);

/** Longer than any breadcrumb segment. */
const MAX_CRUMB = 24;
/**
 * A last segment longer than a column name is the article's own title, which some CMSs
 * print there; the page's heading confirms it or puts it back into the column.
 */
const MAX_COLUMN_NAME = 12;

/** What a breadcrumb line holds: the column path, and the article title when the CMS printed it last. */
export interface BreadcrumbLine {
  column: string[];
  /** The last segment when it is too long to be a column name: the title, as the page printed it. */
  title: string | null;
}

/** `您当前的位置：首页 > 政务公开 > 关于…的通知` → column ['首页', '政务公开'] and that title; null when not a breadcrumb. */
export function parseBreadcrumbLine(line: string): BreadcrumbLine | null {
  const text = line.trim();
  const located = LOCATION_PREFIX.exec(text);
  const path = located ? (located[1] ?? '') : STARTS_AT_HOME.test(text) ? text : null;
  if (path === null) return null;
  const segments = path
    .split(CRUMB_SPLIT)
    .map((segment) => segment.trim())
    .filter((segment) => segment.length > 0)
    .map((segment) => (HOME_NAMES.has(segment) ? '首页' : segment));
  while (segments.length > 1 && TRAILING_CRUMBS.has(segments[segments.length - 1] ?? '')) segments.pop();
  let title: string | null = null;
  const last = segments[segments.length - 1] ?? '';
  if (segments.length > 1 && last.length > MAX_COLUMN_NAME && last.length <= 100 && looksLikeTitle(last)) {
    title = last;
    segments.pop();
  }
  if (segments.length === 0 || segments.some((segment) => segment.length > MAX_CRUMB)) return null;
  return { column: segments, title };
}

/** `首页 / 要闻动态 / 政务要闻`, `当前位置：首页>>政务要闻` … → ['首页', …]; null when the line is not a breadcrumb. */
export function parseBreadcrumb(line: string): string[] | null {
  return parseBreadcrumbLine(line)?.column ?? null;
}

const CHROME_WORDS =
  /扫一扫在手机(?:上)?打开当前页(?:面)?|发表评论|我要评论|查看评论|告诉好友|推荐给好友|推荐给朋友|打印此文|打印此页|关闭此页|A[+＋\-－]|字体大小|背景色|护眼模式|护眼|手机扫一扫|扫一扫|分享到|分享|我要打印|打印本页|打印正文|打印|关闭窗口|关闭本页|关闭|朗读|语音播报|加入收藏|设为首页|收藏本页|网站首页|返回首页|首页|关怀版|长者模式|老年模式|无障碍浏览|手机版|电脑版|移动版|网站地图|站内搜索|请输入关键[字词]|搜索|登录|注册|繁體|繁体|简体|收藏|返回顶部|返回列表|返回|字号|字体|默认|视力保护色|适老化|无障碍|新浪微博|腾讯微博|微博|微信|朋友圈|QQ空间|QQ好友|QQ|豆瓣|人人网|新浪|大|中|小/gu;
const CHROME_FILLER = /[\s\d【】[\]()（）:：|丨｜·•,，、/]+/gu;
const COUNTER_LINE =
  /^[【[]?(?:访问量|浏览次数|点击数|阅读次数|访问次数|浏览量|阅读量|点击量)\s*[:：]?\s*\d*\s*次?[】\]]?$/u;
const MAX_CHROME_LINE = 80;
/** 2022年3月9日 星期三 (农历二月初七): the header's "today is" line, never an article's own text. */
const TODAY_LINE = /^(?:今天是\s*[:：]?)?\s*\d{4}年\d{1,2}月\d{1,2}日\s*[（(]?(?:星期|周|礼拜)[一二三四五六日天][）)]?(?:\s*农历\s*\S{2,12})?$/u;
/** 您是第 4874268 位访客 / 访问人次: the site's visit counter. */
const VISITOR_LINE = /^(?:您是(?:本站)?第\s*\d+\s*位(?:访问者|访客)|(?:总)?访问(?:人次|量)\s*[:：]?\s*\d+)$/u;

/**
 * A line that is only a number of up to ten digits: a visit counter whose label sits in
 * another element. Only taken out where no body text stands (the header, the end of the page).
 */
export function isBareCounterLine(line: string): boolean {
  return /^\d{1,10}$/u.test(line.trim());
}
const NAV_LINE = /^[【[]?(?:上一篇|下一篇|上一条|下一条|上篇|下篇)(?:文章|新闻|信息)?\s*[:：]/u;
/** 欢迎访问云溪县人民政府网站！ at the top of a page, possibly followed by 设为首页 | 加入收藏. */
const WELCOME = /^(?:您好[，,]?\s*)?欢迎(?:您)?(?:访问|光临|来到|进入)[^。！!？?，,]{1,30}?(?:门户网站|网站|门户|网|平台)+[！!。]?/u;

/** ≡, ------分隔线------, ****: lines of signs with at most a short label between them. */
const SEPARATOR_LINE = /^(?:[^\p{L}\p{N}]{1,20}|[-—_=*~─━.·]{3,}[^-—_=*~─━]{0,8}[-—_=*~─━.·]{3,})$/u;
/** Longest text of a menu entry: 首页, 政务公开, 无障碍浏览 … */
export const MENU_ENTRY_MAX = 12;

/**
 * 设为首页 | 加入收藏 | 无障碍浏览 | 长者模式: short entries between bars. Bars never separate
 * the words of a sentence, and an entry with punctuation (地址：…) is not a menu's.
 */
export function isMenuLine(line: string): boolean {
  const entries = line.split(/[|丨｜]/u).map((entry) => entry.trim());
  if (entries.length < 2) return false;
  return entries.every((entry, index) => {
    // 首页 | 登录 | : an empty entry only at either end.
    if (entry === '') return index === 0 || index === entries.length - 1;
    return entry.length <= MENU_ENTRY_MAX && !/[。，,；;：:！!？?、]/u.test(entry);
  });
}

/**
 * Page furniture with no content: 朗读, 【打印】【关闭】, 字号：大 中 小, 分享到…, 上一篇：…,
 * 浏览次数：123. Only whole lines count, so 打印机采购… is body text.
 */
export function isChromeLine(line: string): boolean {
  const text = line.trim();
  // Real page furniture is short; a long run of such words is someone's text, however odd.
  if (!text) return false;
  if (NAV_LINE.test(text) && text.length <= 200) return true;
  if (text.length > MAX_CHROME_LINE) return false;
  if (COUNTER_LINE.test(text)) return true;
  if (VISITOR_LINE.test(text)) return true;
  if (TODAY_LINE.test(text)) return true;
  // #禾丰文旅 36个: the WeChat collection an article belongs to.
  if (/^#[^\s#]{1,20}\s*\d+个(?:内容)?$/u.test(text)) return true;
  if (/^分享到/u.test(text) && text.length <= 40) return true;
  if (SEPARATOR_LINE.test(text)) return true;
  const welcome = WELCOME.exec(text)?.[0] ?? '';
  if (welcome.length === text.length) return true;
  const afterWelcome = text.slice(welcome.length);
  if (isMenuLine(afterWelcome)) return true;
  let words = 0;
  const rest = afterWelcome.replace(CHROME_WORDS, () => {
    words++;
    return '';
  });
  return words > 0 && rest.replace(CHROME_FILLER, '') === '';
}

/** The page footer and the links under an article: everything from here on is not the article. */
export function isPageEndLine(line: string): boolean {
  const text = line.trim();
  if (NAV_LINE.test(text) || /^分享到/u.test(text)) return true;
  if (/^[【[]?(?:相关链接|相关新闻|相关阅读|相关文章|相关稿件|相关解读|相关文件|热点推荐|推荐阅读|友情链接)[】\]]?\s*[:：]?$/u.test(text)) return true;
  // 标签：志愿服务, 相关热词搜索：校园安全 — the CMS's tags under the article.
  if (/^[【[]?(?:标签|Tags?|TAG|相关热词搜索|相关热词|热词)\s*[】\]]?\s*[:：]/iu.test(text) && text.length <= 60) return true;
  if (/^(?:友情链接|返回顶部)/u.test(text) && text.length <= 80) return true;
  // WeChat's own strings under an article copied or saved from it.
  if (/^(?:预览时标签不可点|继续滑动看下一个|向上滑动看下一个|轻触阅读原文|阅读原文|微信扫一扫(?:关注该公众号|可打开此内容)?|关注该公众号|喜欢此内容的人还喜欢)/u.test(text) && text.length <= 40) return true;
  return /主办单位|承办单位|版权所有|copyright|©|ICP备|ICP证|公网安备|网安备|网站标识码|技术支持[:：]|网站地图|联系我们/iu.test(
    text,
  );
}

export interface Byline {
  author: string | null;
  source: string | null;
  editor: string | null;
  photographer: string | null;
}

const BYLINE_LABELS: Record<string, keyof Byline> = {
  记者: 'author',
  通讯员: 'author',
  作者: 'author',
  文: 'author',
  撰稿: 'author',
  供稿: 'source',
  来源: 'source',
  稿件来源: 'source',
  信息来源: 'source',
  责任编辑: 'editor',
  编辑: 'editor',
  摄影: 'photographer',
  图: 'photographer',
};
const LABEL_PATTERN = Object.keys(BYLINE_LABELS)
  .sort((a, b) => b.length - a.length)
  .join('|');
const LABELLED_BYLINE = new RegExp(`^(${LABEL_PATTERN})\\s*[:：/]?\\s*(\\S.*)$`, 'u');
const NAMES_ONLY = /^[\p{Script=Han}·]{2,5}(?:[\s、，,]+[\p{Script=Han}·]{2,5}){0,5}$/u;

/** `区住建局 供稿`: the label after the name. */
const SUPPLIED_BY = /^([\p{Script=Han}A-Za-z0-9（）()·]{2,30}?)\s*供稿$/u;

function parseBylineInner(inner: string, requireLabel: boolean): Byline | null {
  const text = inner.trim();
  if (!text || text.length > 40) return null;
  const byline: Byline = { author: null, source: null, editor: null, photographer: null };
  // 撰稿：孙丽　审核：周强 — several labelled parts: read like an info line, or not at all.
  if (/[:：].*[:：]/u.test(text)) {
    const info = parseInfoLine(text);
    if (!info || info.date !== null) return null;
    const found: Byline = { author: info.author, source: info.source, editor: info.editor, photographer: info.photographer };
    return Object.values(found).some((value) => value !== null) ? found : null;
  }
  const supplied = SUPPLIED_BY.exec(text);
  if (supplied) return { ...byline, source: supplied[1] ?? null };
  const labelled = LABELLED_BYLINE.exec(text);
  if (labelled) {
    const field = BYLINE_LABELS[labelled[1] ?? ''] ?? 'author';
    let value = (labelled[2] ?? '').trim();
    // （记者 张三 通讯员 李四）: both are authors.
    if (field === 'author') value = value.replace(/(?:记者|通讯员)\s*/gu, '').replace(/\s+/gu, ' ').trim();
    if (!value) return null;
    byline[field] = value;
    return byline;
  }
  if (requireLabel || !NAMES_ONLY.test(text)) return null;
  byline.author = text.replace(/[、，,]/gu, ' ').replace(/\s+/gu, ' ');
  return byline;
}

/**
 * Whether taking this byline would overwrite a different value from the info
 * line; then the byline stays in the body so neither name is lost.
 */
export function bylineConflicts(info: InfoFields, byline: Byline): boolean {
  return (Object.keys(byline) as (keyof Byline)[]).some((field) => {
    const value = byline[field];
    return value !== null && info[field] !== null && info[field] !== value;
  });
}

/** A whole line that is a byline: `（记者 王晓明）`, `(张三 李四)`, `（来源：…）`. */
export function parseBylineLine(line: string): Byline | null {
  const text = line.trim();
  if (text.length > 50) return null;
  const match = /^[（(]([^（()）]+)[）)]$/u.exec(text);
  return match ? parseBylineInner(match[1] ?? '', false) : null;
}

/** A labelled byline glued to the end of the last paragraph: `……周年。（记者 王晓明）`. */
export function splitTrailingByline(paragraphText: string): { text: string; byline: Byline } | null {
  const text = paragraphText.trim();
  // Index arithmetic rather than one regex: a 10 MB paragraph must not blow the regex stack.
  if (!/[）)]$/u.test(text)) return null;
  const open = Math.max(text.lastIndexOf('（'), text.lastIndexOf('('));
  if (open < 1 || text.length - open > 50) return null;
  const before = text.slice(0, open).trimEnd();
  if (!/[。！？”]$/u.test(before)) return null;
  const inner = text.slice(open + 1, -1);
  if (/[（()）]/u.test(inner)) return null;
  const byline = parseBylineInner(inner, true);
  return byline ? { text: before, byline } : null;
}

/** Whether a line could be a title: short enough, and not a sentence. */
export function looksLikeTitle(line: string): boolean {
  const text = line.trim();
  if (text.length < 4 || text.length > 100) return false;
  if (/[。；，,;：:、]$/u.test(text)) return false;
  return !parseDateAtStart(text);
}

/** Meeting news: the title or lead says a meeting was held. */
export function looksLikeMeetingNews(title: string, lead: string): boolean {
  const meetingWords = /(?:召开|举行|举办)[^。，,]{0,40}(?:会议|座谈会|推进会|部署会|动员会|调度会|常务会|专题会|全会)/u;
  return meetingWords.test(title) || meetingWords.test(lead.split(/[。]/u)[0] ?? '');
}

/** 全区领导干部会议 out of 新乡经开区召开全区领导干部会议 …; '' when not found. */
export function meetingNameFrom(title: string, lead: string): string {
  const pattern = /(?:召开|举行)了?([^，,。\s]{2,30}?(?:会议|座谈会|推进会|部署会|动员会|调度会|常务会|专题会|全会))/u;
  return pattern.exec(title)?.[1] ?? pattern.exec(lead)?.[1] ?? '';
}

/** 区党工委书记刘思江 out of `……，区党工委书记刘思江主持并讲话，……`; '' when not found. */
export function meetingHostFrom(lead: string): string {
  return /[，,]\s*([^，,。；;]{2,40}?)主持/u.exec(lead)?.[1]?.trim() ?? '';
}
