import { APP_HOST, APP_SCHEME } from './app-url';

/*
 * Pure navigation policy of the Electron window: which URLs are the app's own,
 * where it may navigate and which links go to the OS browser. Nothing here
 * imports electron, so it is unit-tested on plain Node.
 */

/**
 * Where the renderer is loaded from: the app's own `app://gazette/` scheme
 * (the built renderer, ./app-protocol.ts) or, in development, a dev server.
 * Never `file://`: a page there could read any local file a script names.
 */
export type AppLocation = { kind: 'app' } | { kind: 'http'; origin: string };

/** The built app's location. */
export const BUILT_APP: AppLocation = { kind: 'app' };

function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/**
 * Whether `url` is the app's own page, compared by parsed origin (never by
 * string prefix); a path, query or hash (client-side routes) is allowed.
 */
export function isAppUrl(url: string, app: AppLocation): boolean {
  const parsed = parseUrl(url);
  if (!parsed) return false;
  if (app.kind === 'app') {
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST && !parsed.username && !parsed.password && !parsed.port;
  }
  const expected = parseUrl(app.origin);
  return expected !== null && parsed.origin !== 'null' && parsed.origin === expected.origin;
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
