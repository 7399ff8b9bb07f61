import {
  type Byline,
  bylineConflicts,
  emptyInfo,
  type InfoFields,
  isChromeLine,
  isPageEndLine,
  looksLikeTitle,
  mergeInfo,
  parseBreadcrumb,
  parseBylineLine,
  parseInfoLine,
  splitTrailingByline,
} from './header';

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
}

/** Options for {@link splitPortalText}. */
export interface SplitOptions {
  /** The text came from page source, so short lines above the breadcrumb are the site's menu. */
  fromHtml?: boolean;
}

/** How far down a saved page (with its menus) the breadcrumb may be. */
const BREADCRUMB_WINDOW = 300;
/** Menu entries are a few characters: 首页, 政务公开, 办事服务, 互动交流 … */
const MENU_ITEM_MAX = 12;

/** Reads breadcrumb, title, subtitle and info line from the top of the page. */
function readHeader(lines: Line[], options: SplitOptions): Header {
  const header: Header = {
    title: null,
    subtitle: null,
    column: [],
    info: emptyInfo(),
    unrecognised: [],
    skippedMenuLines: 0,
    bodyStart: 0,
  };
  let start = 0;
  const crumbAt = lines.slice(0, BREADCRUMB_WINDOW).findIndex((line) => parseBreadcrumb(line.text) !== null);
  if (crumbAt >= 0) {
    header.column = parseBreadcrumb(lines[crumbAt]?.text ?? '') ?? [];
    // Whatever stood above the breadcrumb is the site's banner or menu.
    const above = lines
      .slice(0, crumbAt)
      .map((line) => line.text)
      .filter((text) => !isChromeLine(text));
    header.unrecognised = options.fromHtml ? above.filter((text) => text.length > MENU_ITEM_MAX) : above;
    header.skippedMenuLines = above.length - header.unrecognised.length;
    start = crumbAt + 1;
  }
  // Candidates are lines we could not classify yet: title, subtitle or stray page text.
  const candidates: string[] = [];
  let sawInfo = false;
  let index = start;
  const limit = Math.min(lines.length, start + HEADER_WINDOW);
  for (; index < limit; index++) {
    const text = lines[index]?.text ?? '';
    if (isChromeLine(text)) continue;
    if (header.column.includes(text)) continue; // the column name repeated as a heading
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
  if (sawInfo) {
    placeTitle(header, candidates);
    header.bodyStart = index;
    return header;
  }
  readHeaderWithoutInfo(lines, header, start);
  return header;
}

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

/** Splits portal page text into its parts; see {@link PortalTextParts}. */
export function splitPortalText(text: string, options: SplitOptions = {}): PortalTextParts {
  const lines = toLines(text);
  const header = readHeader(lines, options);
  let info = header.info;

  const bodyLines: Line[] = [];
  const trailing: string[] = [];
  let pageEnded = false;
  for (const line of lines.slice(header.bodyStart)) {
    if (!pageEnded && isPageEndLine(line.text)) pageEnded = true;
    if (isChromeLine(line.text)) continue;
    if (pageEnded) {
      if (!isPageEndLine(line.text)) trailing.push(line.text);
      continue;
    }
    bodyLines.push(line);
  }

  const paragraphs = toParagraphs(bodyLines);
  // Bylines and editor lines close the article: peel them off from the end.
  for (;;) {
    const last = paragraphs[paragraphs.length - 1];
    if (last === undefined) break;
    const byline = parseBylineLine(last);
    if (byline && bylineConflicts(info, byline)) break;
    const infoLine = byline ? null : closingInfoLine(last);
    if (byline) info = mergeByline(info, byline);
    else if (infoLine && paragraphs.length > 1) info = mergeInfo(info, infoLine);
    else {
      const glued = splitTrailingByline(last);
      if (glued && !bylineConflicts(info, glued.byline)) {
        paragraphs[paragraphs.length - 1] = glued.text;
        info = mergeByline(info, glued.byline);
      }
      break;
    }
    paragraphs.pop();
  }

  // Stray text after the page-end marker may still be the writer's: keep it, but say so.
  const unrecognised = [...header.unrecognised, ...trailing.filter((line) => line.length > 40)];
  const keptTrailing = trailing.filter((line) => line.length > 40);
  return {
    title: header.title,
    subtitle: header.subtitle,
    column: header.column,
    info,
    paragraphs: [...header.unrecognised, ...paragraphs, ...keptTrailing],
    unrecognised,
    skippedMenuLines: header.skippedMenuLines,
  };
}
