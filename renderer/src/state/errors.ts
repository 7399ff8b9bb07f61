import { ApiError } from '../../../shared/api/errors';
import type { Locale } from '../../../shared/domain/settings';
import { hasMessage, translate } from '../../../shared/i18n';

/** The user-facing sentence for any failure, via the `error.<code>` messages. */
export function describeError(locale: Locale, error: unknown): string {
  if (error instanceof ApiError) {
    if (error.code === 'internal' && error.detail.startsWith('network:')) {
      return translate(locale, 'error.network', { detail: error.detail.slice('network:'.length).trim() });
    }
    const key = `error.${error.code}`;
    if (hasMessage(key)) return translate(locale, key, { detail: error.detail });
  }
  const detail = error instanceof Error ? error.message : String(error);
  return translate(locale, 'error.internal', { detail });
}

/** True when the failure means another writer changed the article first. */
export function isConflict(error: unknown): boolean {
  return error instanceof ApiError && error.code === 'conflict';
}
