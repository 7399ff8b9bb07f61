import { type PublishMessageKey, publishMessage } from './messages';

/**
 * How a failure should be treated: `network` (cannot connect — wait, never give up),
 * `timeout` and `server` (5xx — retry with backoff), everything else is final.
 */
export type PublishErrorKind = 'network' | 'timeout' | 'server' | 'auth' | 'forbidden' | 'not_found' | 'rejected' | 'protocol' | 'local';

/** A publishing failure with a ready Chinese message that includes the server's own words. */
export class PublishError extends Error {
  readonly kind: PublishErrorKind;
  /** Server error code (`rest_cannot_create`, an XML-RPC fault code) or our own code. */
  readonly code: string;
  readonly status: number | null;
  readonly serverMessage: string;
  readonly messageKey: PublishMessageKey;
  readonly messageParams: Record<string, string | number>;
  /** Extra data the server sent with the error (WordPress's `data`, e.g. `term_id`). */
  readonly serverData: unknown;

  constructor(
    kind: PublishErrorKind,
    messageKey: PublishMessageKey,
    params: Record<string, string | number>,
    details: { code?: string; status?: number | null; serverMessage?: string; serverData?: unknown; cause?: unknown } = {},
  ) {
    super(publishMessage(messageKey, params), details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'PublishError';
    this.kind = kind;
    this.code = details.code ?? messageKey.replace(/^publish\.error\./, '');
    this.status = details.status ?? null;
    this.serverMessage = details.serverMessage ?? '';
    this.messageKey = messageKey;
    this.messageParams = params;
    this.serverData = details.serverData ?? null;
  }

  /** Worth trying again later (network down, timeout, 5xx). */
  get retryable(): boolean {
    return this.kind === 'network' || this.kind === 'timeout' || this.kind === 'server';
  }
}

/** Node's socket-level error codes that mean "could not talk to the server at all / connection lost". */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current && chain.length < 6) {
    chain.push(current);
    current = typeof current === 'object' && 'cause' in current ? (current as { cause: unknown }).cause : undefined;
  }
  return chain;
}

/**
 * Turns whatever a transport threw (fetch's TypeError, an AbortSignal timeout, a
 * socket error) into a {@link PublishError}; PublishErrors pass through.
 */
export function toPublishError(error: unknown, target: string, timeoutMs: number): PublishError {
  if (error instanceof PublishError) return error;
  for (const link of causeChain(error)) {
    const name = link instanceof Error ? link.name : '';
    if (name === 'TimeoutError' || name === 'AbortError') {
      return new PublishError('timeout', 'publish.error.timeout', { target, seconds: Math.round(timeoutMs / 100) / 10 }, { cause: error });
    }
    const code = typeof link === 'object' && link && 'code' in link ? String((link as { code: unknown }).code) : '';
    if (NETWORK_CODES.has(code)) {
      return new PublishError('network', 'publish.error.network', { target, detail: code }, { code, cause: error });
    }
  }
  const detail = error instanceof Error ? error.message : String(error);
  if (error instanceof TypeError && /fetch failed|terminated|socket/i.test(detail)) {
    return new PublishError('network', 'publish.error.network', { target, detail }, { cause: error });
  }
  return new PublishError('protocol', 'publish.error.bad_reply', { target, detail }, { cause: error });
}
