import {
  type Byline,
  bylineConflicts,
  emptyInfo,
  type InfoFields,
  isBareCounterLine,
  MENU_ENTRY_MAX,
  isChromeLine,
  isPageEndLine,
  looksLikeTitle,
  mergeInfo,
  parseBreadcrumbLine,
  parseBylineLine,
  parseInfoLine,
  splitTrailingByline,
} from './header';
import {
  type DisclosureFields,
  emptyDisclosure,
  mergeDisclosure,
  parseDisclosureLine,
  parseReviewLine,
} from './disclosure-block';

/** A field left empty because the page said two things (or something unreadable); what it said, for the writer. */
export interface UncertainField {
  field: 'title' | 'date' | 'source' | 'author' | 'column' | 'disclosure';
  /** What the page offered, as printed; the writer picks. */
  candidates: string[];
}

/**
 * Splits the text of a portal article page into header, body and page furniture.
 * The page layout is always the same (breadcrumb · title · [subtitle] · info line ·
 * body · share bar/footer), so the info line is the anchor: what stands right
 * above it is the title.
 */

export interface PortalTextParts {
  title: string | null;
  subtitle: string | null;
  column: string[];
  info: InfoFields;
  /** Body paragraphs, unrecognised header lines first. */
  paragraphs: string[];
  unrecognised: string[];
  /** Menu entries of a saved web page that were left out. */
  skippedMenuLines: number;
  /** The 信息公开 block, when the page has one. */
  disclosure: DisclosureFields;
  /** The portal's sign-off (一审：… 二审：…): kept as information, not body. */
  reviews: string[];
  /** Fields left empty on purpose, with what the page said. */
  uncertain: UncertainField[];
  /** File names of the page's attachment links under the article: named to the writer, not body text. */
  attachments: string[];
}

/** How far down the page the header may reach (non-empty lines). */
const HEADER_WINDOW = 16;
/** A line at least this long that ends without punctuation was wrapped by the source, not by the writer. */
const HARD_WRAP_MIN = 30;

/** Columns pasted from a table: tabs or runs of spaces. Such rows are never joined. */
const TABULAR = /\t| {2,}|\u3000{2,}/u;
/** 一、 （二） 3. 4、: a new item, not the rest of the previous line. */
const ITEM_START = /^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、．])/u;

interface Line {
  text: string;
  /** A blank line came before it: a paragraph boundary. */
  afterBlank: boolean;
}

function toLines(text: string): Line[] {
  const lines: Line[] = [];
  let afterBlank = true;
  for (const raw of text.replace(/^\uFEFF/u, '').split(/\r\n|\r|\n|\u2028|\u2029/u)) {
    // Leading 　　 is how portals indent paragraphs: a style, not text.
    const trimmed = raw.replace(/[\u00A0\u2002\u2003\u2009]/gu, ' ').replace(/^[\s\u3000]+|[\s\u3000]+$/gu, '');
    if (!trimmed) {
      afterBlank = true;
      continue;
    }
    lines.push({ text: trimmed, afterBlank });
    afterBlank = false;
  }
  return lines;
}

function isSubtitleMarked(text: string): boolean {
  return /^[—─－]{1,2}|^--/u.test(text);
}

function stripSubtitleMark(text: string): string {
  return text.replace(/^(?:[—─－]{1,2}|--)\s*/u, '').trim();
}

interface Header {
  title: string | null;
  subtitle: string | null;
  column: string[];
  info: InfoFields;
  unrecognised: string[];
  /** Menu entries of a saved web page that were left out. */
  skippedMenuLines: number;
  bodyStart: number;
  disclosure: DisclosureFields;
  reviews: string[];
  /** The title a breadcrumb printed as its last segment. */
  crumbTitle: string | null;
  uncertain: UncertainField[];
}

/** How far down a saved page (with its menus) the breadcrumb may be. */
const BREADCRUMB_WINDOW = 300;

/** Reads breadcrumb, title, subtitle and info line from the top of the page. */
function readHeader(lines: Line[]): Header {
  const header: Header = {
    title: null,
    subtitle: null,
    column: [],
    info: emptyInfo(),
    unrecognised: [],
    skippedMenuLines: 0,
    bodyStart: 0,
    disclosure: emptyDisclosure(),
    reviews: [],
    crumbTitle: null,
    uncertain: [],
  };
  let start = 0;
  const crumbAt = lines.slice(0, BREADCRUMB_WINDOW).findIndex((line) => parseBreadcrumbLine(line.text) !== null);
  if (crumbAt >= 0) {
    const crumb = parseBreadcrumbLine(lines[crumbAt]?.text ?? '');
    header.column = crumb?.column ?? [];
    header.crumbTitle = crumb?.title ?? null;
    // Whatever stood above the breadcrumb is the site's banner or menu.
    const above = lines
      .slice(0, crumbAt)
      .map((line) => line.text)
      .filter((text) => !isChromeLine(text));
    // Short lines are the site's menu, whether the page was saved or copied; so is a line of
    // short entries spaced apart (首页  政务公开  互动交流), which above the breadcrumb is no table.
    const isMenu = (text: string) => text.split(TABULAR).every((entry) => entry.length <= MENU_ENTRY_MAX);
    header.unrecognised = above.filter((text) => !isMenu(text));
    header.skippedMenuLines = above.length - header.unrecognised.length;
    start = crumbAt + 1;
  }
  // Candidates are lines we could not classify yet: title, subtitle or stray page text.
  const candidates: string[] = [];
  let sawInfo = false;
  let sawBlock = false;
  let index = start;
  const limit = () => Math.min(lines.length, start + HEADER_WINDOW + (sawBlock ? 8 : 0));
  for (; index < limit(); index++) {
    const text = lines[index]?.text ?? '';
    if (isChromeLine(text) || isBareCounterLine(text)) continue;
    if (header.column.includes(text)) continue; // the column name repeated as a heading
    let block = parseDisclosureLine(text);
    // 发布日期：2022年3月8日 信息来源：区林业局 reads as the block's 发布日期 with an unreadable value; read whole, it is the info line.
    if (block && !block.exclusive && block.unreadable.length > 0 && parseInfoLine(text)) block = null;
    if (block && (block.exclusive || sawBlock)) {
      header.disclosure = mergeDisclosure(header.disclosure, block.fields);
      if (block.unreadable.length > 0) header.uncertain.push({ field: 'disclosure', candidates: [text] });
      sawBlock = true;
      continue;
    }
    const review = parseReviewLine(text);
    if (review) {
      header.reviews.push(...review.entries);
      if (review.editor) header.info = mergeInfo(header.info, { ...emptyInfo(), editor: review.editor });
      continue;
    }
    const info = parseInfoLine(text);
    if (info) {
      header.info = mergeInfo(header.info, info);
      sawInfo = true;
      continue;
    }
    if (sawInfo) break;
    // A sentence before any info line means the page has no header we can trust.
    if (!looksLikeTitle(text) && !isSubtitleMarked(text)) break;
    candidates.push(text);
  }
  if (sawInfo || (sawBlock && candidates.length > 0) || (sawBlock && header.disclosure.title !== null)) {
    placeTitle(header, candidates);
    header.bodyStart = index;
    settleTitle(header);
    return header;
  }
  readHeaderWithoutInfo(lines, header, start);
  settleTitle(header);
  return header;
}

/**
 * The title the 信息公开 block (名称) or the breadcrumb printed must agree with the heading;
 * when there is no heading, it is the title.
 */
function settleTitle(header: Header): void {
  const crumb = header.crumbTitle;
  if (crumb !== null && header.title !== null && !sameTitle(header.title, crumb)) {
    // The heading says otherwise: that last segment was a long column name after all.
    header.column.push(crumb);
    header.crumbTitle = null;
  }
  const named = [header.disclosure.title, header.crumbTitle].filter((value): value is string => value !== null);
  for (const other of named) {
    if (header.title === null) {
      if (TRUNCATED.test(other)) header.uncertain.push({ field: 'title', candidates: [other] });
      else header.title = other;
      continue;
    }
    if (!sameTitle(header.title, other)) {
      // Two different titles on one page: the writer decides, the importer does not.
      header.uncertain.push({ field: 'title', candidates: [header.title, other] });
      header.unrecognised.unshift(header.title);
      header.title = null;
      header.subtitle = null;
      return;
    }
  }
  const last = header.column[header.column.length - 1];
  if (header.title !== null && header.column.length > 1 && last === header.title) header.column.pop();
}

/** The breadcrumb may cut a long title short with an ellipsis. */
function sameTitle(title: string, other: string): boolean {
  const squeeze = (text: string) => text.replace(/[\s\u3000]+/gu, '');
  const a = squeeze(title);
  const b = squeeze(other);
  if (a === b) return true;
  return TRUNCATED.test(b) && b.replace(TRUNCATED, '').length >= 8 && a.startsWith(b.replace(TRUNCATED, ''));
}

const TRUNCATED = /(?:\.{2,}|…+)$/u;

/** Title and subtitle out of the lines between the breadcrumb and the info line. */
function placeTitle(header: Header, candidates: string[]): void {
  const last = candidates[candidates.length - 1];
  const previous = candidates[candidates.length - 2];
  let used = 0;
  if (last !== undefined && previous !== undefined && isSubtitleMarked(last)) {
    header.title = previous;
    header.subtitle = stripSubtitleMark(last);
    used = 2;
  } else if (last !== undefined && previous !== undefined && previous.length <= 8 && last.length > previous.length) {
    // A short heading like 新闻中心 above a longer line: the longer line is the title.
    header.title = last;
    used = 1;
  } else if (last !== undefined && previous !== undefined && last.length <= 40) {
    header.title = previous;
    header.subtitle = last;
    used = 2;
  } else if (last !== undefined) {
    header.title = last;
    used = 1;
  }
  header.unrecognised.push(...candidates.slice(0, candidates.length - used));
}

/** No info line: take the first title-like line after the breadcrumb, if the text goes on after it. */
function readHeaderWithoutInfo(lines: Line[], header: Header, start: number): void {
  let index = start;
  while (index < lines.length) {
    const text = lines[index]?.text ?? '';
    if (!isChromeLine(text) && !header.column.includes(text)) break;
    index++;
  }
  const first = lines[index]?.text;
  if (first !== undefined && looksLikeTitle(first) && index + 1 < lines.length) {
    header.title = first;
    index++;
    const next = lines[index]?.text;
    if (next !== undefined && isSubtitleMarked(next)) {
      header.subtitle = stripSubtitleMark(next);
      index++;
    }
  }
  header.bodyStart = index;
}

/** Joins lines into paragraphs: a blank line always ends one; so does a line ending a sentence. */
function toParagraphs(lines: Line[]): string[] {
  const paragraphs: string[] = [];
  let previous: Line | null = null;
  for (const line of lines) {
    const last = paragraphs[paragraphs.length - 1];
    const wrapped =
      previous !== null &&
      !line.afterBlank &&
      last !== undefined &&
      previous.text.length >= HARD_WRAP_MIN &&
      !/[。！？；：”’」』）)…．.!?;:]$/u.test(previous.text) &&
      !TABULAR.test(previous.text) &&
      !TABULAR.test(line.text) &&
      !ITEM_START.test(line.text);
    if (wrapped && last !== undefined) paragraphs[paragraphs.length - 1] = last + line.text;
    else paragraphs.push(line.text);
    previous = line;
  }
  return paragraphs;
}

function mergeByline(info: InfoFields, byline: Byline): InfoFields {
  return mergeInfo(info, { ...emptyInfo(), ...byline });
}

/**
 * 责任编辑：张三 under the article. A bare date there is the signing date of a
 * notice — the writer's text, not page furniture — so it is not taken.
 */
export function closingInfoLine(line: string): InfoFields | null {
  const info = parseInfoLine(line);
  if (!info || info.date !== null || !/[:：]/u.test(line)) return null;
  return info;
}

/** 附件：, 附件下载：, 相关附件： alone on a line, over a list of files. */
const ATTACHMENT_LABEL = /^[【[]?(?:附件|相关附件|附件下载|下载附件|附件列表)[】\]]?\s*[:：]?$/u;
/** 附件：1.实施方案.docx, 2.汇总表.xlsx: a line naming one file, by its extension. */
const ATTACHMENT_FILE =
  /^(?:[【[]?(?:附件|相关附件|附件下载)\s*\d*[】\]]?\s*[:：]\s*)?(?:\d{1,2}\s*[.、．]\s*)?[^。！？]{1,120}\.(?:pdf|docx?|xlsx?|wps|et|ofd|zip|rar|7z|pptx?|txt|jpe?g|png)$/iu;

/**
 * The download list under an article: lines that each name a file, at the very end, with
 * their label. A 公文's own 附件说明 comes before its 落款 and names documents, not files.
 */
function peelAttachments(paragraphs: string[]): string[] {
  let end = paragraphs.length;
  while (end > 0 && ATTACHMENT_FILE.test(paragraphs[end - 1] ?? '')) end--;
  if (end === paragraphs.length) return [];
  const files = paragraphs.splice(end);
  if (end > 0 && ATTACHMENT_LABEL.test(paragraphs[end - 1] ?? '')) paragraphs.splice(end - 1);
  return files;
}

/** The article body out of the lines under the header, and what the lines at its end said. */
export interface BodyParts {
  /** File names of the attachment list under the article. */
  attachments: string[];
  /** Fields the lines under the article contradict (another 来源 than the one above it). */
  conflicts: UncertainField[];
  paragraphs: string[];
  /** Long lines after the page-end marker: possibly the writer's, so kept and listed. */
  trailing: string[];
  info: InfoFields;
  reviews: string[];
}

/**
 * Body paragraphs out of page lines: page chrome, the 一审/二审/三审 sign-off and
 * visit counters come out; bylines and editor lines at the end go into `info`.
 */
function readBody(lines: Line[], startInfo: InfoFields): BodyParts {
  let info = startInfo;
  const reviews: string[] = [];
  const bodyLines: Line[] = [];
  const trailing: string[] = [];
  let pageEnded = false;
  for (const line of lines) {
    if (!pageEnded && isPageEndLine(line.text)) pageEnded = true;
    if (isChromeLine(line.text)) continue;
    const review = parseReviewLine(line.text);
    if (review) {
      reviews.push(...review.entries);
      if (review.editor) info = mergeInfo(info, { ...emptyInfo(), editor: review.editor });
      continue;
    }
    if (pageEnded) {
      if (!isPageEndLine(line.text)) trailing.push(line.text);
      continue;
    }
    bodyLines.push(line);
  }
  // A bare number under the article is the visit counter whose label stands elsewhere.
  while (bodyLines.length > 0 && isBareCounterLine(bodyLines[bodyLines.length - 1]?.text ?? '')) bodyLines.pop();

  const paragraphs = toParagraphs(bodyLines);
  // A summary box that repeats the article's opening (DedeCMS's 摘要) is not a paragraph of its own.
  const [opening, next] = paragraphs;
  if (opening !== undefined && next !== undefined && opening.length >= 15 && next.length > opening.length && next.startsWith(opening)) paragraphs.shift();
  const attachments = peelAttachments(paragraphs);
  /** Every 来源 the page gave once two of them disagree. */
  const sources: string[] = [];
  // Bylines and editor lines close the article: peel them off from the end.
  for (;;) {
    const last = paragraphs[paragraphs.length - 1];
    if (last === undefined) break;
    const byline = parseBylineLine(last);
    if (byline && bylineConflicts(info, byline)) break;
    const infoLine = byline ? null : closingInfoLine(last);
    if (byline) info = mergeByline(info, byline);
    else if (infoLine && paragraphs.length > 1) {
      // 来源 under the article naming another source than the one above it: which is right the page cannot say.
      if (infoLine.source !== null && info.source !== null && infoLine.source !== info.source) {
        sources.push(info.source, infoLine.source);
        info = { ...info, source: null };
      } else if (infoLine.source !== null && sources.length > 0 && !sources.includes(infoLine.source)) sources.push(infoLine.source);
      info = mergeInfo(info, sources.length > 0 ? { ...infoLine, source: null } : infoLine);
    } else {
      const glued = splitTrailingByline(last);
      if (glued && !bylineConflicts(info, glued.byline)) {
        paragraphs[paragraphs.length - 1] = glued.text;
        info = mergeByline(info, glued.byline);
      }
      break;
    }
    paragraphs.pop();
  }
  attachments.unshift(...peelAttachments(paragraphs));
  const conflicts: UncertainField[] = sources.length > 0 ? [{ field: 'source', candidates: [...new Set(sources)] }] : [];
  return { attachments, paragraphs, trailing: trailing.filter((line) => line.length > 40), info, reviews, conflicts };
}

/** The body of a page's content container (the HTML reader found it), cleaned as page text is. */
export function splitBodyText(text: string): BodyParts {
  return readBody(toLines(text), emptyInfo());
}

/** Splits portal page text into its parts; see {@link PortalTextParts}. */
export function splitPortalText(text: string): PortalTextParts {
  const lines = toLines(text);
  const header = readHeader(lines);
  const body = readBody(lines.slice(header.bodyStart), header.info);
  const uncertain = [...header.uncertain, ...body.conflicts];
  let info = body.info;
  const block = header.disclosure;
  // The block's 发布日期 is the publication date; two different dates on one page leave it to the writer.
  if (block.publishDate !== null) {
    if (info.date === null) info = { ...info, date: block.publishDate, time: block.publishTime };
    else if (info.date !== block.publishDate) {
      uncertain.push({ field: 'date', candidates: [info.date, block.publishDate] });
      info = { ...info, date: null, time: null };
    }
  }
  if (block.publisher !== null) info = mergeInfo(info, { ...emptyInfo(), publisher: block.publisher });
  // Stray text after the page-end marker may still be the writer's: keep it, but say so.
  const unrecognised = [...header.unrecognised, ...body.trailing];
  return {
    title: header.title,
    subtitle: header.subtitle,
    column: header.column,
    info,
    paragraphs: [...header.unrecognised, ...body.paragraphs, ...body.trailing],
    unrecognised,
    skippedMenuLines: header.skippedMenuLines,
    disclosure: block,
    reviews: [...header.reviews, ...body.reviews],
    uncertain,
    attachments: body.attachments,
  };
}
