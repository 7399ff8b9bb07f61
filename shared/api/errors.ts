import type { ReviewError, ReviewErrorCode } from '../workflow/review-chain';

/**
 * Errors cross the transport as plain data. `code` picks the user-facing
 * message (i18n key `error.<code>`); `detail` carries the specifics.
 */
export const API_ERROR_CODES = [
  'invalid_request',
  'unknown_channel',
  'not_found',
  'conflict',
  'damaged_file',
  'unsupported_file',
  'too_large',
  'forbidden',
  'unauthorized',
  'disk_full',
  'not_writable',
  'internal',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export interface ApiErrorData {
  code: ApiErrorCode;
  detail: string;
}

export class ApiError extends Error {
  readonly code: ApiErrorCode;
  readonly detail: string;

  constructor(code: ApiErrorCode, detail: string) {
    super(`${code}: ${detail}`);
    this.name = 'ApiError';
    this.code = code;
    this.detail = detail;
  }

  toData(): ApiErrorData {
    return { code: this.code, detail: this.detail };
  }

  static fromData(data: ApiErrorData): ApiError {
    return new ApiError(data.code, data.detail);
  }
}

const REVIEW_INPUT_ERRORS: readonly ReviewErrorCode[] = ['reason_required', 'comment_required', 'comment_too_long'];

/** A refused review transition as the API reports it: permission → forbidden, state → conflict, bad input → invalid_request. */
export function reviewApiError(error: ReviewError): ApiError {
  const code =
    error.kind === 'permission' ? 'forbidden' : REVIEW_INPUT_ERRORS.includes(error.code) ? 'invalid_request' : 'conflict';
  return new ApiError(code, error.message);
}

export function isApiErrorData(value: unknown): value is ApiErrorData {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ApiErrorData).code === 'string' &&
    (API_ERROR_CODES as readonly string[]).includes((value as ApiErrorData).code) &&
    typeof (value as ApiErrorData).detail === 'string'
  );
}

/** What every transport sends back for one call. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiErrorData };
