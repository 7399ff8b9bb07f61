import { useEffect, useState } from 'react';
import type { SiteSummary } from '../../../shared/api/contract';
import { handleSessionLoss } from '../state/session';
import { defaultSiteId, listSites } from './sites';

/** The office's sites and the one picked (the main site first), for the preview and publish panels. */
export function useSites(onError?: (error: unknown) => void): {
  sites: SiteSummary[] | null;
  siteId: string | null;
  setSiteId(siteId: string): void;
} {
  const [sites, setSites] = useState<SiteSummary[] | null>(null);
  const [siteId, setSiteId] = useState<string | null>(null);
  useEffect(() => {
    let cancelled = false;
    listSites().then(
      (list) => {
        if (cancelled) return;
        setSites(list);
        setSiteId((current) => current ?? defaultSiteId(list));
      },
      (error: unknown) => {
        if (cancelled) return;
        handleSessionLoss(error);
        onError?.(error);
      },
    );
    return () => {
      cancelled = true;
    };
  }, [onError]);
  return { sites, siteId, setSiteId };
}
