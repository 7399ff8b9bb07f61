import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { type Article, ArticleSchema } from '../../../../shared/domain/article';
import type { PublicationFacts } from '../../../../shared/portal/render';
import { absoluteUrl, articleRelativePath } from '../../../../shared/portal/site';
import { assertStoredAsset } from '../../store/assets';
import { isMissing, readJsonFile, StoredFileError, writeFileAtomic } from '../../store/atomic-file';
import { KeyedQueue } from '../../store/keyed-queue';
import type { WorkspaceStore } from '../../store/workspace-store';
import { PublishError } from '../outbox/publish-error';
import type { RemotePost } from '../outbox/target';
import { deployFolder } from '../sftp/deploy';
import { profileOf, type SiteService, type StaticTargetConfig } from '../sites';
import { articlePhotoRefs, buildStaticSite, SITE_ASSET_OWNER, type StaticBuildResult } from './build';
import { type PreparedPhoto, SitePhotoCache } from '../../media/site-photos';
import type { SiteProfile } from '../../../../shared/portal/site';
import type { PortalArticle } from '../../../../shared/portal/render';
import { MANIFEST_FILE, outputFile, readManifest, removeOutputFile, writeFileAtomic as writeOutputFile } from './files';

/** Photos processed at once while a site is built: each holds a decoded photo (~100 MB at 12 megapixels). */
const PHOTO_WORKERS = 2;

/** Published extras beside the approved article in a snapshot (see PublicationFacts). */
const PublicationFactsSchema = z.object({
  indexNo: z.string().nullable(),
  reviews: z.array(z.object({ stage: z.string(), name: z.string() })),
});

/** A live copy: the approved article and what publishing recorded with it (null in copies older than that). */
export type LiveArticle = Article & { publication: PublicationFacts | null };

function validateSnapshot(raw: unknown, file: string): LiveArticle {
  const parsed = ArticleSchema.safeParse(raw);
  if (!parsed.success) throw new StoredFileError('damaged', file, parsed.error.issues[0]?.message ?? 'not an article');
  const facts = PublicationFactsSchema.safeParse((raw as { publication?: unknown }).publication);
  return { ...parsed.data, publication: facts.success ? facts.data : null };
}

/** Options of {@link StaticPublisher}. */
export interface StaticPublisherOptions {
  store: WorkspaceStore;
  sites: SiteService;
  /** Where the approved snapshots of queued jobs wait (`<ws>/outbox/snapshots`). */
  snapshotDir: string;
  log?: (message: string) => void;
}

/**
 * Static sites publish the *approved snapshot* taken when a job was queued,
 * never whatever the article holds when the job runs: each site keeps its live
 * articles as `<ws>/sites/<id>/live/<articleId>.json`, rebuilds
 * `<ws>/sites/<id>/build/` from them and mirrors that folder to every static
 * target of the site (a target catches up on its next job).
 */
export class StaticPublisher {
  readonly #store: WorkspaceStore;
  readonly #sites: SiteService;
  readonly #snapshotDir: string;
  readonly #log: (message: string) => void;
  /** One build per site at a time; the outbox sends one job at a time anyway, the CLI may not. */
  readonly #builds = new KeyedQueue();
  /** Absolute URL of a static-folder page → the file, so verification reads the disk instead of the web. */
  readonly #localPages = new Map<string, string>();
  /** Each site's processed photos (on disk, checked on every read). */
  readonly #photoCaches = new Map<string, SitePhotoCache>();

  constructor(options: StaticPublisherOptions) {
    this.#store = options.store;
    this.#sites = options.sites;
    this.#snapshotDir = options.snapshotDir;
    this.#log = options.log ?? (() => {});
  }

  #liveDir(siteId: string): string {
    return join(this.#sites.folder(siteId), 'live');
  }

  /** The build folder publishing mirrors to the site's static targets. */
  buildDir(siteId: string): string {
    return join(this.#sites.folder(siteId), 'build');
  }

  /** The file a static-folder target wrote for this page URL, if any. */
  localPage(url: string): string | undefined {
    return this.#localPages.get(url);
  }

  /** The articles currently on the site's static targets, as they were approved. */
  async liveArticles(siteId: string): Promise<LiveArticle[]> {
    const dir = this.#liveDir(siteId);
    const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith('.json')).sort();
    const out: LiveArticle[] = [];
    for (const name of names) {
      try {
        const article = await readJsonFile(join(dir, name), validateSnapshot);
        if (article) out.push(article);
      } catch (error) {
        this.#log(`[publish] live copy ${name} of site ${siteId} skipped: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    return out;
  }

  /** Reads the images a page refers to: an article's assets, or the site's own (`assets/…` of the site folder). Cached per call. */
  assetSource(siteId: string): (ownerId: string, src: string) => Buffer | null {
    const cache = new Map<string, Buffer | null>();
    return (ownerId, src) => {
      const key = `${ownerId}\u0000${src}`;
      if (cache.has(key)) return cache.get(key) ?? null;
      let path: string | null = null;
      if (ownerId === SITE_ASSET_OWNER) {
        path = src.startsWith('assets/') && !src.includes('..') ? join(this.#sites.folder(siteId), src) : null;
      } else {
        try {
          path = this.#store.assetPath(ownerId, src);
        } catch (error) {
          this.#log(`[publish] ${ownerId} ${src} not published: ${error instanceof Error ? error.message : String(error)}`);
          path = null;
        }
      }
      let data: Buffer | null = null;
      if (path) {
        try {
          data = readFileSync(path);
          // An article's file goes live only if it is what the allowlist lets in, judged by its
          // bytes now: a page or script slipped into the folder is treated as missing.
          if (ownerId !== SITE_ASSET_OWNER) assertStoredAsset(basename(path), data);
        } catch {
          data = null;
        }
      }
      cache.set(key, data);
      return data;
    };
  }

  /** Builds the site's live articles into `outDir` (default: the site's build folder); template errors throw with file and line. */
  buildSite(siteId: string, outDir: string = this.buildDir(siteId)): Promise<StaticBuildResult> {
    return this.#builds.run(`${siteId}\u0000${outDir}`, async () => {
      const config = await this.#sites.site(siteId);
      const site = profileOf(config);
      const articles = await this.liveArticles(siteId);
      const assetSource = this.assetSource(siteId);
      const photos = await this.preparePhotos(siteId, site, articles, assetSource);
      const result = buildStaticSite({
        site,
        articles,
        assetSource,
        photos: (articleId, src) => photos.get(`${articleId}\u0000${src}`) ?? null,
        outDir,
        templates: await this.#sites.themeFiles(siteId),
      });
      if (result.problems.length > 0) {
        const detail = result.problems
          .slice(0, 3)
          .map((p) => (p.kind === 'template' ? `${p.error.file}:${p.error.line} ${p.error.message}` : `${p.path}: ${p.message}`))
          .join('; ');
        throw new PublishError('local', 'publish.error.build', { detail });
      }
      for (const missing of result.missingAssets) this.#log(`[publish] ${siteId}: asset ${missing.src} of ${missing.articleId} is missing`);
      return result;
    });
  }

  /**
   * Runs every picture of the live articles through the photo pipeline for
   * this site (page size, 2×, cover thumbnails; WebP when the site asks, as
   * static sites accept it), a few at a time on sharp's threads, reusing the
   * site's checked cache. A picture that cannot be read or processed is left
   * out (the build counts it missing and the log names it), never published raw.
   */
  async preparePhotos(
    siteId: string,
    site: SiteProfile,
    articles: readonly PortalArticle[],
    assetSource: (ownerId: string, src: string) => Buffer | null,
  ): Promise<Map<string, PreparedPhoto>> {
    const cache = this.#photoCaches.get(siteId) ?? new SitePhotoCache(join(this.#sites.folder(siteId), 'photos'));
    this.#photoCaches.set(siteId, cache);
    const work = articles.flatMap((article) =>
      articlePhotoRefs(article).map((src) => ({ article, src, cover: article.meta.cover?.src.trim() === src })),
    );
    const out = new Map<string, PreparedPhoto>();
    let next = 0;
    const worker = async () => {
      while (next < work.length) {
        const item = work[next++];
        if (!item) break;
        const data = assetSource(item.article.id, item.src);
        if (!data) continue;
        try {
          const photo = await cache.prepare(data, basename(item.src), site.photos, site.photos.webp ? 'webp' : 'jpeg', item.cover);
          out.set(`${item.article.id}\u0000${item.src}`, photo);
        } catch (error) {
          this.#log(`[publish] ${siteId}: photo ${item.src} of ${item.article.id} not published: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: PHOTO_WORKERS }, worker));
    return out;
  }

  /** Copies what changed from the build folder into a static-folder target, then removes pages that are gone. */
  async #mirrorToFolder(buildDir: string, folder: string): Promise<void> {
    const built = readManifest(buildDir);
    if (built === null || built === 'damaged') throw new PublishError('local', 'publish.error.build', { detail: `${buildDir}/${MANIFEST_FILE}` });
    const deployed = readManifest(folder);
    const before = deployed === null || deployed === 'damaged' ? null : deployed;
    await mkdir(folder, { recursive: true });
    for (const [path, sha] of Object.entries(built.files)) {
      const destination = outputFile(folder, path);
      if (before?.files[path] === sha && existsSync(destination)) continue;
      writeOutputFile(destination, await readFile(outputFile(buildDir, path)));
    }
    for (const path of Object.keys(before?.files ?? {})) {
      if (!Object.hasOwn(built.files, path)) removeOutputFile(folder, path);
    }
    // Last, so an interrupted copy is redone in full next time.
    writeOutputFile(join(folder, MANIFEST_FILE), await readFile(join(buildDir, MANIFEST_FILE)));
  }

  async #deploy(siteId: string, config: StaticTargetConfig): Promise<void> {
    const buildDir = this.buildDir(siteId);
    await this.buildSite(siteId);
    if (config.kind === 'static-folder') {
      await this.#mirrorToFolder(buildDir, config.folder);
    } else if (config.kind === 'static-sftp') {
      const secret = await this.#sites.secret(config, config.privateKeyPath === '');
      const privateKey = config.privateKeyPath ? await readFile(config.privateKeyPath) : undefined;
      await deployFolder({
        localDir: buildDir,
        remoteDir: config.remoteDir,
        connection: {
          host: config.host,
          port: config.port,
          username: config.username,
          ...(privateKey ? { privateKey, ...(secret ? { passphrase: secret } : {}) } : { password: secret ?? '' }),
        },
      });
    }
  }

  #snapshotFile(articleId: string, contentHash: string): string {
    return join(this.#snapshotDir, `${articleId}-${contentHash}.json`);
  }

  /**
   * Keeps the approved text a queued job will publish, whatever the article
   * holds when the job runs, with the 索引号 and approvers recorded for it.
   */
  async saveSnapshot(article: Article, contentHash: string, publication: PublicationFacts | null = null): Promise<void> {
    await mkdir(this.#snapshotDir, { recursive: true });
    await writeFileAtomic(
      this.#snapshotFile(article.id, contentHash),
      `${JSON.stringify({ ...article, status: 'published', trashedAt: null, publication })}\n`,
    );
  }

  /** Makes the snapshot the site's live copy of the article, rebuilds the site and mirrors it to the target. */
  async push(siteId: string, config: StaticTargetConfig, articleId: string, contentHash: string): Promise<RemotePost> {
    const file = this.#snapshotFile(articleId, contentHash);
    const snapshot = await readJsonFile(file, validateSnapshot).catch(() => null);
    if (!snapshot) throw new PublishError('local', 'publish.error.snapshot_missing', { file });
    await mkdir(this.#liveDir(siteId), { recursive: true });
    await writeFileAtomic(join(this.#liveDir(siteId), `${snapshot.id}.json`), `${JSON.stringify(snapshot)}\n`);
    await this.#deploy(siteId, config);
    const profile = profileOf(await this.#sites.site(siteId));
    const path = articleRelativePath(profile, snapshot);
    const url = absoluteUrl(profile, path);
    if (config.kind === 'static-folder') this.#localPages.set(url, outputFile(config.folder, path));
    return { remoteId: snapshot.id, url };
  }

  /** Takes the article off the site's live copies, rebuilds the site and mirrors it to the target. */
  async withdraw(siteId: string, config: StaticTargetConfig, articleId: string): Promise<void> {
    await unlink(join(this.#liveDir(siteId), `${articleId}.json`)).catch((error: unknown) => {
      if (!isMissing(error)) throw error;
    });
    await this.#deploy(siteId, config);
  }
}
