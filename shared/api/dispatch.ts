import { ZodError } from 'zod';
import { type ApiHandlers, type CallContext, type Channel, contract, isChannel } from './contract';
import { ApiError, type Envelope } from './errors';

/**
 * The single entry point both transports call: checks the channel, parses the
 * payload with the contract's schema, runs the handler and turns every failure
 * into an error envelope (so no stack trace or exception object crosses over).
 */
export function createDispatcher(handlers: ApiHandlers, log: (message: string) => void = () => {}) {
  return async function dispatch(
    channelName: string,
    payload: unknown,
    context: CallContext,
  ): Promise<Envelope<unknown>> {
    if (!isChannel(channelName)) {
      return { ok: false, error: { code: 'unknown_channel', detail: channelName } };
    }
    const parsed = contract[channelName].request.safeParse(payload ?? {});
    if (!parsed.success) {
      return { ok: false, error: { code: 'invalid_request', detail: formatZodError(parsed.error) } };
    }
    try {
      const handler = handlers[channelName] as (req: unknown, ctx: CallContext) => Promise<unknown>;
      const value = await handler(parsed.data, context);
      return { ok: true, value };
    } catch (error) {
      if (error instanceof ApiError) return { ok: false, error: error.toData() };
      if (error instanceof ZodError) {
        return { ok: false, error: { code: 'invalid_request', detail: formatZodError(error) } };
      }
      log(`[api] ${channelName as Channel} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      return {
        ok: false,
        error: { code: 'internal', detail: error instanceof Error ? error.message : String(error) },
      };
    }
  };
}

export type Dispatch = ReturnType<typeof createDispatcher>;

export function formatZodError(error: ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
    .join('; ');
}
