/*
 * The Content-Security-Policy every transport serves the app with: the Electron
 * window (header and asset protocol) and the local web host send the same text,
 * and renderer/index.html carries the same policy as a <meta> tag.
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
