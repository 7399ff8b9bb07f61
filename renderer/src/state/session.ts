import type { PersonSummary, SessionInfo } from '../../../shared/api/contract';
import { ApiError } from '../../../shared/api/errors';
import { isPasswordTooShort, MIN_PASSWORD_LENGTH } from '../../../shared/domain/password';
import type { Role } from '../../../shared/workflow/review-chain';
import { api } from '../api/client';
import type { Translator } from './settings';
import { createStore, useStore } from './store';

export type SessionState =
  | { kind: 'loading' }
  | { kind: 'error'; error: unknown }
  | { kind: 'ready'; info: SessionInfo };

/** Who is signed in to this window (null person: the sign-in or setup screen shows). */
export const sessionStore = createStore<SessionState>({ kind: 'loading' });

/** Asks the main side who is signed in. */
export async function loadSession(): Promise<void> {
  try {
    sessionStore.set({ kind: 'ready', info: await api.invoke('session:get', {}) });
  } catch (error) {
    sessionStore.set({ kind: 'error', error });
  }
}

/** Creates the first administrator and signs them in. */
export async function setupFirstAdmin(name: string, unit: string, password: string): Promise<void> {
  sessionStore.set({ kind: 'ready', info: await api.invoke('session:setup', { name, unit, password }) });
}

/** Signs in; a wrong password throws (the screen shows the message) and changes nothing. */
export async function signIn(personId: string, password: string): Promise<void> {
  sessionStore.set({ kind: 'ready', info: await api.invoke('session:signIn', { personId, password }) });
}

/** Signs out; the sign-in screen comes back. */
export async function signOut(): Promise<void> {
  sessionStore.set({ kind: 'ready', info: await api.invoke('session:signOut', {}) });
}

/**
 * A call refused as `unauthorized` means the session ended on the main side
 * (host restarted, signed out elsewhere): ask again so the sign-in screen shows.
 */
export function handleSessionLoss(error: unknown): boolean {
  if (error instanceof ApiError && error.code === 'unauthorized') {
    void loadSession();
    return true;
  }
  return false;
}

/** The signed-in person, or null. */
export function useCurrentPerson(): PersonSummary | null {
  const state = useStore(sessionStore);
  return state.kind === 'ready' ? state.info.person : null;
}

/** Why a new password would be refused, in the user's language; null when it is long enough. */
export function newPasswordProblem(t: Translator, password: string): string | null {
  return isPasswordTooShort(password) ? t('auth.error.passwordShort', { min: MIN_PASSWORD_LENGTH }) : null;
}

/** Whether the person holds the role. */
export function hasRole(person: PersonSummary | null, role: Role): boolean {
  return person?.roles.includes(role) ?? false;
}
