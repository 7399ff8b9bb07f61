import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { NotificationKind, SyncRoundReport } from '../../../shared/api/contract';
import { isMissing, writeFileAtomic } from '../store/atomic-file';

/*
 * What the office sync tells a person through the bell: a conflict left on an
 * article, the server refusing what this desktop sent, an approval that no
 * longer held after a merge, and a revoked key. Unlike the review's
 * notifications these are not in any record, so each is written down when
 * the round reports it (`<workspace>/notify/sync-notices.jsonl`, this
 * machine's, never synced) for the person the desktop syncs as.
 */

export type SyncNoticeKind = Extract<NotificationKind, 'syncConflict' | 'syncRefused' | 'syncInvalidated' | 'syncRevoked'>;

export interface SyncNotice {
  id: string;
  kind: SyncNoticeKind;
  at: string;
  personId: string;
  /** The article it concerns; '' for the desktop as a whole (a refusal, a revoked key). */
  articleId: string;
  reason: string;
}

const FILE = 'sync-notices.jsonl';
/** Kept lines; older notices fall out of the bell's window long before. */
const KEEP = 1000;

export class SyncNotices {
  readonly #file: string;
  readonly #log: (message: string) => void;
  #cache: SyncNotice[] | null = null;
  /** Articles in conflict after the last round: a conflict still open is not announced again. */
  #openConflicts: Set<string> | null = null;

  constructor(workspaceDir: string, log: (message: string) => void = () => {}) {
    this.#file = join(workspaceDir, 'notify', FILE);
    this.#log = log;
  }

  async all(): Promise<SyncNotice[]> {
    if (this.#cache) return this.#cache;
    let text = '';
    try {
      text = await readFile(this.#file, 'utf8');
    } catch (error) {
      if (!isMissing(error)) this.#log(`[notify] ${FILE} unreadable: ${error instanceof Error ? error.message : String(error)}`);
    }
    const out: SyncNotice[] = [];
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const notice = JSON.parse(line) as SyncNotice;
        if (typeof notice.id === 'string' && typeof notice.kind === 'string' && typeof notice.personId === 'string') out.push(notice);
      } catch {
        // A line cut short by a crash: the rest still count.
      }
    }
    this.#cache = out;
    return out;
  }

  /** The person's notices, newest first. */
  async forPerson(personId: string): Promise<SyncNotice[]> {
    return (await this.all()).filter((n) => n.personId === personId).reverse();
  }

  /**
   * Writes down what a round reported for `personId`. A refusal, an
   * invalidation or a revocation said once is not said again while it is
   * the same; a conflict is announced when it appears, not at every round it
   * stays open. `conflictsNow` are the articles in conflict after the round.
   */
  async record(report: SyncRoundReport, personId: string, at: string, conflictsNow: readonly string[] | null): Promise<SyncNotice[]> {
    const existing = await this.all();
    const said = new Set(existing.map((n) => `${n.personId}|${n.kind}|${n.articleId}|${n.reason}`));
    const open =
      this.#openConflicts ??
      new Set(existing.filter((n) => n.kind === 'syncConflict' && (conflictsNow ?? []).includes(n.articleId)).map((n) => n.articleId));
    const added: SyncNotice[] = [];
    const add = (kind: SyncNoticeKind, articleId: string, reason: string, once: boolean) => {
      const key = `${personId}|${kind}|${articleId}|${reason}`;
      if (once && said.has(key)) return;
      said.add(key);
      added.push({ id: `${articleId || 'desktop'}:${kind}:${at}:${added.length}`, kind, at, personId, articleId, reason });
    };
    for (const id of report.conflicts) if (!open.has(id)) add('syncConflict', id, '', false);
    for (const refusal of report.refused) add('syncRefused', '', refusal.reasons[0] ?? refusal.repo, true);
    for (const item of report.invalidated) add('syncInvalidated', item.articleId, item.message, true);
    if (report.phase === 'revoked') add('syncRevoked', '', report.message ?? '', true);
    this.#openConflicts = new Set(conflictsNow ?? [...open, ...report.conflicts]);
    if (added.length === 0) return added;
    await mkdir(join(this.#file, '..'), { recursive: true });
    const all = [...existing, ...added];
    if (all.length > KEEP) {
      const kept = all.slice(-KEEP);
      await writeFileAtomic(this.#file, kept.map((n) => `${JSON.stringify(n)}\n`).join(''));
      this.#cache = kept;
    } else {
      await appendFile(this.#file, added.map((n) => `${JSON.stringify(n)}\n`).join(''));
      this.#cache = all;
    }
    return added;
  }
}
