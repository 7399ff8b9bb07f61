import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  CallContext,
  ChecklistItem,
  EnqueueResult,
  ParsedRequestOf,
  PreviewResult,
  PublishJobsView,
  PublishJobView,
  PublishReceipt,
  PublishTargetConfig,
  SiteConfig,
  SiteSummary,
} from '../../../shared/api/contract';
import { SiteConfigSchema } from '../../../shared/api/contract';
import { ApiError } from '../../../shared/api/errors';
import { type Article, ArticleSchema } from '../../../shared/domain/article';
import type { DocNode } from '../../../shared/domain/doc';
import { isSafeHref } from '../../../shared/html/serialize';
import { neighbours, sortForListing } from '../../../shared/portal/listing';
import type { ThemeFiles } from '../../../shared/portal/render';
import { absoluteUrl, articleRelativePath, defaultSiteProfile, type SiteProfile, siteHref } from '../../../shared/portal/site';
import type { Person } from '../../../shared/workflow/review-chain';
import type { AccessControl } from '../identity/identity-service';
import type { SignoffService } from '../review/signoff-service';
import { isMissing, readJsonFile, StoredFileError, writeFileAtomic } from '../store/atomic-file';
import { KeyedQueue } from '../store/keyed-queue';
import type { WorkspaceStore } from '../store/workspace-store';
import type { CredentialStore } from './credentials';
import { MetaWeblogClient } from './metaweblog/client';
import { publishMessage } from './outbox/messages';
import { Outbox, type OutboxAction, type OutboxJob } from './outbox/outbox';
import { buildPublishPayload } from './outbox/payload';
import { PublishError } from './outbox/publish-error';
import type { PublishPayload, PublishTarget, RemotePost } from './outbox/target';
import { deployFolder } from './sftp/deploy';
import {
  articleAssetRefs,
  assetPath,
  buildStaticSite,
  renderStaticArticlePage,
  SITE_ASSET_OWNER,
  type StaticArticle,
  type StaticBuildResult,
} from './static/build';
import { MANIFEST_FILE, outputFile, readManifest, removeOutputFile, writeFileAtomic as writeOutputFile } from './static/files';

/**
 * Publishing wired into a workspace (issue 4): site profiles and themes in
 * `<ws>/sites/`, the portal preview (the static build's own page renderer), the
 * pre-publish checklist, and one durable {@link Outbox} in `<ws>/outbox/` that
 * drives static, WordPress and MetaWeblog targets.
 *
 * Static targets publish the *approved snapshot* taken when the job was
 * queued, never whatever the article holds when the job runs: each site keeps
 * its live articles as `<ws>/sites/<id>/live/<articleId>.json`, rebuilds
 * `<ws>/sites/<id>/build/` from them and mirrors that folder to every static
 * target of the site (a target catches up on its next job).
 */

/** Theme files larger than this are refused (a template is text, not a video). */
const MAX_THEME_FILE_BYTES = 2 * 1024 * 1024;
const THEME_FILE = /^[A-Za-z0-9_.-]+\.(liquid|css)$/;

/** Options of {@link PublishService.open}. */
export interface PublishServiceOptions {
  store: WorkspaceStore;
  review: AccessControl & Pick<SignoffService, 'assertPublishable'>;
  credentials: CredentialStore;
  now?: () => number;
  log?: (message: string) => void;
  /** Live-page verification after a push; null turns it off (static-folder targets are checked on disk). */
  verifyFetch?: typeof fetch | null;
  /** First retry delay of the outbox (ms). */
  retryBaseDelayMs?: number;
  /** Sends due jobs on a timer (the app and web host); the CLI sends only when asked. */
  autoStart?: boolean;
  /** Builds WordPress/MetaWeblog clients; tests and proxies replace it. */
  remoteTarget?: (config: Extract<PublishTargetConfig, { kind: 'wordpress' | 'metaweblog' }>, secret: string) => PublishTarget;
}

interface TargetEntry {
  siteId: string;
  config: PublishTargetConfig;
}

function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The profile part of a site file: what the renderer sees (targets never influence a page). */
export function profileOf(config: SiteConfig): SiteProfile {
  const { targets: _targets, ...profile } = config;
  return profile;
}

function credentialNameOf(config: PublishTargetConfig): string {
  return config.credentialName || `target:${config.id}`;
}

function isStatic(config: PublishTargetConfig): config is Extract<PublishTargetConfig, { kind: 'static-folder' | 'static-sftp' }> {
  return config.kind === 'static-folder' || config.kind === 'static-sftp';
}

/** Adds the `elder` (长者) class to the page's `<html>` element, the way the renderer's largeText does. */
function withElderClass(html: string): string {
  return html.replace(/<html\b[^>]*>/i, (tag) => {
    if (/\bclass="/i.test(tag)) return tag.replace(/\bclass="([^"]*)"/i, (_whole, classes: string) => `class="${classes} elder"`);
    return tag.replace(/>$/, ' class="elder">');
  });
}

/** Is this a link a portal page may carry: no spaces, a known scheme, and a parseable absolute URL. */
function isWellFormedLink(href: string): boolean {
  const value = href.trim();
  if (value === '' || /\s/.test(value) || !isSafeHref(value)) return false;
  if (/^https?:/i.test(value)) {
    try {
      const url = new URL(value);
      return url.hostname !== '';
    } catch {
      return false;
    }
  }
  if (/^mailto:/i.test(value)) return /^mailto:[^@\s]+@[^@\s]+$/i.test(value);
  return true;
}

/** The pre-publish checklist: required metadata, alt text on every image, well-formed links. */
export function prePublishChecklist(article: Pick<Article, 'meta' | 'doc'>): ChecklistItem[] {
  const { meta } = article;
  const missingAlt: string[] = [];
  const badLinks: string[] = [];
  const walk = (node: DocNode): void => {
    if (node.type === 'image') {
      const alt = node.attrs?.alt;
      if (typeof alt !== 'string' || alt.trim() === '') missingAlt.push(String(node.attrs?.src ?? '?'));
    }
    for (const mark of node.marks ?? []) {
      if (mark.type !== 'link') continue;
      const href = mark.attrs?.href;
      if (typeof href !== 'string' || !isWellFormedLink(href)) badLinks.push(String(href ?? ''));
    }
    for (const child of node.content ?? []) walk(child);
  };
  walk(article.doc);
  if (meta.cover && meta.cover.alt.trim() === '') missingAlt.push(meta.cover.src);
  const list = (items: string[]) => items.slice(0, 5).map((item) => item.split('/').pop() || item).join('、');
  const item = (code: 'title' | 'column' | 'publishAt' | 'source', ok: boolean): ChecklistItem => ({
    code,
    ok,
    message: publishMessage(ok ? `publish.check.${code}.ok` : `publish.check.${code}.missing`),
  });
  const links = [...new Set(badLinks)];
  return [
    item('title', meta.title.trim() !== ''),
    item('column', meta.column.length > 0),
    item('publishAt', meta.publishAt !== null && meta.publishAt.trim() !== ''),
    item('source', meta.source.trim() !== ''),
    missingAlt.length === 0
      ? { code: 'imageAlt', ok: true, message: publishMessage('publish.check.imageAlt.ok') }
      : { code: 'imageAlt', ok: false, message: publishMessage('publish.check.imageAlt.missing', { count: missingAlt.length, list: list(missingAlt) }) },
    links.length === 0
      ? { code: 'links', ok: true, message: publishMessage('publish.check.links.ok') }
      : { code: 'links', ok: false, message: publishMessage('publish.check.links.bad', { count: links.length, list: links.slice(0, 5).join('、') }) },
  ];
}

function validateSiteFile(raw: unknown, file: string): SiteConfig {
  const parsed = SiteConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const detail = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    throw new StoredFileError('damaged', file, detail);
  }
  return parsed.data;
}

function validateSnapshot(raw: unknown, file: string): Article {
  const parsed = ArticleSchema.safeParse(raw);
  if (!parsed.success) throw new StoredFileError('damaged', file, parsed.error.issues[0]?.message ?? 'not an article');
  return parsed.data;
}

/** A target the outbox drives whose real client is made at send time, with the credential read just then. */
class DeferredTarget implements PublishTarget {
  constructor(
    readonly id: string,
    readonly label: string,
    private readonly resolve: () => Promise<PublishTarget>,
  ) {}

  async findByJobId(jobId: string): Promise<RemotePost | null> {
    return (await this.resolve()).findByJobId(jobId);
  }

  async create(payload: PublishPayload, jobId: string): Promise<RemotePost> {
    return (await this.resolve()).create(payload, jobId);
  }

  async update(remoteId: string, payload: PublishPayload, jobId: string): Promise<RemotePost> {
    return (await this.resolve()).update(remoteId, payload, jobId);
  }

  async withdraw(remoteId: string): Promise<void> {
    return (await this.resolve()).withdraw(remoteId);
  }
}

/** A static target: the remote id is the article id; pushing rebuilds the site and mirrors it. */
class StaticTarget implements PublishTarget {
  constructor(
    readonly id: string,
    readonly label: string,
    private readonly push: (jobId: string) => Promise<RemotePost>,
    private readonly remove: (articleId: string) => Promise<void>,
  ) {}

  // Rebuilding is idempotent, so a retried job simply pushes again: there is no second post to avoid.
  async findByJobId(): Promise<RemotePost | null> {
    return null;
  }

  create(_payload: PublishPayload, jobId: string): Promise<RemotePost> {
    return this.push(jobId);
  }

  update(_remoteId: string, _payload: PublishPayload, jobId: string): Promise<RemotePost> {
    return this.push(jobId);
  }

  withdraw(remoteId: string): Promise<void> {
    return this.remove(remoteId);
  }
}

/** Sites, preview, checklist and the outbox of one workspace. */
export class PublishService {
  readonly #store: WorkspaceStore;
  readonly #review: AccessControl & Pick<SignoffService, 'assertPublishable'>;
  /** Proofreading (issue 5): refuses publish/update while errors remain; set by openWorkspace. */
  #publishGate: ((article: Article) => Promise<void>) | null = null;
  readonly #credentials: CredentialStore;
  readonly #options: PublishServiceOptions;
  readonly #log: (message: string) => void;
  readonly #sitesDir: string;
  readonly #outboxDir: string;
  /** One build per site at a time; the outbox sends one job at a time anyway, the CLI may not. */
  readonly #builds = new KeyedQueue();
  readonly #siteWrites = new KeyedQueue();
  /** Absolute URL of a static-folder page → the file, so verification reads the disk instead of the web. */
  readonly #localPages = new Map<string, string>();
  /** Status updates after successful jobs, awaited before runDue/close report back. */
  readonly #pending = new Set<Promise<void>>();
  #outbox: Outbox | null = null;
  #opening: Promise<Outbox> | null = null;
  #started = false;
  #closed = false;

  private constructor(options: PublishServiceOptions) {
    this.#options = options;
    this.#store = options.store;
    this.#review = options.review;
    this.#credentials = options.credentials;
    this.#log = options.log ?? (() => {});
    this.#sitesDir = join(options.store.dir, 'sites');
    this.#outboxDir = join(options.store.dir, 'outbox');
  }

  /** Opens publishing for a workspace; an existing outbox is loaded (and, with autoStart, resumed) at once. */
  static async open(options: PublishServiceOptions): Promise<PublishService> {
    const service = new PublishService(options);
    // A workspace that never published gets no outbox folder until its first job.
    if (existsSync(join(service.#outboxDir, 'jobs'))) await service.#outboxReady();
    if (options.autoStart ?? true) service.start();
    return service;
  }

  // ───────────────────────────── sites ─────────────────────────────

  #siteFile(id: string): string {
    return join(this.#sitesDir, `${id}.json`);
  }

  async #siteIds(): Promise<string[]> {
    const names = await readdir(this.#sitesDir).catch((error: unknown) => {
      if (isMissing(error)) return [] as string[];
      throw error;
    });
    return names
      .filter((name) => /^[a-z0-9][a-z0-9_-]{0,63}\.json$/.test(name))
      .map((name) => name.slice(0, -'.json'.length))
      .sort();
  }

  /** Creates the default site (with the workspace's column tree) when the workspace has none. */
  async #ensureDefaultSite(): Promise<string[]> {
    const ids = await this.#siteIds();
    if (ids.length > 0) return ids;
    const profile = defaultSiteProfile();
    const site: SiteConfig = { ...profile, columns: this.#store.settings().columns, targets: [] };
    await this.#writeSite(site);
    return [site.id];
  }

  async #writeSite(site: SiteConfig): Promise<void> {
    await mkdir(this.#sitesDir, { recursive: true });
    await writeFileAtomic(this.#siteFile(site.id), `${JSON.stringify(site, null, 2)}\n`, { backup: true });
  }

  /** Reads a site file; a damaged one is reported with file and reason and left untouched. */
  async site(id: string): Promise<SiteConfig> {
    await this.#ensureDefaultSite();
    let site: SiteConfig | null;
    try {
      site = await readJsonFile(this.#siteFile(id), validateSiteFile);
    } catch (error) {
      if (error instanceof StoredFileError) {
        throw new ApiError('damaged_file', publishMessage('publish.error.site_damaged', { file: error.file, detail: error.message }));
      }
      throw error;
    }
    if (!site) throw new ApiError('not_found', publishMessage('publish.error.unknown_site', { site: id }));
    // The portal's columns are the tree writers pick from (settings), never a stale copy in the site file.
    return { ...site, columns: this.#store.settings().columns };
  }

  /** The site used when a request names none: 'main' if present, else the first. */
  async defaultSiteId(): Promise<string> {
    const ids = await this.#ensureDefaultSite();
    return ids.includes('main') ? 'main' : (ids[0] ?? 'main');
  }

  async #readableSites(): Promise<SiteConfig[]> {
    const sites: SiteConfig[] = [];
    for (const id of await this.#ensureDefaultSite()) {
      try {
        sites.push(await this.site(id));
      } catch (error) {
        this.#log(`[publish] site ${id} skipped: ${error instanceof ApiError ? error.detail : String(error)}`);
      }
    }
    return sites;
  }

  async #themeDir(siteId: string): Promise<string | null> {
    const dir = join(this.#sitesDir, siteId, 'theme');
    const names = await readdir(dir).catch(() => [] as string[]);
    return names.some((name) => THEME_FILE.test(name)) ? dir : null;
  }

  /** The site's own theme files (`<ws>/sites/<id>/theme/*.liquid|*.css`), or undefined for the default theme. */
  async themeFiles(siteId: string): Promise<ThemeFiles | undefined> {
    const dir = await this.#themeDir(siteId);
    if (!dir) return undefined;
    const files: Record<string, string> = {};
    for (const name of (await readdir(dir)).sort()) {
      if (!THEME_FILE.test(name)) continue;
      const path = join(dir, name);
      const info = await stat(path);
      if (!info.isFile()) continue;
      if (info.size > MAX_THEME_FILE_BYTES) {
        throw new ApiError('invalid_request', publishMessage('publish.error.preview', { detail: `${name}: ${info.size} bytes` }));
      }
      files[name] = await readFile(path, 'utf8');
    }
    return files;
  }

  /** sites:list */
  async listSites(context: CallContext): Promise<SiteSummary[]> {
    this.#review.requirePerson(context);
    const stored = new Set(await this.#credentials.names().catch(() => [] as string[]));
    const out: SiteSummary[] = [];
    for (const site of await this.#readableSites()) {
      out.push({
        id: site.id,
        name: site.name,
        baseUrl: site.baseUrl,
        targets: site.targets.map((t) => ({ id: t.id, kind: t.kind, label: t.label, hasCredential: stored.has(credentialNameOf(t)) })),
        customTheme: (await this.#themeDir(site.id)) !== null,
      });
    }
    return out;
  }

  /** sites:get */
  async getSite(id: string, context: CallContext): Promise<SiteConfig> {
    this.#review.requirePerson(context);
    return this.site(id);
  }

  /** sites:save (admin). Target ids are unique across sites because the outbox knows targets by id alone. */
  async saveSite(site: SiteConfig, context: CallContext): Promise<SiteConfig> {
    this.#review.requireAdmin(context, 'session.action.saveSettings');
    const seen = new Set<string>();
    for (const target of site.targets) {
      if (seen.has(target.id)) {
        throw new ApiError('invalid_request', publishMessage('publish.error.duplicate_target', { target: target.id, site: site.id }));
      }
      seen.add(target.id);
    }
    for (const other of await this.#readableSites()) {
      if (other.id === site.id) continue;
      const clash = other.targets.find((t) => seen.has(t.id));
      if (clash) throw new ApiError('invalid_request', publishMessage('publish.error.duplicate_target', { target: clash.id, site: other.id }));
    }
    await this.#siteWrites.run(site.id, () => this.#writeSite(site));
    await this.#reloadOutbox();
    return this.site(site.id);
  }

  async #targets(): Promise<Map<string, TargetEntry>> {
    const map = new Map<string, TargetEntry>();
    for (const site of await this.#readableSites()) {
      for (const config of site.targets) {
        if (map.has(config.id)) {
          this.#log(`[publish] target ${config.id} of site ${site.id} ignored: the id is already used by site ${map.get(config.id)?.siteId}`);
          continue;
        }
        map.set(config.id, { siteId: site.id, config });
      }
    }
    return map;
  }

  async #target(targetId: string): Promise<TargetEntry> {
    const entry = (await this.#targets()).get(targetId);
    if (!entry) throw new ApiError('not_found', publishMessage('publish.error.unknown_target', { target: targetId }));
    return entry;
  }

  // ───────────────────────────── credentials ─────────────────────────────

  /** targets:setCredential (publisher or admin); the secret is stored encrypted and never returned. */
  async setCredential(request: ParsedRequestOf<'targets:setCredential'>, context: CallContext): Promise<{ ok: true; name: string }> {
    const person = this.#review.requirePerson(context);
    if (!person.roles.includes('publisher') && !person.roles.includes('admin')) {
      throw new ApiError('forbidden', publishMessage('publish.error.credential_role'));
    }
    const entry = await this.#target(request.targetId);
    if (request.siteId && entry.siteId !== request.siteId) {
      throw new ApiError('not_found', publishMessage('publish.error.unknown_target', { target: request.targetId }));
    }
    const name = credentialNameOf(entry.config);
    await this.#credentials.set(name, request.secret);
    return { ok: true, name };
  }

  async #secret(config: PublishTargetConfig, required: boolean): Promise<string | null> {
    const name = credentialNameOf(config);
    let secret: string | null;
    try {
      secret = await this.#credentials.get(name);
    } catch (error) {
      throw new PublishError('local', 'publish.error.no_credential', { target: config.label, name }, { cause: error, serverMessage: String(error) });
    }
    if (secret === null && required) throw new PublishError('auth', 'publish.error.no_credential', { target: config.label, name });
    return secret;
  }

  // ───────────────────────────── static builds ─────────────────────────────

  #liveDir(siteId: string): string {
    return join(this.#sitesDir, siteId, 'live');
  }

  /** The build folder publishing mirrors to the site's static targets. */
  buildDir(siteId: string): string {
    return join(this.#sitesDir, siteId, 'build');
  }

  /** The articles currently on the site's static targets, as they were approved. */
  async liveArticles(siteId: string): Promise<Article[]> {
    const dir = this.#liveDir(siteId);
    const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith('.json')).sort();
    const out: Article[] = [];
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

  #assetSource(siteId: string): (ownerId: string, src: string) => Buffer | null {
    const cache = new Map<string, Buffer | null>();
    return (ownerId, src) => {
      const key = `${ownerId}\u0000${src}`;
      if (cache.has(key)) return cache.get(key) ?? null;
      let path: string | null = null;
      if (ownerId === SITE_ASSET_OWNER) {
        path = src.startsWith('assets/') && !src.includes('..') ? join(this.#sitesDir, siteId, src) : null;
      } else {
        try {
          path = this.#store.assetPath(ownerId, src);
        } catch {
          path = null;
        }
      }
      let data: Buffer | null = null;
      if (path) {
        try {
          data = readFileSync(path);
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
      const config = await this.site(siteId);
      const result = buildStaticSite({
        site: profileOf(config),
        articles: await this.liveArticles(siteId),
        assetSource: this.#assetSource(siteId),
        outDir,
        templates: await this.themeFiles(siteId),
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

  async #deploy(entry: TargetEntry): Promise<void> {
    const buildDir = this.buildDir(entry.siteId);
    await this.buildSite(entry.siteId);
    const { config } = entry;
    if (config.kind === 'static-folder') {
      await this.#mirrorToFolder(buildDir, config.folder);
    } else if (config.kind === 'static-sftp') {
      const secret = await this.#secret(config, config.privateKeyPath === '');
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
    return join(this.#outboxDir, 'snapshots', `${articleId}-${contentHash}.json`);
  }

  async #staticPush(entry: TargetEntry, jobId: string): Promise<RemotePost> {
    const job = this.#outbox?.job(jobId);
    if (!job) throw new PublishError('local', 'publish.error.job_not_found', { job: jobId });
    const file = this.#snapshotFile(job.articleId, job.contentHash);
    const snapshot = await readJsonFile(file, validateSnapshot).catch(() => null);
    if (!snapshot) throw new PublishError('local', 'publish.error.snapshot_missing', { file });
    await mkdir(this.#liveDir(entry.siteId), { recursive: true });
    await writeFileAtomic(join(this.#liveDir(entry.siteId), `${snapshot.id}.json`), `${JSON.stringify(snapshot)}\n`);
    await this.#deploy(entry);
    const profile = profileOf(await this.site(entry.siteId));
    const path = articleRelativePath(profile, snapshot);
    const url = absoluteUrl(profile, path);
    if (entry.config.kind === 'static-folder') this.#localPages.set(url, outputFile(entry.config.folder, path));
    return { remoteId: snapshot.id, url };
  }

  async #staticWithdraw(entry: TargetEntry, articleId: string): Promise<void> {
    await unlink(join(this.#liveDir(entry.siteId), `${articleId}.json`)).catch((error: unknown) => {
      if (!isMissing(error)) throw error;
    });
    await this.#deploy(entry);
  }

  // ───────────────────────────── preview ─────────────────────────────

  /**
   * preview:render — the page exactly as the static build writes it, from the
   * unsaved doc/meta when given. Neighbours (上一篇/下一篇) come from the site's
   * live articles, as in the build; only they and the article itself are
   * handed to the renderer, so a keystroke does not hash every image of the site.
   */
  async preview(request: ParsedRequestOf<'preview:render'>, context: CallContext): Promise<PreviewResult> {
    this.#review.requirePerson(context);
    const siteId = request.siteId ?? (await this.defaultSiteId());
    const profile = profileOf(await this.site(siteId));
    const stored = await this.#store.get(request.articleId);
    const article: StaticArticle = {
      ...stored,
      meta: request.meta ?? stored.meta,
      doc: request.doc ?? stored.doc,
      status: 'published',
      trashedAt: null,
    };
    const others = (await this.liveArticles(siteId)).filter((a) => a.id !== article.id);
    const near = neighbours(profile, sortForListing([...others, article])).get(article.id);
    const bare = (a: StaticArticle | null | undefined): StaticArticle[] => (a ? [{ ...a, doc: { type: 'doc', content: [] } }] : []);
    const assetSource = this.#assetSource(siteId);
    let templates: ThemeFiles | undefined;
    try {
      templates = await this.themeFiles(siteId);
    } catch (error) {
      return { error: { file: '', line: 0, message: error instanceof ApiError ? error.detail : String(error) } };
    }
    const result = renderStaticArticlePage(
      { site: profile, articles: [...bare(near?.prev), article, ...bare(near?.next)], assetSource, templates },
      article.id,
    );
    if (!result) return { error: { file: '', line: 0, message: publishMessage('publish.error.preview', { detail: article.id }) } };
    if ('error' in result) return { error: result.error };
    const assetUrls: Record<string, string> = {};
    for (const src of articleAssetRefs(article)) {
      const data = assetSource(article.id, src);
      if (data) assetUrls[siteHref(profile, assetPath(sha256(data), src))] = src;
    }
    const path = articleRelativePath(profile, article);
    return { html: request.largeText ? withElderClass(result.html) : result.html, assetUrls, path, url: absoluteUrl(profile, path) };
  }

  // ───────────────────────────── outbox ─────────────────────────────

  async #makeTargets(): Promise<PublishTarget[]> {
    const out: PublishTarget[] = [];
    for (const entry of (await this.#targets()).values()) {
      const { config } = entry;
      if (isStatic(config)) {
        out.push(
          new StaticTarget(
            config.id,
            config.label,
            (jobId) => this.#staticPush(entry, jobId),
            (articleId) => this.#staticWithdraw(entry, articleId),
          ),
        );
        continue;
      }
      out.push(
        new DeferredTarget(config.id, config.label, async () => {
          const secret = (await this.#secret(config, true)) ?? '';
          if (this.#options.remoteTarget) return this.#options.remoteTarget(config, secret);
          if (config.kind === 'wordpress') {
            const { WordPressClient } = await import('./wordpress/client');
            return new WordPressClient({
              id: config.id,
              baseUrl: config.baseUrl,
              user: config.user,
              appPassword: secret,
              categoryMap: config.categoryMap,
              skipColumns: config.skipColumns,
              postStatus: config.postStatus,
              withdrawMode: config.withdrawMode,
            });
          }
          return new MetaWeblogClient({ id: config.id, endpoint: config.endpoint, blogId: config.blogId, user: config.user, password: secret });
        }),
      );
    }
    return out;
  }

  #verifyFetch(): typeof fetch | null {
    const network = this.#options.verifyFetch === undefined ? fetch : this.#options.verifyFetch;
    if (!network) return null;
    return async (input, init) => {
      const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
      const local = this.#localPages.get(url);
      if (local) {
        try {
          return new Response(await readFile(local));
        } catch {
          return new Response('', { status: 404 });
        }
      }
      return network(input, init);
    };
  }

  async #openOutbox(): Promise<Outbox> {
    const outbox = await Outbox.open({
      dir: this.#outboxDir,
      targets: await this.#makeTargets(),
      now: this.#options.now,
      baseDelayMs: this.#options.retryBaseDelayMs,
      verifyFetch: this.#verifyFetch(),
    });
    for (const problem of outbox.problems) this.#log(`[publish] outbox job ${problem.file} moved to ${problem.movedTo}: ${problem.detail}`);
    outbox.on((event) => {
      if (event.type === 'succeeded') this.#track(this.#afterSuccess(event.job));
      if (event.type === 'failed' || event.type === 'retry_scheduled' || event.type === 'waiting_offline') {
        this.#log(`[publish] ${event.job.action} ${event.job.articleId} → ${event.job.targetId}: ${event.message}`);
      }
    });
    if (this.#started && !this.#closed) outbox.start();
    return outbox;
  }

  #outboxReady(): Promise<Outbox> {
    if (this.#outbox) return Promise.resolve(this.#outbox);
    this.#opening ??= this.#openOutbox().then((outbox) => {
      this.#outbox = outbox;
      return outbox;
    });
    return this.#opening;
  }

  /** Targets are fixed per Outbox instance, so a changed site reopens it (jobs are all on disk). */
  async #reloadOutbox(): Promise<void> {
    const old = this.#outbox ?? (this.#opening ? await this.#opening : null);
    if (!old) return;
    await old.stop();
    this.#outbox = null;
    this.#opening = null;
    await this.#outboxReady();
  }

  #track(work: Promise<void>): void {
    const tracked = work.catch((error: unknown) => this.#log(`[publish] status update failed: ${error instanceof Error ? error.message : String(error)}`));
    this.#pending.add(tracked);
    void tracked.finally(() => this.#pending.delete(tracked));
  }

  async #afterSuccess(job: OutboxJob): Promise<void> {
    if (!this.#store.summary(job.articleId)) return;
    await this.#store.setStatus(job.articleId, job.action === 'withdraw' ? 'withdrawn' : 'published');
  }

  async #settle(): Promise<void> {
    while (this.#pending.size > 0) await Promise.all([...this.#pending]);
  }

  #requirePublisher(context: CallContext, action: OutboxAction): Person {
    const person = this.#review.requirePerson(context);
    if (!person.roles.includes('publisher')) {
      throw new ApiError(
        'forbidden',
        publishMessage('publish.error.not_publisher', { action: publishMessage(`publish.action.${action}`), name: person.name }),
      );
    }
    return person;
  }

  /** Installs the proofreading gate publish:enqueue asks before queueing publish/update (issue 5). */
  setPublishGate(gate: (article: Article) => Promise<void>): void {
    this.#publishGate = gate;
  }

  /**
   * publish:enqueue — publisher only; publish/update need the current text's
   * full approval and a passing checklist (else `{ok:false, checklist}` and
   * nothing is queued). Jobs are on disk before this returns.
   */
  async enqueue(request: ParsedRequestOf<'publish:enqueue'>, context: CallContext): Promise<EnqueueResult> {
    this.#requirePublisher(context, request.action);
    const entries: TargetEntry[] = [];
    for (const id of [...new Set(request.targetIds)]) entries.push(await this.#target(id));
    const article = await this.#store.get(request.articleId);
    const outbox = await this.#outboxReady();
    if (request.action === 'withdraw') {
      const jobs: OutboxJob[] = [];
      for (const entry of entries) {
        const last = outbox.lastReceipt(entry.config.id, article.id);
        const queued = outbox
          .jobs()
          .some((j) => j.articleId === article.id && j.targetId === entry.config.id && j.action !== 'withdraw' && (j.state === 'pending' || j.state === 'running'));
        if ((!last || last.action === 'withdraw') && !queued) {
          throw new ApiError('conflict', publishMessage('publish.error.nothing_to_withdraw', { target: entry.config.label }));
        }
      }
      for (const entry of entries) {
        const last = outbox.lastReceipt(entry.config.id, article.id);
        jobs.push(
          await outbox.enqueue({
            action: 'withdraw',
            targetId: entry.config.id,
            articleId: article.id,
            contentHash: last?.contentHash ?? '',
            notBefore: request.notBefore ?? null,
          }),
        );
      }
      return { ok: true, jobs: await Promise.all(jobs.map((job) => this.#view(job))) };
    }
    const { contentHash } = await this.#review.assertPublishable(article.id);
    await this.#publishGate?.(article);
    const checklist = prePublishChecklist(article);
    if (checklist.some((item) => !item.ok)) return { ok: false, checklist };
    const payload = buildPublishPayload(article, { assetsDir: join(this.#store.articleFolder(article.id), 'assets') });
    if (entries.some((entry) => isStatic(entry.config))) {
      const file = this.#snapshotFile(article.id, contentHash);
      await mkdir(join(this.#outboxDir, 'snapshots'), { recursive: true });
      await writeFileAtomic(file, `${JSON.stringify({ ...article, status: 'published', trashedAt: null })}\n`);
    }
    const jobs: OutboxJob[] = [];
    for (const entry of entries) {
      jobs.push(
        await outbox.enqueue({
          action: request.action,
          targetId: entry.config.id,
          articleId: article.id,
          contentHash,
          payload,
          notBefore: request.notBefore ?? null,
        }),
      );
    }
    return { ok: true, jobs: await Promise.all(jobs.map((job) => this.#view(job))) };
  }

  async #view(job: OutboxJob, targets?: Map<string, TargetEntry>): Promise<PublishJobView> {
    const entry = (targets ?? (await this.#targets())).get(job.targetId);
    return {
      id: job.id,
      action: job.action,
      articleId: job.articleId,
      title: this.#store.summary(job.articleId)?.title ?? job.payload?.title ?? job.articleId,
      siteId: entry?.siteId ?? '',
      targetId: job.targetId,
      targetLabel: entry?.config.label ?? job.targetId,
      state: job.state,
      attempts: job.attempts,
      createdAt: job.createdAt,
      notBefore: job.notBefore,
      nextAttemptAt: job.nextAttemptAt,
      error: job.lastError?.message ?? null,
      receipt: job.receipt ? { jobId: job.id, ...job.receipt } : null,
    };
  }

  /** publish:jobs — every job (or one article's), newest first, with per-target counts. */
  async jobs(request: ParsedRequestOf<'publish:jobs'>, context: CallContext): Promise<PublishJobsView> {
    this.#review.requirePerson(context);
    const outbox = existsSync(this.#outboxDir) ? await this.#outboxReady() : null;
    const targets = await this.#targets();
    const all = (outbox?.jobs() ?? []).filter((job) => !request.articleId || job.articleId === request.articleId).reverse();
    const counts = new Map<string, PublishJobsView['targets'][number]>();
    for (const [id, entry] of targets) {
      counts.set(id, { targetId: id, label: entry.config.label, pending: 0, running: 0, succeeded: 0, failed: 0 });
    }
    for (const job of all) {
      const row = counts.get(job.targetId);
      if (row && job.state !== 'cancelled') row[job.state] += 1;
    }
    return { jobs: await Promise.all(all.map((job) => this.#view(job, targets))), targets: [...counts.values()] };
  }

  /** publish:receipts — one article's receipts, oldest first. */
  async receipts(request: ParsedRequestOf<'publish:receipts'>, context: CallContext): Promise<PublishReceipt[]> {
    this.#review.requirePerson(context);
    if (!existsSync(this.#outboxDir)) return [];
    const outbox = await this.#outboxReady();
    return outbox
      .jobs()
      .filter((job) => job.articleId === request.articleId && job.receipt)
      .map((job) => ({ jobId: job.id, ...(job.receipt as NonNullable<OutboxJob['receipt']>) }));
  }

  /** publish:retry (publisher) — makes a waiting or failed job due now. */
  async retry(request: ParsedRequestOf<'publish:retry'>, context: CallContext): Promise<PublishJobView> {
    const outbox = await this.#outboxReady();
    const job = outbox.job(request.jobId);
    if (!job) throw new ApiError('not_found', publishMessage('publish.error.job_not_found', { job: request.jobId }));
    this.#requirePublisher(context, job.action);
    await outbox.retryNow(job.id);
    return this.#view(outbox.job(job.id) ?? job);
  }

  /** Sends every due job once (the CLI's `outbox run`); returns the jobs attempted, as they ended. */
  async runDue(): Promise<PublishJobView[]> {
    if (!existsSync(this.#outboxDir)) return [];
    const outbox = await this.#outboxReady();
    const before = new Map(outbox.jobs().map((job) => [job.id, job.attempts]));
    const untouchedDue = () => {
      const now = new Date(this.#options.now?.() ?? Date.now()).toISOString();
      return outbox.jobs().some((job) => job.state === 'pending' && job.nextAttemptAt <= now && job.attempts === (before.get(job.id) ?? 0));
    };
    // A timer run already in flight may have started before the latest jobs were queued: go again for those.
    for (let round = 0; round < 5; round++) {
      await outbox.runDue();
      if (!untouchedDue()) break;
    }
    await this.#settle();
    const attempted = outbox.jobs().filter((job) => job.attempts !== (before.get(job.id) ?? 0));
    const targets = await this.#targets();
    return Promise.all(attempted.map((job) => this.#view(job, targets)));
  }

  /** Resumes sending on a timer (jobs left from a previous run included). */
  start(): void {
    this.#started = true;
    this.#outbox?.start();
  }

  /** Stops the timer and waits for a send in progress and its status update. */
  async close(): Promise<void> {
    this.#closed = true;
    const outbox = this.#outbox ?? (this.#opening ? await this.#opening.catch(() => null) : null);
    await outbox?.stop();
    await this.#settle();
  }
}
