import { useEffect, useState } from 'react';
import type { SyncLogEntry } from '../../../shared/api/contract/sync';
import { DataTable } from '../components/DataTable';
import { Dialog } from '../components/Dialog';
import { RelativeTime } from '../components/RelativeTime';
import { exportPackage } from '../review/transfer';
import { reviewErrorText } from '../review/review-errors';
import { articleList } from '../state/app-lists';
import { formatLocalMinute } from '../state/datetime';
import { describeError } from '../state/errors';
import { downloadExportedFile } from '../state/files';
import { navigate } from '../state/navigation';
import { pushToast } from '../state/notifications';
import { useLocale, useT } from '../state/settings';
import { useStore } from '../state/store';
import { sync } from './app-sync';
import { isJoined } from './sync-controller';
import { phaseText, repoKindText, shownPhase, statusDetails } from './sync-text';

/** How many article links one log line shows before "等 N 篇". */
const ARTICLES_SHOWN = 5;

function exactTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : formatLocalMinute(date);
}

/** A revoked person's way out: what is only here leaves as a package someone else imports. */
function RevokedExport() {
  const t = useT();
  const locale = useLocale();
  const { articleStates } = useStore(sync.store);
  const [busy, setBusy] = useState(false);
  const unsynced = Object.entries(articleStates)
    .filter(([, state]) => state !== 'synced')
    .map(([id]) => id);

  const run = async () => {
    setBusy(true);
    try {
      downloadExportedFile(await exportPackage(unsynced));
      pushToast('info', t('syncUi.revoked.exported', { n: unsynced.length }));
    } catch (error) {
      pushToast('error', reviewErrorText(locale, error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="banner banner-warning sync-revoked" data-testid="sync-revoked">
      <p>{t('syncUi.revoked.hint')}</p>
      {unsynced.length > 0 ? (
        <div className="button-row">
          <button type="button" disabled={busy} onClick={() => void run()}>
            {t('syncUi.revoked.export', { n: unsynced.length })}
          </button>
        </div>
      ) : (
        <p className="muted">{t('syncUi.revoked.nothing')}</p>
      )}
    </div>
  );
}

/** The articles a log line names, as links to open them (by title where this window knows it). */
function LogArticles({ ids, onOpen }: { ids: readonly string[]; onOpen(id: string): void }) {
  const t = useT();
  const { items } = useStore(articleList.store);
  if (ids.length === 0) return null;
  const titles = new Map(items.map((item) => [item.id, item.title]));
  return (
    <ul className="sync-log-articles">
      {ids.slice(0, ARTICLES_SHOWN).map((id) => (
        <li key={id}>
          <button type="button" className="link-button" onClick={() => onOpen(id)}>
            {titles.get(id) || id}
          </button>
        </li>
      ))}
      {ids.length > ARTICLES_SHOWN ? <li className="muted">{t('syncUi.log.moreArticles', { n: ids.length - ARTICLES_SHOWN })}</li> : null}
    </ul>
  );
}

/**
 * The sync log, opened from the title bar: the status in full (server, last
 * sync, why), each repository, then what each round did, newest first.
 */
export function SyncLogDialog({ onClose }: { onClose(): void }) {
  const t = useT();
  const locale = useLocale();
  const { status, running } = useStore(sync.store);
  const [entries, setEntries] = useState<SyncLogEntry[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const lastSyncAt = status?.lastSyncAt ?? null;

  // Read again when a round finishes while the log is open, so it shows that round too.
  // biome-ignore lint/correctness/useExhaustiveDependencies: lastSyncAt is the trigger, not an input
  useEffect(() => {
    let current = true;
    sync.readLog(200).then(
      (list) => {
        if (!current) return;
        setEntries(list);
        setError(null);
      },
      (caught: unknown) => {
        if (current) setError(caught);
      },
    );
    return () => {
      current = false;
    };
  }, [lastSyncAt]);

  const open = (articleId: string) => {
    onClose();
    void navigate({ name: 'editor', articleId });
  };

  const now = new Date();
  return (
    <Dialog title={t('syncUi.log.title')} onClose={onClose} size="large">
      {isJoined(status) ? (
        <div className="sync-log-summary" data-testid="sync-log-summary">
          <p>
            <strong className={`sync-word sync-word-${shownPhase(status, running)}`}>{phaseText(t, shownPhase(status, running), status)}</strong>
          </p>
          <ul className="sync-details">
            {statusDetails(t, status).map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
          {status.phase === 'revoked' ? <RevokedExport /> : null}
          {status.repos.length > 0 ? (
            <details className="sync-repos">
              <summary>{t('syncUi.repos.heading')}</summary>
              <DataTable
                label={t('syncUi.repos.label')}
                headings={[t('syncUi.repos.col.name'), t('syncUi.repos.col.kind'), t('syncUi.repos.col.pending'), t('syncUi.repos.col.lastSync'), t('syncUi.repos.col.problem')]}
              >
                {status.repos.map((repo) => (
                  <tr key={repo.name}>
                    <td>
                      <code>{repo.name}</code>
                    </td>
                    <td>{repoKindText(t, repo)}</td>
                    <td>{repo.pending}</td>
                    <td>{repo.lastSyncAt ? <RelativeTime iso={repo.lastSyncAt} now={now} /> : '—'}</td>
                    <td>{repo.problem ?? ''}</td>
                  </tr>
                ))}
              </DataTable>
            </details>
          ) : null}
        </div>
      ) : null}

      <p className="muted">{t('syncUi.log.intro')}</p>
      {error ? (
        <div className="banner banner-error" role="alert">
          {t('syncUi.log.loadFailed', { detail: describeError(locale, error) })}
        </div>
      ) : null}
      {entries === null && !error ? <p className="muted">{t('syncUi.log.loading')}</p> : null}
      {entries && entries.length === 0 ? <p className="muted">{t('syncUi.log.empty')}</p> : null}
      {entries && entries.length > 0 ? (
        <DataTable
          className="sync-log"
          label={t('syncUi.log.title')}
          headings={[t('syncUi.log.col.time'), t('syncUi.log.col.kind'), t('syncUi.log.col.repo'), t('syncUi.log.col.articles'), t('syncUi.log.col.message')]}
        >
          {entries.map((entry, index) => (
            // biome-ignore lint/suspicious/noArrayIndexKey: log lines have no id; the list is replaced whole, never reordered
            <tr key={index} data-testid="sync-log-entry" data-kind={entry.kind}>
              <td className="sync-log-time">
                <time dateTime={entry.at}>{exactTime(entry.at)}</time>
              </td>
              <td>
                <span className={`sync-kind sync-kind-${entry.kind}`}>{t(`syncUi.log.kind.${entry.kind}`)}</span>
              </td>
              <td>{entry.repo ? <code>{entry.repo}</code> : ''}</td>
              <td>
                <LogArticles ids={entry.articleIds} onOpen={open} />
              </td>
              <td className="sync-log-message">{entry.message}</td>
            </tr>
          ))}
        </DataTable>
      ) : null}
    </Dialog>
  );
}
