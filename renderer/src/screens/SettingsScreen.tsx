import { useId, useState } from 'react';
import { type ColumnNode, type Locale, LOCALES, type Settings } from '../../../shared/domain/settings';
import { ConfirmDialog } from '../components/Dialog';
import { FieldError } from '../components/Field';
import {
  addColumn,
  moveColumn,
  namesAt,
  removeColumn,
  renameColumn,
  type TreeEditResult,
  type TreePath,
} from '../state/column-tree';
import { editUnit, moveItem, removeItem } from '../state/lists';
import { SiteSettings } from '../publish/SiteSettings';
import { AdminSettings } from '../review/AdminSettings';
import { ProofreadSettings } from '../proofread/ProofreadSettings';
import { hasRole, useCurrentPerson } from '../state/session';
import { chooseLocale, useLocale, useSettings, useT } from '../state/settings';
import { saveOfficeSettings } from '../state/settings-actions';

const LOCALE_NAMES: Record<Locale, string> = { 'zh-CN': '中文（简体）', en: 'English' };

/** Language, the site's column tree and the list of source units. */
export function SettingsScreen() {
  const t = useT();
  const settings = useSettings();
  const locale = useLocale();
  const person = useCurrentPerson();
  const id = useId();
  return (
    <section className="screen settings-screen" aria-labelledby={`${id}-heading`}>
      <div className="screen-toolbar">
        <h1 id={`${id}-heading`}>{t('settings.heading')}</h1>
      </div>
      <section className="settings-section">
        <h2>{t('settings.language')}</h2>
        <span className="field-pair">
          <label htmlFor={`${id}-locale`}>{t('settings.language.label')}</label>
          <select
            id={`${id}-locale`}
            value={locale}
            onChange={(event) => chooseLocale(event.target.value as Locale)}
          >
            {LOCALES.map((locale) => (
              <option key={locale} value={locale} lang={locale}>
                {LOCALE_NAMES[locale]}
              </option>
            ))}
          </select>
        </span>
      </section>
      <ColumnTreeEditor settings={settings} />
      <UnitsEditor settings={settings} />
      {hasRole(person, 'admin') ? <SignoffSettings settings={settings} /> : null}
      {hasRole(person, 'admin') ? <AdminSettings /> : null}
      {hasRole(person, 'admin') ? <SiteSettings /> : null}
      {hasRole(person, 'admin') ? <ProofreadSettings /> : null}
    </section>
  );
}

/** How the 审核表 prints: the office's name heading it, the 保密审查 row, the appended text. */
function SignoffSettings({ settings }: { settings: Settings }) {
  const t = useT();
  const id = useId();
  const [officeName, setOfficeName] = useState(settings.signoff.officeName);
  const save = (change: Partial<Settings['signoff']>) => saveOfficeSettings({ ...settings, signoff: { ...settings.signoff, ...change } });
  return (
    <section className="settings-section" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('settings.signoff')}</h2>
      <form
        className="field-pair"
        onSubmit={(event) => {
          event.preventDefault();
          void save({ officeName: officeName.trim() });
        }}
      >
        <label htmlFor={`${id}-office`}>{t('settings.signoff.officeName')}</label>
        <input id={`${id}-office`} value={officeName} maxLength={100} placeholder={t('settings.signoff.officeNameHint')} onChange={(event) => setOfficeName(event.target.value)} />
        <button type="submit" disabled={officeName.trim() === settings.signoff.officeName}>
          {t('settings.signoff.save')}
        </button>
      </form>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={settings.signoff.confidentialityReview}
          onChange={(event) => void save({ confidentialityReview: event.target.checked })}
        />
        {t('settings.signoff.confidentiality')}
      </label>
      <label className="checkbox">
        <input type="checkbox" checked={settings.signoff.appendText} onChange={(event) => void save({ appendText: event.target.checked })} />
        {t('settings.signoff.appendText')}
      </label>
    </section>
  );
}

type ColumnEdit = { mode: 'add' | 'rename'; path: TreePath } | null;

function ColumnTreeEditor({ settings }: { settings: Settings }) {
  const t = useT();
  const id = useId();
  const [edit, setEdit] = useState<ColumnEdit>(null);
  const [name, setName] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<TreePath | null>(null);
  const tree = settings.columns;

  const apply = async (result: TreeEditResult): Promise<boolean> => {
    if (!result.ok) {
      setError(t(`settings.columns.error.${result.error}`));
      return false;
    }
    setError(null);
    return saveOfficeSettings({ ...settings, columns: result.tree });
  };

  const startEdit = (next: NonNullable<ColumnEdit>) => {
    setEdit(next);
    setError(null);
    setName(next.mode === 'rename' ? (namesAt(tree, next.path).at(-1) ?? '') : '');
  };

  const submit = async () => {
    if (!edit) return;
    const result = edit.mode === 'add' ? addColumn(tree, edit.path, name) : renameColumn(tree, edit.path, name);
    if (await apply(result)) setEdit(null);
  };

  const form = (
    <form
      className="inline-form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <label htmlFor={`${id}-name`}>{t('settings.columns.name')}</label>
      <input
        id={`${id}-name`}
        value={name}
        autoFocus
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        onChange={(event) => setName(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') setEdit(null);
        }}
      />
      <button type="submit" className="primary">
        {t('common.ok')}
      </button>
      <button type="button" onClick={() => setEdit(null)}>
        {t('common.cancel')}
      </button>
      <FieldError id={`${id}-error`} message={error} />
    </form>
  );

  const samePath = (a: TreePath, b: TreePath) => a.length === b.length && a.every((value, i) => value === b[i]);

  const renderNodes = (nodes: ColumnNode[], parent: TreePath) => (
    <ul className={parent.length === 0 ? 'tree' : 'tree-children'}>
      {nodes.map((node, index) => {
        const path = [...parent, index];
        const editingHere = edit?.mode === 'rename' && samePath(edit.path, path);
        const addingHere = edit?.mode === 'add' && samePath(edit.path, path);
        return (
          <li key={node.name}>
            <div className="tree-row">
              {editingHere ? (
                form
              ) : (
                <>
                  <span className="tree-name">{node.name}</span>
                  <span className="row-actions">
                    <button
                      type="button"
                      className="small"
                      aria-label={t('settings.columns.addChildOf', { name: node.name })}
                      onClick={() => startEdit({ mode: 'add', path })}
                    >
                      {t('settings.columns.addChild')}
                    </button>
                    <button
                      type="button"
                      className="small"
                      aria-label={t('settings.columns.renameNamed', { name: node.name })}
                      onClick={() => startEdit({ mode: 'rename', path })}
                    >
                      {t('settings.columns.rename')}
                    </button>
                    <button
                      type="button"
                      className="icon-button"
                      aria-label={t('settings.columns.moveUp', { name: node.name })}
                      disabled={index === 0}
                      onClick={() => void apply(moveColumn(tree, path, -1))}
                    >
                      ↑
                    </button>
                    <button
                      type="button"
                      className="icon-button"
                      aria-label={t('settings.columns.moveDown', { name: node.name })}
                      disabled={index === nodes.length - 1}
                      onClick={() => void apply(moveColumn(tree, path, 1))}
                    >
                      ↓
                    </button>
                    <button
                      type="button"
                      className="icon-button danger"
                      aria-label={t('settings.columns.deleteNamed', { name: node.name })}
                      onClick={() => setDeleting(path)}
                    >
                      ×
                    </button>
                  </span>
                </>
              )}
            </div>
            {node.children.length > 0 || addingHere ? (
              <>
                {node.children.length > 0 ? renderNodes(node.children, path) : null}
                {addingHere ? <div className="tree-children">{form}</div> : null}
              </>
            ) : null}
          </li>
        );
      })}
    </ul>
  );

  const deletingNames = deleting ? namesAt(tree, deleting) : [];
  return (
    <section className="settings-section">
      <h2>{t('settings.columns')}</h2>
      <p className="muted">{t('settings.columns.hint')}</p>
      {tree.length > 0 ? renderNodes(tree, []) : <p className="muted">{t('settings.columns.empty')}</p>}
      {edit?.mode === 'add' && edit.path.length === 0 ? (
        form
      ) : (
        <button type="button" onClick={() => startEdit({ mode: 'add', path: [] })}>
          {t('settings.columns.addRoot')}
        </button>
      )}
      {deleting ? (
        <ConfirmDialog
          title={t('settings.columns.delete.title')}
          message={t('settings.columns.delete.message', { path: deletingNames.join(' › ') })}
          confirmLabel={t('common.delete')}
          danger
          onConfirm={() => {
            const path = deleting;
            setDeleting(null);
            void apply(removeColumn(tree, path));
          }}
          onCancel={() => setDeleting(null)}
        />
      ) : null}
    </section>
  );
}

function UnitsEditor({ settings }: { settings: Settings }) {
  const t = useT();
  const id = useId();
  const [draft, setDraft] = useState('');
  const [addError, setAddError] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<number | null>(null);
  const [renameDraft, setRenameDraft] = useState('');
  const [renameError, setRenameError] = useState<string | null>(null);
  const units = settings.units;

  const save = (next: string[]) => saveOfficeSettings({ ...settings, units: next });

  const add = async () => {
    const result = editUnit(units, draft);
    if (!result.ok) {
      setAddError(t(`settings.units.error.${result.error}`));
      return;
    }
    setAddError(null);
    if (await save(result.units)) setDraft('');
  };

  const rename = async (index: number) => {
    const result = editUnit(units, renameDraft, index);
    if (!result.ok) {
      setRenameError(t(`settings.units.error.${result.error}`));
      return;
    }
    setRenameError(null);
    if (await save(result.units)) setRenaming(null);
  };

  return (
    <section className="settings-section">
      <h2>{t('settings.units')}</h2>
      <p className="muted">{t('settings.units.hint')}</p>
      <ul className="unit-list">
        {units.map((unit, index) => (
          <li key={unit} className="tree-row">
            {renaming === index ? (
              <form
                className="inline-form"
                onSubmit={(event) => {
                  event.preventDefault();
                  void rename(index);
                }}
              >
                <label htmlFor={`${id}-rename`}>{t('settings.units.name')}</label>
                <input
                  id={`${id}-rename`}
                  value={renameDraft}
                  autoFocus
                  aria-invalid={renameError ? true : undefined}
                  onChange={(event) => setRenameDraft(event.target.value)}
                />
                <button type="submit" className="primary">
                  {t('common.ok')}
                </button>
                <button type="button" onClick={() => setRenaming(null)}>
                  {t('common.cancel')}
                </button>
                <FieldError message={renameError} />
              </form>
            ) : (
              <>
                <span className="tree-name">{unit}</span>
                <span className="row-actions">
                  <button
                    type="button"
                    className="small"
                    aria-label={t('settings.units.renameNamed', { name: unit })}
                    onClick={() => {
                      setRenaming(index);
                      setRenameDraft(unit);
                      setRenameError(null);
                    }}
                  >
                    {t('settings.columns.rename')}
                  </button>
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={t('settings.units.moveUp', { name: unit })}
                    disabled={index === 0}
                    onClick={() => void save(moveItem(units, index, -1))}
                  >
                    ↑
                  </button>
                  <button
                    type="button"
                    className="icon-button"
                    aria-label={t('settings.units.moveDown', { name: unit })}
                    disabled={index === units.length - 1}
                    onClick={() => void save(moveItem(units, index, 1))}
                  >
                    ↓
                  </button>
                  <button
                    type="button"
                    className="icon-button danger"
                    aria-label={t('settings.units.removeNamed', { name: unit })}
                    onClick={() => void save(removeItem(units, index))}
                  >
                    ×
                  </button>
                </span>
              </>
            )}
          </li>
        ))}
      </ul>
      <form
        className="inline-form"
        onSubmit={(event) => {
          event.preventDefault();
          void add();
        }}
      >
        <label htmlFor={`${id}-new-unit`}>{t('settings.units.new')}</label>
        <input
          id={`${id}-new-unit`}
          value={draft}
          aria-invalid={addError ? true : undefined}
          onChange={(event) => setDraft(event.target.value)}
        />
        <button type="submit">{t('settings.units.add')}</button>
        <FieldError message={addError} />
      </form>
    </section>
  );
}
