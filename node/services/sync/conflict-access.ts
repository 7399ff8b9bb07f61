import { stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../../../shared/api/errors';
import { ConflictResolveError, resolveConflict, SYNC_CONFLICT_FILE } from '../../../shared/sync/article-merge';
import { isMissing } from '../store/atomic-file';
import type { WorkspaceStore } from '../store/workspace-store';
import { ConflictFileError, readConflict } from './merge';
import type { ConflictAccess } from './sync-handlers';

/*
 * The conflicts a merge left (`articles/<id>/sync-conflict.json`, written by
 * the sync's merge, never synced) as the API reads and decides them. The
 * decision itself is the article merge's pure function; saving the decided
 * article goes through the normal save path (./sync-handlers.ts).
 */

/** Whether the sync left the article 冲突待处理 (its conflict file is there, undecided). */
export async function hasSyncConflict(store: WorkspaceStore, articleId: string): Promise<boolean> {
  try {
    return (await stat(join(store.articleFolder(articleId), SYNC_CONFLICT_FILE))).isFile();
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
}

export function conflictAccess(store: WorkspaceStore): ConflictAccess {
  const fileOf = (articleId: string) => join(store.articleFolder(articleId), SYNC_CONFLICT_FILE);
  const read = async (articleId: string) => {
    try {
      return await readConflict(store.dir, articleId);
    } catch (error) {
      if (error instanceof ConflictFileError) throw new ApiError('damaged_file', error.message);
      throw error;
    }
  };
  return {
    read,
    decide: async (articleId, choices) => {
      const conflict = await read(articleId);
      if (!conflict) throw new ApiError('not_found', `articles/${articleId}/${SYNC_CONFLICT_FILE}`);
      try {
        return resolveConflict(await store.get(articleId), conflict, choices);
      } catch (error) {
        if (error instanceof ConflictResolveError) throw new ApiError('conflict', error.message);
        throw error;
      }
    },
    clear: async (articleId) => {
      await unlink(fileOf(articleId)).catch((error: unknown) => {
        if (!isMissing(error)) throw error;
      });
    },
  };
}
