import { fileURLToPath, pathToFileURL } from 'node:url';

/*
 * Pure security policy shared by the Electron window and the local web host.
 * Nothing here imports electron, so it is unit-tested on plain Node.
 */

/** The custom scheme the Electron window loads article assets from. */
export const ASSET_SCHEME = 'gazette-asset';

const APP_DIRECTIVES: readonly string[] = [
  "default-src 'self'",
  "script-src 'self'",
  // The portal preview is a sandboxed srcdoc frame (no script), which inherits
  // this policy: its theme's <style> block needs 'unsafe-inline'. Scripts stay 'self'.
  "style-src 'self' 'unsafe-inline'",
  // ProseMirror and React write style attributes (column widths, text-align).
  "style-src-attr 'unsafe-inline'",
  `img-src 'self' data: blob: ${ASSET_SCHEME}:`,
  `media-src 'self' blob: ${ASSET_SCHEME}:`,
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-src 'none'",
];

/** The app's Content-Security-Policy as an HTTP header (web host, Electron dev server). */
export const APP_CSP = [...APP_DIRECTIVES, "frame-ancestors 'none'"].join('; ');

/**
 * The same policy for the `<meta>` tag in renderer/index.html: browsers ignore
 * (and warn about) frame-ancestors there, so it is left out.
 */
export const APP_CSP_META = APP_DIRECTIVES.join('; ');

/**
 * Policy for a served asset file itself: an uploaded SVG or HTML opened
 * directly must not run script or load anything.
 */
export const ASSET_FILE_CSP = "default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'; sandbox";

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
