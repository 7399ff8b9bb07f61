import { api } from '../../api/client';
import { articleList } from '../../state/app-lists';
import { EditorSession } from '../../state/editor-session';
import { downloadExportedFile } from '../../state/files';
import { refreshInbox } from '../../notify/app-inbox';
import { refreshReviewQueue } from '../../state/review-queue';
import { handleSessionLoss } from '../../state/session';
import { browserStorage } from '../../state/storage';
import { ArticleLoader } from './article-loader';
import { EditorWorkspace, type ProofreadingPort } from './editor-workspace';
import type { ArticleStatus } from '../../../../shared/domain/article';

/** With the workspace's regular pulls of the editor's pending change, every change is saved within about a second. */
const QUEUE_MAX_WAIT_MS = 750;

/** The editor screen's loader, wired to the app's API and this browser's storage. */
export function createArticleLoader(articleId: string): ArticleLoader {
  return new ArticleLoader(articleId, {
    fetch: (id) => api.invoke('articles:get', { id }),
    openSession: (article) =>
      new EditorSession(article, {
        save: (request) => api.invoke('articles:save', request),
        storage: browserStorage(),
        maxWaitMs: QUEUE_MAX_WAIT_MS,
      }),
  });
}

/** The workspace of an opened article, wired to the app's API, lists, review queue and downloads. */
export function createEditorWorkspace(session: EditorSession, status: ArticleStatus, proofreading: ProofreadingPort): EditorWorkspace {
  return new EditorWorkspace(session, status, {
    invoke: (channel, request) => api.invoke(channel, request),
    storage: browserStorage(),
    proofreading,
    // A review act moves the queue and the bell at once, without waiting for the next poll.
    refreshReviewQueue: () => {
      void refreshReviewQueue();
      refreshInbox();
    },
    handleSessionLoss,
    removeFromList: (articleId) => articleList.removeLocally(articleId),
    download: downloadExportedFile,
  });
}
