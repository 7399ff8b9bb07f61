import { useEffect, useState } from 'react';
import { describeError } from '../../state/errors';
import { navigate } from '../../state/navigation';
import { useLocale, useT } from '../../state/settings';
import { useStore } from '../../state/store';
import { EditorWorkspaceView } from './EditorWorkspaceView';
import { createArticleLoader } from './open-article';

/** Loads the article and keeps one editing session per opened (or reloaded) article. */
export function EditorScreen({ articleId }: { articleId: string }) {
  const t = useT();
  const locale = useLocale();
  const [loader] = useState(() => createArticleLoader(articleId));
  const { load, generation } = useStore(loader.store);

  // biome-ignore lint/correctness/useExhaustiveDependencies: generation is the explicit "load again" trigger
  useEffect(() => loader.open(), [loader, generation]);

  if (load.kind === 'loading') return <p className="screen muted">{t('common.loading')}</p>;
  if (load.kind === 'error') {
    return (
      <section className="screen">
        <div className="banner banner-error" role="alert">
          {describeError(locale, load.error)}
        </div>
        <div className="button-row">
          <button type="button" onClick={() => void navigate({ name: 'list' })}>
            {t('editorScreen.back')}
          </button>
          <button type="button" onClick={() => loader.reload()}>
            {t('list.retry')}
          </button>
        </div>
      </section>
    );
  }
  return (
    <EditorWorkspaceView
      key={`${articleId}-${generation}`}
      session={load.session}
      initialStatus={load.status}
      onReload={() => loader.reload()}
      onReopen={() => loader.reopen()}
    />
  );
}
