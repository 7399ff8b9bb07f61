import type { ArticleSyncState } from '../../../shared/api/contract/sync';
import { useT } from '../state/settings';
import { articleStateText } from './sync-text';
import '../styles/sync.css';

/** An article's sync state in the list: 待同步 / 冲突待处理 / 服务器拒绝 / 仅本机; nothing when synced. */
export function ArticleSyncBadge({ state }: { state: ArticleSyncState | undefined }) {
  const t = useT();
  const shown = articleStateText(t, state);
  if (!shown || !state) return null;
  return (
    <span className={`sync-badge sync-badge-${state}`} title={shown.hint} data-testid="article-sync-state">
      {shown.text}
    </span>
  );
}
