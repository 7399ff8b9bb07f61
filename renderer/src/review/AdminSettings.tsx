import { useCallback, useEffect, useRef, useState } from 'react';
import type { PersonKeyView, PersonSummary } from '../../../shared/api/contract';
import { ROLES, type ReviewChain } from '../../../shared/workflow/review-chain';
import { DataTable } from '../components/DataTable';
import { Dialog } from '../components/Dialog';
import { DialogButtons } from '../components/DialogButtons';
import { Field, FieldError } from '../components/Field';
import { FileInput } from '../components/FileInput';
import { InlineCheck } from '../components/InlineCheck';
import { formatLocalMinute } from '../state/datetime';
import { downloadExportedFile } from '../state/files';
import { pushToast } from '../state/notifications';
import { loadSession, newPasswordProblem } from '../state/session';
import { useLocale, useT } from '../state/settings';
import {
  addStage,
  chainProblem,
  correctionChoice,
  moveStage,
  removeStage,
  STAGE_ROLES,
  setCorrectionChoice,
  toggle,
  updateStage,
} from './chain-edit';
import {
  exportTrustedKeys,
  importTrustedKeys,
  keysOf,
  listKeys,
  listPeople,
  loadOfficeChain,
  type PersonForm,
  resetPassword,
  revokeKey,
  saveOfficeChain,
  savePerson,
  shortKeyId,
} from './people-admin';
import { TextPromptDialog } from './ReviewDialogs';
import { reviewErrorText } from './review-errors';

function PersonDialog({ initial, onSaved, onClose }: { initial: PersonForm; onSaved(): void; onClose(): void }) {
  const t = useT();
  const locale = useLocale();
  const [form, setForm] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const creating = initial.id === undefined;

  const save = async () => {
    if (!form.name.trim()) return setError(t('auth.error.nameRequired'));
    if (form.roles.length === 0) return setError(t('people.error.noRole'));
    const passwordProblem = creating ? newPasswordProblem(t, form.password) : null;
    if (passwordProblem) return setError(passwordProblem);
    setBusy(true);
    setError(null);
    try {
      await savePerson(form);
      onSaved();
    } catch (caught) {
      setError(reviewErrorText(locale, caught));
      setBusy(false);
    }
  };

  return (
    <Dialog
      title={creating ? t('people.add') : t('people.edit', { name: initial.name })}
      onClose={onClose}
      size="small"
      footer={<DialogButtons confirmLabel={t('people.save')} busy={busy} onConfirm={() => void save()} onCancel={onClose} />}
    >
      <Field label={t('auth.name')}>
        {(control) => <input {...control} value={form.name} onChange={(e) => setForm({ ...form, name: e.target.value })} data-autofocus />}
      </Field>
      <Field label={t('auth.unit')}>
        {(control) => <input {...control} value={form.unit} onChange={(e) => setForm({ ...form, unit: e.target.value })} />}
      </Field>
      <fieldset className="plain-fieldset">
        <legend>{t('people.roles')}</legend>
        {ROLES.map((role) => (
          <InlineCheck
            key={role}
            label={t(`people.role.${role}`)}
            checked={form.roles.includes(role)}
            onChange={(on) => setForm({ ...form, roles: toggle(form.roles, role, on) })}
          />
        ))}
      </fieldset>
      {creating ? (
        <Field label={t('people.initialPassword')}>
          {(control) => (
            <input
              {...control}
              type="password"
              autoComplete="new-password"
              value={form.password}
              onChange={(e) => setForm({ ...form, password: e.target.value })}
            />
          )}
        </Field>
      ) : (
        <InlineCheck label={t('people.active')} checked={form.active} onChange={(active) => setForm({ ...form, active })} />
      )}
      <FieldError message={error} />
    </Dialog>
  );
}

function ResetPasswordDialog({ person, onDone, onClose }: { person: PersonSummary; onDone(): void; onClose(): void }) {
  const t = useT();
  const locale = useLocale();
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);

  const save = async () => {
    const passwordProblem = newPasswordProblem(t, password);
    if (passwordProblem) return setError(passwordProblem);
    try {
      await resetPassword(person, password);
      pushToast('info', t('people.passwordReset', { name: person.name }));
      onDone();
    } catch (caught) {
      setError(reviewErrorText(locale, caught));
    }
  };

  return (
    <Dialog
      title={t('people.resetPassword')}
      onClose={onClose}
      size="small"
      footer={<DialogButtons confirmLabel={t('people.save')} onConfirm={() => void save()} onCancel={onClose} />}
    >
      <Field label={t('people.newPasswordFor', { name: person.name })}>
        {(control) => (
          <input
            {...control}
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            data-autofocus
          />
        )}
      </Field>
      <FieldError message={error} />
    </Dialog>
  );
}

function displayTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : formatLocalMinute(date);
}

/** A person's keys: short id, from when valid, when and why revoked; a button to revoke one still in use. */
function PersonKeys({ person, keys, onRevoke }: { person: PersonSummary; keys: PersonKeyView[]; onRevoke(key: PersonKeyView): void }) {
  const t = useT();
  if (keys.length === 0) return <span className="muted">{t('people.key.none')}</span>;
  return (
    <ul className="person-keys">
      {keys.map((key) => (
        <li key={key.keyId} data-testid="person-key" data-revoked={key.revokedAt !== null}>
          <code title={key.keyId}>{shortKeyId(key.keyId)}</code>{' '}
          <span className="small">
            {key.validFrom ? t('people.key.validFrom', { time: displayTime(key.validFrom) }) : t('people.key.pending')}
          </span>
          {key.revokedAt ? (
            <span className="small muted"> · {t('people.key.revoked', { time: displayTime(key.revokedAt), reason: key.revokedReason })}</span>
          ) : (
            <>
              {' '}
              <button
                type="button"
                className="small danger"
                aria-label={t('people.revokeKey.label', { name: person.name, keyId: shortKeyId(key.keyId) })}
                onClick={() => onRevoke(key)}
              >
                {t('people.revokeKey')}
              </button>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

function ChainEditor({ people }: { people: PersonSummary[] }) {
  const t = useT();
  const locale = useLocale();
  const [chain, setChain] = useState<ReviewChain | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    loadOfficeChain().then(setChain, (caught: unknown) => setError(reviewErrorText(locale, caught)));
  }, [locale]);

  if (!chain) return error ? <p className="field-error">{error}</p> : <p className="muted">{t('common.loading')}</p>;

  const save = async () => {
    const problem = chainProblem(chain);
    if (problem) return setError(t(`chain.error.${problem.key}`, { stage: problem.stage }));
    setError(null);
    try {
      setChain(await saveOfficeChain(chain));
      pushToast('info', t('chain.saved'));
    } catch (caught) {
      setError(reviewErrorText(locale, caught));
    }
  };

  return (
    <section className="settings-section">
      <h2>{t('chain.heading')}</h2>
      <p className="small muted">{t('chain.help')}</p>
      <ol className="chain-stages">
        {chain.stages.map((stage, index) => (
          <li key={stage.id} className="chain-stage">
            <fieldset className="plain-fieldset">
              <legend className="sr-only">{t('chain.stage', { n: index + 1 })}</legend>
              <label className="field-pair">
                {t('chain.stageName', { n: index + 1 })}
                <input value={stage.name} onChange={(e) => setChain(updateStage(chain, index, { name: e.target.value }))} />
              </label>
              <span className="small">{t('chain.roles')}</span>
              {STAGE_ROLES.map((role) => (
                <InlineCheck
                  key={role}
                  label={t(`people.role.${role}`)}
                  checked={stage.roles.includes(role)}
                  onChange={(on) => setChain(updateStage(chain, index, { roles: toggle(stage.roles, role, on) }))}
                />
              ))}
              <details>
                <summary className="small">{t('chain.people', { n: stage.people.length })}</summary>
                {people
                  .filter((person) => person.active)
                  .map((person) => (
                    <InlineCheck
                      key={person.id}
                      label={person.name}
                      checked={stage.people.includes(person.id)}
                      onChange={(on) => setChain(updateStage(chain, index, { people: toggle(stage.people, person.id, on) }))}
                    />
                  ))}
              </details>
              <InlineCheck
                label={t('chain.mayEdit')}
                checked={stage.mayEdit}
                onChange={(mayEdit) => setChain(updateStage(chain, index, { mayEdit }))}
              />
              <span className="row-actions">
                <button type="button" disabled={index === 0} onClick={() => setChain(moveStage(chain, index, -1))}>
                  {t('chain.up')}
                </button>
                <button
                  type="button"
                  disabled={index === chain.stages.length - 1}
                  onClick={() => setChain(moveStage(chain, index, 1))}
                >
                  {t('chain.down')}
                </button>
                <button
                  type="button"
                  className="danger"
                  disabled={chain.stages.length <= 1}
                  onClick={() => setChain(removeStage(chain, index))}
                >
                  {t('chain.remove')}
                </button>
              </span>
            </fieldset>
          </li>
        ))}
      </ol>
      <InlineCheck
        label={t('chain.distinct')}
        checked={chain.distinctReviewers}
        onChange={(distinctReviewers) => setChain({ ...chain, distinctReviewers })}
      />
      <label className="field-pair">
        {t('chain.onCorrection')}
        <select value={correctionChoice(chain)} onChange={(e) => setChain(setCorrectionChoice(chain, e.target.value))}>
          <option value="keep">{t('chain.onCorrection.keep')}</option>
          {chain.stages.map((stage) => (
            <option key={stage.id} value={`returnTo:${stage.id}`}>
              {t('chain.onCorrection.returnTo', { stage: stage.name })}
            </option>
          ))}
          {correctionChoice(chain) === 'missing' ? (
            <option value="missing" disabled>
              {t('chain.onCorrection.missing')}
            </option>
          ) : null}
        </select>
      </label>
      <FieldError message={error} />
      <div className="button-row">
        <button type="button" onClick={() => setChain(addStage(chain, t('chain.newStage')))}>
          {t('chain.add')}
        </button>
        <button type="button" className="primary" onClick={() => void save()}>
          {t('chain.save')}
        </button>
      </div>
    </section>
  );
}

function TrustedKeys() {
  const t = useT();
  const locale = useLocale();
  const picker = useRef<HTMLInputElement>(null);
  const [message, setMessage] = useState<{ error: boolean; text: string } | null>(null);

  const exportKeys = async () => {
    try {
      downloadExportedFile(await exportTrustedKeys());
    } catch (caught) {
      setMessage({ error: true, text: reviewErrorText(locale, caught) });
    }
  };

  const importKeys = async (file: File) => {
    try {
      const result = await importTrustedKeys(await file.text());
      setMessage({ error: false, text: t('keys.imported', { added: result.added, total: result.total }) });
    } catch (caught) {
      setMessage({ error: true, text: reviewErrorText(locale, caught) });
    }
  };

  return (
    <section className="settings-section">
      <h2>{t('keys.heading')}</h2>
      <p className="small muted">{t('keys.help')}</p>
      <div className="button-row">
        <button type="button" onClick={() => void exportKeys()}>
          {t('keys.export')}
        </button>
        <button type="button" onClick={() => picker.current?.click()}>
          {t('keys.import')}
        </button>
        <FileInput
          ref={picker}
          hidden
          aria-label={t('keys.import')}
          accept=".json,application/json,text/plain"
          onFiles={([file]) => void importKeys(file)}
        />
      </div>
      {message ? (
        <p className={message.error ? 'field-error' : 'small'} role={message.error ? 'alert' : 'status'}>
          {message.text}
        </p>
      ) : null}
    </section>
  );
}

/** People, roles, the review chain and the trusted keys: the administrator's part of Settings. */
export function AdminSettings() {
  const t = useT();
  const locale = useLocale();
  const [people, setPeople] = useState<PersonSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [editing, setEditing] = useState<PersonForm | null>(null);
  const [resetting, setResetting] = useState<PersonSummary | null>(null);
  const [keys, setKeys] = useState<PersonKeyView[]>([]);
  const [keysError, setKeysError] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<{ person: PersonSummary; key: PersonKeyView } | null>(null);

  const reload = useCallback(async () => {
    try {
      setPeople(await listPeople());
      setError(null);
    } catch (caught) {
      setError(reviewErrorText(locale, caught));
    }
    // The keys come from the signed policy: if it cannot be read, say so, and still list the people.
    try {
      setKeys(await listKeys());
      setKeysError(null);
    } catch (caught) {
      setKeys([]);
      setKeysError(t('people.key.keysError', { detail: reviewErrorText(locale, caught) }));
    }
  }, [locale, t]);

  useEffect(() => {
    void reload();
  }, [reload]);

  return (
    <>
      <section className="settings-section">
        <h2>{t('people.heading')}</h2>
        <FieldError message={error} />
        <FieldError message={keysError} />
        {people ? (
          <DataTable
            label={t('people.heading')}
            headings={[
              t('auth.name'),
              t('auth.unit'),
              t('people.roles'),
              t('people.state'),
              t('people.keys'),
              <span key="actions" className="sr-only">
                {t('people.actions')}
              </span>,
            ]}
          >
            {people.map((person) => (
              <tr key={person.id}>
                <td>{person.name}</td>
                <td>{person.unit}</td>
                <td>{person.roles.map((role) => t(`people.role.${role}`)).join(t('review.ui.listSeparator'))}</td>
                <td>{person.active ? t('people.active') : t('people.inactive')}</td>
                <td>
                  <PersonKeys person={person} keys={keysOf(keys, person.id)} onRevoke={(key) => setRevoking({ person, key })} />
                </td>
                <td className="row-actions">
                  <button
                    type="button"
                    onClick={() => setEditing({ ...person, password: '' })}
                    aria-label={t('people.edit', { name: person.name })}
                  >
                    {t('people.editShort')}
                  </button>
                  <button type="button" onClick={() => setResetting(person)}>
                    {t('people.resetPassword')}
                  </button>
                </td>
              </tr>
            ))}
          </DataTable>
        ) : null}
        <div className="button-row">
          <button
            type="button"
            className="primary"
            onClick={() => setEditing({ name: '', unit: '', roles: ['writer'], active: true, password: '' })}
          >
            {t('people.add')}
          </button>
        </div>
      </section>
      <ChainEditor people={people ?? []} />
      <TrustedKeys />
      {editing ? (
        <PersonDialog
          initial={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            void reload();
            // The sign-in picker and the top bar show names and roles too.
            void loadSession();
          }}
        />
      ) : null}
      {resetting ? (
        <ResetPasswordDialog
          person={resetting}
          onClose={() => setResetting(null)}
          onDone={() => {
            setResetting(null);
            // A reset issues a new key and revokes the old one.
            void reload();
          }}
        />
      ) : null}
      {revoking ? (
        <TextPromptDialog
          title={t('people.revokeKey.title')}
          intro={t('people.revokeKey.intro', { name: revoking.person.name, keyId: shortKeyId(revoking.key.keyId) })}
          label={t('people.revokeKey.reason')}
          confirmLabel={t('people.revokeKey.confirm')}
          required
          requiredMessage={t('people.revokeKey.reasonRequired')}
          danger
          onConfirm={async (reason) => {
            await revokeKey(revoking.key, reason);
            pushToast('info', t('people.revokeKey.done', { name: revoking.person.name, keyId: shortKeyId(revoking.key.keyId) }));
            setRevoking(null);
            await reload();
            // Revoking one's own key ends one's own session too.
            void loadSession();
          }}
          onClose={() => setRevoking(null)}
        />
      ) : null}
    </>
  );
}
