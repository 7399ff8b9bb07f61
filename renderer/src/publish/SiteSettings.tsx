import { useCallback, useEffect, useId, useRef, useState } from 'react';
import type { ConnectionTestResult, PublishTargetConfig, SiteConfig, SiteSummary } from '../../../shared/api/contract';
import type { MessageKey } from '../../../shared/i18n';
import { columnKeys, type SiteFooter, type SiteGovernment } from '../../../shared/portal/site';
import { Field } from '../components/Field';
import { SitePicker } from '../components/SitePicker';
import { reviewErrorText } from '../review/review-errors';
import { pushToast } from '../state/notifications';
import { handleSessionLoss } from '../state/session';
import { useLocale, useT } from '../state/settings';
import { newTarget, TARGET_KINDS, type TargetKind, targetProblems, uniqueName } from './publish-logic';
import { defaultSiteId, getSite, listSites, saveSite, setTargetCredential, testTargetConnection } from './sites';

const FOOTER_FIELDS: readonly { field: keyof SiteFooter; key: MessageKey }[] = [
  { field: 'sponsor', key: 'pubui.site.sponsor' },
  { field: 'organizer', key: 'pubui.site.organizer' },
  { field: 'siteCode', key: 'pubui.site.siteCode' },
  { field: 'icp', key: 'pubui.site.icp' },
  { field: 'police', key: 'pubui.site.police' },
  { field: 'phone', key: 'pubui.site.phone' },
  { field: 'email', key: 'pubui.site.email' },
  { field: 'address', key: 'pubui.site.address' },
];

/** Admin: the site profile basics, footer identifiers, publishing targets and their passwords (saved together). */
export function SiteSettings() {
  const t = useT();
  const locale = useLocale();
  const id = useId();
  const [summaries, setSummaries] = useState<SiteSummary[]>([]);
  const [siteId, setSiteId] = useState<string | null>(null);
  const [site, setSite] = useState<SiteConfig | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [addKind, setAddKind] = useState<TargetKind>('static-folder');
  // Ids are edited in the form, so each row keeps its own React key (its password field must stay with it).
  const [rowKeys, setRowKeys] = useState<number[]>([]);
  const nextRowKey = useRef(0);
  // Passwords typed into the target rows, by row key: sent with the next save, never kept in the site.
  const [secrets, setSecrets] = useState<Record<number, string>>({});
  const showSite = useCallback((loaded: SiteConfig) => {
    setSite(loaded);
    setRowKeys(loaded.targets.map(() => nextRowKey.current++));
    setSecrets({});
  }, []);

  const fail = useCallback(
    (caught: unknown) => {
      handleSessionLoss(caught);
      setError(reviewErrorText(locale, caught));
    },
    [locale],
  );

  const loadSummaries = useCallback(async () => {
    try {
      const list = await listSites();
      setSummaries(list);
      setSiteId((current) => current ?? defaultSiteId(list));
    } catch (caught) {
      fail(caught);
    }
  }, [fail]);

  useEffect(() => {
    void loadSummaries();
  }, [loadSummaries]);

  useEffect(() => {
    if (!siteId) return;
    getSite(siteId).then(showSite, fail);
  }, [siteId, fail, showSite]);

  const summary = summaries.find((s) => s.id === siteId) ?? null;
  const problems = site ? targetProblems(site.targets, (key) => t(key)) : [];

  const updateTarget = (index: number, change: Partial<PublishTargetConfig>) => {
    setSite((current) =>
      current
        ? { ...current, targets: current.targets.map((target, i) => (i === index ? ({ ...target, ...change } as PublishTargetConfig) : target)) }
        : current,
    );
  };

  const save = async () => {
    if (!site) return;
    if (problems.length > 0) {
      const first = problems[0];
      if (first) setError(t(first.key, first.params));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const typed = site.targets.flatMap((target, index) => {
        const row = rowKeys[index] ?? -1;
        const secret = secrets[row] ?? '';
        return secret === '' ? [] : [{ row, target, secret }];
      });
      // The site first: a password is stored under its target, which must exist on the other side.
      // The saved site has the same targets in the same order, so rows keep their keys and typed passwords.
      setSite(await saveSite(site));
      let failed: { target: PublishTargetConfig; caught: unknown } | null = null;
      const stored: number[] = [];
      for (const { row, target, secret } of typed) {
        try {
          await setTargetCredential(target, secret);
          stored.push(row);
        } catch (caught) {
          failed ??= { target, caught };
        }
      }
      // A stored password leaves its field (it never comes back); one that failed stays typed, so nothing is lost.
      setSecrets((current) => Object.fromEntries(Object.entries(current).filter(([row]) => !stored.includes(Number(row)))));
      if (failed) {
        handleSessionLoss(failed.caught);
        setError(t('pubui.site.credentialFailed', { target: failed.target.label, detail: reviewErrorText(locale, failed.caught) }));
      } else {
        pushToast('info', t(typed.length > 0 ? 'pubui.site.savedWithPasswords' : 'pubui.site.saved'));
      }
      await loadSummaries();
    } catch (caught) {
      fail(caught);
    } finally {
      setBusy(false);
    }
  };

  if (!site) {
    return (
      <section className="settings-section" aria-labelledby={`${id}-heading`}>
        <h2 id={`${id}-heading`}>{t('pubui.site.heading')}</h2>
        {error ? (
          <div className="banner banner-error" role="alert">
            {error}
          </div>
        ) : (
          <p className="muted">{t('common.loading')}</p>
        )}
      </section>
    );
  }

  const text = (label: MessageKey, value: string, onChange: (value: string) => void, type = 'text') => (
    <Field key={label} label={t(label)}>
      {(control) => <input {...control} type={type} value={value} onChange={(event) => onChange(event.target.value)} />}
    </Field>
  );

  return (
    <section className="settings-section site-settings" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>{t('pubui.site.heading')}</h2>
      <SitePicker sites={summaries} value={siteId} onChange={setSiteId} />
      {summary?.customTheme ? <p className="muted small">{t('pubui.site.customTheme')}</p> : null}
      <div className="form-grid">
        {text('pubui.site.name', site.name, (name) => setSite({ ...site, name }))}
        {text('pubui.site.baseUrl', site.baseUrl, (baseUrl) => setSite({ ...site, baseUrl }), 'url')}
      </div>
      <fieldset className="plain-fieldset">
        <legend>{t('pubui.site.footer')}</legend>
        <div className="form-grid">
          {FOOTER_FIELDS.map(({ field, key }) =>
            text(key, site.footer[field], (value) => setSite({ ...site, footer: { ...site.footer, [field]: value } })),
          )}
        </div>
      </fieldset>

      <fieldset className="plain-fieldset">
        <legend>{t('pubui.site.government')}</legend>
        <div className="form-grid">
          {text('pubui.site.indexOrganCode', site.government.indexOrganCode, (indexOrganCode) =>
            setSite({ ...site, government: { ...site.government, indexOrganCode: indexOrganCode.trim().toUpperCase() } }),
          )}
        </div>
        <label className="checkbox-label">
          <input
            type="checkbox"
            checked={site.government.showReviews}
            onChange={(event) => setSite({ ...site, government: { ...site.government, showReviews: event.target.checked } })}
          />
          {t('pubui.site.showReviews')}
        </label>
        <ColumnSettings
          key={site.id}
          columns={columnKeys(site)}
          government={site.government}
          onChange={(government) => setSite({ ...site, government })}
        />
      </fieldset>

      <h3>{t('pubui.site.targets')}</h3>
      {site.targets.length === 0 ? <p className="muted">{t('pubui.site.noTargets')}</p> : null}
      <ol className="target-list">
        {site.targets.map((target, index) => (
          <TargetEditor
            key={rowKeys[index] ?? `new-${target.id}`}
            target={target}
            problems={problems.filter((p) => p.targetIndex === index).map((p) => t(p.key, p.params))}
            siteId={site.id}
            saved={summary?.targets.find((s) => s.id === target.id) ?? null}
            secret={secrets[rowKeys[index] ?? -1] ?? ''}
            onSecretChange={(secret) => setSecrets((current) => ({ ...current, [rowKeys[index] ?? -1]: secret }))}
            onChange={(change) => updateTarget(index, change)}
            onRemove={() => {
              setSite({ ...site, targets: site.targets.filter((_, i) => i !== index) });
              setRowKeys((keys) => keys.filter((_, i) => i !== index));
            }}
          />
        ))}
      </ol>
      <div className="inline-form">
        <label htmlFor={`${id}-kind`}>{t('pubui.site.kind')}</label>
        <select id={`${id}-kind`} value={addKind} onChange={(event) => setAddKind(event.target.value as TargetKind)}>
          {TARGET_KINDS.map((kind) => (
            <option key={kind} value={kind}>
              {t(`pubui.site.kind.${kind}`)}
            </option>
          ))}
        </select>
        <button
          type="button"
          onClick={() => {
            // Ids are unique across every site (the outbox knows targets by id alone); the admin only ever sees the name.
            const ids = [...summaries.flatMap((other) => other.targets.map((x) => x.id)), ...site.targets.map((x) => x.id)];
            const label = uniqueName(t(`pubui.site.defaultLabel.${addKind}`), site.targets.map((x) => x.label));
            setSite({ ...site, targets: [...site.targets, newTarget(addKind, ids, label)] });
            setRowKeys((keys) => [...keys, nextRowKey.current++]);
          }}
        >
          {t('pubui.site.addTarget')}
        </button>
      </div>
      {error ? (
        <div className="banner banner-error" role="alert">
          {error}
        </div>
      ) : null}
      <div className="button-row">
        <button type="button" className="primary" disabled={busy} onClick={() => void save()}>
          {t('pubui.site.save')}
        </button>
      </div>
    </section>
  );
}

/** Keywords as the admin types them: separated by commas (either width), 顿号 or spaces. */
function splitKeywords(text: string): string[] {
  return [...new Set(text.split(/[,，、;；\s]+/u).map((word) => word.trim()).filter(Boolean))];
}

/** A record without the key when the value is empty, so an unset column stays absent rather than stored blank. */
function withEntry<V>(record: Record<string, V>, key: string, value: V, empty: boolean): Record<string, V> {
  const { [key]: _old, ...rest } = record;
  return empty ? rest : { ...rest, [key]: value };
}

/** Per column of the site's tree: whether it is a 信息公开 column, and its ColumnType / ColumnDescription / ColumnKeywords. */
function ColumnSettings({
  columns,
  government,
  onChange,
}: {
  columns: string[];
  government: SiteGovernment;
  onChange(next: SiteGovernment): void;
}) {
  const t = useT();
  const id = useId();
  return (
    <section className="column-settings" aria-labelledby={`${id}-columns`}>
      <h4 id={`${id}-columns`}>{t('pubui.site.columns')}</h4>
      <p className="muted small">{t('pubui.site.columns.hint')}</p>
      {columns.length === 0 ? <p className="muted">{t('pubui.site.columns.none')}</p> : null}
      <ul className="column-settings-list">
        {columns.map((key, index) => {
          const depth = key.split('/').length - 1;
          const name = key.split('/').at(-1) ?? key;
          const control = `${id}-col${index}`;
          return (
            <li key={key} data-testid="column-setting" data-column={key} style={{ marginInlineStart: `${depth * 1.5}em` }}>
              <label className="checkbox-label">
                <input
                  type="checkbox"
                  checked={government.disclosureColumns.includes(key)}
                  onChange={(event) =>
                    onChange({
                      ...government,
                      disclosureColumns: event.target.checked
                        ? [...government.disclosureColumns, key]
                        : government.disclosureColumns.filter((column) => column !== key),
                    })
                  }
                />
                <strong>{name}</strong> {t('pubui.site.column.disclosure')}
              </label>
              <div className="form-grid">
                <div className="field">
                  <label htmlFor={`${control}-type`}>{t('pubui.site.column.type')}</label>
                  <input
                    id={`${control}-type`}
                    value={government.columnTypes[key] ?? ''}
                    onChange={(event) =>
                      onChange({ ...government, columnTypes: withEntry(government.columnTypes, key, event.target.value, event.target.value.trim() === '') })
                    }
                  />
                </div>
                <div className="field">
                  <label htmlFor={`${control}-description`}>{t('pubui.site.column.description')}</label>
                  <input
                    id={`${control}-description`}
                    value={government.columnDescriptions[key] ?? ''}
                    onChange={(event) =>
                      onChange({
                        ...government,
                        columnDescriptions: withEntry(government.columnDescriptions, key, event.target.value, event.target.value.trim() === ''),
                      })
                    }
                  />
                </div>
                <div className="field">
                  <label htmlFor={`${control}-keywords`}>{t('pubui.site.column.keywords')}</label>
                  {/* Parsed when the field is left, so a separator being typed is not swallowed. */}
                  <input
                    id={`${control}-keywords`}
                    defaultValue={(government.columnKeywords[key] ?? []).join('，')}
                    onBlur={(event) => {
                      const words = splitKeywords(event.target.value);
                      onChange({ ...government, columnKeywords: withEntry(government.columnKeywords, key, words, words.length === 0) });
                    }}
                  />
                </div>
              </div>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function TargetEditor({
  target,
  problems,
  siteId,
  saved,
  secret,
  onSecretChange,
  onChange,
  onRemove,
}: {
  target: PublishTargetConfig;
  problems: string[];
  siteId: string;
  saved: SiteSummary['targets'][number] | null;
  secret: string;
  onSecretChange(secret: string): void;
  onChange(change: Partial<PublishTargetConfig>): void;
  onRemove(): void;
}) {
  const t = useT();
  const locale = useLocale();
  const id = useId();
  const [testing, setTesting] = useState(false);
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);

  const field = (label: MessageKey, value: string, change: (value: string) => Partial<PublishTargetConfig>, type = 'text') => (
    <Field key={label} label={t(label)}>
      {(control) => <input {...control} type={type} value={value} onChange={(event) => onChange(change(event.target.value))} />}
    </Field>
  );

  const outcomeText = (answer: ConnectionTestResult): string => {
    if (answer.ok && answer.remoteDirMissing && target.kind === 'static-sftp') {
      return t('pubui.site.test.okNoFolder', { account: answer.account ?? '', folder: target.remoteDir });
    }
    return t(`pubui.site.test.${answer.outcome}`, { account: answer.account ?? '', detail: answer.detail ?? '' });
  };

  const test = async () => {
    setTesting(true);
    setResult(null);
    try {
      const answer = await testTargetConnection(siteId, target, secret);
      setResult({ ok: answer.ok, text: outcomeText(answer) });
    } catch (caught) {
      handleSessionLoss(caught);
      setResult({ ok: false, text: reviewErrorText(locale, caught) });
    } finally {
      setTesting(false);
    }
  };

  // static-folder needs no password; static-sftp with a key file may use one as the key's passphrase.
  const remote = target.kind !== 'static-folder';

  return (
    <li className="target-editor" data-testid="target-editor">
      <p className="target-kind">
        <strong>{t(`pubui.site.kind.${target.kind}`)}</strong> <span className="muted small">{t('pubui.site.targetIdShown', { id: target.id })}</span>
      </p>
      <div className="form-grid">
        {field('pubui.site.label', target.label, (label) => ({ label }))}
        {target.kind === 'static-folder' ? field('pubui.site.folder', target.folder, (folder) => ({ folder })) : null}
        {target.kind === 'static-sftp' ? (
          <>
            {field('pubui.site.host', target.host, (host) => ({ host }))}
            {field('pubui.site.port', String(target.port), (port) => ({ port: Number(port) }), 'number')}
            {field('pubui.site.username', target.username, (username) => ({ username }))}
            {field('pubui.site.remoteDir', target.remoteDir, (remoteDir) => ({ remoteDir }))}
            {field('pubui.site.privateKeyPath', target.privateKeyPath, (privateKeyPath) => ({ privateKeyPath }))}
          </>
        ) : null}
        {target.kind === 'wordpress' ? (
          <>
            {field('pubui.site.wpBaseUrl', target.baseUrl, (baseUrl) => ({ baseUrl }), 'url')}
            {field('pubui.site.username', target.user, (user) => ({ user }))}
            {field('pubui.site.slugPattern', target.slugPattern ?? '', (slugPattern) => ({ slugPattern }))}
          </>
        ) : null}
        {target.kind === 'metaweblog' ? (
          <>
            {field('pubui.site.endpoint', target.endpoint, (endpoint) => ({ endpoint }), 'url')}
            {field('pubui.site.blogId', target.blogId, (blogId) => ({ blogId }))}
            {field('pubui.site.username', target.user, (user) => ({ user }))}
            {field('pubui.site.slugPattern', target.slugPattern ?? '', (slugPattern) => ({ slugPattern }))}
          </>
        ) : null}
      </div>
      {problems.length > 0 ? (
        <ul className="field-errors">
          {problems.map((problem) => (
            <li key={problem} className="field-error">
              {problem}
            </li>
          ))}
        </ul>
      ) : null}
      {remote ? (
        <div className="inline-form credential-form">
          <label htmlFor={`${id}-secret`}>{t('pubui.site.credential')}</label>
          <input
            id={`${id}-secret`}
            type="password"
            autoComplete="new-password"
            value={secret}
            onChange={(event) => onSecretChange(event.target.value)}
          />
          <span className="muted small" data-testid="credential-state">
            {secret !== ''
              ? t('pubui.site.credentialPending')
              : saved?.hasCredential
                ? t('pubui.site.credentialSet')
                : t('pubui.site.credentialMissing')}
          </span>
          <button type="button" disabled={testing} onClick={() => void test()}>
            {testing ? t('pubui.site.testing') : t('pubui.site.test')}
          </button>
        </div>
      ) : null}
      {remote ? (
        <p role="status" data-testid="connection-result" className={result && !result.ok ? 'field-error' : 'muted small'}>
          {result?.text ?? ''}
        </p>
      ) : null}
      <button type="button" className="danger" onClick={onRemove}>
        {t('pubui.site.remove')}
      </button>
    </li>
  );
}
