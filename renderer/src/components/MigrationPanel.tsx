import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { MigrationStatus } from '../../../shared/api/contract';
import { describeError } from '../state/errors';
import { useLocale, useT } from '../state/settings';
import {
  canResume,
  estimateMessage,
  isActive,
  listMigrations,
  resumeMigration,
  startMigration,
  stopMigration,
} from '../state/web-import-actions';

/** How often a running migration's progress is asked for. */
const POLL_MS = 1000;

/** 迁移栏目: a column's listing address and the pause; each migration's progress, estimate and failures, with stop and resume. */
export function MigrationPanel({ onImported }: { onImported(): void }) {
  const t = useT();
  const locale = useLocale();
  const id = useId();
  const [url, setUrl] = useState('');
  const [delay, setDelay] = useState('1');
  const [migrations, setMigrations] = useState<MigrationStatus[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const importedRef = useRef(new Map<string, number>());

  const refresh = useCallback(async () => {
    try {
      const list = await listMigrations();
      setMigrations(list);
      // The article list behind the dialog is refreshed when a migration has brought new articles.
      let grew = false;
      for (const migration of list) {
        if ((importedRef.current.get(migration.id) ?? 0) < migration.articles.imported) grew = true;
        importedRef.current.set(migration.id, migration.articles.imported);
      }
      if (grew) onImported();
    } catch (caught) {
      setError(describeError(locale, caught));
    }
  }, [locale, onImported]);

  const anyActive = migrations?.some(isActive) ?? false;
  useEffect(() => {
    void refresh();
  }, [refresh]);
  useEffect(() => {
    if (!anyActive) return;
    const timer = setInterval(() => void refresh(), POLL_MS);
    return () => clearInterval(timer);
  }, [anyActive, refresh]);

  const act = async (action: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(describeError(locale, caught));
    } finally {
      setBusy(false);
      await refresh();
    }
  };

  const seconds = Number(delay);
  const delayValid = delay.trim() !== '' && Number.isFinite(seconds) && seconds >= 0 && seconds <= 60;

  return (
    <div className="migration-panel">
      <div className="field">
        <label htmlFor={`${id}-url`}>{t('webImport.migrate.label')}</label>
        <p className="muted small">{t('webImport.migrate.hint')}</p>
        <input
          id={`${id}-url`}
          type="url"
          value={url}
          placeholder="https://"
          onChange={(event) => setUrl(event.target.value)}
          disabled={busy}
        />
      </div>
      <div className="field">
        <label htmlFor={`${id}-delay`}>{t('webImport.migrate.delay')}</label>
        <input
          id={`${id}-delay`}
          type="number"
          min={0}
          max={60}
          step={0.5}
          value={delay}
          aria-invalid={!delayValid}
          onChange={(event) => setDelay(event.target.value)}
          disabled={busy}
        />
      </div>
      <div className="button-row">
        <button
          type="button"
          className="primary"
          disabled={busy || !url.trim() || !delayValid}
          onClick={() => void act(() => startMigration(url.trim(), seconds))}
        >
          {t('webImport.migrate.start')}
        </button>
      </div>
      {error ? (
        <p role="alert" className="error">
          {error}
        </p>
      ) : null}

      <section aria-label={t('webImport.migrate.list')} className="migrations">
        <h3>{t('webImport.migrate.list')}</h3>
        {migrations && migrations.length === 0 ? <p className="muted">{t('webImport.migrate.none')}</p> : null}
        {(migrations ?? []).map((migration) => (
          <MigrationRow
            key={migration.id}
            migration={migration}
            busy={busy}
            onStop={() => void act(() => stopMigration(migration.id))}
            onResume={() => void act(() => resumeMigration(migration.id))}
          />
        ))}
      </section>
    </div>
  );
}

function MigrationRow({
  migration,
  busy,
  onStop,
  onResume,
}: {
  migration: MigrationStatus;
  busy: boolean;
  onStop(): void;
  onResume(): void;
}) {
  const t = useT();
  const { articles, listingPages } = migration;
  const estimate = migration.estimateMs !== null ? estimateMessage(migration.estimateMs) : null;
  return (
    <article className="migration" data-status={migration.status}>
      <header>
        <strong>{migration.listingUrl}</strong> <span className="badge">{t(`webImport.status.${migration.status}`)}</span>
      </header>
      <progress value={articles.done} max={Math.max(articles.found, 1)} aria-label={migration.listingUrl} />
      <p role="status">
        {t('webImport.progress.listings', listingPages)}
        <br />
        {t('webImport.progress.articles', articles)}
        {estimate ? (
          <>
            <br />
            {t('webImport.progress.estimate', { time: t(estimate[0], estimate[1]) })}
          </>
        ) : null}
      </p>
      {migration.current ? <p className="muted small">{t('webImport.progress.current', { url: migration.current })}</p> : null}
      <div className="button-row">
        {migration.status === 'running' ? (
          <button type="button" disabled={busy} onClick={onStop}>
            {t('webImport.migrate.stop')}
          </button>
        ) : null}
        {canResume(migration) ? (
          <button type="button" disabled={busy} onClick={onResume}>
            {t('webImport.migrate.resume')}
          </button>
        ) : null}
      </div>
      {migration.failuresTotal > 0 ? (
        <details className="migration-failures">
          <summary>{t('webImport.failures', { n: migration.failuresTotal })}</summary>
          <ul>
            {migration.failures.map((failure) => (
              <li key={`${failure.kind}-${failure.url}`}>
                {/* Not a link: a click would take the app's window to the portal. */}
                {t(`webImport.failure.${failure.kind}`)} <code>{failure.url}</code>：{failure.reason}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </article>
  );
}
