import { randomBytes } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join, sep } from 'node:path';
import type { Dispatch } from '../../shared/api/dispatch';
import type { Envelope } from '../../shared/api/errors';
import { type MessageKey, type MessageParams, translate } from '../../shared/i18n';
import { APP_CSP, ASSET_FILE_CSP } from '../../shared/security/csp';
import { contentTypeFor, isInlineAsset } from './mime';
import { type HostSession, SessionStore, secretsMatch } from './sessions';

/*
 * The local web host: the same renderer bundle and the same API contract as
 * the Electron window, over HTTP on 127.0.0.1 only. The per-launch token
 * opens a session: a browser presents it once in the printed link and gets a
 * session cookie plus a CSRF secret for its page (see ./sessions.ts); a script
 * sends it as a bearer header on every call and gets a session id of its own.
 * The token itself never goes into a cookie.
 */

/** What the web host needs from the workspace (injected, so tests need no real workspace). */
export interface WebHostOptions {
  dispatch: Dispatch;
  /** Absolute path of an article's asset, or null when it does not exist or is not allowed. */
  assetPath: (articleId: string, src: string) => string | null | Promise<string | null>;
  /** The built renderer (dist/renderer), containing index.html. */
  rendererDir: string;
  /** Defaults to 32 random bytes, base64url. */
  token?: string;
  log?: (message: string) => void;
  /** Request body limit in bytes; defaults to {@link DEFAULT_BODY_LIMIT}. */
  maxBodyBytes?: number;
  /** Idle time after which a session ends; defaults to {@link DEFAULT_SESSION_IDLE_MS}. */
  sessionIdleMs?: number;
  /** Clock for session expiry (tests move it). */
  now?: () => number;
}

/** A listening web host. */
export interface RunningWebHost {
  /** `http://127.0.0.1:<port>/` */
  url: string;
  /** The link that opens a browser session: `<url>?token=<token>` (redirected to `/` at once). */
  bootstrapUrl: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** Returned by {@link createWebHost}. */
export interface WebHost {
  server: Server;
  token: string;
  listen(port?: number): Promise<RunningWebHost>;
}

/** Asset uploads travel as base64 inside JSON, hence the generous limit. */
export const DEFAULT_BODY_LIMIT = 60 * 1024 * 1024;
/**
 * Per-browser session id, `gazette_session_<port>`: the port in the name keeps two
 * hosts in one browser from overwriting each other's cookie (cookies ignore ports).
 */
export const SESSION_COOKIE = 'gazette_session';
/** The page's CSRF secret on every API call; a new one comes back in this header when the session is replaced. */
export const CSRF_HEADER = 'x-gazette-csrf';
/** A bearer script's own session id: sent back by the host on its first call, then presented on every call. */
export const SESSION_HEADER = 'x-gazette-session';
/** Where a page fetches its session's CSRF secret, once. */
export const CLAIM_PATH = '/session/claim';
export { DEFAULT_SESSION_IDLE_MS } from './sessions';
/** Past the limit the body is drained (so the client can read the 413) up to this much more, then cut. */
const DRAIN_ALLOWANCE = 16 * 1024 * 1024;

const BASE_HEADERS: Record<string, string> = {
  'Content-Security-Policy': APP_CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

class BodyTooLargeError extends Error {}

/** A fresh per-launch token: 32 random bytes, base64url. */
export function generateToken(): string {
  return randomBytes(32).toString('base64url');
}

function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index === -1) continue;
    if (part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return null;
}

function singleHeader(value: string | string[] | undefined): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

/** Channels after which the session is replaced: a signed-in person never keeps the id they had before. */
const ROTATING_CHANNELS = new Set(['session:signIn', 'session:setup', 'session:signOut']);

function readBearer(header: string | undefined): string | null {
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header.trim()) : null;
  return match?.[1] ?? null;
}

/**
 * Splits a raw request path into decoded segments, or null when it tries to
 * escape: `..`/`.` segments, encoded slashes or backslashes, NUL, bad escapes.
 * Done on the raw path because URL parsing would silently resolve `%2e%2e`.
 */
export function splitRequestPath(rawUrl: string): string[] | null {
  const end = rawUrl.search(/[?#]/);
  const rawPath = end === -1 ? rawUrl : rawUrl.slice(0, end);
  if (!rawPath.startsWith('/') || rawPath.startsWith('//')) return null;
  const segments: string[] = [];
  for (const raw of rawPath.slice(1).split('/')) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return null;
    }
    if (segment === '.' || segment === '..' || /[\\/\0]/.test(segment)) return null;
    segments.push(segment);
  }
  return segments;
}

function message(key: MessageKey, params?: MessageParams): string {
  return `${translate('zh-CN', key, params)}\n${translate('en', key, params)}`;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function sendText(res: ServerResponse, status: number, text: string, asJson: boolean): void {
  if (asJson) {
    const code = status === 401 ? 'unauthorized' : status === 403 || status === 421 ? 'forbidden' : 'invalid_request';
    sendJson(res, status, { ok: false, error: { code, detail: text } });
    return;
  }
  const body = `<!doctype html><html lang="zh-CN"><meta charset="utf-8"><title>Gazette</title><body><pre>${escapeHtml(text)}</pre></body></html>`;
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, envelope: Envelope<unknown>): void {
  const body = JSON.stringify(envelope);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  res.end(body);
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      if (received > limit + DRAIN_ALLOWANCE) {
        req.destroy();
        reject(new BodyTooLargeError());
        return;
      }
      if (received <= limit) chunks.push(chunk);
    });
    req.on('end', () => {
      if (received > limit) reject(new BodyTooLargeError());
      else resolve(Buffer.concat(chunks));
    });
    req.on('error', reject);
  });
}

async function isInside(root: string, file: string): Promise<boolean> {
  try {
    const [realRoot, realFile] = await Promise.all([realpath(root), realpath(file)]);
    return realFile.startsWith(realRoot + sep);
  } catch {
    return false;
  }
}

async function regularFileSize(file: string): Promise<number | null> {
  try {
    const info = await stat(file);
    return info.isFile() ? info.size : null;
  } catch {
    return null;
  }
}

function streamFile(
  req: IncomingMessage,
  res: ServerResponse,
  file: string,
  size: number,
  headers: Record<string, string>,
): void {
  res.writeHead(200, { ...headers, 'Content-Length': String(size) });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(file);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

/** Builds the web host; nothing listens until `listen()`. */
export function createWebHost(options: WebHostOptions): WebHost {
  const token = options.token ?? generateToken();
  const log = options.log ?? (() => {});
  const limit = options.maxBodyBytes ?? DEFAULT_BODY_LIMIT;
  let port = 0;
  const sessions = new SessionStore({
    idleMs: options.sessionIdleMs,
    now: options.now,
    // An ended session must not leave a person signed in (and their key unlocked) under its id.
    onEnd: (ended) => {
      Promise.resolve(options.dispatch('session:signOut', {}, contextOf(ended))).catch((error: unknown) => {
        log(`[webhost] ending a session failed: ${error instanceof Error ? error.message : String(error)}`);
      });
    },
  });
  const sweeper = setInterval(() => sessions.sweep(), Math.min(sessions.idleMs, 60_000));
  sweeper.unref();

  function contextOf(session: HostSession) {
    return { transport: 'http' as const, sessionId: `http:${session.id}` };
  }

  function cookieName(): string {
    return `${SESSION_COOKIE}_${port}`;
  }

  function sessionCookie(value: string, maxAge?: number): string {
    return `${cookieName()}=${value}; HttpOnly; SameSite=Strict; Path=/${maxAge === undefined ? '' : `; Max-Age=${maxAge}`}`;
  }

  /** Tells the client which session it holds now: a cookie and the page's new CSRF secret, or a script's new id. */
  function hand(res: ServerResponse, session: HostSession): void {
    if (session.kind === 'browser') {
      res.setHeader('Set-Cookie', sessionCookie(session.id));
      res.setHeader(CSRF_HEADER, session.csrf);
    } else {
      res.setHeader(SESSION_HEADER, session.id);
    }
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, segments: string[], session: HostSession): Promise<void> {
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      sendText(res, 405, message('webhost.methodNotAllowed', { method: req.method ?? '' }), true);
      return;
    }
    const contentType = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (contentType !== 'application/json') {
      sendText(res, 415, message('webhost.unsupportedMediaType'), true);
      return;
    }
    const channel = segments.length === 2 ? segments[1] : undefined;
    if (!channel) {
      sendJson(res, 404, { ok: false, error: { code: 'unknown_channel', detail: segments.slice(1).join('/') } });
      return;
    }
    let body: Buffer;
    try {
      body = await readBody(req, limit);
    } catch (error) {
      if (error instanceof BodyTooLargeError) {
        const limitMb = Math.round(limit / 1024 / 1024);
        sendJson(res, 413, {
          ok: false,
          error: { code: 'invalid_request', detail: message('webhost.tooLarge', { limit: limitMb }) },
        });
        return;
      }
      throw error;
    }
    let payload: unknown;
    if (body.length > 0) {
      try {
        payload = JSON.parse(body.toString('utf8'));
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        sendJson(res, 400, {
          ok: false,
          error: { code: 'invalid_request', detail: message('webhost.malformedJson', { detail }) },
        });
        return;
      }
    }
    if (!ROTATING_CHANNELS.has(channel)) {
      sendJson(res, 200, await options.dispatch(channel, payload, contextOf(session)));
      return;
    }
    if (channel === 'session:signOut') {
      const envelope = await options.dispatch(channel, payload, contextOf(session));
      sessions.end(session);
      hand(res, sessions.create(session.kind, true));
      sendJson(res, 200, envelope);
      return;
    }
    // Signing in happens under a fresh id; the old one ends only when it worked.
    const next = sessions.create(session.kind, true);
    const envelope = await options.dispatch(channel, payload, contextOf(next));
    if (envelope.ok) {
      sessions.end(session);
      hand(res, next);
    } else {
      sessions.end(next);
    }
    sendJson(res, 200, envelope);
  }

  function handleClaim(req: IncomingMessage, res: ServerResponse, session: HostSession): void {
    if (req.method !== 'POST') {
      res.setHeader('Allow', 'POST');
      sendText(res, 405, message('webhost.methodNotAllowed', { method: req.method ?? '' }), true);
      return;
    }
    const csrf = sessions.claim(session);
    if (csrf === null) {
      sendText(res, 403, message('webhost.sessionClaimed'), true);
      return;
    }
    sendJson(res, 200, { ok: true, value: { csrf } });
  }

  async function handleAsset(req: IncomingMessage, res: ServerResponse, segments: string[]): Promise<void> {
    const [, articleId, ...srcSegments] = segments;
    const src = srcSegments.join('/');
    let file: string | null;
    try {
      file = articleId && srcSegments.length > 0 && srcSegments.every(Boolean) ? await options.assetPath(articleId, src) : null;
    } catch (error) {
      // The store refuses a file reached through a link out of the workspace: say so, serve nothing.
      sendText(res, 403, error instanceof Error ? error.message : String(error), false);
      return;
    }
    const size = file ? await regularFileSize(file) : null;
    if (!file || size === null) {
      sendText(res, 404, message('webhost.notFound'), false);
      return;
    }
    const name = basename(file);
    const inline = isInlineAsset(name);
    streamFile(req, res, file, size, {
      'Content-Type': inline ? contentTypeFor(name) : 'application/octet-stream',
      'Content-Security-Policy': ASSET_FILE_CSP,
      'Content-Disposition': `${inline ? 'inline' : 'attachment'}; filename*=UTF-8''${encodeURIComponent(name)}`,
      'Cache-Control': 'no-cache',
    });
  }

  async function handleStatic(req: IncomingMessage, res: ServerResponse, segments: string[]): Promise<void> {
    const parts = segments.filter(Boolean);
    if (parts.some((part) => part.startsWith('.'))) {
      sendText(res, 404, message('webhost.notFound'), false);
      return;
    }
    const indexFile = join(options.rendererDir, 'index.html');
    let file = parts.length === 0 ? indexFile : join(options.rendererDir, ...parts);
    let size = (await isInside(options.rendererDir, file)) ? await regularFileSize(file) : null;
    const last = parts.at(-1) ?? '';
    if (size === null && !last.includes('.')) {
      // Client-side routes have no file of their own: the app's page handles them.
      file = indexFile;
      size = await regularFileSize(file);
    }
    if (size === null) {
      sendText(res, 404, message('webhost.notFound'), false);
      return;
    }
    streamFile(req, res, file, size, { 'Content-Type': contentTypeFor(file), 'Cache-Control': 'no-cache' });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    for (const [name, value] of Object.entries(BASE_HEADERS)) res.setHeader(name, value);
    const rawUrl = req.url ?? '/';
    const host = (req.headers.host ?? '').toLowerCase();
    if (host !== `127.0.0.1:${port}` && host !== `localhost:${port}`) {
      log(`[webhost] refused host ${JSON.stringify(req.headers.host ?? '')}`);
      sendText(res, 421, message('webhost.badHost', { host: req.headers.host ?? '' }), false);
      return;
    }
    const segments = splitRequestPath(rawUrl);
    const isApi = segments?.[0] === 'api';
    if (!segments) {
      sendText(res, 400, message('webhost.badRequest'), false);
      return;
    }

    // Cookies reach every port of 127.0.0.1, so a browser request must come from this
    // host's own pages (or be typed in): other sites, other ports included, are refused.
    const fetchSite = singleHeader(req.headers['sec-fetch-site']);
    if (fetchSite !== null && fetchSite !== 'same-origin' && fetchSite !== 'none') {
      log(`[webhost] refused a ${fetchSite} ${req.method} request`);
      sendText(res, 403, message('webhost.crossSite'), isApi);
      return;
    }
    const origin = req.headers.origin;
    if (origin !== undefined && origin !== `http://${host}`) {
      log(`[webhost] refused ${req.method} from origin ${JSON.stringify(origin)}`);
      sendText(res, 403, message('webhost.badOrigin', { origin }), isApi);
      return;
    }

    if (req.method === 'GET' && segments.length === 1 && segments[0] === '') {
      const offered = new URL(rawUrl, `http://${host}`).searchParams.get('token');
      if (offered !== null) {
        if (!secretsMatch(offered, token)) {
          log('[webhost] refused a bootstrap link with a wrong token');
          sendText(res, 401, message('webhost.unauthorized'), false);
          return;
        }
        // Opening the link again starts over: the session this browser had ends.
        const previous = sessions.find(readCookie(req.headers.cookie, cookieName()), 'browser');
        if (previous) sessions.end(previous);
        res.setHeader('Set-Cookie', sessionCookie(sessions.create('browser').id));
        res.writeHead(303, { Location: '/', 'Cache-Control': 'no-store' });
        res.end();
        return;
      }
    }

    const bearer = readBearer(req.headers.authorization);
    let session: HostSession | null = null;
    if (bearer !== null) {
      if (!secretsMatch(bearer, token)) {
        sendText(res, 401, message('webhost.unauthorized'), isApi);
        return;
      }
      // Pages and assets need only the token; API calls act as the script's own session.
      if (isApi) {
        const presented = singleHeader(req.headers[SESSION_HEADER]);
        session = presented === null ? sessions.create('bearer', true) : sessions.find(presented, 'bearer');
        if (!session) {
          sendText(res, 401, message('webhost.sessionUnknown'), true);
          return;
        }
        if (presented === null) hand(res, session);
      }
    } else {
      const presented = readCookie(req.headers.cookie, cookieName());
      session = sessions.find(presented, 'browser');
      if (!session) {
        if (presented !== null) res.setHeader('Set-Cookie', sessionCookie('', 0));
        sendText(res, 401, message(presented === null ? 'webhost.unauthorized' : 'webhost.sessionUnknown'), isApi);
        return;
      }
      if (rawUrl.split('?')[0] === CLAIM_PATH) return handleClaim(req, res, session);
      // The cookie alone never acts: the page's CSRF secret, which a replayed cookie lacks, must come with it.
      if (isApi && !secretsMatch(singleHeader(req.headers[CSRF_HEADER]), session.csrf)) {
        log('[webhost] refused an API call without the session\'s CSRF secret');
        sendText(res, 403, message('webhost.csrfMissing'), true);
        return;
      }
    }

    if (isApi) {
      if (!session) throw new Error('an API call reached dispatch without a session');
      return handleApi(req, res, segments, session);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      sendText(res, 405, message('webhost.methodNotAllowed', { method: req.method ?? '' }), false);
      return;
    }
    if (segments[0] === 'files') return handleAsset(req, res, segments);
    return handleStatic(req, res, segments);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const detail = error instanceof Error ? error.message : String(error);
      log(`[webhost] ${req.method} ${(req.url ?? '').split('?')[0]} failed: ${detail}`);
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendText(res, 500, message('webhost.internal', { detail }), (req.url ?? '').startsWith('/api/'));
    });
  });

  server.on('close', () => clearInterval(sweeper));

  return {
    server,
    token,
    listen(requestedPort = 0) {
      return new Promise<RunningWebHost>((resolve, reject) => {
        server.once('error', reject);
        // Loopback only: the workstation's drafts are never exposed to the network.
        server.listen({ host: '127.0.0.1', port: requestedPort }, () => {
          server.off('error', reject);
          port = (server.address() as AddressInfo).port;
          const url = `http://127.0.0.1:${port}/`;
          resolve({
            url,
            bootstrapUrl: `${url}?token=${token}`,
            port,
            token,
            close: () =>
              new Promise<void>((done) => {
                server.close(() => done());
                server.closeAllConnections();
              }),
          });
        });
      });
    },
  };
}
