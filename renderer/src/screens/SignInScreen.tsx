import { type FormEvent, type ReactNode, useId, useState } from 'react';
import type { SessionInfo } from '../../../shared/api/contract';
import { Field, FieldError } from '../components/Field';
import { reviewErrorText } from '../review/review-errors';
import { JoinOfficeForm } from '../sync/JoinOfficeForm';
import { newPasswordProblem, setupFirstAdmin, signIn } from '../state/session';
import { useLocale, useT } from '../state/settings';

/** The frame both forms share: a titled form, its error and its submit button. */
function AuthForm(props: {
  title: string;
  error: string | null;
  busy: boolean;
  submitLabel: string;
  onSubmit(event: FormEvent): Promise<void>;
  children: ReactNode;
}) {
  const id = useId();
  return (
    <form className="auth-form" onSubmit={(event) => void props.onSubmit(event)} aria-labelledby={`${id}-title`}>
      <h1 id={`${id}-title`}>{props.title}</h1>
      {props.children}
      <FieldError message={props.error} />
      <button type="submit" className="primary" disabled={props.busy}>
        {props.submitLabel}
      </button>
    </form>
  );
}

/** First run: creates the first administrator (who is then signed in). */
function SetupForm() {
  const t = useT();
  const locale = useLocale();
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
    <AuthForm title={t('auth.setup.title')} error={error} busy={busy} submitLabel={t('auth.setup.submit')} onSubmit={submit}>
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
    </AuthForm>
  );
}

/** Picks a person, checks the password. */
function SignInForm({ info }: { info: SessionInfo }) {
  const t = useT();
  const locale = useLocale();
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
    <AuthForm title={t('auth.signIn.title')} error={error} busy={busy} submitLabel={t('auth.signIn.submit')} onSubmit={submit}>
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
    </AuthForm>
  );
}

/**
 * A fresh desktop: set up a new office here, or join the office's server.
 * Both forms stay mounted (one hidden) so switching loses nothing typed.
 */
function FirstRun() {
  const t = useT();
  const [choice, setChoice] = useState<'setup' | 'join'>('setup');
  return (
    <div className="first-run">
      <fieldset className="first-run-choice">
        <legend className="sr-only">{t('syncUi.join.choose')}</legend>
        <button type="button" aria-pressed={choice === 'setup'} onClick={() => setChoice('setup')}>
          {t('syncUi.join.optionSetup')}
        </button>
        <button type="button" aria-pressed={choice === 'join'} onClick={() => setChoice('join')}>
          {t('syncUi.join.optionJoin')}
        </button>
      </fieldset>
      <div hidden={choice !== 'setup'}>
        <SetupForm />
      </div>
      <div hidden={choice !== 'join'}>
        <JoinOfficeForm />
      </div>
    </div>
  );
}

/** Shown instead of the app until someone is signed in. */
export function SignInScreen({ info }: { info: SessionInfo }) {
  return <section className="screen auth-screen">{info.needsSetup ? <FirstRun /> : <SignInForm info={info} />}</section>;
}
