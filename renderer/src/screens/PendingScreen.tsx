import { useEffect, useId } from 'react';
import { formatColumnPath } from '../../../shared/domain/settings';
import { ArticleTitleCell, DataTable } from '../components/DataTable';
import { RelativeTime } from '../components/RelativeTime';
import { pendingStore, refreshPending } from '../publish/pending';
import { describeError } from '../state/errors';
import { navigate } from '../state/navigation';
import { useLocale, useT } from '../state/settings';
import { useStore } from '../state/store';

/**
 * 待发布 (publishers): approved articles not online yet, and those approved
 * again whose text differs from what is online (与线上版本不同), with the
 * targets they are on. Opening one goes to the editor, whose publish panel
 * offers 更新 to those targets.
 */
export function PendingScreen() {
  const t = useT();
  const locale = useLocale();
  const id = useId();
  const { pending, error } = useStore(pendingStore);
  const now = new Date();

  useEffect(() => {
    void refreshPending();
  }, []);

  return (
    <section className="screen" aria-labelledby={`${id}-heading`}>
      <div className="screen-toolbar">
        <h1 id={`${id}-heading`}>{t('pubui.pending.heading')}</h1>
        <div className="toolbar-actions">
          <button type="button" onClick={() => void refreshPending()}>
            {t('pubui.pending.refresh')}
          </button>
        </div>
      </div>
      <p className="muted">{t('pubui.pending.intro')}</p>
      {error ? (
        <div className="banner banner-error" role="alert">
          {describeError(locale, error)}
        </div>
      ) : null}
      {pending === null && !error ? <p className="muted">{t('common.loading')}</p> : null}
      {pending && pending.items.length === 0 ? <p className="empty-state">{t('pubui.pending.empty')}</p> : null}
      {pending && pending.items.length > 0 ? (
        <DataTable
          label={t('pubui.pending.heading')}
          headings={[t('pubui.pending.col.title'), t('pubui.pending.col.column'), t('pubui.pending.col.approved'), t('pubui.pending.col.online')]}
        >
          {pending.items.map((item) => {
            const open = () => void navigate({ name: 'editor', articleId: item.article.id });
            return (
              <tr key={item.article.id} className="clickable" onClick={open} data-testid="pending-row">
                <ArticleTitleCell title={item.article.title} onOpen={open} />
                <td>{formatColumnPath(item.article.column)}</td>
                <td>
                  {item.approvedAt ? <RelativeTime iso={item.approvedAt} now={now} /> : null}
                  {item.approvedBy ? <div className="small muted">{item.approvedBy.name}</div> : null}
                </td>
                <td>
                  {item.differsFromOnline ? (
                    <span className="pending-differs" data-testid="differs-from-online">
                      {t('pubui.pending.differs')}
                    </span>
                  ) : null}
                  {item.liveOn.length === 0 ? (
                    <span className="muted">{t('pubui.pending.notOnline')}</span>
                  ) : (
                    <div className="small muted">{t('pubui.pending.onTargets', { targets: item.liveOn.map((target) => target.label).join('、') })}</div>
                  )}
                </td>
              </tr>
            );
          })}
        </DataTable>
      ) : null}
    </section>
  );
}
