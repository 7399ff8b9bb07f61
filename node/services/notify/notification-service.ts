import { join } from 'node:path';
import type { CallContext, NotificationItem, NotificationList, ParsedRequestOf } from '../../../shared/api/contract';
import type { ArticleSummary } from '../../../shared/domain/article';
import type { VerifiedPolicy } from '../../../shared/record/policy';
import type { Person } from '../../../shared/workflow/review-chain';
import { t } from '../messages';
import { RECORD_FILE } from '../record/record-store';
import type { ReviewStore } from '../review/review-store';
import { statOrNull } from '../store/atomic-file';
import type { WorkspaceStore } from '../store/workspace-store';
import { type ArticleFacts, articleFacts, type DraftNotification, notificationsFor } from './derive';
import { isRead, ReadStateFiles, withRead } from './read-state';
import type { SyncNotice, SyncNotices } from './sync-notices';

/** How far back a writer hears of acts on their articles; what waits for someone is shown however old. */
export const NOTIFICATION_WINDOW_DAYS = 30;
/** The most a list holds (the count covers them all). */
export const MAX_LISTED = 100;

const DAY_MS = 86_400_000;

/** What {@link NotificationService} works with. */
export interface NotificationServiceDeps {
  store: WorkspaceStore;
  reviews: ReviewStore;
  identity: {
    requirePerson(context: CallContext): Person;
    nameOf(personId: string): string;
  };
  now?: () => Date;
  log?: (message: string) => void;
  /** What the office sync told the person it syncs as (conflicts, refusals, approvals undone by a merge, a revoked key). */
  syncNotices?: Pick<SyncNotices, 'forPerson'>;
}

/**
 * The bell: each person's notifications, derived on every call from the
 * verified records of the articles they have a part in, plus the person's own
 * read marks (`<workspace>/notify/<personId>.json`).
 *
 * A poll must stay cheap with thousands of articles, so what a verdict says is
 * kept per article against the record file's size and times and the policy's
 * head — the same things the record store's verdict cache is keyed by. An
 * unchanged record costs one stat; a changed one is verified again (through
 * the review store, so the verdict is shared with the other readers). Drafts
 * (never submitted, so nothing to tell) are not looked at.
 */
export class NotificationService {
  readonly #store: WorkspaceStore;
  readonly #reviews: ReviewStore;
  readonly #identity: NotificationServiceDeps['identity'];
  readonly #now: () => Date;
  readonly #log: (message: string) => void;
  readonly #marks: ReadStateFiles;
  readonly #syncNotices: NotificationServiceDeps['syncNotices'];
  readonly #facts = new Map<string, { key: string; facts: ArticleFacts | null }>();

  constructor(deps: NotificationServiceDeps) {
    this.#store = deps.store;
    this.#reviews = deps.reviews;
    this.#identity = deps.identity;
    this.#now = deps.now ?? (() => new Date());
    this.#log = deps.log ?? (() => {});
    this.#marks = new ReadStateFiles(deps.store.dir, this.#log);
    this.#syncNotices = deps.syncNotices;
  }

  /** notifications:list */
  async list(context: CallContext): Promise<NotificationList> {
    const person = this.#identity.requirePerson(context);
    const all = await this.#notificationsOf(person);
    return this.#withMarks(person, all);
  }

  /** notifications:markRead — the given ids that are in the caller's list, or all of them. */
  async markRead(request: ParsedRequestOf<'notifications:markRead'>, context: CallContext): Promise<NotificationList> {
    const person = this.#identity.requirePerson(context);
    const all = await this.#notificationsOf(person);
    const wanted = request.all ? null : new Set(request.ids ?? []);
    const marked = all.filter((item) => wanted === null || wanted.has(item.id));
    if (marked.length > 0) await this.#marks.update(person.id, (state) => withRead(state, marked, this.#floor()));
    return this.#withMarks(person, all);
  }

  /** Older than anything a writer still hears of: marks before it are folded into one time. */
  #floor(): string {
    return new Date(this.#now().getTime() - (NOTIFICATION_WINDOW_DAYS + 1) * DAY_MS).toISOString();
  }

  async #withMarks(person: Person, all: readonly Omit<NotificationItem, 'read'>[]): Promise<NotificationList> {
    const marks = await this.#marks.read(person.id);
    const items = all.map((item) => ({ ...item, read: isRead(marks, item.id, item.at) }));
    return { items: items.slice(0, MAX_LISTED), unread: items.filter((item) => !item.read).length };
  }

  /** Every notification of the person, newest first, without read marks. */
  async #notificationsOf(person: Person): Promise<Omit<NotificationItem, 'read'>[]> {
    const policy = await this.#reviews.policy();
    const since = new Date(this.#now().getTime() - NOTIFICATION_WINDOW_DAYS * DAY_MS).toISOString();
    const out: Omit<NotificationItem, 'read'>[] = [];
    const seen = new Set<string>();
    for (const summary of this.#store.list()) {
      if (summary.status === 'draft') continue;
      seen.add(summary.id);
      const facts = await this.#factsOf(summary, policy);
      if (!facts) continue;
      for (const draft of notificationsFor(person, summary, facts, policy.latest.chain, since)) {
        out.push(this.#finish(draft, summary));
      }
    }
    // Trashed, purged and returned-to-draft articles leave the cache.
    for (const id of this.#facts.keys()) if (!seen.has(id)) this.#facts.delete(id);
    for (const notice of (await this.#syncNotices?.forPerson(person.id)) ?? []) {
      if (notice.at >= since) out.push(this.#fromSyncNotice(notice));
    }
    return out.sort((a, b) => b.at.localeCompare(a.at) || a.id.localeCompare(b.id));
  }

  #fromSyncNotice(notice: SyncNotice): Omit<NotificationItem, 'read'> {
    const title = notice.articleId ? (this.#store.summary(notice.articleId)?.title ?? notice.articleId) : '';
    const messageKey = `notify.${notice.kind}` as const;
    const params = { title, reason: notice.reason };
    return { id: notice.id, kind: notice.kind, articleId: notice.articleId, title, at: notice.at, actor: null, text: t(messageKey, params), messageKey, params };
  }

  #finish(draft: DraftNotification, summary: ArticleSummary): Omit<NotificationItem, 'read'> {
    const actor = draft.actorId === null ? null : { id: draft.actorId, name: this.#identity.nameOf(draft.actorId) };
    const params = { ...draft.params, title: summary.title, actor: actor?.name ?? '' };
    return {
      id: draft.id,
      kind: draft.kind,
      articleId: summary.id,
      title: summary.title,
      at: draft.at,
      actor,
      text: t(draft.messageKey, params),
      messageKey: draft.messageKey,
      params,
    };
  }

  /** What the article's record says, verified again only when the record file or the policy changed. */
  async #factsOf(summary: ArticleSummary, policy: VerifiedPolicy): Promise<ArticleFacts | null> {
    const info = statOrNull(join(this.#store.articleFolder(summary.id), RECORD_FILE));
    const key = `${info?.size ?? 0}|${info?.mtimeMs ?? 0}|${info?.ctimeMs ?? 0}|${policy.head}`;
    const cached = this.#facts.get(summary.id);
    if (cached?.key === key) return cached.facts;
    let facts: ArticleFacts | null = null;
    if (info) {
      try {
        facts = articleFacts(await this.#reviews.verdict(summary.id, undefined, policy));
      } catch (error) {
        // One unreadable article must not silence everyone's bell; the list and the editor name what is wrong with it.
        this.#log(`[notify] ${summary.id} skipped: ${error instanceof Error ? error.message : String(error)}`);
        return null;
      }
    }
    this.#facts.set(summary.id, { key, facts });
    return facts;
  }
}
