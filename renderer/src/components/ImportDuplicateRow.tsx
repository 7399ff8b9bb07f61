import type { ImportDuplicate } from '../../../shared/api/contract';
import { useT } from '../state/settings';

/** One file the workspace already had: which article holds it, why it matched, and the two ways on. */
export function ImportDuplicateRow({
  outcome,
  busy,
  locked,
  onOpen,
  onOpenTrash,
  onImportAnyway,
}: {
  outcome: ImportDuplicate;
  /** This row's "import anyway" is running. */
  busy: boolean;
  /** Some row's "import anyway" is running: one at a time, so the summary stays in step. */
  locked: boolean;
  onOpen(articleId: string): void;
  onOpenTrash(): void;
  onImportAnyway(): void;
}) {
  const t = useT();
  const { existing } = outcome;
  const title = existing.title || t('importDialog.duplicate.untitled');
  const why = t(outcome.reason === 'same-file' ? 'importDialog.duplicate.sameFile' : 'importDialog.duplicate.sameArticle');
  const detail = t(existing.trashed ? 'importDialog.duplicate.detailInTrash' : 'importDialog.duplicate.detail', {
    file: outcome.file,
    why,
  });
  return (
    <article className="imported">
      <header className="imported-head">
        <strong>{t('importDialog.duplicate.line', { title })}</strong>
        <span className="muted small">{detail}</span>
        <span className="toolbar-actions">
          {existing.trashed ? (
            <button type="button" onClick={onOpenTrash}>
              {t('importDialog.duplicate.openTrash')}
            </button>
          ) : (
            <button type="button" onClick={() => onOpen(existing.id)} aria-label={t('importDialog.duplicate.open', { title })}>
              {t('importDialog.openShort')}
            </button>
          )}
          <button
            type="button"
            disabled={busy || locked}
            onClick={onImportAnyway}
            aria-label={t('importDialog.duplicate.importAnywayNamed', { file: outcome.file })}
          >
            {busy ? t('importDialog.duplicate.importing') : t('importDialog.duplicate.importAnyway')}
          </button>
        </span>
      </header>
    </article>
  );
}
