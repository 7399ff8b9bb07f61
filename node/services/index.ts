import { join } from 'node:path';
import type { ApiHandlers } from '../../shared/api/contract';
import { type Authorizer, guardHandlers, isPublisherAccess } from '../../shared/api/access';
import { createDispatcher, type Dispatch } from '../../shared/api/dispatch';
import { articleToHtmlDocument } from '../../shared/html/serialize';
import { createApiHandlers } from './api-handlers';
import { MigrationService } from './import/migration';
import type { PrintToPdf } from './export';
import { ImportThread } from './import/import-thread';
import { NotificationService } from './notify/notification-service';
import { ProofreadService } from './proofread/service';
import { releaseMemory } from './store/release-memory';
import { CheckThread } from './proofread/check-thread';
import {
  type CredentialStore,
  EncryptedFileCredentialStore,
  moveMachineSecretOut,
  type SafeStorageLike,
  SafeStorageCredentialStore,
} from './publish/credentials';
import type { PublishTarget } from './publish/outbox/target';
import { PendingPublicationsService, requirePublisherRole } from './publish/pending';
import { openPublishing, type Publishing, type RemoteTargetFactory } from './publish';
import { IdentityService, type IdentityServiceOptions } from './identity/identity-service';
import { PeopleDirectory } from './identity/people-directory';
import { ReviewService } from './review/review-service';
import { ReviewStore } from './review/review-store';
import { renderSignoffPdf } from './review/signoff-pdf';
import { SignoffService } from './review/signoff-service';
import { nodeRecordCrypto } from './record/crypto';
import { OfficePolicyStore } from './record/policy-store';
import { ArticleRecordStore } from './record/record-store';
import { WorkspaceVerifier } from './record/workspace-verifier';
import { WorkspaceStore } from './store/workspace-store';
// A path helper, shared with the web host and the desktop app so all three agree on the per-user folder.
import { userDataDir } from '../webhost/paths';
import { acquireWorkspaceLock, type LockProgram } from './store/workspace-lock';
import { buildFromTemplate } from './templates';
import { TransferService } from './transfer/transfer-service';
import { SyncNotices } from './notify/sync-notices';
import { conflictAccess, hasSyncConflict } from './sync/conflict-access';
import { recordImportForOffice } from './sync/package-import';
import { createSyncHandlers, withSyncHooks } from './sync/sync-handlers';
import { SyncService, type SyncServiceOptions } from './sync/sync-service';
import { unitsOf } from './sync/office-repos';
import { joinOfficeServer, readSyncConfig, readSyncLog } from './sync/workspace-sync';

/** An open workspace: the API both transports and the CLI call, plus asset lookup. */
export interface Workspace {
  dir: string;
  handlers: ApiHandlers;
  dispatch: Dispatch;
  /** Absolute path of an article's asset, or null if `src` is not a file inside its assets folder. */
  assetPath(articleId: string, src: string): string | null;
  /** Sessions, people and their keys, and the role checks every other service asks. */
  identity: IdentityService;
  /** Review transitions, the reviewers' views, and the saves review governs. */
  review: ReviewService;
  /** The sign-off sheet, and whether an article's current text may be published. */
  signoff: SignoffService;
  /** Signed packages between workstations, and the trusted keys they are checked against. */
  transfer: TransferService;
  /** Sites, static builds, the portal preview and the publishing outbox. */
  publish: Publishing;
  /** Rule packs, server-side checks, overrides and the submit/publish gate. */
  proofread: ProofreadService;
  /** Checks the policy chain, every article's signed record, content hash and assets (`gazette verify`). */
  verifier: WorkspaceVerifier;
  /** The office sync: background rounds in a worker thread while the person this desktop joined as is signed in. */
  sync: SyncService;
  /** Finishes pending writes and flushes the index; call before the process exits. */
  close(): Promise<void>;
}

/**
 * Options of {@link openWorkspace}. `keySealing`, `failureDelayMs` and
 * `scrypt` go to the identity service.
 */
export interface OpenWorkspaceOptions extends Pick<IdentityServiceOptions, 'keySealing' | 'failureDelayMs' | 'scrypt'> {
  now?: () => Date;
  log?: (msg: string) => void;
  /**
   * Electron's safeStorage: publishing passwords are then sealed by the OS
   * keychain. Without it (web host, CLI) they are AES-encrypted with a key
   * derived from this workspace's secret in `secretsDir`.
   */
  safeStorage?: SafeStorageLike;
  /** One file as the secret of the encrypted credential file, instead of one per workspace in `secretsDir`. */
  machineSecretFile?: string;
  /**
   * The user's own folder of per-workspace secrets (0700, each file 0600),
   * outside the workspace so a copy of it cannot decrypt the passwords.
   * Default: `secrets` in Gazette's per-user folder (~/.config/Gazette,
   * %APPDATA%\Gazette, ~/Library/Application Support/Gazette).
   */
  secretsDir?: string;
  /** Replaces the credential store altogether (tests). */
  credentials?: CredentialStore;
  /** Send due publishing jobs on a timer (default true; the CLI sends only when asked). */
  autoStartOutbox?: boolean;
  /** Live-page verification after publishing; null turns it off. */
  verifyFetch?: typeof fetch | null;
  /** First retry delay of the outbox. */
  retryBaseDelayMs?: number;
  /** Builds WordPress/MetaWeblog targets (tests, fault-injection proxies). */
  remoteTarget?: RemoteTargetFactory;
  /** The office's rule packs (default `<workspace>/rules`; the CLI's --rules). */
  rulesDir?: string;
  /** Prints the 公文 page to PDF: Electron's printToPDF in the desktop app (headless Chromium when absent). */
  printToPdf?: PrintToPdf;
  /**
   * Take the workspace for this program (`<dir>/.gazette.lock`) before anything
   * in it is read: a second program refuses to open it, naming the holder.
   * The desktop app, the web host and the CLI pass it; tests that open one
   * folder twice in a process on purpose leave it out.
   */
  lockAs?: LockProgram;
  /**
   * Answer signing in and the list's first page while the articles load, and
   * everything else once they are loaded (see WorkspaceStore.openEarly): an
   * archive of 100,000 articles takes seconds to load. The desktop app and
   * the web host pass it; tests and the CLI get the workspace loaded.
   */
  loadInBackground?: boolean;
  /** The office sync's timing, retries and where its rounds run (tests). */
  sync?: Partial<Pick<SyncServiceOptions, 'intervalMs' | 'saveDelayMs' | 'backoff' | 'retry' | 'runner'>>;
}

function credentialStoreFor(dir: string, options: OpenWorkspaceOptions): CredentialStore {
  if (options.credentials) return options.credentials;
  const secrets = join(dir, '.secrets');
  if (options.safeStorage?.isEncryptionAvailable()) {
    return new SafeStorageCredentialStore({ file: join(secrets, 'credentials.safe.json'), safeStorage: options.safeStorage });
  }
  const file = join(secrets, 'credentials.json');
  if (options.machineSecretFile) return new EncryptedFileCredentialStore({ file, machineSecretFile: options.machineSecretFile });
  return new EncryptedFileCredentialStore({ file, secretsDir: secretsDirOf(options) });
}

function secretsDirOf(options: OpenWorkspaceOptions): string {
  // The same per-user folder the desktop app and `npm run web` keep their data in.
  return options.secretsDir ?? join(userDataDir(), 'secrets');
}

/** Earlier versions kept the machine secret in the workspace, beside the passwords it opens: it moves out on open. */
async function moveLegacySecret(dir: string, options: OpenWorkspaceOptions, log: (msg: string) => void): Promise<void> {
  if (options.credentials || options.machineSecretFile) return;
  const secrets = join(dir, '.secrets');
  try {
    const done = await moveMachineSecretOut({
      legacySecretFile: join(secrets, 'machine.key'),
      credentialsFile: join(secrets, 'credentials.json'),
      secretsDir: secretsDirOf(options),
    });
    if (done && 'moved' in done) log(`[credentials] moved the workspace's machine secret out of it, to ${done.moved}`);
    if (done && 'removed' in done) log(`[credentials] removed the workspace's unused machine secret ${done.removed}`);
  } catch (error) {
    // The passwords still open with the key where it is; publishing must not stop over the move.
    log(`[credentials] could not move the machine secret out of the workspace: ${error instanceof Error ? error.message : String(error)}`);
  }
}

export type { PublishTarget };

/** Opens the workspace in `dir` (created if missing) with every service wired up. */
export async function openWorkspace(
  dir: string,
  options: OpenWorkspaceOptions = {},
): Promise<Workspace> {
  const log = options.log ?? (() => {});
  const lock = options.lockAs ? await acquireWorkspaceLock(dir, options.lockAs, { log }) : null;
  try {
    const workspace = await openLocked(dir, options, log);
    if (!lock) return workspace;
    return {
      ...workspace,
      close: async () => {
        try {
          await workspace.close();
        } finally {
          await lock.release();
        }
      },
    };
  } catch (error) {
    await lock?.release();
    throw error;
  }
}

/**
 * Gives back the memory the background load grew into, once the articles are
 * read, once their full-text index is built and written, and once more when
 * the host has settled (each a single pause of a tenth of a second).
 */
function releaseMemoryAfterLoading(store: WorkspaceStore, log: (msg: string) => void): void {
  store.loaded
    .then(() => {
      releaseMemory();
      return store.fullTextReady();
    })
    .then(() => (store.closed ? undefined : store.flushIndex()))
    .then(() => {
      if (store.closed) return;
      releaseMemory();
      // V8 gives back the room its young generation grew to (32 MB) only in
      // a collection that follows another by a few seconds of little
      // allocation, which the moment right after the load is not.
      let settled = 0;
      const whenSettled = setInterval(() => {
        if (!store.closed) releaseMemory();
        if (++settled === 2 || store.closed) clearInterval(whenSettled);
      }, 6_000);
      whenSettled.unref();
    })
    .catch((error: unknown) => log(`[store] ${String(error)}`));
}

async function openLocked(dir: string, options: OpenWorkspaceOptions, log: (msg: string) => void): Promise<Workspace> {
  const store = options.loadInBackground
    ? await WorkspaceStore.openEarly(dir, { now: options.now, log })
    : await WorkspaceStore.open(dir, { now: options.now, log });
  if (options.loadInBackground) releaseMemoryAfterLoading(store, log);
  await moveLegacySecret(store.dir, options, log);
  const now = options.now;
  const directory = await PeopleDirectory.open(store.dir);
  const policies = new OfficePolicyStore(store.dir, nodeRecordCrypto);
  const identity = new IdentityService(directory, {
    policies,
    now,
    log,
    keySealing: options.keySealing,
    failureDelayMs: options.failureDelayMs,
    scrypt: options.scrypt,
  });
  await identity.refreshPolicy();
  const records = new ArticleRecordStore({ folderOf: (id) => store.articleFolder(id), crypto: nodeRecordCrypto, log });
  const reviews = new ReviewStore({ store, records, policy: () => identity.policy() });
  const signoff = new SignoffService({ store, directory, identity, reviews, now, renderPdf: (sheet) => renderSignoffPdf(sheet) });
  // Review asks proofreading before submission, and proofreading records its
  // overrides in review's audit trail: the gate reaches proofreading when called.
  const review = new ReviewService({
    store,
    directory,
    identity,
    reviews,
    now,
    log,
    submitGate: (article): Promise<void> => proofread.assertNoBlockingErrors(article, 'submit'),
    inSyncConflict: (articleId) => hasSyncConflict(store, articleId),
  });
  // Checks run off the main thread with a time limit: the API both transports answer on never waits on one.
  const checkThread = new CheckThread();
  const proofread = new ProofreadService(store, identity, review, {
    rulesDir: options.rulesDir,
    check: checkThread.check,
    now,
    log,
    indexNoSharedWith: (articleId) => publish.indexNumbers.sharing(articleId),
  });
  const transfer = new TransferService({
    store,
    directory,
    identity,
    reviews,
    records,
    policies,
    now,
    // Joined to an office server: the import becomes a signed commit naming the package.
    onImported: (imported) => recordImportForOffice(store.dir, identity, sync, imported),
    // What the import writes and its commit, never overlapped by a round.
    exclusive: (act) => sync.exclusive(act),
  });
  const publish = await openPublishing({
    store,
    guard: identity,
    approvals: signoff,
    trail: review,
    publishGate: (article) => proofread.assertNoBlockingErrors(article, 'publish'),
    credentials: credentialStoreFor(store.dir, options),
    now: options.now ? () => (options.now as () => Date)().getTime() : undefined,
    log,
    verifyFetch: options.verifyFetch,
    retryBaseDelayMs: options.retryBaseDelayMs,
    autoStart: options.autoStartOutbox,
    remoteTarget: options.remoteTarget,
    // The office's 索引号 are in the signed records it syncs (each desktop's disclosure/ stays on it).
    recordedIndexNumbers: async () => {
      const policy = await reviews.policy();
      const numbers = new Map<string, string>();
      for (const summary of [...store.list(), ...store.list({ trash: true })]) {
        const verdict = await records.verdict(summary.id, policy, null).catch(() => null);
        if (verdict?.indexNo) numbers.set(summary.id, verdict.indexNo);
      }
      return numbers;
    },
    // Joined to an office: the numbers other desktops took since the last round are fetched first.
    // Offline, the number is assigned from what is known, and a duplicate shows in proofreading once synced.
    beforeNumbering: async () => {
      if (!sync.active) return;
      await sync.roundNow().catch((error: unknown) => log(`sync before assigning 索引号: ${error instanceof Error ? error.message : String(error)}`));
    },
  });
  const syncNotices = new SyncNotices(store.dir, log);
  const notifications = new NotificationService({ store, reviews, identity, now, log, syncNotices });
  const pending = new PendingPublicationsService({ store, reviews, outbox: publish.outbox, guard: identity });
  const sync = new SyncService({
    dir: store.dir,
    readConfig: readSyncConfig,
    now,
    log,
    units: async () => unitsOf((await identity.policy()).latest),
    // What another desktop sent joins the list; what the round reported reaches the bell.
    diskChanged: async (articles) => {
      if (articles === 'unknown') await store.reconcile();
      else for (const id of articles) await store.reload(id);
    },
    afterRound: async (report, inspection, personId) => {
      // A newer policy the round wrote decides who works here, in which roles, from now on.
      if (report.received.some((path) => path.startsWith('office/'))) await identity.refreshPolicy();
      // Site profiles an administrator changed on another desktop: the outbox opens again with their targets.
      await publish.sites.received(report.received.flatMap((path) => /^sites\/([a-z0-9][a-z0-9_-]{0,63})\.json$/.exec(path)?.[1] ?? []));
      await syncNotices.record(report, personId, (now ?? (() => new Date()))().toISOString(), inspection?.conflicts ?? null);
    },
    ...options.sync,
  });
  await sync.refreshConfig();
  const syncHandlers = createSyncHandlers(
    {
      sync,
      store,
      identity,
      directory,
      saveArticle: (request, context) => review.saveArticle(request, context),
      join: joinOfficeServer,
      conflicts: conflictAccess(store),
      scrypt: options.scrypt,
      log,
    },
    readSyncLog,
  );
  // Files are read off the main thread with time and heap limits: a hostile file costs an error message, never the host.
  const importThread = new ImportThread();
  const migrations = new MigrationService(store.dir);
  const unguarded = withSyncHooks(
    createApiHandlers(
      store,
      {
        buildFromTemplate,
        importFileBuffer: importThread.importFile,
        importPortalText: importThread.importText,
        articleToHtmlDocument,
        printToPdf: options.printToPdf,
        migrations,
        log,
      },
      { identity, review, signoff, transfer, notifications, pending, sync: syncHandlers },
      publish,
      proofread,
    ),
    { sync, identity, log },
  );
  const authorize: Authorizer = (access, context) => {
    if (isPublisherAccess(access)) requirePublisherRole(identity, context, access.publisher);
    else identity.authorize(access, context);
  };
  const handlers = guardHandlers(waitingForArticles(unguarded, store), authorize);
  return {
    dir: store.dir,
    handlers,
    dispatch: createDispatcher(unguarded, authorize, log),
    assetPath: (articleId, src) => store.assetPath(articleId, src),
    identity,
    review,
    signoff,
    transfer,
    publish,
    proofread,
    verifier: new WorkspaceVerifier({ store, reviews, policies }),
    sync,
    close: async () => {
      await migrations.close();
      await checkThread.close();
      await importThread.close();
      await sync.close();
      await publish.outbox.close();
      await store.close();
    },
  };
}

/** Where the workspace lives when the user has not chosen a folder. */
export function defaultWorkspaceDir(userDataDir: string): string {
  return join(userDataDir, 'workspace');
}

/**
 * Channels answered while the articles are still loading: signing in, the
 * settings and the workspace's name, and the list (whose handler gives its
 * first page from the rows known so far and waits for anything else).
 */
const ANSWERED_WHILE_LOADING: ReadonlySet<string> = new Set([
  'session:get',
  'session:setup',
  'session:signIn',
  'session:signOut',
  'settings:get',
  'workspace:info',
  'articles:list',
]);

/** Every other channel waits until the store has loaded every article, so no answer is made from part of the workspace. */
function waitingForArticles(handlers: ApiHandlers, store: WorkspaceStore): ApiHandlers {
  const wrapped = { ...handlers } as Record<string, (request: unknown, context: unknown) => Promise<unknown>>;
  for (const [channel, handler] of Object.entries(handlers) as [string, (request: unknown, context: unknown) => Promise<unknown>][]) {
    if (ANSWERED_WHILE_LOADING.has(channel)) continue;
    wrapped[channel] = async (request, context) => {
      if (store.loading) await store.loaded;
      return handler(request, context);
    };
  }
  return wrapped as unknown as ApiHandlers;
}
