import type { ArticleListController } from '../state/article-list';
import { useT } from '../state/settings';
import { useStore } from '../state/store';

/** Under a list longer than what was fetched: how many rows are shown of how many, and a button that fetches the next page. */
export function MoreRows({ list }: { list: ArticleListController }) {
  const t = useT();
  const { items, total, loadingMore } = useStore(list.store);
  if (items.length === 0 || items.length >= total) return null;
  return (
    <div className="list-more">
      <span className="muted">{t('list.shown', { shown: items.length, n: total })}</span>{' '}
      <button type="button" disabled={loadingMore} onClick={() => void list.loadMore()}>
        {loadingMore ? t('common.loading') : t('list.more')}
      </button>
    </div>
  );
}
