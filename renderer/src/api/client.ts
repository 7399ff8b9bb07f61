import type { Channel, RequestOf, ResponseOf, Transport } from '../../../shared/api/contract';
import { ApiError, type Envelope, isApiErrorData } from '../../../shared/api/errors';
import type { GazetteBridge } from './bridge';

/** Electron: the preload bridge carries the call over IPC. */
function bridgeTransport(bridge: GazetteBridge): Transport {
  return {
    async invoke(channel, request) {
      return unwrap(await bridge.invoke(channel, request)) as never;
    },
    assetUrl: (articleId, src) => bridge.assetUrl(articleId, src),
  };
}

/**
 * Browser: the local web host. The per-launch token travels in an HttpOnly,
 * SameSite=Strict cookie set when the user opened the host's URL, so this code
 * never sees it and every request (API and assets) carries it.
 */
function httpTransport(base: string): Transport {
  return {
    async invoke(channel, request) {
      let response: Response;
      try {
        response = await fetch(`${base}api/${encodeURIComponent(channel)}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify(request ?? {}),
          credentials: 'same-origin',
        });
      } catch (error) {
        throw new ApiError('internal', `network: ${error instanceof Error ? error.message : String(error)}`);
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
