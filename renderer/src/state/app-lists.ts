import { api } from '../api/client';
import { sync } from '../sync/app-sync';
import { ArticleListController } from './article-list';

/** The home list; kept for the whole session so filters survive a visit to the editor. */
export const articleList = new ArticleListController((request) => api.invoke('articles:list', request), {
  syncStates: () => sync.store.get().articleStates,
});

/** The trash list. */
export const trashList = new ArticleListController((request) => api.invoke('articles:list', request), { trash: true });
