import type { KeyObject } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import type { RetryPolicy, SyncCredentials } from './client';
import { syncSignerFor } from './client';
import { entryAt, isTree, readCommit, readTree } from './git-objects';
import { ObjectStore } from './object-store';
import { type RoundLook, SYNC_DIR, WorkspaceSync } from './workspace-sync';

/*
 * The office sync's thread. Everything that reads or hashes the workspace for
 * the sync, talks to the server or writes git objects runs here, so the main
 * thread (the API both transports call, the Electron window) never waits on
 * it. The main thread sends what to do (./sync-service.ts, WorkerSyncRunner)
 * and gets data back; one request at a time is enough, the service never
 * sends a second before the first is answered.
 */

/** What the main thread opens the sync with: the signed-in person's unlocked key and login, in memory only. */
export interface WorkerOpen {
  dir: string;
  personId: string;
  name: string;
  keyId: string;
  publicKey: string;
  privateKey: KeyObject;
  credentials: SyncCredentials;
  retry?: Partial<RetryPolicy>;
}

export type WorkerRequest =
  | { id: number; op: 'open'; open: WorkerOpen }
  | { id: number; op: 'round'; look?: RoundLook }
  | { id: number; op: 'inspect' }
  | { id: number; op: 'commit'; paths: string[]; message?: string }
  | { id: number; op: 'recordImport'; sha256: string; articleIds: string[] }
  | { id: number; op: 'close' };

export type WorkerReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string } | { log: string };

/** One repository as the worker sees it on disk. */
export interface RepoInspection {
  name: string;
  head: string | null;
}

/** What the status needs besides the last round's report. */
export interface SyncInspection {
  /** Articles changed here and not yet on the server. */
  pendingArticles: string[];
  /** Other changed paths (the policy, a tombstone) not yet on the server. */
  pendingOther: string[];
  unpushed: { repo: string; commits: number }[];
  /** Articles a merge left 冲突待处理 (their folder holds sync-conflict.json). */
  conflicts: string[];
  /** Articles whose change the server refused, held back until they change again (the desktop's own record of refusals, kept across rounds and restarts). */
  refused: string[];
  /** Pending articles no repository holds yet: never sent anywhere. */
  localOnly: string[];
  repos: RepoInspection[];
}

export const CONFLICT_FILE = 'sync-conflict.json';

async function headOf(gitdir: string): Promise<string | null> {
  try {
    const text = (await readFile(join(gitdir, 'refs', 'heads', 'main'), 'utf8')).trim();
    if (/^[0-9a-f]{40}$/.test(text)) return text;
  } catch {
    // No commit yet, or the branch is packed: packed-refs below.
  }
  try {
    const packed = await readFile(join(gitdir, 'packed-refs'), 'utf8');
    const line = packed.split('\n').find((l) => l.endsWith(' refs/heads/main'));
    return line ? line.slice(0, 40) : null;
  } catch {
    return null;
  }
}

/** Ids of the articles whose folder a repository's head holds. */
async function articlesIn(gitdir: string, head: string, cache: object): Promise<string[]> {
  const source = new ObjectStore(gitdir, cache);
  const tree = (await readCommit(source, head)).tree;
  const entry = await entryAt(source, tree, 'articles');
  if (!entry || !isTree(entry)) return [];
  return (await readTree(source, entry.oid)).filter((e) => isTree(e)).map((e) => e.name);
}

async function conflictedArticles(dir: string): Promise<string[]> {
  const out: string[] = [];
  let names: string[];
  try {
    names = await readdir(join(dir, 'articles'));
  } catch {
    return out;
  }
  for (const name of names) {
    if (await stat(join(dir, 'articles', name, CONFLICT_FILE)).catch(() => null)) out.push(name);
  }
  return out.sort();
}

/** Reads the pending work, the conflicts and every repository's head. */
export async function inspect(sync: WorkspaceSync, cache: object): Promise<SyncInspection> {
  const pending = await sync.pending();
  const repos: RepoInspection[] = [];
  const held = new Set<string>();
  const syncDir = join(sync.dir, SYNC_DIR);
  const folders = (await readdir(syncDir).catch(() => [] as string[])).filter((n) => n.endsWith('.git')).sort();
  for (const folder of folders) {
    const gitdir = join(syncDir, folder);
    const head = await headOf(gitdir);
    const name = folder.slice(0, -'.git'.length);
    repos.push({ name, head });
    if (head && (name.endsWith('-drafts') || name.endsWith('-submitted'))) {
      for (const id of await articlesIn(gitdir, head, cache).catch(() => [])) held.add(id);
    }
  }
  const pendingArticles = [...new Set(pending.articles)].sort();
  const pendingOther = pending.paths.filter((p) => !p.startsWith('articles/'));
  return {
    pendingArticles,
    pendingOther,
    unpushed: pending.unpushed,
    conflicts: [...new Set([...(await conflictedArticles(sync.dir)), ...pending.conflicts])].sort(),
    refused: [...pending.refused].sort(),
    localOnly: pendingArticles.filter((id) => !held.has(id)),
    repos,
  };
}

// ───────────────────────────── the thread ─────────────────────────────

/** Marks the thread the service started, so importing this module elsewhere (a test runner's own worker) starts nothing. */
export const WORKER_MARK = 'gazette-sync-worker';

if (parentPort && (workerData as { mark?: string } | null)?.mark === WORKER_MARK) {
  const port = parentPort;
  let sync: WorkspaceSync | null = null;
  let credentials: SyncCredentials | null = null;
  const cache = {};
  const need = (): WorkspaceSync => {
    if (!sync) throw new Error('the office sync is not open in this thread');
    return sync;
  };
  const handle = async (request: WorkerRequest): Promise<unknown> => {
    switch (request.op) {
      case 'open': {
        const o = request.open;
        credentials = o.credentials;
        const signer = syncSignerFor({ keyId: o.keyId, personId: o.personId, publicKey: o.publicKey, privateKey: o.privateKey }, o.name);
        sync = await WorkspaceSync.open(o.dir, {
          credentials: () => {
            if (!credentials) throw new Error('signed out');
            return credentials;
          },
          signer,
          retry: o.retry,
          log: (message) => port.postMessage({ log: message } satisfies WorkerReply),
        });
        return sync !== null;
      }
      case 'round':
        return need().round(request.look);
      case 'inspect':
        return inspect(need(), cache);
      case 'commit':
        return need().commitPaths(request.paths, request.message);
      case 'recordImport':
        // Here, not on the main thread: the sync's queue runs it before or after a round, never inside one.
        return need().recordPackageImport(request.sha256, request.articleIds);
      case 'close':
        // The password goes with the session: nothing of it stays in this thread.
        credentials = null;
        sync = null;
        return true;
    }
  };
  port.on('message', (request: WorkerRequest) => {
    handle(request).then(
      (value) => port.postMessage({ id: request.id, ok: true, value } satisfies WorkerReply),
      (error: unknown) =>
        port.postMessage({
          id: request.id,
          ok: false,
          error: error instanceof Error ? (error.stack ?? error.message) : String(error),
        } satisfies WorkerReply),
    );
  });
}
