import { z } from 'zod';
import { isValidOrganCode } from '../domain/disclosure';
import { LocaleSchema } from '../domain/settings';
import { type ColumnNode, ColumnNodeSchema, defaultSettings } from '../domain/settings';

/**
 * A site profile: everything the portal renderer needs to know about one
 * website besides the articles — its name and banner, navigation, column tree
 * with ASCII slugs, footer identifiers and URL scheme. Pure data, valid in the
 * browser and in Node.
 */

/** Slugs end up in URLs and folder names on the server, so only lowercase ASCII. */
export const SLUG_PATTERN = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const SlugSchema = z.string().regex(SLUG_PATTERN, 'slug must be lowercase ASCII letters, digits, - or _');

/** Placeholders the article URL pattern may use. */
export const URL_PATTERN_PLACEHOLDERS = ['column', 'yyyy', 'mm', 'dd', 'id'] as const;

export const SiteImageSchema = z.object({
  /** A workspace asset path (`assets/logo.png`) or an absolute/root-relative URL. */
  src: z.string().trim().min(1),
  alt: z.string().default(''),
});
export type SiteImage = z.infer<typeof SiteImageSchema>;

export const NavLinkSchema = z.object({
  label: z.string().trim().min(1),
  href: z.string().trim().min(1),
});
export type NavLink = z.infer<typeof NavLinkSchema>;

export const SiteFooterSchema = z.object({
  /** 主办单位 */
  sponsor: z.string().trim().default(''),
  /** 承办单位 */
  organizer: z.string().trim().default(''),
  address: z.string().trim().default(''),
  phone: z.string().trim().default(''),
  email: z.string().trim().default(''),
  /** 网站标识码 */
  siteCode: z.string().trim().default(''),
  /** ICP 备案号, e.g. 豫ICP备12345678号 */
  icp: z.string().trim().default(''),
  icpUrl: z.string().trim().default('https://beian.miit.gov.cn/'),
  /** 公安备案号, e.g. 豫公网安备 41070202000123号 */
  police: z.string().trim().default(''),
  policeUrl: z.string().trim().default('https://beian.mps.gov.cn/'),
});
export type SiteFooter = z.infer<typeof SiteFooterSchema>;

/** The identifiers a government site must show on every page (网站标识码, ICP 备案号, 公安备案号). */
export const REQUIRED_SITE_IDENTIFIERS = ['siteCode', 'icp', 'police'] as const;
export type SiteIdentifier = (typeof REQUIRED_SITE_IDENTIFIERS)[number];

/** The required identifiers the site has not filled in yet; publishing is refused while any is missing. */
export function missingSiteIdentifiers(site: { footer: Pick<SiteFooter, SiteIdentifier> }): SiteIdentifier[] {
  return REQUIRED_SITE_IDENTIFIERS.filter((field) => site.footer[field].trim() === '');
}

/** What a government site adds to its pages (政府信息公开, 政府网站网页设计规范). */
export const SiteGovernmentSchema = z.object({
  /**
   * The organ code 索引号 are numbered under (organ/year-serial); '' assigns
   * none. The 网站标识码 (SiteIDCode) is footer.siteCode.
   */
  indexOrganCode: z
    .string()
    .trim()
    .default('')
    .refine((code) => code === '' || isValidOrganCode(code), 'organ code: 4–24 capital letters or digits'),
  /** 一审/二审/三审 lines with the approvers' names under each article, from the verified approvals. Off by default. */
  showReviews: z.boolean().default(false),
  /**
   * Columns (keys as in columnSlugs, e.g. '政务公开/政策文件') whose articles
   * the editor gives the 信息公开 fields, besides 通知/公告/政策文件.
   */
  disclosureColumns: z.array(z.string().trim().min(1)).default([]),
  /** The ColumnType <meta> per column key (e.g. 信息公开); a column not listed gets none. */
  columnTypes: z.record(z.string(), z.string().trim()).default({}),
  /** The ColumnDescription <meta> per column key; the column tree holds names only, so a column not listed gets an empty one. */
  columnDescriptions: z.record(z.string(), z.string().trim()).default({}),
  /** The ColumnKeywords <meta> per column key, one keyword an entry. */
  columnKeywords: z.record(z.string(), z.array(z.string().trim().min(1))).default({}),
});
export type SiteGovernment = z.infer<typeof SiteGovernmentSchema>;

/** A share target as a plain link; `{url}` and `{title}` are replaced URL-encoded. */
export const ShareTargetSchema = z.object({
  name: z.string().trim().min(1),
  urlTemplate: z.string().trim().min(1),
});
export type ShareTarget = z.infer<typeof ShareTargetSchema>;

/** How the site's photos are published (see node/services/media). */
export const SitePhotosSchema = z.object({
  /** Widest a photo is shown on the site's pages, in CSS pixels; a 2× file is made for sharp screens. */
  maxWidth: z.number().int().min(200).max(4000).default(1200),
  /** JPEG/WebP quality, 1–100. */
  quality: z.number().int().min(40).max(100).default(82),
  /** WebP where the target accepts it (static sites, WordPress); JPEG everywhere else. */
  webp: z.boolean().default(false),
  /** The sizes a cover image is cut to for lists and sharing (cropped to fill, centred). */
  thumbnails: z
    .array(z.object({ width: z.number().int().min(16).max(2000), height: z.number().int().min(16).max(2000) }))
    .max(6)
    .default([{ width: 400, height: 300 }]),
});
export type SitePhotos = z.infer<typeof SitePhotosSchema>;

export const SiteProfileSchema = z
  .object({
    id: SlugSchema,
    name: z.string().trim().min(1),
    /** The language of the portal's own labels (当前位置, 上一篇 …), not of the app. */
    locale: LocaleSchema.default('zh-CN'),
    logo: SiteImageSchema.nullable().default(null),
    banner: SiteImageSchema.nullable().default(null),
    nav: z.array(NavLinkSchema).default([]),
    /** The site's column tree, the same shape writers pick from; its root is normally 首页. */
    columns: z.array(ColumnNodeSchema).default([]),
    /**
     * ASCII slug per column, keyed by the column path below the root joined
     * with '/' (e.g. '要闻动态/政务要闻' → 'zwyw'). Pinyin is not available
     * offline, so unmapped columns get a stable fallback (see columnSlug).
     */
    columnSlugs: z.record(z.string(), SlugSchema).default({}),
    footer: SiteFooterSchema.default(SiteFooterSchema.parse({})),
    government: SiteGovernmentSchema.default(SiteGovernmentSchema.parse({})),
    share: z.array(ShareTargetSchema).default([]),
    /** Where the site is served, e.g. https://www.example.gov.cn/ or https://example.gov.cn/kfq/. */
    baseUrl: z
      .string()
      .trim()
      .regex(/^https?:\/\/[^/?#\s]+(\/[^?#\s]*)?$/, 'baseUrl must be an http(s) URL without query or fragment'),
    articleUrlPattern: z.string().trim().default('/{column}/{yyyy}{mm}/t{yyyy}{mm}{dd}_{id}.html'),
    /** Articles per column index page. */
    pageSize: z.number().int().min(1).max(500).default(20),
    /** Articles in the home page's latest list and in each of its column blocks. */
    homeListSize: z.number().int().min(1).max(100).default(8),
    photos: SitePhotosSchema.default(SitePhotosSchema.parse({})),
    /** UTC offset the office's local dates are in; RSS dates need one. */
    utcOffset: z
      .string()
      .regex(/^[+-]\d{4}$/)
      .default('+0800'),
  })
  .superRefine((site, ctx) => {
    const pattern = site.articleUrlPattern;
    if (!pattern.startsWith('/') || !pattern.endsWith('.html')) {
      ctx.addIssue({ code: 'custom', path: ['articleUrlPattern'], message: 'pattern must start with / and end with .html' });
    }
    if (!pattern.includes('{id}')) {
      ctx.addIssue({ code: 'custom', path: ['articleUrlPattern'], message: 'pattern must contain {id} so every article gets its own URL' });
    }
    for (const [, name] of pattern.matchAll(/\{([^}]*)\}/g)) {
      if (!(URL_PATTERN_PLACEHOLDERS as readonly string[]).includes(name ?? '')) {
        ctx.addIssue({ code: 'custom', path: ['articleUrlPattern'], message: `unknown placeholder {${name}}` });
      }
    }
    const literal = pattern.replace(/\{[a-z]+\}/g, '');
    if (!/^[A-Za-z0-9/_.-]*$/.test(literal) || pattern.includes('..') || pattern.includes('//')) {
      ctx.addIssue({ code: 'custom', path: ['articleUrlPattern'], message: 'pattern may only contain ASCII letters, digits, / _ . -' });
    }
    const seen = new Map<string, string>();
    for (const [key, slug] of Object.entries(site.columnSlugs)) {
      const other = seen.get(slug);
      if (other !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['columnSlugs', key], message: `slug “${slug}” is already used by “${other}”` });
      }
      seen.set(slug, key);
      if (RESERVED_SLUGS.has(slug)) {
        ctx.addIssue({ code: 'custom', path: ['columnSlugs', key], message: `slug “${slug}” is reserved` });
      }
    }
  });
export type SiteProfile = z.infer<typeof SiteProfileSchema>;
export type SiteProfileInput = z.input<typeof SiteProfileSchema>;

/** Folder names the static build uses itself. */
const RESERVED_SLUGS = new Set(['assets', 'index', 'rss', 'sitemap']);

/** The slug used for articles filed under no column (or only under the root). */
export const NO_COLUMN_SLUG = 'articles';

/** A development-zone portal like the sample's; the office edits it in settings. */
export function defaultSiteProfile(): SiteProfile {
  return SiteProfileSchema.parse({
    id: 'main',
    name: '新乡经济技术开发区',
    locale: 'zh-CN',
    nav: [
      { label: '首页', href: '/index.html' },
      { label: '要闻动态', href: '/ywdt/index.html' },
      { label: '通知公告', href: '/tzgg/index.html' },
      { label: '政务公开', href: '/zwgk/index.html' },
      { label: '专题专栏', href: '/ztzl/index.html' },
    ],
    columns: defaultSettings().columns,
    columnSlugs: {
      要闻动态: 'ywdt',
      '要闻动态/政务要闻': 'zwyw',
      '要闻动态/部门动态': 'bmdt',
      '要闻动态/基层动态': 'jcdt',
      '要闻动态/媒体关注': 'mtgz',
      通知公告: 'tzgg',
      '通知公告/通知': 'tz',
      '通知公告/公告': 'gg',
      政务公开: 'zwgk',
      '政务公开/政策文件': 'zcwj',
      '政务公开/人事信息': 'rsxx',
      专题专栏: 'ztzl',
    },
    footer: {
      sponsor: '新乡经济技术开发区党政办公室',
      organizer: '新乡经济技术开发区党政办公室',
      address: '新乡市经济技术开发区经八路',
      // The identifiers stay empty: a made-up 备案号 would be published if nobody noticed,
      // so publishing refuses until the office enters its own (see missingSiteIdentifiers).
      phone: '',
      siteCode: '',
      icp: '',
      police: '',
    },
    share: [
      { name: '微博', urlTemplate: 'https://service.weibo.com/share/share.php?url={url}&title={title}' },
      { name: '微信', urlTemplate: 'https://api.qrserver.com/v1/create-qr-code/?size=200x200&data={url}' },
    ],
    baseUrl: 'https://www.xxkfq.gov.cn/',
    pageSize: 20,
    homeListSize: 8,
  });
}

/** The column path below the site's root (首页 is the home page, not a folder). */
export function relativeColumn(site: Pick<SiteProfile, 'columns'>, column: readonly string[]): string[] {
  // With a single top-level node that node is the home page; otherwise 首页 is implied.
  const root = site.columns.length === 1 ? (site.columns[0]?.name ?? '首页') : '首页';
  return column[0] === root ? column.slice(1) : [...column];
}

/** The key a column path is looked up under in `columnSlugs`. */
export function columnKey(site: Pick<SiteProfile, 'columns'>, column: readonly string[]): string {
  return relativeColumn(site, column).join('/');
}

/** Whether the site lists `column` (a path as articles store it) among the columns whose articles carry the 信息公开 fields. */
export function isDisclosureColumn(site: Pick<SiteProfile, 'columns' | 'government'>, column: readonly string[]): boolean {
  const key = columnKey(site, column);
  return key !== '' && site.government.disclosureColumns.includes(key);
}

/** Every column of the site's tree below its root, as the keys the government settings use ('通知公告/通知'), parents first. */
export function columnKeys(site: Pick<SiteProfile, 'columns'>): string[] {
  // The same root rule as relativeColumn: a single top-level node is the home page, else 首页 is implied.
  const top = site.columns.length === 1 ? (site.columns[0]?.children ?? []) : site.columns.flatMap((node) => (node.name === '首页' ? node.children : [node]));
  const out: string[] = [];
  const walk = (nodes: readonly ColumnNode[], prefix: string) => {
    for (const node of nodes) {
      const key = prefix === '' ? node.name : `${prefix}/${node.name}`;
      out.push(key);
      walk(node.children, key);
    }
  };
  walk(top, '');
  return out;
}

/** FNV-1a: a stable short hash that needs neither Node's crypto nor the async WebCrypto. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}

/**
 * The folder name of a column: the configured slug, else the name itself when
 * it is already plain ASCII, else `c` + a hash of the path (stable across builds,
 * so URLs do not move — but the office should configure a readable slug).
 */
export function columnSlug(site: SiteProfile, column: readonly string[]): string {
  const key = columnKey(site, column);
  if (key === '') return NO_COLUMN_SLUG;
  const configured = site.columnSlugs[key];
  if (configured) return configured;
  const leaf = relativeColumn(site, column).at(-1) ?? '';
  const ascii = leaf
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  if (ascii !== '' && /^[\x20-\x7e]+$/.test(leaf) && SLUG_PATTERN.test(ascii) && !RESERVED_SLUGS.has(ascii)) {
    return ascii;
  }
  return `c${fnv1a(key)}`;
}

/** The path the site is mounted under, from baseUrl: '/' or '/kfq/'. */
export function sitePathPrefix(site: SiteProfile): string {
  const match = /^https?:\/\/[^/]+(\/.*)?$/.exec(site.baseUrl);
  const path = match?.[1] ?? '/';
  return path.endsWith('/') ? path : `${path}/`;
}

/** A site-relative path ('zwyw/index.html') → the href pages use ('/kfq/zwyw/index.html'). */
export function siteHref(site: SiteProfile, relativePath: string): string {
  return `${sitePathPrefix(site)}${relativePath.replace(/^\/+/, '')}`;
}

/** A site-relative path → the absolute URL (RSS, sitemap, share links). */
export function absoluteUrl(site: SiteProfile, relativePath: string): string {
  const origin = /^https?:\/\/[^/]+/.exec(site.baseUrl)?.[0] ?? '';
  return `${origin}${siteHref(site, relativePath)}`;
}

/** The date parts an article is filed under: publishAt, else the day it was created. */
export function articleDate(article: { createdAt: string; meta: { publishAt: string | null } }): string {
  const value = article.meta.publishAt ?? article.createdAt;
  return /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : '1970-01-01';
}

/** What the URL helpers need of an article; a full Article satisfies it. */
export interface ArticleRef {
  id: string;
  createdAt: string;
  meta: { title: string; column: string[]; publishAt: string | null };
}

/** The file path of an article page relative to the site root, e.g. 'zwyw/202105/t20210520_abc123.html'. */
export function articleRelativePath(site: SiteProfile, article: ArticleRef): string {
  const [yyyy = '1970', mm = '01', dd = '01'] = articleDate(article).split('-');
  const values: Record<string, string> = {
    column: columnSlug(site, article.meta.column),
    yyyy,
    mm,
    dd,
    id: article.id,
  };
  return site.articleUrlPattern.replace(/\{([a-z]+)\}/g, (whole, name: string) => values[name] ?? whole).replace(/^\/+/, '');
}

/** The relative path of a column index page: page 1 is index.html, page n is index_{n-1}.html (the TRS convention portals use). */
export function columnIndexRelativePath(site: SiteProfile, column: readonly string[], page = 1): string {
  if (relativeColumn(site, column).length === 0) return page <= 1 ? 'index.html' : `index_${page - 1}.html`;
  const slug = columnSlug(site, column);
  return page <= 1 ? `${slug}/index.html` : `${slug}/index_${page - 1}.html`;
}

/** Every column path of the tree below the root, parents before children. */
export function siteColumnPaths(site: SiteProfile): string[][] {
  const out: string[][] = [];
  const walk = (nodes: readonly ColumnNode[], prefix: string[]): void => {
    for (const node of nodes) {
      const path = [...prefix, node.name];
      out.push(path);
      walk(node.children, path);
    }
  };
  const root = site.columns[0];
  if (root && site.columns.length === 1) walk(root.children, [root.name]);
  else walk(site.columns, []);
  return out;
}
