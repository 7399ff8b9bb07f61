import type { Editor } from '@tiptap/core';
import { ConfirmDialog } from '../../components/Dialog';
import { SaveVersionDialog, VersionsDialog } from '../../components/VersionDialogs';
import { GateDialog } from '../../proofread/GateDialog';
import { revealFinding } from '../../proofread/marks';
import type { Proofreading } from '../../proofread/use-proofreading';
import { DiffDialog, SignoffDialog, TextPromptDialog } from '../../review/ReviewDialogs';
import { hasRole, useCurrentPerson } from '../../state/session';
import { useT } from '../../state/settings';
import { useStore, useStoreSelect } from '../../state/store';
import type { EditorWorkspace } from './editor-workspace';

/** The editor screen's dialogs: review steps, the proofreading gate, comparison, sign-off sheet, versions and delete. */
export function EditorDialogs({
  workspace,
  proof,
  getEditor,
  resolveSrc,
}: {
  workspace: EditorWorkspace;
  proof: Proofreading;
  getEditor(): Editor | null;
  resolveSrc(src: string): string;
}) {
  const t = useT();
  const person = useCurrentPerson();
  const { session, articleId } = workspace;
  const { dialog, gate, busy } = useStore(workspace.store);
  const { view: review } = useStore(workspace.review.store);
  const meta = useStoreSelect(session.store, (state) => state.meta);
  const title = meta.title.trim() || t('list.untitled');
  const close = () => workspace.closeDialog();

  return (
    <>
      {dialog === 'submit' ? (
        <TextPromptDialog
          title={t('review.ui.submit')}
          label={t('review.ui.submitNote')}
          intro={t('review.ui.submitIntro')}
          confirmLabel={t('review.ui.submit')}
          onConfirm={(note) => workspace.submit(note)}
          onClose={close}
        />
      ) : null}
      {dialog === 'approve' && review ? (
        <TextPromptDialog
          title={t('review.ui.approveTitle', { stage: review.stageName ?? '' })}
          label={t('review.ui.opinion')}
          confirmLabel={t('review.ui.approve')}
          onConfirm={(opinion) => workspace.approve(opinion)}
          onClose={close}
        />
      ) : null}
      {dialog === 'requestChanges' && review ? (
        <TextPromptDialog
          title={t('review.ui.requestChanges')}
          label={t('review.ui.reason')}
          required
          requiredMessage={t('review.ui.reasonRequired')}
          danger
          confirmLabel={t('review.ui.requestChanges')}
          onConfirm={(reason) => workspace.requestChanges(reason)}
          onClose={close}
        />
      ) : null}
      {gate ? (
        <GateDialog
          action={gate}
          errors={proof.errors}
          mayOverride={hasRole(person, 'reviewer') || hasRole(person, 'publisher')}
          onOverride={(finding, reason) => workspace.overrideFinding(finding, reason)}
          onReveal={(finding) => {
            const editor = getEditor();
            if (editor) revealFinding(editor, finding);
          }}
          onRetry={() => workspace.retryGated()}
          onClose={() => workspace.closeGate()}
        />
      ) : null}
      {dialog === 'diff' ? <DiffDialog articleId={articleId} onClose={close} /> : null}
      {dialog === 'signoff' ? <SignoffDialog articleId={articleId} onClose={close} /> : null}
      {dialog === 'saveVersion' ? <SaveVersionDialog session={session} onClose={close} /> : null}
      {dialog === 'versions' ? <VersionsDialog session={session} resolveSrc={resolveSrc} onClose={close} /> : null}
      {dialog === 'delete' ? (
        <ConfirmDialog
          title={t('editorScreen.delete.title')}
          message={t('editorScreen.delete.message', { title })}
          confirmLabel={t('editorScreen.delete.confirm')}
          danger
          busy={busy}
          onConfirm={() => void workspace.moveToTrash()}
          onCancel={close}
        />
      ) : null}
    </>
  );
}
