import { useEffect } from 'react';
import { ErrorBoundary } from './components/ErrorBoundary';
import { Toasts } from './components/Toasts';
import { EditorScreen } from './screens/EditorScreen';
import { ListScreen } from './screens/ListScreen';
import { SettingsScreen } from './screens/SettingsScreen';
import { TrashScreen } from './screens/TrashScreen';
import { navigate, type Screen, screenStore } from './state/navigation';
import { notifyError } from './state/notifications';
import { loadSettings, useT } from './state/settings';
import { useStore } from './state/store';

const NAV: Array<{ screen: Screen['name']; key: 'nav.articles' | 'nav.trash' | 'nav.settings' }> = [
  { screen: 'list', key: 'nav.articles' },
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
  }
}

/** The window: a slim top bar with navigation, the current screen and the toasts. */
export function App() {
  const t = useT();
  const screen = useStore(screenStore);

  useEffect(() => {
    loadSettings().catch(notifyError);
  }, []);

  return (
    <div className="app">
      <header className="app-header">
        <span className="app-name">{t('app.name')}</span>
        <nav aria-label={t('nav.label')}>
          {NAV.map((item) => {
            const current = screen.name === item.screen || (item.screen === 'list' && screen.name === 'editor');
            return (
              <button
                key={item.screen}
                type="button"
                className="nav-button"
                aria-current={current ? 'page' : undefined}
                onClick={() => void navigate({ name: item.screen } as Screen)}
              >
                {t(item.key)}
              </button>
            );
          })}
        </nav>
      </header>
      <main className="app-main">
        <ErrorBoundary key={screen.name === 'editor' ? `editor-${screen.articleId}` : screen.name} onReset={() => screenStore.set({ name: 'list' })}>
          <CurrentScreen screen={screen} />
        </ErrorBoundary>
      </main>
      <Toasts />
    </div>
  );
}
