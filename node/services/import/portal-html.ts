import {
  type HtmlElement,
  TEXT_BLOCKS,
  elementNames,
  elementText,
  findElements,
  htmlToText,
  parseHtml,
  withoutElements,
} from './html';
import { type InfoFields, MENU_ENTRY_MAX, isChromeLine, mergeInfo, parseBreadcrumbLine, parseDateAtStart, parseInfoLine, startsWithLocation } from './header';
import { type PortalTextParts, splitBodyText, splitPortalText, type UncertainField } from './portal-text';
import { formatOfficeTime, isInstant } from '../../../shared/text/office-time';

/**
 * Reads a saved portal page by its structure first — the meta tags government
 * CMSs emit (ArticleTitle, PubDate, ContentSource, Author), the title heading,
 * the content container of the common CMS families — and by the text rules of
 * portal-text.ts for whatever the structure does not say. Where structure and
 * text disagree, the field stays empty and both values are listed: a wrong
 * value is worse than an empty one.
 */

/** What the page's markup says about the article, each value as printed. */
export interface PageStructure {
  metaTitle: string | null;
  /** The title the page gives for sharing (`og:title`). */
  shareTitle: string | null;
  /** Headings the page marks as the article title (a title class), then its h1s. */
  headings: string[];
  /** The `<title>` element. */
  documentTitle: string | null;
  metaDate: { date: string; time: string | null } | null;
  metaSource: string | null;
  metaAuthor: string | null;
  metaColumn: string | null;
  siteName: string | null;
  /** The text of the article's content container, when a known one was found. */
  contentText: string | null;
  /** Blocks of the page made only of short links (menus, 【打印】【关闭】 rows), outside the content. */
  navigation: HtmlElement[];
  /** The breadcrumb read from its element, for pages whose text splits it over lines or draws its arrows as pictures. */
  crumb: string[] | null;
}

/**
 * Content containers of the CMS families, most specific first: TRS (TRS_Editor),
 * 大汉 Hanweb (zoom, bt_content), 新点 Epoint (ewb-article-info), WordPress
 * (entry-content), 政府网站集约化平台 and 易普拉格 templates (article-content,
 * j-fontContent, pages_content, con_txt …).
 */
const CONTENT_NAMES: readonly RegExp[] = [
  /^trs_(?:editor|ueditor)$/iu,
  /^ewb-article-info$/iu,
  /^entry-content$/iu,
  /^bt_content$/iu,
  /^j-fontcontent$/iu,
  /^(?:article[-_]content|article_con|art[-_]con|pages_content|detail[-_]content|news[-_]?content|con[-_]?txt|con[-_]text|content[-_]text|xl[-_]con(?:tent)?|txt[-_]content)$/iu,
  /^zoom$/iu,
];

const TITLE_NAMES =
  /^(?:title|article[-_]?title|news[-_]?title|con[-_]title|detail[-_]title|xl[-_]title|entry-title|ewb-article-tt|ewb-article-title|bt|tit|sp_title|art[-_]title|main-title)$/iu;

function metaContent(metas: Map<string, string>, ...names: string[]): string | null {
  for (const name of names) {
    const value = metas.get(name.toLowerCase())?.replace(/\s+/gu, ' ').trim();
    if (value) return value;
  }
  return null;
}

function textOf(element: HtmlElement): string {
  return elementText(element).replace(/\s*\n+\s*/gu, ' ').trim();
}

/**
 * What may stand between menu links. Breadcrumb arrows (>, », /) are not among them:
 * a breadcrumb made of links is the column, not a menu.
 */
const MENU_SEPARATORS = /^[\s|丨｜·•【】[\]()（）]*$/u;
/** A link to a file (附件, 下载) is content even when it is short. */
const FILE_LINK = /\.[a-z0-9]{2,4}$|^附件/iu;

/** What a block of the page is made of, as far as menus go. */
interface LinkMakeup {
  /** Links with text. */
  links: number;
  /** Every such link is a short entry, none a file. */
  short: boolean;
  /** The text outside the links is only separators. */
  separatorsOnly: boolean;
}

/**
 * A block whose whole text is two or more short links and separators: the site's menu,
 * its 网站首页 | 新闻中心 bar, its 【发表评论】【打印此文】【关闭窗口】 row. Read as text, such
 * a menu runs its entries together (首页新闻中心政务公开…) and looks like a sentence.
 */
function isLinkOnlyBlock(element: HtmlElement, makeup: LinkMakeup): boolean {
  if (!TEXT_BLOCKS.has(element.tag) && element.tag !== 'td' && element.tag !== 'th') return false;
  return makeup.links >= 2 && makeup.short && makeup.separatorsOnly;
}

/** The outermost link-only blocks of the page, none inside the content container. */
function navigationBlocks(root: HtmlElement, content: HtmlElement | undefined): HtmlElement[] {
  // One pass from the leaves up, so a deep page costs its size, not its size times its depth.
  const makeups = new Map<HtmlElement, LinkMakeup>();
  const measure = (element: HtmlElement): LinkMakeup => {
    const makeup: LinkMakeup = { links: 0, short: true, separatorsOnly: true };
    for (const child of element.children) {
      if (typeof child === 'string') {
        makeup.separatorsOnly &&= MENU_SEPARATORS.test(child);
      } else if (child.tag === 'a') {
        const text = textOf(child);
        if (text === '') continue;
        makeup.links++;
        makeup.short &&= text.length <= MENU_ENTRY_MAX && !FILE_LINK.test(text);
      } else {
        const inner = measure(child);
        makeup.links += inner.links;
        makeup.short &&= inner.short;
        makeup.separatorsOnly &&= inner.separatorsOnly;
      }
    }
    makeups.set(element, makeup);
    return makeup;
  };
  measure(root);
  const found: HtmlElement[] = [];
  const visit = (element: HtmlElement): void => {
    if (element === content || element.tag === 'head') return;
    const makeup = makeups.get(element);
    if (makeup && isLinkOnlyBlock(element, makeup)) {
      found.push(element);
      return;
    }
    for (const child of element.children) if (typeof child !== 'string') visit(child);
  };
  visit(root);
  return found;
}

/** Class and id names CMSs give the breadcrumb's element: position, breadcrumb, dqwz (当前位置), curpos … */
const CRUMB_NAMES = /position|breadcrumb|crumb|location|weizhi|dqwz|curpos|^wz$/iu;
const MAX_CRUMB_LINE = 300;

/**
 * The breadcrumb's element as one line: arrows drawn as pictures become `>`, and links
 * laid out in nested table cells (大汉 JCMS) stay on one line.
 */
function crumbLine(element: HtmlElement): string {
  let line = '';
  const walk = (node: HtmlElement): void => {
    for (const child of node.children) {
      if (line.length > MAX_CRUMB_LINE) return;
      if (typeof child === 'string') line += child;
      else if (child.tag === 'img') line += ' > ';
      else {
        line += ' ';
        walk(child);
        line += ' ';
      }
    }
  };
  walk(element);
  return line
    .replace(/[\s\u00a0]+/gu, ' ')
    .replace(/^[\s>]+/u, '')
    .replace(/(?:\s*>\s*){2,}/gu, ' > ')
    .replace(/[\s>]+$/u, '')
    .trim();
}

/** The first element named or introduced as the breadcrumb that reads as one, with at least one link. */
function readCrumb(root: HtmlElement, content: HtmlElement | undefined): string[] | null {
  const candidates = findElements(root, (element) => {
    if (element === content || element.tag === 'head') return false;
    const own = element.children.find((child): child is string => typeof child === 'string' && child.trim() !== '');
    return elementNames(element).some((name) => CRUMB_NAMES.test(name)) || (own !== undefined && startsWithLocation(own));
  });
  for (const element of candidates) {
    if (findElements(element, (child) => child.tag === 'a').length === 0) continue;
    const line = crumbLine(element);
    if (line.length > MAX_CRUMB_LINE) continue;
    const crumb = parseBreadcrumbLine(line);
    if (crumb && crumb.column.length > 1) return crumb.column;
  }
  return null;
}

/**
 * A heading's title. Some CMSs print the info line inside the title's element after a
 * line break (`<h1>标题<br><span>2019-12-10 来源：…</span></h1>`): that line is not the title.
 * A long title broken over two lines stays whole.
 */
function headingText(element: HtmlElement): string {
  const lines = elementText(element)
    .split(/\n+/u)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  const [first, ...rest] = lines;
  if (first !== undefined && rest.length > 0 && rest.every((line) => parseInfoLine(line) !== null || isChromeLine(line))) return first;
  return textOf(element);
}

/** Reads the markup of a page; see {@link PageStructure}. */
export function readPageStructure(html: string): PageStructure {
  const root = parseHtml(html);
  const metas = new Map<string, string>();
  for (const meta of findElements(root, (element) => element.tag === 'meta')) {
    const name = (meta.attrs.name ?? meta.attrs.property ?? '').toLowerCase();
    if (name && meta.attrs.content !== undefined && !metas.has(name)) metas.set(name, meta.attrs.content);
  }
  const titleElement = findElements(root, (element) => element.tag === 'title')[0];
  const marked = findElements(
    root,
    (element) =>
      element.tag !== 'title' && element.tag !== 'meta' && elementNames(element).some((name) => TITLE_NAMES.test(name)),
  );
  const headings = [...marked, ...findElements(root, (element) => element.tag === 'h1')]
    .map(headingText)
    .filter((text) => text.length >= 4 && text.length <= 100);
  let contentText: string | null = null;
  let content: HtmlElement | undefined;
  for (const pattern of CONTENT_NAMES) {
    const container = findElements(root, (element) => elementNames(element).some((name) => pattern.test(name)))[0];
    const text = container ? elementText(container) : '';
    if (text) {
      contentText = text;
      content = container;
      break;
    }
  }
  const dateText = metaContent(metas, 'PubDate', 'publishdate', 'article:published_time', 'firstpublishedtime');
  // `article:published_time` is an instant that WordPress often writes in UTC (02:05+00:00);
  // the portal's pages and readers keep Beijing time (10:05), so an instant is read in the
  // office's zone. Text without a zone is taken as the page wrote it.
  const readable = dateText && isInstant(dateText) ? formatOfficeTime(dateText) : dateText;
  const parsedDate = readable ? parseDateAtStart(readable) : null;
  return {
    metaTitle: metaContent(metas, 'ArticleTitle'),
    shareTitle: metaContent(metas, 'og:title'),
    headings: [...new Set(headings)],
    documentTitle: titleElement ? textOf(titleElement) || null : null,
    metaDate: parsedDate ? { date: parsedDate.date, time: parsedDate.time } : null,
    metaSource: metaContent(metas, 'ContentSource'),
    metaAuthor: metaContent(metas, 'Author'),
    metaColumn: metaContent(metas, 'ColumnName'),
    siteName: metaContent(metas, 'SiteName'),
    contentText,
    navigation: navigationBlocks(root, content),
    crumb: readCrumb(root, content),
  };
}

/** A person's name or a few of them (张三 / 张三 李四): what an Author meta may hold for us to take it. */
const PERSON_NAMES = /^[\p{Script=Han}·]{2,4}(?:[\s、，,]+[\p{Script=Han}·]{2,4}){0,4}$/u;

/** `标题_栏目_站点`, `标题 - 站点`: the parts of a `<title>`. */
function titleParts(documentTitle: string): string[] {
  return documentTitle
    .split(/\s*(?:_|\||｜|—|–|\s-\s|-{2,})\s*/u)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}

function squeeze(text: string): string {
  return text.replace(/[\s\u3000]+/gu, '');
}

/** Title by structure, then text, with the text's title kept only when the page's markup agrees. */
function settleTitle(structure: PageStructure, parts: PortalTextParts, uncertain: UncertainField[]): string | null {
  if (structure.metaTitle) return structure.metaTitle;
  const heading = structure.headings[0];
  if (heading !== undefined) return heading;
  const fromText = parts.title;
  if (fromText === null) return null;
  if (structure.documentTitle === null) return fromText;
  if (squeeze(structure.documentTitle).includes(squeeze(fromText))) return fromText;
  // A <title> holding only the site's name says nothing; the title the page gives for sharing, when it agrees, does.
  if (structure.shareTitle !== null && squeeze(structure.shareTitle) === squeeze(fromText)) return fromText;
  uncertain.push({ field: 'title', candidates: [fromText, titleParts(structure.documentTitle)[0] ?? structure.documentTitle] });
  return null;
}

/** One value from the markup and one from the text: equal or alone, it is taken; different, neither is. */
function agree(
  field: UncertainField['field'],
  fromMarkup: string | null,
  fromText: string | null,
  uncertain: UncertainField[],
): string | null {
  if (fromMarkup === null) return fromText;
  if (fromText === null || squeeze(fromMarkup) === squeeze(fromText)) return fromMarkup;
  uncertain.push({ field, candidates: [fromText, fromMarkup] });
  return null;
}

/**
 * A content container may repeat the title or the info line at its top; those are not body
 * text. The info lines are returned too: some pages (WeChat's) print theirs only there.
 */
function dropRepeatedHeader(paragraphs: string[], title: string | null): { paragraphs: string[]; info: InfoFields[] } {
  let start = 0;
  const info: InfoFields[] = [];
  while (start < paragraphs.length && start < 3) {
    const text = paragraphs[start] ?? '';
    const line = parseInfoLine(text);
    if (line) info.push(line);
    if ((title !== null && squeeze(text) === squeeze(title)) || line) start++;
    else break;
  }
  return { paragraphs: paragraphs.slice(start), info };
}

/** A saved portal page (HTML) → its parts, by structure first and text rules second. */
export function splitPortalHtml(html: string): PortalTextParts {
  const structure = readPageStructure(html);
  // Menus go before the text rules read the page: run together, they would pass for a sentence.
  const parts = splitPortalText(htmlToText(withoutElements(html, structure.navigation)));
  for (const block of structure.navigation) parts.skippedMenuLines += findElements(block, (element) => element.tag === 'a').length;
  const uncertain = [...parts.uncertain];
  const title = settleTitle(structure, parts, uncertain);
  let info = { ...parts.info };
  // A field the page's text contradicts itself on stays empty, whatever the markup adds.
  const inDoubt = (field: UncertainField['field']) => uncertain.some((entry) => entry.field === field);
  if (structure.metaDate && !inDoubt('date')) {
    const date = agree('date', structure.metaDate.date, parts.info.date, uncertain);
    info = { ...info, date, time: date === null ? null : (parts.info.date === date ? parts.info.time : null) ?? structure.metaDate.time };
  }
  if (!inDoubt('source')) info.source = agree('source', structure.metaSource, parts.info.source, uncertain);
  const author = structure.metaAuthor;
  // Many sites fill Author with the site's or the office's name: only a person's name is taken.
  if (author && PERSON_NAMES.test(author) && author !== structure.siteName) info.author = agree('author', author, parts.info.author, uncertain);
  // The text rules read the breadcrumb first; its element serves when they could not.
  let column = parts.column.length > 0 ? parts.column : (structure.crumb ?? []);
  if (column.length === 0 && structure.metaColumn) uncertain.push({ field: 'column', candidates: [structure.metaColumn] });
  if (title !== null && column.length > 1 && column[column.length - 1] === title) column = column.slice(0, -1);

  if (structure.contentText === null) return { ...parts, title, column, info, uncertain };
  // The content container holds the article: what stands outside it is the site's, not the writer's.
  const body = splitBodyText(structure.contentText);
  const top = dropRepeatedHeader(body.paragraphs, title);
  let bodyInfo = body.info;
  for (const line of top.info) bodyInfo = mergeInfo(bodyInfo, line);
  uncertain.push(...body.conflicts);
  // 来源 under the article naming another source than the one above it: which is right the page cannot say.
  if (bodyInfo.source !== null && info.source !== null && squeeze(bodyInfo.source) !== squeeze(info.source) && !uncertain.some((entry) => entry.field === 'source')) {
    uncertain.push({ field: 'source', candidates: [info.source, bodyInfo.source] });
    info.source = null;
  }
  for (const key of ['author', 'editor', 'photographer', 'source', 'publisher'] as const) {
    if (bodyInfo[key] !== null && info[key] === null && !uncertain.some((entry) => entry.field === key)) info[key] = bodyInfo[key];
  }
  // A date the content's own info line gives, where neither the markup nor the page's text had one.
  if (info.date === null && bodyInfo.date !== null && !uncertain.some((entry) => entry.field === 'date')) {
    info = { ...info, date: bodyInfo.date, time: bodyInfo.time };
  }
  return {
    ...parts,
    title,
    subtitle: title === parts.title ? parts.subtitle : null,
    column,
    info,
    paragraphs: [...top.paragraphs, ...body.trailing],
    unrecognised: body.trailing,
    reviews: [...parts.reviews, ...body.reviews.filter((entry) => !parts.reviews.includes(entry))],
    uncertain,
    attachments: body.attachments,
  };
}
