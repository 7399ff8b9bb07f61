import { protocol } from 'electron';
import { ASSET_SCHEME } from '../../shared/security/csp';
import { APP_SCHEME } from './app-url';

/**
 * Must run before `app` is ready, and once (Electron takes one call): the
 * app's own scheme and the article assets' scheme behave like https — a
 * secure context, relative URLs, fetch — without `corsEnabled`, so no other
 * origin can read them. `codeCache` lets V8 keep compiled renderer code.
 */
export function registerPrivilegedSchemes(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true } },
    { scheme: ASSET_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
}
