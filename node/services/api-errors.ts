import type { ApiHandlers, CallContext } from '../../shared/api/contract';
import { ApiError } from '../../shared/api/errors';
import { StoreError } from './store/store-error';

/**
 * The edge between the services and the API: errors of the services' own
 * (the store's {@link StoreError}) become the `ApiError` the dispatcher sends
 * back, with the same code and detail. Anything else passes unchanged.
 */
export function toApiError(error: unknown): unknown {
  if (error instanceof StoreError) return new ApiError(error.code, error.detail);
  return error;
}

/** The detail an API error would carry, for messages that quote a failure (e.g. an attachment that could not be saved). */
export function errorDetail(error: unknown): string {
  const known = toApiError(error);
  return known instanceof ApiError ? known.detail : String(error);
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
