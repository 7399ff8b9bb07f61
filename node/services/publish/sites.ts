import { mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { CallContext, ConnectionTestResult, ParsedRequestOf, PublishTargetConfig, SiteConfig, SiteSummary } from '../../../shared/api/contract';
import { plainHttpRefusal, SiteConfigSchema } from '../../../shared/api/contract';
import { ApiError } from '../../../shared/api/errors';
import type { ThemeFiles } from '../../../shared/portal/render';
import { defaultSiteProfile, type SiteProfile } from '../../../shared/portal/site';
import { isMissing, readJsonFile, StoredFileError, writeFileAtomic } from '../store/atomic-file';
import { KeyedQueue } from '../store/keyed-queue';
import type { WorkspaceStore } from '../store/workspace-store';
import { requireCredentialKeeper, type SessionGuard } from './access';
import { testTargetConnection } from './connection-test';
import type { CredentialStore } from './credentials';
import { publishMessage } from './outbox/messages';
import { PublishError } from './outbox/publish-error';

/** Theme files larger than this are refused (a template is text, not a video). */
const MAX_THEME_FILE_BYTES = 2 * 1024 * 1024;
const THEME_FILE = /^[A-Za-z0-9_.-]+\.(liquid|css)$/;

/** A publishing target and the site it belongs to. */
export interface TargetEntry {
  siteId: string;
  config: PublishTargetConfig;
}

/** A target published to by rebuilding the site and mirroring the build folder. */
export type StaticTargetConfig = Extract<PublishTargetConfig, { kind: 'static-folder' | 'static-sftp' }>;

/** The profile part of a site file: what the renderer sees (targets never influence a page). */
export function profileOf(config: SiteConfig): SiteProfile {
  const { targets: _targets, ...profile } = config;
  return profile;
}

export function isStatic(config: PublishTargetConfig): config is StaticTargetConfig {
  return config.kind === 'static-folder' || config.kind === 'static-sftp';
}

function credentialNameOf(config: PublishTargetConfig): string {
  return config.credentialName || `target:${config.id}`;
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

/**
 * Whether two configurations of a target talk to the same server as the same
 * account: a stored password is only ever sent where it was saved for.
 */
function sameAccount(saved: PublishTargetConfig, asked: PublishTargetConfig): boolean {
  if (saved.kind === 'wordpress' && asked.kind === 'wordpress') return saved.baseUrl === asked.baseUrl && saved.user === asked.user;
  if (saved.kind === 'metaweblog' && asked.kind === 'metaweblog') return saved.endpoint === asked.endpoint && saved.user === asked.user;
  if (saved.kind === 'static-sftp' && asked.kind === 'static-sftp') {
    return saved.host === asked.host && saved.port === asked.port && saved.username === asked.username && saved.privateKeyPath === asked.privateKeyPath;
  }
  return false;
}

/** Connection tests running at once; each may hold a socket for its whole time limit. */
const MAX_CONNECTION_TESTS = 2;

/** Options of {@link SiteService}. */
export interface SiteServiceOptions {
  store: WorkspaceStore;
  guard: SessionGuard;
  credentials: CredentialStore;
  log?: (message: string) => void;
}

/**
 * The workspace's portal sites: one `<ws>/sites/<id>.json` per site (profile
 * and publishing targets), its theme in `<ws>/sites/<id>/theme/`, and the
 * targets' passwords in the credential store.
 */
export class SiteService {
  readonly #store: WorkspaceStore;
  readonly #guard: SessionGuard;
  readonly #credentials: CredentialStore;
  readonly #log: (message: string) => void;
  readonly #dir: string;
  readonly #writes = new KeyedQueue();
  readonly #savedListeners: ((siteId: string) => Promise<void>)[] = [];
  #connectionTests = 0;

  constructor(options: SiteServiceOptions) {
    this.#store = options.store;
    this.#guard = options.guard;
    this.#credentials = options.credentials;
    this.#log = options.log ?? (() => {});
    this.#dir = join(options.store.dir, 'sites');
  }

  /** The site's own folder (`<ws>/sites/<id>/`): theme, site assets, live copies and build. */
  folder(siteId: string): string {
    return join(this.#dir, siteId);
  }

  /** Runs `listener` after a site is saved and before sites:save answers (the outbox reopens with the new targets). */
  onSaved(listener: (siteId: string) => Promise<void>): void {
    this.#savedListeners.push(listener);
  }

  #siteFile(id: string): string {
    return join(this.#dir, `${id}.json`);
  }

  async #siteIds(): Promise<string[]> {
    const names = await readdir(this.#dir).catch((error: unknown) => {
      if (isMissing(error)) return [] as string[];
      throw error;
    });
    return names
      .filter((name) => /^[a-z0-9][a-z0-9_-]{0,63}\.json$/.test(name))
      .map((name) => name.slice(0, -'.json'.length))
      .sort();
  }

  /**
   * The workspace's sites; with none saved, the default site. The default is
   * not written until an administrator saves it: on a desktop joined to an
   * office server a site file travels as the office's, and a default nobody
   * chose must never pass for one (or take the place of the office's).
   */
  async #ensureDefaultSite(): Promise<string[]> {
    const ids = await this.#siteIds();
    return ids.length > 0 ? ids : [defaultSiteProfile().id];
  }

  /**
   * Site files another desktop's administrator changed arrived through the
   * office sync: whatever was opened with the old targets (the outbox) opens
   * again with the new ones.
   */
  async received(siteIds: readonly string[]): Promise<void> {
    if (siteIds.length === 0) return;
    for (const listener of this.#savedListeners) await listener(siteIds[0]!);
  }

  async #writeSite(site: SiteConfig): Promise<void> {
    await mkdir(this.#dir, { recursive: true });
    await writeFileAtomic(this.#siteFile(site.id), `${JSON.stringify(site, null, 2)}\n`, { backup: true });
  }

  /** Reads a site file; a damaged one is reported with file and reason and left untouched. */
  async site(id: string): Promise<SiteConfig> {
    await this.#ensureDefaultSite();
    let site: SiteConfig | null;
    try {
      site = await readJsonFile(this.#siteFile(id), validateSiteFile);
      if (!site && id === defaultSiteProfile().id && (await this.#siteIds()).length === 0) site = { ...defaultSiteProfile(), targets: [] };
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
    const dir = join(this.folder(siteId), 'theme');
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
    this.#guard.requirePerson(context);
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
    this.#guard.requirePerson(context);
    return this.site(id);
  }

  /** sites:save (admin). Target ids are unique across sites because the outbox knows targets by id alone. */
  async saveSite(site: SiteConfig, context: CallContext): Promise<SiteConfig> {
    this.#guard.requireAdmin(context, 'session.action.saveSettings');
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
    await this.#writes.run(site.id, () => this.#writeSite(site));
    for (const listener of this.#savedListeners) await listener(site.id);
    return this.site(site.id);
  }

  /** Every target of every readable site, by id; a target id already taken by another site is skipped. */
  async targets(): Promise<Map<string, TargetEntry>> {
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

  async target(targetId: string): Promise<TargetEntry> {
    const entry = (await this.targets()).get(targetId);
    if (!entry) throw new ApiError('not_found', publishMessage('publish.error.unknown_target', { target: targetId }));
    return entry;
  }

  /** targets:setCredential (publisher or admin); the secret is stored encrypted and never returned. */
  async setCredential(request: ParsedRequestOf<'targets:setCredential'>, context: CallContext): Promise<{ ok: true; name: string }> {
    requireCredentialKeeper(this.#guard, context);
    const entry = await this.target(request.targetId);
    if (request.siteId && entry.siteId !== request.siteId) {
      throw new ApiError('not_found', publishMessage('publish.error.unknown_target', { target: request.targetId }));
    }
    const name = credentialNameOf(entry.config);
    await this.#credentials.set(name, request.secret);
    return { ok: true, name };
  }

  /**
   * targets:test (publisher or admin): logs in to the target as the form has
   * it. Without a typed password the stored one is used, and only when the
   * saved target has the same address and account: otherwise anyone allowed to
   * test could point a saved target's name at their own server and collect
   * its password.
   */
  async testConnection(request: ParsedRequestOf<'targets:test'>, context: CallContext): Promise<ConnectionTestResult> {
    requireCredentialKeeper(this.#guard, context);
    const target = request.target;
    if (target.kind === 'static-folder') throw new ApiError('invalid_request', 'target.kind: a folder target has no connection to test');
    const refusal = plainHttpRefusal(target);
    if (refusal) return { ok: false, outcome: 'insecure', detail: refusal };
    let secret = request.secret ? request.secret : null;
    if (secret === null) {
      const saved = (await this.targets()).get(target.id);
      if (saved && (!request.siteId || saved.siteId === request.siteId) && sameAccount(saved.config, target)) {
        try {
          secret = await this.secret(saved.config, false);
        } catch (error) {
          return { ok: false, outcome: 'no_password', detail: error instanceof Error ? error.message : String(error) };
        }
      }
      // An SFTP key without a passphrase needs no password at all.
      if (secret === null && !(target.kind === 'static-sftp' && target.privateKeyPath)) return { ok: false, outcome: 'no_password' };
    }
    if (this.#connectionTests >= MAX_CONNECTION_TESTS) return { ok: false, outcome: 'busy' };
    this.#connectionTests++;
    try {
      return await testTargetConnection(target, secret);
    } finally {
      this.#connectionTests--;
    }
  }

  /** The target's stored password; with `required`, a missing one is an authentication failure of the job. */
  async secret(config: PublishTargetConfig, required: boolean): Promise<string | null> {
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
}
