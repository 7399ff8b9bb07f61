import { useEffect, useId } from 'react';
import { formatColumnPath } from '../../../shared/domain/settings';
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
        <table className="data-table" aria-label={t('queue.heading')}>
          <thead>
            <tr>
              <th scope="col">{t('queue.col.title')}</th>
              <th scope="col">{t('queue.col.column')}</th>
              <th scope="col">{t('queue.col.stage')}</th>
              <th scope="col">{t('queue.col.submittedBy')}</th>
              <th scope="col">{t('queue.col.waiting')}</th>
            </tr>
          </thead>
          <tbody>
            {queue.items.map((item) => (
              <tr
                key={item.article.id}
                className="clickable"
                onClick={() => void navigate({ name: 'editor', articleId: item.article.id })}
              >
                <td className="cell-title">
                  <button
                    type="button"
                    className="link-button"
                    onClick={(event) => {
                      event.stopPropagation();
                      void navigate({ name: 'editor', articleId: item.article.id });
                    }}
                  >
                    {item.article.title || t('list.untitled')}
                  </button>
                  {item.note ? <div className="small muted">{item.note}</div> : null}
                </td>
                <td>{formatColumnPath(item.article.column)}</td>
                <td>{item.stageName}</td>
                <td>{item.submittedBy?.name ?? ''}</td>
                <td>{item.stageEnteredAt ? <RelativeTime iso={item.stageEnteredAt} now={now} /> : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}
