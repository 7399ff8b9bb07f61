import type { Revision, RevisionSummary } from '../../../shared/domain/article';
import { api } from '../api/client';
import type { EditorSession } from './editor-session';
import { translateNow } from './settings';

/** The article's stored versions (named ones and those review steps kept), in no particular order. */
export function listVersions(articleId: string): Promise<RevisionSummary[]> {
  return api.invoke('articles:versions', { id: articleId });
}

/** One version with its content. */
export function getVersion(articleId: string, revisionId: string): Promise<Revision> {
  return api.invoke('articles:getVersion', { id: articleId, revisionId });
}

/** Stores what is on screen (not the last autosave) as a named version; throws when it could not be saved first. */
export async function saveVersion(session: EditorSession, name: string): Promise<void> {
  if (!(await session.flush())) throw new Error(translateNow('versions.notSaved'));
  await api.invoke('articles:saveVersion', { id: session.articleId, name });
}

/**
 * Puts a version in place as the current content. What is on screen now is
 * kept as a version of its own first, so restoring never loses work.
 */
export async function restoreVersion(session: EditorSession, revision: Revision): Promise<void> {
  if (await session.flush()) {
    await api.invoke('articles:saveVersion', {
      id: session.articleId,
      name: translateNow('versions.autoBeforeRestore', { name: revision.name }),
    });
  }
  session.replaceContent(revision.meta, revision.doc);
}
