import { useEffect, useId } from 'react';
import { formatColumnPath } from '../../../shared/domain/settings';
import { ArticleTitleCell, DataTable } from '../components/DataTable';
import { RelativeTime } from '../components/RelativeTime';
import { navigate } from '../state/navigation';
import { refreshReviewQueue, reviewQueueStore } from '../state/review-queue';
import { useLocale, useT } from '../state/settings';
import { useStore } from '../state/store';
import { describeError } from '../state/errors';

/** 待我审核: what waits at a stage the signed-in person may approve, oldest first. */
export function ReviewQueueScreen() {
  const t = useT();
  const locale = useLocale();
  const id = useId();
  const { queue, error } = useStore(reviewQueueStore);
  const now = new Date();

  useEffect(() => {
    void refreshReviewQueue();
  }, []);

  return (
    <section className="screen" aria-labelledby={`${id}-heading`}>
      <div className="screen-toolbar">
        <h1 id={`${id}-heading`}>{t('queue.heading')}</h1>
        <div className="toolbar-actions">
          <button type="button" onClick={() => void refreshReviewQueue()}>
            {t('queue.refresh')}
          </button>
        </div>
      </div>
      {error ? (
        <div className="banner banner-error" role="alert">
          {describeError(locale, error)}
        </div>
      ) : null}
      {queue === null ? <p className="muted">{t('common.loading')}</p> : null}
      {queue && queue.items.length === 0 ? <p className="empty-state">{t('queue.empty')}</p> : null}
      {queue && queue.items.length > 0 ? (
        <DataTable
          label={t('queue.heading')}
          headings={[t('queue.col.title'), t('queue.col.column'), t('queue.col.stage'), t('queue.col.submittedBy'), t('queue.col.waiting')]}
        >
          {queue.items.map((item) => {
            const open = () => void navigate({ name: 'editor', articleId: item.article.id });
            return (
              <tr key={item.article.id} className="clickable" onClick={open}>
                <ArticleTitleCell title={item.article.title} onOpen={open}>
                  {item.note ? <div className="small muted">{item.note}</div> : null}
                </ArticleTitleCell>
                <td>{formatColumnPath(item.article.column)}</td>
                <td>{item.stageName}</td>
                <td>{item.submittedBy?.name ?? ''}</td>
                <td>{item.stageEnteredAt ? <RelativeTime iso={item.stageEnteredAt} now={now} /> : ''}</td>
              </tr>
            );
          })}
        </DataTable>
      ) : null}
    </section>
  );
}
