import { useEffect } from 'react';
import { AppCommands } from './commands/AppCommands';
import { ErrorBoundary } from './components/ErrorBoundary';
import { Toasts } from './components/Toasts';
import { inbox } from './notify/app-inbox';
import { Bell } from './notify/Bell';
import { INBOX_REFRESH_MS } from './notify/inbox';
import { EditorScreen } from './screens/editor/EditorScreen';
import { ListScreen } from './screens/ListScreen';
import { PendingScreen } from './screens/PendingScreen';
import { ReviewQueueScreen } from './screens/ReviewQueueScreen';
import { SettingsScreen } from './screens/SettingsScreen';
import { SignInScreen } from './screens/SignInScreen';
import { TrashScreen } from './screens/TrashScreen';
import { describeError } from './state/errors';
import { navigate, type Screen, screenStore } from './state/navigation';
import { notifyError } from './state/notifications';
import { QUEUE_REFRESH_MS, refreshReviewQueue, reviewQueueStore } from './state/review-queue';
import { hasRole, loadSession, sessionStore, signOut } from './state/session';
import { loadSettings, useLocale, useT } from './state/settings';
import { useStore } from './state/store';
import { SyncStatus, useSyncPolling } from './sync/SyncStatus';

const NAV: Array<{
  screen: Exclude<Screen['name'], 'editor'>;
  key: 'nav.articles' | 'nav.queue' | 'nav.pending' | 'nav.trash' | 'nav.settings';
  /** Shown only to people with this role. */
  role?: 'publisher';
}> = [
  { screen: 'list', key: 'nav.articles' },
  { screen: 'queue', key: 'nav.queue' },
  { screen: 'pending', key: 'nav.pending', role: 'publisher' },
  { screen: 'trash', key: 'nav.trash' },
  { screen: 'settings', key: 'nav.settings' },
];

function CurrentScreen({ screen }: { screen: Screen }) {
  switch (screen.name) {
    case 'list':
      return <ListScreen />;
    case 'editor':
      return <EditorScreen key={screen.articleId} articleId={screen.articleId} />;
    case 'trash':
      return <TrashScreen />;
    case 'settings':
      return <SettingsScreen />;
    case 'queue':
      return <ReviewQueueScreen />;
    case 'pending':
      return <PendingScreen />;
  }
}

/** The review badge: refreshed on every navigation and every {@link QUEUE_REFRESH_MS}. */
function QueueBadge() {
  const t = useT();
  const { queue } = useStore(reviewQueueStore);
  const count = queue?.count ?? 0;
  if (count === 0) return null;
  return (
    <span className="nav-badge" data-testid="queue-count" title={t('nav.queueCount', { n: count })}>
      {count}
    </span>
  );
}

/** The office sync's status, the bell, who is signed in, and the way out. */
function SignedInPerson() {
  const t = useT();
  const session = useStore(sessionStore);
  if (session.kind !== 'ready' || !session.info.person) return null;
  const person = session.info.person;
  return (
    <div className="signed-in">
      <SyncStatus />
      <Bell />
      <span data-testid="signed-in-person">{t('auth.signedInAs', { name: person.name })}</span>
      <button
        type="button"
        className="nav-button"
        onClick={() => {
          void navigate({ name: 'list' })
            .then(() => signOut())
            .catch(notifyError);
        }}
      >
        {t('auth.signOut')}
      </button>
    </div>
  );
}

/** The window: a slim top bar with navigation, the current screen and the toasts. */
export function App() {
  const t = useT();
  const locale = useLocale();
  const screen = useStore(screenStore);
  const session = useStore(sessionStore);
  const personId = session.kind === 'ready' ? (session.info.person?.id ?? null) : null;

  useEffect(() => {
    loadSettings().catch(notifyError);
    void loadSession();
  }, []);

  // biome-ignore lint/correctness/useExhaustiveDependencies: the queue is asked again whenever the screen changes
  useEffect(() => {
    if (!personId) return;
    void refreshReviewQueue();
    const timer = setInterval(() => void refreshReviewQueue(), QUEUE_REFRESH_MS);
    return () => clearInterval(timer);
  }, [personId, screen]);

  // The bell: asked at once for whoever signed in, then every INBOX_REFRESH_MS and on every navigation.
  // biome-ignore lint/correctness/useExhaustiveDependencies: the bell is asked again whenever the screen changes
  useEffect(() => {
    inbox.reset(personId ?? '');
    if (!personId) return;
    void inbox.refresh();
    const timer = setInterval(() => void inbox.refresh(), INBOX_REFRESH_MS);
    return () => clearInterval(timer);
  }, [personId, screen]);

  // The title bar's sync status: polled while visible, and asked again on every navigation (the user's own acts).
  useSyncPolling(personId, screen);

  if (session.kind !== 'ready' || !session.info.person) {
    return (
      <div className="app">
        <header className="app-header">
          <span className="app-name">{t('app.name')}</span>
        </header>
        <main className="app-main">
          {session.kind === 'loading' ? <p className="screen muted">{t('common.loading')}</p> : null}
          {session.kind === 'error' ? (
            <section className="screen">
              <div className="banner banner-error" role="alert">
                {describeError(locale, session.error)}
              </div>
              <button type="button" onClick={() => void loadSession()}>
                {t('list.retry')}
              </button>
            </section>
          ) : null}
          {session.kind === 'ready' ? <SignInScreen info={session.info} /> : null}
        </main>
        <Toasts />
      </div>
    );
  }

  return (
    <div className="app">
      <header className="app-header">
        <span className="app-name">{t('app.name')}</span>
        <nav aria-label={t('nav.label')}>
          {NAV.filter((item) => !item.role || hasRole(session.info.person, item.role)).map((item) => {
            const current = screen.name === item.screen || (item.screen === 'list' && screen.name === 'editor');
            return (
              <button
                key={item.screen}
                type="button"
                className="nav-button"
                aria-current={current ? 'page' : undefined}
                onClick={() => void navigate({ name: item.screen })}
              >
                {t(item.key)}
                {item.screen === 'queue' ? <QueueBadge /> : null}
              </button>
            );
          })}
        </nav>
        <SignedInPerson />
      </header>
      <main className="app-main">
        <ErrorBoundary
          key={`${personId}:${screen.name === 'editor' ? `editor-${screen.articleId}` : screen.name}`} onReset={() => screenStore.set({ name: 'list' })}>
          <CurrentScreen screen={screen} />
        </ErrorBoundary>
      </main>
      <AppCommands key={personId} />
      <Toasts />
    </div>
  );
}
