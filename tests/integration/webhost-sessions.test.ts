import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../../node/services';
import { createWebHost, type RunningWebHost } from '../../node/webhost/server';
import type { SessionInfo } from '../../shared/api/contract';
import type { Envelope } from '../../shared/api/errors';
import { TEST_SCRYPT } from '../support/review-api';
import { webhostBrowser } from '../support/webhost-browser';

/*
 * The web host's sessions against a real workspace: what a page on another
 * port of 127.0.0.1 can do with the cookies the browser hands it, invented
 * ids, idle expiry, sign-in and sign-out, and scripts holding the token.
 */

const ADMIN = { name: '管理员', unit: '区党政办', password: 'admin-password' };
const IDLE_MS = 60_000;

let root: string;
let workspace: Workspace;
let host: RunningWebHost;
let clock = Date.now();
/** Another local service, on another port: it logs every header the browser sends it. */
let snoop: Server;
let snoopOrigin: string;
const logged: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'gazette-webhost-sessions-'));
  const rendererDir = join(root, 'renderer');
  mkdirSync(rendererDir);
  writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><div id="root"></div>');
  workspace = await openWorkspace(join(root, 'ws'), { scrypt: TEST_SCRYPT });
  host = await createWebHost({
    dispatch: workspace.dispatch,
    assetPath: workspace.assetPath,
    rendererDir,
    sessionIdleMs: IDLE_MS,
    now: () => clock,
  }).listen(0);
  snoop = createServer((req, res) => {
    logged.push(req.headers);
    res.end('ok');
  });
  await new Promise<void>((done) => snoop.listen(0, '127.0.0.1', done));
  snoopOrigin = `http://127.0.0.1:${(snoop.address() as AddressInfo).port}`;

  const admin = webhostBrowser(host);
  await admin.open();
  const setup = await admin.api<SessionInfo>('session:setup', ADMIN);
  if (!setup.ok) throw new Error(`setup failed: ${JSON.stringify(setup.error)}`);
});

afterAll(async () => {
  await host.close();
  await new Promise<void>((done) => snoop.close(() => done()));
  await workspace.close();
  rmSync(root, { recursive: true, force: true });
});

async function signedInBrowser() {
  const browser = webhostBrowser(host);
  await browser.open();
  const current = await browser.api<SessionInfo>('session:get', {});
  const adminId = current.ok ? current.value.people.find((p) => p.name === ADMIN.name)?.id : undefined;
  const signedIn = await browser.api<SessionInfo>('session:signIn', { personId: adminId, password: ADMIN.password });
  expect(signedIn).toMatchObject({ ok: true, value: { person: { name: ADMIN.name } } });
  return browser;
}

function post(path: string, headers: Record<string, string>, body = '{}') {
  return fetch(`${host.url}${path.replace(/^\//, '')}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
}

/** What the services think of a host session id, asked directly (not through the host). */
async function personOf(sessionId: string | null): Promise<string | null> {
  const envelope = (await workspace.dispatch('session:get', {}, { transport: 'http', sessionId: `http:${sessionId}` })) as Envelope<SessionInfo>;
  return envelope.ok ? (envelope.value.person?.name ?? null) : null;
}

describe('web host sessions: another port on 127.0.0.1', () => {
  it('gives a service on another port nothing usable: the logged cookies replayed alone are refused', async () => {
    const browser = await signedInBrowser();
    // The browser sends its 127.0.0.1 cookies to the other port too (cookies ignore ports).
    await fetch(snoopOrigin, { headers: { cookie: browser.cookie() } });
    const stolen = String(logged.at(-1)?.cookie ?? '');
    expect(stolen).toContain(`gazette_session_${host.port}=`);
    expect(stolen).not.toContain(host.token);

    // Replayed as a script would: the cookie alone, then dressed up as the host's own page.
    const replays: Record<string, string>[] = [{ cookie: stolen }, { cookie: stolen, origin: host.url.slice(0, -1), 'sec-fetch-site': 'same-origin' }];
    for (const headers of replays) {
      const reply = await post('/api/session:get', headers);
      expect([401, 403]).toContain(reply.status);
      expect(await reply.json()).toMatchObject({ ok: false });
      const signing = await post('/api/review:submit', headers, JSON.stringify({ id: 'x' }));
      expect([401, 403]).toContain(signing.status);
    }
    // The page already took the session's CSRF secret; nobody gets it again.
    const claim = await post('/session/claim', { cookie: stolen, origin: host.url.slice(0, -1) });
    expect(claim.status).toBe(403);

    // From a page on the other port, even holding the secret, the browser's own markers give it away.
    const crossPort = await post('/api/session:get', {
      cookie: stolen,
      origin: snoopOrigin,
      'sec-fetch-site': 'same-site',
      'x-gazette-csrf': browser.csrf ?? '',
    });
    expect(crossPort.status).toBe(403);
    const crossPortPage = await fetch(host.url, { headers: { cookie: stolen, 'sec-fetch-site': 'same-site' } });
    expect(crossPortPage.status).toBe(403);

    // The page itself still works, signed in.
    expect(await browser.api('session:get', {})).toMatchObject({ ok: true, value: { person: { name: ADMIN.name } } });
  });
});

describe('web host sessions: ids', () => {
  it('refuses a session id it never issued, and never adopts one at the link', async () => {
    const invented = 'A'.repeat(43);
    const cookie = `gazette_session_${host.port}=${invented}`;
    const page = await fetch(host.url, { headers: { cookie } });
    expect(page.status).toBe(401);
    expect(page.headers.getSetCookie().join()).toMatch(/Max-Age=0/);
    expect((await post('/api/session:get', { cookie, 'x-gazette-csrf': 'anything' })).status).toBe(401);
    expect((await post('/session/claim', { cookie })).status).toBe(401);

    // Opening the link with a planted id gives a fresh one; the planted one stays dead.
    const bootstrap = await fetch(host.bootstrapUrl, { redirect: 'manual', headers: { cookie } });
    const issued = bootstrap.headers.getSetCookie()[0] ?? '';
    expect(issued).toMatch(new RegExp(`^gazette_session_${host.port}=`));
    expect(issued).not.toContain(invented);
    expect((await fetch(host.url, { headers: { cookie } })).status).toBe(401);
  });

  it('replaces the id at sign-in: the id held before signing in is dead afterwards', async () => {
    const browser = webhostBrowser(host);
    await browser.open();
    const before = browser.jar.get(`gazette_session_${host.port}`);
    const csrfBefore = browser.csrf;
    const browserSignedIn = await signedInBrowserFrom(browser);
    expect(browserSignedIn.sessionId).not.toBe(before);
    expect(browserSignedIn.csrf).not.toBe(csrfBefore);
    const stale = await post('/api/session:get', { cookie: `gazette_session_${host.port}=${before}`, 'x-gazette-csrf': csrfBefore ?? '' });
    expect(stale.status).toBe(401);
    expect(await personOf(browserSignedIn.sessionId)).toBe(ADMIN.name);
  });

  it('ends the session at sign-out: the old cookie is refused and the services forgot the person', async () => {
    const browser = await signedInBrowser();
    const old = { id: browser.sessionId, csrf: browser.csrf };
    expect(await browser.api('session:signOut', {})).toMatchObject({ ok: true, value: { person: null } });
    expect(browser.sessionId).not.toBe(old.id);
    const replay = await post('/api/session:get', { cookie: `gazette_session_${host.port}=${old.id}`, 'x-gazette-csrf': old.csrf ?? '' });
    expect(replay.status).toBe(401);
    expect(await personOf(old.id)).toBeNull();
    // The page can sign in again with the session it was handed.
    expect(await browser.api('session:get', {})).toMatchObject({ ok: true, value: { person: null } });
  });

  it('ends a session left idle, and the services drop who was signed in under it', async () => {
    const browser = await signedInBrowser();
    const id = browser.sessionId;
    clock += IDLE_MS - 1000;
    expect(await browser.api('session:get', {})).toMatchObject({ ok: true, value: { person: { name: ADMIN.name } } });
    clock += IDLE_MS + 1;
    const expired = await browser.api('session:get', {});
    expect(expired).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    await new Promise((done) => setTimeout(done, 50));
    expect(await personOf(id)).toBeNull();
  });
});

describe('web host sessions: scripts with the token', () => {
  function script() {
    let session: string | null = null;
    return {
      get session() {
        return session;
      },
      async call<T>(channel: string, payload: unknown, override?: string): Promise<{ status: number; envelope: Envelope<T> }> {
        const id = override ?? session;
        const response = await post(`/api/${channel}`, {
          authorization: `Bearer ${host.token}`,
          ...(id ? { 'x-gazette-session': id } : {}),
        }, JSON.stringify(payload));
        session = response.headers.get('x-gazette-session') ?? session;
        return { status: response.status, envelope: (await response.json()) as Envelope<T> };
      },
    };
  }

  it('gives two scripts two sessions: one signing in does not sign the other in', async () => {
    const first = script();
    const second = script();
    const people = await first.call<SessionInfo>('session:get', {});
    const adminId = people.envelope.ok ? people.envelope.value.people.find((p) => p.name === ADMIN.name)?.id : undefined;
    const signedIn = await first.call<SessionInfo>('session:signIn', { personId: adminId, password: ADMIN.password });
    expect(signedIn.envelope).toMatchObject({ ok: true, value: { person: { name: ADMIN.name } } });
    expect((await first.call('articles:list', {})).envelope.ok).toBe(true);

    expect((await second.call<SessionInfo>('session:get', {})).envelope).toMatchObject({ ok: true, value: { person: null } });
    expect((await second.call('articles:list', {})).envelope).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(second.session).not.toBe(first.session);
  });

  it('refuses a script session id the host never issued, and a browser id presented as a script id', async () => {
    const invented = script();
    expect((await invented.call('session:get', {}, 'B'.repeat(43))).status).toBe(401);
    const browser = await signedInBrowser();
    expect((await invented.call('articles:list', {}, browser.sessionId ?? '')).status).toBe(401);
  });
});

/** Signs an opened browser in as the admin. */
async function signedInBrowserFrom(browser: ReturnType<typeof webhostBrowser>) {
  const current = await browser.api<SessionInfo>('session:get', {});
  const adminId = current.ok ? current.value.people.find((p) => p.name === ADMIN.name)?.id : undefined;
  expect(await browser.api('session:signIn', { personId: adminId, password: ADMIN.password })).toMatchObject({ ok: true });
  return browser;
}
