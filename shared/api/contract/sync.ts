import { z } from 'zod';
import type { DocNode } from '../../domain/doc';
import { ArticleIdSchema, channel } from './channel';
import type { SessionInfo } from './session';

/*
 * The office sync as the screens see it: one status for the title bar, a
 * state per article for the list, the sync log, a round on demand, joining an
 * office on a new desktop, and the conflicts a merge left for a person to
 * decide. The work itself runs off the main thread (node/services/sync); these
 * channels only read its state or ask it for a round.
 */

/** The title bar's one word: 已同步 · 待同步 N · 同步中 · 离线 · 冲突 N · 服务器拒绝 · 登录失败 · 已停用. */
export type SyncPhase =
  /** This workspace has not joined an office server: the status is not shown. */
  | 'not_joined'
  | 'synced'
  | 'pending'
  | 'syncing'
  | 'offline'
  | 'conflict'
  /** The server's hook refused what this desktop sent (the reasons are in `message` and the log). */
  | 'refused'
  /** What the server sent did not verify and was not taken. */
  | 'rejected_incoming'
  /** The server turned the login away (password changed on the server, account removed). */
  | 'unauthorized'
  /** The person's key was revoked or the person disabled by the office policy: they can no longer sync; their unsynced work stays here. */
  | 'revoked';

export type RepoKindView = 'office' | 'drafts' | 'submitted' | 'person';

export interface SyncRepoView {
  name: string;
  kind: RepoKindView;
  /** The unit a drafts or submitted repository belongs to. */
  unit: string | null;
  head: string | null;
  lastSyncAt: string | null;
  /** Commits made here and not yet on the server. */
  pending: number;
  problem: string | null;
}

export interface SyncStatusView {
  phase: SyncPhase;
  serverUrl: string | null;
  /** Changed articles (and policy files) not yet on the server. */
  pending: number;
  conflicts: number;
  lastSyncAt: string | null;
  lastAttemptAt: string | null;
  /** When the next background round runs (backs off while offline). */
  nextAttemptAt: string | null;
  /** Ready to show, in the interface's language: why offline, what was refused, why a revoked person cannot sync. */
  message: string | null;
  repos: SyncRepoView[];
}

/** One article's state in the list: blank when synced. */
export type ArticleSyncState = 'synced' | 'pending' | 'conflict' | 'refused' | 'local_only';

export type SyncLogKind =
  | 'joined'
  | 'sent'
  | 'received'
  | 'merged'
  | 'conflict'
  | 'refused'
  | 'rejected_incoming'
  | 'offline'
  | 'unauthorized'
  | 'revoked'
  | 'package_imported'
  | 'error';

export interface SyncLogEntry {
  at: string;
  kind: SyncLogKind;
  /** The repository it concerns, when one. */
  repo: string | null;
  articleIds: string[];
  /** Ready to show. */
  message: string;
}

/** What one round did (`gazette sync` prints the same). */
export interface SyncRoundReport {
  phase: SyncPhase;
  /** Commit ids pushed. */
  sent: string[];
  /** Workspace paths written from the server. */
  received: string[];
  /** Articles whose two sides merged without a conflict. */
  merged: string[];
  /** Articles left 冲突待处理. */
  conflicts: string[];
  /** The server's refusals, per repository, in its words. */
  refused: { repo: string; reasons: string[] }[];
  /** What came from the server and was not taken, and why. */
  rejected: { repo: string; reason: string }[];
  /** Approvals or other acts made here that no longer held after the merge (the content they signed changed on another desktop). */
  invalidated: { articleId: string; message: string }[];
  message: string | null;
}

/** A run of top-level blocks both sides changed, or one side deleted and the other edited. */
export interface ConflictHunk {
  id: string;
  kind: 'both_changed' | 'deleted_here' | 'deleted_there' | 'added_both';
  /** The blocks of the merge base (what both started from). */
  base: DocNode[];
  /** This desktop's blocks: what the article holds now, at `at`. */
  mine: DocNode[];
  /** The other desktop's blocks. */
  theirs: DocNode[];
  /** Index in the article's document where `mine` starts (or where `theirs` would go when `mine` is empty). */
  at: number;
}

/** A metadata field both sides changed to different values. */
export interface ConflictField {
  field: string;
  base: unknown;
  mine: unknown;
  theirs: unknown;
}

export interface SyncConflictView {
  articleId: string;
  title: string;
  detectedAt: string;
  /** Who made the other version and when, as the other side's record says. */
  theirsBy: { personId: string; name: string } | null;
  theirsAt: string | null;
  fields: ConflictField[];
  hunks: ConflictHunk[];
  /** The saved revision holding the other version whole. */
  revisionId: string | null;
}

export const ConflictChoiceSchema = z.enum(['mine', 'theirs', 'both']);
export type ConflictChoice = z.infer<typeof ConflictChoiceSchema>;

export const syncChannels = {
  /** The title bar's status. Any signed-in person. */
  'sync:status': channel<SyncStatusView>('signedIn')(z.object({})),
  /** Runs a round now (or waits for the one running) and returns what it did. */
  'sync:now': channel<SyncRoundReport>('signedIn')(z.object({})),
  /** The newest entries of the sync log first. */
  'sync:log': channel<SyncLogEntry[]>('signedIn')(z.object({ limit: z.number().int().min(1).max(1000).default(200) })),
  /** Each article's sync state, by id; articles missing from the map are synced. */
  'sync:articleStates': channel<Record<string, ArticleSyncState>>('signedIn')(z.object({})),
  /** The conflict left on an article, or null. */
  'sync:conflict': channel<SyncConflictView | null>('signedIn')(z.object({ articleId: ArticleIdSchema })),
  /**
   * Decides an article's conflict: per hunk and per field which side stays
   * (`both`: this desktop's blocks, then the other's; fields take mine or
   * theirs). Every hunk and field must be decided. The result is saved as a
   * normal edit (signed, synced); the conflict is cleared.
   */
  'sync:resolveConflict': channel<{ ok: true }>('signedIn')(
    z.object({
      articleId: ArticleIdSchema,
      hunks: z.array(z.object({ id: z.string().min(1).max(64), take: ConflictChoiceSchema })).max(10_000),
      fields: z.array(z.object({ field: z.string().min(1).max(64), take: z.enum(['mine', 'theirs']) })).max(200),
    }),
  ),
  /**
   * Joins this desktop to an office server as a person: fetches the
   * repositories the person may read, checks everything received, brings the
   * person's password-sealed key from their personal repository, and signs
   * them in. Only on a workspace that has no office yet (else `forbidden`).
   */
  'office:join': channel<SessionInfo>('anyone')(
    z.object({
      url: z.string().url().max(2048),
      personId: z.string().min(1).max(64),
      password: z.string().min(1).max(1024),
    }),
  ),
} as const;
