import { plainHttpRefusal, type PublishTargetConfig } from '../../../../shared/api/contract';
import { MetaWeblogClient } from '../metaweblog/client';
import { isStatic, type SiteService, type StaticTargetConfig, type TargetEntry } from '../sites';
import type { StaticPublisher } from '../static/publisher';
import type { OutboxJob } from './outbox';
import { PublishError } from './publish-error';
import type { PublishPayload, PublishTarget, RemotePost } from './target';

/** A target the outbox sends to over the network. */
export type RemoteTargetConfig = Extract<PublishTargetConfig, { kind: 'wordpress' | 'metaweblog' }>;

/** Builds the client of a remote target from its configuration and password. */
export type RemoteTargetFactory = (config: RemoteTargetConfig, secret: string) => PublishTarget;

/** A target the outbox drives whose real client is made at send time, with the credential read just then. */
class DeferredTarget implements PublishTarget {
  constructor(
    readonly id: string,
    readonly label: string,
    private readonly resolve: () => Promise<PublishTarget>,
  ) {}

  async findByJobId(jobId: string): Promise<RemotePost | null> {
    return (await this.resolve()).findByJobId(jobId);
  }

  async create(payload: PublishPayload, jobId: string): Promise<RemotePost> {
    return (await this.resolve()).create(payload, jobId);
  }

  async update(remoteId: string, payload: PublishPayload, jobId: string): Promise<RemotePost> {
    return (await this.resolve()).update(remoteId, payload, jobId);
  }

  async withdraw(remoteId: string): Promise<void> {
    return (await this.resolve()).withdraw(remoteId);
  }
}

/** A static target: the remote id is the article id; pushing rebuilds the site and mirrors it. */
class StaticTarget implements PublishTarget {
  constructor(
    readonly id: string,
    readonly label: string,
    private readonly push: (jobId: string) => Promise<RemotePost>,
    private readonly remove: (articleId: string) => Promise<void>,
  ) {}

  // Rebuilding is idempotent, so a retried job simply pushes again: there is no second post to avoid.
  async findByJobId(): Promise<RemotePost | null> {
    return null;
  }

  create(_payload: PublishPayload, jobId: string): Promise<RemotePost> {
    return this.push(jobId);
  }

  update(_remoteId: string, _payload: PublishPayload, jobId: string): Promise<RemotePost> {
    return this.push(jobId);
  }

  withdraw(remoteId: string): Promise<void> {
    return this.remove(remoteId);
  }
}

/** The WordPress or MetaWeblog client of a target. WordPress's is loaded only when a site uses it. */
async function connectRemote(config: RemoteTargetConfig, secret: string): Promise<PublishTarget> {
  // A site file saved before https was required (or edited by hand) is held to the same rule as a save.
  const refusal = plainHttpRefusal(config);
  if (refusal) throw new Error(refusal);
  if (config.kind === 'wordpress') {
    const { WordPressClient } = await import('../wordpress/client');
    return new WordPressClient({
      id: config.id,
      baseUrl: config.baseUrl,
      user: config.user,
      appPassword: secret,
      categoryMap: config.categoryMap,
      skipColumns: config.skipColumns,
      postStatus: config.postStatus,
      withdrawMode: config.withdrawMode,
    });
  }
  return new MetaWeblogClient({ id: config.id, endpoint: config.endpoint, blogId: config.blogId, user: config.user, password: secret });
}

/** What {@link siteTargets} needs to turn the sites' target configurations into outbox targets. */
export interface SiteTargetWiring {
  sites: SiteService;
  staticPublisher: StaticPublisher;
  /** The queued job a static push belongs to (its snapshot is named by article and content hash). */
  jobOf(jobId: string): OutboxJob | null;
  /** Replaces {@link connectRemote} (tests, fault-injection proxies). */
  remoteTarget?: RemoteTargetFactory;
}

function staticTarget(entry: TargetEntry & { config: StaticTargetConfig }, wiring: SiteTargetWiring): PublishTarget {
  const { siteId, config } = entry;
  return new StaticTarget(
    config.id,
    config.label,
    async (jobId) => {
      const job = wiring.jobOf(jobId);
      if (!job) throw new PublishError('local', 'publish.error.job_not_found', { job: jobId });
      return wiring.staticPublisher.push(siteId, config, job.articleId, job.contentHash);
    },
    (articleId) => wiring.staticPublisher.withdraw(siteId, config, articleId),
  );
}

/** One outbox target per target of every readable site. */
export async function siteTargets(wiring: SiteTargetWiring): Promise<PublishTarget[]> {
  const out: PublishTarget[] = [];
  for (const { siteId, config } of (await wiring.sites.targets()).values()) {
    if (isStatic(config)) {
      out.push(staticTarget({ siteId, config }, wiring));
      continue;
    }
    out.push(
      new DeferredTarget(config.id, config.label, async () => {
        const secret = (await wiring.sites.secret(config, true)) ?? '';
        return wiring.remoteTarget ? wiring.remoteTarget(config, secret) : connectRemote(config, secret);
      }),
    );
  }
  return out;
}
