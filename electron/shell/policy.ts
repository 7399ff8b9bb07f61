import { fileURLToPath, pathToFileURL } from 'node:url';

/*
 * Pure navigation policy of the Electron window: which URLs are the app's own,
 * where it may navigate and which links go to the OS browser. Nothing here
 * imports electron, so it is unit-tested on plain Node.
 */

/** Where the renderer is loaded from: the built file or, in development, a dev server. */
export type AppLocation = { kind: 'file'; indexPath: string } | { kind: 'http'; origin: string };

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

function sameFilePath(a: string, b: string, platform: NodeJS.Platform): boolean {
  return platform === 'win32' ? a.toLowerCase() === b.toLowerCase() : a === b;
}

/**
 * Whether `url` is the app's own page. file:// origins are opaque ("null"), so
 * for the built app the page's file path is compared instead of an origin; a
 * query or hash (client-side routes) is allowed.
 */
export function isAppUrl(url: string, app: AppLocation, platform: NodeJS.Platform = process.platform): boolean {
  const parsed = parseUrl(url);
  if (!parsed) return false;
  if (app.kind === 'http') {
    const expected = parseUrl(app.origin);
    return expected !== null && parsed.origin !== 'null' && parsed.origin === expected.origin;
  }
  if (parsed.protocol !== 'file:' || parsed.host !== '' || parsed.username || parsed.password) return false;
  let actualPath: string;
  try {
    actualPath = fileURLToPath(parsed);
  } catch {
    return false;
  }
  const expectedPath = fileURLToPath(pathToFileURL(app.indexPath));
  return sameFilePath(actualPath, expectedPath, platform);
}

/** Whether navigating the window to `url` keeps it on the app (else the navigation is cancelled). */
export function isAllowedNavigation(url: string, app: AppLocation): boolean {
  return isAppUrl(url, app);
}

/**
 * The URL to hand to the system browser for a link the writer clicked, or null
 * when it must not be opened (anything but plain http/https, e.g. file:,
 * javascript:, smb:, custom schemes that launch programs).
 */
export function externalUrlToOpen(url: string): string | null {
  const parsed = parseUrl(url);
  if (!parsed) return null;
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  if (!parsed.hostname || parsed.username || parsed.password) return null;
  return parsed.href;
}
