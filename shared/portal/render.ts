import { Liquid, LiquidError, type Template } from 'liquidjs';
import type { Article, ArticleMeta, Disclosure } from '../domain/article';
import type { Locale } from '../domain/settings';
import { writtenDateText } from '../domain/disclosure';
import type { Doc, DocMark, DocNode } from '../domain/doc';
import { docToHtml, isSafeHref, isSafeImageSrc, type ResolvedImage } from '../html/serialize';
import { pageLabels, portalText } from './labels';
import { findColumnNode } from './listing';
import {
  type ArticleRef,
  absoluteUrl,
  columnKey,
  articleDate,
  articleRelativePath,
  columnIndexRelativePath,
  relativeColumn,
  type SiteImage,
  type SiteProfile,
  siteHref,
} from './site';
import { DEFAULT_THEME } from './theme/default';

export { renderRss, renderSitemap, type RssInput, type SitemapEntry } from './feeds';

/**
 * The one portal renderer: the same input yields byte-identical HTML in the
 * browser (preview) and in Node (static publishing) — no clock, no randomness,
 * no environment lookups. Templates are liquid; every `{{ }}` output is
 * HTML-escaped, and the only raw HTML is the body from docToHtml and the CSS.
 */

/** Maps a doc/site asset reference (`assets/<file>`) to the URL the page should load it from. */
export type ResolveSrc = (src: string) => string;

/** A theme as file name → content: `layout.liquid`, `article.liquid`, `column.liquid`, `home.liquid`, `breadcrumb.liquid`, `style.css`. */
export type ThemeFiles = Readonly<Record<string, string>>;

/** Where a template went wrong; `line` is 1-based, 0 when unknown. */
export interface TemplateError {
  file: string;
  line: number;
  message: string;
}

/** A rendered page, or the template error that stopped it. */
export type RenderResult = { html: string } | { error: TemplateError };

/** What the renderer needs of an article; a full Article satisfies it. */
export type PortalArticle = Pick<Article, 'id' | 'createdAt' | 'meta' | 'doc'>;

/** The published files of a picture (see ResolvedImage), or null where the page keeps `assets` and the node's size. */
export type ResolveImage = (src: string) => ResolvedImage | null;

/** Options common to every page. */
export interface PageOptions {
  site: SiteProfile;
  assets: ResolveSrc;
  /** Processed photos (static publishing): page-size file, 2× file, pixel size. */
  images?: ResolveImage;
  /** Replacement theme files; anything left out comes from the default theme. */
  templates?: ThemeFiles;
  /** 长者/适老化 mode: larger text everywhere, via the `elder` class on `<html>`. */
  largeText?: boolean;
}

/**
 * What publishing adds to an article, outside its approved content: the
 * 索引号 assigned at first publication (it cannot be approved, it does not
 * exist yet) and who approved it at each stage, read from the verified record
 * when the job was queued.
 */
export interface PublicationFacts {
  /** null when the site numbers nothing (no organ code) or the article carries no 信息公开 block. */
  indexNo: string | null;
  /** One per review stage, in the chain's order. */
  reviews: readonly { stage: string; name: string }[];
}

/** Input of {@link renderArticlePage}. */
export interface ArticlePageInput extends PageOptions {
  article: PortalArticle;
  /** Absent (undefined) in the preview, where nothing is numbered yet; null for a live copy that recorded none. */
  publication?: PublicationFacts | null;
  /** The newer neighbour in the same column (上一篇). */
  prev?: ArticleRef | null;
  /** The older neighbour in the same column (下一篇). */
  next?: ArticleRef | null;
}

/** Input of {@link renderColumnIndexPage}: one page of a column's list. */
export interface ColumnPageInput extends PageOptions {
  /** The column path (with or without the root 首页). */
  column: readonly string[];
  /** This page's articles, already sorted and sliced. */
  items: readonly ArticleRef[];
  /** 1-based. */
  page: number;
  pageCount: number;
  /** Articles in the column across all pages. */
  total: number;
}

/** Input of {@link renderHomePage}. */
export interface HomePageInput extends PageOptions {
  latest: readonly ArticleRef[];
  sections: readonly { column: readonly string[]; items: readonly ArticleRef[] }[];
}

/** File extensions of attachments (non-image files an article links to). */
const ATTACHMENT_EXTENSIONS = new Set([
  'pdf', 'doc', 'docx', 'xls', 'xlsx', 'ppt', 'pptx', 'wps', 'et', 'dps', 'ofd', 'txt', 'csv', 'rtf', 'zip', 'rar', '7z',
]);
const IMAGE_EXTENSIONS = new Set(['png', 'jpg', 'jpeg', 'gif', 'webp', 'bmp', 'avif', 'svg']);

/** A reference to a file stored in the workspace beside the article (as opposed to a web address). */
export function isWorkspaceAsset(src: string): boolean {
  return /^assets\/[^/]/.test(src.trim());
}

function extensionOf(href: string): string {
  const path = href.split(/[?#]/)[0] ?? '';
  const dot = path.lastIndexOf('.');
  return dot >= 0 && dot > path.lastIndexOf('/') ? path.slice(dot + 1).toLowerCase() : '';
}

function isAttachmentHref(href: string): boolean {
  const ext = extensionOf(href);
  if (IMAGE_EXTENSIONS.has(ext)) return false;
  return ATTACHMENT_EXTENSIONS.has(ext) || (isWorkspaceAsset(href) && ext !== '' && ext !== 'html' && ext !== 'htm');
}

function linkHref(mark: DocMark): string {
  const href = mark.attrs?.href;
  return typeof href === 'string' ? href.trim() : '';
}

/**
 * Rewrites links to workspace files through the asset resolver (docToHtml only
 * resolves image sources). Returns the same objects where nothing changed.
 */
function resolveLinks(node: DocNode, assets: ResolveSrc): DocNode {
  let marks = node.marks;
  if (marks?.some((mark) => mark.type === 'link' && isWorkspaceAsset(linkHref(mark)))) {
    marks = marks.map((mark) =>
      mark.type === 'link' && isWorkspaceAsset(linkHref(mark))
        ? { ...mark, attrs: { ...mark.attrs, href: assets(linkHref(mark)) } }
        : mark,
    );
  }
  let content = node.content;
  if (content) {
    const mapped = content.map((child) => resolveLinks(child, assets));
    if (mapped.some((child, i) => child !== content?.[i])) content = mapped;
  }
  if (marks === node.marks && content === node.content) return node;
  return { ...node, ...(marks ? { marks } : {}), ...(content ? { content } : {}) };
}

/** Linked files (附件) in document order, named by their link text. */
function collectAttachments(doc: Doc, assets: ResolveSrc): { name: string; href: string }[] {
  const found = new Map<string, string>();
  const walk = (node: DocNode): void => {
    if (node.type === 'text') {
      for (const mark of node.marks ?? []) {
        const href = linkHref(mark);
        if (mark.type !== 'link' || !isSafeHref(href) || !isAttachmentHref(href)) continue;
        found.set(href, (found.get(href) ?? '') + (node.text ?? ''));
      }
      return;
    }
    for (const child of node.content ?? []) walk(child);
  };
  walk(doc);
  return [...found].map(([href, text]) => ({
    name: text.trim() || decodeFileName(href),
    href: isWorkspaceAsset(href) ? assets(href) : href,
  }));
}

function decodeFileName(href: string): string {
  const last = (href.split(/[?#]/)[0] ?? '').split('/').pop() ?? href;
  try {
    return decodeURIComponent(last);
  } catch {
    return last;
  }
}

/** 'YYYY-MM-DDTHH:mm' → 'YYYY-MM-DD HH:mm', as portals print it. */
function printedDate(value: string): string {
  return value.replace('T', ' ');
}

function resolveSiteImage(image: SiteImage | null, site: SiteProfile, assets: ResolveSrc): SiteImage | null {
  if (!image) return null;
  const src = image.src.trim();
  let resolved: string;
  if (isWorkspaceAsset(src)) resolved = assets(src);
  else if (src.startsWith('/') && !src.startsWith('//')) resolved = siteHref(site, src);
  else resolved = src;
  return isSafeImageSrc(resolved) ? { src: resolved, alt: image.alt } : null;
}

function resolveNavHref(site: SiteProfile, href: string): string | null {
  if (!isSafeHref(href)) return null;
  return href.startsWith('/') && !href.startsWith('//') ? siteHref(site, href) : href;
}

function untitled(site: SiteProfile): string {
  return portalText(site.locale, 'portal.page.untitled');
}

function listItem(site: SiteProfile, article: ArticleRef) {
  return {
    title: article.meta.title.trim() || untitled(site),
    href: siteHref(site, articleRelativePath(site, article)),
    date: articleDate(article),
  };
}

function breadcrumbFor(site: SiteProfile, column: readonly string[]) {
  const crumbs = [{ label: portalText(site.locale, 'portal.page.home'), href: siteHref(site, 'index.html') }];
  const relative = relativeColumn(site, column);
  for (let depth = 1; depth <= relative.length; depth++) {
    const path = relative.slice(0, depth);
    crumbs.push({ label: path[depth - 1] ?? '', href: siteHref(site, columnIndexRelativePath(site, path)) });
  }
  return crumbs;
}

/** The variables every template sees: `site`, `footerText`, `labels`, `css`. */
function commonScope(options: PageOptions, files: ThemeFiles) {
  const { site } = options;
  const { footer, locale } = site;
  const line = (key: Parameters<typeof portalText>[1], value: string) =>
    value ? portalText(locale, key, { value }) : null;
  return {
    site: {
      name: site.name,
      lang: locale === 'zh-CN' ? 'zh-CN' : 'en',
      homeHref: siteHref(site, 'index.html'),
      rssHref: siteHref(site, 'rss.xml'),
      logo: resolveSiteImage(site.logo, site, options.assets),
      banner: resolveSiteImage(site.banner, site, options.assets),
      nav: site.nav.flatMap((link) => {
        const href = resolveNavHref(site, link.href);
        return href === null ? [] : [{ label: link.label, href }];
      }),
      footer: {
        ...footer,
        icpUrl: isSafeHref(footer.icpUrl) ? footer.icpUrl : '',
        policeUrl: isSafeHref(footer.policeUrl) ? footer.policeUrl : '',
      },
    },
    footerText: {
      sponsor: line('portal.page.sponsor', footer.sponsor),
      organizer: line('portal.page.organizer', footer.organizer),
      address: line('portal.page.address', footer.address),
      phone: line('portal.page.phone', footer.phone),
      email: line('portal.page.email', footer.email),
      siteCode: line('portal.page.site_code', footer.siteCode),
      icp: line('portal.page.icp', footer.icp),
      police: line('portal.page.police', footer.police),
    },
    labels: pageLabels(locale),
    // A stray </style> in a custom stylesheet must not end the style element early.
    css: (files['style.css'] ?? '').replace(/<\/style/gi, '<\\/style'),
  };
}

interface Engine {
  liquid: Liquid;
  files: ThemeFiles;
  parsed: Map<string, Template[]>;
}

const engines = new Map<string, Engine>();
const MAX_CACHED_ENGINES = 8;
let defaultEngine: Engine | null = null;

/**
 * One liquid instance per distinct theme, kept so a debounced preview or a
 * 1,000-page build parses each template once. Keyed by content, so a caller
 * passing a fresh but equal map still hits the cache.
 */
function engineFor(templates: ThemeFiles | undefined): Engine {
  if (!templates) {
    defaultEngine ??= createEngine(undefined);
    return defaultEngine;
  }
  return createEngine(templates);
}

function mergedTheme(templates: ThemeFiles | undefined): Record<string, string> {
  const files: Record<string, string> = { ...DEFAULT_THEME };
  for (const [name, content] of Object.entries(templates ?? {})) {
    if (typeof content === 'string') files[name] = content;
  }
  return files;
}

function createEngine(templates: ThemeFiles | undefined): Engine {
  const files = mergedTheme(templates);
  const key = themeKey(templates);
  const cached = engines.get(key);
  if (cached) return cached;
  const liquid = new Liquid({
    templates: files,
    outputEscape: 'escape',
    strictFilters: true,
    strictVariables: false,
    // '' and [] are "nothing" in the templates, as the office's template authors expect.
    jsTruthy: true,
    ownPropertyOnly: true,
    cache: true,
    // A custom template with a runaway loop must fail with a message, not freeze the editor.
    parseLimit: 10_000_000,
    renderLimit: 2_000,
    memoryLimit: 200_000_000,
  });
  const engine: Engine = { liquid, files, parsed: new Map() };
  if (engines.size >= MAX_CACHED_ENGINES) {
    const oldest = engines.keys().next().value;
    if (oldest !== undefined) engines.delete(oldest);
  }
  engines.set(key, engine);
  return engine;
}

/** A fingerprint of the effective theme (defaults plus overrides), for build caches. */
export function themeKey(templates?: ThemeFiles): string {
  const files = mergedTheme(templates);
  return JSON.stringify(Object.keys(files).sort().map((name) => [name, files[name]]));
}

function toTemplateError(error: unknown, file: string): TemplateError {
  if (error instanceof LiquidError || LiquidError.is(error)) {
    const token = (error as LiquidError).token;
    const [line = 0] = token ? token.getPosition() : [];
    const message = (error as Error).message.replace(/(, file:.*?)?, line:\d+, col:\d+$/s, '');
    return { file: token?.file || file, line, message };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { file, line: 0, message };
}

function renderFile(options: PageOptions, file: string, scope: Record<string, unknown>): RenderResult {
  try {
    const engine = engineFor(options.templates);
    let templates = engine.parsed.get(file);
    if (!templates) {
      if (!Object.hasOwn(engine.files, file)) return { error: { file, line: 0, message: 'template file is missing' } };
      templates = engine.liquid.parseFileSync(file);
      engine.parsed.set(file, templates);
    }
    const html: unknown = engine.liquid.renderSync(templates, { ...commonScope(options, engine.files), ...scope });
    return { html: String(html) };
  } catch (error) {
    return { error: toTemplateError(error, file) };
  }
}

/** A template error as one sentence in the user's language. */
export function describeTemplateError(locale: SiteProfile['locale'], error: TemplateError): string {
  return error.line > 0
    ? portalText(locale, 'portal.error.template', { ...error })
    : portalText(locale, 'portal.error.template_no_line', { file: error.file, message: error.message });
}

const CHINESE_DIGITS = ['', '一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

function pairRows(cells: { label: string; value: string }[]): { label: string; value: string }[][] {
  const rows: { label: string; value: string }[][] = [];
  for (let i = 0; i < cells.length; i += 2) rows.push(cells.slice(i, i + 2));
  return rows;
}

function validityText(locale: SiteProfile['locale'], validity: Disclosure['validity']): string {
  const from = validity.from ? writtenDateText(validity.from) : null;
  const until = validity.until ? writtenDateText(validity.until) : null;
  const state = validity.state;
  if (state !== '有效') return until ? portalText(locale, 'portal.disclosure.validity.ended', { state, until }) : state;
  if (from && until) return portalText(locale, 'portal.disclosure.validity.range', { state, from, until });
  if (from) return portalText(locale, 'portal.disclosure.validity.since', { state, from });
  if (until) return portalText(locale, 'portal.disclosure.validity.until', { state, until });
  return state;
}

/**
 * The 信息公开 table as real portals print it above the title: label/value
 * pairs two to a row. A field left empty is left out rather than printed blank.
 */
function disclosureTable(site: SiteProfile, meta: PortalArticle['meta'], publication: PublicationFacts | null | undefined) {
  const d = meta.disclosure;
  if (!d) return null;
  const locale = site.locale;
  const cells: { label: string; value: string }[] = [];
  const add = (key: Parameters<typeof portalText>[1], value: string | null) => {
    if (value && value.trim() !== '') cells.push({ label: portalText(locale, key), value: value.trim() });
  };
  // In the preview the number does not exist yet; saying so beats an empty cell that looks forgotten.
  const indexNo =
    publication === undefined
      ? site.government.indexOrganCode
        ? portalText(locale, 'portal.disclosure.indexNo.pending')
        : null
      : (publication?.indexNo ?? null);
  add('portal.disclosure.indexNo', indexNo);
  add('portal.disclosure.topic', d.topic);
  add('portal.disclosure.publisher', d.publisher);
  add('portal.disclosure.writtenAt', d.writtenAt ? writtenDateText(d.writtenAt) : null);
  add('portal.disclosure.docNo', d.docNo);
  add('portal.disclosure.publishAt', meta.publishAt ? writtenDateText(meta.publishAt) : null);
  add('portal.disclosure.genre', d.genre);
  add('portal.disclosure.validity', validityText(locale, d.validity));
  const rows = pairRows(cells);
  const title = meta.title.trim();
  return {
    caption: portalText(locale, 'portal.disclosure.caption'),
    rows,
    title: title ? { label: portalText(locale, 'portal.disclosure.title'), value: title } : null,
    keywords: meta.keywords.length > 0 ? { label: portalText(locale, 'portal.disclosure.keywords'), value: meta.keywords.join('、') } : null,
  };
}

/** 一审：张三 … from the verified approvals, when the site prints them. */
function reviewLines(site: SiteProfile, publication: PublicationFacts | null | undefined): string[] {
  if (!site.government.showReviews || !publication) return [];
  return publication.reviews.map((review, i) => {
    const n = site.locale === 'zh-CN' ? (CHINESE_DIGITS[i + 1] ?? String(i + 1)) : String(i + 1);
    return portalText(site.locale, 'portal.reviews.line', { stage: portalText(site.locale, 'portal.reviews.stage', { n }), name: review.name });
  });
}

function firstImageSrc(node: DocNode): string | null {
  if (node.type === 'image' && typeof node.attrs?.src === 'string' && node.attrs.src.trim() !== '') return node.attrs.src.trim();
  for (const child of node.content ?? []) {
    const found = firstImageSrc(child);
    if (found) return found;
  }
  return null;
}

/** A page-relative or root-relative URL as an absolute one, for the <meta> elements monitoring reads. */
function absoluteFrom(site: SiteProfile, href: string): string {
  if (/^https?:\/\//i.test(href)) return href;
  const origin = /^https?:\/\/[^/]+/.exec(site.baseUrl)?.[0] ?? '';
  return href.startsWith('/') ? `${origin}${href}` : absoluteUrl(site, href);
}

/**
 * The <meta> elements of the 政府网站网页设计规范 (国办, 2019): site-level on
 * every page (SiteName, SiteDomain, SiteIDCode), column-level on column and
 * article pages (ColumnName, ColumnDescription, ColumnKeywords comma-separated,
 * ColumnType — from the site profile, the column tree having names only), article-level on article pages
 * (ArticleTitle, PubDate as YYYY-MM-DD HH:mm, ContentSource, Keywords
 * comma-separated, Author, Description, Image, Url). PubDate's form is the
 * one government sites' content systems write (their templates format it
 * `yyyy-MM-dd HH:mm`, 24-hour, e.g. 2026-05-18 10:19) and keywords are
 * separated by ASCII commas as they emit them. An unknown value is an
 * empty content attribute, never a guess: PubDate stays a bare date when the
 * article has no time.
 */
export function governmentMeta(
  site: SiteProfile,
  page: { column?: readonly string[]; article?: { meta: PortalArticle['meta']; doc: Doc; url: string }; assets?: ResolveSrc },
): { name: string; content: string }[] {
  const out: { name: string; content: string }[] = [
    { name: 'SiteName', content: site.name },
    { name: 'SiteDomain', content: /^https?:\/\/([^/:]+)/.exec(site.baseUrl)?.[1] ?? '' },
    { name: 'SiteIDCode', content: site.footer.siteCode },
  ];
  if (page.column && relativeColumn(site, page.column).length > 0) {
    const key = columnKey(site, page.column);
    out.push(
      { name: 'ColumnName', content: relativeColumn(site, page.column).at(-1) ?? '' },
      { name: 'ColumnDescription', content: site.government.columnDescriptions[key] ?? '' },
      { name: 'ColumnKeywords', content: (site.government.columnKeywords[key] ?? []).join(',') },
      { name: 'ColumnType', content: site.government.columnTypes[key] ?? '' },
    );
  }
  const article = page.article;
  if (article) {
    const { meta } = article;
    const image = meta.cover?.src ?? firstImageSrc(article.doc);
    const resolved = image ? (page.assets && isWorkspaceAsset(image) ? page.assets(image) : image) : null;
    out.push(
      { name: 'ArticleTitle', content: meta.title.trim() },
      { name: 'PubDate', content: meta.publishAt ? printedDate(meta.publishAt) : '' },
      { name: 'ContentSource', content: meta.source.trim() },
      { name: 'Keywords', content: meta.keywords.join(',') },
      { name: 'Author', content: meta.author.trim() },
      { name: 'Description', content: meta.summary.trim() },
      { name: 'Image', content: resolved && isSafeImageSrc(resolved) ? absoluteFrom(site, resolved) : '' },
      { name: 'Url', content: article.url },
    );
  }
  return out;
}

/** The fields of an article's info line, in the order readers see them. */
export const ARTICLE_INFO_FIELDS = ['time', 'source', 'author', 'photographer', 'editor'] as const;
export type ArticleInfoField = (typeof ARTICLE_INFO_FIELDS)[number];

/**
 * The info line under an article's title (时间：… 来源：… 作者：… 摄影：… 责任编辑：…),
 * one entry per filled field. The portal page and the WordPress/MetaWeblog post
 * body both print it from here, so the credits read the same everywhere.
 */
export function articleInfo(
  locale: Locale,
  meta: Pick<ArticleMeta, 'publishAt' | 'source' | 'author' | 'photographer' | 'editor'>,
  fields: readonly ArticleInfoField[] = ARTICLE_INFO_FIELDS,
): string[] {
  const values: Record<ArticleInfoField, string> = {
    time: meta.publishAt ? printedDate(meta.publishAt) : '',
    source: meta.source,
    author: meta.author,
    photographer: meta.photographer,
    editor: meta.editor,
  };
  return fields.filter((field) => values[field].trim() !== '').map((field) => portalText(locale, `portal.page.${field}`, { value: values[field].trim() }));
}

/** The portal article page: breadcrumb, title, info line, tools, body, attachments, share bar, 上一篇/下一篇, footer. */
export function renderArticlePage(input: ArticlePageInput): RenderResult {
  const { site, article, assets } = input;
  const { meta } = article;
  const locale = site.locale;
  const info = articleInfo(locale, meta);

  const title = meta.title.trim() || untitled(site);
  const relativePath = articleRelativePath(site, article);
  const canonical = absoluteUrl(site, relativePath);
  const share = site.share.flatMap((target) => {
    const href = target.urlTemplate
      .replace(/\{url\}/g, encodeURIComponent(canonical))
      .replace(/\{title\}/g, encodeURIComponent(title));
    return isSafeHref(href) ? [{ name: target.name, href }] : [];
  });
  const column = relativeColumn(site, meta.column);
  const scope = {
    page: {
      kind: 'article',
      title: `${title} - ${site.name}`,
      description: meta.summary.trim() || null,
      keywords: meta.keywords.length > 0 ? meta.keywords.join(',') : null,
      canonical,
      largeText: input.largeText === true,
      govMeta: governmentMeta(site, { column, article: { meta, doc: article.doc, url: canonical }, assets }),
    },
    breadcrumb: breadcrumbFor(site, column),
    article: {
      id: article.id,
      title,
      subtitle: meta.subtitle.trim() || null,
      date: meta.publishAt ? printedDate(meta.publishAt) : null,
      source: meta.source || null,
      author: meta.author || null,
      photographer: meta.photographer || null,
      editor: meta.editor || null,
      keywords: meta.keywords,
      summary: meta.summary.trim() || null,
      info,
      bodyHtml: docToHtml(resolveLinks(article.doc, assets) as Doc, { resolveSrc: assets, resolveImage: input.images }),
      attachments: collectAttachments(article.doc, assets),
      columnHref: siteHref(site, columnIndexRelativePath(site, column)),
      url: canonical,
      disclosure: disclosureTable(site, meta, input.publication),
      reviews: reviewLines(site, input.publication),
    },
    prev: input.prev ? listItem(site, input.prev) : null,
    next: input.next ? listItem(site, input.next) : null,
    share,
  };
  return renderFile(input, 'article.liquid', scope);
}

function pageNumbers(page: number, pageCount: number): number[] {
  const window = 10;
  const start = Math.max(1, Math.min(page - 4, pageCount - window + 1));
  const end = Math.min(pageCount, start + window - 1);
  const out: number[] = [];
  for (let n = start; n <= end; n++) out.push(n);
  return out;
}

/** One page of a column's list, with 首页/上一页/1 2 3/下一页/尾页 links. */
export function renderColumnIndexPage(input: ColumnPageInput): RenderResult {
  const { site } = input;
  const column = relativeColumn(site, input.column);
  const pageCount = Math.max(1, input.pageCount);
  const page = Math.min(Math.max(1, input.page), pageCount);
  const href = (n: number) => siteHref(site, columnIndexRelativePath(site, column, n));
  const name = column.at(-1) ?? portalText(site.locale, 'portal.page.home');
  const node = findColumnNode(site, column);
  const parentNode = column.length > 1 ? findColumnNode(site, column.slice(0, -1)) : null;
  const children = node && node.children.length > 0 ? node.children.map((child) => [...column, child.name]) : null;
  const siblings = parentNode ? parentNode.children.map((child) => [...column.slice(0, -1), child.name]) : [];
  const subcolumns = (children ?? siblings).map((path) => ({
    name: path.at(-1) ?? '',
    href: siteHref(site, columnIndexRelativePath(site, path)),
  }));
  const scope = {
    page: {
      kind: 'column',
      title: page > 1 ? `${name}（${page}） - ${site.name}` : `${name} - ${site.name}`,
      description: null,
      keywords: null,
      canonical: absoluteUrl(site, columnIndexRelativePath(site, column, page)),
      largeText: input.largeText === true,
      govMeta: governmentMeta(site, { column }),
    },
    breadcrumb: breadcrumbFor(site, column),
    column: { name, href: href(1) },
    subcolumns,
    items: input.items.map((article) => listItem(site, article)),
    pagination: {
      page,
      pageCount,
      total: input.total,
      status: portalText(site.locale, 'portal.page.page_status', { total: input.total, page, pageCount }),
      first: page > 1 ? href(1) : null,
      prev: page > 1 ? href(page - 1) : null,
      next: page < pageCount ? href(page + 1) : null,
      last: page < pageCount ? href(pageCount) : null,
      pages: pageCount > 1 ? pageNumbers(page, pageCount).map((n) => ({ number: n, href: href(n), current: n === page })) : [],
    },
  };
  return renderFile(input, 'column.liquid', scope);
}

/** The home page: latest articles and one block per top-level column. */
export function renderHomePage(input: HomePageInput): RenderResult {
  const { site } = input;
  const scope = {
    page: {
      kind: 'home',
      title: site.name,
      description: null,
      keywords: null,
      canonical: absoluteUrl(site, ''),
      largeText: input.largeText === true,
      govMeta: governmentMeta(site, {}),
    },
    breadcrumb: breadcrumbFor(site, []),
    latest: input.latest.map((article) => listItem(site, article)),
    sections: input.sections.map((section) => {
      const column = relativeColumn(site, section.column);
      return {
        name: column.at(-1) ?? '',
        href: siteHref(site, columnIndexRelativePath(site, column)),
        items: section.items.map((article) => listItem(site, article)),
      };
    }),
  };
  return renderFile(input, 'home.liquid', scope);
}
