import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CallContext } from '../../../shared/api/contract';
import type { Envelope } from '../../../shared/api/errors';
import { APP_CSP, ASSET_FILE_CSP } from '../../../shared/security/csp';
import { createWebHost, type RunningWebHost, splitRequestPath } from '../../../node/webhost/server';

interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** Raw HTTP, so paths are sent exactly as written (fetch would normalise `..`). */
function send(
  port: number,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer } = {},
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path ?? '/', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const SECRET = 'TOP-SECRET-OUTSIDE-RENDERER';
let root: string;
let rendererDir: string;
let assetFile: string;
let attachmentFile: string;
const dispatch = vi.fn(
  async (channel: string, payload: unknown, context: CallContext): Promise<Envelope<unknown>> => {
    if (channel === 'boom:fail') throw new Error('dispatcher exploded');
    // Uploads are not echoed back: a 60 MB reply would only slow the test down.
    const echoed = channel === 'assets:add' ? '(upload)' : payload;
    return { ok: true, value: { channel, payload: echoed, transport: context.transport } };
  },
);
const assetPath = vi.fn((articleId: string, src: string): string | null => {
  if (articleId === 'article-1' && src === 'assets/pic.png') return assetFile;
  if (articleId === 'article-1' && src === 'assets/page.html') return attachmentFile;
  return null;
});
let host: RunningWebHost;
let auth: Record<string, string>;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'gazette-webhost-'));
  rendererDir = join(root, 'renderer');
  mkdirSync(join(rendererDir, 'assets'), { recursive: true });
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Gazette</title><div id="root"></div>');
  writeFileSync(join(rendererDir, 'assets', 'app.js'), 'console.log("app");');
  writeFileSync(join(rendererDir, 'assets', 'app.css'), 'body{}');
  writeFileSync(join(rendererDir, '.env'), SECRET);
  writeFileSync(join(root, 'secret.txt'), SECRET);
  writeFileSync(join(root, 'package.json'), SECRET);
  assetFile = join(root, 'pic.png');
  writeFileSync(assetFile, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
  attachmentFile = join(root, 'page.html');
  writeFileSync(attachmentFile, '<script>alert(1)</script>');
  host = await createWebHost({ dispatch, assetPath, rendererDir, maxBodyBytes: 1000 }).listen(0);
  auth = { authorization: `Bearer ${host.token}` };
});

afterAll(async () => {
  await host.close();
  rmSync(root, { recursive: true, force: true });
});

beforeEach(() => {
  dispatch.mockClear();
});

/** A POST to an API channel with exactly this body and these headers (no token unless they hold it). */
function postRaw(channel: string, body: string, headers: Record<string, string>) {
  return send(host.port, { method: 'POST', path: `/api/${encodeURIComponent(channel)}`, headers, body });
}

/** A JSON POST to an API channel with the token; `headers` add to or replace those. */
function postApi(channel: string, payload: unknown, headers: Record<string, string> = {}) {
  return postRaw(channel, JSON.stringify(payload), { 'content-type': 'application/json', ...auth, ...headers });
}

describe('web host: network exposure', () => {
  it('listens on the loopback address only, with a fresh 32-byte token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/`);
    expect(Buffer.from(host.token, 'base64url')).toHaveLength(32);
    const other = createWebHost({ dispatch, assetPath, rendererDir });
    expect(other.token).not.toBe(host.token);
  });

  it('reports 127.0.0.1 as its bound address', async () => {
    const second = createWebHost({ dispatch, assetPath, rendererDir });
    const running = await second.listen(0);
    try {
      expect(second.server.address()).toMatchObject({ address: '127.0.0.1', family: 'IPv4' });
    } finally {
      await running.close();
    }
  });

  it('refuses a foreign Host header (DNS rebinding) before anything else', async () => {
    for (const hostHeader of ['evil.example', `evil.example:${host.port}`, `127.0.0.1:${host.port + 1}`]) {
      const reply = await send(host.port, { path: '/', headers: { ...auth, host: hostHeader } });
      expect(reply.status, hostHeader).toBe(421);
      expect(reply.body).not.toContain('id="root"');
    }
    const api = await postApi('articles:list', {}, { host: 'attacker.test' });
    expect(api.status).toBe(421);
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('accepts localhost:<port> as well as 127.0.0.1:<port>', async () => {
    const reply = await send(host.port, { path: '/', headers: { ...auth, host: `localhost:${host.port}` } });
    expect(reply.status).toBe(200);
  });
});

describe('web host: token', () => {
  it('answers 401 without a token, with a hint to use the printed link', async () => {
    const page = await send(host.port, { path: '/' });
    expect(page.status).toBe(401);
    expect(page.body).toContain('npm run web');
    expect(page.body).not.toContain('id="root"');

    const asset = await send(host.port, { path: '/files/article-1/assets/pic.png' });
    expect(asset.status).toBe(401);

    const api = await postRaw('articles:list', '{}', { 'content-type': 'application/json' });
    expect(api.status).toBe(401);
    expect(JSON.parse(api.body)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('answers 401 to a wrong token in the link or the bearer header, and to the token as a cookie', async () => {
    const wrong = `${host.token.slice(0, -2)}xx`;
    expect((await send(host.port, { path: `/?token=${wrong}` })).status).toBe(401);
    expect((await send(host.port, { path: '/', headers: { authorization: `Bearer ${wrong}` } })).status).toBe(401);
    // The token is never a cookie: the old cookie name gets nothing.
    expect((await send(host.port, { path: '/', headers: { cookie: `gazette_token=${host.token}` } })).status).toBe(401);
    expect((await send(host.port, { path: '/', headers: { cookie: `gazette_session_${host.port}=` } })).status).toBe(401);
  });

  it('turns the link into a session cookie (never the token) and strips the token from the address', async () => {
    const reply = await send(host.port, { path: `/?token=${host.token}` });
    expect(reply.status).toBe(303);
    expect(reply.headers.location).toBe('/');
    const cookie = reply.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toMatch(new RegExp(`^gazette_session_${host.port}=[A-Za-z0-9_-]{43};`));
    expect(cookie).not.toContain(host.token);
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(/;\s*SameSite=Strict/i);
    expect(cookie).toMatch(/;\s*Path=\//);

    const page = await send(host.port, { path: '/', headers: { cookie: cookie.split(';')[0] ?? '' } });
    expect(page.status).toBe(200);
    expect(page.body).toContain('id="root"');
  });

  it('accepts the token as a bearer header for scripts, each call without a session id getting a session of its own', async () => {
    const reply = await postApi('articles:list', { query: '会议' });
    expect(reply.status).toBe(200);
    expect(JSON.parse(reply.body)).toEqual({
      ok: true,
      value: { channel: 'articles:list', payload: { query: '会议' }, transport: 'http' },
    });
    const issued = reply.headers['x-gazette-session'];
    expect(issued).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(dispatch).toHaveBeenCalledWith('articles:list', { query: '会议' }, { transport: 'http', sessionId: `http:${issued}` });

    const again = await postApi('articles:list', {}, { 'x-gazette-session': String(issued) });
    expect(again.status).toBe(200);
    expect(again.headers['x-gazette-session']).toBeUndefined();
    expect(dispatch).toHaveBeenLastCalledWith('articles:list', {}, { transport: 'http', sessionId: `http:${issued}` });
  });
});

describe('web host: API', () => {
  it('refuses a POST from a foreign Origin and accepts its own', async () => {
    const foreign = await postApi('articles:list', {}, { origin: 'http://evil.example' });
    expect(foreign.status).toBe(403);
    expect(JSON.parse(foreign.body)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const nullOrigin = await postApi('articles:list', {}, { origin: 'null' });
    expect(nullOrigin.status).toBe(403);
    expect(dispatch).not.toHaveBeenCalled();

    const own = await postApi('articles:list', {}, { origin: `http://127.0.0.1:${host.port}` });
    expect(own.status).toBe(200);
  });

  it('allows only POST with application/json', async () => {
    const get = await send(host.port, { path: '/api/articles%3Alist', headers: auth });
    expect(get.status).toBe(405);
    expect(get.headers.allow).toBe('POST');
    const form = await postRaw('articles:list', 'a=1', { ...auth, 'content-type': 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    expect(dispatch).not.toHaveBeenCalled();
    const withCharset = await postApi('articles:list', {}, { 'content-type': 'application/json; charset=utf-8' });
    expect(withCharset.status).toBe(200);
  });

  it('answers malformed JSON with an invalid_request envelope, without calling the API', async () => {
    const reply = await postRaw('articles:list', '{"query": "unterminated', { ...auth, 'content-type': 'application/json' });
    expect(reply.status).toBe(400);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('accepts a body at the limit and refuses one byte more with 413 and the limit in the message', async () => {
    const atLimit = JSON.stringify({ text: 'x'.repeat(1000 - 11) });
    expect(Buffer.byteLength(atLimit)).toBe(1000);
    const ok = await postRaw('import:text', atLimit, { ...auth, 'content-type': 'application/json' });
    expect(ok.status).toBe(200);

    const tooBig = JSON.stringify({ text: 'x'.repeat(1000 - 10) });
    const refused = await postRaw('import:text', tooBig, { ...auth, 'content-type': 'application/json' });
    expect(refused.status).toBe(413);
    const envelope = JSON.parse(refused.body) as Envelope<unknown>;
    expect(envelope.ok).toBe(false);
    expect(JSON.stringify(envelope)).toContain('MB');
    expect(dispatch).toHaveBeenCalledTimes(1);
  });

  it('by default takes a base64 upload just under 60 MB and refuses one over it', async () => {
    const big = createWebHost({ dispatch, assetPath, rendererDir });
    const running = await big.listen(0);
    try {
      const headers = { authorization: `Bearer ${running.token}`, 'content-type': 'application/json' };
      const wrapper = JSON.stringify({ articleId: 'article-1', fileName: 'a.png', mime: 'image/png', dataBase64: '' });
      const under = wrapper.replace('"dataBase64":""', `"dataBase64":"${'A'.repeat(60 * 1024 * 1024 - wrapper.length)}"`);
      expect(Buffer.byteLength(under)).toBe(60 * 1024 * 1024);
      const accepted = await send(running.port, { method: 'POST', path: '/api/assets%3Aadd', headers, body: under });
      expect(accepted.status).toBe(200);
      const refused = await send(running.port, { method: 'POST', path: '/api/assets%3Aadd', headers, body: `${under} ` });
      expect(refused.status).toBe(413);
      expect(refused.body).toContain('60 MB');
    } finally {
      await running.close();
    }
  });

  it('passes a dispatcher failure back as a JSON error, not a hung request', async () => {
    const reply = await postApi('boom:fail', {});
    expect(reply.status).toBe(500);
    expect(JSON.parse(reply.body)).toMatchObject({ ok: false });
    expect(reply.body).not.toContain('at ');
  });

  it('marks API replies as not cacheable', async () => {
    const reply = await postApi('articles:list', {});
    expect(reply.headers['cache-control']).toBe('no-store');
    expect(reply.headers['content-type']).toMatch(/^application\/json/);
  });
});

describe('web host: static files', () => {
  it('serves the renderer with MIME types and the app CSP and framing headers', async () => {
    const js = await send(host.port, { path: '/assets/app.js', headers: auth });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toMatch(/^text\/javascript/);
    expect(js.body).toContain('console.log');
    const css = await send(host.port, { path: '/assets/app.css', headers: auth });
    expect(css.headers['content-type']).toMatch(/^text\/css/);

    const page = await send(host.port, { path: '/', headers: auth });
    expect(page.headers['content-security-policy']).toBe(APP_CSP);
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    // Security headers go on refusals too.
    const refused = await send(host.port, { path: '/' });
    expect(refused.headers['content-security-policy']).toBe(APP_CSP);
  });

  it('falls back to index.html for client-side routes but not for missing files', async () => {
    const route = await send(host.port, { path: '/articles/abc', headers: auth });
    expect(route.status).toBe(200);
    expect(route.body).toContain('id="root"');
    const missing = await send(host.port, { path: '/assets/missing.js', headers: auth });
    expect(missing.status).toBe(404);
  });

  it('never serves files outside the renderer folder or hidden files', async () => {
    const attempts = [
      '/../package.json',
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/%2E%2E/package.json',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/%2e%2e/%2e%2e/secret.txt',
      '/..%5csecret.txt',
      '/%252e%252e/secret.txt',
      '//etc/passwd',
      '/.env',
      '/assets/app.js%00.png',
    ];
    for (const path of attempts) {
      const reply = await send(host.port, { path, headers: auth });
      expect([400, 404], path).toContain(reply.status);
      expect(reply.body, path).not.toContain(SECRET);
    }
  });

  it('refuses writes to static paths', async () => {
    const reply = await send(host.port, { method: 'PUT', path: '/index.html', headers: auth, body: 'x' });
    expect(reply.status).toBe(405);
  });
});

describe('web host: article assets', () => {
  it('streams an approved asset with its type, nosniff and a locked-down CSP', async () => {
    const reply = await send(host.port, { path: '/files/article-1/assets/pic.png', headers: auth });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('image/png');
    expect(reply.headers['x-content-type-options']).toBe('nosniff');
    expect(reply.headers['content-security-policy']).toBe(ASSET_FILE_CSP);
    expect(reply.headers['content-length']).toBe('8');
    expect(assetPath).toHaveBeenCalledWith('article-1', 'assets/pic.png');
  });

  it('sends active content (HTML) as a download, not a page', async () => {
    const reply = await send(host.port, { path: '/files/article-1/assets/page.html', headers: auth });
    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toBe('application/octet-stream');
    expect(reply.headers['content-disposition']).toMatch(/^attachment/);
  });

  it('answers 404 when the workspace does not approve the asset', async () => {
    expect((await send(host.port, { path: '/files/article-1/assets/other.png', headers: auth })).status).toBe(404);
    expect((await send(host.port, { path: '/files/article-1', headers: auth })).status).toBe(404);
    const traversal = await send(host.port, { path: '/files/article-1/assets/%2e%2e/%2e%2e/secret.txt', headers: auth });
    expect([400, 404]).toContain(traversal.status);
    expect(traversal.body).not.toContain(SECRET);
  });
});

describe('splitRequestPath', () => {
  it('decodes segments and rejects escapes', () => {
    expect(splitRequestPath('/files/a%20b/%E5%9B%BE.png?x=1')).toEqual(['files', 'a b', '图.png']);
    expect(splitRequestPath('/')).toEqual(['']);
    expect(splitRequestPath('/a/../b')).toBeNull();
    expect(splitRequestPath('/a/%2e%2e/b')).toBeNull();
    expect(splitRequestPath('/a%2fb')).toBeNull();
    expect(splitRequestPath('/%E0%A4%A')).toBeNull();
    expect(splitRequestPath('http://evil/')).toBeNull();
  });
});
