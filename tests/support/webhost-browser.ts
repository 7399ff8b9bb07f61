import type { RunningWebHost } from '../../node/webhost/server';
import type { Envelope } from '../../shared/api/errors';

/**
 * A browser as the web host sees it: one cookie jar for 127.0.0.1 whatever the
 * port (as real browsers keep it), the page's CSRF secret in memory, and the
 * headers a same-origin page sends.
 */
export function webhostBrowser(host: RunningWebHost) {
  const jar = new Map<string, string>();
  let csrf: string | null = null;
  const remember = (response: Response) => {
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const index = (pair ?? '').indexOf('=');
      const name = (pair ?? '').slice(0, index);
      const value = (pair ?? '').slice(index + 1);
      if (!name) continue;
      if (value && !/Max-Age=0/i.test(line)) jar.set(name, value);
      else jar.delete(name);
    }
    const renewed = response.headers.get('x-gazette-csrf');
    if (renewed) csrf = renewed;
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const own = { origin: host.url.slice(0, -1), 'sec-fetch-site': 'same-origin' };
  return {
    jar,
    /** The Cookie header this browser sends to any port of 127.0.0.1. */
    cookie,
    get csrf() {
      return csrf;
    },
    /** The session id in the jar. */
    get sessionId() {
      return jar.get(`gazette_session_${host.port}`) ?? null;
    },
    /** Opens the printed link, follows the redirect and, as the app's page does, claims the CSRF secret. */
    async open() {
      const bootstrap = await fetch(host.bootstrapUrl, { redirect: 'manual', headers: { cookie: cookie(), 'sec-fetch-site': 'none' } });
      remember(bootstrap);
      const page = await fetch(host.url, { headers: { cookie: cookie(), 'sec-fetch-site': 'none' } });
      remember(page);
      const claim = await fetch(`${host.url}session/claim`, { method: 'POST', headers: { cookie: cookie(), ...own } });
      const body = (await claim.json()) as Envelope<{ csrf: string }>;
      if (body.ok) csrf = body.value.csrf;
      return { bootstrap, page, claim };
    },
    async api<T>(channel: string, payload: unknown): Promise<Envelope<T>> {
      const response = await fetch(`${host.url}api/${channel}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: cookie(), ...own, ...(csrf ? { 'x-gazette-csrf': csrf } : {}) },
        body: JSON.stringify(payload),
      });
      remember(response);
      return (await response.json()) as Envelope<T>;
    },
  };
}
