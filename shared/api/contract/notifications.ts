import { z } from 'zod';
import type { MessageKey, MessageParams } from '../../i18n';
import { channel } from './channel';

/**
 * What a notification is about. For the writer (author or submitter):
 * `returned` (退回修改, with the reviewer's reason), `approved` (the final
 * stage approved), `published`, `withdrawn` (with the reason), `corrected` (a
 * reviewer changed the text). For a reviewer: `queued` (an article reached a
 * stage they may approve). For a publisher: `toPublish` (approved and not
 * live with this text). From the office sync, to the person the desktop
 * syncs as: `syncConflict` (an article left 冲突待处理), `syncRefused` (the
 * server refused what this desktop sent; `articleId` is ''), `syncInvalidated`
 * (an approval that no longer held after a merge), `syncRevoked` (their key
 * was revoked: they can no longer sync; `articleId` is '').
 */
export const NOTIFICATION_KINDS = [
  'returned',
  'approved',
  'published',
  'withdrawn',
  'corrected',
  'queued',
  'toPublish',
  'syncConflict',
  'syncRefused',
  'syncInvalidated',
  'syncRevoked',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** One notification, derived from the article's verified record. */
export interface NotificationItem {
  /** Stable across polls and restarts: the article, the kind and the time of the act. */
  id: string;
  kind: NotificationKind;
  articleId: string;
  title: string;
  /** When the act happened (ISO), as the signed record says. */
  at: string;
  /** Who acted; null when the record names nobody (never for signed acts). */
  actor: { id: string; name: string } | null;
  /** The message in Chinese, ready to show. */
  text: string;
  /** The same message as a key and values, so the bell reads in the user's language. */
  messageKey: MessageKey;
  params: MessageParams;
  read: boolean;
}

export interface NotificationList {
  /** Newest first; at most a hundred. */
  items: NotificationItem[];
  /** Unread items of the whole list (the bell's count). */
  unread: number;
}

/** In-app notifications, per signed-in person. */
export const notificationChannels = {
  /**
   * The caller's notifications, derived afresh from the verified records of
   * the articles they have a part in (as writer, as a reviewer of the stage
   * an article waits at, as a publisher), newest first, with the unread count.
   * Any signed-in person; each sees only their own.
   */
  'notifications:list': channel<NotificationList>('signedIn')(z.object({})),
  /**
   * Marks the given notifications, or all of the caller's (`all`), as read;
   * the marks are the caller's own and survive restarts. Ids that are not
   * (or no longer) in the caller's list are ignored. Returns the list as it
   * now stands.
   */
  'notifications:markRead': channel<NotificationList>('signedIn')(
    z
      .object({
        ids: z.array(z.string().min(1).max(300)).max(500).optional(),
        all: z.boolean().optional(),
      })
      .refine((request) => request.all === true || (request.ids?.length ?? 0) > 0, {
        message: '请指明要标为已读的通知，或选择全部已读',
      }),
  ),
} as const;
