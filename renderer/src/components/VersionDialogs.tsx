import { useEffect, useId, useState } from 'react';
import type { Revision, RevisionSummary } from '../../../shared/domain/article';
import { ArticleEditor } from '../editor';
import { formatLocalMinute } from '../state/datetime';
import type { EditorSession } from '../state/editor-session';
import { describeError } from '../state/errors';
import { notifyError, pushToast } from '../state/notifications';
import { useLocale, useT } from '../state/settings';
import { getVersion, listVersions, restoreVersion, saveVersion } from '../state/versions';
import { DataTable } from './DataTable';
import { Dialog } from './Dialog';
import { DialogButtons } from './DialogButtons';
import { ErrorBanner } from './ErrorBanner';
import { Field } from './Field';

function formatIso(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : formatLocalMinute(date);
}

/** Asks for a name and stores the current content as a named version. */
export function SaveVersionDialog({ session, onClose }: { session: EditorSession; onClose(): void }) {
  const t = useT();
  const id = useId();
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    if (!name.trim()) {
      setError(t('versions.name.required'));
      return;
    }
    setBusy(true);
    try {
      await saveVersion(session, name.trim());
      pushToast('info', t('versions.saved', { name: name.trim() }));
      onClose();
    } catch (caught) {
      notifyError(caught);
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={t('versions.save.title')}
      onClose={onClose}
      size="small"
      footer={<DialogButtons confirmLabel={t('common.save')} busy={busy} form={`${id}-form`} onCancel={onClose} />}
    >
      <form
        id={`${id}-form`}
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <Field label={t('versions.name')} error={error}>
          {(control) => (
            <input
              {...control}
              value={name}
              maxLength={200}
              data-autofocus
              onChange={(event) => {
                setName(event.target.value);
                setError(null);
              }}
            />
          )}
        </Field>
      </form>
    </Dialog>
  );
}

/** Lists named versions, shows one read-only and can restore it as the current content. */
export function VersionsDialog({
  session,
  resolveSrc,
  onClose,
}: {
  session: EditorSession;
  resolveSrc(src: string): string;
  onClose(): void;
}) {
  const t = useT();
  const locale = useLocale();
  const [versions, setVersions] = useState<RevisionSummary[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [viewing, setViewing] = useState<Revision | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    listVersions(session.articleId).then(
      (list) => setVersions([...list].sort((a, b) => b.createdAt.localeCompare(a.createdAt))),
      setLoadError,
    );
  }, [session.articleId]);

  const view = async (revisionId: string) => {
    try {
      setViewing(await getVersion(session.articleId, revisionId));
    } catch (error) {
      notifyError(error);
    }
  };

  const restore = async (revision: Revision) => {
    setBusy(true);
    try {
      await restoreVersion(session, revision);
      pushToast('info', t('versions.restored', { name: revision.name }));
      onClose();
    } catch (error) {
      notifyError(error);
      setBusy(false);
    }
  };

  return (
    <Dialog title={viewing ? t('versions.viewing', { name: viewing.name }) : t('versions.title')} onClose={onClose} size="large">
      {viewing ? (
        <div className="version-view">
          <p className="muted">
            {formatIso(viewing.createdAt)} · {viewing.meta.title || t('list.untitled')}
          </p>
          <div className="version-doc">
            <ArticleEditor
              initialDoc={viewing.doc}
              onChange={() => {}}
              resolveSrc={resolveSrc}
              addAsset={() => Promise.reject(new Error('read-only'))}
              readOnly
              locale={locale}
            />
          </div>
          <div className="button-row">
            <button type="button" onClick={() => setViewing(null)}>
              {t('versions.back')}
            </button>
            <button type="button" className="primary" disabled={busy} onClick={() => void restore(viewing)}>
              {t('versions.restore')}
            </button>
          </div>
        </div>
      ) : (
        <>
          <ErrorBanner message={loadError ? describeError(locale, loadError) : null} />
          {versions === null && !loadError ? <p>{t('common.loading')}</p> : null}
          {versions !== null && versions.length === 0 ? <p className="muted">{t('versions.empty')}</p> : null}
          {versions && versions.length > 0 ? (
            <DataTable headings={[t('versions.col.name'), t('versions.col.createdAt'), t('trash.col.actions')]}>
              {versions.map((version) => (
                <tr key={version.id}>
                  <td>{version.name}</td>
                  <td>{formatIso(version.createdAt)}</td>
                  <td>
                    <button
                      type="button"
                      className="small"
                      aria-label={t('versions.viewNamed', { name: version.name })}
                      onClick={() => void view(version.id)}
                    >
                      {t('versions.view')}
                    </button>
                  </td>
                </tr>
              ))}
            </DataTable>
          ) : null}
        </>
      )}
    </Dialog>
  );
}
