import { useId, useState } from 'react';
import type { PackageImportResult } from '../../../shared/api/contract';
import { Dialog } from '../components/Dialog';
import { FieldError } from '../components/Field';
import { FileInput } from '../components/FileInput';
import { navigate } from '../state/navigation';
import { useLocale, useT } from '../state/settings';
import { reviewErrorText } from './review-errors';
import { importPackage } from './transfer';

/** 导入审核包: pick a .gazette-package, see every check, and what was created (or why nothing was). */
export function PackageImportDialog({ onClose, onImported }: { onClose(): void; onImported(): void }) {
  const t = useT();
  const locale = useLocale();
  const id = useId();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<PackageImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  const importFile = async (file: File) => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const imported = await importPackage(file);
      setResult(imported);
      if (imported.ok) onImported();
    } catch (caught) {
      setError(reviewErrorText(locale, caught));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Dialog title={t('packages.import.title')} onClose={onClose} size="medium">
      <div className="field">
        <label htmlFor={`${id}-file`}>{t('packages.import.pick')}</label>
        <FileInput
          id={`${id}-file`}
          accept=".gazette-package,application/octet-stream,application/zip"
          disabled={busy}
          onFiles={([file]) => void importFile(file)}
        />
      </div>
      {busy ? <p className="muted">{t('packages.import.working')}</p> : null}
      <FieldError message={error} />
      {result ? (
        <div data-testid="package-result">
          {result.ok ? (
            <p role="status">{t('packages.import.ok', { n: result.items.length })}</p>
          ) : (
            <div className="banner banner-error" role="alert">
              <p>{t('packages.import.refused')}</p>
              <p>{result.error}</p>
            </div>
          )}
          <h3 className="panel-heading">{t('packages.import.checks')}</h3>
          <ul className="check-list">
            {result.checks.map((check) => (
              <li key={check}>✓ {check}</li>
            ))}
          </ul>
          {result.items.length > 0 ? (
            <ul className="import-items">
              {result.items.map((item) => (
                <li key={item.sourceId}>
                  <button type="button" className="link-button" onClick={() => void navigate({ name: 'editor', articleId: item.articleId })}>
                    {item.title || t('list.untitled')}
                  </button>
                  ：{t(`packages.outcome.${item.outcome}`)}
                  {item.outcome === 'copy' ? <span className="small"> {t('packages.copyHelp')}</span> : null}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
    </Dialog>
  );
}
