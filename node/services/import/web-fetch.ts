import { ApiError } from '../../../shared/api/errors';

/**
 * Downloads for importing from a web portal: http/https only, redirects
 * followed by hand (each hop checked), a byte limit enforced while reading
 * (a lying or missing Content-Length cannot get past it) and one time limit
 * for the whole download, so a stalled server cannot hold an import forever.
 */

export interface FetchLimits {
  /** Whole download, headers and body. */
  timeoutMs: number;
  maxBytes: number;
  /** Only hops to this host are followed (a column migration stays on the portal). */
  sameHostAs?: string;
}

export interface FetchedResource {
  /** Where the bytes came from after redirects; links in the page resolve against it. */
  url: string;
  contentType: string;
  data: Buffer;
}

export const PAGE_LIMITS: FetchLimits = { timeoutMs: 20_000, maxBytes: 8 * 1024 * 1024 };
export const IMAGE_LIMITS: FetchLimits = { timeoutMs: 30_000, maxBytes: 20 * 1024 * 1024 };
const MAX_REDIRECTS = 5;

/** The URL as typed, checked: only http and https, with a host. */
export function parseWebUrl(text: string, base?: string): URL {
  let url: URL;
  try {
    url = new URL(text.trim(), base);
  } catch {
    throw new ApiError('invalid_request', `“${text}”不是有效的网址，请输入以 http:// 或 https:// 开头的完整网址。`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ApiError('invalid_request', `只能从 http:// 或 https:// 网址导入，“${url.protocol}”的网址不支持。`);
  }
  if (!url.hostname) throw new ApiError('invalid_request', `“${text}”没有主机名，无法访问。`);
  url.hash = '';
  return url;
}

function causeCode(error: unknown): string {
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  return typeof cause?.code === 'string' ? cause.code : '';
}

/** A network failure in words a writer can act on (offline, no such host, refused). */
function networkError(error: unknown, url: URL, timeoutMs: number, timedOut: boolean): ApiError {
  if (timedOut) return new ApiError('not_found', `${url.host} 在 ${Math.round(timeoutMs / 1000)} 秒内没有传完网页，已放弃：${url.href}`);
  const code = causeCode(error);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
    return new ApiError('not_found', `找不到网站 ${url.hostname}：电脑可能没有联网，或网址有误。`);
  }
  if (code === 'ECONNREFUSED') return new ApiError('not_found', `网站 ${url.host} 拒绝连接（服务器没有应答）。`);
  if (code === 'ENETUNREACH' || code === 'EHOSTUNREACH') return new ApiError('not_found', `无法连接到 ${url.host}：电脑可能没有联网。`);
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET') return new ApiError('not_found', `与 ${url.host} 的连接中断了，请稍后再试。`);
  if (code.startsWith('ERR_TLS') || code.includes('CERT')) return new ApiError('not_found', `${url.host} 的 HTTPS 证书无效（${code}），未下载。`);
  const detail = error instanceof Error ? error.message : String(error);
  return new ApiError('not_found', `无法访问 ${url.href}：${code || detail}`);
}

async function readLimited(response: Response, url: URL, maxBytes: number): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel();
    throw new ApiError('unsupported_file', `${url.href} 超过 ${Math.round(maxBytes / 1024 / 1024)} MB，未下载。`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw new ApiError('unsupported_file', `${url.href} 超过 ${Math.round(maxBytes / 1024 / 1024)} MB，未下载。`);
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

/** GETs one resource within the limits; anything but a 2xx answer is an ApiError naming the page and why. */
export async function fetchResource(address: string | URL, limits: FetchLimits): Promise<FetchedResource> {
  let url = typeof address === 'string' ? parseWebUrl(address) : address;
  const controller = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
  }, limits.timeoutMs);
  try {
    for (let hop = 0; ; hop++) {
      let response: Response;
      try {
        response = await fetch(url, {
          redirect: 'manual',
          signal: controller.signal,
          headers: { 'user-agent': 'Gazette-import/1.0', accept: 'text/html,application/xhtml+xml,image/*;q=0.9,*/*;q=0.5' },
        });
      } catch (error) {
        throw networkError(error, url, limits.timeoutMs, timedOut);
      }
      if (response.status >= 300 && response.status < 400 && response.headers.has('location')) {
        await response.body?.cancel();
        if (hop >= MAX_REDIRECTS) throw new ApiError('not_found', `${url.href} 重定向次数过多，未下载。`);
        const next = parseWebUrl(response.headers.get('location') ?? '', url.href);
        if (limits.sameHostAs && next.host !== limits.sameHostAs) {
          throw new ApiError('not_found', `${url.href} 跳转到了其他网站（${next.host}），未跟随。`);
        }
        url = next;
        continue;
      }
      if (!response.ok) {
        await response.body?.cancel();
        throw new ApiError('not_found', `${url.href} 返回 HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}，未导入。`);
      }
      try {
        const data = await readLimited(response, url, limits.maxBytes);
        return { url: url.href, contentType: (response.headers.get('content-type') ?? '').toLowerCase(), data };
      } catch (error) {
        if (error instanceof ApiError) throw error;
        throw networkError(error, url, limits.timeoutMs, timedOut);
      }
    }
  } finally {
    clearTimeout(timer);
  }
}

/** True for text/html and XHTML; a page without a Content-Type is judged by its first bytes. */
export function isHtmlResource(resource: FetchedResource): boolean {
  const type = resource.contentType.split(';')[0]?.trim() ?? '';
  if (type === 'text/html' || type === 'application/xhtml+xml') return true;
  if (type !== '') return false;
  return /^\s*(?:<!doctype html|<html[\s>])/iu.test(resource.data.subarray(0, 1024).toString('latin1'));
}

/** GETs a page and insists it is HTML (a PDF or a picture behind an article link is refused, naming the type). */
export async function fetchPage(address: string | URL, limits: FetchLimits = PAGE_LIMITS): Promise<FetchedResource> {
  const page = await fetchResource(address, limits);
  if (!isHtmlResource(page)) {
    throw new ApiError('unsupported_file', `${page.url} 不是网页（类型为 ${page.contentType || '未知'}），只能导入 HTML 网页。`);
  }
  return page;
}
