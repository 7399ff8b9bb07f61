import type { ArticleStatus } from '../domain/article';
import type { Role } from './review-chain';

/** The writer's statuses: a draft, or an article sent back with changes requested. Its writer edits and submits it. */
export const OPEN_STATUSES = ['draft', 'changes_requested'] as const satisfies readonly ArticleStatus[];

/**
 * In review or approved the text is locked: what the reviewers saw is what
 * they approve. Only a reviewer of the stage holding it may correct it (see
 * `can(…, 'edit', …)`), and only an administrator may move it to the trash.
 */
export const LOCKED_STATUSES = ['in_review', 'approved'] as const satisfies readonly ArticleStatus[];

/** Whether the article is with its writer (draft or returned). */
export function isOpenForWriting(status: ArticleStatus): boolean {
  return (OPEN_STATUSES as readonly ArticleStatus[]).includes(status);
}

/** Whether the text is locked by review (in review or approved). */
export function isLocked(status: ArticleStatus): boolean {
  return (LOCKED_STATUSES as readonly ArticleStatus[]).includes(status);
}

/** Whether someone holding `roles` may move an article in `status` to the trash: a locked one only an administrator. */
export function mayTrash(roles: readonly Role[], status: ArticleStatus | undefined): boolean {
  return status === undefined || !isLocked(status) || roles.includes('admin');
}
