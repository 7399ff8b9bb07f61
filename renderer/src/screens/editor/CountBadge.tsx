import type { EditorSession } from '../../state/editor-session';
import { useT } from '../../state/settings';
import { useStore } from '../../state/store';

/** The top bar's 字数 badge: its own component, so a new count (every few hundred ms while typing) re-renders only itself. */
export function CountBadge({ session }: { session: EditorSession }) {
  const t = useT();
  const counts = useStore(session.counts);
  return (
    <span className="count-badge" data-testid="char-count">
      {t('editorScreen.count', { n: counts?.words ?? 0 })}
    </span>
  );
}
