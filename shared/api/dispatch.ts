import { ZodError } from 'zod';
import { type Authorizer, checkAccess } from './access';
import { type ApiHandlers, type CallContext, type Channel, contract, isChannel } from './contract';
import { checkTextLimits } from './contract/limits';
import { ApiError, type Envelope } from './errors';

/**
 * The single entry point both transports call: checks the channel, parses the
 * payload with the contract's schema, checks the caller against the channel's
 * declared access, runs the handler and turns every failure into an error
 * envelope (so no stack trace or exception object crosses over). There is no
 * dispatcher without an authorizer: a missing gate cannot fail open.
 */
export function createDispatcher(handlers: ApiHandlers, authorize: Authorizer, log: (message: string) => void = () => {}) {
  return async function dispatch(
    channelName: string,
    payload: unknown,
    context: CallContext,
  ): Promise<Envelope<unknown>> {
    if (!isChannel(channelName)) {
      return { ok: false, error: { code: 'unknown_channel', detail: channelName } };
    }
    // Who may call comes first: a caller without access learns nothing about the request's shape.
    try {
      checkAccess(channelName, authorize, context);
    } catch (error) {
      if (error instanceof ApiError) return { ok: false, error: error.toData() };
      throw error;
    }
    // Every text is held to its length limit first, so no schema or handler ever walks an unbounded one.
    try {
      checkTextLimits(channelName, payload);
    } catch (error) {
      if (error instanceof ApiError) return { ok: false, error: error.toData() };
      throw error;
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
