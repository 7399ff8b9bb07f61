import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ImportOutcome, MigrationFailure, MigrationStatus } from '../../../shared/api/contract';
import { ApiError } from '../../../shared/api/errors';
import { writeFileAtomic } from '../store/atomic-file';
import { decodeEntities } from './html';
import { decodeText } from './index';
import { fetchPage, PAGE_LIMITS, parseWebUrl } from './web-fetch';

/**
 * Migrating a column of the current portal: from its listing page, follow the
 * listing's pages and the article links on the same host, one request at a
 * time with a pause between them (the portal is a live public site), and
 * import each article through the same path as an import by URL, so
 * duplicates are skipped as they are for any import.
 *
 * Progress is written to `.gazette/migrations/<id>.json` (atomically) at
 * least every second and on every stop, so a crash loses at most a second's
 * pages, and those come back as duplicates when the migration is resumed.
 */

export const DEFAULT_DELAY_MS = 1000;
/** Failures kept in the state file; the count goes on beyond it. */
const MAX_FAILURES_KEPT = 2000;
const STATE_FORMAT = 'gazette/migration';
/**
 * Progress is saved at most this often while running (and always on a stop or
 * at the end): a crash redoes at most this much, and what it redoes meets the
 * duplicate check instead of being imported twice.
 */
const SAVE_EVERY_MS = 1000;

/** Imports one article page by URL (fetch, importer, pictures, duplicate check); failures are outcomes. */
export type UrlImporter = (url: string, importer: string | null, sameHostAs: string) => Promise<ImportOutcome>;

interface MigrationState {
  format: typeof STATE_FORMAT;
  version: 1;
  id: string;
  listingUrl: string;
  host: string;
  delayMs: number;
  importer: string | null;
  status: 'running' | 'stopped' | 'done';
  startedAt: string;
  updatedAt: string;
  finishedAt: string | null;
  listings: { queue: string[]; done: string[] };
  articles: { queue: string[]; done: string[] };
  counts: { imported: number; duplicates: number; failed: number; listingsFailed: number };
  failures: MigrationFailure[];
  /** Time spent on requests and imports (not on pauses), for the estimate. */
  workMs: number;
  requests: number;
}

// ---------------------------------------------------------------------------
// Reading a listing page

const ANCHOR = /<a\b((?:[^>"']|"[^"]*"|'[^']*')*)>([\s\S]*?)<\/a\s*>/giu;
const NEXT_TEXT = /^(?:下一页|下页|后一页|next(?:page)?|>|›|»|>>)$/iu;
/** TRS and similar CMSs write the page list from script: createPageHTML(pages, current, "index", "html"). */
const CREATE_PAGE_HTML = /createPageHTML\(\s*['"]?(\d+)['"]?\s*,\s*['"]?(\d+)['"]?\s*,\s*['"]([\w-]+)['"]\s*,\s*['"](\w+)['"]/u;
const ARTICLE_EXTENSION = /\.(?:s?html?|jhtml|jsp|php|aspx?)$/iu;
const NON_PAGE_EXTENSION = /\.(?:pdf|docx?|xlsx?|pptx?|wps|zip|rar|7z|jpe?g|png|gif|bmp|webp|mp4|mp3|txt|xml|css|js)$/iu;

function hrefOf(attrs: string): string | null {
  const match = /(?:^|\s)href\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))/iu.exec(attrs);
  return match ? decodeEntities(match[1] ?? match[2] ?? match[3] ?? '').trim() : null;
}

function folderOf(url: URL): string {
  return url.pathname.slice(0, url.pathname.lastIndexOf('/') + 1);
}

/** `index.html` → /^index(?:_\d+)?\.html$/ in the same folder: the numbered pages of one listing. */
function listingPagePattern(listing: URL): RegExp {
  const name = listing.pathname.slice(listing.pathname.lastIndexOf('/') + 1) || 'index.html';
  const dot = name.lastIndexOf('.');
  const stem = (dot > 0 ? name.slice(0, dot) : name).replace(/_\d+$/u, '');
  const extension = dot > 0 ? name.slice(dot) : '.html';
  const literal = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/gu, '\\$&');
  return new RegExp(`^${literal(stem)}(?:_\\d+)?${literal(extension)}$`, 'iu');
}

export interface ListingLinks {
  /** Further pages of the listing. */
  pages: string[];
  /** Article pages it links to. */
  articles: string[];
}

/**
 * The listing's own further pages and its article links, same host only.
 * Pages: links reading 下一页/next, links to the numbered siblings of the
 * listing (`index_1.html` beside `index.html`, `?page=2` on the same path),
 * and the pages a `createPageHTML(...)` script would write. Articles: the
 * other links to a page on the host whose text reads like a title, not the
 * site's own menus (links to a folder, the home page, the listing's parents);
 * when some of them lie under the listing's folder, only those are taken,
 * since menus to other columns point elsewhere.
 */
export function readListing(html: string, pageUrl: string, root: URL): ListingLinks {
  const page = new URL(pageUrl);
  const pagePattern = listingPagePattern(root);
  const rootFolder = folderOf(root);
  const pages = new Set<string>();
  const candidates: { url: URL; text: string }[] = [];
  const isListingPage = (url: URL): boolean => {
    if (url.host !== root.host) return false;
    if (folderOf(url) === rootFolder && pagePattern.test(url.pathname.slice(rootFolder.length))) return true;
    return url.pathname === root.pathname && url.search !== root.search && /(?:^|[?&])(?:page|pageNo|pageIndex|p|pn|curPage)=\d+/iu.test(url.search);
  };
  for (const match of html.matchAll(ANCHOR)) {
    const href = hrefOf(match[1] ?? '');
    if (!href || /^(?:javascript:|mailto:|tel:|#)/iu.test(href)) continue;
    let url: URL;
    try {
      url = parseWebUrl(href, page.href);
    } catch {
      continue;
    }
    if (url.host !== root.host) continue;
    const text = decodeEntities((match[2] ?? '').replace(/<[^>]*>/gu, '')).replace(/[\s\u3000]+/gu, '');
    if (isListingPage(url) || NEXT_TEXT.test(text)) {
      pages.add(url.href);
      continue;
    }
    candidates.push({ url, text });
  }
  const script = CREATE_PAGE_HTML.exec(html);
  if (script) {
    const count = Math.min(Number(script[1]), 10_000);
    for (let n = 1; n < count; n++) pages.add(new URL(`${script[3]}_${n}.${script[4]}`, new URL(rootFolder, root)).href);
  }
  const articles = candidates.filter(({ url, text }) => {
    const path = url.pathname;
    if (path.endsWith('/') || NON_PAGE_EXTENSION.test(path)) return false;
    if (!ARTICLE_EXTENSION.test(path) && url.search === '') return false;
    if (rootFolder.startsWith(folderOf(url)) && /^(?:index|default)\.\w+$/iu.test(path.slice(folderOf(url).length))) return false;
    // Titles are sentences; menu entries are a word or two.
    return [...text].length >= 6;
  });
  const underListing = articles.filter(({ url }) => url.pathname.startsWith(rootFolder));
  const chosen = underListing.length > 0 ? underListing : articles;
  return { pages: [...pages], articles: [...new Set(chosen.map(({ url }) => url.href))] };
}

// ---------------------------------------------------------------------------
// The service

interface Job {
  state: MigrationState;
  stopping: boolean;
  current: string | null;
  wake: (() => void) | null;
  done: Promise<void>;
}

const sleep = (job: Job, ms: number): Promise<void> =>
  new Promise((resolve) => {
    if (ms <= 0 || job.stopping) return resolve();
    const timer = setTimeout(() => {
      job.wake = null;
      resolve();
    }, ms);
    job.wake = () => {
      clearTimeout(timer);
      job.wake = null;
      resolve();
    };
  });

function isStoreClosed(outcome: ImportOutcome): boolean {
  return !outcome.ok && !outcome.duplicate && /store is closed|workspace is closed/iu.test(outcome.reason);
}

/** Column migrations of one workspace, each a background job; plain Node (no `electron`). */
export class MigrationService {
  private readonly folder: string;
  private readonly jobs = new Map<string, Job>();
  private importUrl: UrlImporter | null = null;
  private closed = false;

  constructor(workspaceDir: string) {
    this.folder = join(workspaceDir, '.gazette', 'migrations');
  }

  /** The import path each article goes through (set by the API handlers, which own the duplicate check). */
  setImporter(importUrl: UrlImporter): void {
    this.importUrl = importUrl;
  }

  /** Starts a migration of the column at `listingUrl`, or resumes `resumeId` where it stopped. */
  async start(input: { listingUrl?: string; resumeId?: string; delayMs?: number }, importer: string | null): Promise<MigrationStatus> {
    if (this.closed) throw new ApiError('internal', 'the workspace is closing');
    let state: MigrationState;
    if (input.resumeId) {
      const running = this.jobs.get(input.resumeId);
      if (running) return this.describe(running.state, running);
      state = this.read(input.resumeId);
      if (state.status === 'done') return this.describe(state, null);
      if (input.delayMs !== undefined) state.delayMs = input.delayMs;
    } else {
      if (!input.listingUrl) throw new ApiError('invalid_request', '请输入栏目列表页的网址。');
      const listing = parseWebUrl(input.listingUrl);
      const now = new Date().toISOString();
      state = {
        format: STATE_FORMAT,
        version: 1,
        id: `m${Date.now().toString(36)}${randomBytes(4).toString('hex')}`,
        listingUrl: listing.href,
        host: listing.host,
        delayMs: input.delayMs ?? DEFAULT_DELAY_MS,
        importer,
        status: 'running',
        startedAt: now,
        updatedAt: now,
        finishedAt: null,
        listings: { queue: [listing.href], done: [] },
        articles: { queue: [], done: [] },
        counts: { imported: 0, duplicates: 0, failed: 0, listingsFailed: 0 },
        failures: [],
        workMs: 0,
        requests: 0,
      };
    }
    state.status = 'running';
    await this.write(state);
    const job: Job = { state, stopping: false, current: null, wake: null, done: Promise.resolve() };
    this.jobs.set(state.id, job);
    job.done = this.run(job).finally(() => this.jobs.delete(state.id));
    return this.describe(state, job);
  }

  /** Asks a migration to stop after the page in flight; resolves once its progress is saved. */
  async stop(id: string): Promise<MigrationStatus> {
    const job = this.jobs.get(id);
    if (!job) return this.describe(this.read(id), null);
    job.stopping = true;
    job.wake?.();
    await job.done;
    return this.describe(job.state, null);
  }

  /** Every migration of this workspace, newest first, or one by id. */
  list(id?: string): MigrationStatus[] {
    if (id) {
      const job = this.jobs.get(id);
      return [job ? this.describe(job.state, job) : this.describe(this.read(id), null)];
    }
    let names: string[] = [];
    try {
      names = readdirSync(this.folder).filter((name) => /^m[a-z0-9]+\.json$/u.test(name));
    } catch {
      return [];
    }
    const out: MigrationStatus[] = [];
    for (const name of names) {
      const migrationId = name.slice(0, -'.json'.length);
      const job = this.jobs.get(migrationId);
      try {
        out.push(job ? this.describe(job.state, job) : this.describe(this.read(migrationId), null));
      } catch {
        // A state file that does not read is left alone; it cannot be resumed, and is not shown as if it could.
      }
    }
    return out.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  }

  /** Stops every running migration (the workspace is closing); each can be resumed next time. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.jobs.keys()].map((id) => this.stop(id)));
  }

  private path(id: string): string {
    if (!/^m[a-z0-9]+$/u.test(id)) throw new ApiError('invalid_request', `invalid migration id ${id}`);
    return join(this.folder, `${id}.json`);
  }

  private read(id: string): MigrationState {
    let state: MigrationState;
    try {
      state = JSON.parse(readFileSync(this.path(id), 'utf8')) as MigrationState;
    } catch (error) {
      if ((error as { code?: string }).code === 'ENOENT') throw new ApiError('not_found', `没有这个迁移任务：${id}`);
      throw new ApiError('damaged_file', `迁移进度文件 ${id}.json 无法读取：${error instanceof Error ? error.message : String(error)}`);
    }
    // Checked before trusting: a hand-edited or cut-off file must not resume into nonsense.
    const valid =
      state?.format === STATE_FORMAT &&
      state.id === id &&
      typeof state.listingUrl === 'string' &&
      Array.isArray(state.listings?.queue) &&
      Array.isArray(state.listings?.done) &&
      Array.isArray(state.articles?.queue) &&
      Array.isArray(state.articles?.done) &&
      typeof state.counts?.imported === 'number' &&
      Array.isArray(state.failures);
    if (!valid) throw new ApiError('damaged_file', `迁移进度文件 ${id}.json 内容不完整，无法继续。`);
    return state;
  }

  private async write(state: MigrationState): Promise<void> {
    state.updatedAt = new Date().toISOString();
    mkdirSync(this.folder, { recursive: true, mode: 0o700 });
    await writeFileAtomic(this.path(state.id), `${JSON.stringify(state)}\n`);
  }

  private fail(state: MigrationState, url: string, kind: MigrationFailure['kind'], reason: string): void {
    if (state.failures.length < MAX_FAILURES_KEPT) state.failures.push({ url, kind, reason });
  }

  private async run(job: Job): Promise<void> {
    const { state } = job;
    const root = new URL(state.listingUrl);
    let first = true;
    let savedAt = performance.now();
    try {
      for (;;) {
        if (job.stopping) break;
        const listing = state.listings.queue[0];
        const article = listing === undefined ? state.articles.queue[0] : undefined;
        const url = listing ?? article;
        if (url === undefined) {
          state.status = 'done';
          state.finishedAt = new Date().toISOString();
          break;
        }
        if (!first) await sleep(job, state.delayMs);
        if (job.stopping) break;
        first = false;
        job.current = url;
        const began = performance.now();
        if (listing !== undefined) {
          await this.readListingPage(state, listing, root);
          state.listings.queue.shift();
          state.listings.done.push(listing);
        } else if (article !== undefined) {
          const outcome = await this.importArticle(state, article);
          // The workspace closed under the job: keep the page queued for the resume, record nothing.
          if (isStoreClosed(outcome)) break;
          state.articles.queue.shift();
          state.articles.done.push(article);
        }
        state.workMs += performance.now() - began;
        state.requests++;
        job.current = null;
        if (performance.now() - savedAt >= SAVE_EVERY_MS) {
          await this.write(state);
          savedAt = performance.now();
        }
      }
    } finally {
      job.current = null;
      if (state.status !== 'done') state.status = 'stopped';
      await this.write(state).catch(() => {});
    }
  }

  private async readListingPage(state: MigrationState, url: string, root: URL): Promise<void> {
    try {
      const page = await fetchPage(url, { ...PAGE_LIMITS, sameHostAs: state.host });
      const links = readListing(decodeText(page.data, page.url), page.url, root);
      const known = new Set([...state.listings.queue, ...state.listings.done, page.url]);
      for (const next of links.pages) {
        if (!known.has(next)) {
          state.listings.queue.push(next);
          known.add(next);
        }
      }
      const seen = new Set([...state.articles.queue, ...state.articles.done]);
      for (const link of links.articles) {
        if (!seen.has(link) && !known.has(link)) {
          state.articles.queue.push(link);
          seen.add(link);
        }
      }
    } catch (error) {
      state.counts.listingsFailed++;
      this.fail(state, url, 'listing', error instanceof ApiError ? error.detail : error instanceof Error ? error.message : String(error));
    }
  }

  private async importArticle(state: MigrationState, url: string): Promise<ImportOutcome> {
    if (!this.importUrl) throw new ApiError('internal', 'no importer for migrations');
    let outcome: ImportOutcome;
    try {
      outcome = await this.importUrl(url, state.importer, state.host);
    } catch (error) {
      outcome = { ok: false, file: url, reason: error instanceof ApiError ? error.detail : error instanceof Error ? error.message : String(error) };
    }
    if (isStoreClosed(outcome)) return outcome;
    if (outcome.ok) state.counts.imported++;
    else if (outcome.duplicate) state.counts.duplicates++;
    else {
      state.counts.failed++;
      this.fail(state, url, 'article', outcome.reason);
    }
    return outcome;
  }

  private describe(state: MigrationState, job: Job | null): MigrationStatus {
    const remaining = state.listings.queue.length + state.articles.queue.length;
    const perRequest = state.requests > 0 ? state.workMs / state.requests : null;
    const running = job !== null && !job.stopping && state.status === 'running';
    return {
      id: state.id,
      listingUrl: state.listingUrl,
      // A state file saying "running" with no job here is a migration a crash or a quit interrupted.
      // A job that has run out of pages is still running until its last progress is saved:
      // "done" before that would let a crash in between undo what the writer was told.
      status: job ? (job.stopping ? 'stopping' : 'running') : state.status === 'running' ? 'interrupted' : state.status,
      delayMs: state.delayMs,
      startedAt: state.startedAt,
      updatedAt: state.updatedAt,
      finishedAt: state.finishedAt,
      listingPages: { done: state.listings.done.length, queued: state.listings.queue.length, failed: state.counts.listingsFailed },
      articles: {
        found: state.articles.queue.length + state.articles.done.length,
        done: state.articles.done.length,
        imported: state.counts.imported,
        duplicates: state.counts.duplicates,
        failed: state.counts.failed,
      },
      current: job?.current ?? null,
      estimateMs: running && perRequest !== null ? Math.round(remaining * (perRequest + state.delayMs)) : null,
      failures: state.failures.slice(-200),
      failuresTotal: state.counts.failed + state.counts.listingsFailed,
    };
  }
}
