import { useEffect, useId, useState } from 'react';
import type { SearchSnippet } from '../../../shared/api/contract/articles';
import { ARTICLE_STATUSES, type ArticleStatus } from '../../../shared/domain/article';
import { formatColumnPath } from '../../../shared/domain/settings';
import { ColumnSelect } from '../components/ColumnSelect';
import { ArticleTitleCell, DataTable } from '../components/DataTable';
import { ImportDialog } from '../components/ImportDialog';
import { MarkedText } from '../components/MarkedText';
import { MoreRows } from '../components/MoreRows';
import '../styles/search.css';
import { NewArticleDialog } from '../components/NewArticleDialog';
import { ProblemsBanner } from '../components/ProblemsBanner';
import { RelativeTime } from '../components/RelativeTime';
import { articleList } from '../state/app-lists';
import { hasActiveFilters, type SyncFilter } from '../state/article-list';
import { formatPublishAt } from '../state/datetime';
import { describeError } from '../state/errors';
import { PackageImportDialog } from '../review/PackageImportDialog';
import { reviewErrorText } from '../review/review-errors';
import { exportPackage as exportArticles } from '../review/transfer';
import { downloadExportedFile } from '../state/files';
import { navigate } from '../state/navigation';
import { pushToast } from '../state/notifications';
import { useLocale, useSettings, useT } from '../state/settings';
import { useStore } from '../state/store';
import { sync } from '../sync/app-sync';
import { ArticleSyncBadge } from '../sync/ArticleSyncBadge';
import { isJoined } from '../sync/sync-controller';

/** The sync states the list can be narrowed to, in the order the filter offers them. */
const SYNC_FILTERS: readonly Exclude<SyncFilter, ''>[] = ['conflict', 'pending', 'refused', 'local_only'];

/** The home screen: every article, filterable and searchable. */
export function ListScreen() {
  const t = useT();
  const locale = useLocale();
  const settings = useSettings();
  const state = useStore(articleList.store);
  const id = useId();
  const [dialog, setDialog] = useState<'new' | 'import' | 'package' | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [exporting, setExporting] = useState(false);
  const [, setTick] = useState(0);
  const syncState = useStore(sync.store);
  const joined = isJoined(syncState.status);
  const now = new Date();

  useEffect(() => {
    void articleList.reload();
    // Re-render now and then so "3 分钟前" stays true while the list is open.
    const timer = setInterval(() => setTick((tick) => tick + 1), 30_000);
    return () => clearInterval(timer);
  }, []);

  // Work received from other desktops shows without a manual refresh; the badges are asked for as the list opens.
  useEffect(() => {
    if (syncState.changes > 0) void articleList.reload();
  }, [syncState.changes]);
  useEffect(() => {
    void sync.refreshArticleStates();
  }, []);
  // Under a sync filter the services are asked for the articles in that state: new states mean other rows.
  const syncFiltered = state.filters.sync !== '';
  useEffect(() => {
    if (syncFiltered && syncState.articleStates) void articleList.reload();
  }, [syncFiltered, syncState.articleStates]);

  const { filters } = state;
  const items = state.items;
  const open = (articleId: string) => void navigate({ name: 'editor', articleId });
  const visibleSelection = items.filter((item) => selected.has(item.id)).map((item) => item.id);
  const toggleSelected = (articleId: string, on: boolean) =>
    setSelected((previous) => {
      const next = new Set(previous);
      if (on) next.add(articleId);
      else next.delete(articleId);
      return next;
    });

  const exportPackage = async () => {
    setExporting(true);
    try {
      downloadExportedFile(await exportArticles(visibleSelection));
      pushToast('info', t('packages.exported', { n: visibleSelection.length }));
    } catch (error) {
      pushToast('error', reviewErrorText(locale, error));
    } finally {
      setExporting(false);
    }
  };

  return (
    <section className="screen list-screen" aria-labelledby={`${id}-heading`}>
      <div className="screen-toolbar">
        <h1 id={`${id}-heading`}>{t('list.heading')}</h1>
        <div className="toolbar-actions">
          <button type="button" className="primary" onClick={() => setDialog('new')}>
            {t('list.new')}
          </button>
          <button type="button" onClick={() => setDialog('import')}>
            {t('list.import')}
          </button>
          <button type="button" disabled={visibleSelection.length === 0 || exporting} onClick={() => void exportPackage()}>
            {visibleSelection.length > 0 ? t('packages.exportN', { n: visibleSelection.length }) : t('packages.export')}
          </button>
          <button type="button" onClick={() => setDialog('package')}>
            {t('packages.import')}
          </button>
        </div>
      </div>

      <ProblemsBanner problems={state.problems} />

      <search className="filters">
        <span className="field-pair">
          <label htmlFor={`${id}-search`}>{t('list.search')}</label>
          <input
            id={`${id}-search`}
            type="search"
            value={filters.query}
            placeholder={t('list.search.placeholder')}
            maxLength={200}
            onChange={(event) => articleList.setQuery(event.target.value)}
          />
          {state.searchIndexPending && filters.query.trim() ? (
            <span className="search-index-pending" role="status">
              {t('list.search.indexPending')}
            </span>
          ) : null}
        </span>
        <span className="field-pair">
          <label htmlFor={`${id}-status`}>{t('list.filter.status')}</label>
          <select
            id={`${id}-status`}
            value={filters.status}
            onChange={(event) => articleList.setStatus(event.target.value as ArticleStatus | '')}
          >
            <option value="">{t('list.filter.allStatuses')}</option>
            {ARTICLE_STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(`status.${status}`)}
              </option>
            ))}
          </select>
        </span>
        <ColumnSelect
          tree={settings.columns}
          value={filters.column}
          onChange={(column) => articleList.setColumn(column)}
          label={t('list.filter.column')}
          emptyLabel={t('list.filter.allColumns')}
        />
        {joined ? (
          <span className="field-pair">
            <label htmlFor={`${id}-sync`}>{t('syncUi.list.filter')}</label>
            <select id={`${id}-sync`} value={filters.sync} onChange={(event) => articleList.setSync(event.target.value as SyncFilter)}>
              <option value="">{t('syncUi.list.filter.all')}</option>
              {SYNC_FILTERS.map((value) => (
                <option key={value} value={value}>
                  {t(`syncUi.article.${value}`)}
                </option>
              ))}
            </select>
          </span>
        ) : null}
        <span className="count" role="status">
          {state.loading && !state.loaded
            ? t('common.loading')
            : state.workspaceLoading
              ? t('list.count.workspaceLoading', { n: state.total })
              : t('list.count', { n: state.total })}
        </span>
      </search>

      {state.error ? (
        <div className="banner banner-error" role="alert">
          {describeError(locale, state.error)}{' '}
          <button type="button" className="link-button" onClick={() => void articleList.reload()}>
            {t('list.retry')}
          </button>
        </div>
      ) : null}

      {state.loaded && items.length === 0 && !state.error ? (
        <div className="empty-state">
          {hasActiveFilters(filters) ? (
            <>
              <p>{t('list.empty.filtered')}</p>
              <button type="button" onClick={() => articleList.clearFilters()}>
                {t('list.clearFilters')}
              </button>
            </>
          ) : (
            <>
              <p>{t('list.empty')}</p>
              <div className="button-row">
                <button type="button" className="primary" onClick={() => setDialog('new')}>
                  {t('list.empty.new')}
                </button>
                <button type="button" onClick={() => setDialog('import')}>
                  {t('list.empty.import')}
                </button>
              </div>
            </>
          )}
        </div>
      ) : null}

      {items.length > 0 ? (
        <DataTable
          className="article-table"
          headings={[
            <span key="select" className="sr-only">
              {t('packages.selectColumn')}
            </span>,
            t('list.col.title'),
            t('list.col.column'),
            t('list.col.status'),
            ...(joined ? [t('syncUi.list.col')] : []),
            t('list.col.date'),
            t('list.col.updated'),
          ]}
        >
          {items.map((item) => (
            <tr key={item.id} className="clickable" onClick={() => open(item.id)}>
              {/* The label stays generic: a title inside it would give this cell the article's name too. */}
              <td onClick={(event) => event.stopPropagation()} className="cell-select">
                <input
                  type="checkbox"
                  aria-label={t('packages.select')}
                  checked={selected.has(item.id)}
                  onChange={(event) => toggleSelected(item.id, event.target.checked)}
                  data-article-id={item.id}
                />
              </td>
              <ArticleTitleCell
                title={item.title}
                label={markedTitle(state.snippets[item.id])}
                onOpen={() => open(item.id)}
              >
                <SnippetLine snippet={state.snippets[item.id]} />
              </ArticleTitleCell>
              <td>{formatColumnPath(item.column)}</td>
              <td>
                <span className={`status status-${item.status}`}>{t(`status.${item.status}`)}</span>
              </td>
              {joined ? (
                <td>
                  <ArticleSyncBadge state={syncState.articleStates[item.id]} />
                </td>
              ) : null}
              <td>{formatPublishAt(item.publishAt)}</td>
              <td>
                <RelativeTime iso={item.updatedAt} now={now} />
              </td>
            </tr>
          ))}
        </DataTable>
      ) : null}
      <MoreRows list={articleList} />

      {dialog === 'new' ? <NewArticleDialog onClose={() => setDialog(null)} /> : null}
      {dialog === 'package' ? (
        <PackageImportDialog onClose={() => setDialog(null)} onImported={() => void articleList.reload()} />
      ) : null}
      {dialog === 'import' ? (
        <ImportDialog onClose={() => setDialog(null)} onImported={() => void articleList.reload()} />
      ) : null}
    </section>
  );
}

/** The title with its matches marked, when the search matched in it. */
function markedTitle(snippet: SearchSnippet | undefined) {
  return snippet?.title ? <MarkedText value={snippet.title} /> : undefined;
}

/** The stretch of an article's text around where it matched the search, matches marked. */
function SnippetLine({ snippet }: { snippet: SearchSnippet | undefined }) {
  if (!snippet?.body) return null;
  return (
    <p className="search-snippet">
      <MarkedText value={snippet.body} />
    </p>
  );
}
