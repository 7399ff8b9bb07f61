import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from './host';
import { signInAsAdmin } from './session';

/*
 * What Chromium really does with the web host's cookies: it sends them to every
 * port of 127.0.0.1. A service on another port that logs them must get nothing
 * it can use when it replays them.
 */

test('cookies a page on another 127.0.0.1 port receives cannot act as the signed-in person', async ({ page, host }) => {
  await signInAsAdmin(page, host);

  const logged: IncomingHttpHeaders[] = [];
  const snoop = createServer((req, res) => {
    logged.push(req.headers);
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>other service</title><p>other service</p>');
  });
  await new Promise<void>((done) => snoop.listen(0, '127.0.0.1', done));
  const snoopUrl = `http://127.0.0.1:${(snoop.address() as AddressInfo).port}/`;
  try {
    const other = await page.context().newPage();
    await other.goto(snoopUrl);
    const stolen = String(logged.find((headers) => headers.cookie)?.cookie ?? '');
    expect(stolen, 'Chromium sends 127.0.0.1 cookies to every port').toContain('gazette_session_');
    expect(stolen).not.toContain(host.token);

    // Replayed outside the browser: the cookie alone, even dressed as the host's own page.
    for (const headers of [
      { cookie: stolen },
      { cookie: stolen, origin: host.origin, 'sec-fetch-site': 'same-origin' },
    ] as Record<string, string>[]) {
      const reply = await fetch(`${host.origin}/api/session:get`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: '{}',
      });
      expect([401, 403]).toContain(reply.status);
      const claim = await fetch(`${host.origin}/session/claim`, { method: 'POST', headers });
      expect(claim.status).toBe(403);
    }
    await other.close();

    // The page that opened the link is still signed in and working.
    await page.reload();
    await expect(page.getByTestId('signed-in-person')).toBeVisible();
  } finally {
    await new Promise<void>((done) => snoop.close(() => done()));
  }
});
