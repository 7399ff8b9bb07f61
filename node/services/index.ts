import { join } from 'node:path';
import type { ApiHandlers } from '../../shared/api/contract';
import { createDispatcher, type Dispatch } from '../../shared/api/dispatch';
import { articleToHtmlDocument } from '../../shared/html/serialize';
import { createApiHandlers } from './api-handlers';
import { importFileBuffer, importPortalText } from './import';
import { ProofreadService } from './proofread/service';
import {
  type CredentialStore,
  EncryptedFileCredentialStore,
  type SafeStorageLike,
  SafeStorageCredentialStore,
} from './publish/credentials';
import type { PublishTarget } from './publish/outbox/target';
import { PublishService, type PublishServiceOptions } from './publish/service';
import { Directory } from './review/directory';
import type { KeyProtector, ScryptParams } from './review/keys';
import { ReviewService } from './review/review-service';
import { renderSignoffPdf } from './review/signoff-pdf';
import { WorkspaceStore } from './store/workspace-store';
import { buildFromTemplate } from './templates';

/** An open workspace: the API both transports and the CLI call, plus asset lookup. */
export interface Workspace {
  dir: string;
  handlers: ApiHandlers;
  dispatch: Dispatch;
  /** Absolute path of an article's asset, or null if `src` is not a file inside its assets folder. */
  assetPath(articleId: string, src: string): string | null;
  /** Sessions, people, review transitions, packages; also `assertPublishable` for publishing (issue 4). */
  review: ReviewService;
  /** Sites, preview and the publishing outbox (issue 4). */
  publish: PublishService;
  /** Rule packs, server-side checks, overrides and the submit/publish gate (issue 5). */
  proofread: ProofreadService;
  /** Finishes pending writes and flushes the index; call before the process exits. */
  close(): Promise<void>;
}

/** Options of {@link openWorkspace}. */
export interface OpenWorkspaceOptions {
  now?: () => Date;
  log?: (msg: string) => void;
  /**
   * Seals people's private signing keys. The desktop app passes a safeStorage
   * protector; the web host and CLI leave it out (the person's password seals them).
   */
  keyProtector?: (password: string) => KeyProtector;
  /** Delay after a failed sign-in (default 300 ms). */
  failureDelayMs?: number;
  /** scrypt cost of new password hashes (tests lower it). */
  scrypt?: ScryptParams;
  /**
   * Electron's safeStorage: publishing passwords are then sealed by the OS
   * keychain. Without it (web host, CLI) they are AES-encrypted with a key
   * derived from `machineSecretFile` (0600).
   */
  safeStorage?: SafeStorageLike;
  /** The per-machine secret of the encrypted credential file (default `<ws>/.secrets/machine.key`). */
  machineSecretFile?: string;
  /** Replaces the credential store altogether (tests). */
  credentials?: CredentialStore;
  /** Send due publishing jobs on a timer (default true; the CLI sends only when asked). */
  autoStartOutbox?: boolean;
  /** Live-page verification after publishing; null turns it off. */
  verifyFetch?: typeof fetch | null;
  /** First retry delay of the outbox. */
  retryBaseDelayMs?: number;
  /** Builds WordPress/MetaWeblog targets (tests, fault-injection proxies). */
  remoteTarget?: PublishServiceOptions['remoteTarget'];
  /** The office's rule packs (default `<workspace>/rules`; the CLI's --rules). */
  rulesDir?: string;
}

function credentialStoreFor(dir: string, options: OpenWorkspaceOptions): CredentialStore {
  if (options.credentials) return options.credentials;
  const secrets = join(dir, '.secrets');
  if (options.safeStorage?.isEncryptionAvailable()) {
    return new SafeStorageCredentialStore({ file: join(secrets, 'credentials.safe.json'), safeStorage: options.safeStorage });
  }
  return new EncryptedFileCredentialStore({
    file: join(secrets, 'credentials.json'),
    machineSecretFile: options.machineSecretFile ?? join(secrets, 'machine.key'),
  });
}

export type { PublishTarget };

/** Opens the workspace in `dir` (created if missing) with every service wired up. */
export async function openWorkspace(
  dir: string,
  options: OpenWorkspaceOptions = {},
): Promise<Workspace> {
  const log = options.log ?? (() => {});
  const store = await WorkspaceStore.open(dir, { now: options.now, log });
  const directory = await Directory.open(store.dir);
  const review = new ReviewService(store, directory, {
    now: options.now,
    log,
    keyProtector: options.keyProtector,
    failureDelayMs: options.failureDelayMs,
    scrypt: options.scrypt,
    renderPdf: (sheet) => renderSignoffPdf(sheet),
  });
  const publish = await PublishService.open({
    store,
    review,
    credentials: credentialStoreFor(store.dir, options),
    now: options.now ? () => (options.now as () => Date)().getTime() : undefined,
    log,
    verifyFetch: options.verifyFetch,
    retryBaseDelayMs: options.retryBaseDelayMs,
    autoStart: options.autoStartOutbox,
    remoteTarget: options.remoteTarget,
  });
  const proofread = new ProofreadService(store, review, { rulesDir: options.rulesDir, now: options.now, log });
  review.setSubmitGate((article) => proofread.assertNoBlockingErrors(article, 'submit'));
  publish.setPublishGate((article) => proofread.assertNoBlockingErrors(article, 'publish'));
  const handlers = createApiHandlers(
    store,
    { buildFromTemplate, importFileBuffer, importPortalText, articleToHtmlDocument, log },
    review,
    publish,
    proofread,
  );
  return {
    dir: store.dir,
    handlers,
    dispatch: createDispatcher(handlers, log),
    assetPath: (articleId, src) => store.assetPath(articleId, src),
    review,
    publish,
    proofread,
    close: async () => {
      await publish.close();
      await store.close();
    },
  };
}

/** Where the workspace lives when the user has not chosen a folder. */
export function defaultWorkspaceDir(userDataDir: string): string {
  return join(userDataDir, 'workspace');
}
