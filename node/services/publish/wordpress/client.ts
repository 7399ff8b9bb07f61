import { createHash } from 'node:crypto';
import { escapeHtml } from '../../../../shared/html/serialize';
import { publishMessage } from '../outbox/messages';
import { readMediaFile } from '../outbox/payload';
import { PublishError, toPublishError } from '../outbox/publish-error';
import { postSlug } from '../../../../shared/portal/post-slug';
import {
  jobMarker,
  jobMarkerText,
  type MediaFile,
  type PublishedImage,
  type PublishNote,
  type PublishPayload,
  type PublishTarget,
  type RemotePost,
  type WithdrawMode,
  withJobMarker,
} from '../outbox/target';

/** How to reach one WordPress site. */
export interface WordPressConfig {
  /** Target id used in receipts, e.g. 'portal-wp'. */
  id: string;
  /** Site root, e.g. http://127.0.0.1:18080 (REST is reached via ?rest_route= so plain permalinks work). */
  baseUrl: string;
  user: string;
  /** An application password (Users → Profile → Application Passwords). */
  appPassword: string;
  /** Column path joined with '/' → existing category id; unmapped columns are found or created by name. */
  categoryMap?: Record<string, number>;
  /** Leading column names that are not categories on the site (e.g. 首页). */
  skipColumns?: string[];
  /** Status for new and updated posts. */
  postStatus?: 'publish' | 'draft' | 'pending';
  withdrawMode?: WithdrawMode;
  timeoutMs?: number;
  /** Injected for tests and proxies; defaults to global fetch. */
  fetch?: typeof fetch;
}

interface WpTerm {
  id: number;
  name: string;
  parent?: number;
}

interface WpPost {
  id: number;
  link: string;
  slug: string;
  status: string;
}

interface WpMedia {
  id: number;
  source_url: string;
  slug: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** WordPress wraps some error messages in HTML; users should read plain words. */
function plainServerText(text: string): string {
  return text
    .replace(/<[^>]*>/g, '')
    .replace(/&quot;/g, '"')
    .replace(/&#0?39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 500);
}

/** Maps a non-2xx WordPress REST reply to a PublishError carrying the server's code and message. */
export function wordPressError(status: number, bodyText: string, target: string): PublishError {
  let code = `http_${status}`;
  let server = plainServerText(bodyText) || `HTTP ${status}`;
  let data: unknown = null;
  try {
    const parsed: unknown = JSON.parse(bodyText);
    if (isRecord(parsed)) {
      if (typeof parsed.code === 'string') code = parsed.code;
      if (typeof parsed.message === 'string') server = plainServerText(parsed.message);
      data = parsed.data ?? null;
    }
  } catch {
    // Not JSON (a PHP fatal error page, a proxy's 502 page): the text itself is the best message.
  }
  const params = { target, code, status, server };
  const details = { code, status, serverMessage: server, serverData: data };
  if (status >= 500) return new PublishError('server', 'publish.error.server', params, details);
  if (status === 401) return new PublishError('auth', 'publish.error.auth', params, details);
  if (status === 403) return new PublishError('forbidden', 'publish.error.forbidden', params, details);
  if (status === 404 || status === 410) return new PublishError('not_found', 'publish.error.not_found', params, details);
  if (status === 408 || status === 429) return new PublishError('server', 'publish.error.server', params, details);
  return new PublishError('rejected', 'publish.error.rejected', params, details);
}

/** 'YYYY-MM-DD' or 'YYYY-MM-DDTHH:mm' (office local time) → WordPress's site-local `date`. */
function wpDate(date: string | null): string | undefined {
  if (!date) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(date)) return `${date}T00:00:00`;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(date)) return `${date}:00`;
  return date;
}

/** The post meta key holding the job id, where the site registered it. */
const JOB_META_KEY = 'gazette_job';
/** The credits' meta keys: when the site has not registered them they live only in the content's info line. */
const CREDIT_META_KEYS = ['gazette_author', 'gazette_photographer', 'gazette_editor'];

/** What a post body needs besides the JSON sent: the images it shows and what the receipt should say. */
interface PostBody {
  json: Record<string, unknown>;
  images: PublishedImage[];
  notes: PublishNote[];
}

/**
 * WordPress REST client (application passwords, Basic auth) and a {@link PublishTarget}.
 * Posts get a readable slug (the payload's: pinyin or the target's pattern). The job id
 * rides in an HTML comment inside the body's last element (searchable through the REST
 * API, unlike post meta, and invisible to readers) and, where the site registered it,
 * in the `gazette_job` post meta too; so a retry after a lost reply finds the post
 * instead of creating a second one.
 */
export class WordPressClient implements PublishTarget {
  readonly id: string;
  readonly label = publishMessage('publish.target.wordpress');
  readonly #config: WordPressConfig;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;
  readonly #termCache = new Map<string, number>();
  #registeredMeta: Promise<Set<string>> | null = null;

  constructor(config: WordPressConfig) {
    this.id = config.id;
    this.#config = config;
    this.#fetch = config.fetch ?? fetch;
    this.#timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  #url(route: string, query: Record<string, string | number | undefined> = {}): string {
    const url = new URL(this.#config.baseUrl.replace(/\/+$/, '/'));
    url.searchParams.set('rest_route', route);
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, String(value));
    return url.toString();
  }

  #auth(): string {
    const token = Buffer.from(`${this.#config.user}:${this.#config.appPassword.replace(/\s+/g, '')}`, 'utf8');
    return `Basic ${token.toString('base64')}`;
  }

  /** One REST call; the parsed JSON body on 2xx, a PublishError otherwise. */
  async request<T>(
    method: string,
    route: string,
    options: { query?: Record<string, string | number | undefined>; json?: unknown; body?: Uint8Array; headers?: Record<string, string> } = {},
  ): Promise<T> {
    const headers: Record<string, string> = { Authorization: this.#auth(), Accept: 'application/json', ...options.headers };
    let body: string | Uint8Array | undefined = options.body;
    if (options.json !== undefined) {
      headers['Content-Type'] = 'application/json; charset=utf-8';
      body = JSON.stringify(options.json);
    }
    let response: Response;
    let text: string;
    try {
      response = await this.#fetch(this.#url(route, options.query), {
        method,
        headers,
        // Node's fetch takes bytes; the cast keeps the call valid under the DOM typings too.
        body: body as RequestInit['body'],
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw toPublishError(error, this.label, this.#timeoutMs);
    }
    if (!response.ok) throw wordPressError(response.status, text, this.label);
    try {
      return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text) as T;
    } catch {
      throw new PublishError('protocol', 'publish.error.bad_reply', {
        target: this.label,
        detail: `HTTP ${response.status}, ${plainServerText(text).slice(0, 120) || 'empty body'}`,
      });
    }
  }

  async findByJobId(jobId: string): Promise<RemotePost | null> {
    let found: Array<WpPost & { content?: { raw?: string } }>;
    try {
      // The marker comment is in the stored content, which WordPress's search reads, whatever the slug or title became.
      found = await this.request('GET', '/wp/v2/posts', {
        query: { search: jobMarkerText(jobId), status: 'any', context: 'edit', per_page: 5 },
      });
    } catch (error) {
      // WordPress treats a wrong application password as "not logged in", and then refuses status=any.
      if (error instanceof PublishError && error.status === 400 && error.code === 'rest_invalid_param') {
        const params = { target: this.label, code: error.code, server: error.serverMessage };
        throw new PublishError('auth', 'publish.error.auth', params, { code: error.code, status: 400, serverMessage: error.serverMessage });
      }
      throw error;
    }
    const marked = found.find((post) => post.content?.raw?.includes(jobMarker(jobId)));
    return marked ? { remoteId: String(marked.id), url: marked.link } : null;
  }

  async create(payload: PublishPayload, jobId: string): Promise<RemotePost> {
    const body = await this.#postBody(payload, jobId);
    // Jobs queued before slugs were readable carry none: the title's pinyin, as a new job would get.
    const slug = payload.slug || postSlug({ title: payload.title, date: payload.date, articleId: jobId });
    const post = await this.request<WpPost>('POST', '/wp/v2/posts', { json: { ...body.json, slug } });
    return { remoteId: String(post.id), url: post.link, images: body.images, notes: body.notes };
  }

  async update(remoteId: string, payload: PublishPayload, jobId: string): Promise<RemotePost> {
    // The slug is left alone so the post keeps its URL; the marker names the latest job too.
    const body = await this.#postBody(payload, jobId);
    const post = await this.request<WpPost>('POST', `/wp/v2/posts/${encodeURIComponent(remoteId)}`, { json: body.json });
    return { remoteId: String(post.id), url: post.link, images: body.images, notes: body.notes };
  }

  /**
   * The post meta keys the site registered for the REST API (register_post_meta
   * with show_in_rest), read once from the posts route's schema. WordPress drops
   * any other key silently, so what is not here must live in the content.
   */
  registeredMetaKeys(): Promise<Set<string>> {
    this.#registeredMeta ??= this.request<{ schema?: { properties?: { meta?: { properties?: Record<string, unknown> } } } }>(
      'OPTIONS',
      '/wp/v2/posts',
    ).then(
      (reply) => new Set(Object.keys(reply.schema?.properties?.meta?.properties ?? {})),
      (error: unknown) => {
        this.#registeredMeta = null;
        throw error;
      },
    );
    return this.#registeredMeta;
  }

  async withdraw(remoteId: string): Promise<void> {
    const route = `/wp/v2/posts/${encodeURIComponent(remoteId)}`;
    if ((this.#config.withdrawMode ?? 'draft') === 'trash') {
      try {
        await this.request('DELETE', route);
      } catch (error) {
        // Already in the trash (a retry after a lost reply): the withdrawal has happened.
        if (error instanceof PublishError && error.code === 'rest_already_trashed') return;
        throw error;
      }
      return;
    }
    await this.request('POST', route, { json: { status: 'draft' } });
  }

  /** Fetches one post as the editor sees it (for tests and verification). */
  getPost(remoteId: string): Promise<Record<string, unknown>> {
    return this.request('GET', `/wp/v2/posts/${encodeURIComponent(remoteId)}`, { query: { context: 'edit' } });
  }

  async #postBody(payload: PublishPayload, jobId: string): Promise<PostBody> {
    let html = payload.html;
    const images: PublishedImage[] = [];
    for (const image of payload.images) {
      const media = await this.uploadMedia(image);
      html = html.split(`src="${escapeHtml(image.src)}"`).join(`src="${escapeHtml(media.url)}"`);
      images.push({ url: media.url, mimeType: image.mimeType });
    }
    const featured = payload.cover ? await this.uploadMedia(payload.cover) : null;
    if (featured && payload.cover) images.push({ url: featured.url, mimeType: payload.cover.mimeType });
    const json: Record<string, unknown> = {
      title: payload.title,
      content: withJobMarker(html, jobId),
      excerpt: payload.excerpt,
      status: this.#config.postStatus ?? 'publish',
      categories: await this.categoryIds(payload.column),
      tags: await this.tagIds(payload.keywords),
    };
    const date = wpDate(payload.date);
    if (date) json.date = date;
    if (featured) json.featured_media = featured.id;
    // Only keys the site registered are sent (WordPress would drop the others anyway); the
    // 信息公开 table and the credits' info line are in the content for sites without them.
    const registered = await this.registeredMetaKeys();
    const wanted: Record<string, string> = { ...payload.postMeta, [JOB_META_KEY]: jobId.toLowerCase() };
    const meta = Object.fromEntries(Object.entries(wanted).filter(([key]) => registered.has(key)));
    if (Object.keys(meta).length > 0) json.meta = meta;
    const notes: PublishNote[] = [];
    const credits = Object.keys(payload.postMeta ?? {}).filter((key) => CREDIT_META_KEYS.includes(key));
    if (credits.some((key) => !registered.has(key))) notes.push('credits_in_content_only');
    return { json, images, notes };
  }

  /**
   * Uploads a local file to the media library once: its slug is derived from the
   * file's content hash, so a retry or a second article reuses the earlier upload.
   */
  async uploadMedia(file: MediaFile): Promise<{ id: number; url: string }> {
    const data = await readMediaFile(file);
    const slug = `gz-media-${createHash('sha256').update(data).digest('hex').slice(0, 24)}`;
    const existing = await this.request<WpMedia[]>('GET', '/wp/v2/media', { query: { slug, per_page: 1 } });
    const found = existing[0];
    if (found) return { id: found.id, url: found.source_url };
    const extension = file.fileName.includes('.') ? file.fileName.slice(file.fileName.lastIndexOf('.')) : '';
    const media = await this.request<WpMedia>('POST', '/wp/v2/media', {
      query: { slug, alt_text: file.alt || undefined },
      body: data,
      headers: {
        'Content-Type': file.mimeType,
        'Content-Disposition': `attachment; filename="${slug}${extension}"`,
      },
    });
    return { id: media.id, url: media.source_url };
  }

  /** Category ids for a column path, creating missing levels under their parent. */
  async categoryIds(column: readonly string[]): Promise<number[]> {
    const skip = new Set(this.#config.skipColumns ?? []);
    let path = [...column];
    while (path.length > 0 && skip.has(path[0] ?? '')) path = path.slice(1);
    if (path.length === 0) return [];
    const mapped = this.#config.categoryMap?.[column.join('/')] ?? this.#config.categoryMap?.[path.join('/')];
    if (mapped !== undefined) return [mapped];
    let parent = 0;
    for (const name of path) parent = await this.#ensureTerm('categories', name, parent);
    return [parent];
  }

  /** Tag ids for keywords, creating missing tags. */
  async tagIds(keywords: readonly string[]): Promise<number[]> {
    const ids: number[] = [];
    for (const keyword of keywords) {
      const id = await this.#ensureTerm('tags', keyword, undefined);
      if (!ids.includes(id)) ids.push(id);
    }
    return ids;
  }

  async #ensureTerm(taxonomy: 'categories' | 'tags', name: string, parent: number | undefined): Promise<number> {
    const cacheKey = `${taxonomy}\u0000${parent ?? ''}\u0000${name}`;
    const cached = this.#termCache.get(cacheKey);
    if (cached !== undefined) return cached;
    const candidates = await this.request<WpTerm[]>('GET', `/wp/v2/${taxonomy}`, {
      query: { search: name, parent, per_page: 100, hide_empty: 'false' },
    });
    // WordPress stores names HTML-escaped (& → &amp;), so compare both forms.
    let id = candidates.find((term) => term.name === name || term.name === escapeHtml(name))?.id;
    if (id === undefined) {
      try {
        const created = await this.request<WpTerm>('POST', `/wp/v2/${taxonomy}`, {
          json: parent ? { name, parent } : { name },
        });
        id = created.id;
      } catch (error) {
        // Created meanwhile (a concurrent publish, or search missed it): WordPress names the existing term.
        const existing = error instanceof PublishError && error.code === 'term_exists' ? termIdFromError(error) : null;
        if (existing === null) throw error;
        id = existing;
      }
    }
    this.#termCache.set(cacheKey, id);
    return id;
  }
}

function termIdFromError(error: PublishError): number | null {
  const data = error.serverData;
  if (!isRecord(data)) return null;
  const id = Number(data.term_id);
  return Number.isInteger(id) && id > 0 ? id : null;
}
