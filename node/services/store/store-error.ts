/**
 * What the store can refuse. The names match the API's error codes one for
 * one, so the edge (node/services/api-errors.ts) passes them on unchanged.
 */
export type StoreErrorCode = 'not_found' | 'conflict' | 'damaged_file' | 'invalid_request' | 'unsupported_file';

/**
 * A request the workspace on disk cannot honour: no such article or revision,
 * a save over a version the caller has not seen, a file that went bad, an
 * attachment that is not allowed. The store knows nothing of transports; the
 * API handlers turn this into an `ApiError`.
 */
export class StoreError extends Error {
  override readonly name = 'StoreError';

  constructor(
    readonly code: StoreErrorCode,
    readonly detail: string,
  ) {
    // Same text as the ApiError it becomes, so logs and the CLI read the same either way.
    super(`${code}: ${detail}`);
  }
}
