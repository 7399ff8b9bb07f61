import type { SiteFooter } from '../../shared/portal/site';

/**
 * The identifiers a test office enters for its site. A new site profile has
 * none, and publishing is refused until they are filled in, so every test that
 * publishes sets them explicitly, the way an administrator would.
 */
export const OFFICE_SITE_IDENTIFIERS = {
  siteCode: '4107000012',
  icp: '豫ICP备05012345号',
  police: '豫公网安备 41070202000123号',
} as const satisfies Partial<SiteFooter>;

/** The site with the office's identifiers filled in. */
export function withSiteIdentifiers<T extends { footer: SiteFooter }>(site: T): T {
  return { ...site, footer: { ...site.footer, ...OFFICE_SITE_IDENTIFIERS } };
}
