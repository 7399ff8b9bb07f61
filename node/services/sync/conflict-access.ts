import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiError } from '../../../shared/api/errors';
import {
  ConflictResolveError,
  conflictView,
  resolveConflict,
  SYNC_CONFLICT_FILE,
  type SyncConflictFile,
  SyncConflictFileSchema,
} from '../../../shared/sync/article-merge';
import { isMissing } from '../store/atomic-file';
import type { WorkspaceStore } from '../store/workspace-store';
import type { ConflictAccess } from './sync-handlers';

/*
 * The conflicts a merge left (`articles/<id>/sync-conflict.json`, written by
 * the sync's merge, never synced) as the API reads and decides them. The
 * decision itself is the article merge's pure function; saving the decided
 * article goes through the normal save path (./sync-handlers.ts).
 */

const ID = /^[A-Za-z0-9_-]{6,64}$/;

export function conflictAccess(store: WorkspaceStore): ConflictAccess {
  const fileOf = (articleId: string) => join(store.articleFolder(articleId), SYNC_CONFLICT_FILE);
  const read = async (articleId: string) => {
    if (!ID.test(articleId)) return null;
    let text: string;
    try {
      text = await readFile(fileOf(articleId), 'utf8');
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new ApiError('damaged_file', `articles/${articleId}/${SYNC_CONFLICT_FILE}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const parsed = SyncConflictFileSchema.safeParse(raw);
    if (!parsed.success || parsed.data.articleId !== articleId) {
      const issue = parsed.success ? `belongs to article ${parsed.data.articleId}` : `${parsed.error.issues[0]?.path.join('.') ?? ''} ${parsed.error.issues[0]?.message ?? ''}`;
      throw new ApiError('damaged_file', `articles/${articleId}/${SYNC_CONFLICT_FILE}: ${issue.trim()}`);
    }
    return conflictView(parsed.data as SyncConflictFile);
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
