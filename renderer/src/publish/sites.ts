import type { ConnectionTestResult, PublishTargetConfig, SiteConfig, SiteSummary } from '../../../shared/api/contract';
import { api } from '../api/client';

/** The office's sites, each with its targets and whether their passwords are set. */
export function listSites(): Promise<SiteSummary[]> {
  return api.invoke('sites:list', {});
}

/** The site picked when nobody chose: the main site, else the first. */
export function defaultSiteId(sites: readonly SiteSummary[]): string | null {
  return (sites.find((site) => site.id === 'main') ?? sites[0])?.id ?? null;
}

/** One site's profile for editing. */
export function getSite(siteId: string): Promise<SiteConfig> {
  return api.invoke('sites:get', { id: siteId });
}

/** Saves a site's profile (admin); resolves with it as stored. */
export function saveSite(site: SiteConfig): Promise<SiteConfig> {
  return api.invoke('sites:save', site);
}

/** Stores a target's password or passphrase; it never comes back, only whether one is set. */
export async function setTargetCredential(target: Pick<PublishTargetConfig, 'id'>, secret: string): Promise<void> {
  await api.invoke('targets:setCredential', { targetId: target.id, secret });
}

/** Tries to log in to a target as the form shows it; `secret` is the password typed (else the stored one is used). */
export function testTargetConnection(siteId: string, target: PublishTargetConfig, secret: string): Promise<ConnectionTestResult> {
  return api.invoke('targets:test', { siteId, target, ...(secret === '' ? {} : { secret }) });
}
