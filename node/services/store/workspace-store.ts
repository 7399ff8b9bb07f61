import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { Low } from 'lowdb';
import type { DuplicateReason } from '../../../shared/api/contract';
import { formatZodError } from '../../../shared/api/dispatch';
import { ApiError } from '../../../shared/api/errors';
import {
  type Article,
  type ArticleMeta,
  type ArticleStatus,
  type ArticleSummary,
  type ImportOrigin,
  newArticle,
  type Revision,
  type RevisionSummary,
  type WorkspaceProblem,
  WorkspaceProblemSchema,
} from '../../../shared/domain/article';
import { type Doc, docToPlainText } from '../../../shared/domain/doc';
import { defaultSettings, type Settings, SettingsSchema } from '../../../shared/domain/settings';
import {
  ARTICLE_FILE,
  ASSETS_DIR,
  articleValidator,
  ID_PATTERN,
  REVISIONS_DIR,
  revisionValidator,
  searchText,
  summarize,
} from './article-file';
import { storedAssetName } from './assets';
import { contentFingerprint } from './fingerprint';
import { encodeShard, INDEX_DIR, type IndexRecord, readIndex, recordHeader, SHARD_COUNT, shardOf, shardPath } from './index-shards';
import {
  AtomicJsonFile,
  BACKUP_SUFFIX,
  type FileStamp,
  isMissing,
  isTempFor,
  parseJsonText,
  readJsonFile,
  StoredFileError,
  writeFileAtomic,
} from './atomic-file';
import { KeyedQueue } from './keyed-queue';

/** Options shared by the store and the services entry point. */
export interface StoreOptions {
  now?: () => Date;
  log?: (message: string) => void;
  /** How long index changes may wait before the index file is rewritten. */
  indexFlushDelayMs?: number;
}

/** Filters of the article list (the parsed `articles:list` request). */
export interface ListFilter {
  status?: ArticleStatus;
  column?: string[];
  query?: string;
  trash?: boolean;
}

interface Entry extends IndexRecord {
  /** This entry's header in its index shard, kept so a flush only re-serialises what changed. */
  header: string | null;
}

const SESSION_MARKER = '.gazette-open';
const PROBLEM_LOG_LIMIT = 500;
/** Files operating systems drop into folders; not worth quarantining. */
const OS_CLUTTER = new Set(['.DS_Store', 'Thumbs.db', 'desktop.ini']);

type LoadResult = Article | 'missing' | 'unusable';

/** An article the workspace already has, found by {@link WorkspaceStore.findDuplicate}. */
export interface DuplicateMatch {
  summary: ArticleSummary;
  reason: DuplicateReason;
}

/**
 * The workspace on disk: one lowdb file per article plus an index cache that
 * can always be rebuilt from the article files. All writes of one article go
 * through one queue, so the in-memory state always matches the last write.
 */
export class WorkspaceStore {
  readonly dir: string;
  readonly #now: () => Date;
  readonly #log: (message: string) => void;
  readonly #flushDelayMs: number;
  readonly #entries = new Map<string, Entry>();
  // Fingerprint → article ids, kept in step with #entries so an import checks for duplicates in O(1) at any size.
  readonly #bySource = new Map<string, Set<string>>();
  readonly #byContent = new Map<string, Set<string>>();
  #sorted: Entry[] | null = null;
  readonly #articleOps = new KeyedQueue();
  readonly #sessionProblems: WorkspaceProblem[] = [];
  #problemLog: WorkspaceProblem[] = [];
  #problemLogWrite: Promise<unknown> = Promise.resolve();
  #settings: Settings = defaultSettings();
  #flushTimer: ReturnType<typeof setTimeout> | null = null;
  readonly #dirtyShards = new Set<number>();
  #lastTimestampMs = 0;
  #closed: Promise<void> | null = null;

  private constructor(dir: string, options: StoreOptions) {
    this.dir = resolve(dir);
    this.#now = options.now ?? (() => new Date());
    this.#log = options.log ?? (() => {});
    this.#flushDelayMs = options.indexFlushDelayMs ?? 2000;
  }

  /** Opens (creating if needed) the workspace in `dir`, recovering what it can. */
  static async open(dir: string, options: StoreOptions = {}): Promise<WorkspaceStore> {
    const store = new WorkspaceStore(dir, options);
    await store.#load();
    return store;
  }

  // ---- paths -------------------------------------------------------------

  get #articlesDir(): string {
    return join(this.dir, 'articles');
  }

  #articleDir(id: string): string {
    return join(this.#articlesDir, id);
  }

  #articleFile(id: string): string {
    return join(this.#articleDir(id), ARTICLE_FILE);
  }

  #relative(path: string): string {
    return relative(this.dir, path).split(sep).join('/');
  }

  // ---- opening -----------------------------------------------------------

  async #load(): Promise<void> {
    await mkdir(this.#articlesDir, { recursive: true });
    const marker = join(this.dir, SESSION_MARKER);
    // A marker left from last time means the app did not close cleanly: look for half-finished writes too.
    const crashed = existsSync(marker);
    await writeFile(marker, JSON.stringify({ pid: process.pid, openedAt: this.#now().toISOString() }));
    await this.#loadProblemLog();
    await this.#loadSettings();
    const cached = await readIndex(this.dir, this.#log);

    const toRead: string[] = [];
    for (const dirent of readdirSync(this.#articlesDir, { withFileTypes: true })) {
      const name = dirent.name;
      if (dirent.isDirectory() && ID_PATTERN.test(name)) {
        const record = cached.get(name);
        if (record && !crashed) {
          const stat = statOrNull(join(this.#articlesDir, name, ARTICLE_FILE));
          if (stat && stat.mtimeMs === record.stamp.mtimeMs && stat.size === record.stamp.size) {
            this.#putEntry(name, { ...record, header: null });
            continue;
          }
        }
        toRead.push(name);
      } else if (!OS_CLUTTER.has(name)) {
        await this.#quarantineForeign(join(this.#articlesDir, name), null, 'not an article folder');
      }
    }
    await forEachLimited(toRead, 8, async (id) => {
      await this.#loadArticleFolder(id, crashed);
    });
    if (cached.size !== this.#entries.size || toRead.length > 0) {
      // Records for vanished folders are still in their shards: rewrite every shard once.
      for (let shard = 0; shard < SHARD_COUNT; shard++) this.#dirtyShards.add(shard);
      this.#scheduleIndexFlush();
    }
    this.#sorted = null;
  }

  /**
   * Reads one article folder, recovering from the backup or from a finished
   * temp file when article.json is missing, damaged or (after a crash) older.
   */
  async #loadArticleFolder(id: string, lookForNewerTemp: boolean): Promise<LoadResult> {
    const folder = this.#articleDir(id);
    const file = join(folder, ARTICLE_FILE);
    const validate = articleValidator(id);
    let current: { article: Article; stamp: FileStamp } | null = null;
    let failure: StoredFileError | null = null;
    try {
      current = await readArticleFile(file, validate);
    } catch (error) {
      if (!(error instanceof StoredFileError)) throw error;
      failure = error;
    }
    if (current && !lookForNewerTemp) {
      this.#setEntry(current.article, current.stamp);
      return current.article;
    }

    const names = await readdir(folder).catch(() => [] as string[]);
    const tempNames = names.filter((name) => isTempFor(ARTICLE_FILE, name));
    const candidates: { path: string; article: Article; fromBackup: boolean }[] = [];
    for (const name of tempNames) {
      const article = await readJsonFile(join(folder, name), validate).catch(() => null);
      if (article) candidates.push({ path: join(folder, name), article, fromBackup: false });
    }
    if (!current) {
      const backupPath = `${file}${BACKUP_SUFFIX}`;
      const backup = await readJsonFile(backupPath, validate).catch(() => null);
      if (backup) candidates.push({ path: backupPath, article: backup, fromBackup: true });
    }
    const pick = (list: typeof candidates) =>
      list.reduce<(typeof candidates)[number] | null>(
        (best, c) => (best === null || c.article.updatedAt > best.article.updatedAt ? c : best),
        null,
      );
    const settleTemps = async (promoted: string | null) => {
      for (const name of tempNames) {
        const path = join(folder, name);
        if (path === promoted) await unlink(path).catch(() => {});
        else if (existsSync(path)) {
          const moved = await this.#quarantine(path);
          this.#log(`[store] unfinished write ${this.#relative(path)} moved to ${moved}`);
        }
      }
    };

    if (current) {
      const currentArticle = current.article;
      const newer = pick(candidates.filter((c) => c.article.updatedAt > currentArticle.updatedAt));
      if (newer) {
        this.#log(`[store] ${id}: finishing a save interrupted by a crash`);
        await this.#writeArticle(newer.article);
        await settleTemps(newer.path);
        return newer.article;
      }
      await settleTemps(null);
      this.#setEntry(current.article, current.stamp);
      return current.article;
    }

    let quarantinedAs: string | null = null;
    if (failure) {
      quarantinedAs = await this.#quarantine(file);
      if (failure.kind === 'foreign') {
        this.#report({
          kind: 'foreign',
          file: this.#relative(file),
          quarantinedAs,
          articleId: id,
          detail: failure.message,
        });
      }
    }
    const best = pick(candidates);
    if (best) {
      await this.#writeArticle(best.article);
      await settleTemps(best.fromBackup ? null : best.path);
      if (best.fromBackup) {
        const why = failure ? failure.message : 'article.json was missing';
        this.#report({
          kind: 'recovered_from_backup',
          file: this.#relative(file),
          quarantinedAs,
          articleId: id,
          detail: `${why}; restored the previous version saved ${best.article.updatedAt}`,
        });
      } else {
        this.#log(`[store] ${id}: recovered the last save from an unfinished write`);
      }
      return best.article;
    }
    await settleTemps(null);
    this.#dropEntry(id);
    if (failure?.kind === 'damaged') {
      this.#report({
        kind: 'unrecoverable',
        file: this.#relative(file),
        quarantinedAs,
        articleId: id,
        detail: `${failure.message}; no usable backup`,
      });
    }
    return failure ? 'unusable' : 'missing';
  }

  // ---- problems, quarantine ---------------------------------------------

  async #loadProblemLog(): Promise<void> {
    const file = join(this.dir, 'problems.json');
    try {
      const log = await readJsonFile(file, (raw, path) => {
        const parsed = WorkspaceProblemSchema.array().safeParse(raw);
        if (!parsed.success) throw new StoredFileError('damaged', path, formatZodError(parsed.error));
        return parsed.data;
      });
      this.#problemLog = log ?? [];
    } catch (error) {
      if (!(error instanceof StoredFileError)) throw error;
      const quarantinedAs = await this.#quarantine(file);
      this.#report({ kind: 'damaged', file: 'problems.json', quarantinedAs, articleId: null, detail: error.message });
    }
  }

  #report(problem: Omit<WorkspaceProblem, 'at'>): void {
    const full: WorkspaceProblem = { ...problem, at: this.#now().toISOString() };
    this.#log(`[store] ${full.kind}: ${full.file} — ${full.detail}`);
    this.#sessionProblems.push(full);
    this.#problemLog = [...this.#problemLog, full].slice(-PROBLEM_LOG_LIMIT);
    const snapshot = `${JSON.stringify(this.#problemLog, null, 2)}\n`;
    this.#problemLogWrite = this.#problemLogWrite
      .then(() => writeFileAtomic(join(this.dir, 'problems.json'), snapshot))
      .catch((error: unknown) => this.#log(`[store] could not write problems.json: ${String(error)}`));
  }

  /** Moves a file aside (never deletes it); returns its workspace-relative new path. */
  async #quarantine(path: string): Promise<string> {
    const folder = join(this.dir, 'quarantine');
    await mkdir(folder, { recursive: true });
    const stamp = this.#now().toISOString().replace(/[:.]/g, '-');
    const label = this.#relative(path).replace(/\//g, '__');
    let name = `${stamp}_${label}`;
    for (let n = 2; existsSync(join(folder, name)); n++) name = `${stamp}_${n}_${label}`;
    await rename(path, join(folder, name));
    return `quarantine/${name}`;
  }

  async #quarantineForeign(path: string, articleId: string | null, detail: string): Promise<void> {
    const quarantinedAs = await this.#quarantine(path);
    this.#report({ kind: 'foreign', file: this.#relative(path), quarantinedAs, articleId, detail });
  }

  /** Problems found since the workspace was opened. */
  sessionProblems(): WorkspaceProblem[] {
    return [...this.#sessionProblems];
  }

  /** The persistent problem log (newest last, capped). */
  problemLog(): WorkspaceProblem[] {
    return [...this.#problemLog];
  }

  // ---- settings ----------------------------------------------------------

  #settingsDb(): Low<Settings> {
    const adapter = new AtomicJsonFile<Settings>(
      join(this.dir, 'settings.json'),
      (raw, path) => {
        const parsed = SettingsSchema.safeParse(raw);
        if (!parsed.success) throw new StoredFileError('damaged', path, `invalid settings: ${formatZodError(parsed.error)}`);
        return parsed.data;
      },
      { backup: true },
    );
    return new Low(adapter, defaultSettings());
  }

  async #loadSettings(): Promise<void> {
    const db = this.#settingsDb();
    try {
      await db.read();
      this.#settings = db.data;
    } catch (error) {
      if (!(error instanceof StoredFileError)) throw error;
      const quarantinedAs = await this.#quarantine(error.file);
      this.#report({ kind: 'damaged', file: 'settings.json', quarantinedAs, articleId: null, detail: `${error.message}; using defaults` });
      this.#settings = defaultSettings();
    }
  }

  /** Current settings (defaults when none were saved). */
  settings(): Settings {
    return structuredClone(this.#settings);
  }

  /** Replaces the settings. */
  async saveSettings(settings: Settings): Promise<Settings> {
    const db = this.#settingsDb();
    db.data = SettingsSchema.parse(settings);
    await this.#articleOps.run('\0settings', () => db.write());
    this.#settings = db.data;
    return this.settings();
  }

  // ---- index ---------------------------------------------------------------

  #setEntry(article: Article, stamp: FileStamp, bodyText: string = docToPlainText(article.doc)): ArticleSummary {
    const summary = summarize(article, bodyText);
    this.#putEntry(article.id, {
      summary,
      text: searchText(article, bodyText),
      stamp,
      header: null,
      origin: article.importedFrom ?? null,
      contentSha256: contentFingerprint(article.meta, bodyText),
    });
    this.#sorted = null;
    this.#dirtyShards.add(shardOf(article.id));
    this.#scheduleIndexFlush();
    return summary;
  }

  #putEntry(id: string, entry: Entry): void {
    this.#unlinkFingerprints(id);
    this.#entries.set(id, entry);
    const link = (map: Map<string, Set<string>>, key: string | null | undefined) => {
      if (!key) return;
      const ids = map.get(key);
      if (ids) ids.add(id);
      else map.set(key, new Set([id]));
    };
    link(this.#bySource, entry.origin?.sha256);
    link(this.#byContent, entry.origin?.contentSha256);
    link(this.#byContent, entry.contentSha256);
  }

  #unlinkFingerprints(id: string): void {
    const entry = this.#entries.get(id);
    if (!entry) return;
    const unlink = (map: Map<string, Set<string>>, key: string | null | undefined) => {
      if (!key) return;
      const ids = map.get(key);
      ids?.delete(id);
      if (ids?.size === 0) map.delete(key);
    };
    unlink(this.#bySource, entry.origin?.sha256);
    unlink(this.#byContent, entry.origin?.contentSha256);
    unlink(this.#byContent, entry.contentSha256);
  }

  #dropEntry(id: string): void {
    this.#unlinkFingerprints(id);
    if (this.#entries.delete(id)) {
      this.#sorted = null;
      this.#dirtyShards.add(shardOf(id));
      this.#scheduleIndexFlush();
    }
  }

  #scheduleIndexFlush(): void {
    if (this.#flushTimer || this.#closed) return;
    // A fixed delay from the first change (not a sliding debounce) so constant autosaves cannot starve it.
    this.#flushTimer = setTimeout(() => {
      this.#flushTimer = null;
      this.flushIndex().catch((error: unknown) => this.#log(`[store] index flush failed: ${String(error)}`));
    }, this.#flushDelayMs);
    this.#flushTimer.unref?.();
  }

  /** Writes the index shards that changed since the last flush. */
  async flushIndex(): Promise<void> {
    if (this.#dirtyShards.size === 0) return;
    const shards = [...this.#dirtyShards];
    this.#dirtyShards.clear();
    const members = new Map<number, Entry[]>(shards.map((shard) => [shard, []]));
    for (const entry of this.#entries.values()) members.get(shardOf(entry.summary.id))?.push(entry);
    await mkdir(join(this.dir, INDEX_DIR), { recursive: true });
    for (const shard of shards) {
      const entries = members.get(shard) ?? [];
      if (entries.length === 0) {
        await rm(shardPath(this.dir, shard), { force: true });
        continue;
      }
      const headers = entries.map((entry) => (entry.header ??= recordHeader(entry)));
      try {
        await writeFileAtomic(shardPath(this.dir, shard), encodeShard(headers, entries.map((entry) => entry.text)));
      } catch (error) {
        this.#dirtyShards.add(shard);
        throw error;
      }
    }
  }

  #sortedEntries(): Entry[] {
    if (!this.#sorted) {
      this.#sorted = [...this.#entries.values()].sort((a, b) => {
        // Plain code-unit order: ISO times sort correctly, and localeCompare is 10× slower on 10,000 rows.
        const x = a.summary;
        const y = b.summary;
        if (x.updatedAt !== y.updatedAt) return x.updatedAt > y.updatedAt ? -1 : 1;
        return x.id < y.id ? -1 : x.id > y.id ? 1 : 0;
      });
    }
    return this.#sorted;
  }

  // ---- articles --------------------------------------------------------------

  /** Summaries, last changed first. A query must match every space-separated term. */
  list(filter: ListFilter = {}): ArticleSummary[] {
    const terms = (filter.query ?? '').toLowerCase().split(/\s+/).filter(Boolean);
    const column = filter.column ?? [];
    const trash = filter.trash ?? false;
    const items: ArticleSummary[] = [];
    for (const entry of this.#sortedEntries()) {
      const s = entry.summary;
      if ((s.trashedAt !== null) !== trash) continue;
      if (filter.status && s.status !== filter.status) continue;
      if (column.length > 0 && !column.every((name, i) => s.column[i] === name)) continue;
      if (terms.length > 0 && !terms.every((term) => entry.text.includes(term))) continue;
      items.push(s);
    }
    return items;
  }

  /** The summary of one article, or undefined. */
  summary(id: string): ArticleSummary | undefined {
    return this.#entries.get(id)?.summary;
  }

  #requireEntry(id: string): Entry {
    const entry = this.#entries.get(id);
    if (!entry) throw new ApiError('not_found', `article ${id} does not exist`);
    return entry;
  }

  /** Reads an article from disk (recovering it if its file went bad). */
  async get(id: string): Promise<Article> {
    this.#requireEntry(id);
    return this.#articleOps.run(id, () => this.#readArticle(id));
  }

  async #readArticle(id: string): Promise<Article> {
    const entry = this.#requireEntry(id);
    try {
      const current = await readArticleFile(this.#articleFile(id), articleValidator(id));
      if (current) {
        const { stamp } = entry;
        if (current.stamp.mtimeMs !== stamp.mtimeMs || current.stamp.size !== stamp.size) {
          this.#setEntry(current.article, current.stamp);
        }
        return current.article;
      }
    } catch (error) {
      if (!(error instanceof StoredFileError)) throw error;
    }
    const result = await this.#loadArticleFolder(id, false);
    if (typeof result !== 'string') return result;
    this.#dropEntry(id);
    if (result === 'missing') throw new ApiError('not_found', `article ${id} no longer exists on disk`);
    throw new ApiError('damaged_file', `article ${id} is damaged and has no usable backup; the file was moved to quarantine`);
  }

  async #writeArticle(article: Article): Promise<ArticleSummary> {
    const adapter = new AtomicJsonFile<Article>(this.#articleFile(article.id), articleValidator(article.id), {
      backup: true,
    });
    const db = new Low<Article>(adapter, article);
    await db.write();
    if (!adapter.lastWritten) throw new Error('write finished without a file stamp');
    return this.#setEntry(article, adapter.lastWritten);
  }

  /** An ISO time strictly after `previous`, so "last changed first" and conflict checks never tie. */
  #timestamp(previous?: string): string {
    let ms = this.#now().getTime();
    const floor = Math.max(this.#lastTimestampMs, previous ? Date.parse(previous) || 0 : 0);
    if (ms <= floor) ms = floor + 1;
    this.#lastTimestampMs = ms;
    return new Date(ms).toISOString();
  }

  #newId(): string {
    for (;;) {
      const id = randomBytes(12).toString('base64url');
      // An id starting with '-' reads as an option on a command line (`gazette export -x…`); draw again.
      if (id.startsWith('-')) continue;
      if (!this.#entries.has(id) && !existsSync(this.#articleDir(id))) return id;
    }
  }

  /**
   * An article (trashed ones included) that holds the same material: first one
   * imported from the very same bytes, else one with the same content
   * fingerprint, whether as imported or as it reads now. Of several, the one
   * outside the trash, then the oldest, so the answer is stable.
   */
  findDuplicate(sourceSha256: string, contentSha256: string | null): DuplicateMatch | null {
    const sortKey = (s: ArticleSummary) => `${s.trashedAt === null ? 0 : 1}\u0000${s.createdAt}\u0000${s.id}`;
    const pick = (ids: Set<string> | undefined): ArticleSummary | null => {
      let best: ArticleSummary | null = null;
      for (const id of ids ?? []) {
        const summary = this.#entries.get(id)?.summary;
        if (summary && (best === null || sortKey(summary) < sortKey(best))) best = summary;
      }
      return best;
    };
    const sameFile = pick(this.#bySource.get(sourceSha256));
    if (sameFile) return { summary: sameFile, reason: 'same-file' };
    const sameArticle = contentSha256 ? pick(this.#byContent.get(contentSha256)) : null;
    return sameArticle ? { summary: sameArticle, reason: 'same-article' } : null;
  }

  /** Creates a draft article from metadata and body; `importedFrom` marks it as imported material. */
  async create(meta: ArticleMeta, doc: Doc, options: { importedFrom?: ImportOrigin } = {}): Promise<Article> {
    const id = this.#newId();
    return this.#articleOps.run(id, async () => {
      await mkdir(this.#articleDir(id), { recursive: true });
      const article = newArticle(id, this.#timestamp(), meta, doc);
      if (options.importedFrom) article.importedFrom = options.importedFrom;
      await this.#writeArticle(article);
      return article;
    });
  }

  /**
   * Autosave. With `baseUpdatedAt`, refuses to overwrite a version the caller
   * has not seen (someone else saved in between). `options` lets review keep
   * the status and the imported-copy link in step with the review state.
   */
  async save(
    id: string,
    meta: ArticleMeta,
    doc: Doc,
    baseUpdatedAt?: string,
    options: { status?: ArticleStatus; conflictOf?: string | null } = {},
  ): Promise<{ updatedAt: string; summary: ArticleSummary }> {
    this.#requireEntry(id);
    return this.#articleOps.run(id, async () => {
      const { summary, origin } = this.#requireEntry(id);
      if (baseUpdatedAt !== undefined && baseUpdatedAt !== summary.updatedAt) {
        throw new ApiError('conflict', `article ${id} was changed elsewhere at ${summary.updatedAt}`);
      }
      const article: Article = {
        ...newArticle(id, summary.createdAt, meta, doc),
        updatedAt: this.#timestamp(summary.updatedAt),
        status: options.status ?? summary.status,
        trashedAt: summary.trashedAt,
      };
      if (options.conflictOf) article.conflictOf = options.conflictOf;
      // Edits do not change where the article came from; dropping this would let the same file be imported again.
      if (origin) article.importedFrom = origin;
      const saved = await this.#writeArticle(article);
      return { updatedAt: article.updatedAt, summary: saved };
    });
  }

  /** Moves the article to a workflow status (review keeps it equal to the review state's). */
  async setStatus(id: string, status: ArticleStatus): Promise<ArticleSummary> {
    const entry = this.#requireEntry(id);
    if (entry.summary.status === status) return entry.summary;
    return this.#update(id, (article) => ({ ...article, status }));
  }

  /** The article's folder on disk (review keeps review.json and events.jsonl there). */
  articleFolder(id: string): string {
    this.#requireEntry(id);
    return this.#articleDir(id);
  }

  /**
   * Writes an article received from elsewhere (a transfer package) under its
   * own id, with its revisions and assets. Refuses an id that already exists.
   */
  async adopt(
    article: Article,
    revisions: readonly Revision[],
    assets: readonly { name: string; bytes: Uint8Array }[],
  ): Promise<ArticleSummary> {
    if (this.#entries.has(article.id) || existsSync(this.#articleDir(article.id))) {
      throw new ApiError('conflict', `article ${article.id} already exists`);
    }
    return this.#articleOps.run(article.id, async () => {
      const folder = this.#articleDir(article.id);
      await mkdir(join(folder, REVISIONS_DIR), { recursive: true });
      for (const revision of revisions) {
        if (!ID_PATTERN.test(revision.id)) continue;
        await writeFileAtomic(join(folder, REVISIONS_DIR, `${revision.id}.json`), `${JSON.stringify({ ...revision, articleId: article.id }, null, 2)}\n`);
      }
      if (assets.length > 0) await mkdir(join(folder, ASSETS_DIR), { recursive: true });
      for (const asset of assets) {
        if (asset.name === '' || /[/\\\0:]/.test(asset.name) || asset.name.startsWith('.')) continue;
        await writeFileAtomic(join(folder, ASSETS_DIR, asset.name), asset.bytes);
      }
      return this.#writeArticle({ ...article, updatedAt: this.#timestamp(article.updatedAt) });
    });
  }

  /** A fresh article id (for imported copies that must not take a local article's place). */
  newArticleId(): string {
    return this.#newId();
  }

  /** Moves an article to the trash (its files stay). */
  async trash(id: string): Promise<ArticleSummary> {
    return this.#update(id, (article) => ({ ...article, trashedAt: article.trashedAt ?? this.#now().toISOString() }));
  }

  /** Takes an article out of the trash. */
  async restore(id: string): Promise<ArticleSummary> {
    return this.#update(id, (article) => ({ ...article, trashedAt: null }));
  }

  async #update(id: string, change: (article: Article) => Article): Promise<ArticleSummary> {
    this.#requireEntry(id);
    return this.#articleOps.run(id, async () => this.#writeArticle(change(await this.#readArticle(id))));
  }

  /** Deletes an article's folder for good; only articles already in the trash. */
  async purge(id: string): Promise<{ id: string }> {
    this.#requireEntry(id);
    return this.#articleOps.run(id, async () => {
      const { summary } = this.#requireEntry(id);
      if (summary.trashedAt === null) {
        throw new ApiError('conflict', `article ${id} is not in the trash; move it to the trash first`);
      }
      await rm(this.#articleDir(id), { recursive: true, force: true });
      this.#dropEntry(id);
      return { id };
    });
  }

  // ---- versions --------------------------------------------------------------

  /** Stores the article's current content as a named, immutable revision. */
  async saveVersion(
    id: string,
    name: string,
    extra: { author?: { id: string; name: string } | null; reason?: string } = {},
  ): Promise<RevisionSummary> {
    this.#requireEntry(id);
    return this.#articleOps.run(id, async () => {
      const article = await this.#readArticle(id);
      const createdAt = this.#timestamp();
      // Time-ordered ids keep newest-first listing stable even for same-millisecond saves.
      const revisionId = `${Date.parse(createdAt).toString(36).padStart(9, '0')}-${randomBytes(6).toString('base64url')}`;
      const revision: Revision = { id: revisionId, articleId: id, name, createdAt, meta: article.meta, doc: article.doc };
      if (extra.author !== undefined) revision.author = extra.author;
      if (extra.reason !== undefined) revision.reason = extra.reason;
      const folder = join(this.#articleDir(id), REVISIONS_DIR);
      await mkdir(folder, { recursive: true });
      await writeFileAtomic(join(folder, `${revisionId}.json`), `${JSON.stringify(revision, null, 2)}\n`);
      return { id: revisionId, articleId: id, name, createdAt, author: revision.author, reason: revision.reason };
    });
  }

  /** Named revisions, newest first. Damaged revision files are quarantined and reported. */
  async versions(id: string): Promise<RevisionSummary[]> {
    this.#requireEntry(id);
    const folder = join(this.#articleDir(id), REVISIONS_DIR);
    const names = await readdir(folder).catch((error: unknown) => {
      if (isMissing(error)) return [] as string[];
      throw error;
    });
    const out: RevisionSummary[] = [];
    for (const name of names) {
      if (!name.endsWith('.json') || !ID_PATTERN.test(name.slice(0, -5))) continue;
      const revision = await this.#readRevision(id, name.slice(0, -5)).catch(() => null);
      if (revision) {
        out.push({
          id: revision.id,
          articleId: id,
          name: revision.name,
          createdAt: revision.createdAt,
          author: revision.author,
          reason: revision.reason,
        });
      }
    }
    return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  }

  /** One revision in full. */
  async getVersion(id: string, revisionId: string): Promise<Revision> {
    this.#requireEntry(id);
    if (!ID_PATTERN.test(revisionId)) throw new ApiError('not_found', `no revision ${revisionId}`);
    const revision = await this.#readRevision(id, revisionId);
    if (!revision) throw new ApiError('not_found', `no revision ${revisionId}`);
    return revision;
  }

  async #readRevision(id: string, revisionId: string): Promise<Revision | null> {
    const file = join(this.#articleDir(id), REVISIONS_DIR, `${revisionId}.json`);
    try {
      const revision = await readJsonFile(file, revisionValidator(id));
      if (revision && revision.id !== revisionId) {
        throw new StoredFileError('foreign', file, `file holds revision ${revision.id}`);
      }
      return revision;
    } catch (error) {
      if (!(error instanceof StoredFileError)) throw error;
      const quarantinedAs = await this.#quarantine(file);
      this.#report({ kind: error.kind, file: this.#relative(file), quarantinedAs, articleId: id, detail: error.message });
      throw new ApiError('damaged_file', `revision ${revisionId} is damaged and was moved to quarantine`);
    }
  }

  // ---- assets ----------------------------------------------------------------

  /** Stores a file in the article's assets; returns the `src` to put in the doc. */
  async addAsset(articleId: string, fileName: string, _mime: string, data: Uint8Array): Promise<{ src: string }> {
    this.#requireEntry(articleId);
    const name = storedAssetName(fileName, data);
    const folder = join(this.#articleDir(articleId), ASSETS_DIR);
    const path = join(folder, name);
    // The name is a content hash: an existing file already holds these exact bytes.
    if (!existsSync(path)) {
      await mkdir(folder, { recursive: true });
      await writeFileAtomic(path, data);
    }
    return { src: `${ASSETS_DIR}/${name}` };
  }

  /** Absolute path of an asset, or null if `src` points outside the article's assets or to nothing. */
  assetPath(articleId: string, src: string): string | null {
    if (!ID_PATTERN.test(articleId) || !src.startsWith(`${ASSETS_DIR}/`)) return null;
    const name = src.slice(ASSETS_DIR.length + 1);
    if (name === '' || name === '.' || name === '..' || /[/\\\0:]/.test(name)) return null;
    const folder = join(this.#articleDir(articleId), ASSETS_DIR);
    const path = resolve(folder, name);
    const rel = relative(folder, path);
    if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return null;
    const stat = statOrNull(path);
    return stat?.isFile() ? path : null;
  }

  // ---- closing ---------------------------------------------------------------

  /** Waits for pending writes, flushes the index and marks a clean shutdown. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      if (this.#flushTimer) clearTimeout(this.#flushTimer);
      this.#flushTimer = null;
      await this.#articleOps.idle();
      await this.flushIndex();
      await this.#problemLogWrite;
      await rm(join(this.dir, SESSION_MARKER), { force: true });
    })();
    return this.#closed;
  }
}

/** Reads and validates an article file, with the stamp of exactly the bytes read. */
async function readArticleFile(
  file: string,
  validate: ReturnType<typeof articleValidator>,
): Promise<{ article: Article; stamp: FileStamp } | null> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
  try {
    const stat = await handle.stat();
    const text = await handle.readFile('utf8');
    return { article: parseJsonText(text, file, validate), stamp: { mtimeMs: stat.mtimeMs, size: stat.size } };
  } finally {
    await handle.close();
  }
}

function statOrNull(path: string): ReturnType<typeof statSync> | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

async function forEachLimited<T>(items: readonly T[], limit: number, task: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await task(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
