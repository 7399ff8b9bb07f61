import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ApiHandlers, CallContext, Channel, ParsedRequestOf, ResponseOf, SessionInfo, SyncConflictView } from '../../../shared/api/contract';
import { ApiError } from '../../../shared/api/errors';
import type { Article } from '../../../shared/domain/article';
import type { Person } from '../../../shared/workflow/review-chain';
import type { IdentityService } from '../identity/identity-service';
import type { ScryptParams } from '../identity/keys';
import type { PeopleDirectory } from '../identity/people-directory';
import { t } from '../messages';
import type { WorkspaceStore } from '../store/workspace-store';
import type { SyncService } from './sync-service';
import type { JoinInput, JoinReport } from './workspace-sync';

/*
 * The sync channels' handlers, and the hooks that keep the sync service in
 * step with what people do through the API: a sign-in of the person the
 * desktop syncs as starts the rounds (with the password they just typed, held
 * in memory until they sign out), a workflow step asks for a round at once, a
 * save for one shortly after.
 */

/** How a conflict is read and decided (the article merge's module); absent, the channels say so instead of guessing. */
export interface ConflictAccess {
  read(articleId: string): Promise<SyncConflictView | null>;
  /** The article as the choices decide it; throws a message ready to show when they cannot be applied. */
  decide(articleId: string, choices: Pick<ParsedRequestOf<'sync:resolveConflict'>, 'hunks' | 'fields'>): Promise<Article>;
  /** Removes the conflict once the decided article is saved. */
  clear(articleId: string): Promise<void>;
}

export interface SyncHandlerDeps {
  sync: SyncService;
  store: WorkspaceStore;
  identity: IdentityService;
  directory: PeopleDirectory;
  /** review.saveArticle: the normal save path (lock rules, signed corrections). */
  saveArticle: ApiHandlers['articles:save'];
  join: (input: JoinInput) => Promise<JoinReport>;
  conflicts: ConflictAccess | null;
  scrypt?: ScryptParams;
  log?: (message: string) => void;
}

export type SyncChannel = 'sync:status' | 'sync:now' | 'sync:log' | 'sync:articleStates' | 'sync:conflict' | 'sync:resolveConflict' | 'office:join';
export type SyncHandlers = Pick<ApiHandlers, SyncChannel>;

export function createSyncHandlers(deps: SyncHandlerDeps, readLog: (dir: string, limit: number) => Promise<ResponseOf<'sync:log'>>): SyncHandlers {
  const { sync, store, identity } = deps;
  const person = (context: CallContext): Person => identity.requirePerson(context);
  const noConflicts = (): never => {
    throw new ApiError('internal', t('notify.sync.noConflictModule'));
  };
  return {
    'sync:status': async (_request, context) => {
      person(context);
      return sync.status();
    },
    'sync:now': async (_request, context) => {
      person(context);
      return sync.roundNow();
    },
    'sync:log': async (request, context) => {
      person(context);
      return sync.config ? readLog(sync.dir, request.limit) : [];
    },
    'sync:articleStates': async (_request, context) => {
      person(context);
      return sync.articleStates();
    },
    'sync:conflict': async (request, context) => {
      person(context);
      if (!store.summary(request.articleId)) throw new ApiError('not_found', `article ${request.articleId} does not exist`);
      return deps.conflicts ? deps.conflicts.read(request.articleId) : noConflicts();
    },
    'sync:resolveConflict': async (request, context) => {
      person(context);
      const conflicts = deps.conflicts ?? noConflicts();
      const summary = store.summary(request.articleId);
      if (!summary) throw new ApiError('not_found', `article ${request.articleId} does not exist`);
      if (!(await conflicts.read(request.articleId))) {
        throw new ApiError('conflict', t('notify.sync.noConflict', { title: summary.title }));
      }
      const decided = await conflicts.decide(request.articleId, request);
      // Saved like any edit: refused while the person may not change the article (review locks),
      // signed when the record asks for it, and sent by the next round.
      await deps.saveArticle({ id: request.articleId, meta: decided.meta, doc: decided.doc }, context);
      await conflicts.clear(request.articleId);
      await sync.reinspect();
      sync.nudge(request.articleId);
      return { ok: true };
    },
    'office:join': async (request, context) => {
      if (sync.config || !deps.directory.needsSetup() || (await sync.hasOffice())) {
        throw new ApiError('forbidden', t('notify.sync.joinOnlyFresh'));
      }
      const report = await deps.join({
        serverUrl: request.url,
        personId: request.personId,
        password: request.password,
        dir: store.dir,
        scryptCost: deps.scrypt,
      });
      if (report.status !== 'joined') {
        const code = report.status === 'wrong_password' || report.status === 'unauthorized' ? 'unauthorized' : report.status === 'offline' ? 'conflict' : 'forbidden';
        throw new ApiError(code, t('notify.sync.joinFailed', { detail: report.message }));
      }
      await deps.directory.reloadPeople();
      await sync.refreshConfig();
      // What the join wrote into articles/ joins the list.
      await reloadAll(store);
      const session: SessionInfo = await identity.signIn({ personId: request.personId, password: request.password }, context);
      await afterSignIn(deps, context, request.password);
      return session;
    },
  };
}

async function reloadAll(store: WorkspaceStore): Promise<void> {
  const ids = await readdir(join(store.dir, 'articles')).catch(() => [] as string[]);
  for (const id of ids) await store.reload(id);
}

/** Hands the signed-in person's key and password to the sync service, when there is a key to sign with. */
async function afterSignIn(deps: Pick<SyncHandlerDeps, 'sync' | 'identity' | 'log'>, context: CallContext, password: string): Promise<void> {
  const person = deps.identity.personOf(context);
  if (!person) return;
  let key: ReturnType<IdentityService['signingKey']>;
  try {
    key = deps.identity.signingKey(context, person);
  } catch (error) {
    // No key here (sealed by another machine's keychain, revoked): the rounds cannot sign; the status says why.
    deps.log?.(`[sync] ${person.id} signed in without a usable key: ${error instanceof ApiError ? error.detail : String(error)}`);
    deps.sync.keyUnavailable(person.id, error instanceof ApiError ? error.detail : String(error));
    return;
  }
  await deps.sync.signedIn(context.sessionId, { personId: person.id, name: person.name, password, key });
}

/** Channels after which a round runs at once: others should see a workflow step, a policy change or an import soon. */
const STEPS: ReadonlySet<Channel> = new Set<Channel>([
  'review:submit',
  'review:approve',
  'review:requestChanges',
  'review:chainSave',
  'publish:enqueue',
  'people:save',
  'people:setPassword',
  'people:revokeKey',
  'package:import',
  'articles:purge',
  // The office's settings: other desktops publish and proofread by them.
  'sites:save',
  'proofread:savePack',
  'proofread:deletePack',
]);

/** Channels that change an article: a round once the saving pauses. */
const EDITS: ReadonlySet<Channel> = new Set<Channel>([
  'articles:save',
  'articles:create',
  'articles:trash',
  'articles:restore',
  'assets:add',
  'import:file',
  'import:text',
  'review:comment',
  'review:commentUpdate',
]);

/**
 * The handlers with the sync's hooks around them: sessions start and stop the
 * rounds, workflow steps and saves ask for one. Only after the handler
 * succeeded; a hook's failure never turns a done act into an error.
 */
export function withSyncHooks(handlers: ApiHandlers, deps: Pick<SyncHandlerDeps, 'sync' | 'identity' | 'log'>): ApiHandlers {
  const wrapped = { ...handlers } as Record<Channel, (request: unknown, context: CallContext) => Promise<unknown>>;
  const original = handlers as unknown as typeof wrapped;
  const hook = (channel: Channel, after: (request: unknown, context: CallContext, response: unknown) => Promise<void> | void) => {
    const inner = original[channel];
    wrapped[channel] = async (request, context) => {
      const response = await inner(request, context);
      try {
        await after(request, context, response);
      } catch (error) {
        deps.log?.(`[sync] after ${channel}: ${error instanceof Error ? error.message : String(error)}`);
      }
      return response;
    };
  };
  hook('session:signIn', (request, context) => afterSignIn(deps, context, (request as { password: string }).password));
  hook('session:setup', (request, context) => afterSignIn(deps, context, (request as { password: string }).password));
  // Signing out forgets the session first: what the sync held for it goes with it.
  const signOut = original['session:signOut'];
  wrapped['session:signOut'] = async (request, context) => {
    await deps.sync.signedOut(context.sessionId).catch(() => {});
    return signOut(request, context);
  };
  for (const channel of STEPS) hook(channel, (request) => deps.sync.nudge(articleIdOf(request)));
  for (const channel of EDITS) {
    hook(channel, (request, _context, response) => deps.sync.saved(articleIdOf(request) ?? articleIdOf(response)));
  }
  return wrapped as unknown as ApiHandlers;
}

function articleIdOf(value: unknown): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const v = value as { id?: unknown; articleId?: unknown };
  if (typeof v.articleId === 'string') return v.articleId;
  return typeof v.id === 'string' ? v.id : undefined;
}
