import { realpath } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { net, protocol } from 'electron';
import { APP_CSP } from '../../shared/security/csp';
import { APP_SCHEME, rendererFileFor } from './app-url';

function notFound(): Response {
  return new Response('Not found', { status: 404, headers: { 'Content-Type': 'text/plain; charset=utf-8' } });
}

/**
 * Serves the built renderer at app://gazette/ from `rendererDir`, read-only:
 * GET and HEAD of files inside it (real paths compared, so a symlink out of
 * it is a 404), each with the app's Content-Security-Policy as a header.
 */
export async function handleAppProtocol(rendererDir: string, log: (message: string) => void): Promise<void> {
  const root = await realpath(rendererDir);
  protocol.handle(APP_SCHEME, async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return notFound();
    const named = rendererFileFor(request.url, root);
    if (!named) return notFound();
    try {
      const file = await realpath(named);
      const inside = relative(root, file);
      if (!inside || inside.startsWith(`..${sep}`) || inside === '..') return notFound();
      const response = await net.fetch(pathToFileURL(file).toString());
      if (!response.ok) return notFound();
      const headers = new Headers(response.headers);
      headers.set('Content-Security-Policy', APP_CSP);
      headers.set('X-Content-Type-Options', 'nosniff');
      headers.set('Cross-Origin-Opener-Policy', 'same-origin');
      return new Response(response.body, { status: 200, headers });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') log(`[app] ${request.url}: ${error instanceof Error ? error.message : String(error)}`);
      return notFound();
    }
  });
}
