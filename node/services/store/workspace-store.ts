import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Low } from 'lowdb';
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
} from '../../../shared/domain/article';
import type { Doc } from '../../../shared/domain/doc';
import type { Settings } from '../../../shared/domain/settings';
import { ArticleAssets, type StoredAssetDigest } from './article-assets';
import { ARTICLE_FILE, articleValidator, ID_PATTERN } from './article-file';
import { type EarlyList, readEarlyList } from './early-list';
import { ArticleIndex, type DuplicateMatch, type ListFilter, type ListRange, type SearchAnswer } from './article-index';
import { type ArticleFolderResult, loadArticleFolder, readArticleFile } from './article-recovery';
import { AtomicJsonFile, isMissing, StoredFileError, writeFileAtomic } from './atomic-file';
import { type IndexRecord, recordIsCurrent } from './index-shards';
import { KeyedQueue } from './keyed-queue';
import { ProblemLog } from './problem-log';
import { type RevisionExtra, Revisions } from './revisions';
import { removeStaleTemps } from './stale-temps';
import { SettingsFile } from './settings-file';
import { StoreError } from './store-error';

export type { DuplicateMatch, ListFilter, ListRange, SearchAnswer };

/** An article's signed record, kept in its folder (see node/services/record/record-store.ts). */
const RECORD_FILE = 'record.jsonl';
const TOMBSTONES_DIR = 'tombstones';
export const TOMBSTONE_FORMAT = 'gazette/tombstone';

/** What a purged article leaves: who purged it and when, and its record as it was. */
export interface Tombstone {
  format: typeof TOMBSTONE_FORMAT;
  articleId: string;
  title: string;
  purgedAt: string;
  purgedBy: string;
  /** The record.jsonl text at the moment of purging. */
  record: string;
}

/** Options shared by the store and the services entry point. */
export interface StoreOptions {
  now?: () => Date;
  log?: (message: string) => void;
  /** How long index changes may wait before the index file is rewritten. */
  indexFlushDelayMs?: number;
}

const SESSION_MARKER = '.gazette-open';
/** Files operating systems drop into folders; not worth quarantining. */
const OS_CLUTTER = new Set(['.DS_Store', 'Thumbs.db', 'desktop.ini']);

/**
 * The workspace on disk: one lowdb file per article plus an index cache that
 * can always be rebuilt from the article files. All writes of one article go
 * through one queue, so the in-memory state always matches the last write.
 *
 * The store owns the articles themselves and composes the rest: the
 * {@link ArticleIndex} (list, search, duplicates), the {@link ProblemLog}
 * (quarantine and reports), {@link SettingsFile}, {@link Revisions} and
 * {@link ArticleAssets}. What it refuses it throws as a {@link StoreError}.
 */
export class WorkspaceStore {
  readonly dir: string;
  readonly #now: () => Date;
  readonly #log: (message: string) => void;
  readonly #index: ArticleIndex;
  readonly #problems: ProblemLog;
  readonly #settings: SettingsFile;
  readonly #revisions: Revisions;
  readonly #assets: ArticleAssets;
  readonly #articleOps = new KeyedQueue();
  #lastTimestampMs = 0;
  #closed: Promise<void> | null = null;
  /** The sweep of crash leftovers running behind a clean open. */
  #sweeping: Promise<void> = Promise.resolve();
  /** Every article loaded (see {@link openEarly}). */
  #loaded: Promise<void> = Promise.resolve();
  /** The rows shown while loading; null once loaded. */
  #early: EarlyList | null = null;
  #closing = false;

  private constructor(dir: string, options: StoreOptions) {
    this.dir = resolve(dir);
    this.#now = options.now ?? (() => new Date());
    this.#log = options.log ?? (() => {});
    this.#index = new ArticleIndex(this.dir, { log: this.#log, flushDelayMs: options.indexFlushDelayMs ?? 2000 });
    this.#problems = new ProblemLog(this.dir, { now: this.#now, log: this.#log });
    this.#settings = new SettingsFile(this.dir, this.#problems);
    const folderOf = (id: string) => this.#articleDir(id);
    this.#revisions = new Revisions(folderOf, this.#problems);
    this.#assets = new ArticleAssets(this.dir, folderOf);
  }

  /** Opens (creating if needed) the workspace in `dir`, recovering what it can. */
  static async open(dir: string, options: StoreOptions = {}): Promise<WorkspaceStore> {
    const store = new WorkspaceStore(dir, options);
    await store.#loadArticles(await store.#start());
    return store;
  }

  /**
   * Opens with only the newest rows of the list ready ({@link earlyPage}) and
   * loads every article behind them; {@link loaded} settles when that is done,
   * and every method that reads or writes articles waits for it. The sync
   * methods (list, search, summary…) answer from what is loaded so far: callers
   * that need the whole workspace wait for `loaded` first. After a crash the
   * recovery is part of that load.
   */
  static async openEarly(dir: string, options: StoreOptions = {}): Promise<WorkspaceStore> {
    const store = new WorkspaceStore(dir, options);
    const crashed = await store.#start();
    store.#early = await readEarlyList(store.dir, store.#articlesDir);
    // After a crash the recovery runs inside the load: nothing but the early rows (each still
    // unchanged on disk) is answered until every folder is recovered.
    store.#loaded = store.#loadArticles(crashed).finally(() => {
      store.#early = null;
    });
    // Whoever waits on `loaded` hears of a failure; this only keeps it from going unhandled meanwhile.
    store.#loaded.catch((error: unknown) => store.#log(`[store] loading the workspace failed: ${String(error)}`));
    return store;
  }

  /** Settles once every article is loaded (at once for a store from {@link open}). */
  get loaded(): Promise<void> {
    return this.#loaded;
  }

  /** True once {@link close} has been called. */
  get closed(): boolean {
    return this.#closing;
  }

  /** True while {@link openEarly}'s loading is under way. */
  get loading(): boolean {
    return this.#early !== null;
  }

  /**
   * While loading: the first page of the unfiltered list from the rows known
   * so far, with the number of articles in all as it was last seen. Null once
   * loaded, or for any other view of the list (those wait for {@link loaded}).
   */
  earlyPage(filter: ListFilter, range: ListRange): SearchAnswer | null {
    const early = this.#early;
    if (!early || range.offset !== 0) return null;
    if (filter.query?.trim() || filter.status || filter.column?.length || filter.trash || filter.ids) return null;
    return { items: early.rows.slice(0, range.limit), total: early.approximateTotal, snippets: {}, indexPending: false };
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

  // ---- opening -----------------------------------------------------------

  /** Takes the workspace: its folder, the session marker, problems and settings. Returns true when the last session crashed. */
  async #start(): Promise<boolean> {
    // A folder created here is the owner's alone; one the user pointed at already keeps the permissions they gave it.
    await mkdir(this.#articlesDir, { recursive: true, mode: 0o700 });
    const marker = join(this.dir, SESSION_MARKER);
    // A marker left from last time means the app did not close cleanly: look for half-finished writes too.
    const crashed = existsSync(marker);
    await writeFile(marker, JSON.stringify({ pid: process.pid, openedAt: this.#now().toISOString() }), { mode: 0o600 });
    await this.#problems.load();
    await this.#settings.load();
    return crashed;
  }

  /** Every article, from the index cache where its file is unchanged, else from the file. */
  async #loadArticles(crashed: boolean): Promise<void> {
    this.#index.loading = true;
    // Cut short by closing, or failed: the index keeps saying so, and no first rows are written from it.
    if (await this.#readArticles(crashed)) this.#index.loading = false;
  }

  /** Returns false when closing cut the reading short. */
  async #readArticles(crashed: boolean): Promise<boolean> {
    const cached = await this.#index.readCache();

    const toRead: string[] = [];
    for (const dirent of readdirSync(this.#articlesDir, { withFileTypes: true })) {
      const name = dirent.name;
      if (dirent.isDirectory() && ID_PATTERN.test(name)) {
        const record = cached.get(name);
        if (record && !crashed && recordIsCurrent(this.#articlesDir, record)) {
          this.#index.keep(record);
          continue;
        }
        toRead.push(name);
      } else if (!OS_CLUTTER.has(name)) {
        await this.#problems.quarantineForeign(join(this.#articlesDir, name), null, 'not an article folder');
      }
    }
    await forEachLimited(toRead, 8, async (id) => {
      // Closing while an archive is still being read: what is read is kept (and cached), the rest is read next time.
      if (this.#closing) return;
      await this.#loadArticleFolder(id, crashed);
    });
    if (this.#closing) return false;
    if (cached.size !== this.#index.size || toRead.length > 0) this.#index.rewriteAll();
    // After recovery, so no unfinished save it could still use is lost; the process's own start,
    // not this thread's, since a worker opening the store must not sweep the main thread's writes.
    // After a crash the sweep finishes before anything else reads the folders. After a clean close
    // leftovers are unlikely and walking every article folder takes seconds in an archive
    // (7 s at 100,000 articles), so the list does not wait for it.
    const sweep = removeStaleTemps(this.dir, Date.now() - process.uptime() * 1000).then((removed) => {
      if (removed.length > 0) this.#log(`[store] removed ${removed.length} unfinished write(s) left by a crash: ${removed.join(', ')}`);
    });
    if (crashed) await sweep;
    else this.#sweeping = sweep.catch((error: unknown) => this.#log(`[store] sweeping unfinished writes failed: ${String(error)}`));
    // The list is usable now; the full-text index fills in behind it (queries read the texts until then).
    this.#index.buildFullText();
    return true;
  }

  #loadArticleFolder(id: string, lookForNewerTemp: boolean): Promise<ArticleFolderResult> {
    return loadArticleFolder(this.#articleDir(id), id, lookForNewerTemp, {
      problems: this.#problems,
      log: this.#log,
      use: (article, stamp) => this.#index.set(article, stamp),
      rewrite: (article) => this.#writeArticle(article),
    });
  }

  // ---- problems, settings, index ------------------------------------------

  /** Problems found since the workspace was opened. */
  sessionProblems(): WorkspaceProblem[] {
    return this.#problems.session();
  }

  /** The persistent problem log (newest last, capped). */
  problemLog(): WorkspaceProblem[] {
    return this.#problems.entries();
  }

  /** Current settings (defaults when none were saved). */
  settings(): Settings {
    return this.#settings.current();
  }

  /** Replaces the settings. */
  saveSettings(settings: Settings): Promise<Settings> {
    return this.#settings.save(settings);
  }

  /** Writes the index shards that changed since the last flush. */
  flushIndex(): Promise<void> {
    return this.#index.flush();
  }

  // ---- articles --------------------------------------------------------------

  /** Summaries, last changed first. A query must match every space-separated term. */
  list(filter: ListFilter = {}): ArticleSummary[] {
    return this.#index.list(filter);
  }

  /** One page of {@link list} and the number of rows in all, with highlighted snippets of where the page's rows matched the query. */
  search(filter: ListFilter = {}, range?: ListRange): SearchAnswer {
    return this.#index.search(filter, range);
  }

  /** Resolves once the full-text index (built in the background after opening) covers every article. */
  fullTextReady(): Promise<void> {
    return this.#index.fullTextReady();
  }

  /** The summary of one article, or undefined. */
  summary(id: string): ArticleSummary | undefined {
    return this.#index.record(id)?.summary;
  }

  #require(id: string): IndexRecord {
    const record = this.#index.record(id);
    if (!record) throw new StoreError('not_found', `article ${id} does not exist`);
    return record;
  }

  /**
   * Takes in an article whose folder another writer changed (the office sync
   * bringing another desktop's work): read again, or dropped from the list
   * when its file is gone. An id that is not an article's is ignored.
   */
  async reload(id: string): Promise<ArticleSummary | undefined> {
    await this.#loaded;
    if (!ID_PATTERN.test(id)) return undefined;
    return this.#articleOps.run(id, async () => {
      if (!existsSync(this.#articleFile(id))) {
        this.#index.drop(id);
        return undefined;
      }
      await this.#loadArticleFolder(id, false);
      return this.summary(id);
    });
  }

  /**
   * Looks at the disk again after another writer changed it in ways it could not name (a sync round that
   * failed part way): articles whose file is not the one indexed are read again, new folders are taken in,
   * vanished ones leave the list. Returns the ids that changed.
   */
  async reconcile(): Promise<string[]> {
    await this.#loaded;
    const changed = new Set<string>();
    const onDisk = new Set<string>();
    for (const dirent of await readdir(this.#articlesDir, { withFileTypes: true }).catch(() => [])) {
      if (!dirent.isDirectory() || !ID_PATTERN.test(dirent.name)) continue;
      onDisk.add(dirent.name);
      const record = this.#index.record(dirent.name);
      if (!record || !recordIsCurrent(this.#articlesDir, record)) changed.add(dirent.name);
    }
    for (const id of this.#index.ids()) if (!onDisk.has(id)) changed.add(id);
    for (const id of changed) await this.reload(id);
    return [...changed];
  }

  /** Reads an article from disk (recovering it if its file went bad). */
  async get(id: string): Promise<Article> {
    await this.#loaded;
    this.#require(id);
    return this.#articleOps.run(id, () => this.#readArticle(id));
  }

  async #readArticle(id: string): Promise<Article> {
    const { stamp } = this.#require(id);
    try {
      const current = await readArticleFile(this.#articleFile(id), articleValidator(id));
      if (current) {
        if (current.stamp.mtimeMs !== stamp.mtimeMs || current.stamp.size !== stamp.size) {
          this.#index.set(current.article, current.stamp);
        }
        return current.article;
      }
    } catch (error) {
      if (!(error instanceof StoredFileError)) throw error;
    }
    const result = await this.#loadArticleFolder(id, false);
    if (typeof result !== 'string') return result;
    this.#index.drop(id);
    if (result === 'missing') throw new StoreError('not_found', `article ${id} no longer exists on disk`);
    throw new StoreError('damaged_file', `article ${id} is damaged and has no usable backup; the file was moved to quarantine`);
  }

  async #writeArticle(article: Article): Promise<ArticleSummary> {
    const adapter = new AtomicJsonFile<Article>(this.#articleFile(article.id), articleValidator(article.id), {
      backup: true,
    });
    const db = new Low<Article>(adapter, article);
    await db.write();
    if (!adapter.lastWritten) throw new Error('write finished without a file stamp');
    return this.#index.set(article, adapter.lastWritten);
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
      if (!this.#index.has(id) && !existsSync(this.#articleDir(id))) return id;
    }
  }

  /**
   * An article (trashed ones included) that holds the same material: first one
   * imported from the very same bytes, else one with the same content
   * fingerprint, whether as imported or as it reads now.
   */
  findDuplicate(sourceSha256: string, contentSha256: string | null): DuplicateMatch | null {
    return this.#index.findDuplicate(sourceSha256, contentSha256);
  }

  /** Creates a draft article from metadata and body; `importedFrom` marks it as imported material. */
  async create(meta: ArticleMeta, doc: Doc, options: { importedFrom?: ImportOrigin; createdBy?: string | null } = {}): Promise<Article> {
    await this.#loaded;
    const id = this.#newId();
    return this.#articleOps.run(id, async () => {
      await mkdir(this.#articleDir(id), { recursive: true });
      const article = newArticle(id, this.#timestamp(), meta, doc);
      if (options.importedFrom) article.importedFrom = options.importedFrom;
      if (options.createdBy) article.createdBy = options.createdBy;
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
    await this.#loaded;
    this.#require(id);
    return this.#articleOps.run(id, async () => {
      const { summary, origin } = this.#require(id);
      if (baseUpdatedAt !== undefined && baseUpdatedAt !== summary.updatedAt) {
        throw new StoreError('conflict', `article ${id} was changed elsewhere at ${summary.updatedAt}`);
      }
      const article: Article = {
        ...newArticle(id, summary.createdAt, meta, doc),
        updatedAt: this.#timestamp(summary.updatedAt),
        status: options.status ?? summary.status,
        trashedAt: summary.trashedAt,
      };
      // Who wrote it and who trashed it stay with it through edits.
      if (summary.createdBy) article.createdBy = summary.createdBy;
      if (summary.trashedBy) article.trashedBy = summary.trashedBy;
      if (options.conflictOf) article.conflictOf = options.conflictOf;
      // Edits do not change where the article came from; dropping this would let the same file be imported again.
      if (origin) article.importedFrom = origin;
      const saved = await this.#writeArticle(article);
      return { updatedAt: article.updatedAt, summary: saved };
    });
  }

  /** Moves the article to a workflow status (review keeps it equal to the review state's). */
  async setStatus(id: string, status: ArticleStatus): Promise<ArticleSummary> {
    await this.#loaded;
    const { summary } = this.#require(id);
    if (summary.status === status) return summary;
    return this.#update(id, (article) => ({ ...article, status }));
  }

  /** The article's folder on disk (its signed record, record.jsonl, lives there). */
  articleFolder(id: string): string {
    this.#require(id);
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
    await this.#loaded;
    if (this.#index.has(article.id) || existsSync(this.#articleDir(article.id))) {
      throw new StoreError('conflict', `article ${article.id} already exists`);
    }
    // Every file is checked before anything is written: a refused asset leaves no half-adopted article behind.
    ArticleAssets.check(assets);
    return this.#articleOps.run(article.id, async () => {
      await this.#revisions.adopt(article.id, revisions);
      await this.#assets.adopt(article.id, assets);
      return this.#writeArticle({ ...article, updatedAt: this.#timestamp(article.updatedAt) });
    });
  }

  /** A fresh article id (for imported copies that must not take a local article's place). */
  newArticleId(): string {
    return this.#newId();
  }

  /** Moves an article to the trash (its files stay). */
  async trash(id: string, by: string | null = null): Promise<ArticleSummary> {
    await this.#loaded;
    return this.#update(id, (article) =>
      article.trashedAt ? article : { ...article, trashedAt: this.#now().toISOString(), trashedBy: by },
    );
  }

  /** Takes an article out of the trash. */
  async restore(id: string): Promise<ArticleSummary> {
    await this.#loaded;
    return this.#update(id, (article) => ({ ...article, trashedAt: null, trashedBy: null }));
  }

  async #update(id: string, change: (article: Article) => Article): Promise<ArticleSummary> {
    this.#require(id);
    return this.#articleOps.run(id, async () => this.#writeArticle(change(await this.#readArticle(id))));
  }

  /**
   * Deletes an article's folder for good; only articles already in the trash.
   * Its signed record stays behind as a tombstone (`tombstones/<id>.json`):
   * the audit trail outlives the text, and a package carrying the article
   * again is refused with the reason instead of bringing it back.
   */
  async purge(id: string, by = ''): Promise<{ id: string }> {
    await this.#loaded;
    this.#require(id);
    return this.#articleOps.run(id, async () => {
      const { summary } = this.#require(id);
      if (summary.trashedAt === null) {
        throw new StoreError('conflict', `article ${id} is not in the trash; move it to the trash first`);
      }
      const record = await readFile(join(this.#articleDir(id), RECORD_FILE), 'utf8').catch((error: unknown) => {
        if (isMissing(error)) return '';
        throw error;
      });
      const tombstone: Tombstone = { format: TOMBSTONE_FORMAT, articleId: id, title: summary.title, purgedAt: this.#timestamp(), purgedBy: by, record };
      await mkdir(join(this.dir, TOMBSTONES_DIR), { recursive: true });
      await writeFileAtomic(join(this.dir, TOMBSTONES_DIR, `${id}.json`), `${JSON.stringify(tombstone, null, 2)}\n`);
      await rm(this.#articleDir(id), { recursive: true, force: true });
      this.#index.drop(id);
      return { id };
    });
  }

  /** The tombstone an article left when it was purged here, or null. */
  async tombstone(id: string): Promise<Tombstone | null> {
    await this.#loaded;
    if (!ID_PATTERN.test(id)) return null;
    try {
      return JSON.parse(await readFile(join(this.dir, TOMBSTONES_DIR, `${id}.json`), 'utf8')) as Tombstone;
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
  }

  // ---- versions and assets -------------------------------------------------

  /** Stores the article's current content as a named, immutable revision. */
  async saveVersion(id: string, name: string, extra: RevisionExtra = {}): Promise<RevisionSummary> {
    await this.#loaded;
    this.#require(id);
    return this.#articleOps.run(id, async () => {
      const article = await this.#readArticle(id);
      return this.#revisions.save(article, name, this.#timestamp(), extra);
    });
  }

  /** Named revisions, newest first. Damaged revision files are quarantined and reported. */
  async versions(id: string): Promise<RevisionSummary[]> {
    await this.#loaded;
    this.#require(id);
    return this.#revisions.list(id);
  }

  /** One revision in full. */
  async getVersion(id: string, revisionId: string): Promise<Revision> {
    await this.#loaded;
    this.#require(id);
    return this.#revisions.get(id, revisionId);
  }

  /** Stores a file in the article's assets; returns the `src` to put in the doc. */
  async addAsset(articleId: string, fileName: string, _mime: string, data: Uint8Array): Promise<{ src: string }> {
    await this.#loaded;
    this.#require(articleId);
    return this.#assets.add(articleId, fileName, data);
  }

  /** Every stored asset of the article with the SHA-256 of its bytes now (see {@link ArticleAssets.digests}). */
  async assetDigests(articleId: string): Promise<StoredAssetDigest[]> {
    await this.#loaded;
    this.#require(articleId);
    return this.#assets.digests(articleId);
  }

  /** Makes the article's assets exactly these files (see {@link ArticleAssets.replace}). */
  async replaceAssets(articleId: string, assets: readonly { name: string; bytes: Uint8Array }[]): Promise<void> {
    await this.#loaded;
    this.#require(articleId);
    return this.#articleOps.run(articleId, () => this.#assets.replace(articleId, assets));
  }

  /** Absolute path of an asset, or null if `src` points outside the article's assets or to nothing. */
  assetPath(articleId: string, src: string): string | null {
    return this.#assets.path(articleId, src);
  }

  // ---- closing ---------------------------------------------------------------

  /** Waits for pending writes, flushes the index and marks a clean shutdown. */
  close(): Promise<void> {
    this.#closed ??= (async () => {
      this.#closing = true;
      await this.#loaded.catch(() => {});
      this.#index.stopFlushing();
      await this.#sweeping;
      await this.#articleOps.idle();
      await this.#settings.idle();
      await this.#index.flush();
      await this.#problems.idle();
      await rm(join(this.dir, SESSION_MARKER), { force: true });
    })();
    return this.#closed;
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
