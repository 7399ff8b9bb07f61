import type { NotificationItem } from '../../../shared/api/contract';
import { translate } from '../../../shared/i18n';
import { api } from '../api/client';
import { navigate } from '../state/navigation';
import { handleSessionLoss } from '../state/session';
import { currentLocale, translateNow } from '../state/settings';
import { NotificationInbox } from './inbox';

/** A notification's text in the user's language. */
export function notificationText(item: NotificationItem, locale = currentLocale()): string {
  return translate(locale, item.messageKey, item.params);
}

type NotificationWindow = Pick<Window, 'gazette' | 'focus'> & { Notification?: typeof Notification };

/**
 * OS notifications, in the desktop app only: the preload bridge
 * (`window.gazette`) is what tells the desktop app from a browser tab, and a
 * browser tab must never ask the user for notification rights. One OS
 * notification per poll, naming the newest item and how many more came.
 */
export function desktopAnnouncer(
  win: NotificationWindow | undefined = typeof window === 'undefined' ? undefined : window,
  open: (item: NotificationItem) => void = (item) => void openNotification(item),
): ((fresh: readonly NotificationItem[]) => void) | null {
  const OsNotification = win?.Notification;
  if (!win?.gazette || typeof OsNotification !== 'function') return null;
  return (fresh) => {
    const [first, ...rest] = fresh;
    if (!first) return;
    const show = () => {
      const body = rest.length > 0 ? `${notificationText(first)}\n${translateNow('notify.osMore', { n: rest.length })}` : notificationText(first);
      const shown = new OsNotification(translateNow('app.name'), { body, tag: 'gazette-notifications' });
      shown.onclick = () => {
        win.focus();
        open(first);
      };
    };
    if (OsNotification.permission === 'granted') show();
    else if (OsNotification.permission === 'default') {
      void OsNotification.requestPermission().then((answer) => {
        if (answer === 'granted') show();
      });
    }
  };
}

/** The window's bell. */
export const inbox = new NotificationInbox({
  invoke: (channel, request) => api.invoke(channel, request),
  handleSessionLoss,
  announce: desktopAnnouncer(),
});

/** Opens the article a notification is about, and marks the notification read. */
export async function openNotification(item: NotificationItem): Promise<void> {
  await navigate({ name: 'editor', articleId: item.articleId });
  await inbox.markRead(item);
}

/** Asks the bell again now (after the user's own review and publishing acts). */
export function refreshInbox(): void {
  void inbox.refresh();
}
