import type { SaveState } from '../state/autosave';
import { formatLocalTime } from '../state/datetime';
import { describeError } from '../state/errors';
import { useLocale, useT } from '../state/settings';

/** "已保存 10:32:05" / "正在保存…" / "保存失败：…" with a retry button. */
export function SaveStatus({ state, onRetry }: { state: SaveState; onRetry(): void }) {
  const t = useT();
  const locale = useLocale();
  let content: React.ReactNode;
  switch (state.kind) {
    case 'idle':
      content = t('editorScreen.save.idle');
      break;
    case 'saved':
      content = t('editorScreen.save.saved', { time: formatLocalTime(new Date(state.at)) });
      break;
    case 'pending':
    case 'saving':
      content = t('editorScreen.save.saving');
      break;
    case 'failed':
      content = (
        <>
          <span className="save-error">
            {t('editorScreen.save.failed', { reason: describeError(locale, state.error) })}
          </span>{' '}
          <span className="muted small">
            {t('editorScreen.save.retrying', { seconds: Math.round(state.retryInMs / 1000) })}
          </span>{' '}
          <button type="button" className="small" onClick={onRetry}>
            {t('editorScreen.save.retry')}
          </button>
        </>
      );
      break;
    case 'conflict':
      content = <span className="save-error">{t('editorScreen.save.conflict')}</span>;
      break;
  }
  return (
    <span className={`save-status save-${state.kind}`} role="status" data-testid="save-status">
      {content}
    </span>
  );
}
