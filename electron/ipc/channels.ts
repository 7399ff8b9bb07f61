import type { AppEvent, Channel } from '../../shared/api/contract';

/**
 * The contract's channel names as a plain list, for the sandboxed preload:
 * importing `CHANNELS` from the contract would bundle zod and every schema
 * (~760 KB) into a script that runs before each page load. The type checks
 * below fail the build when the contract gains or loses a channel.
 */
export const BRIDGE_CHANNELS = [
  'articles:list',
  'articles:get',
  'articles:create',
  'articles:save',
  'articles:trash',
  'articles:restore',
  'articles:purge',
  'articles:saveVersion',
  'articles:versions',
  'articles:getVersion',
  'articles:export',
  'assets:add',
  'photos:edit',
  'import:file',
  'import:text',
  'import:url',
  'import:migrationStart',
  'import:migrationStop',
  'import:migrations',
  'settings:get',
  'settings:save',
  'workspace:problems',
  'workspace:info',
  'session:get',
  'session:setup',
  'session:signIn',
  'session:signOut',
  'people:list',
  'people:save',
  'people:setPassword',
  'people:keys',
  'people:revokeKey',
  'review:chainGet',
  'review:chainSave',
  'review:submit',
  'review:queue',
  'review:get',
  'review:approve',
  'review:requestChanges',
  'review:comment',
  'review:commentUpdate',
  'review:diff',
  'review:signoff',
  'package:export',
  'package:verify',
  'package:import',
  'keys:exportTrusted',
  'keys:importTrusted',
  'sites:list',
  'sites:get',
  'sites:save',
  'preview:render',
  'targets:setCredential',
  'targets:test',
  'publish:enqueue',
  'publish:jobs',
  'publish:receipts',
  'publish:retry',
  'publish:pending',
  'proofread:packs',
  'proofread:savePack',
  'proofread:addOptionalPack',
  'proofread:deletePack',
  'proofread:previewDefaultUpdate',
  'proofread:acceptDefaultUpdate',
  'proofread:exportPack',
  'proofread:check',
  'proofread:override',
  'notifications:list',
  'notifications:markRead',
  'sync:status',
  'sync:now',
  'sync:log',
  'sync:articleStates',
  'sync:conflict',
  'sync:resolveConflict',
  'office:join',
] as const satisfies readonly Channel[];

type Unlisted = Exclude<Channel, (typeof BRIDGE_CHANNELS)[number]>;
/** Compile-time proof that every contract channel is listed (a missing one makes this `false`). */
export const BRIDGE_CHANNELS_COMPLETE: [Unlisted] extends [never] ? true : false = true;

/** The contract's events (main → page) the preload passes on; listed for the same reason as the channels. */
export const BRIDGE_EVENTS = ['menu:command'] as const satisfies readonly AppEvent[];

type UnlistedEvent = Exclude<AppEvent, (typeof BRIDGE_EVENTS)[number]>;
/** Compile-time proof that every contract event is listed. */
export const BRIDGE_EVENTS_COMPLETE: [UnlistedEvent] extends [never] ? true : false = true;
