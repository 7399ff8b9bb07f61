import { useEffect, useId, useRef, useState } from 'react';
import { RelativeTime } from '../components/RelativeTime';
import { describeError } from '../state/errors';
import { useLocale, useT } from '../state/settings';
import { useStore } from '../state/store';
import { inbox, notificationText, openNotification } from './app-inbox';

/**
 * The bell in the top bar: the unread count (also in its accessible name),
 * and a panel of notifications, newest first; opening one opens its article
 * and marks it read. The list is polled by the app ({@link inbox}).
 */
export function Bell() {
  const t = useT();
  const locale = useLocale();
  const id = useId();
  const { list, error } = useStore(inbox.store);
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const unread = list?.unread ?? 0;

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: MouseEvent) => {
      if (root.current && !root.current.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape') return;
      setOpen(false);
      button.current?.focus();
    };
    document.addEventListener('mousedown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const now = new Date();
  return (
    <div className="bell" ref={root}>
      <button
        ref={button}
        type="button"
        className="nav-button bell-button"
        aria-label={unread > 0 ? t('notify.bellUnread', { n: unread }) : t('notify.bell')}
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        data-testid="bell"
        onClick={() => {
          setOpen((was) => !was);
          if (!open) void inbox.refresh();
        }}
      >
        <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" focusable="false">
          <path
            fill="currentColor"
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3.5a1.5 1.5 0 0 0-3 0v.66A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
          />
        </svg>
        {unread > 0 ? (
          <span className="nav-badge" data-testid="bell-count" aria-hidden="true">
            {unread > 99 ? '99+' : unread}
          </span>
        ) : null}
      </button>
      {open ? (
        <section className="bell-panel" id={`${id}-panel`} aria-labelledby={`${id}-heading`}>
          <div className="bell-panel-head">
            <h2 id={`${id}-heading`}>{t('notify.heading')}</h2>
            <button type="button" disabled={unread === 0} onClick={() => void inbox.markAllRead()}>
              {t('notify.markAllRead')}
            </button>
          </div>
          {error ? (
            <div className="banner banner-error" role="alert">
              {t('notify.loadFailed', { detail: describeError(locale, error) })}
            </div>
          ) : null}
          {list === null && !error ? <p className="muted">{t('common.loading')}</p> : null}
          {list && list.items.length === 0 ? <p className="muted">{t('notify.empty')}</p> : null}
          {list && list.items.length > 0 ? (
            <ul className="bell-list">
              {list.items.map((item) => (
                <li key={item.id}>
                  <button
                    type="button"
                    className={item.read ? 'bell-item' : 'bell-item bell-item-unread'}
                    data-testid="notification"
                    onClick={() => {
                      setOpen(false);
                      void openNotification(item);
                    }}
                  >
                    <span className="bell-item-head">
                      <span className={`bell-kind bell-kind-${item.kind}`}>{t(`notify.kind.${item.kind}`)}</span>
                      {item.read ? null : <span className="sr-only">{t('notify.unread')}</span>}
                      <RelativeTime iso={item.at} now={now} />
                    </span>
                    <span className="bell-text">{notificationText(item, locale)}</span>
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
