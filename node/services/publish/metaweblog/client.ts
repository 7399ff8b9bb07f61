import { escapeHtml } from '../../../../shared/html/serialize';
import { publishMessage } from '../outbox/messages';
import { readMediaFile } from '../outbox/payload';
import { PublishError, toPublishError } from '../outbox/publish-error';
import { postSlug } from '../../../../shared/portal/post-slug';
import {
  jobMarker,
  type MediaFile,
  type PublishedImage,
  type PublishPayload,
  type PublishTarget,
  type RemotePost,
  withJobMarker,
} from '../outbox/target';
import { wordPressError } from '../wordpress/client';
import { decodeMethodResponse, encodeMethodCall, XmlRpcFault, type XmlRpcInput, XmlRpcParseError, type XmlRpcValue } from './xmlrpc';

/** How to reach a MetaWeblog endpoint (WordPress's xmlrpc.php, many CMSs and Chinese blog platforms). */
export interface MetaWeblogConfig {
  id: string;
  endpoint: string;
  blogId?: string;
  user: string;
  password: string;
  /** Office time zone, minutes east of UTC (China: 480); article dates are office local time. */
  timeZoneOffsetMinutes?: number;
  /** How many recent posts to scan when looking for a job's post (MetaWeblog has no search). */
  recentPostsToScan?: number;
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** A post as `metaWeblog.getPost` returns it (fields servers commonly send). */
export interface MetaWeblogPost {
  postid: string;
  title: string;
  description: string;
  link: string;
  wp_slug?: string;
  categories: string[];
  mt_keywords: string;
  mt_excerpt: string;
  post_status?: string;
  dateCreated?: Date;
}

function asStruct(value: XmlRpcValue, what: string): Record<string, XmlRpcValue> {
  if (value && typeof value === 'object' && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof Uint8Array)) {
    return value;
  }
  throw new XmlRpcParseError(`${what}: expected a struct`);
}

function text(value: XmlRpcValue | undefined): string {
  if (value === undefined || value === null) return '';
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'object' ? '' : String(value);
}

function toPost(value: XmlRpcValue): MetaWeblogPost {
  const s = asStruct(value, 'metaWeblog.getPost');
  const categories = Array.isArray(s.categories) ? s.categories.map((c) => text(c)) : [];
  return {
    postid: text(s.postid),
    title: text(s.title),
    description: text(s.description),
    link: text(s.permaLink) || text(s.link),
    wp_slug: s.wp_slug === undefined ? undefined : text(s.wp_slug),
    categories,
    mt_keywords: text(s.mt_keywords),
    mt_excerpt: text(s.mt_excerpt),
    post_status: s.post_status === undefined ? undefined : text(s.post_status),
    dateCreated: s.dateCreated instanceof Date ? s.dateCreated : undefined,
  };
}

/** Minimal-mode date: office local 'YYYY-MM-DD[THH:mm]' → the UTC instant. */
function officeDate(date: string | null, offsetMinutes: number): Date | undefined {
  const m = date ? /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(date) : null;
  if (!m) return undefined;
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0));
  return new Date(utc - offsetMinutes * 60_000);
}

/**
 * MetaWeblog XML-RPC client (`metaWeblog.newPost/editPost/getPost/newMediaObject`,
 * `blogger.deletePost`) and a {@link PublishTarget}. Posts get a readable `wp_slug`
 * (servers that know it); the job id travels as an HTML comment inside the body's
 * last element, where a retry finds it and no reader sees it.
 */
export class MetaWeblogClient implements PublishTarget {
  readonly id: string;
  readonly label = publishMessage('publish.target.metaweblog');
  readonly #config: MetaWeblogConfig;
  readonly #fetch: typeof fetch;
  readonly #timeoutMs: number;

  constructor(config: MetaWeblogConfig) {
    this.id = config.id;
    this.#config = config;
    this.#fetch = config.fetch ?? fetch;
    this.#timeoutMs = config.timeoutMs ?? 30_000;
  }

  /** One XML-RPC call; faults and unreadable replies become PublishErrors with the server's words. */
  async call(method: string, params: readonly XmlRpcInput[]): Promise<XmlRpcValue> {
    let response: Response;
    let body: string;
    try {
      response = await this.#fetch(this.#config.endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'text/xml; charset=utf-8', Accept: 'text/xml' },
        body: encodeMethodCall(method, params),
        signal: AbortSignal.timeout(this.#timeoutMs),
      });
      body = await response.text();
    } catch (error) {
      throw toPublishError(error, this.label, this.#timeoutMs);
    }
    if (!response.ok) throw wordPressError(response.status, body, this.label);
    try {
      return decodeMethodResponse(body);
    } catch (error) {
      if (error instanceof XmlRpcFault) throw faultError(error, this.label);
      const detail = error instanceof Error ? error.message : String(error);
      throw new PublishError('protocol', 'publish.error.bad_reply', { target: this.label, detail: `${method}: ${detail}` }, { cause: error });
    }
  }

  #blogId(): string {
    return this.#config.blogId ?? '1';
  }

  async newPost(struct: Record<string, XmlRpcInput | undefined>, publish: boolean): Promise<string> {
    return text(await this.call('metaWeblog.newPost', [this.#blogId(), this.#config.user, this.#config.password, struct, publish]));
  }

  async editPost(postId: string, struct: Record<string, XmlRpcInput | undefined>, publish: boolean): Promise<boolean> {
    return (await this.call('metaWeblog.editPost', [postId, this.#config.user, this.#config.password, struct, publish])) === true;
  }

  async getPost(postId: string): Promise<MetaWeblogPost> {
    return toPost(await this.call('metaWeblog.getPost', [postId, this.#config.user, this.#config.password]));
  }

  async getRecentPosts(count: number): Promise<MetaWeblogPost[]> {
    const reply = await this.call('metaWeblog.getRecentPosts', [this.#blogId(), this.#config.user, this.#config.password, count]);
    if (!Array.isArray(reply)) throw new PublishError('protocol', 'publish.error.bad_reply', { target: this.label, detail: 'getRecentPosts: expected an array' });
    return reply.map(toPost);
  }

  async newMediaObject(file: { name: string; type: string; bits: Uint8Array }): Promise<{ id: string; url: string }> {
    const reply = asStruct(
      await this.call('metaWeblog.newMediaObject', [this.#blogId(), this.#config.user, this.#config.password, { ...file, overwrite: true }]),
      'metaWeblog.newMediaObject',
    );
    return { id: text(reply.id), url: text(reply.url) };
  }

  async deletePost(postId: string): Promise<boolean> {
    // blogger.* takes an application key first; servers ignore it.
    return (await this.call('blogger.deletePost', ['', postId, this.#config.user, this.#config.password, true])) === true;
  }

  async findByJobId(jobId: string): Promise<RemotePost | null> {
    // MetaWeblog has no search and lists posts by their own date, so a back-dated
    // article can sit far down the list: scan generously (this runs only before a create).
    const posts = await this.getRecentPosts(this.#config.recentPostsToScan ?? 1000);
    const hit = posts.find((post) => post.description.includes(jobMarker(jobId)));
    return hit ? { remoteId: hit.postid, url: hit.link } : null;
  }

  async create(payload: PublishPayload, jobId: string): Promise<RemotePost> {
    const { struct, images } = await this.#struct(payload, jobId);
    const slug = payload.slug || postSlug({ title: payload.title, date: payload.date, articleId: jobId });
    const postId = await this.newPost({ ...struct, wp_slug: slug }, true);
    const post = await this.getPost(postId);
    return { remoteId: postId, url: post.link, images };
  }

  async update(remoteId: string, payload: PublishPayload, jobId: string): Promise<RemotePost> {
    const { struct, images } = await this.#struct(payload, jobId);
    await this.editPost(remoteId, struct, true);
    const post = await this.getPost(remoteId);
    return { remoteId, url: post.link, images };
  }

  async withdraw(remoteId: string): Promise<void> {
    try {
      await this.deletePost(remoteId);
    } catch (error) {
      // A retry after a lost reply: the post is already gone (WordPress: fault 404).
      if (error instanceof PublishError && error.kind === 'not_found') return;
      throw error;
    }
  }

  async #upload(file: MediaFile): Promise<string> {
    const bits = await readMediaFile(file);
    return (await this.newMediaObject({ name: file.fileName, type: file.mimeType, bits })).url;
  }

  async #struct(payload: PublishPayload, jobId: string): Promise<{ struct: Record<string, XmlRpcInput | undefined>; images: PublishedImage[] }> {
    let html = payload.html;
    const images: PublishedImage[] = [];
    for (const image of payload.images) {
      const url = await this.#upload(image);
      html = html.split(`src="${escapeHtml(image.src)}"`).join(`src="${escapeHtml(url)}"`);
      images.push({ url, mimeType: image.mimeType });
    }
    if (payload.cover) {
      const coverUrl = await this.#upload(payload.cover);
      images.push({ url: coverUrl, mimeType: payload.cover.mimeType });
      // MetaWeblog has no featured image; the cover leads the body instead.
      html = `<p class="gz-cover"><img src="${escapeHtml(coverUrl)}" alt="${escapeHtml(payload.cover.alt)}"></p>\n${html}`;
    }
    const leaf = payload.column[payload.column.length - 1];
    const struct = {
      title: payload.title,
      description: withJobMarker(html, jobId),
      mt_excerpt: payload.excerpt,
      mt_keywords: payload.keywords.join(','),
      categories: leaf ? [leaf] : [],
      dateCreated: officeDate(payload.date, this.#config.timeZoneOffsetMinutes ?? 480),
    };
    return { struct, images };
  }
}

/** XML-RPC faults carry HTTP-like codes on WordPress (401/403/404/500); map them the same way. */
function faultError(fault: XmlRpcFault, target: string): PublishError {
  const params = { target, code: fault.faultCode, server: fault.faultString, status: fault.faultCode };
  const details = { code: String(fault.faultCode), serverMessage: fault.faultString, cause: fault };
  // WordPress answers 403 for a wrong password and 401 for "not allowed": both need the user to act.
  const badLogin = fault.faultCode === 403 && /password|密码/i.test(fault.faultString);
  if (badLogin) return new PublishError('auth', 'publish.error.auth', params, details);
  if (fault.faultCode === 401 || fault.faultCode === 403) return new PublishError('forbidden', 'publish.error.forbidden', params, details);
  if (fault.faultCode === 404) return new PublishError('not_found', 'publish.error.not_found', params, details);
  if (fault.faultCode >= 500 && fault.faultCode < 600) return new PublishError('server', 'publish.error.server', params, details);
  return new PublishError('rejected', 'publish.error.fault', params, details);
}
