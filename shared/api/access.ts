import type { MessageKey } from '../i18n';
import type { ApiHandlers, CallContext, Channel } from './contract';
import { contract } from './contract';
import { ApiError } from './errors';

/**
 * Who may call a channel, declared beside its schema in the contract:
 * `anyone` (the session channels, settings:get, workspace:info), `signedIn`,
 * `creator` (writers and admins: creating and importing articles), or
 * `{ admin }` with the action named in the refusal. Finer rules that depend on
 * the article (its state, its author, the stage) stay with the services; this
 * table is the first gate, and it is always there.
 */
export type Access = 'anyone' | 'signedIn' | 'creator' | { admin: MessageKey };

/**
 * What a channel may declare: {@link Access}, or `{ publisher }` — people
 * holding the publisher role, with the action named in the refusal (the
 * 待发布 queue). Kept apart from `Access` so the people side, which answers
 * the other kinds, need not know about publishing.
 */
export type ChannelAccess = Access | { publisher: MessageKey };

/** Whether the declaration is for publishers. */
export function isPublisherAccess(access: ChannelAccess): access is { publisher: MessageKey } {
  return typeof access === 'object' && 'publisher' in access;
}

/** Checks one declaration against the caller; throws `unauthorized` or `forbidden` (ApiError). */
export type Authorizer = (access: ChannelAccess, context: CallContext) => void;

/** Checks the caller against the channel's declaration; a channel without one is refused (deny by default). */
export function checkAccess(name: Channel, authorize: Authorizer, context: CallContext): void {
  const access = (contract[name] as { access?: ChannelAccess }).access;
  if (!access) throw new ApiError('forbidden', name);
  authorize(access, context);
}

/** Every handler behind its channel's declared access, checked before the handler runs (for callers that skip the dispatcher). */
export function guardHandlers(handlers: ApiHandlers, authorize: Authorizer): ApiHandlers {
  const guarded: Partial<Record<Channel, unknown>> = {};
  for (const name of Object.keys(contract) as Channel[]) {
    const handler = handlers[name] as (request: unknown, context: CallContext) => Promise<unknown>;
    guarded[name] = async (request: unknown, context: CallContext) => {
      checkAccess(name, authorize, context);
      return handler(request, context);
    };
  }
  return guarded as ApiHandlers;
}
