import { type App, type Session, shell, type WebContents } from 'electron';
import { APP_CSP } from '../../shared/security/csp';
import { type AppLocation, externalUrlToOpen, isAllowedNavigation, isAppUrl } from './policy';

/**
 * Permissions the app's own page may use; every other request, from anyone, is
 * denied. `notifications`: the bell's OS notifications (returned articles, new
 * review work) while the window is in the background.
 */
const APP_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write', 'notifications']);

function openExternally(url: string, log: (message: string) => void): void {
  const safe = externalUrlToOpen(url);
  if (!safe) {
    log(`[security] refused to open ${url}`);
    return;
  }
  shell.openExternal(safe).catch((error: unknown) => log(`[security] openExternal failed: ${String(error)}`));
}

/**
 * Session-wide defences: deny-by-default permissions and the CSP header on the
 * app's own HTTP responses (the dev server; the built app's protocol sets it itself).
 */
export function hardenSession(session: Session, app: AppLocation): void {
  session.setPermissionRequestHandler((contents, permission, callback) => {
    callback(APP_PERMISSIONS.has(permission) && isAppUrl(contents.getURL(), app));
  });
  session.setPermissionCheckHandler((contents, permission) => {
    return APP_PERMISSIONS.has(permission) && contents !== null && isAppUrl(contents.getURL(), app);
  });
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!isAppUrl(details.url, app)) {
      callback({});
      return;
    }
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [APP_CSP] } });
  });
}

/**
 * Per-WebContents defences: no popups (http/https links go to the system
 * browser), no navigation away from the app, no <webview>.
 */
export function hardenWebContents(contents: WebContents, app: AppLocation, log: (message: string) => void): void {
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url, log);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event) => {
    if (isAllowedNavigation(event.url, app)) return;
    event.preventDefault();
    openExternally(event.url, log);
  });
  contents.on('will-redirect', (event) => {
    if (isAllowedNavigation(event.url, app)) return;
    log(`[security] blocked redirect to ${event.url}`);
    event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => {
    log('[security] blocked a <webview>');
    event.preventDefault();
  });
}

/** Applies {@link hardenWebContents} to every WebContents the app ever creates. */
export function hardenAllWebContents(electronApp: App, app: AppLocation, log: (message: string) => void): void {
  electronApp.on('web-contents-created', (_event, contents) => hardenWebContents(contents, app, log));
}
