import { type FormEvent, useId, useState } from 'react';
import { Field, FieldError } from '../components/Field';
import { useLocale, useT } from '../state/settings';
import { joinErrorText, joinOffice, joinProblem } from './join';
import '../styles/sync.css';

/**
 * 加入办公室服务器 on a fresh desktop: the server's address, the person's id
 * and password. A refusal is shown in plain words and everything typed stays,
 * the password too, so a wrong address is fixed without typing it all again.
 */
export function JoinOfficeForm() {
  const t = useT();
  const locale = useLocale();
  const id = useId();
  const [url, setUrl] = useState('');
  const [personId, setPersonId] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const input = { url, personId, password };
    const problem = joinProblem(t, input);
    if (problem) return setError(problem);
    setBusy(true);
    setError(null);
    try {
      // On success the session changes and the app replaces this screen.
      await joinOffice(input);
    } catch (caught) {
      setError(joinErrorText(t, locale, caught));
      setBusy(false);
    }
  };

  return (
    <form className="auth-form join-form" noValidate onSubmit={(event) => void submit(event)} aria-labelledby={`${id}-title`} aria-busy={busy}>
      <h1 id={`${id}-title`}>{t('syncUi.join.title')}</h1>
      <p className="muted">{t('syncUi.join.intro')}</p>
      <Field label={t('syncUi.join.url')} hint={t('syncUi.join.urlHint')}>
        {(control) => (
          <input
            {...control}
            type="url"
            inputMode="url"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
            autoComplete="url"
            spellCheck={false}
            maxLength={2048}
          />
        )}
      </Field>
      <Field label={t('syncUi.join.person')} hint={t('syncUi.join.personHint')}>
        {(control) => (
          <input
            {...control}
            value={personId}
            onChange={(e) => setPersonId(e.target.value)}
            autoComplete="username"
            spellCheck={false}
            maxLength={64}
          />
        )}
      </Field>
      <Field label={t('syncUi.join.password')}>
        {(control) => (
          <input
            {...control}
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="current-password"
            maxLength={1024}
          />
        )}
      </Field>
      <FieldError message={error} />
      {busy ? (
        <p className="muted" role="status">
          {t('syncUi.join.busy')}
        </p>
      ) : null}
      <button type="submit" className="primary" disabled={busy}>
        {t('syncUi.join.submit')}
      </button>
    </form>
  );
}
