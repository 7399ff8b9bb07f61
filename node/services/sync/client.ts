import { createHash, sign as nodeSign } from 'node:crypto';
import * as fs from 'node:fs';
import { mkdir, open, readFile, rename, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import git, { type HttpClient } from 'isomorphic-git';
import type { UnlockedKey } from '../identity/keys';
import { t } from '../messages';
import { nodeRecordCrypto } from '../record/crypto';
import { isMissing, writeFileAtomic } from '../store/atomic-file';
import { KeyedQueue } from '../store/keyed-queue';
import {
  commitPayload,
  diffTrees,
  entryAt,
  FILE_MODE,
  type Identity,
  isTree,
  type ObjectSource,
  commitsBetween,
  readCommit,
  readTree,
  serializeTree,
  TREE_MODE,
  type TreeEntry,
  timezoneOf,
  withSignature,
} from './git-objects';
import { checkCommits, checkSnapshot, rootKeyOf, verifiedPolicyAt } from './history-check';
import { SYNC_CONFLICT_FILE } from '../../../shared/sync/article-merge';
import { type ArticleNotice, keepRefusedVersion, type MergePlan, planMerge, refreshHeldConflict, SYNC_CONFLICT_RECORD_FILE, writeLocalOutcome } from './merge';
import type { RecordResigner } from './record-merge';
import { nodeHttpClient } from './http';
import { ObjectStore } from './object-store';
import { pushBranch } from './push';
import { REFUSAL_PREFIX, type Refusal, type RefusalCode } from './refusals';
import { isSyncedPath } from './scope';
import { allowedSigners, committerEmail, type Ed25519Sign, sshSign } from './sshsig';

/*
 * The desktop's side of the office repository, in JavaScript (isomorphic-git
 * for fetching and packed objects; no git binary on the desktops). The
 * workspace folder is the work tree and `<workspace>/.git` the repository, but
 * git's index is never used: a commit writes the changed files' blobs and the
 * trees on their paths straight into the object store — it never looks at the
 * rest of the workspace; its cost is the folders on the path, `articles/`'s
 * list of names being the largest — and every commit is signed in
 * SSH-signature format with the person's Ed25519 key, so stock
 * `git verify-commit` accepts it.
 *
 * `sync()` fetches, fast-forwards when it can (after checking everything it
 * received against the same rules the server's hook applies), and pushes
 * what the new commits changed (./push.ts).
 * A server out of reach is an answer (`offline`), not an exception, after a
 * few tries with growing pauses. When both sides have moved on, the two are
 * merged (./merge.ts: by article field and block, records re-chained; never
 * git's text merge) into a signed commit with both as parents, which is then
 * pushed like any other (`merged`); only where no merge can be made — no key
 * to sign it, a key the office revoked, two different versions of one policy
 * version — is the answer `diverged`, with nothing local touched.
 *
 * An article 冲突待处理 here (its conflict file beside it) is held: never
 * committed, never overwritten by what the server sends (its conflict is
 * made again against a newer version instead), until the person decides. A
 * push the server's hook refuses is set aside (`refs/gazette/refused/…`, the
 * branch back at the server's tip, the files untouched) and the paths it
 * concerns are not committed again until they change, so one refused change
 * never blocks the rest of the repository.
 */

export const BRANCH = 'main';
const LOCAL_REF = `refs/heads/${BRANCH}`;
const REMOTE = 'origin';

/** Who commits: the person and a way to sign with their office key. */
export interface SyncSigner {
  personId: string;
  /** Shown as the commit's author and committer name. */
  name: string;
  /** Raw 32-byte Ed25519 public key, base64, as the office policy lists it. */
  publicKey: string;
  sign: Ed25519Sign;
}

/** The signer for a person's unlocked key (node/services/identity/keys). */
export function syncSignerFor(key: UnlockedKey, name: string): SyncSigner {
  return { personId: key.personId, name, publicKey: key.publicKey, sign: (data) => nodeSign(null, data, key.privateKey) };
}

export interface SyncCredentials {
  username: string;
  password: string;
}

export interface RetryPolicy {
  /** Rounds tried before reporting `offline` (1: no retry). */
  attempts: number;
  /** Pause before the second try; doubled each time up to `maxDelayMs`. */
  baseDelayMs: number;
  maxDelayMs: number;
}

const DEFAULT_RETRY: RetryPolicy = { attempts: 4, baseDelayMs: 1000, maxDelayMs: 30_000 };

/** Why a round could not reach the server, or was turned away before any work. */
export type Unreachable =
  | { status: 'offline'; attempts: number; error: string }
  | { status: 'unauthorized'; error: string };

export type SyncResult =
  /** Nothing to send or receive. */
  | { status: 'up_to_date'; head: string | null }
  /**
   * Sent `sent` (commit ids) or received `received` (workspace paths that
   * changed on disk). `conflicts`: articles 冲突待处理 here that the server
   * changed again (their conflict made again against the newer version, their
   * text here kept); `notices`: what to tell about them and about refused
   * changes the server's newer version replaced.
   */
  | { status: 'synced'; head: string; sent: string[]; received: string[]; conflicts?: string[]; notices?: ArticleNotice[] }
  /**
   * Both sides have commits the other lacks: nothing was changed locally.
   * `localChanges` lists files that were edited here but not yet committed and
   * that the server also changed; they were committed first, so they are safe
   * (`local` is that commit). A desktop with no commit yet commits nothing on
   * its own (that would start a second history): `local` is null and its files
   * stay as they are.
   */
  | {
      status: 'diverged';
      local: string | null;
      remote: string;
      localChanges: string[];
      /** Why no merge was made: no key here, a key or person the office's policy no longer allows, or files no merge can decide (`problem` says which). */
      reason?: 'no_signer' | 'signer_revoked' | 'unmergeable' | 'uncommitted';
      /** Ready to show. */
      problem?: string;
    }
  /**
   * Both sides had moved on and were merged into `head` (signed, parents: this
   * desktop's commit and the server's), which was pushed. `merged`: articles
   * whose two sides merged cleanly; `conflicts`: articles left 冲突待处理
   * (their conflict file is written); `invalidated`: this desktop's acts the
   * merged record no longer holds; `notices`: everything else to tell.
   */
  | {
      status: 'merged';
      head: string;
      sent: string[];
      received: string[];
      merged: string[];
      conflicts: string[];
      invalidated: ArticleNotice[];
      notices: ArticleNotice[];
    }
  /**
   * The server's hook refused the push; `reasons` are its lines (Chinese,
   * then English). The branch went back to the server's tip, so the
   * repository is not blocked: the refused commits stay under `ref`, their
   * changes are uncommitted again (`uncommitted`, the files untouched), and
   * `marked` — the paths the refusal concerns (those of the articles it
   * names, else all) — are not committed again until their files change.
   */
  | { status: 'refused'; reasons: string[]; codes: RefusalCode[]; error: string; ref?: string; uncommitted?: string[]; marked?: string[] }
  /** What the server sent does not keep the office's rules: nothing was taken. */
  | { status: 'rejected_incoming'; refusal: Refusal }
  | Unreachable;

/** A workspace file as its repository has it, and its stat when that was known. */
export interface MatchingFile {
  path: string;
  oid: string;
  size: number;
  mtimeMs: number;
}

/** How many files a join writes at once. */
const JOIN_WRITES_AT_ONCE = 16;

/** Runs `work` over `items`, at most `limit` at a time. */
async function eachLimit<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

export type JoinResult =
  | {
      status: 'joined';
      head: string | null;
      received: string[];
      /** The workspace files the join left as the repository has them (written, or found identical), with their stat then. */
      matching?: MatchingFile[];
    }
  | { status: 'already_joined' }
  /** Files here differ from the office's copy of the same paths: nothing was overwritten, nothing joined. */
  | { status: 'local_files_differ'; paths: string[] }
  | { status: 'rejected_incoming'; refusal: Refusal }
  | Unreachable;

export interface CommitResult {
  /** The new commit, or null when the files are as the last commit has them. */
  commit: string | null;
  /** Paths whose change the commit carries. */
  committed: string[];
  /** Paths that never sync (outside {@link isSyncedPath}), left out. */
  skipped: string[];
  /** Paths left out because their article is 冲突待处理 here, or the server refused them and they have not changed since. */
  held: string[];
}

/** A change the server refused, as this desktop had it then: not committed again while the file is unchanged. */
export interface RefusedMark {
  /** The file's blob id when it was refused; null: it was a deletion. */
  oid: string | null;
  at: string;
  /** Where the refused commits are kept. */
  ref: string;
  reasons: string[];
}

const REFUSED_FILE = 'gazette-refused.json';
const ARTICLE_OF = /^articles\/([A-Za-z0-9_-]{6,64})\//;

// ───────────────────────────── plumbing ─────────────────────────────

function gitdirOf(dir: string): string {
  return join(dir, '.git');
}

/** The id git gives a file's bytes (`git hash-object`). */
function blobOid(bytes: Uint8Array): string {
  return createHash('sha1').update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

async function readFileOrNull(path: string): Promise<Buffer | null> {
  try {
    return await readFile(path);
  } catch (error) {
    if (isMissing(error) || (error as NodeJS.ErrnoException).code === 'EISDIR') return null;
    throw error;
  }
}

async function resolveOrNull(gitdir: string, ref: string): Promise<string | null> {
  try {
    return await git.resolveRef({ fs, gitdir, ref });
  } catch (error) {
    if ((error as { code?: string }).code === 'NotFoundError') return null;
    throw error;
  }
}

/**
 * Moves the branch the way git itself does: the new id is written to
 * `<ref>.lock`, synced, and renamed over the ref, so a crash leaves the old
 * value or the new one, never half of either.
 */
async function setRef(gitdir: string, ref: string, oid: string): Promise<void> {
  const file = join(gitdir, ...ref.split('/'));
  await mkdir(dirname(file), { recursive: true });
  const lock = `${file}.lock`;
  const handle = await open(lock, 'w');
  try {
    await handle.writeFile(`${oid}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(lock, file);
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'ECONNABORTED',
  'ERR_STREAM_PREMATURE_CLOSE',
  // isomorphic-git's names for a reply that ended early or made no sense: what a
  // server killed mid-answer leaves (its status line never came).
  'EmptyServerResponseError',
  'SmartHttpError',
  'ParseError',
]);

function classify(error: unknown): Unreachable | null {
  const e = error as { code?: string; message?: string; data?: { statusCode?: number; statusMessage?: string } };
  const message = e?.message ?? String(error);
  if (e?.code === 'HttpError') {
    const status = e.data?.statusCode ?? 0;
    if (status === 401 || status === 403) return { status: 'unauthorized', error: message };
    return { status: 'offline', attempts: 0, error: message };
  }
  if (e?.code && NETWORK_CODES.has(e.code)) return { status: 'offline', attempts: 0, error: message };
  return null;
}

/**
 * The login sent with the first request: isomorphic-git would otherwise ask
 * each time without it, be told 401, and ask again — a wasted round trip per
 * request over an office's network.
 */
function basicAuth({ username, password }: SyncCredentials): Record<string, string> {
  return { Authorization: `Basic ${Buffer.from(`${username}:${password}`, 'utf8').toString('base64')}` };
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

// ───────────────────────────── joining ─────────────────────────────

export interface JoinOptions {
  url: string;
  username: string;
  password: string;
  /** The workspace folder (created if missing). */
  dir: string;
  /** The office's root key id when the person was told it: an office server answering with another office is refused. */
  rootKeyId?: string;
  http?: HttpClient;
  /** The repository's folder (default `<dir>/.git`): a desktop working with several of the office's repositories keeps each apart. */
  gitdir?: string;
  /** Which workspace paths this repository carries (default: every synced path). */
  scope?: (path: string) => boolean;
  /** Paths where the server's version replaces a different one here (kept as `<file>.bak`) instead of stopping the join: the office's settings. */
  takeServer?: (path: string) => boolean;
}

/**
 * Joins the office whose repository is at `url`: fetches it into
 * `<dir>/.git`, checks what it received (every commit signed by a key of the
 * office, the policy and every record verifying), and writes its files into
 * the workspace. Files the workspace already has at the same paths must be
 * identical, or nothing is written and the join is undone.
 */
export async function joinOffice(options: JoinOptions): Promise<JoinResult> {
  const dir = resolve(options.dir);
  const gitdir = options.gitdir ? resolve(options.gitdir) : gitdirOf(dir);
  const scope = options.scope ?? isSyncedPath;
  if (await stat(gitdir).catch(() => null)) return { status: 'already_joined' };
  await mkdir(dir, { recursive: true });
  const undo = () => rm(gitdir, { recursive: true, force: true });
  try {
    await git.init({ fs, dir, gitdir, defaultBranch: BRANCH });
    await git.addRemote({ fs, gitdir, remote: REMOTE, url: options.url });
    const cache = {};
    const fetched = await git.fetch({
      fs,
      http: options.http ?? nodeHttpClient(),
      gitdir,
      remote: REMOTE,
      ref: BRANCH,
      singleBranch: true,
      tags: false,
      cache,
      headers: basicAuth(options),
      onAuth: () => ({ username: options.username, password: options.password }),
    });
    const remote = fetched.fetchHead ?? null;
    if (remote === null) return { status: 'joined', head: null, received: [] };
    const source = new ObjectStore(gitdir, cache);
    const commits = await commitsBetween(source, remote, null);
    const root = commits.find((c) => c.parents.length === 0);
    const rootKeyId = root ? await rootKeyOf(source, root.oid) : null;
    // Every commit's signature now; the records and policy as they stand below
    // (replaying every commit's changes is the server's job at push time).
    const signatures = await checkCommits({
      source,
      commits: commits.map((c) => c.oid),
      establishedRoot: null,
      knownTips: [],
      validAt: 'commit',
      crypto: nodeRecordCrypto,
      pinnedRootKeyId: options.rootKeyId ?? null,
      signaturesOnly: true,
    });
    const tree = (await readCommit(source, remote)).tree;
    const refused = signatures ?? (rootKeyId ? await checkSnapshot(source, tree, rootKeyId, nodeRecordCrypto) : null);
    if (refused) {
      await undo();
      return { status: 'rejected_incoming', refusal: refused };
    }
    const files = (await listFiles(source, tree)).filter((f) => scope(f.path));
    const differ: string[] = [];
    const replaced = new Set<string>();
    for (const file of files) {
      const local = await readFileOrNull(join(dir, file.path));
      if (local === null || blobOid(local) === file.oid) continue;
      if (options.takeServer?.(file.path)) replaced.add(file.path);
      else differ.push(file.path);
    }
    if (differ.length) {
      await undo();
      return { status: 'local_files_differ', paths: differ };
    }
    const received: string[] = [];
    const matching: MatchingFile[] = [];
    // Several files at a time: each is still synced before it is renamed into place, and the disk
    // takes those syncs together (one after another, a 10,000-article unit spent most of its join here).
    await eachLimit(files, JOIN_WRITES_AT_ONCE, async (file) => {
      const target = join(dir, file.path);
      if (!replaced.has(file.path) && (await readFileOrNull(target))) {
        const info = await stat(target).catch(() => null);
        if (info) matching.push({ path: file.path, oid: file.oid, size: info.size, mtimeMs: info.mtimeMs });
        return;
      }
      await mkdir(dirname(target), { recursive: true });
      // The copy this desktop had stays beside it (`.bak`), never lost.
      const stamp = await writeFileAtomic(target, await readBlobBytes(source, file.oid), { backup: replaced.has(file.path) });
      matching.push({ path: file.path, oid: file.oid, size: stamp.size, mtimeMs: stamp.mtimeMs });
      received.push(file.path);
    });
    received.sort();
    await setRef(gitdir, LOCAL_REF, remote);
    await writeAllowedSigners(gitdir, source, remote);
    return { status: 'joined', head: remote, received, matching };
  } catch (error) {
    await undo();
    const unreachable = classify(error);
    if (unreachable?.status === 'offline') return { ...unreachable, attempts: 1 };
    if (unreachable) return unreachable;
    throw error;
  }
}

/**
 * `.git/allowed_signers` from the office policy at `head` (verified from the
 * repository's root key), and the repository set to use it: stock
 * `git log --show-signature` and `git verify-commit` in a workspace check
 * commits against the office's keys, revoked ones with their end date.
 */
async function writeAllowedSigners(gitdir: string, source: ObjectSource, head: string): Promise<void> {
  let root = head;
  for (;;) {
    const { parents } = await readCommit(source, root);
    if (parents.length === 0) break;
    root = parents[0]!;
  }
  const rootKeyId = await rootKeyOf(source, root);
  const policy = rootKeyId ? await verifiedPolicyAt(source, (await readCommit(source, head)).tree, rootKeyId, nodeRecordCrypto) : null;
  if (!policy) return;
  const file = join(gitdir, 'allowed_signers');
  await writeFileAtomic(file, allowedSigners(policy.latest));
  await git.setConfig({ fs, gitdir, path: 'gpg.format', value: 'ssh' });
  await git.setConfig({ fs, gitdir, path: 'gpg.ssh.allowedSignersFile', value: file });
}

async function readBlobBytes(source: ObjectSource, oid: string): Promise<Buffer> {
  return (await source.read(oid)).data;
}

async function listFiles(source: ObjectSource, tree: string, prefix = ''): Promise<Array<{ path: string; oid: string }>> {
  const out: Array<{ path: string; oid: string }> = [];
  for (const entry of await readTree(source, tree)) {
    if (isTree(entry)) out.push(...(await listFiles(source, entry.oid, `${prefix}${entry.name}/`)));
    else out.push({ path: `${prefix}${entry.name}`, oid: entry.oid });
  }
  return out;
}

// ───────────────────────────── the desktop's sync ─────────────────────────────

export interface OfficeSyncOptions {
  /** The workspace folder, joined with {@link joinOffice}. */
  dir: string;
  /** Asked at each round (the password may have changed since). */
  credentials: () => SyncCredentials | Promise<SyncCredentials>;
  /** Who signs commits; null for a desktop that only receives. */
  signer: SyncSigner | null;
  now?: () => Date;
  retry?: Partial<RetryPolicy>;
  http?: HttpClient;
  log?: (message: string) => void;
  /** The repository's folder (default `<dir>/.git`). */
  gitdir?: string;
  /** Which workspace paths this repository carries (default: every synced path); others are skipped when committing and left alone when receiving. */
  scope?: (path: string) => boolean;
  /**
   * A path this repository's history deletes but that the workspace still
   * needs, because another of the office's repositories now carries it (an
   * article moved from a unit's drafts to its submitted work): the file is
   * left in place.
   */
  keepOnDelete?: (path: string) => boolean;
}

const ARTICLE_FILE_OF = /^articles\/([^/]+)\/article\.json$/;

/** What git's receive-pack says when another push moved the branch between this push's check and its update. */
const BRANCH_RACE = /^(failed to update ref|failed to lock|cannot lock ref|fetch first|non-fast-forward|stale info)/;

export class OfficeSyncClient {
  readonly dir: string;
  readonly #gitdir: string;
  readonly #options: OfficeSyncOptions;
  readonly #retry: RetryPolicy;
  readonly #http: HttpClient;
  readonly #now: () => Date;
  readonly #log: (message: string) => void;
  readonly #queue = new KeyedQueue();
  // isomorphic-git keeps parsed pack indexes here between calls.
  readonly #cache = {};
  readonly #source: ObjectStore;
  readonly #scope: (path: string) => boolean;

  constructor(options: OfficeSyncOptions) {
    this.dir = resolve(options.dir);
    this.#gitdir = options.gitdir ? resolve(options.gitdir) : gitdirOf(this.dir);
    this.#scope = options.scope ?? isSyncedPath;
    this.#options = options;
    this.#retry = { ...DEFAULT_RETRY, ...options.retry };
    this.#http = options.http ?? nodeHttpClient();
    this.#now = options.now ?? (() => new Date());
    this.#log = options.log ?? (() => {});
    this.#source = new ObjectStore(this.#gitdir, this.#cache);
  }

  /** The commit the workspace is at, or null before the first one. */
  head(): Promise<string | null> {
    return resolveOrNull(this.#gitdir, LOCAL_REF);
  }

  /**
   * Commits the current contents of `paths` (workspace-relative; a missing
   * file is a deletion), signed by the signer. Paths that never sync are
   * skipped and listed. Only the trees on the changed paths are read and
   * rewritten.
   */
  commitChanged(paths: readonly string[], message?: string): Promise<CommitResult> {
    return this.#queue.run('repo', () => this.#commit(paths, message));
  }

  async #commit(paths: readonly string[], message?: string): Promise<CommitResult> {
    const signer = this.#options.signer;
    if (!signer) throw new Error('this desktop has no signing key: it cannot commit');
    const skipped: string[] = [];
    const held: string[] = [];
    const changes = new Map<string, string | null>();
    const refused = await this.refusedChanges();
    let refusedChanged = false;
    for (const raw of paths) {
      const path = this.#relative(raw);
      if (path === null || !this.#scope(path)) {
        skipped.push(raw);
        continue;
      }
      // Its text here is not agreed: the office keeps the other version until the person decides.
      if (this.#held(path)) {
        held.push(path);
        continue;
      }
      const bytes = await readFileOrNull(join(this.dir, path));
      const oid = bytes === null ? null : blobOid(bytes);
      const mark = refused[path];
      if (mark && mark.oid === oid) {
        // Sending the same again would only be refused again, and block everything else with it.
        held.push(path);
        continue;
      }
      if (mark) {
        delete refused[path];
        refusedChanged = true;
      }
      changes.set(path, bytes === null ? null : await this.#source.write('blob', bytes));
    }
    if (refusedChanged) await this.#writeRefused(refused);
    const head = await this.head();
    const baseTree = head ? (await readCommit(this.#source, head)).tree : null;
    const committed: string[] = [];
    const changeList: Array<[string[], string | null]> = [...changes].map(([path, oid]) => [path.split('/'), oid]);
    const tree = (await this.#applyChanges(baseTree, changeList, '', committed)) ?? (await this.#emptyTree());
    if (tree === baseTree || committed.length === 0) return { commit: null, committed: [], skipped, held };
    committed.sort();
    const commit = await this.#writeCommit(signer, tree, head ? [head] : [], message ?? defaultMessage(committed));
    await setRef(this.#gitdir, LOCAL_REF, commit);
    if (committed.some((path) => path.startsWith('office/'))) await writeAllowedSigners(this.#gitdir, this.#source, commit);
    return { commit, committed, skipped, held };
  }

  /**
   * Whether `path` belongs to an article 冲突待处理 here (a conflict file, or
   * a record kept aside, beside it): such an article is never committed nor
   * overwritten by a sync until the person has decided.
   */
  #held(path: string): boolean {
    const id = ARTICLE_OF.exec(path)?.[1];
    if (!id) return false;
    const folder = join(this.dir, 'articles', id);
    return fs.existsSync(join(folder, SYNC_CONFLICT_FILE)) || fs.existsSync(join(folder, SYNC_CONFLICT_RECORD_FILE));
  }

  /** The changes the server refused that are still as they were then, by path. */
  async refusedChanges(): Promise<Record<string, RefusedMark>> {
    const bytes = await readFileOrNull(join(this.#gitdir, REFUSED_FILE));
    if (!bytes) return {};
    try {
      const parsed = JSON.parse(bytes.toString('utf8')) as { marks?: Record<string, RefusedMark> };
      return parsed.marks && typeof parsed.marks === 'object' ? parsed.marks : {};
    } catch {
      // A damaged file only means a refused change may be sent once more.
      return {};
    }
  }

  async #writeRefused(marks: Record<string, RefusedMark>): Promise<void> {
    const file = join(this.#gitdir, REFUSED_FILE);
    if (Object.keys(marks).length === 0) {
      await unlink(file).catch((error: unknown) => {
        if (!isMissing(error)) throw error;
      });
      return;
    }
    await writeFileAtomic(file, `${JSON.stringify({ format: 'gazette/sync-refused/v1', marks }, null, 2)}\n`);
  }

  /** Whether the workspace file at `path` (blob id `current`) is a change the server refused, unchanged since. */
  #refusedUnchanged(marks: Record<string, RefusedMark>, path: string, current: string | null): boolean {
    const mark = marks[path];
    return mark !== undefined && mark.oid === current;
  }

  /** Workspace-relative slash path, or null for one outside the workspace. */
  #relative(path: string): string | null {
    const rel = relative(this.dir, resolve(this.dir, path));
    if (rel === '' || rel.startsWith('..') || rel.startsWith(sep) || /^[A-Za-z]:/.test(rel)) return null;
    return rel.split(sep).join(posix.sep);
  }

  async #emptyTree(): Promise<string> {
    return this.#source.write('tree', Buffer.alloc(0));
  }

  /**
   * The tree `treeOid` with `changes` applied (blob id, or null to delete);
   * null when nothing is left in it. Subtrees no change reaches keep their ids
   * unread. The paths whose content changed are added to `changed`.
   */
  async #applyChanges(
    treeOid: string | null,
    changes: Array<[string[], string | null]>,
    prefix: string,
    changed: string[],
  ): Promise<string | null> {
    const entries = new Map<string, TreeEntry>((treeOid ? await this.#source.tree(treeOid) : []).map((e) => [e.name, e]));
    const below = new Map<string, Array<[string[], string | null]>>();
    let dirty = false;
    for (const [parts, oid] of changes) {
      const [name, ...rest] = parts as [string, ...string[]];
      if (rest.length) {
        below.set(name, [...(below.get(name) ?? []), [rest, oid]]);
        continue;
      }
      const existing = entries.get(name);
      if (oid === null) {
        if (existing && !isTree(existing)) {
          entries.delete(name);
          changed.push(`${prefix}${name}`);
          dirty = true;
        }
      } else if (!existing || existing.oid !== oid || isTree(existing)) {
        entries.set(name, { mode: FILE_MODE, name, oid });
        changed.push(`${prefix}${name}`);
        dirty = true;
      }
    }
    for (const [name, sub] of below) {
      const existing = entries.get(name);
      const subtree = await this.#applyChanges(existing && isTree(existing) ? existing.oid : null, sub, `${prefix}${name}/`, changed);
      if (subtree === null) {
        if (existing) {
          entries.delete(name);
          dirty = true;
        }
      } else if (existing?.oid !== subtree) {
        entries.set(name, { mode: TREE_MODE, name, oid: subtree });
        dirty = true;
      }
    }
    if (!dirty) return treeOid;
    if (entries.size === 0) return null;
    const list = [...entries.values()];
    return this.#source.writeTree(list, serializeTree(list));
  }

  async #writeCommit(signer: SyncSigner, tree: string, parents: string[], message: string): Promise<string> {
    const now = this.#now();
    const identity: Identity = {
      name: signer.name,
      email: committerEmail(signer.personId),
      timestamp: Math.floor(now.getTime() / 1000),
      timezone: timezoneOf(now),
    };
    const payload = commitPayload({ tree, parents, author: identity, committer: identity, message });
    return this.#source.write('commit', withSignature(payload, sshSign(payload, signer.publicKey, signer.sign)));
  }

  /**
   * One sync: fetch, then fast-forward or push. A server out of reach is
   * retried with growing pauses, then reported as `offline`.
   */
  sync(): Promise<SyncResult> {
    return this.#queue.run('repo', async () => {
      for (let attempt = 1; ; attempt++) {
        try {
          return await this.#round();
        } catch (error) {
          const unreachable = classify(error);
          if (!unreachable) throw error;
          if (unreachable.status === 'unauthorized') return unreachable;
          this.#log(`[sync] attempt ${attempt}: ${unreachable.error}`);
          if (attempt >= this.#retry.attempts) return { ...unreachable, attempts: attempt };
          await sleep(Math.min(this.#retry.baseDelayMs * 2 ** (attempt - 1), this.#retry.maxDelayMs));
        }
      }
    });
  }

  async #round(): Promise<SyncResult> {
    const credentials = await this.#options.credentials();
    const auth = { headers: basicAuth(credentials), onAuth: () => credentials };
    // What merges this round made (a round that has to fetch again merges again on top).
    let merge: MergeReport | null = null;
    const localChanges: string[] = [];
    // The remote may move between our fetch and our push; a few rounds settle it.
    for (let round = 0; round < 3; round++) {
      const fetchStart = performance.now();
      // isomorphic-git moves origin/main as soon as the server's answer
      // starts, before the pack has arrived: a fetch cut short would leave it
      // naming a commit this desktop does not hold. It is put back.
      const remoteRef = `refs/remotes/${REMOTE}/${BRANCH}`;
      const remoteBefore = await resolveOrNull(this.#gitdir, remoteRef);
      // Most rounds find the server's branch where the last one left it: its
      // advertisement (one small GET) says so, and the pack negotiation — a
      // process on the server per repository — is skipped. What was fetched
      // then is checked again below like anything new.
      const unmoved = remoteBefore !== null && (await this.#advertisedTip(auth)) === remoteBefore && (await this.#holds(remoteBefore));
      let fetched: { fetchHead: string | null };
      if (unmoved) fetched = { fetchHead: remoteBefore };
      else {
        try {
          fetched = await git.fetch({
            fs,
            http: this.#http,
            gitdir: this.#gitdir,
            remote: REMOTE,
            ref: BRANCH,
            // With a single branch isomorphic-git offers only the local branch as
            // common ground; after a local commit the server knows none of it and
            // sends the whole history again. All refs include origin/main.
            singleBranch: false,
            tags: false,
            cache: this.#cache,
            ...auth,
          });
        } catch (error) {
          if (remoteBefore !== null) await setRef(this.#gitdir, remoteRef, remoteBefore);
          else await rm(join(this.#gitdir, ...remoteRef.split('/')), { force: true });
          throw error;
        }
      }
      const remote = fetched.fetchHead ?? null;
      this.#log(`[sync] fetch: ${Math.round(performance.now() - fetchStart)} ms${unmoved ? " (the server's branch had not moved)" : ''}`);
      let local = await this.head();
      if (remote === local) return { status: 'up_to_date', head: local };
      if (remote !== null && (local === null || (await this.#isAncestor(local, remote)))) {
        const forwarded = await this.#fastForward(local, remote);
        if (!('merge' in forwarded)) return forwarded;
        localChanges.push(...forwarded.localChanges);
        local = forwarded.merge;
      }
      if (remote !== null && !(await this.#isAncestor(remote, local!))) {
        const merged = await this.#merge(local!, remote, localChanges);
        if ('status' in merged) return merged;
        merge = merge ? joinReports(merge, merged) : merged;
        local = merged.head;
      }
      const pushed = await this.#push(local!, remote, auth);
      if (pushed === 'moved') continue;
      if (pushed.status === 'refused') return this.#setAside(pushed, local!, remote);
      if (merge && pushed.status === 'synced') {
        const { head: _head, ...report } = merge;
        return { status: 'merged', head: pushed.head, sent: pushed.sent, ...report };
      }
      return pushed;
    }
    throw Object.assign(new Error('the office server kept moving while this desktop pushed'), { code: 'ECONNABORTED' });
  }

  /**
   * After a refusal: the refused commits kept under `refs/gazette/refused/…`,
   * the branch back at the server's tip, the files as they are (their changes
   * uncommitted again), and the refused paths marked so the next rounds send
   * everything else and not these until they change. Without this, every
   * round would push the same commits, be refused again, and nothing in the
   * repository would ever reach the server again.
   */
  async #setAside(refused: Extract<SyncResult, { status: 'refused' }>, local: string, remote: string | null): Promise<SyncResult> {
    const at = this.#now().toISOString();
    const ref = `refs/gazette/refused/${at.replace(/[:.]/g, '-')}`;
    await setRef(this.#gitdir, ref, local);
    const localTree = (await readCommit(this.#source, local)).tree;
    const remoteTree = remote ? (await readCommit(this.#source, remote)).tree : null;
    const uncommitted = (await diffTrees(this.#source, remoteTree, localTree)).map((c) => c.path).filter((p) => this.#scope(p));
    // The hook names the article it refused; the others only travelled in the same push.
    const named = new Set(refused.reasons.flatMap((line) => [...line.matchAll(/articles\/([A-Za-z0-9_-]{6,64})\//g)].map((m) => m[1]!)));
    const concerned = uncommitted.filter((p) => named.has(ARTICLE_OF.exec(p)?.[1] ?? ''));
    const marked = concerned.length ? concerned : uncommitted;
    const marks = await this.refusedChanges();
    for (const path of marked) {
      const bytes = await readFileOrNull(join(this.dir, path));
      marks[path] = { oid: bytes === null ? null : blobOid(bytes), at, ref, reasons: refused.reasons.length ? refused.reasons : [refused.error] };
    }
    await this.#writeRefused(marks);
    if (remote) await setRef(this.#gitdir, LOCAL_REF, remote);
    else {
      await unlink(join(this.#gitdir, 'refs', 'heads', BRANCH)).catch((error: unknown) => {
        if (!isMissing(error)) throw error;
      });
    }
    if (remote && uncommitted.some((p) => p.startsWith('office/'))) await writeAllowedSigners(this.#gitdir, this.#source, remote);
    this.#log(`[sync] refused: ${local.slice(0, 10)} kept as ${ref}; branch back at ${remote?.slice(0, 10) ?? '(none)'}; ${marked.length} paths held`);
    return { ...refused, ref, uncommitted: uncommitted.sort(), marked: marked.sort() };
  }

  /** Where the server's branch is, from its advertisement alone (no pack asked for); null when it has none. */
  async #advertisedTip(auth: { headers: Record<string, string>; onAuth: () => SyncCredentials }): Promise<string | null> {
    const url = await git.getConfig({ fs, gitdir: this.#gitdir, path: `remote.${REMOTE}.url` });
    if (typeof url !== 'string' || !url) return null;
    const refs = await git.listServerRefs({ http: this.#http, url, protocolVersion: 1, prefix: LOCAL_REF, ...auth });
    return refs.find((r) => r.ref === LOCAL_REF)?.oid ?? null;
  }

  /** Whether this desktop holds the commit (a fetch cut off by a crash may have named one it never received). */
  async #holds(oid: string): Promise<boolean> {
    try {
      await readCommit(this.#source, oid);
      return true;
    } catch {
      return false;
    }
  }

  async #isAncestor(ancestor: string, oid: string): Promise<boolean> {
    if (ancestor === oid) return true;
    return git.isDescendent({ fs, gitdir: this.#gitdir, oid, ancestor, depth: -1, cache: this.#cache });
  }

  async #push(local: string, remote: string | null, auth: { headers: Record<string, string> }): Promise<SyncResult | 'moved'> {
    const url = await git.getConfig({ fs, gitdir: this.#gitdir, path: `remote.${REMOTE}.url` });
    if (typeof url !== 'string' || !url) throw new Error('this workspace has not joined an office (no remote)');
    const start = performance.now();
    const pushed = await pushBranch({ http: this.#http, url, headers: auth.headers, source: this.#source, local, remote, ref: LOCAL_REF });
    this.#log(`[sync] push: ${pushed.commits.length} commits, ${Math.round(performance.now() - start)} ms`);
    if (pushed.ok) {
      await setRef(this.#gitdir, `refs/remotes/${REMOTE}/${BRANCH}`, local);
      return { status: 'synced', head: local, sent: pushed.commits, received: [] };
    }
    const reasons = pushed.lines.filter((line) => line.startsWith(REFUSAL_PREFIX));
    const codes = reasons.flatMap((line) => {
      const match = /\[([a-z_]+)\]$/.exec(line);
      return match ? [match[1] as RefusalCode] : [];
    });
    // The branch moved since our fetch (another desktop pushed first): fetch again.
    if (codes.includes('non_fast_forward')) return 'moved';
    // Not a refusal either: two pushes passed the hook together and the other one moved the branch first, so
    // git could not move it from where this desktop saw it. Fetch again and merge; nothing was taken.
    if (reasons.length === 0 && pushed.error !== null && BRANCH_RACE.test(pushed.error)) return 'moved';
    return { status: 'refused', reasons, codes, error: pushed.error ?? 'push refused' };
  }

  /**
   * Brings the workspace from `local` to `remote`, a descendant: checks every
   * new commit, then writes the files that changed. A file edited here and not
   * yet committed is never overwritten: it is committed, and the workspace
   * then has its own commit to merge with the server's (`merge`).
   */
  async #fastForward(local: string | null, remote: string): Promise<SyncResult | { merge: string; localChanges: string[] }> {
    const incoming = await commitsBetween(this.#source, remote, local);
    const established = local ? await this.#rootOf(local) : null;
    const refused = await checkCommits({
      source: this.#source,
      commits: incoming.map((c) => c.oid),
      establishedRoot: established,
      knownTips: local ? [local] : [],
      validAt: 'commit',
      crypto: nodeRecordCrypto,
    });
    if (refused) return { status: 'rejected_incoming', refusal: refused };
    const localTree = local ? (await readCommit(this.#source, local)).tree : null;
    const remoteTree = (await readCommit(this.#source, remote)).tree;
    const changes = (await diffTrees(this.#source, localTree, remoteTree)).filter((c) => this.#scope(c.path));
    const edited: string[] = [];
    const refusedMarks = await this.refusedChanges();
    const replaced: string[] = [];
    for (const change of changes) {
      if (this.#held(change.path)) continue;
      const bytes = await readFileOrNull(join(this.dir, change.path));
      const current = bytes === null ? null : blobOid(bytes);
      // A change the server refused gives way to the server's newer version (the refused commits keep it).
      if (this.#refusedUnchanged(refusedMarks, change.path, current)) {
        if (current !== change.after) replaced.push(change.path);
        continue;
      }
      // Already what the server has (a fast-forward cut short and resumed) or what we last committed: safe to replace.
      if (current !== change.before && current !== change.after) edited.push(change.path);
    }
    if (edited.length) {
      if (!this.#options.signer || local === null) return { status: 'diverged', local, remote, localChanges: edited };
      // Committed, the edit is this desktop's side of a merge with the server's.
      const committed = await this.#commit(edited, undefined);
      return { merge: committed.commit ?? local, localChanges: edited };
    }
    const notices: ArticleNotice[] = [];
    const conflicts = new Set<string>();
    for (const change of changes) {
      const target = join(this.dir, change.path);
      if (this.#held(change.path)) {
        const notice = await this.#keepHeld(change.path, change.before, change.after, local, remote);
        if (notice) {
          notices.push(notice);
          conflicts.add(notice.articleId);
        }
        continue;
      }
      if (change.after === null) {
        if (this.#options.keepOnDelete?.(change.path)) continue;
        await unlink(target).catch((error: unknown) => {
          if (!isMissing(error)) throw error;
        });
        continue;
      }
      const bytes = await readFileOrNull(target);
      if (bytes !== null && blobOid(bytes) === change.after) continue;
      const refusedArticle = replaced.includes(change.path) ? ARTICLE_FILE_OF.exec(change.path)?.[1] : undefined;
      if (bytes !== null && refusedArticle) await keepRefusedVersion(this.dir, refusedArticle, bytes, this.#now());
      await mkdir(dirname(target), { recursive: true });
      await writeFileAtomic(target, await readBlobBytes(this.#source, change.after));
    }
    await setRef(this.#gitdir, LOCAL_REF, remote);
    if (changes.some((c) => c.path.startsWith('office/'))) await writeAllowedSigners(this.#gitdir, this.#source, remote);
    notices.push(...(await this.#clearReplaced(refusedMarks, replaced)));
    const result: SyncResult = { status: 'synced', head: remote, sent: [], received: changes.map((c) => c.path) };
    if (notices.length) return { ...result, conflicts: [...conflicts].sort(), notices };
    return result;
  }

  /**
   * A change the server sent to an article 冲突待处理 here: its article.json
   * makes the conflict again against the newer version (./merge.ts
   * refreshHeldConflict); its other files take the server's version where
   * this desktop has not changed them, and are left as they are where it has.
   * Returns the notice for article.json, null for the rest.
   */
  async #keepHeld(path: string, before: string | null, after: string | null, local: string | null, remote: string): Promise<ArticleNotice | null> {
    if (before === after) return null;
    // Moved to another of the office's repositories, not deleted: the conflict goes on there.
    if (after === null && this.#options.keepOnDelete?.(path)) return null;
    const id = ARTICLE_OF.exec(path)![1]!;
    // Its text in conflict: the conflict is made again against the newer version. (Held only for a record kept
    // aside, the text is not in question and follows the server where unchanged here, as every other file does.)
    if (path === `articles/${id}/article.json` && fs.existsSync(join(this.dir, 'articles', id, SYNC_CONFLICT_FILE))) {
      return refreshHeldConflict({ workspaceDir: this.dir, source: this.#source, articleId: id, before, after, local, remote, now: this.#now() });
    }
    const target = join(this.dir, path);
    const bytes = await readFileOrNull(target);
    if ((bytes === null ? null : blobOid(bytes)) !== before) return null;
    if (after === null) {
      if (!this.#options.keepOnDelete?.(path)) await unlink(target).catch(() => {});
      return null;
    }
    await mkdir(dirname(target), { recursive: true });
    await writeFileAtomic(target, await readBlobBytes(this.#source, after));
    return null;
  }

  /** Refused changes the server's newer version replaced: no longer marked, and said so. */
  async #clearReplaced(marks: Record<string, RefusedMark>, paths: readonly string[]): Promise<ArticleNotice[]> {
    if (paths.length === 0) return [];
    const notices: ArticleNotice[] = [];
    for (const path of paths) {
      notices.push({ articleId: ARTICLE_OF.exec(path)?.[1] ?? path, message: t('conflict.merge.refusedReplaced', { path, ref: marks[path]?.ref ?? '' }) });
      delete marks[path];
    }
    await this.#writeRefused(marks);
    return notices;
  }

  /**
   * Merges `remote` into `local` (neither contains the other): checks what the
   * server sent as a fast-forward would, plans the merge from the commit both
   * started from, writes this desktop's own outcome (revisions, conflict
   * files), then the merged files, then the signed merge commit, and moves
   * the branch last — a crash anywhere before leaves the branch where it was
   * and the next round merges again over files that are either the old ones
   * or already the merged ones. A file edited here and not yet committed is
   * committed first, never overwritten.
   */
  async #merge(localTip: string, remote: string, localChanges: string[]): Promise<SyncResult | MergeReport> {
    let local = localTip;
    const diverged = (reason: 'no_signer' | 'signer_revoked' | 'unmergeable' | 'uncommitted', problem?: string): SyncResult => ({
      status: 'diverged',
      local,
      remote,
      localChanges: [...localChanges],
      reason,
      ...(problem === undefined ? {} : { problem }),
    });
    const signer = this.#options.signer;
    if (!signer) return diverged('no_signer');
    const [base = null] = await git.findMergeBase({ fs, gitdir: this.#gitdir, oids: [local, remote], cache: this.#cache });
    const established = await this.#rootOf(local);
    const incoming = await commitsBetween(this.#source, remote, base);
    const refused = await checkCommits({
      source: this.#source,
      commits: incoming.map((c) => c.oid),
      establishedRoot: established,
      knownTips: [local],
      validAt: 'commit',
      crypto: nodeRecordCrypto,
    });
    if (refused) return { status: 'rejected_incoming', refusal: refused };
    const rootKeyId = await rootKeyOf(this.#source, established);
    const policyOf = async (commit: string) =>
      rootKeyId ? verifiedPolicyAt(this.#source, (await readCommit(this.#source, commit)).tree, rootKeyId, nodeRecordCrypto) : null;
    const [ours, theirs] = [await policyOf(local), await policyOf(remote)];
    // Issued versions are never changed, so the longer chain holds the shorter (a fork is refused by the plan).
    const policy = ours && theirs ? (ours.latest.version >= theirs.latest.version ? ours : theirs) : (ours ?? theirs);
    if (!policy) return diverged('unmergeable', 'office/policy');
    const now = this.#now();
    const key = policy.latest.keys.find((k) => k.publicKey === signer.publicKey && k.personId === signer.personId);
    const person = policy.latest.people.find((p) => p.id === signer.personId);
    // The server refuses a merge signed by a key the office has revoked, by its own clock whatever the commit
    // claims: do not make one.
    const judged = new Date(Math.max(now.getTime(), Date.now())).toISOString();
    if (!key || (key.revokedAt !== null && key.revokedAt <= judged) || person?.active === false) return diverged('signer_revoked');
    const resigner: RecordResigner = {
      personId: signer.personId,
      keyId: key.keyId,
      sign: (text) => Buffer.from(signer.sign(Buffer.from(text, 'utf8'))).toString('base64'),
    };

    let plan: MergePlan | null = null;
    const refusedMarks = await this.refusedChanges();
    const replaced: string[] = [];
    for (let attempt = 0; attempt < 2 && plan === null; attempt++) {
      const planned = await planMerge({
        objects: this.#source,
        base,
        local,
        remote,
        policy,
        signer: resigner,
        crypto: nodeRecordCrypto,
        now: now.toISOString(),
        movedAway: this.#options.keepOnDelete,
      });
      if (!planned.ok) return diverged('unmergeable', planned.message);
      const localTree = (await readCommit(this.#source, local)).tree;
      const edited: string[] = [];
      replaced.length = 0;
      const owned = ownedBy(planned.plan);
      for (const [path, oid] of planned.plan.changes) {
        if (!this.#scope(path)) continue;
        const bytes = await readFileOrNull(join(this.dir, path));
        const current = bytes === null ? null : blobOid(bytes);
        const committed = (await entryAt(this.#source, localTree, path))?.oid ?? null;
        // What the last commit here has, or already what this merge writes (a merge cut short and resumed): safe to replace.
        if (current === oid || current === committed || current === (planned.plan.workspace.get(path) ?? oid)) continue;
        // An article 冲突待处理 from an earlier round differs from the office's copy by design: it is kept, not committed.
        if (this.#held(path) && !owned.has(ARTICLE_OF.exec(path)?.[1] ?? '')) continue;
        if (this.#refusedUnchanged(refusedMarks, path, current)) {
          replaced.push(path);
          continue;
        }
        edited.push(path);
      }
      if (edited.length === 0) {
        plan = planned.plan;
        break;
      }
      if (attempt > 0) return diverged('uncommitted');
      const committed = await this.#commit(edited, undefined);
      localChanges.push(...edited);
      if (committed.commit) local = committed.commit;
    }
    if (!plan) return diverged('uncommitted');

    // Articles 冲突待处理 before this merge (this merge's own conflicts are written below like any merged file).
    const mergeTree = (await readCommit(this.#source, local)).tree;
    const owned = ownedBy(plan);
    const heldBefore = new Set([...plan.changes.keys()].filter((path) => this.#held(path) && !owned.has(ARTICLE_OF.exec(path)?.[1] ?? '')));
    await writeLocalOutcome(this.dir, plan, now);
    const received: string[] = [];
    const heldNotices: ArticleNotice[] = [];
    for (const [path, treeOid] of plan.changes) {
      if (!this.#scope(path)) continue;
      const target = join(this.dir, path);
      if (heldBefore.has(path)) {
        const before = (await entryAt(this.#source, mergeTree, path))?.oid ?? null;
        const notice = await this.#keepHeld(path, before, treeOid, local, remote);
        if (notice) heldNotices.push(notice);
        continue;
      }
      // An article left 冲突待处理 keeps this desktop's version here; the tree has the other side's.
      const oid = plan.workspace.get(path) ?? treeOid;
      if (oid === null) {
        if (this.#options.keepOnDelete?.(path)) continue;
        await unlink(target).catch((error: unknown) => {
          if (!isMissing(error)) throw error;
        });
        received.push(path);
        continue;
      }
      const bytes = await readFileOrNull(target);
      if (bytes !== null && blobOid(bytes) === oid) continue;
      await mkdir(dirname(target), { recursive: true });
      await writeFileAtomic(target, await readBlobBytes(this.#source, oid));
      received.push(path);
    }
    const localTree = (await readCommit(this.#source, local)).tree;
    const changeList: Array<[string[], string | null]> = [...plan.changes].map(([path, oid]) => [path.split('/'), oid]);
    const tree = (await this.#applyChanges(localTree, changeList, '', [])) ?? (await this.#emptyTree());
    const head = await this.#writeCommit(signer, tree, [local, remote], mergeMessage(plan));
    await setRef(this.#gitdir, LOCAL_REF, head);
    if ([...plan.changes.keys()].some((path) => path.startsWith('office/'))) await writeAllowedSigners(this.#gitdir, this.#source, head);
    const replacedNotices = await this.#clearReplaced(refusedMarks, replaced);
    this.#log(`[sync] merged ${local.slice(0, 10)} and ${remote.slice(0, 10)}: ${plan.merged.length} merged, ${plan.conflicts.length} in conflict`);
    const conflicts = [...new Set([...plan.conflicts, ...heldNotices.map((n) => n.articleId)])].sort();
    return {
      head,
      received: received.sort(),
      merged: plan.merged,
      conflicts,
      invalidated: plan.invalidated,
      notices: [...plan.notices, ...heldNotices, ...replacedNotices],
    };
  }

  /** The repository's first commit: walked to once, then remembered in `.git/gazette-root` (it never changes). */
  async #rootOf(commit: string): Promise<string> {
    const file = join(this.#gitdir, 'gazette-root');
    const known = (await readFileOrNull(file))?.toString('utf8').trim();
    if (known && /^[0-9a-f]{40}$/.test(known)) return known;
    let oid = commit;
    for (;;) {
      const parsed = await readCommit(this.#source, oid);
      if (parsed.parents.length === 0) break;
      oid = parsed.parents[0]!;
    }
    await writeFileAtomic(file, `${oid}\n`);
    return oid;
  }
}

/** What a merge did, before its commit is pushed. */
interface MergeReport {
  head: string;
  received: string[];
  merged: string[];
  conflicts: string[];
  invalidated: ArticleNotice[];
  notices: ArticleNotice[];
}

/** Two merges in one round (the server moved while the first was pushed): what both did. */
function joinReports(first: MergeReport, second: MergeReport): MergeReport {
  const union = (a: readonly string[], b: readonly string[]) => [...new Set([...a, ...b])].sort();
  const conflicts = union(first.conflicts, second.conflicts);
  return {
    head: second.head,
    received: union(first.received, second.received),
    merged: union(first.merged, second.merged).filter((id) => !conflicts.includes(id)),
    conflicts,
    invalidated: [...first.invalidated, ...second.invalidated],
    notices: [...first.notices, ...second.notices],
  };
}

/** The articles whose files on this desktop a merge plan writes itself: a conflict it leaves, a record it keeps aside. */
function ownedBy(plan: MergePlan): Set<string> {
  return new Set([...plan.conflictFiles.map((c) => c.articleId), ...plan.localFiles.flatMap((f) => ARTICLE_OF.exec(f.path)?.[1] ?? [])]);
}

function mergeMessage(plan: MergePlan): string {
  const list = (ids: readonly string[]) => (ids.length > 5 ? `${ids.slice(0, 5).join(', ')} …` : ids.join(', '));
  const lines = ['合并服务器上的修改', ''];
  if (plan.merged.length) lines.push(`合并：${list(plan.merged)}`);
  if (plan.conflicts.length) lines.push(`冲突待处理：${list(plan.conflicts)}`);
  return `${lines.join('\n')}\n`;
}

function defaultMessage(paths: readonly string[]): string {
  const articles = [...new Set(paths.flatMap((p) => /^articles\/([^/]+)\//.exec(p)?.[1] ?? []))];
  const head = articles.length ? `文稿 ${articles.slice(0, 5).join(', ')}${articles.length > 5 ? ' …' : ''}` : paths.slice(0, 3).join(', ');
  return `${head}\n\n${paths.join('\n')}\n`;
}
