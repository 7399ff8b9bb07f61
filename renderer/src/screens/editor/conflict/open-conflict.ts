import { api } from '../../../api/client';
import type { EditorSession } from '../../../state/editor-session';
import { pushToast } from '../../../state/notifications';
import { handleSessionLoss } from '../../../state/session';
import { translateNow } from '../../../state/settings';
import { refreshSyncStatus, sync } from '../../../sync/app-sync';
import { isJoined } from '../../../sync/sync-controller';
import { ArticleConflict } from './article-conflict';

/**
 * The conflict state of an opened article, wired to the app's API and the
 * window's sync status. `reopen` opens the article again (a new editing
 * session on what is stored).
 */
export function createArticleConflict(session: EditorSession, reopen: () => void): ArticleConflict {
  return new ArticleConflict(session.articleId, {
    load: async (articleId) => {
      let status = sync.store.get().status;
      if (!status) {
        await sync.refresh();
        status = sync.store.get().status;
      }
      // Only a merge of two desktops' work leaves a conflict: a desktop that never joined an office has none to show.
      if (!isJoined(status)) return null;
      return api.invoke('sync:conflict', { articleId });
    },
    resolve: (request) => api.invoke('sync:resolveConflict', request),
    flush: () => session.flush(),
    onResolved: () => {
      pushToast('info', translateNow('conflict.resolved'));
      refreshSyncStatus();
      reopen();
    },
    // What the editor still holds is saved first; if that fails its local copy stays and is offered again.
    onAppeared: () => void session.flush().finally(reopen),
    handleSessionLoss,
  });
}

/**
 * Asks for the article's conflict now and again whenever the window's sync
 * status says something moved for it: a round received work, the number of
 * conflicts changed, or the article's own sync state did. Returns the
 * function that stops watching.
 */
export function watchConflict(conflict: ArticleConflict): () => void {
  const keyOf = () => {
    const { status, changes, articleStates } = sync.store.get();
    return [changes, status?.phase ?? '', status?.conflicts ?? 0, status?.lastSyncAt ?? '', articleStates[conflict.articleId] ?? ''].join('|');
  };
  let last = keyOf();
  void conflict.refresh();
  const unsubscribe = sync.store.subscribe(() => {
    const key = keyOf();
    if (key === last) return;
    last = key;
    void conflict.refresh();
  });
  return () => {
    unsubscribe();
    conflict.dispose();
  };
}
