import type { MessageKey } from '../../../../shared/i18n';
import { mayTrash } from '../../../../shared/workflow/locks';
import { ariaShortcut, withShortcut } from '../../commands/app-commands';
import { SaveStatus } from '../../components/SaveStatus';
import { type EditingMode, submitButton } from '../../review/review-logic';
import { navigate } from '../../state/navigation';
import { useCurrentPerson } from '../../state/session';
import { useT } from '../../state/settings';
import { useStore } from '../../state/store';
import type { EditorDialog, EditorWorkspace } from './editor-workspace';
import { GongwenTools } from './print/GongwenTools';
import { CountBadge } from './CountBadge';

/** The dialogs the toolbar always offers, in its order. */
const RECORD_DIALOGS: readonly (readonly [EditorDialog, MessageKey])[] = [
  ['diff', 'review.ui.diff.open'],
  ['signoff', 'review.ui.signoff.open'],
  ['saveVersion', 'editorScreen.saveVersion'],
  ['versions', 'editorScreen.versions'],
];

const EXPORTS: readonly (readonly ['json' | 'html', MessageKey])[] = [
  ['json', 'editorScreen.exportJson'],
  ['html', 'editorScreen.exportHtml'],
];

/** Back, the title, save state and count, the review status, and the article's actions. */
export function EditorTopbar({
  workspace,
  titleId,
  panelId,
  mode,
}: {
  workspace: EditorWorkspace;
  titleId: string;
  panelId: string;
  mode: EditingMode;
}) {
  const t = useT();
  const { session, review } = workspace;
  const state = useStore(session.store);
  const { busy, previewOpen, panelOpen } = useStore(workspace.store);
  const { view, reviewerEditing } = useStore(review.store);
  const person = useCurrentPerson();
  // The list's status (已发布 / 已撤回 after publishing), so the two never disagree.
  const status = view?.articleStatus ?? null;
  const title = state.meta.title.trim() || t('list.untitled');
  const submit = submitButton(view);

  return (
    <div className="editor-topbar">
      <button type="button" onClick={() => void navigate({ name: 'list' })}>
        ← {t('editorScreen.back')}
      </button>
      <h1 id={titleId} className="editor-title" title={title}>
        {title}
      </h1>
      <SaveStatus state={state.save} onRetry={() => session.retryNow()} />
      <CountBadge session={session} />
      {status ? (
        <span className={`status status-${status}`} data-testid="review-status">
          {t(`status.${status}`)}
          {status === 'in_review' && view?.stageName ? `（${view.stageName}）` : ''}
        </span>
      ) : null}
      <div className="toolbar-actions">
        {submit.shown ? (
          // The reason sits on the wrapper too: a disabled button gets no pointer events in some browsers, so no tooltip.
          <span className="submit-action" title={submit.disabledReason ?? undefined}>
            <button
              type="button"
              className="primary"
              disabled={busy || submit.disabledReason !== null}
              title={submit.disabledReason ?? undefined}
              onClick={() => void workspace.startSubmit()}
            >
              {t('review.ui.submit')}
            </button>
          </span>
        ) : null}
        {mode.reviewerMayEdit ? (
          <button type="button" aria-pressed={reviewerEditing} onClick={() => workspace.toggleReviewerEditing()}>
            {reviewerEditing ? t('review.ui.stopEditing') : t('review.ui.startEditing')}
          </button>
        ) : null}
        <button type="button" aria-pressed={previewOpen} onClick={() => workspace.togglePreview()}>
          {previewOpen ? t('pubui.preview.toggleOff') : t('pubui.preview.toggleOn')}
        </button>
        {RECORD_DIALOGS.map(([dialog, label]) => (
          <button
            key={dialog}
            type="button"
            // 保存版本 has Ctrl+S (⌘S); the tooltip says so, as the formatting buttons' tooltips do.
            title={dialog === 'saveVersion' ? withShortcut(t(label), 'saveVersion') : undefined}
            aria-keyshortcuts={dialog === 'saveVersion' ? ariaShortcut('saveVersion') : undefined}
            onClick={() => workspace.openDialog(dialog)}
          >
            {t(label)}
          </button>
        ))}
        {EXPORTS.map(([format, label]) => (
          <button key={format} type="button" disabled={busy} onClick={() => void workspace.exportAs(format)}>
            {t(label)}
          </button>
        ))}
        <GongwenTools session={session} />
        {/* The services refuse it too: an article in review or approved goes to the trash only by an admin. */}
        {mayTrash(person?.roles ?? [], review.status) ? (
          <button type="button" className="danger" onClick={() => workspace.openDialog('delete')}>
            {t('common.delete')}
          </button>
        ) : null}
        <button type="button" aria-expanded={panelOpen} aria-controls={panelId} onClick={() => workspace.togglePanel()}>
          {panelOpen ? t('editorScreen.hideMeta') : t('editorScreen.showMeta')}
        </button>
      </div>
    </div>
  );
}
