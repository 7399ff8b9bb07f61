import { useEffect, useId, useRef, useState } from 'react';
import type { ImportOutcome } from '../../../shared/api/contract';
import { formatColumnPath } from '../../../shared/domain/settings';
import type { MessageKey } from '../../../shared/i18n';
import { isImportable } from '../../../shared/domain/import-files';
import { describeError } from '../state/errors';
import { displayPath, readFileAsBase64 } from '../state/files';
import { importFile, importPastedText } from '../state/import-actions';
import { countOutcomes, type ImportItem, type ImportProgress, runImport } from '../state/import-run';
import { navigate } from '../state/navigation';
import { importWebPage } from '../state/web-import-actions';
import { useLocale, useT } from '../state/settings';
import { Dialog } from './Dialog';
import { FileInput } from './FileInput';
import { ImportDuplicateRow } from './ImportDuplicateRow';
import { MigrationPanel } from './MigrationPanel';

type Tab = 'paste' | 'url' | 'files' | 'folder' | 'migrate';
const TABS: Tab[] = ['paste', 'url', 'files', 'folder', 'migrate'];
const TAB_LABELS = {
  paste: 'importDialog.tab.paste',
  url: 'webImport.tab.url',
  files: 'importDialog.tab.files',
  folder: 'importDialog.tab.folder',
  migrate: 'webImport.tab.migrate',
} as const satisfies Record<Tab, MessageKey>;

/** Sends one result's material again with `allowDuplicate`, for "import anyway". */
type ImportAgain = () => Promise<ImportOutcome>;

/** Paste a portal page, pick files or a folder; shows progress and what each import found. */
export function ImportDialog({ onClose, onImported }: { onClose(): void; onImported(): void }) {
  const t = useT();
  const locale = useLocale();
  const id = useId();
  const [tab, setTab] = useState<Tab>('paste');
  const [text, setText] = useState('');
  const [pageUrl, setPageUrl] = useState('');
  const [progress, setProgress] = useState<ImportProgress | null>(null);
  const [outcomes, setOutcomes] = useState<ImportOutcome[] | null>(null);
  const [skipped, setSkipped] = useState<string[]>([]);
  // Parallel to `outcomes`: how to send that material again, so a duplicate can still be imported on purpose.
  const againRef = useRef<ImportAgain[]>([]);
  const [importingAgain, setImportingAgain] = useState<number | null>(null);
  const stopRef = useRef(false);
  const folderRef = useRef<HTMLInputElement>(null);
  const running = progress !== null && progress.current !== null;
  // A new run while "import anyway" is under way would swap the results it is about to update.
  const busy = running || importingAgain !== null;

  useEffect(() => {
    // React does not know the non-standard attribute; the DOM property is enough.
    if (folderRef.current) folderRef.current.webkitdirectory = true;
  });

  const start = async (items: ImportItem[], skippedNames: string[] = []) => {
    stopRef.current = false;
    setOutcomes(null);
    setSkipped(skippedNames);
    setProgress({ done: 0, total: items.length, current: items[0]?.name ?? null });
    againRef.current = items.map((item) => async () => importFile(item.name, await item.read(), true));
    const result = await runImport(
      items,
      (name, dataBase64) => importFile(name, dataBase64),
      setProgress,
      () => stopRef.current,
      (error) => describeError(locale, error),
    );
    setOutcomes(result);
    if (result.some((outcome) => outcome.ok)) onImported();
  };

  const importText = async () => {
    if (!text.trim()) return;
    stopRef.current = false;
    setOutcomes(null);
    setSkipped([]);
    const name = t('importDialog.pastedName');
    const pasted = text;
    againRef.current = [() => importPastedText(pasted, name, true)];
    setProgress({ done: 0, total: 1, current: name });
    let outcome: ImportOutcome;
    try {
      outcome = await importPastedText(text, name);
    } catch (error) {
      outcome = { ok: false, file: name, reason: describeError(locale, error) };
    }
    setProgress({ done: 1, total: 1, current: null });
    setOutcomes([outcome]);
    if (outcome.ok) onImported();
  };

  const importPage = async () => {
    const address = pageUrl.trim();
    if (!address) return;
    stopRef.current = false;
    setOutcomes(null);
    setSkipped([]);
    againRef.current = [() => importWebPage(address, true)];
    setProgress({ done: 0, total: 1, current: address });
    let outcome: ImportOutcome;
    try {
      outcome = await importWebPage(address);
    } catch (error) {
      outcome = { ok: false, file: address, reason: describeError(locale, error) };
    }
    setProgress({ done: 1, total: 1, current: null });
    setOutcomes([outcome]);
    if (outcome.ok) onImported();
  };

  const pickFiles = (list: File[], fromFolder: boolean) => {
    const accepted = list.filter((file) => isImportable(file.name));
    const rejected = list.filter((file) => !isImportable(file.name)).map(displayPath);
    // A folder holds all sorts of files; only a file picked by hand deserves a failure line.
    const items: ImportItem[] = (fromFolder ? accepted : list).map((file) => ({
      name: displayPath(file),
      read: () => readFileAsBase64(file),
    }));
    void start(items, fromFolder ? rejected : []);
  };

  const open = async (articleId: string) => {
    onClose();
    await navigate({ name: 'editor', articleId });
  };

  const openTrash = async () => {
    onClose();
    await navigate({ name: 'trash' });
  };

  const importAnyway = async (index: number) => {
    const again = againRef.current[index];
    if (!again || importingAgain !== null) return;
    setImportingAgain(index);
    let outcome: ImportOutcome;
    try {
      outcome = await again();
    } catch (error) {
      outcome = { ok: false, file: outcomes?.[index]?.file ?? '', reason: describeError(locale, error) };
    }
    setOutcomes((current) => (current ? current.map((previous, i) => (i === index ? outcome : previous)) : current));
    setImportingAgain(null);
    if (outcome.ok) onImported();
  };

  const summary = outcomes ? countOutcomes(outcomes) : null;
  const indexed = (outcomes ?? []).map((outcome, index) => ({ outcome, index }));
  const results = indexed.filter(({ outcome }) => outcome.ok || !outcome.duplicate);
  const duplicates = indexed.flatMap(({ outcome, index }) => (!outcome.ok && outcome.duplicate ? [{ outcome, index }] : []));

  return (
    <Dialog
      title={t('importDialog.title')}
      onClose={() => {
        stopRef.current = true;
        onClose();
      }}
      size="large"
    >
      <div role="tablist" aria-label={t('importDialog.title')} className="tabs">
        {TABS.map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            id={`${id}-tab-${name}`}
            aria-selected={tab === name}
            aria-controls={`${id}-panel`}
            tabIndex={tab === name ? 0 : -1}
            disabled={busy}
            onClick={() => setTab(name)}
            onKeyDown={(event) => {
              const delta = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
              if (!delta) return;
              const next = TABS[(TABS.indexOf(name) + delta + TABS.length) % TABS.length] ?? name;
              setTab(next);
              document.getElementById(`${id}-tab-${next}`)?.focus();
            }}
          >
            {t(TAB_LABELS[name])}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${id}-panel`} aria-labelledby={`${id}-tab-${tab}`} className="tab-panel">
        {tab === 'paste' ? (
          <div className="field">
            <label htmlFor={`${id}-text`}>{t('importDialog.paste.label')}</label>
            <p className="muted small">{t('importDialog.paste.hint')}</p>
            <textarea
              id={`${id}-text`}
              rows={10}
              value={text}
              onChange={(event) => setText(event.target.value)}
              disabled={busy}
            />
            <div className="button-row">
              <button type="button" className="primary" disabled={busy || !text.trim()} onClick={() => void importText()}>
                {t('importDialog.paste.submit')}
              </button>
            </div>
          </div>
        ) : null}
        {tab === 'url' ? (
          <div className="field">
            <label htmlFor={`${id}-url`}>{t('webImport.url.label')}</label>
            <p className="muted small">{t('webImport.url.hint')}</p>
            <input
              id={`${id}-url`}
              type="url"
              placeholder="https://"
              value={pageUrl}
              onChange={(event) => setPageUrl(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === 'Enter' && !busy) void importPage();
              }}
              disabled={busy}
            />
            <div className="button-row">
              <button type="button" className="primary" disabled={busy || !pageUrl.trim()} onClick={() => void importPage()}>
                {running ? t('webImport.url.fetching') : t('webImport.url.submit')}
              </button>
            </div>
          </div>
        ) : null}
        {tab === 'migrate' ? <MigrationPanel onImported={onImported} /> : null}
        {tab === 'files' || tab === 'folder' ? (
          <div className="field">
            <label htmlFor={`${id}-${tab}`}>{t(`importDialog.${tab}.label`)}</label>
            <p className="muted small">{t(`importDialog.${tab}.hint`)}</p>
            {/* Keyed by tab: the folder picker's directory mode must not stay on the files picker. */}
            <FileInput
              key={tab}
              id={`${id}-${tab}`}
              ref={tab === 'folder' ? folderRef : undefined}
              multiple
              accept={tab === 'files' ? '.txt,.text,.html,.htm,.docx,.doc,.wps' : undefined}
              disabled={busy}
              onFiles={(files) => pickFiles(files, tab === 'folder')}
            />
          </div>
        ) : null}
      </div>

      {progress ? (
        <div className="import-progress">
          <progress value={progress.done} max={Math.max(progress.total, 1)} aria-label={t('importDialog.progress')} />
          <p role="status">
            {progress.current
              ? t('importDialog.progress.current', { done: progress.done + 1, total: progress.total, name: progress.current })
              : t('importDialog.progress.finished', { done: progress.done, total: progress.total })}
          </p>
          {running ? (
            <button type="button" onClick={() => (stopRef.current = true)}>
              {t('importDialog.stop')}
            </button>
          ) : null}
        </div>
      ) : null}

      {summary && outcomes ? (
        <section className="import-summary" aria-label={t('importDialog.summary')}>
          <h3>
            {summary.duplicates > 0
              ? t('importDialog.summary.lineWithDuplicates', summary)
              : t('importDialog.summary.line', { imported: summary.imported, failed: summary.failed })}
          </h3>
          {skipped.length > 0 ? (
            <p className="muted small">{t('importDialog.skipped', { n: skipped.length, names: skipped.slice(0, 5).join('、') })}</p>
          ) : null}
          {results.length > 0 ? (
            <ul className="import-results">
              {results.map(({ outcome, index }) => (
                <li key={`${outcome.file}-${index}`} className={outcome.ok ? 'import-ok' : 'import-failed'}>
                  {outcome.ok ? <ImportedArticle outcome={outcome} onOpen={open} /> : (
                    <p>
                      <strong>{outcome.file}</strong>：{t('importDialog.failed', { reason: outcome.reason })}
                    </p>
                  )}
                </li>
              ))}
            </ul>
          ) : null}
          {duplicates.length > 0 ? (
            <section className="import-duplicates" aria-label={t('importDialog.duplicates')}>
              <h4>{t('importDialog.duplicates')}</h4>
              <ul className="import-results">
                {duplicates.map(({ outcome, index }) => (
                  <li key={`${outcome.file}-${index}`} className="import-duplicate">
                    <ImportDuplicateRow
                      outcome={outcome}
                      busy={importingAgain === index}
                      locked={importingAgain !== null}
                      onOpen={open}
                      onOpenTrash={() => void openTrash()}
                      onImportAnyway={() => void importAnyway(index)}
                    />
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </section>
      ) : null}
    </Dialog>
  );
}

function ImportedArticle({
  outcome,
  onOpen,
}: {
  outcome: Extract<ImportOutcome, { ok: true }>;
  onOpen(articleId: string): void;
}) {
  const t = useT();
  const { fields } = outcome;
  const uncertain = new Set<string>((fields.uncertain ?? []).map((entry) => entry.field));
  const disclosure = fields.disclosure ?? null;
  // [label, value, the field it is, shown only when the page had it]
  const rows: Array<[string, string, string, boolean]> = [
    [t('meta.title'), fields.title ?? '', 'title', false],
    [t('meta.subtitle'), fields.subtitle ?? '', 'subtitle', false],
    [t('meta.publishDate'), [fields.date, fields.time].filter(Boolean).join(' '), 'date', false],
    [t('meta.source'), fields.source ?? '', 'source', false],
    [t('meta.author'), fields.author ?? '', 'author', false],
    [t('meta.column'), formatColumnPath(fields.column), 'column', false],
    [t('meta.disclosure.publisher'), disclosure?.publisher ?? fields.publisher ?? '', 'publisher', true],
    [t('meta.disclosure.docNo'), disclosure?.docNo ?? '', 'docNo', true],
    [t('meta.disclosure.writtenAt'), disclosure?.writtenAt ?? '', 'writtenAt', true],
    [t('importDialog.indexNo'), disclosure?.indexNo ?? '', 'indexNo', true],
    [t('importDialog.paragraphs'), String(fields.paragraphs.length), 'paragraphs', false],
  ];
  const shown = rows.filter(([, value, , optional]) => value !== '' || !optional);
  const reviewLines = fields.reviewLines ?? [];
  const title = outcome.article.title || fields.title || outcome.file;
  return (
    <article className="imported">
      <header className="imported-head">
        <strong>{title}</strong>
        <span className="muted small">{outcome.file}</span>
        <button type="button" onClick={() => onOpen(outcome.article.id)} aria-label={t('importDialog.open', { title })}>
          {t('importDialog.openShort')}
        </button>
      </header>
      <dl className="recognised">
        {shown.map(([label, value, field]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd className={value ? '' : 'missing'}>
              {value || (uncertain.has(field) ? t('importDialog.uncertain') : t('importDialog.notFound'))}
            </dd>
          </div>
        ))}
        {reviewLines.length > 0 ? (
          <div>
            <dt>{t('importDialog.reviewLines')}</dt>
            <dd>{reviewLines.join('　')}</dd>
          </div>
        ) : null}
      </dl>
      {outcome.warnings.length > 0 ? (
        <div className="import-warnings">
          <h4>{t('importDialog.warnings')}</h4>
          <ul>
            {(outcome.warningMessages?.map((note) => t(note.messageKey, note.params)) ?? outcome.warnings).map((warning) => (
              <li key={warning}>{warning}</li>
            ))}
          </ul>
        </div>
      ) : null}
      {outcome.unrecognised.length > 0 ? (
        <div className="import-unrecognised">
          <h4>{t('importDialog.unrecognised')}</h4>
          <ul>
            {outcome.unrecognised.map((line, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: lines may repeat
              <li key={index}>{line}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </article>
  );
}
