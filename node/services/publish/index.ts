import { join } from 'node:path';
import type { CredentialStore } from './credentials';
import { IndexNumbers } from './index-numbers';
import { OutboxRunner, type OutboxRunnerOptions } from './outbox/runner';
import { PreviewService } from './preview';
import { SiteService } from './sites';
import { StaticPublisher } from './static/publisher';

export type { ApprovalCheck, PublishGate, SessionGuard } from './access';
export type { RemoteTargetFactory } from './outbox/site-targets';

/**
 * Options of {@link openPublishing}: the outbox's (session checks, approvals,
 * the proofreading gate, timing and target clients) plus the credential store
 * the targets' passwords live in.
 */
export interface PublishingOptions extends Omit<OutboxRunnerOptions, 'sites' | 'staticPublisher' | 'dir' | 'indexNumbers'> {
  credentials: CredentialStore;
  /** Every article's 索引号 as its verified record says (the office's numbers, as far as synced). */
  recordedIndexNumbers?: () => Promise<ReadonlyMap<string, string>>;
}

/** Publishing in one workspace, by responsibility. */
export interface Publishing {
  /** Site profiles, themes, targets and the targets' passwords (`<ws>/sites/`). */
  sites: SiteService;
  /** Live copies, static builds and their deployment to static targets. */
  staticPublisher: StaticPublisher;
  /** The portal preview of an article. */
  preview: PreviewService;
  /** The durable outbox (`<ws>/outbox/`): queueing, sending, retries and receipts. */
  outbox: OutboxRunner;
  /** The 索引号 assigned here and signed in the office's records. */
  indexNumbers: IndexNumbers;
}

/** Wires publishing into a workspace; an existing outbox is loaded (and, with autoStart, resumed) at once. */
export async function openPublishing(options: PublishingOptions): Promise<Publishing> {
  const { credentials, recordedIndexNumbers, ...outboxOptions } = options;
  const { store, guard, log } = options;
  const outboxDir = join(store.dir, 'outbox');
  const sites = new SiteService({ store, guard, credentials, log });
  const staticPublisher = new StaticPublisher({ store, sites, snapshotDir: join(outboxDir, 'snapshots'), log });
  const indexNumbers = new IndexNumbers({ dir: join(store.dir, 'disclosure'), recorded: recordedIndexNumbers });
  const preview = new PreviewService({ store, guard, sites, staticPublisher, indexNumbers });
  const outbox = await OutboxRunner.open({ ...outboxOptions, sites, staticPublisher, dir: outboxDir, indexNumbers });
  return { sites, staticPublisher, preview, outbox, indexNumbers };
}
