import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { HttpClient } from 'isomorphic-git';
import type { SyncLogEntry, SyncRoundReport } from '../../../shared/api/contract/sync';
import type { ScryptParams } from '../identity/keys';
import type { RetryPolicy, SyncCredentials, SyncSigner } from './client';

/*
 * A desktop and all of its office's repositories. The office server holds one
 * repository per readership (./office-repos.ts); this module keeps a
 * workspace joined to every one its person may read — each in its own folder
 * under `<workspace>/.sync/`, never synced itself — and decides, for every
 * changed file, which of them carries it.
 */

export const SYNC_DIR = '.sync';
export const SYNC_CONFIG_FORMAT = 'gazette/sync-config/v1';

export interface SyncConfig {
  format: typeof SYNC_CONFIG_FORMAT;
  /** The server's base, e.g. http://host:8418/git/ (a repository is `<base><name>.git`). */
  serverUrl: string;
  personId: string;
  rootKeyId: string;
  joinedAt: string;
}

/** The join's configuration, or null when this workspace has not joined an office server. */
export async function readSyncConfig(dir: string): Promise<SyncConfig | null> {
  let text: string;
  try {
    text = await readFile(join(resolve(dir), SYNC_DIR, 'config.json'), 'utf8');
  } catch {
    return null;
  }
  const parsed = JSON.parse(text) as Partial<SyncConfig>;
  if (parsed.format !== SYNC_CONFIG_FORMAT || !parsed.serverUrl || !parsed.personId || !parsed.rootKeyId) return null;
  return parsed as SyncConfig;
}

export interface JoinInput {
  serverUrl: string;
  personId: string;
  password: string;
  dir: string;
  http?: HttpClient;
  /** scrypt cost of the password hash written into people.json (tests lower it). */
  scryptCost?: ScryptParams;
  /** Pauses between tries when the server does not answer (tests shorten them). */
  retry?: Partial<RetryPolicy>;
}

export type JoinReport =
  | { status: 'joined'; repos: string[]; received: number; person: { id: string; name: string }; keyEnrolled: boolean; alreadyJoined?: boolean }
  | {
      status: 'refused' | 'unauthorized' | 'offline' | 'wrong_office' | 'local_files_differ' | 'no_key' | 'wrong_password' | 'not_in_office';
      message: string;
      repo?: string;
      paths?: string[];
    };

export function joinOfficeServer(_input: JoinInput): Promise<JoinReport> {
  throw new Error('not yet');
}

export interface WorkspaceSyncOptions {
  credentials: () => SyncCredentials | Promise<SyncCredentials>;
  signer: SyncSigner | null;
  log?: (message: string) => void;
  retry?: Partial<RetryPolicy>;
  http?: HttpClient;
}

export interface CommitReport {
  commits: { repo: string; commit: string }[];
  /** Paths no repository of this person carries (never synced, or another unit's). */
  skipped: string[];
}

export interface PendingWork {
  /** Articles with changes not yet on the server. */
  articles: string[];
  /** Workspace paths changed here and not yet committed. */
  paths: string[];
  /** Commits made here and not yet pushed, per repository. */
  unpushed: { repo: string; commits: number }[];
}

export class WorkspaceSync {
  readonly config: SyncConfig;
  readonly dir: string;

  private constructor(dir: string, config: SyncConfig) {
    this.dir = dir;
    this.config = config;
  }

  /** The workspace's sync, or null when it has not joined an office server. */
  static async open(dir: string, _options: WorkspaceSyncOptions): Promise<WorkspaceSync | null> {
    const config = await readSyncConfig(dir);
    return config ? new WorkspaceSync(resolve(dir), config) : null;
  }

  /**
   * Commits the current files of these workspace paths into the repositories
   * that carry them (an article to its unit's drafts or submitted work, moving
   * it from drafts to submitted once its record has a submission).
   */
  commitPaths(_paths: readonly string[], _message?: string): Promise<CommitReport> {
    throw new Error('not yet');
  }

  /** Commits every synced file of one article (and its tombstone). */
  commitArticle(_articleId: string, _message?: string): Promise<CommitReport> {
    throw new Error('not yet');
  }

  /** Files changed here and not yet committed, plus commits not yet pushed, per repository. */
  pending(): Promise<PendingWork> {
    throw new Error('not yet');
  }

  /**
   * One round over every repository, the office's first: commit what changed,
   * fetch, merge or fast-forward, push. Never throws for the network or a
   * refusal: the report says what happened.
   */
  round(): Promise<SyncRoundReport> {
    throw new Error('not yet');
  }
}

/** The newest `limit` entries of the sync log, newest first. */
export function readSyncLog(_dir: string, _limit = 200): Promise<SyncLogEntry[]> {
  throw new Error('not yet');
}
