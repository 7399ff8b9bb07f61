import { useCallback, useEffect, useState } from 'react';
import type { SiteSummary } from '../../../shared/api/contract';
import { handleSessionLoss } from '../state/session';
import { defaultSiteId, listSites } from './sites';

/** The office's sites and the one picked (the main site first), for the preview and publish panels. */
export function useSites(onError?: (error: unknown) => void): {
  sites: SiteSummary[] | null;
  siteId: string | null;
  setSiteId(siteId: string): void;
  /** Asks for the list again (a password stored, a site received). */
  reload(): void;
} {
  const [sites, setSites] = useState<SiteSummary[] | null>(null);
  const [siteId, setSiteId] = useState<string | null>(null);
  const [generation, setGeneration] = useState(0);
  const reload = useCallback(() => setGeneration((n) => n + 1), []);
  useEffect(() => {
    void generation;
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
  }, [onError, generation]);
  return { sites, siteId, setSiteId, reload };
}
