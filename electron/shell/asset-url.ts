/*
 * URLs of article assets in the Electron window: gazette-asset://article/<id>/<src>.
 * Used by the sandboxed preload (no Node APIs here) and by the protocol handler.
 */

const SCHEME = 'gazette-asset';
const HOST = 'article';

function isSafeSegment(segment: string): boolean {
  return segment !== '' && segment !== '.' && segment !== '..' && !/[\\/\0]/.test(segment);
}

/** The URL the page loads an article's asset from (`src` as stored in the doc, e.g. `assets/abc.png`). */
export function buildAssetUrl(articleId: string, src: string): string {
  const segments = [articleId, ...src.split('/')].map((segment) => encodeURIComponent(segment));
  return `${SCHEME}://${HOST}/${segments.join('/')}`;
}

/** The article id and src a gazette-asset URL names, or null for anything malformed or escaping. */
export function parseAssetUrl(url: string): { articleId: string; src: string } | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${SCHEME}:` || parsed.hostname !== HOST) return null;
  if (parsed.username || parsed.password || parsed.port) return null;
  const rawSegments = parsed.pathname.split('/').slice(1);
  let segments: string[];
  try {
    segments = rawSegments.map((segment) => decodeURIComponent(segment));
  } catch {
    return null;
  }
  if (segments.length < 2 || !segments.every(isSafeSegment)) return null;
  const [articleId, ...srcSegments] = segments;
  if (articleId === undefined) return null;
  return { articleId, src: srcSegments.join('/') };
}
