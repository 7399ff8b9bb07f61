import { useCallback, useEffect, useId, useState } from 'react';
import type { PublishJobView, PublishReceipt, SiteSummary } from '../../../shared/api/contract';
import { DateTimeField } from '../components/DateTimeField';
import { FieldError } from '../components/Field';
import { InlineCheck } from '../components/InlineCheck';
import { SitePicker } from '../components/SitePicker';
import { setTargetCredential } from './sites';
import { useSites } from './use-sites';
import { TextPromptDialog } from '../review/ReviewDialogs';
import { reviewErrorText } from '../review/review-errors';
import { hasRole, useCurrentPerson } from '../state/session';
import { useLocale, useT } from '../state/settings';
import { useStore } from '../state/store';
import { type ArticlePublishing, localTime, PUBLISH_ACTIONS, type PublishRefusal } from './article-publishing';

/**
 * Publishing of one article: targets, 发布/更新/撤回 with an optional time,
 * the checklist when the services refuse, and per-target progress polled
 * while jobs are on their way. People without the publisher role see the
 * progress and receipts only. The steps are {@link ArticlePublishing}'s.
 */
export function PublishPanel({ publishing }: { publishing: ArticlePublishing }) {
  const t = useT();
  const locale = useLocale();
  const id = useId();
  const person = useCurrentPerson();
  const canPublish = hasRole(person, 'publisher');
  // null until the publisher picks: the targets the article is online on are chosen, so 更新 goes where it is live.
  const [picked, setPicked] = useState<string[] | null>(null);
  const [schedule, setSchedule] = useState('');
  // Taking a live article down is asked again, with the reason the audit trail keeps.
  const [askingWithdraw, setAskingWithdraw] = useState(false);
  const { view, liveOn, loadError, refusal, busy } = useStore(publishing.store);

  const onSitesError = useCallback((error: unknown) => publishing.showLoadError(error), [publishing]);
  const { sites, siteId, setSiteId, reload: reloadSites } = useSites(onSitesError);

  useEffect(() => publishing.watch(), [publishing]);

  const site = sites?.find((s) => s.id === siteId) ?? null;
  const liveHere = site ? site.targets.filter((target) => liveOn.includes(target.id)) : [];
  const chosen = picked ?? liveHere.map((target) => target.id);
  const refusalText = (shown: Exclude<PublishRefusal, { kind: 'checklist' }>): string => {
    switch (shown.kind) {
      case 'pickTarget':
        return t('pubui.pickTarget');
      case 'scheduleInvalid':
        return t('pubui.scheduleInvalid');
      case 'failed':
        return t('pubui.refusedAction', { action: t(`pubui.action.${shown.action}`), detail: reviewErrorText(locale, shown.error) });
    }
  };

  return (
    <section className="publish-panel" aria-labelledby={`${id}-heading`} data-testid="publish-panel">
      <h2 id={`${id}-heading`} className="panel-heading">
        {t('pubui.heading')}
      </h2>
      {loadError ? (
        <div className="banner banner-error" role="alert">
          {t('pubui.loadFailed', { detail: reviewErrorText(locale, loadError) })}
        </div>
      ) : null}
      {canPublish ? (
        <>
          <SitePicker
            sites={sites ?? []}
            value={siteId}
            onChange={(next) => {
              setSiteId(next);
              setPicked(null);
            }}
          />
          {site && site.targets.length === 0 ? <p className="muted">{t('pubui.noTargets')}</p> : null}
          {liveHere.length > 0 ? (
            <p className="muted small" data-testid="live-on">
              {t('pubui.liveOn', { targets: liveHere.map((target) => target.label).join('、') })}
            </p>
          ) : null}
          {site && site.targets.length > 0 ? (
            <fieldset className="plain-fieldset publish-targets">
              <legend>{t('pubui.targets')}</legend>
              {site.targets.map((target) => (
                <InlineCheck
                  key={target.id}
                  label={
                    <>
                      {target.label}
                      {target.kind !== 'static-folder' && !target.hasCredential ? (
                        <span className="muted small">（{t('pubui.noCredential')}）</span>
                      ) : null}
                    </>
                  }
                  checked={chosen.includes(target.id)}
                  onChange={(on) => setPicked(on ? [...chosen, target.id] : chosen.filter((x) => x !== target.id))}
                />
              ))}
              {site.targets
                .filter((target) => target.kind !== 'static-folder' && !target.hasCredential)
                .map((target) => (
                  <TargetPasswordHere key={`${target.id}-password`} target={target} onSaved={reloadSites} />
                ))}
            </fieldset>
          ) : null}
          <div className="field">
            <DateTimeField
              value={schedule || null}
              onChange={(next) => setSchedule(next ?? '')}
              dateLabel={t('pubui.schedule')}
              timeLabel={t('meta.publishTime')}
            />
            <p className="muted small">{t('pubui.scheduleHelp')}</p>
          </div>
          <div className="button-row">
            {PUBLISH_ACTIONS.map((action) => (
              <button
                key={action}
                type="button"
                className={action === 'publish' ? 'primary' : action === 'withdraw' ? 'danger' : undefined}
                disabled={busy || !site || site.targets.length === 0}
                onClick={() => (action === 'withdraw' ? setAskingWithdraw(true) : void publishing.enqueue(action, chosen, schedule))}
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
          {refusal.kind !== 'checklist' ? (
            <p>{refusalText(refusal)}</p>
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
            <JobRow key={job.id} job={job} canRetry={canPublish} onRetry={() => void publishing.retry(job)} />
          ))}
        </ol>
      ) : null}
      {askingWithdraw ? (
        <TextPromptDialog
          title={t('pubui.withdraw.title')}
          intro={t('pubui.withdraw.intro')}
          label={t('pubui.withdraw.reason')}
          confirmLabel={t('pubui.withdraw.confirm')}
          required
          requiredMessage={t('pubui.withdraw.reasonRequired')}
          danger
          onConfirm={async (reason) => {
            setAskingWithdraw(false);
            await publishing.enqueue('withdraw', chosen, schedule, reason);
          }}
          onClose={() => setAskingWithdraw(false)}
        />
      ) : null}
    </section>
  );
}

/**
 * A target that reached this desktop through the office sync arrives without
 * its password (passwords never sync): the publisher enters it here, once per
 * desktop, and it is stored encrypted on this machine.
 */
function TargetPasswordHere({ target, onSaved }: { target: SiteSummary['targets'][number]; onSaved(): void }) {
  const t = useT();
  const locale = useLocale();
  const id = useId();
  const [secret, setSecret] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    setBusy(true);
    setError(null);
    try {
      await setTargetCredential(target, secret);
      setSecret('');
      onSaved();
    } catch (failure) {
      setError(reviewErrorText(locale, failure));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="inline-form credential-form" data-testid="target-password-here">
      <label htmlFor={`${id}-secret`}>{t('pubui.credentialHere', { target: target.label })}</label>
      <input id={`${id}-secret`} type="password" autoComplete="new-password" value={secret} onChange={(event) => setSecret(event.target.value)} />
      <button type="button" disabled={busy || secret === ''} onClick={() => void save()}>
        {t('pubui.credentialHereSave')}
      </button>
      <p className="muted small">{t('pubui.credentialHereHint')}</p>
      <FieldError message={error} />
    </div>
  );
}

/** What a flagged receipt found, in the interface's language (older receipts carry only the Chinese detail). */
function flaggedText(receipt: PublishReceipt, t: ReturnType<typeof useT>): string {
  const issues = receipt.verificationIssues ?? [];
  if (issues.length > 0) return `：${issues.map((issue) => t(`pubui.verify.${issue.code}`, issue.params)).join('；')}`;
  return receipt.verificationDetail ? `：${receipt.verificationDetail}` : '';
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
            {receipt.verification === 'flagged' ? flaggedText(receipt, t) : ''}
          </span>
          {(receipt.notes ?? []).map((note) => (
            <span key={note} className="receipt-note">
              {' · '}
              {t(`pubui.note.${note}`)}
            </span>
          ))}
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
