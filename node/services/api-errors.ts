import type { ApiHandlers, CallContext } from '../../shared/api/contract';
import { ApiError } from '../../shared/api/errors';
import { ImportLimitError } from './import/limits';
import { t } from './messages';
import { StoreError } from './store/store-error';

/**
 * The edge between the services and the API: errors of the services' own
 * (the store's {@link StoreError}) become the `ApiError` the dispatcher sends
 * back, with the same code and detail; an import refused by one of its limits
 * ({@link ImportLimitError}) becomes `too_large`, its detail naming the limit.
 * Anything else passes unchanged.
 */
export function toApiError(error: unknown): unknown {
  if (error instanceof StoreError) return new ApiError(error.code, error.detail);
  if (error instanceof ImportLimitError) return new ApiError('too_large', error.detail);
  return diskError(error) ?? error;
}

/** System calls that only read: a refusal there is not about writing, so it stays an internal error. */
const READ_CALLS = new Set(['read', 'scandir', 'opendir', 'stat', 'lstat', 'fstat', 'access', 'readlink', 'realpath']);

/**
 * A full disk, or a folder or disk the app may not write to, said as such:
 * these are the user's to fix (free space, permissions, a read-only stick),
 * not a fault of the program.
 */
function diskError(error: unknown): ApiError | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, path, syscall } = error as { code?: unknown; path?: unknown; syscall?: unknown };
  // A temp file's random suffix means nothing to the user: name the file being saved.
  const target = typeof path === 'string' ? path.replace(/\.tmp-[0-9a-f]+$/, '') : String(syscall ?? '');
  if (code === 'ENOSPC' || code === 'EDQUOT') return new ApiError('disk_full', t('store.write.diskFull', { path: target }));
  const denied = code === 'EACCES' || code === 'EPERM';
  if (code === 'EROFS' || (denied && !READ_CALLS.has(String(syscall)))) {
    return new ApiError('not_writable', t('store.write.notWritable', { path: target }));
  }
  return null;
}

/** The detail an API error would carry, for messages that quote a failure (e.g. an attachment that could not be saved). */
export function errorDetail(error: unknown): string {
  const known = toApiError(error);
  if (!(known instanceof ApiError)) return String(error);
  // These details name the file, not the cause: the cause is in the code, so say it too.
  if (known.code === 'disk_full') return t('error.disk_full', { detail: known.detail });
  if (known.code === 'not_writable') return t('error.not_writable', { detail: known.detail });
  return known.detail;
}

type AnyHandler = (request: unknown, context: CallContext) => Promise<unknown>;

/** Wraps every handler so that what it throws reaches the dispatcher (or the CLI) as an API error. */
export function withApiErrors(handlers: ApiHandlers): ApiHandlers {
  const wrapped: Record<string, AnyHandler> = {};
  for (const [channel, handler] of Object.entries(handlers) as [string, AnyHandler][]) {
    wrapped[channel] = async (request, context) => {
      try {
        return await handler(request, context);
      } catch (error) {
        throw toApiError(error);
      }
    };
  }
  return wrapped as ApiHandlers;
}
