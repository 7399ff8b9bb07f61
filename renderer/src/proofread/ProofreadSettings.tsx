import { useCallback, useEffect, useId, useRef, useState } from 'react';
import { PACK_KINDS, type PackEntry, type PackKind, type RulePack, type RulePackInfo, validateRulePack } from '../../../shared/proofread/packs';
import { ApiError } from '../../../shared/api/errors';
import type { Locale } from '../../../shared/domain/settings';
import { translate } from '../../../shared/i18n';
import { ConfirmDialog } from '../components/Dialog';
import { ErrorBanner } from '../components/ErrorBanner';
import { FileInput } from '../components/FileInput';
import { describeError } from '../state/errors';
import { downloadExportedFile } from '../state/files';
import { pushToast } from '../state/notifications';
import { useLocale, useT } from '../state/settings';
import { packsFromReply, readPackFile } from './pack-io';
import { DefaultUpdatePreview, type PendingUpdate } from './DefaultUpdatePreview';
import type { OptionalPackInfo } from '../../../shared/api/contract';
import { acceptDefaultUpdate, addOptionalPack, deletePack, exportPack, importPack, loadPacks, previewDefaultUpdate, savePack } from './proofread-actions';

type Editing = { pack: RulePack; readOnly: boolean; isNew: boolean; note?: string } | null;

/** 校对规则: the packs in use; defaults are read-only, office packs are edited, imported and exported here. */
export function ProofreadSettings() {
  const t = useT();
  const locale = useLocale();
  const id = useId();
  const [packs, setPacks] = useState<RulePackInfo[] | null>(null);
  const [problems, setProblems] = useState<string[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<RulePack | null>(null);
  const [update, setUpdate] = useState<PendingUpdate | null>(null);
  const [optional, setOptional] = useState<OptionalPackInfo[]>([]);

  const load = useCallback(async () => {
    try {
      const reply = packsFromReply(await loadPacks());
      setPacks(reply.packs);
      setProblems(reply.problems);
      setOptional(reply.optional);
      setLoadError(null);
    } catch (error) {
      setLoadError(t('proof.settings.loadFailed', { detail: describeError(locale, error) }));
    }
  }, [locale, t]);

  useEffect(() => {
    void load();
  }, [load]);

  const save = async (pack: RulePack) => {
    const checked = validateRulePack(pack);
    if (!checked.ok) throw new Error(t('proof.settings.invalid', { detail: checked.message }));
    await savePack(checked.pack);
    await load();
    pushToast('info', t('proof.settings.saved'));
  };

  const onImport = async (file: File) => {
    setMessage(null);
    const read = await readPackFile(file);
    if (!read.ok) return setMessage(t('proof.settings.unreadable', { detail: read.message }));
    try {
      // The services parse and validate JSON and YAML alike, naming the entry at fault.
      const saved = await importPack(read.text, read.format);
      await load();
      pushToast('info', t('proof.settings.imported', { name: saved.pack.name }));
    } catch (error) {
      setMessage(packErrorText(locale, error));
    }
  };

  const onDefaultUpdate = async (file: File) => {
    setMessage(null);
    setUpdate(null);
    const read = await readPackFile(file);
    if (!read.ok) return setMessage(t('proof.settings.unreadable', { detail: read.message }));
    try {
      setUpdate({ text: read.text, format: read.format, preview: await previewDefaultUpdate(read.text, read.format) });
    } catch (error) {
      setMessage(packErrorText(locale, error));
    }
  };

  const acceptUpdate = async (pending: PendingUpdate) => {
    try {
      const saved = await acceptDefaultUpdate(pending.text, pending.format, pending.preview.newVersion);
      setUpdate(null);
      await load();
      pushToast('info', t('proof.settings.updated', { name: saved.pack.name, version: saved.pack.version }));
    } catch (error) {
      setMessage(packErrorText(locale, error));
    }
  };

  const addOptional = async (pack: OptionalPackInfo) => {
    setMessage(null);
    try {
      await addOptionalPack(pack.id);
      await load();
      pushToast('info', t(pack.added === null ? 'proof.settings.optional.done' : 'proof.settings.optional.updated', { name: pack.name, version: pack.version }));
    } catch (error) {
      setMessage(describeError(locale, error));
    }
  };

  const open = (info: RulePackInfo) => {
    // The office's copy of a shipped optional list (tens of thousands of names) opens read-only, like the defaults.
    const copy = info.origin === 'office' && optional.some((pack) => pack.id === info.pack.id);
    setEditing({
      pack: info.pack,
      readOnly: info.origin === 'default' || copy,
      isNew: false,
      ...(copy ? { note: t('proof.settings.optional.readOnly') } : {}),
    });
  };

  const download = async (pack: RulePack) => {
    try {
      downloadExportedFile(await exportPack(pack));
    } catch (error) {
      setMessage(describeError(locale, error));
    }
  };

  return (
    <section className="settings-section" aria-labelledby={`${id}-heading`} data-testid="proof-settings">
      <h2 id={`${id}-heading`}>{t('proof.settings.heading')}</h2>
      <p className="muted">{t('proof.settings.intro')}</p>
      <ErrorBanner message={loadError} />
      {problems.map((problem) => (
        <p key={problem} className="banner banner-warning" role="alert">
          {problem}
        </p>
      ))}
      <ErrorBanner message={message} testId="proof-settings-error" />
      <div className="button-row">
        <button
          type="button"
          onClick={() =>
            setEditing({
              pack: { id: `office-${Date.now().toString(36)}`, name: '', kind: 'sensitive', source: '', version: '1', entries: [] },
              readOnly: false,
              isNew: true,
            })
          }
        >
          {t('proof.settings.new')}
        </button>
        {/* biome-ignore lint/a11y/noLabelWithoutControl: the FileInput inside is the control (an <input type="file">) */}
        <label className="button-like">
          {t('proof.settings.import')}
          <FileInput
            accept=".json,.yaml,.yml,application/json"
            className="visually-hidden"
            onFiles={([file]) => void onImport(file)}
          />
        </label>
        {/* biome-ignore lint/a11y/noLabelWithoutControl: the FileInput inside is the control (an <input type="file">) */}
        <label className="button-like">
          {t('proof.settings.updateDefault')}
          <FileInput
            accept=".json,.yaml,.yml,application/json"
            className="visually-hidden"
            onFiles={([file]) => void onDefaultUpdate(file)}
          />
        </label>
      </div>
      {update ? <DefaultUpdatePreview pending={update} onAccept={() => void acceptUpdate(update)} onCancel={() => setUpdate(null)} /> : null}
      {packs ? (
        <table className="data-table">
          <thead>
            <tr>
              <th>{t('proof.settings.name')}</th>
              <th>{t('proof.settings.kind')}</th>
              <th />
              <th />
            </tr>
          </thead>
          <tbody>
            {packs.map((info) => (
              <tr key={`${info.origin}-${info.pack.id}`} data-testid="proof-pack">
                <td>
                  <strong>{info.pack.name}</strong>{' '}
                  <span className="muted">
                    {info.origin === 'default' ? t('proof.settings.default') : t('proof.settings.office')} ·{' '}
                    {t('proof.settings.entries', { n: info.pack.entries.length })}
                  </span>
                  <div className="muted">{t('proof.settings.source', { source: info.pack.source })}</div>
                </td>
                <td>{t(`proof.settings.kind.${info.pack.kind}`)}</td>
                <td>
                  <button type="button" onClick={() => open(info)}>
                    {info.origin === 'default' || optional.some((pack) => pack.id === info.pack.id) ? t('proof.settings.view') : t('proof.settings.edit')}
                  </button>{' '}
                  <button type="button" onClick={() => void download(info.pack)}>
                    {t('proof.settings.export')}
                  </button>
                </td>
                <td>
                  {info.origin === 'office' ? (
                    <button type="button" className="danger" onClick={() => setDeleting(info.pack)}>
                      {t('proof.settings.delete')}
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {optional.length > 0 ? (
        <section aria-labelledby={`${id}-optional`} data-testid="proof-optional">
          <h3 id={`${id}-optional`}>{t('proof.settings.optional.heading')}</h3>
          <p className="muted">{t('proof.settings.optional.intro')}</p>
          <ul className="optional-packs">
            {optional.map((pack) => (
              <li key={pack.id} data-testid="proof-optional-pack">
                <strong>{pack.name}</strong> <span className="muted">{t('proof.settings.entries', { n: pack.entries })}</span>
                <div className="muted">{t('proof.settings.source', { source: pack.source })}</div>
                <div>
                  {pack.added === null
                    ? t('proof.settings.optional.notAdded')
                    : pack.added === pack.version
                      ? t('proof.settings.optional.added', { version: pack.added })
                      : t('proof.settings.optional.outdated', { added: pack.added, version: pack.version })}{' '}
                  {pack.added === pack.version ? null : (
                    <button type="button" onClick={() => void addOptional(pack)}>
                      {pack.added === null ? t('proof.settings.optional.add') : t('proof.settings.optional.update', { version: pack.version })}
                    </button>
                  )}
                </div>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {editing ? (
        <PackEditor
          key={editing.pack.id}
          initial={editing.pack}
          note={editing.note}
          readOnly={editing.readOnly}
          kindEditable={editing.isNew}
          onSave={async (pack) => {
            await save(pack);
            setEditing(null);
          }}
          onClose={() => setEditing(null)}
        />
      ) : null}
      {deleting ? (
        <ConfirmDialog
          title={t('proof.settings.delete')}
          message={t('proof.settings.deleteConfirm', { name: deleting.name })}
          confirmLabel={t('proof.settings.delete')}
          danger
          onConfirm={() => {
            const pack = deleting;
            setDeleting(null);
            deletePack(pack).then(
              () => void load(),
              (error: unknown) => setMessage(describeError(locale, error)),
            );
          }}
          onCancel={() => setDeleting(null)}
        />
      ) : null}
    </section>
  );
}

/** A validation refusal carries the services' own message (规则包有误：…): show it as is; anything else says the pack was refused. */
function packErrorText(locale: Locale, error: unknown): string {
  if (error instanceof ApiError && error.code === 'invalid_request') return error.detail;
  return translate(locale, 'proof.settings.invalid', { detail: describeError(locale, error) });
}

/** Edits one pack's name, source and entries in a plain table; defaults open read-only. */
function PackEditor(props: {
  initial: RulePack;
  /** Why the pack opens read-only, when it is not a default. */
  note?: string | undefined;
  readOnly: boolean;
  kindEditable: boolean;
  onSave(pack: RulePack): Promise<void>;
  onClose(): void;
}) {
  const t = useT();
  const locale = useLocale();
  const id = useId();
  const [pack, setPack] = useState<RulePack>(props.initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [filter, setFilter] = useState('');
  const frame = useRef<HTMLFieldSetElement>(null);
  // The editor opens under the list of packs, often below the window's edge: bring it into view and put focus in it.
  useEffect(() => {
    frame.current?.scrollIntoView?.({ block: 'start' });
    frame.current?.focus({ preventScroll: true });
  }, []);
  const { readOnly } = props;
  // A pack of tens of thousands of entries would be as many rows of inputs: a page of them, found by a search.
  const wanted = filter.trim();
  const matching: number[] = [];
  for (const [index, entry] of pack.entries.entries()) {
    if (!wanted || entry.text.includes(wanted) || entry.suggestion?.includes(wanted) || entry.note?.includes(wanted)) matching.push(index);
  }
  const shown = matching.slice(0, EDITOR_ROWS);

  const setEntry = (index: number, change: Partial<PackEntry>) =>
    setPack((current) => ({
      ...current,
      entries: current.entries.map((entry, at) => (at === index ? dropEmpty({ ...entry, ...change }) : entry)),
    }));

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await props.onSave({ ...pack, entries: pack.entries.filter((entry) => entry.text.trim() !== '') });
    } catch (caught) {
      setError(caught instanceof ApiError ? packErrorText(locale, caught) : caught instanceof Error ? caught.message : String(caught));
      setBusy(false);
    }
  };

  return (
    <fieldset ref={frame} tabIndex={-1} className="plain-fieldset proof-pack-editor" disabled={busy} data-testid="proof-pack-editor">
      <legend>{pack.name || t('proof.settings.new')}</legend>
      {props.note ? <p className="muted">{props.note}</p> : null}
      <span className="field-pair">
        <label htmlFor={`${id}-name`}>{t('proof.settings.name')}</label>
        <input id={`${id}-name`} value={pack.name} readOnly={readOnly} onChange={(event) => setPack({ ...pack, name: event.target.value })} />
      </span>
      <span className="field-pair">
        <label htmlFor={`${id}-kind`}>{t('proof.settings.kind')}</label>
        <select
          id={`${id}-kind`}
          value={pack.kind}
          disabled={readOnly || !props.kindEditable}
          onChange={(event) => setPack({ ...pack, kind: event.target.value as PackKind })}
        >
          {PACK_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {t(`proof.settings.kind.${kind}`)}
            </option>
          ))}
        </select>
      </span>
      <span className="field-pair">
        <label htmlFor={`${id}-source`}>{t('proof.settings.source', { source: '' })}</label>
        <input id={`${id}-source`} value={pack.source} readOnly={readOnly} onChange={(event) => setPack({ ...pack, source: event.target.value })} />
      </span>
      {pack.entries.length > EDITOR_ROWS ? (
        <span className="field-pair">
          <label htmlFor={`${id}-filter`}>{t('proof.settings.findEntry')}</label>
          <input id={`${id}-filter`} type="search" value={filter} onChange={(event) => setFilter(event.target.value)} />
          <span className="muted" role="status">
            {t('proof.settings.rowsShown', { shown: shown.length, matching: matching.length, total: pack.entries.length })}
          </span>
        </span>
      ) : null}
      <table className="data-table proof-pack-table">
        <thead>
          <tr>
            <th>{t('proof.settings.col.term')}</th>
            <th>{t('proof.settings.col.replacement')}</th>
            {pack.kind === 'outdated' ? <th>{t('proof.settings.col.since')}</th> : null}
            <th>{t('proof.settings.col.note')}</th>
            {readOnly ? null : <th />}
          </tr>
        </thead>
        <tbody>
          {shown.map((index) => {
            const entry = pack.entries[index] as PackEntry;
            // Rows have no identity beyond their place in the pack while being edited.
            return (
            <tr key={index}>
              <td>
                <input aria-label={t('proof.settings.col.term')} value={entry.text} readOnly={readOnly} onChange={(event) => setEntry(index, { text: event.target.value })} />
              </td>
              <td>
                <input
                  aria-label={t('proof.settings.col.replacement')}
                  value={entry.suggestion ?? ''}
                  readOnly={readOnly}
                  onChange={(event) => setEntry(index, { suggestion: event.target.value })}
                />
              </td>
              {pack.kind === 'outdated' ? (
                <td>
                  <input
                    aria-label={t('proof.settings.col.since')}
                    placeholder="YYYY-MM-DD"
                    value={entry.since ?? ''}
                    readOnly={readOnly}
                    onChange={(event) => setEntry(index, { since: event.target.value })}
                  />
                </td>
              ) : null}
              <td>
                <input aria-label={t('proof.settings.col.note')} value={entry.note ?? ''} readOnly={readOnly} onChange={(event) => setEntry(index, { note: event.target.value })} />
              </td>
              {readOnly ? null : (
                <td>
                  <button
                    type="button"
                    onClick={() => setPack({ ...pack, entries: pack.entries.filter((_, at) => at !== index) })}
                  >
                    {t('proof.settings.removeRow')}
                  </button>
                </td>
              )}
            </tr>
            );
          })}
        </tbody>
      </table>
      <ErrorBanner message={error} testId="proof-pack-error" />
      <div className="button-row">
        {readOnly ? null : (
          // A new row goes first, so it is in view however long the pack.
          <button
            type="button"
            onClick={() => {
              setFilter('');
              setPack({ ...pack, entries: [{ text: '' }, ...pack.entries] });
            }}
          >
            {t('proof.settings.addRow')}
          </button>
        )}
        <button type="button" onClick={props.onClose}>
          {t('proof.settings.cancel')}
        </button>
        {readOnly ? null : (
          <button type="button" className="primary" onClick={() => void submit()}>
            {t('proof.settings.save')}
          </button>
        )}
      </div>
    </fieldset>
  );
}

/** Rows of a pack shown at once in the editor; the search finds the others. */
const EDITOR_ROWS = 200;

/** Empty optional cells mean "not set", not an empty string the schema would reject (a since of ''). */
function dropEmpty(entry: PackEntry): PackEntry {
  const next: PackEntry = { text: entry.text };
  if (entry.suggestion) next.suggestion = entry.suggestion;
  if (entry.severity) next.severity = entry.severity;
  if (entry.since) next.since = entry.since;
  if (entry.note) next.note = entry.note;
  return next;
}
