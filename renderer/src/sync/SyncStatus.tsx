import { useEffect, useState } from 'react';
import { describeError } from '../state/errors';
import { pushToast } from '../state/notifications';
import { useLocale, useT } from '../state/settings';
import { useStore } from '../state/store';
import { sync } from './app-sync';
import { SyncLogDialog } from './SyncLogDialog';
import { isJoined, SYNC_STATUS_REFRESH_MS } from './sync-controller';
import { phaseText, phaseTone, roundSummary, shownPhase, statusDetails } from './sync-text';
import '../styles/sync.css';

/**
 * Polls the sync status while the window is visible (a hidden window does not
 * need the title bar current; it asks again the moment it shows), and at
 * once whenever `trigger` changes (the app passes the current screen, so the
 * user's own acts are reflected as they move on).
 */
export function useSyncPolling(personId: string | null, trigger: unknown): void {
  // biome-ignore lint/correctness/useExhaustiveDependencies: the status is asked again whenever the trigger changes
  useEffect(() => {
    sync.reset(personId ?? '');
    if (!personId) return;
    const poll = () => {
      if (document.visibilityState !== 'hidden') void sync.refresh();
    };
    poll();
    const timer = setInterval(poll, SYNC_STATUS_REFRESH_MS);
    document.addEventListener('visibilitychange', poll);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', poll);
    };
  }, [personId, trigger]);
}

/**
 * The title bar's sync status (only once the workspace has joined an office):
 * one word for the state, the details on hover and in the log it opens, and
 * 立即同步. The word sits in a polite live region so a change is announced
 * without taking the focus.
 */
export function SyncStatus() {
  const t = useT();
  const locale = useLocale();
  const { status, error, running } = useStore(sync.store);
  const [logOpen, setLogOpen] = useState(false);
  if (!isJoined(status)) return null;

  const phase = shownPhase(status, running);
  const word = phaseText(t, phase, status);
  const details = statusDetails(t, status);
  if (error) details.push(t('syncUi.status.stale', { detail: describeError(locale, error) }));

  const syncNow = async () => {
    try {
      const report = await sync.syncNow();
      if (!report) return;
      const summary = roundSummary(t, report);
      pushToast(summary.kind, summary.text);
    } catch (caught) {
      pushToast('error', t('syncUi.round.failed', { detail: describeError(locale, caught) }));
    }
  };

  return (
    <div className="sync-status" data-testid="sync-status" data-phase={phase}>
      <span role="status" aria-live="polite" className="sr-only">
        {t('syncUi.status.label', { phase: word })}
      </span>
      <button
        type="button"
        className={`nav-button sync-pill sync-tone-${phaseTone(phase)}`}
        title={details.join('\n')}
        aria-label={t('syncUi.status.open', { phase: word })}
        aria-haspopup="dialog"
        data-testid="sync-phase"
        onClick={() => setLogOpen(true)}
      >
        <span className="sync-dot" aria-hidden="true" />
        {word}
      </button>
      <button
        type="button"
        className="nav-button sync-now"
        disabled={running || status.phase === 'revoked'}
        data-testid="sync-now"
        onClick={() => void syncNow()}
      >
        {running ? t('syncUi.syncNow.running') : t('syncUi.syncNow')}
      </button>
      {logOpen ? <SyncLogDialog onClose={() => setLogOpen(false)} /> : null}
    </div>
  );
}
