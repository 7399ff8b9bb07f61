import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { Article } from '../../../../shared/domain/article';
import type { DocNode } from '../../../../shared/domain/doc';
import type { ResolvedImage } from '../../../../shared/html/serialize';
import { renderSitemap, renderRss, type SitemapEntry } from '../../../../shared/portal/feeds';
import { portalText } from '../../../../shared/portal/labels';
import {
  articlesInColumn,
  homeSectionColumns,
  indexedColumns,
  neighbours,
  sortForListing,
} from '../../../../shared/portal/listing';
import {
  isWorkspaceAsset,
  type PortalArticle,
  type PublicationFacts,
  type RenderResult,
  renderArticlePage,
  renderColumnIndexPage,
  renderHomePage,
  type ResolveImage,
  type ResolveSrc,
  type TemplateError,
  type ThemeFiles,
  themeKey,
} from '../../../../shared/portal/render';
import {
  type ArticleRef,
  articleDate,
  articleRelativePath,
  columnIndexRelativePath,
  type SiteProfile,
  siteHref,
} from '../../../../shared/portal/site';
import {
  MANIFEST_FILE,
  outputFile,
  readManifest,
  removeOutputFile,
  type StaticManifest,
  writeFileAtomic,
  writeManifest,
} from './files';

export { MANIFEST_FILE, readManifest, type StaticManifest } from './files';

/**
 * The static site build: article pages, paginated column indexes,
 * home page, rss.xml, sitemap.xml and content-hashed assets, written into a
 * folder. Incremental: a page whose inputs did not change is not rendered, a
 * page whose bytes did not change is not written, and pages of articles that
 * are gone are deleted. Plain Node; no Electron.
 */

/** Articles as the build needs them; full Articles satisfy it. Withdrawn and trashed ones are left out. */
export type StaticArticle = PortalArticle &
  Partial<Pick<Article, 'status' | 'trashedAt' | 'updatedAt'>> & {
    /** The 索引号 and approvers recorded when the job was queued (absent in live copies older than them). */
    publication?: PublicationFacts | null;
  };

/** The owner id asset lookups use for the site's own images (logo, banner). */
export const SITE_ASSET_OWNER = '@site';

/** One file the photo pipeline made for the site. */
export interface PhotoFile {
  data: Buffer;
  ext: string;
  width: number;
  height: number;
}

/** What the site publishes of one picture (node/services/media): the page-size file, a 2× file, and for a cover its thumbnails. */
export interface PublishedPhoto {
  normal: PhotoFile;
  double: PhotoFile | null;
  thumbnails: PhotoFile[];
}

/** Input of {@link buildStaticSite}. */
export interface StaticBuildInput {
  site: SiteProfile;
  articles: readonly StaticArticle[];
  /** Bytes of an asset an article refers to (`assets/<file>`), or null when it is missing. */
  assetSource: (articleId: string, src: string) => Buffer | null;
  /**
   * The processed files of each picture {@link articlePhotoRefs} lists. When
   * given, a picture is published only as these files (never its workspace
   * bytes): null means it could not be processed and counts as missing.
   * Without it (previews, tests of the pages alone) pictures go out as stored.
   */
  photos?: (articleId: string, src: string) => PublishedPhoto | null;
  outDir: string;
  /** The previous build's manifest; read from outDir when absent. */
  previous?: StaticManifest | null;
  templates?: ThemeFiles;
}

/** Why a build wrote nothing. */
export type StaticBuildProblem =
  | { kind: 'template'; path: string; error: TemplateError }
  | { kind: 'conflict'; path: string; message: string };

/** What a build did; paths are site-relative, sorted. */
export interface StaticBuildResult {
  written: string[];
  unchanged: string[];
  removed: string[];
  /** Non-empty means the build stopped before touching the folder. */
  problems: StaticBuildProblem[];
  /** Assets that could not be found; their pages keep the original reference. */
  missingAssets: { articleId: string; src: string }[];
  warnings: string[];
  manifest: StaticManifest;
}

/** Bump when the page-producing code changes in a way the input fingerprints cannot see. */
const BUILD_FORMAT = 'gazette-static/1';
/** Items in rss.xml. */
const RSS_ITEMS = 50;

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

function isOnline(article: StaticArticle): boolean {
  return (article.trashedAt ?? null) === null && article.status !== 'withdrawn';
}

/** A stable extension for an asset file name: lowercase ASCII, else 'bin'. */
function assetExtension(src: string): string {
  const name = (src.split(/[?#]/)[0] ?? '').split('/').pop() ?? '';
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
  return /^[a-z0-9]{1,8}$/.test(ext) ? ext : 'bin';
}

/** Site-relative path of an asset: `assets/<first 16 hex of sha256>.<ext>`. */
export function assetPath(sha: string, src: string): string {
  return `assets/${sha.slice(0, 16)}.${assetExtension(src)}`;
}

/** Every workspace asset an article's body refers to (images and linked files), in document order. */
export function articleAssetRefs(article: PortalArticle): string[] {
  const found = new Set<string>();
  const walk = (node: DocNode): void => {
    const src = node.type === 'image' ? node.attrs?.src : undefined;
    if (typeof src === 'string' && isWorkspaceAsset(src)) found.add(src.trim());
    for (const mark of node.marks ?? []) {
      const href = mark.type === 'link' ? mark.attrs?.href : undefined;
      if (typeof href === 'string' && isWorkspaceAsset(href)) found.add(href.trim());
    }
    for (const child of node.content ?? []) walk(child);
  };
  walk(article.doc);
  return [...found];
}

/** The pictures of an article that the photo pipeline prepares for the site: inline images and the cover. */
export function articlePhotoRefs(article: PortalArticle): string[] {
  const found = new Set<string>();
  const walk = (node: DocNode): void => {
    const src = node.type === 'image' ? node.attrs?.src : undefined;
    if (typeof src === 'string' && isWorkspaceAsset(src)) found.add(src.trim());
    for (const child of node.content ?? []) walk(child);
  };
  walk(article.doc);
  const cover = article.meta.cover?.src;
  if (cover && isWorkspaceAsset(cover)) found.add(cover.trim());
  return [...found];
}

interface Asset {
  path: string;
  sha: string;
  data: Buffer;
}

/** Hashes assets once per build; the same file referenced twice is stored once. */
class AssetTable {
  readonly assets = new Map<string, Asset>();
  readonly missing: { articleId: string; src: string }[] = [];
  private readonly cache = new Map<string, Asset | null>();

  constructor(
    private readonly source: StaticBuildInput['assetSource'],
    private readonly photos?: StaticBuildInput['photos'],
  ) {}

  /**
   * The resolvers a page uses, plus the mappings they produced (part of the
   * page's fingerprint). `pictures` (inline images and the cover) go out as
   * the pipeline's files when it prepared them; a cover that is not also an
   * inline image resolves to its first thumbnail.
   */
  resolverFor(
    ownerId: string,
    refs: readonly string[],
    pictures: readonly string[] = [],
    cover: string | null = null,
  ): { resolve: ResolveSrc; images: ResolveImage; mapping: [string, string][] } {
    const mapping = new Map<string, string>();
    const images = new Map<string, ResolvedImage>();
    if (this.photos) {
      const inline = new Set(refs);
      for (const src of pictures) {
        const photo = this.photos(ownerId, src);
        if (!photo) {
          this.missing.push({ articleId: ownerId, src });
          continue;
        }
        if (inline.has(src)) {
          const normal = this.store(photo.normal);
          const double = photo.double ? this.store(photo.double) : null;
          mapping.set(src, normal.path);
          images.set(src, {
            src: `/${normal.path}`,
            srcset: double ? `/${normal.path} 1x, /${double.path} 2x` : null,
            width: photo.normal.width,
            height: photo.normal.height,
          });
        }
        const thumbnails = src === cover ? photo.thumbnails.map((file) => this.store(file)) : [];
        if (!mapping.has(src) && thumbnails[0]) mapping.set(src, thumbnails[0].path);
      }
    }
    for (const src of refs) {
      if (mapping.has(src) || (this.photos && pictures.includes(src))) continue;
      const asset = this.load(ownerId, src);
      if (asset) mapping.set(src, asset.path);
    }
    return {
      resolve: (src) => {
        const path = mapping.get(src.trim());
        return path === undefined ? src : `/${path}`;
      },
      images: (src) => images.get(src.trim()) ?? null,
      mapping: [...mapping, ...[...images].map(([src, image]): [string, string] => [src, JSON.stringify(image)])],
    };
  }

  /** Adds a file the pipeline made; the same bytes are stored once. */
  private store(file: PhotoFile): Asset {
    const sha = sha256(file.data);
    const path = assetPath(sha, `photo.${file.ext}`);
    const asset = this.assets.get(path) ?? { path, sha, data: file.data };
    this.assets.set(path, asset);
    return asset;
  }

  private load(ownerId: string, src: string): Asset | null {
    const key = `${ownerId}\u0000${src}`;
    if (this.cache.has(key)) return this.cache.get(key) ?? null;
    const data = this.source(ownerId, src);
    let asset: Asset | null = null;
    if (data) {
      const sha = sha256(data);
      const path = assetPath(sha, src);
      asset = this.assets.get(path) ?? { path, sha, data };
      this.assets.set(path, asset);
    } else {
      this.missing.push({ articleId: ownerId, src });
    }
    this.cache.set(key, asset);
    return asset;
  }
}

/** A page to produce: its fingerprint, and how to render it when the fingerprint is new. */
interface PageJob {
  path: string;
  input: string;
  render: () => RenderResult | { text: string };
}

function refOf(article: ArticleRef | null | undefined) {
  if (!article) return null;
  return { id: article.id, createdAt: article.createdAt, title: article.meta.title, column: article.meta.column, publishAt: article.meta.publishAt };
}

/** {@link mounted} for processed pictures: the file and every srcset entry. */
function mountedImages(site: SiteProfile, images: ResolveImage): ResolveImage {
  const mount = (url: string) => (url.startsWith('/assets/') ? siteHref(site, url.slice(1)) : url);
  return (src) => {
    const image = images(src);
    if (!image) return null;
    const srcset = image.srcset?.split(', ').map((entry) => {
      const [url = '', density = ''] = entry.split(' ');
      return `${mount(url)} ${density}`;
    });
    return { ...image, src: mount(image.src), srcset: srcset ? srcset.join(', ') : null };
  };
}

/** Prefixes a resolver's root-relative asset URLs with the site's mount path. */
function mounted(site: SiteProfile, resolve: ResolveSrc): ResolveSrc {
  return (src) => {
    const resolved = resolve(src);
    return resolved !== src && resolved.startsWith('/assets/') ? siteHref(site, resolved.slice(1)) : resolved;
  };
}

interface Plan {
  jobs: PageJob[];
  assets: AssetTable;
}

function planSite(input: StaticBuildInput): Plan {
  const { site, templates } = input;
  const online = sortForListing(input.articles.filter(isOnline));
  const assets = new AssetTable(input.assetSource, input.photos);
  const siteKey = sha256(JSON.stringify([BUILD_FORMAT, site, themeKey(templates)]));
  const fingerprint = (...parts: unknown[]) => sha256(JSON.stringify([siteKey, ...parts]));
  const siteImages = [site.logo?.src, site.banner?.src].filter((src): src is string => !!src && isWorkspaceAsset(src));
  const siteAssets = assets.resolverFor(SITE_ASSET_OWNER, siteImages);
  const common = { site, templates, largeText: false };
  const jobs: PageJob[] = [];

  const around = neighbours(site, online);
  for (const article of online) {
    const cover = article.meta.cover?.src.trim() ?? null;
    const { resolve, images, mapping } = assets.resolverFor(article.id, articleAssetRefs(article), articlePhotoRefs(article), cover);
    const both: ResolveSrc = (src) => {
      const own = resolve(src);
      return own !== src ? own : siteAssets.resolve(src);
    };
    const near = around.get(article.id);
    jobs.push({
      path: articleRelativePath(site, article),
      input: fingerprint('article', article.id, article.createdAt, article.meta, article.doc, article.publication ?? null, refOf(near?.prev), refOf(near?.next), mapping, siteAssets.mapping),
      render: () =>
        renderArticlePage({
          ...common,
          assets: mounted(site, both),
          images: mountedImages(site, images),
          article,
          // undefined (a preview of the article as edited) and null (live, nothing recorded) print differently.
          publication: article.publication,
          prev: near?.prev ?? null,
          next: near?.next ?? null,
        }),
    });
  }

  const pageAssets = mounted(site, siteAssets.resolve);
  for (const column of indexedColumns(site, online)) {
    const inColumn = articlesInColumn(site, online, column);
    const pageCount = Math.max(1, Math.ceil(inColumn.length / site.pageSize));
    for (let page = 1; page <= pageCount; page++) {
      const items = inColumn.slice((page - 1) * site.pageSize, page * site.pageSize);
      jobs.push({
        path: columnIndexRelativePath(site, column, page),
        input: fingerprint('column', column, page, pageCount, inColumn.length, items.map(refOf), siteAssets.mapping),
        render: () => renderColumnIndexPage({ ...common, assets: pageAssets, column, items, page, pageCount, total: inColumn.length }),
      });
    }
  }

  const latest = online.slice(0, site.homeListSize);
  const sections = homeSectionColumns(site).map((column) => ({
    column,
    items: articlesInColumn(site, online, column).slice(0, site.homeListSize),
  }));
  jobs.push({
    path: 'index.html',
    input: fingerprint('home', latest.map(refOf), sections.map((s) => [s.column, s.items.map(refOf)]), siteAssets.mapping),
    render: () => renderHomePage({ ...common, assets: pageAssets, latest, sections }),
  });

  const feedItems = online.slice(0, RSS_ITEMS);
  jobs.push({
    path: 'rss.xml',
    input: fingerprint('rss', feedItems.map((a) => [refOf(a), a.meta.summary, a.doc, a.meta.disclosure ?? null, a.publication?.indexNo ?? null])),
    render: () => ({ text: renderRss({ site, items: feedItems }) }),
  });

  const sitemap: SitemapEntry[] = jobs
    // Later list pages only repeat links; crawlers find the articles through the sitemap itself.
    .filter((job) => job.path.endsWith('.html') && !/(^|\/)index_\d+\.html$/.test(job.path))
    .map((job) => ({ path: job.path === 'index.html' ? '' : job.path }));
  const lastmod = new Map(online.map((a) => [articleRelativePath(site, a), lastModified(a)]));
  for (const entry of sitemap) entry.lastmod = lastmod.get(entry.path) ?? null;
  jobs.push({
    path: 'sitemap.xml',
    input: fingerprint('sitemap', sitemap),
    render: () => ({ text: renderSitemap(site, sitemap) }),
  });
  return { jobs, assets };
}

function lastModified(article: StaticArticle): string {
  const updated = article.updatedAt?.slice(0, 10) ?? '';
  return /^\d{4}-\d{2}-\d{2}$/.test(updated) ? updated : articleDate(article);
}

/**
 * Builds (or incrementally rebuilds) the static site in `outDir`. Renders
 * everything that changed before writing anything, so a template error leaves
 * the folder as it was; writes are temp-file-and-rename; the manifest is
 * written last.
 */
export function buildStaticSite(input: StaticBuildInput): StaticBuildResult {
  const warnings: string[] = [];
  let previous = input.previous ?? null;
  if (input.previous === undefined) {
    const onDisk = readManifest(input.outDir);
    if (onDisk === 'damaged') warnings.push(portalText(input.site.locale, 'portal.build.bad_manifest'));
    else previous = onDisk;
  }
  const { jobs, assets } = planSite(input);
  const problems: StaticBuildProblem[] = [];
  const files: Record<string, string> = {};
  const inputs: Record<string, string> = {};
  const pending: { path: string; data: string | Buffer }[] = [];
  const unchanged: string[] = [];
  const exists = (path: string) => existsSync(outputFile(input.outDir, path));
  // Without a record of the last build, the folder itself says what is already there
  // (a first build into a deployed copy, or a damaged manifest): unchanged files are not rewritten.
  const hashOnDisk = (path: string): string | undefined => {
    if (previous) return undefined;
    try {
      return sha256(readFileSync(outputFile(input.outDir, path)));
    } catch {
      return undefined;
    }
  };

  for (const job of jobs) {
    if (Object.hasOwn(files, job.path)) {
      problems.push({ kind: 'conflict', path: job.path, message: 'two pages would be written to the same address' });
      continue;
    }
    const recordedSha = previous?.files[job.path];
    if (recordedSha && previous?.inputs[job.path] === job.input && exists(job.path)) {
      files[job.path] = recordedSha;
      inputs[job.path] = job.input;
      unchanged.push(job.path);
      continue;
    }
    const result = job.render();
    if ('error' in result) {
      problems.push({ kind: 'template', path: job.path, error: result.error });
      continue;
    }
    const text = 'html' in result ? result.html : result.text;
    const sha = sha256(text);
    files[job.path] = sha;
    inputs[job.path] = job.input;
    const previousSha = recordedSha ?? hashOnDisk(job.path);
    if (sha === previousSha && exists(job.path)) unchanged.push(job.path);
    else pending.push({ path: job.path, data: text });
  }
  for (const asset of assets.assets.values()) {
    files[asset.path] = asset.sha;
    const previousSha = previous?.files[asset.path] ?? hashOnDisk(asset.path);
    if (previousSha === asset.sha && exists(asset.path)) unchanged.push(asset.path);
    else pending.push({ path: asset.path, data: asset.data });
  }
  const manifest: StaticManifest = { format: 'gazette/static-manifest', version: 1, files, inputs };
  if (problems.length > 0) {
    return { written: [], unchanged: [], removed: [], problems, missingAssets: assets.missing, warnings, manifest: previous ?? manifest };
  }

  for (const file of pending) writeFileAtomic(outputFile(input.outDir, file.path), file.data);
  const removed: string[] = [];
  for (const path of Object.keys(previous?.files ?? {})) {
    if (Object.hasOwn(files, path) || path === MANIFEST_FILE) continue;
    removeOutputFile(input.outDir, path);
    removed.push(path);
  }
  writeManifest(input.outDir, manifest);
  return {
    written: pending.map((file) => file.path).sort(),
    unchanged: unchanged.sort(),
    removed: removed.sort(),
    problems,
    missingAssets: assets.missing,
    warnings,
    manifest,
  };
}

/**
 * The article page exactly as {@link buildStaticSite} writes it, for a preview
 * that must match the published page byte for byte.
 */
export function renderStaticArticlePage(
  input: Omit<StaticBuildInput, 'outDir' | 'previous'>,
  articleId: string,
): RenderResult | null {
  const { jobs } = planSite({ ...input, outDir: '' });
  const article = input.articles.find((candidate) => candidate.id === articleId);
  if (!article || !isOnline(article)) return null;
  const path = articleRelativePath(input.site, article);
  const job = jobs.find((candidate) => candidate.path === path);
  if (!job) return null;
  const result = job.render();
  return 'text' in result ? null : result;
}
