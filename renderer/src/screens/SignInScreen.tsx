import { type FormEvent, useId, useState } from 'react';
import type { SessionInfo } from '../../../shared/api/contract';
import { Field, FieldError } from '../components/Field';
import { reviewErrorText } from '../review/review-errors';
import { newPasswordProblem, setupFirstAdmin, signIn } from '../state/session';
import { useLocale, useT } from '../state/settings';

/** First run: creates the first administrator (who is then signed in). */
function SetupForm() {
  const t = useT();
  const locale = useLocale();
  const id = useId();
  const [name, setName] = useState('');
  const [unit, setUnit] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!name.trim()) return setError(t('auth.error.nameRequired'));
    const passwordProblem = newPasswordProblem(t, password);
    if (passwordProblem) return setError(passwordProblem);
    if (password !== repeat) return setError(t('auth.error.passwordMismatch'));
    setBusy(true);
    setError(null);
    try {
      await setupFirstAdmin(name.trim(), unit.trim(), password);
    } catch (caught) {
      setError(reviewErrorText(locale, caught));
      setBusy(false);
    }
  };

  return (
    <form className="auth-form" onSubmit={(event) => void submit(event)} aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>{t('auth.setup.title')}</h1>
      <p className="muted">{t('auth.setup.intro')}</p>
      <Field label={t('auth.name')}>
        {(control) => <input {...control} value={name} onChange={(e) => setName(e.target.value)} autoComplete="name" data-autofocus />}
      </Field>
      <Field label={t('auth.unit')}>{(control) => <input {...control} value={unit} onChange={(e) => setUnit(e.target.value)} />}</Field>
      <Field label={t('auth.password')}>
        {(control) => (
          <input {...control} type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" />
        )}
      </Field>
      <Field label={t('auth.passwordRepeat')}>
        {(control) => (
          <input {...control} type="password" value={repeat} onChange={(e) => setRepeat(e.target.value)} autoComplete="new-password" />
        )}
      </Field>
      <FieldError message={error} />
      <button type="submit" className="primary" disabled={busy}>
        {t('auth.setup.submit')}
      </button>
    </form>
  );
}

/** Picks a person, checks the password. */
function SignInForm({ info }: { info: SessionInfo }) {
  const t = useT();
  const locale = useLocale();
  const id = useId();
  const [personId, setPersonId] = useState(info.people[0]?.id ?? '');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!personId) return setError(t('auth.error.pickPerson'));
    setBusy(true);
    setError(null);
    try {
      await signIn(personId, password);
    } catch (caught) {
      setError(reviewErrorText(locale, caught));
      setPassword('');
      setBusy(false);
    }
  };

  return (
    <form className="auth-form" onSubmit={(event) => void submit(event)} aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>{t('auth.signIn.title')}</h1>
      <Field label={t('auth.person')}>
        {(control) => (
          <select {...control} value={personId} onChange={(e) => setPersonId(e.target.value)}>
            {info.people.map((person) => (
              // Names are unique on a workstation (the services refuse duplicates), so the name alone identifies.
              <option key={person.id} value={person.id} title={person.unit}>
                {person.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label={t('auth.password')}>
        {(control) => (
          <input
            {...control}
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="current-password"
            data-autofocus
          />
        )}
      </Field>
      <FieldError message={error} />
      <button type="submit" className="primary" disabled={busy}>
        {t('auth.signIn.submit')}
      </button>
    </form>
  );
}

/** Shown instead of the app until someone is signed in. */
export function SignInScreen({ info }: { info: SessionInfo }) {
  return <section className="screen auth-screen">{info.needsSetup ? <SetupForm /> : <SignInForm info={info} />}</section>;
}
