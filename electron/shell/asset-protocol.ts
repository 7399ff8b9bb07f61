import { pathToFileURL } from 'node:url';
import { net, protocol } from 'electron';
import { parseAssetUrl } from './asset-url';
import { ASSET_FILE_CSP, ASSET_SCHEME } from '../../shared/security/csp';

function notFound(): Response {
  return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}

/**
 * Serves gazette-asset://article/<id>/<src> from the workspace. Only what
 * `assetPath` approves is read; everything else is a 404.
 */
export function handleAssetProtocol(
  assetPath: (articleId: string, src: string) => string | null | Promise<string | null>,
  log: (message: string) => void,
): void {
  protocol.handle(ASSET_SCHEME, async (request) => {
    const asset = parseAssetUrl(request.url);
    if (!asset || (request.method !== 'GET' && request.method !== 'HEAD')) return notFound();
    try {
      const file = await assetPath(asset.articleId, asset.src);
      if (!file) return notFound();
      const response = await net.fetch(pathToFileURL(file).toString());
      if (!response.ok) return notFound();
      const headers = new Headers(response.headers);
      headers.set('Content-Security-Policy', ASSET_FILE_CSP);
      headers.set('X-Content-Type-Options', 'nosniff');
      return new Response(response.body, { status: 200, headers });
    } catch (error) {
      log(`[asset] ${request.url}: ${error instanceof Error ? error.message : String(error)}`);
      return notFound();
    }
  });
}
