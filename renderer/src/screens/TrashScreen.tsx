import { useEffect, useId, useState } from 'react';
import { listPeople } from '../review/people-admin';
import type { ArticleSummary } from '../../../shared/domain/article';
import { formatColumnPath } from '../../../shared/domain/settings';
import { DataTable } from '../components/DataTable';
import { MoreRows } from '../components/MoreRows';
import { ConfirmDialog } from '../components/Dialog';
import { ProblemsBanner } from '../components/ProblemsBanner';
import { RelativeTime } from '../components/RelativeTime';
import { trashList } from '../state/app-lists';
import { purgeFromTrash, restoreFromTrash } from '../state/article-actions';
import { describeError } from '../state/errors';
import { hasRole, useCurrentPerson } from '../state/session';
import { useLocale, useT } from '../state/settings';
import { useStore } from '../state/store';

/** Trashed articles: restore them, or delete them for good after a confirmation. */
export function TrashScreen() {
  // Deleting for good takes the audit trail with it: only administrators may (the services refuse others).
  const mayPurge = hasRole(useCurrentPerson(), 'admin');
  const t = useT();
  const locale = useLocale();
  const id = useId();
  const state = useStore(trashList.store);
  const [purging, setPurging] = useState<ArticleSummary | null>(null);
  const [busy, setBusy] = useState(false);
  const now = new Date();

  const [names, setNames] = useState<Record<string, string>>({});

  useEffect(() => {
    void trashList.reload();
    // Who trashed each article; without the list (it failed) the column stays empty rather than guessing.
    listPeople()
      .then((people) => setNames(Object.fromEntries(people.map((p) => [p.id, p.name]))))
      .catch(() => setNames({}));
  }, []);

  const purge = async (item: ArticleSummary) => {
    setBusy(true);
    await purgeFromTrash(item);
    setBusy(false);
    setPurging(null);
  };

  return (
    <section className="screen" aria-labelledby={`${id}-heading`}>
      <div className="screen-toolbar">
        <h1 id={`${id}-heading`}>{t('trash.heading')}</h1>
        <span className="count" role="status">
          {t('list.count', { n: state.total })}
        </span>
      </div>
      <p className="muted">{t('trash.hint')}</p>
      <ProblemsBanner problems={state.problems} />
      {state.error ? (
        <div className="banner banner-error" role="alert">
          {describeError(locale, state.error)}
        </div>
      ) : null}
      {state.loaded && state.items.length === 0 && !state.error ? (
        <div className="empty-state">
          <p>{t('trash.empty')}</p>
        </div>
      ) : null}
      {state.items.length > 0 ? (
        <DataTable
          headings={[t('list.col.title'), t('list.col.column'), t('trash.col.trashedAt'), t('trash.col.trashedBy'), t('trash.col.actions')]}
        >
          {state.items.map((item) => {
            const title = item.title || t('list.untitled');
            return (
              <tr key={item.id}>
                <td>{title}</td>
                <td>{formatColumnPath(item.column)}</td>
                <td>{item.trashedAt ? <RelativeTime iso={item.trashedAt} now={now} /> : ''}</td>
                <td>{item.trashedBy ? (names[item.trashedBy] ?? item.trashedBy) : ''}</td>
                <td className="row-actions">
                  <button type="button" onClick={() => void restoreFromTrash(item)} aria-label={t('trash.restoreNamed', { title })}>
                    {t('trash.restore')}
                  </button>
                  {mayPurge ? (
                    <button
                      type="button"
                      className="danger"
                      onClick={() => setPurging(item)}
                      aria-label={t('trash.purgeNamed', { title })}
                    >
                      {t('trash.purge')}
                    </button>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </DataTable>
      ) : null}
      <MoreRows list={trashList} />
      {purging ? (
        <ConfirmDialog
          title={t('trash.purge.title')}
          message={t('trash.purge.message', { title: purging.title || t('list.untitled') })}
          confirmLabel={t('trash.purge')}
          danger
          busy={busy}
          onConfirm={() => void purge(purging)}
          onCancel={() => setPurging(null)}
        />
      ) : null}
    </section>
  );
}
