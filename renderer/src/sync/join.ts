import type { SessionInfo } from '../../../shared/api/contract/session';
import { ApiError } from '../../../shared/api/errors';
import type { Locale } from '../../../shared/domain/settings';
import { api } from '../api/client';
import { describeError } from '../state/errors';
import { sessionStore } from '../state/session';
import type { Translator } from '../state/settings';

export interface JoinInput {
  url: string;
  personId: string;
  password: string;
}

/** What the form sends: the address and id trimmed; the password exactly as typed. */
export function joinRequest(input: JoinInput): JoinInput {
  return { url: input.url.trim(), personId: input.personId.trim(), password: input.password };
}

/** Why the form cannot be sent as it is; null when it can. Checked here so a typo costs no round trip. */
export function joinProblem(t: Translator, input: JoinInput): string | null {
  const request = joinRequest(input);
  let url: URL | null = null;
  try {
    url = new URL(request.url);
  } catch {
    url = null;
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) return t('syncUi.join.error.url');
  if (!request.personId) return t('syncUi.join.error.person');
  if (!request.password) return t('syncUi.join.error.password');
  return null;
}

/**
 * Why joining failed, in plain words. The main side's refusals carry a
 * complete Chinese sentence (wrong password, no key yet, another office's
 * server, a server that sent something that does not verify): that is shown
 * as it is; a bare code gets this screen's own sentence.
 */
export function joinErrorText(t: Translator, locale: Locale, error: unknown): string {
  if (error instanceof ApiError) {
    if (locale === 'zh-CN' && error.code !== 'internal' && error.code !== 'unknown_channel' && error.detail.trim()) return error.detail;
    switch (error.code) {
      case 'unauthorized':
        return t('syncUi.join.error.unauthorized');
      case 'forbidden':
        return t('syncUi.join.error.forbidden');
      case 'not_found':
        return t('syncUi.join.error.notFound');
      default:
        break;
    }
  }
  return describeError(locale, error);
}

/**
 * Joins this desktop to an office server and signs the person in (the app
 * then shows their screens). A failure throws and changes nothing here.
 */
export async function joinOffice(input: JoinInput): Promise<SessionInfo> {
  const info = await api.invoke('office:join', joinRequest(input));
  sessionStore.set({ kind: 'ready', info });
  return info;
}
