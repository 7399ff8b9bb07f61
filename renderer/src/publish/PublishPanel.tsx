import { useCallback, useEffect, useId, useState } from 'react';
import type { ChecklistItem, PublishJobsView, PublishJobView } from '../../../shared/api/contract';
import { api } from '../api/client';
import { Field } from '../components/Field';
import { SitePicker } from '../components/SitePicker';
import { useSites } from './use-sites';
import { reviewErrorText } from '../review/review-errors';
import { formatLocalMinute } from '../state/datetime';
import type { EditorSession } from '../state/editor-session';
import { pushToast } from '../state/notifications';
import { handleSessionLoss, hasRole, useCurrentPerson } from '../state/session';
import { useLocale, useT } from '../state/settings';
import { hasActiveJobs, JOB_POLL_MS, scheduleToIso } from './publish-logic';

type Action = 'publish' | 'update' | 'withdraw';
const ACTIONS: readonly Action[] = ['publish', 'update', 'withdraw'];

type Refusal = { kind: 'checklist'; items: ChecklistItem[] } | { kind: 'message'; text: string } | null;

function localTime(iso: string | null): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : formatLocalMinute(date);
}

/**
 * Publishing of one article: targets, 发布/更新/撤回 with an optional time,
 * the checklist when the services refuse, and per-target progress polled
 * while jobs are on their way. People without the publisher role see the
 * progress and receipts only.
 */
export function PublishPanel({
  session,
  onPublished,
  checkProofErrors,
  onProofGate,
}: {
  session: EditorSession;
  onPublished?(): void;
  /** Resolves with the proofreading errors still standing; publishing waits for none (issue 5's gate). */
  checkProofErrors?(): Promise<readonly unknown[]>;
  /** Shows the proofreading gate (the errors and, for publishers, the override). */
  onProofGate?(): void;
}) {
  const t = useT();
  const locale = useLocale();
  const id = useId();
  const person = useCurrentPerson();
  const canPublish = hasRole(person, 'publisher');
  const articleId = session.articleId;
  const [chosen, setChosen] = useState<string[]>([]);
  const [schedule, setSchedule] = useState('');
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState<Refusal>(null);
  const [view, setView] = useState<PublishJobsView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);

  const onSitesError = useCallback(
    (error: unknown) => setLoadError(t('pubui.loadFailed', { detail: reviewErrorText(locale, error) })),
    [t, locale],
  );
  const { sites, siteId, setSiteId } = useSites(onSitesError);

  const loadJobs = useCallback(async () => {
    try {
      const next = await api.invoke('publish:jobs', { articleId });
      setView(next);
      setLoadError(null);
      return next;
    } catch (error) {
      handleSessionLoss(error);
      setLoadError(t('pubui.loadFailed', { detail: reviewErrorText(locale, error) }));
      return null;
    }
  }, [articleId, t, locale]);

  useEffect(() => {
    void loadJobs();
  }, [loadJobs]);

  const active = view ? hasActiveJobs(view.jobs) : false;
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      void loadJobs().then((next) => {
        if (next && !hasActiveJobs(next.jobs)) onPublished?.();
      });
    }, JOB_POLL_MS);
    return () => clearInterval(timer);
  }, [active, loadJobs, onPublished]);

  const site = sites?.find((s) => s.id === siteId) ?? null;

  const run = async (action: Action) => {
    setRefusal(null);
    if (chosen.length === 0) return setRefusal({ kind: 'message', text: t('pubui.pickTarget') });
    const notBefore = scheduleToIso(schedule);
    if (notBefore === null) return setRefusal({ kind: 'message', text: t('pubui.scheduleInvalid') });
    setBusy(true);
    try {
      if (action !== 'withdraw' && checkProofErrors && onProofGate && (await checkProofErrors()).length > 0) {
        onProofGate();
        return;
      }
      // The services publish the stored article: whatever is still in the editor must be on disk first.
      await session.flush();
      const result = await api.invoke('publish:enqueue', {
        articleId,
        targetIds: chosen,
        action,
        ...(notBefore ? { notBefore } : {}),
      });
      if (!result.ok) {
        setRefusal({ kind: 'checklist', items: result.checklist });
      } else {
        pushToast('info', notBefore ? t('pubui.scheduled', { time: localTime(notBefore) }) : t('pubui.queued', { count: result.jobs.length }));
        await loadJobs();
      }
    } catch (error) {
      handleSessionLoss(error);
      setRefusal({
        kind: 'message',
        text: t('pubui.refusedAction', { action: t(`pubui.action.${action}`), detail: reviewErrorText(locale, error) }),
      });
    } finally {
      setBusy(false);
    }
  };

  const retry = async (job: PublishJobView) => {
    try {
      await api.invoke('publish:retry', { jobId: job.id });
      pushToast('info', t('pubui.retried'));
      await loadJobs();
    } catch (error) {
      handleSessionLoss(error);
      pushToast('error', reviewErrorText(locale, error));
    }
  };

  return (
    <section className="publish-panel" aria-labelledby={`${id}-heading`} data-testid="publish-panel">
      <h2 id={`${id}-heading`} className="panel-heading">
        {t('pubui.heading')}
      </h2>
      {loadError ? (
        <div className="banner banner-error" role="alert">
          {loadError}
        </div>
      ) : null}
      {canPublish ? (
        <>
          <SitePicker
            sites={sites ?? []}
            value={siteId}
            onChange={(picked) => {
              setSiteId(picked);
              setChosen([]);
            }}
          />
          {site && site.targets.length === 0 ? <p className="muted">{t('pubui.noTargets')}</p> : null}
          {site && site.targets.length > 0 ? (
            <fieldset className="plain-fieldset publish-targets">
              <legend>{t('pubui.targets')}</legend>
              {site.targets.map((target) => (
                <label key={target.id} className="inline-check">
                  <input
                    type="checkbox"
                    checked={chosen.includes(target.id)}
                    onChange={(event) =>
                      setChosen((ids) => (event.target.checked ? [...ids, target.id] : ids.filter((x) => x !== target.id)))
                    }
                  />
                  {target.label}
                  {target.kind !== 'static-folder' && !target.hasCredential ? (
                    <span className="muted small">（{t('pubui.noCredential')}）</span>
                  ) : null}
                </label>
              ))}
            </fieldset>
          ) : null}
          <Field label={t('pubui.schedule')} hint={t('pubui.scheduleHelp')}>
            {(control) => (
              <input {...control} type="datetime-local" value={schedule} onChange={(event) => setSchedule(event.target.value)} />
            )}
          </Field>
          <div className="button-row">
            {ACTIONS.map((action) => (
              <button
                key={action}
                type="button"
                className={action === 'publish' ? 'primary' : action === 'withdraw' ? 'danger' : undefined}
                disabled={busy || !site || site.targets.length === 0}
                onClick={() => void run(action)}
              >
                {t(`pubui.action.${action}`)}
              </button>
            ))}
          </div>
        </>
      ) : (
        <p className="muted">{t('pubui.statusOnly')}</p>
      )}

      {refusal ? (
        <div className="banner banner-error" role="alert" data-testid="publish-refused">
          {refusal.kind === 'message' ? (
            <p>{refusal.text}</p>
          ) : (
            <>
              <p>{t('pubui.refused')}</p>
              <ul className="checklist">
                {refusal.items.map((item) => (
                  <li key={item.code} className={item.ok ? 'check-ok' : 'check-bad'}>
                    <span aria-hidden="true">{item.ok ? '✓' : '✗'}</span> {item.message}
                  </li>
                ))}
              </ul>
            </>
          )}
        </div>
      ) : null}

      <h3 className="panel-subheading">{t('pubui.progress')}</h3>
      {view?.targets.some((row) => row.pending + row.running + row.succeeded + row.failed > 0) ? (
        <ul className="publish-counts">
          {view.targets
            .filter((row) => row.pending + row.running + row.succeeded + row.failed > 0)
            .map((row) => (
              <li key={row.targetId}>{t('pubui.targetCounts', { ...row })}</li>
            ))}
        </ul>
      ) : null}
      {view && view.jobs.length === 0 ? <p className="muted">{t('pubui.noJobs')}</p> : null}
      {view && view.jobs.length > 0 ? (
        <ol className="publish-jobs" aria-label={t('pubui.progress')}>
          {view.jobs.map((job) => (
            <JobRow key={job.id} job={job} canRetry={canPublish} onRetry={() => void retry(job)} />
          ))}
        </ol>
      ) : null}
    </section>
  );
}

function JobRow({ job, canRetry, onRetry }: { job: PublishJobView; canRetry: boolean; onRetry(): void }) {
  const t = useT();
  const { receipt } = job;
  return (
    <li className={`publish-job job-${job.state}`} data-testid="publish-job" data-state={job.state}>
      <div className="job-head">
        <strong>{t(`pubui.action.${job.action}`)}</strong> → {job.targetLabel}
        <span className={`job-state state-${job.state}`} data-testid="job-state">
          {t(`pubui.state.${job.state}`)}
        </span>
      </div>
      <div className="muted small">
        {t('pubui.attempts', { n: job.attempts })}
        {job.notBefore && job.state === 'pending' ? ` · ${t('pubui.notBefore', { time: localTime(job.notBefore) })}` : ''}
        {job.state === 'pending' && job.attempts > 0 ? ` · ${t('pubui.nextRetry', { time: localTime(job.nextAttemptAt) })}` : ''}
      </div>
      {job.error ? (
        <p className="job-error" role={job.state === 'failed' ? 'alert' : undefined}>
          {job.error}
        </p>
      ) : null}
      {receipt ? (
        <div className="job-receipt small">
          {t('pubui.receipt')}：{localTime(receipt.at)} · {t('pubui.remoteId', { id: receipt.remoteId })}
          {receipt.url && job.action !== 'withdraw' ? (
            <>
              {' · '}
              {/* Electron denies window.open; its shell opens target=_blank links in the user's browser. */}
              <a href={receipt.url} target="_blank" rel="noopener noreferrer">
                {t('pubui.openPage')}
              </a>
            </>
          ) : null}
          {' · '}
          <span className={`verification verification-${receipt.verification}`} title={receipt.verificationDetail}>
            {t(`pubui.verification.${receipt.verification}`)}
            {receipt.verification === 'flagged' && receipt.verificationDetail ? `：${receipt.verificationDetail}` : ''}
          </span>
        </div>
      ) : null}
      {job.state === 'failed' && canRetry ? (
        <button type="button" onClick={onRetry}>
          {t('pubui.retry')}
        </button>
      ) : null}
    </li>
  );
}
