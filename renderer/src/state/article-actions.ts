import type { TemplateInput } from '../../../shared/api/contract';
import type { Article, ArticleSummary, TemplateId } from '../../../shared/domain/article';
import { api } from '../api/client';
import { articleList, trashList } from './app-lists';
import { notifyError, pushToast } from './notifications';
import { translateNow } from './settings';

/** Creates an article from a template and its answers. */
export function createArticle(template: TemplateId, input: Partial<TemplateInput>): Promise<Article> {
  return api.invoke('articles:create', { template, input });
}

/** Takes an article back out of the trash; the article list shows it again. */
export async function restoreFromTrash(item: ArticleSummary): Promise<void> {
  try {
    await api.invoke('articles:restore', { id: item.id });
    trashList.removeLocally(item.id);
    void articleList.reload();
    pushToast('info', translateNow('trash.restored', { title: item.title || translateNow('list.untitled') }));
  } catch (error) {
    notifyError(error);
  }
}

/** Deletes a trashed article for good. */
export async function purgeFromTrash(item: ArticleSummary): Promise<void> {
  try {
    await api.invoke('articles:purge', { id: item.id });
    trashList.removeLocally(item.id);
    pushToast('info', translateNow('trash.purged', { title: item.title || translateNow('list.untitled') }));
  } catch (error) {
    notifyError(error);
  }
}
