import { appEvents, type Channel, type RequestOf, type ResponseOf, type Transport } from '../../../shared/api/contract';
import { ApiError, type Envelope, isApiErrorData } from '../../../shared/api/errors';
import type { GazetteBridge } from './bridge';

/** Electron: the preload bridge carries the call over IPC. */
function bridgeTransport(bridge: GazetteBridge): Transport {
  return {
    async invoke(channel, request) {
      return unwrap(await bridge.invoke(channel, request)) as never;
    },
    assetUrl: (articleId, src) => bridge.assetUrl(articleId, src),
    onEvent(event, listener) {
      const schema = appEvents[event].payload;
      return bridge.on(event, (payload) => {
        // The main side parsed it before sending; parsing again keeps a bad payload from reaching a handler as valid.
        const parsed = schema.safeParse(payload);
        if (parsed.success) listener(parsed.data as Parameters<typeof listener>[0]);
        else console.warn(`[events] ignored a malformed ${event}`);
      });
    },
  };
}

/** Where the page keeps its CSRF secret across reloads of this tab: never a cookie, so it does not travel to other ports. */
const CSRF_STORAGE_KEY = 'gazette.webhost.csrf';
/** Must match node/webhost/server.ts (the renderer may not import node/). */
const CSRF_HEADER = 'X-Gazette-Csrf';

function storedCsrf(): string | null {
  try {
    return window.sessionStorage.getItem(CSRF_STORAGE_KEY);
  } catch {
    return null;
  }
}

function storeCsrf(value: string): void {
  try {
    window.sessionStorage.setItem(CSRF_STORAGE_KEY, value);
  } catch {
    // Storage disabled: the secret lives in memory only and a reload needs the printed link again.
  }
}

/**
 * Browser: the local web host. The session id travels in an HttpOnly cookie
 * this code never sees; because cookies reach every port of 127.0.0.1, each
 * API call also carries the session's CSRF secret, which the page fetches once
 * when it loads (a fresh session hands it out; after a reload the tab's copy is
 * used) and replaces whenever the host answers with a new one (sign-in, sign-out).
 */
function httpTransport(base: string): Transport {
  let csrf: Promise<string | null> | null = null;

  async function claim(): Promise<string | null> {
    try {
      const response = await fetch(`${base}session/claim`, { method: 'POST', credentials: 'same-origin' });
      const body = (await response.json()) as Envelope<{ csrf: string }>;
      if (body.ok) {
        storeCsrf(body.value.csrf);
        return body.value.csrf;
      }
    } catch {
      // Fall back to this tab's copy; the host refuses the call with a clear message if that is stale.
    }
    return storedCsrf();
  }

  return {
    async invoke(channel, request) {
      csrf ??= claim();
      const secret = await csrf;
      let response: Response;
      try {
        response = await fetch(`${base}api/${encodeURIComponent(channel)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...(secret ? { [CSRF_HEADER]: secret } : {}) },
          body: JSON.stringify(request ?? {}),
          credentials: 'same-origin',
        });
      } catch (error) {
        throw new ApiError('internal', `network: ${error instanceof Error ? error.message : String(error)}`);
      }
      const renewed = response.headers.get(CSRF_HEADER);
      if (renewed) {
        storeCsrf(renewed);
        csrf = Promise.resolve(renewed);
      }
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        throw new ApiError(response.status === 401 ? 'unauthorized' : 'internal', `HTTP ${response.status}`);
      }
      return unwrap(body as Envelope<unknown>) as never;
    },
    assetUrl: (articleId, src) => `${base}files/${encodeURIComponent(articleId)}/${src.split('/').map(encodeURIComponent).join('/')}`,
    // The browser has no native menu, hence nothing that sends events: the page's own keys and buttons do the work.
    onEvent: () => () => {},
  };
}

function unwrap(envelope: Envelope<unknown>): unknown {
  if (envelope && typeof envelope === 'object' && 'ok' in envelope) {
    if (envelope.ok) return envelope.value;
    if (isApiErrorData(envelope.error)) throw ApiError.fromData(envelope.error);
  }
  throw new ApiError('internal', 'malformed reply from the main side');
}

function pickTransport(): Transport {
  if (typeof window !== 'undefined' && window.gazette) return bridgeTransport(window.gazette);
  return httpTransport(new URL('./', window.location.href).pathname);
}

/** The app's API: the same typed calls whichever transport is underneath. */
export const api: Transport = pickTransport();

/** The one call controllers need: they take it in their constructor, so tests hand them a fake. */
export type Invoke = Transport['invoke'];

export type { Channel, RequestOf, ResponseOf };
