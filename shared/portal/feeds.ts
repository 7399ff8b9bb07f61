import type { Disclosure } from '../domain/article';
import type { Doc } from '../domain/doc';
import { docToPlainText } from '../domain/doc';
import { type ArticleRef, absoluteUrl, articleRelativePath, type SiteProfile } from './site';

/** RSS 2.0 and sitemap.xml, built as strings so they are valid XML whatever the titles contain. */

/**
 * Escapes for XML text and attributes, dropping characters XML 1.0 forbids
 * (control characters, lone surrogates) that would make the whole feed unreadable.
 */
export function escapeXml(text: string): string {
  return (
    text
      .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
  );
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** 'YYYY-MM-DD[THH:mm]' in the office's zone → RFC 822 as RSS requires, e.g. 'Thu, 20 May 2021 00:00:00 +0800'. */
export function rfc822(localDateTime: string, utcOffset: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}))?/.exec(localDateTime);
  if (!match) return `Thu, 01 Jan 1970 00:00:00 ${utcOffset}`;
  const [, y = '1970', mo = '01', d = '01', h = '00', mi = '00'] = match;
  // The weekday of a calendar date does not depend on the zone, so UTC arithmetic is exact here.
  const weekday = DAYS[new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d))).getUTCDay()] ?? 'Thu';
  return `${weekday}, ${d} ${MONTHS[Number(mo) - 1] ?? 'Jan'} ${y} ${h}:${mi}:00 ${utcOffset}`;
}

/** An article as the feed needs it; a full Article satisfies it. */
export type RssArticle = ArticleRef & {
  meta: ArticleRef['meta'] & { summary?: string; author?: string; source?: string; disclosure?: Disclosure };
  doc?: Doc;
  /** The 索引号 recorded at publication, if any. */
  publication?: { indexNo: string | null } | null;
};

/**
 * The namespace of the 信息公开 elements in the feed. RSS 2.0 takes extension
 * elements in any namespace; a URN names it without claiming a web domain.
 */
export const DISCLOSURE_NAMESPACE = 'urn:gazette:disclosure:1';

/** The 信息公开 fields of an item as <gov:…> elements; nothing for an article without them. */
function disclosureElements(item: RssArticle): string[] {
  const d = item.meta.disclosure;
  if (!d) return [];
  const out: string[] = [];
  const add = (name: string, value: string | null | undefined) => {
    if (value && value.trim() !== '') out.push(`<gov:${name}>${escapeXml(value.trim())}</gov:${name}>`);
  };
  add('indexNo', item.publication?.indexNo);
  add('docNo', d.docNo);
  add('publisher', d.publisher);
  add('writtenAt', d.writtenAt);
  add('topic', d.topic);
  add('genre', d.genre);
  const from = d.validity.from ? ` from="${escapeXml(d.validity.from)}"` : '';
  const until = d.validity.until ? ` until="${escapeXml(d.validity.until)}"` : '';
  out.push(`<gov:validity${from}${until}>${escapeXml(d.validity.state)}</gov:validity>`);
  return out;
}

/** Input of {@link renderRss}: items in feed order (newest first). */
export interface RssInput {
  site: SiteProfile;
  items: readonly RssArticle[];
  /** Channel description; the site name when absent. */
  description?: string;
}

const EXCERPT_LENGTH = 200;

function excerpt(article: RssArticle): string {
  const summary = article.meta.summary?.trim() ?? '';
  if (summary !== '') return summary;
  if (!article.doc) return '';
  const text = docToPlainText(article.doc).replace(/\s+/g, ' ').trim();
  const chars = Array.from(text);
  return chars.length > EXCERPT_LENGTH ? `${chars.slice(0, EXCERPT_LENGTH).join('')}…` : text;
}

/** RSS 2.0 feed; lastBuildDate is the newest item's date, so the same articles give the same bytes. */
export function renderRss(input: RssInput): string {
  const { site, items } = input;
  const feedUrl = absoluteUrl(site, 'rss.xml');
  const dates = items.map((item) => item.meta.publishAt ?? item.createdAt.slice(0, 10)).sort();
  const newest = dates.at(-1);
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"${items.some((item) => item.meta.disclosure) ? ` xmlns:gov="${DISCLOSURE_NAMESPACE}"` : ''}>`,
    '<channel>',
    `<title>${escapeXml(site.name)}</title>`,
    `<link>${escapeXml(absoluteUrl(site, ''))}</link>`,
    `<description>${escapeXml(input.description ?? site.name)}</description>`,
    `<language>${site.locale === 'zh-CN' ? 'zh-cn' : 'en'}</language>`,
    `<atom:link href="${escapeXml(feedUrl)}" rel="self" type="application/rss+xml"/>`,
  ];
  if (newest) lines.push(`<lastBuildDate>${rfc822(newest, site.utcOffset)}</lastBuildDate>`);
  for (const item of items) {
    const url = absoluteUrl(site, articleRelativePath(site, item));
    lines.push('<item>');
    lines.push(`<title>${escapeXml(item.meta.title.trim())}</title>`);
    lines.push(`<link>${escapeXml(url)}</link>`);
    lines.push(`<guid isPermaLink="true">${escapeXml(url)}</guid>`);
    lines.push(`<pubDate>${rfc822(item.meta.publishAt ?? item.createdAt, site.utcOffset)}</pubDate>`);
    const column = item.meta.column.at(-1);
    if (column) lines.push(`<category>${escapeXml(column)}</category>`);
    const description = excerpt(item);
    if (description) lines.push(`<description>${escapeXml(description)}</description>`);
    lines.push(...disclosureElements(item));
    lines.push('</item>');
  }
  lines.push('</channel>', '</rss>', '');
  return lines.join('\n');
}

/** One sitemap URL: a site-relative path and, optionally, its last change (YYYY-MM-DD). */
export interface SitemapEntry {
  path: string;
  lastmod?: string | null;
}

/** sitemap.xml (sitemaps.org 0.9) for the given pages, in the given order. */
export function renderSitemap(site: SiteProfile, entries: readonly SitemapEntry[]): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>', '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'];
  for (const entry of entries) {
    const lastmod = entry.lastmod && /^\d{4}-\d{2}-\d{2}$/.test(entry.lastmod) ? `<lastmod>${entry.lastmod}</lastmod>` : '';
    lines.push(`<url><loc>${escapeXml(absoluteUrl(site, entry.path))}</loc>${lastmod}</url>`);
  }
  lines.push('</urlset>', '');
  return lines.join('\n');
}
