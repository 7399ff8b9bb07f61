import { isAbsolute, join, relative, sep } from 'node:path';

/*
 * The built renderer's URLs: `app://gazette/<file>` maps to a file of
 * dist/renderer and to nothing else. Pure (no electron), so the mapping —
 * the one place a URL becomes a path — is unit-tested on plain Node.
 */

export const APP_SCHEME = 'app';
export const APP_HOST = 'gazette';
/** The page the window opens. */
export const APP_INDEX_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * The file of `rendererDir` that `url` names, or null when it names none: another
 * scheme or host, a path that climbs out (`..`, encoded or not), a backslash or
 * NUL, a hidden file. `/` is the index page. Symlinks are the handler's to
 * refuse (it compares real paths), since this function does not touch the disk.
 */
export function rendererFileFor(url: string, rendererDir: string): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== `${APP_SCHEME}:` || parsed.host !== APP_HOST || parsed.username || parsed.password || parsed.port) return null;
  let path: string;
  try {
    path = decodeURIComponent(parsed.pathname);
  } catch {
    return null;
  }
  if (path === '/' || path === '') path = '/index.html';
  const parts = path.split('/').slice(1);
  if (parts.some((part) => part === '' || part === '.' || part === '..' || part.startsWith('.') || /[\\\0:]/.test(part))) return null;
  const file = join(rendererDir, ...parts);
  const inside = relative(rendererDir, file);
  if (!inside || inside.startsWith(`..${sep}`) || inside === '..' || isAbsolute(inside)) return null;
  return file;
}
