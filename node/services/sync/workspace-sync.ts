import { readFileSync } from 'node:fs';
import { appendFile, mkdir, readFile, rm, stat, unlink } from 'node:fs/promises';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import * as fs from 'node:fs';
import git, { type HttpClient } from 'isomorphic-git';
import type { SyncLogEntry, SyncLogKind, SyncPhase, SyncRepoView, SyncRoundReport, SyncStatusView } from '../../../shared/api/contract/sync';
import { parseRecordLines } from '../../../shared/record/entry';
import { keyInvalidReason, type OfficePolicy, personIn, type VerifiedPolicy } from '../../../shared/record/policy';
import { RecordError } from '../../../shared/record/problems';
import { formatOfficeTime } from '../../../shared/text/office-time';
import type { Person } from '../../../shared/workflow/review-chain';
import {
  DEFAULT_SCRYPT,
  hashPassword,
  isPasswordSealed,
  KeyError,
  PASSWORD_KIND,
  passwordProtector,
  type ScryptParams,
  type StoredKeyPair,
  StoredKeyPairSchema,
  trustedKeyFor,
  type UnlockedKey,
  unlockKeyPair,
  verifyPassword,
} from '../identity/keys';
import { PeopleDirectory } from '../identity/people-directory';
import { t } from '../messages';
import { nodeRecordCrypto } from '../record/crypto';
import { OfficePolicyStore } from '../record/policy-store';
import { isMissing, writeFileAtomic } from '../store/atomic-file';
import { KeyedQueue } from '../store/keyed-queue';
import {
  joinOffice,
  type JoinResult,
  type MatchingFile,
  OfficeSyncClient,
  type RefusedMark,
  type RetryPolicy,
  type SyncCredentials,
  type SyncResult,
  type SyncSigner,
  syncSignerFor,
} from './client';
import { SYNC_CONFLICT_FILE } from '../../../shared/sync/article-merge';
import { commitsBetween, readCommit } from './git-objects';
import { type ArticleNotice, SYNC_CONFLICT_RECORD_FILE } from './merge';
import { nodeHttpClient } from './http';
import { ObjectStore } from './object-store';
import { pushBranch } from './push';
import { articleRepo, carries, draftsRepo, mayWrite, type OfficeRepo, officeRepo, personRepo, reposFor } from './office-repos';
import { MOVED_FORMAT } from './history-check';
import { isOfficeSettingsPath, officeFileProblem } from './office-files';
import { isSyncedPath, MOVED_PATH } from './scope';
import { blobAt, blobOid, changedFiles, type FileState, listArticleFiles, listSyncedFiles, pathsUnder, readFileState, writeFileState } from './workspace-files';

/*
 * A desktop and all of its office's repositories. The office server holds one
 * repository per readership (./office-repos.ts); this module keeps a
 * workspace joined to every one its person may read — each in its own folder
 * under `<workspace>/.sync/`, which never syncs itself — and decides, for
 * every changed file, which of them carries it:
 *
 *   office/**                 every repository the person may write (the policy travels in all,
 *                             so each server hook checks records against the policy beside them)
 *   articles/<id>/**, tombstones/<id>.json
 *                             the article's unit (its creator's unit in the policy): drafts
 *                             until its record has a submission, submitted work from then on
 *   sites/<id>.json, rules/*  the office's repository only (administrators write it); a site's
 *                             targets' passwords stay in this desktop's credential store
 *   people/<id>/key.json      the person's own repository; its work tree is `.sync/person/`,
 *                             never the workspace, so no workspace code ever sees a sealed key
 *
 * A round goes over the office's repository first (a new policy must reach
 * the unit repositories before records that name it), then each unit's
 * submitted work (an article moving out of drafts arrives there before it
 * leaves drafts), then drafts, then the personal repository.
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

const configFile = (dir: string) => join(dir, SYNC_DIR, 'config.json');
const logFile = (dir: string) => join(dir, SYNC_DIR, 'log.jsonl');
const filesFile = (dir: string) => join(dir, SYNC_DIR, 'files.json');
const statusFile = (dir: string) => join(dir, SYNC_DIR, 'status.json');
/** The work tree of personal repositories: sealed keys live here, outside the workspace's own folders. */
const personDir = (dir: string) => join(dir, SYNC_DIR, 'person');
/** An empty work tree: a client over it commits the deletion of whatever paths it is given. */
const emptyDir = (dir: string) => join(dir, SYNC_DIR, 'empty');
const gitdirOf = (dir: string, repo: string) => join(dir, SYNC_DIR, `${repo}.git`);

function baseUrl(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}

function repoUrl(base: string, name: string): string {
  return `${baseUrl(base)}${name}.git`;
}

/** The join's configuration, or null when this workspace has not joined an office server. */
export async function readSyncConfig(dir: string): Promise<SyncConfig | null> {
  let text: string;
  try {
    text = await readFile(configFile(resolve(dir)), 'utf8');
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<SyncConfig>;
  if (parsed.format !== SYNC_CONFIG_FORMAT || !parsed.serverUrl || !parsed.personId || !parsed.rootKeyId || !parsed.joinedAt) return null;
  return parsed as SyncConfig;
}

/** How people know a repository: 单位策略, 县教育局 · 草稿 … */
export function repoLabel(repo: OfficeRepo): string {
  switch (repo.kind) {
    case 'office':
      return t('sync.repo.office');
    case 'person':
      return t('sync.repo.person');
    case 'drafts':
      return t('sync.repo.drafts', { unit: repo.unit ?? '' });
    case 'submitted':
      return t('sync.repo.submitted', { unit: repo.unit ?? '' });
  }
}

// ───────────────────────────── what an article is ─────────────────────────────

const ARTICLE_PATH = /^articles\/([A-Za-z0-9_-]{6,64})\//;
const TOMBSTONE_PATH = /^tombstones\/([A-Za-z0-9_-]{6,64})\.json$/;
const KEY_PATH = /^people\/([A-Za-z0-9_-]{1,64})\/key\.json$/;

/** The article a synced path belongs to, or null (policy files). */
export function articleOfPath(path: string): string | null {
  return ARTICLE_PATH.exec(path)?.[1] ?? TOMBSTONE_PATH.exec(path)?.[1] ?? null;
}

interface ArticleFacts {
  /** Who created it (article.json `createdBy`), else who signed its first record entry. */
  authors: string[];
  submitted: boolean;
  onDisk: boolean;
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/**
 * What decides where an article lives, read from the workspace as it is now.
 * Synchronous: the sync client asks it for each path it receives or commits.
 */
function articleFacts(dir: string, id: string): ArticleFacts {
  const articleText = readText(join(dir, 'articles', id, 'article.json'));
  const recordText = readText(join(dir, 'articles', id, 'record.jsonl'));
  const authors: string[] = [];
  if (articleText) {
    try {
      const createdBy = (JSON.parse(articleText) as { createdBy?: unknown }).createdBy;
      if (typeof createdBy === 'string' && createdBy) authors.push(createdBy);
    } catch {}
  }
  let submitted = false;
  if (recordText) {
    const entries = parseRecordLines(recordText) as Array<{ event?: { type?: unknown; actorId?: unknown } }>;
    const first = entries[0]?.event?.actorId;
    if (typeof first === 'string') authors.push(first);
    submitted = entries.some((e) => e.event?.type === 'submit');
  }
  return { authors, submitted, onDisk: articleText !== null || recordText !== null };
}

/** The unit an article belongs to: its creator's (or first signer's) unit in the policy. */
function unitOfArticle(policy: OfficePolicy, facts: ArticleFacts): string | null {
  for (const id of facts.authors) {
    const unit = personIn(policy, id)?.unit.trim();
    if (unit) return unit;
  }
  return null;
}

/** Whether an article is 冲突待处理 here: a conflict file, or a record kept aside, beside it (./merge.ts). */
function conflicted(dir: string, id: string): boolean {
  const folder = join(dir, 'articles', id);
  return fs.existsSync(join(folder, SYNC_CONFLICT_FILE)) || fs.existsSync(join(folder, SYNC_CONFLICT_RECORD_FILE));
}

/** What a look at the workspace found (see `WorkspaceSync.#scan`). */
/**
 * What a round looks at for changes: every synced file (the default, one
 * stat each), or — when the caller knows which articles were written here
 * since the last full look (the app's saves and workflow steps) — the
 * office's own folders and those articles only. The app still takes a full
 * look on a timer, so a file changed behind its back (another program, a
 * copy) is sent all the same, a little later.
 */
export interface RoundLook {
  articles: readonly string[];
}

/** The ids a narrowed look may name (as scope.ts allows them in paths). */
const ARTICLE_ID = /^[A-Za-z0-9_-]{6,64}$/;

interface Scan {
  state: FileState;
  /** Paths to send. */
  paths: string[];
  /** Articles 冲突待处理. */
  held: string[];
  /** Articles (or paths) the server refused, unchanged since. */
  refused: string[];
}

// ───────────────────────────── joining ─────────────────────────────

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
  log?: (message: string) => void;
}

export type JoinFailure =
  | 'refused'
  | 'unauthorized'
  | 'offline'
  | 'wrong_office'
  | 'local_files_differ'
  | 'no_key'
  | 'wrong_password'
  /** The policy does not name this person, names them disabled, or neither server nor workspace has an office. */
  | 'not_in_office';

export type JoinReport =
  | {
      status: 'joined';
      repos: string[];
      /** Files written into the workspace from the server. */
      received: number;
      person: { id: string; name: string };
      /** The person's signing key came from, or was placed in, their personal repository. */
      keyEnrolled: boolean;
      /** This workspace had joined before: nothing was done. */
      alreadyJoined: boolean;
      /** The first round after joining (local work sent, the key enrolled); null when there was none. */
      round: SyncRoundReport | null;
    }
  | { status: JoinFailure; message: string; repo?: string; paths?: string[] };

function joinFailure(result: Exclude<JoinResult, { status: 'joined' } | { status: 'already_joined' }>, repo: OfficeRepo, url: string, person: string): JoinReport {
  switch (result.status) {
    case 'offline':
      return { status: 'offline', message: t('sync.join.offline', { url, detail: result.error }), repo: repo.name };
    case 'unauthorized':
      return { status: 'unauthorized', message: t('sync.join.unauthorized', { person }), repo: repo.name };
    case 'rejected_incoming':
      return { status: 'refused', message: t('sync.join.refused', { repo: repoLabel(repo), reason: result.refusal.zh }), repo: repo.name };
    case 'local_files_differ':
      return {
        status: 'local_files_differ',
        message: t('sync.join.localFilesDiffer', { count: result.paths.length, paths: result.paths.slice(0, 3).join('、') }),
        repo: repo.name,
        paths: result.paths,
      };
  }
}

/** The person's key as this workspace's people.json holds it, opened with the password: only a password seal opens on another machine. */
async function localKey(
  local: ReturnType<PeopleDirectory['record']>,
  currentKey: string | null,
  password: string,
): Promise<UnlockedKey | 'wrong_password' | null> {
  if (!local?.key || local.key.keyId !== currentKey || local.key.privateKey.kind !== PASSWORD_KIND) return null;
  if (!(await verifyPassword(password, local.passwordHash))) return 'wrong_password';
  try {
    return await unlockKeyPair(local.key, passwordProtector(password));
  } catch (error) {
    if (error instanceof KeyError && error.code === 'wrong_password') return 'wrong_password';
    throw error;
  }
}

/** The key the policy lists as the person's current one (valid now), or null. */
function currentKeyOf(policy: OfficePolicy, personId: string, now: string): string | null {
  const valid = policy.keys.filter((k) => k.personId === personId && keyInvalidReason(policy, k.keyId, now) === null);
  return valid.at(-1)?.keyId ?? null;
}

async function readJsonOrNull(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'));
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

/**
 * Joins this workspace to an office server as a person: the office's
 * repository first (its policy verified, and the same office as the workspace
 * already holds, if any), the person's personal repository (their sealed key,
 * opened with the password and checked against the policy, goes into
 * people.json so they can sign in here), then every unit repository they may
 * read. On any failure everything this join wrote is removed again. Ends with
 * a round, so a first desktop's office, keys and articles reach the server.
 */
export async function joinOfficeServer(input: JoinInput): Promise<JoinReport> {
  const dir = resolve(input.dir);
  const base = baseUrl(input.serverUrl);
  const existing = await readSyncConfig(dir);
  if (existing) {
    const policy = await new OfficePolicyStore(dir, nodeRecordCrypto).current().catch(() => null);
    const person = policy ? personIn(policy.latest, existing.personId) : null;
    return {
      status: 'joined',
      repos: [],
      received: 0,
      person: { id: existing.personId, name: person?.name ?? existing.personId },
      keyEnrolled: false,
      alreadyJoined: true,
      round: null,
    };
  }
  const now = () => new Date().toISOString();
  const policies = new OfficePolicyStore(dir, nodeRecordCrypto);
  const localRoot = await policies.rootKeyId().catch(() => null);
  // A join cut short earlier left repositories without a config: start again from nothing.
  await rm(join(dir, SYNC_DIR), { recursive: true, force: true });
  await mkdir(join(dir, SYNC_DIR), { recursive: true });
  const written: string[] = [];
  const undo = async () => {
    for (const path of written) await unlink(join(dir, path)).catch(() => {});
    await rm(join(dir, SYNC_DIR), { recursive: true, force: true });
  };
  const fail = async (report: JoinReport): Promise<JoinReport> => {
    await undo();
    return report;
  };
  const common = { username: input.personId, password: input.password, http: input.http };

  const office = await joinOffice({
    ...common,
    url: repoUrl(base, officeRepo.name),
    dir,
    gitdir: gitdirOf(dir, officeRepo.name),
    scope: (path) => carries('office', path),
    rootKeyId: localRoot ?? undefined,
    // The office's site profiles and rule packs are the administrators'; what this desktop had before joining is kept as `.bak`.
    takeServer: isOfficeSettingsPath,
  });
  if (office.status !== 'joined' && office.status !== 'already_joined') {
    if (localRoot && office.status === 'rejected_incoming' && /^root_|unrelated_history/.test(office.refusal.code)) {
      return fail({ status: 'wrong_office', message: t('sync.join.wrongOffice', { server: office.refusal.params.rootKeyId ?? '?', local: localRoot }) });
    }
    return fail(joinFailure(office as Exclude<JoinResult, { status: 'joined' | 'already_joined' }>, officeRepo, base, input.personId));
  }
  if (office.status === 'joined') written.push(...office.received);
  if (!(await policies.exists())) return fail({ status: 'not_in_office', message: t('sync.join.noOffice') });
  let verified: VerifiedPolicy;
  try {
    verified = await policies.current();
  } catch (error) {
    if (error instanceof RecordError) return fail({ status: 'refused', message: t('sync.join.refused', { repo: repoLabel(officeRepo), reason: error.message }) });
    throw error;
  }
  const rootKeyId = (await policies.rootKeyId())!;
  if (localRoot && rootKeyId !== localRoot) {
    return fail({ status: 'wrong_office', message: t('sync.join.wrongOffice', { server: rootKeyId, local: localRoot }) });
  }
  const policy = verified.latest;
  const person = personIn(policy, input.personId);
  if (!person) return fail({ status: 'not_in_office', message: t('sync.join.notInOffice', { person: input.personId }) });
  if (!person.active) return fail({ status: 'not_in_office', message: t('sync.join.inactive', { person: person.name }) });

  const people = await PeopleDirectory.open(dir);
  const local = people.record(person.id);
  const currentKey = currentKeyOf(policy, person.id, now());
  const founding = office.status === 'joined' && office.head === null;
  if (founding) {
    // The server has no office yet and this workspace has one: this is the office's first desktop.
    // The office goes first: the server learns from it who may use every other repository.
    const key = await localKey(local, currentKey, input.password);
    if (key === 'wrong_password') return fail({ status: 'wrong_password', message: t('sync.join.wrongPassword', { person: person.name }) });
    if (key === null) return fail({ status: 'no_key', message: t('sync.join.noKey', { person: person.name }) });
    const client = new OfficeSyncClient({
      dir,
      gitdir: gitdirOf(dir, officeRepo.name),
      scope: (path) => carries('office', path),
      credentials: () => ({ username: person.id, password: input.password }),
      signer: syncSignerFor(key, person.name),
      retry: input.retry,
      http: input.http,
    });
    const officePaths = (await listSyncedFiles(dir)).filter((path) => path.startsWith('office/'));
    await client.commitChanged(officePaths, t('sync.repo.office'));
    const pushed = await client.sync();
    if (pushed.status !== 'synced' && pushed.status !== 'up_to_date') {
      const reason = pushed.status === 'refused' ? pushed.reasons.join('；') || pushed.error : pushed.status;
      return fail({ status: pushed.status === 'offline' ? 'offline' : pushed.status === 'unauthorized' ? 'unauthorized' : 'refused', message: t('sync.join.refused', { repo: repoLabel(officeRepo), reason }), repo: officeRepo.name });
    }
  }

  // The person's key: from their personal repository, or (first desktop) from this workspace.
  const own = personRepo(person.id);
  const joinOwn = () =>
    joinOffice({
      ...common,
      url: repoUrl(base, own.name),
      dir: personDir(dir),
      gitdir: gitdirOf(dir, own.name),
      scope: (path) => carries('person', path),
      rootKeyId,
    });
  let ownJoin = await joinOwn();
  // Right after the founding push the server may still be taking the policy in (its post-receive runs apart from the push).
  for (let tries = 0; founding && ownJoin.status === 'unauthorized' && tries < 20; tries++) {
    await new Promise((done) => setTimeout(done, 250));
    ownJoin = await joinOwn();
  }
  if (ownJoin.status !== 'joined' && ownJoin.status !== 'already_joined') {
    return fail(joinFailure(ownJoin as Exclude<JoinResult, { status: 'joined' | 'already_joined' }>, own, base, person.name));
  }
  const fromServer = StoredKeyPairSchema.safeParse(await readJsonOrNull(join(personDir(dir), 'people', person.id, 'key.json')));
  let stored: StoredKeyPair;
  let unlocked: UnlockedKey;
  const scrypt = input.scryptCost ?? DEFAULT_SCRYPT;
  if (fromServer.success) {
    stored = fromServer.data;
    try {
      unlocked = await unlockKeyPair(stored, passwordProtector(input.password));
    } catch (error) {
      if (error instanceof KeyError && error.code === 'wrong_password') {
        return fail({ status: 'wrong_password', message: t('sync.join.wrongPassword', { person: person.name }) });
      }
      throw error;
    }
  } else if (local?.key && local.key.keyId === currentKey) {
    // This desktop holds the key already (the office was set up here): it is enrolled by the first round.
    const key = await localKey(local, currentKey, input.password);
    if (key === 'wrong_password') return fail({ status: 'wrong_password', message: t('sync.join.wrongPassword', { person: person.name }) });
    if (key === null) return fail({ status: 'no_key', message: t('sync.join.noKey', { person: person.name }) });
    stored = local.key;
    unlocked = key;
  } else {
    return fail({ status: 'no_key', message: t('sync.join.noKey', { person: person.name }) });
  }
  if (stored.keyId !== currentKey || stored.personId !== person.id) {
    return fail({ status: 'refused', message: t('sync.join.keyNotCurrent', { keyId: stored.keyId.slice(0, 8), person: person.name }) });
  }

  // Every unit repository the person may read, each unit's submitted work before its drafts.
  const unitRepos = orderRepos(reposFor(policy, person.id)).filter((r) => r.kind === 'submitted' || r.kind === 'drafts');
  // The unit files each join left as its repository has them (null: two repositories hold the path).
  const matching = new Map<string, MatchingFile | null>();
  const joined = [officeRepo.name, own.name];
  for (const repo of unitRepos) {
    const result = await joinOffice({
      ...common,
      url: repoUrl(base, repo.name),
      dir,
      gitdir: gitdirOf(dir, repo.name),
      scope: unitScope(dir, () => policy, repo),
      rootKeyId,
    });
    if (result.status !== 'joined' && result.status !== 'already_joined') {
      return fail(joinFailure(result as Exclude<JoinResult, { status: 'joined' | 'already_joined' }>, repo, base, person.name));
    }
    if (result.status === 'joined') {
      written.push(...result.received);
      for (const file of result.matching ?? []) matching.set(file.path, matching.has(file.path) ? null : file);
    }
    joined.push(repo.name);
  }

  // The person can sign in here now: their record, with the key as sealed on the server.
  if (!local || local.key?.keyId !== stored.keyId || !isPasswordSealed(local.key.privateKey)) {
    const at = now();
    const { rootAnchor: _anchoredWithAnotherKey, ...kept } = local ?? { rootAnchor: undefined };
    await people.putPerson({
      ...(local ? kept : {}),
      person,
      passwordHash: await hashPassword(input.password, scrypt),
      key: stored,
      createdAt: local?.createdAt ?? at,
      updatedAt: at,
    } as Parameters<PeopleDirectory['putPerson']>[0]);
    await people.addTrustedKeys([trustedKeyFor(stored, person, stored.createdAt)]);
  }
  const config: SyncConfig = { format: SYNC_CONFIG_FORMAT, serverUrl: base, personId: person.id, rootKeyId, joinedAt: now() };
  // The first round's look at the workspace then reads only what changed since, not every file the join just
  // wrote (a stat cache, as ./workspace-files.ts keeps it: a file whose stat differs is read and hashed again).
  // An article two repositories hold is left to that look, which also decides where it belongs.
  const state = await readFileState(filesFile(dir));
  for (const file of matching.values()) {
    if (file && articleOfPath(file.path) !== null) state.files[file.path] = [file.size, file.mtimeMs, file.oid];
  }
  await writeFileState(filesFile(dir), state);
  await writeFileAtomic(configFile(dir), `${JSON.stringify(config, null, 2)}\n`);
  await appendLog(dir, joined.map((name) => logEntry('joined', name, [], t('sync.log.joined', { repo: labelOfName(name, policy) }))));

  const sync = await WorkspaceSync.open(dir, {
    credentials: () => ({ username: person.id, password: input.password }),
    signer: syncSignerFor(unlocked, person.name),
    http: input.http,
    retry: input.retry,
    log: input.log,
  });
  // A first desktop also places the sealed keys it holds for the others (administrators write personal repositories).
  if (sync && person.roles.includes('admin') && founding) {
    await sync.enrolOthers();
  }
  const round = sync ? await sync.round() : null;
  return {
    status: 'joined',
    repos: joined,
    received: written.length,
    person: { id: person.id, name: person.name },
    keyEnrolled: true,
    alreadyJoined: false,
    round,
  };
}

function labelOfName(name: string, policy: OfficePolicy): string {
  if (name === officeRepo.name) return repoLabel(officeRepo);
  if (name.startsWith('person-')) return repoLabel(personRepo(name.slice('person-'.length)));
  for (const unit of new Set(policy.people.map((p) => p.unit.trim()).filter(Boolean))) {
    for (const repo of [draftsRepo(unit), articleRepo(unit, true)]) if (repo.name === name) return repoLabel(repo);
  }
  return name;
}

const KIND_ORDER: Record<OfficeRepo['kind'], number> = { office: 0, submitted: 1, drafts: 2, person: 3 };

function orderRepos(repos: readonly OfficeRepo[]): OfficeRepo[] {
  return [...repos].sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind]);
}

/**
 * What a unit's repository carries of this workspace: the policy, and the
 * unit's articles — in drafts only those never submitted. An article not on
 * this desktop is taken as the server has it (its hook checked whose it is).
 */
function unitScope(dir: string, policy: () => OfficePolicy, repo: OfficeRepo): (path: string) => boolean {
  return (path) => {
    // A move note stays in the repository: the workspace has the article from the submitted work.
    if (!carries(repo.kind, path) || MOVED_PATH.test(path)) return false;
    const id = articleOfPath(path);
    if (id === null) return true;
    const facts = articleFacts(dir, id);
    if (!facts.onDisk) return true;
    const unit = unitOfArticle(policy(), facts);
    if (unit !== null && unit !== repo.unit) return false;
    return repo.kind === 'submitted' || !facts.submitted;
  };
}

// ───────────────────────────── the log ─────────────────────────────

function logEntry(kind: SyncLogKind, repo: string | null, articleIds: string[], message: string): SyncLogEntry {
  return { at: new Date().toISOString(), kind, repo, articleIds, message };
}

async function appendLog(dir: string, entries: readonly SyncLogEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await mkdir(join(dir, SYNC_DIR), { recursive: true });
  await appendFile(logFile(dir), entries.map((e) => `${JSON.stringify(e)}\n`).join(''), 'utf8');
}

/** The newest `limit` entries of the sync log, newest first. */
export async function readSyncLog(dir: string, limit = 200): Promise<SyncLogEntry[]> {
  let text: string;
  try {
    text = await readFile(logFile(resolve(dir)), 'utf8');
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
  const out: SyncLogEntry[] = [];
  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0 && out.length < limit; i--) {
    const line = lines[i];
    if (!line) continue;
    try {
      out.push(JSON.parse(line) as SyncLogEntry);
    } catch {
      // A line cut off by a crash mid-append: the rest of the log still reads.
    }
  }
  return out;
}

// ───────────────────────────── the desktop's sync ─────────────────────────────

export interface WorkspaceSyncOptions {
  credentials: () => SyncCredentials | Promise<SyncCredentials>;
  signer: SyncSigner | null;
  log?: (message: string) => void;
  retry?: Partial<RetryPolicy>;
  http?: HttpClient;
}

export interface CommitReport {
  commits: { repo: string; commit: string }[];
  /** Paths not committed because their article is 冲突待处理 here, or the server refused them and they have not changed since. */
  held?: string[];
  /** Paths no repository of this person carries or may be written by them (never synced, another unit's, a reviewer's draft). */
  skipped: string[];
}

export interface PendingWork {
  /** Articles with changes not yet on the server (refused ones among them; not those 冲突待处理). */
  articles: string[];
  /** Articles 冲突待处理 here: never sent until the person decides. */
  conflicts: string[];
  /** Articles (or other paths) whose change the server refused and that have not changed since: not sent again until they do. */
  refused: string[];
  /** Workspace paths changed here and not yet committed. */
  paths: string[];
  /** Commits made here and not yet pushed, per repository. */
  unpushed: { repo: string; commits: number }[];
}

interface Handle {
  repo: OfficeRepo;
  gitdir: string;
  /** The work tree: the workspace, or `.sync/person` for personal repositories. */
  workdir: string;
  client: OfficeSyncClient;
  store: ObjectStore;
}

interface RepoStatus {
  lastSyncAt: string | null;
  problem: string | null;
}

interface StoredStatus {
  lastSyncAt: string | null;
  lastAttemptAt: string | null;
  phase: SyncPhase;
  message: string | null;
  conflicts: string[];
  repos: Record<string, RepoStatus>;
}

/** Worst first: the phase a round reports is the worst any repository reached. */
const PHASE_RANK: SyncPhase[] = ['refused', 'rejected_incoming', 'revoked', 'unauthorized', 'conflict', 'offline', 'pending', 'synced'];

function worse(a: SyncPhase, b: SyncPhase): SyncPhase {
  const rank = (p: SyncPhase) => {
    const i = PHASE_RANK.indexOf(p);
    return i === -1 ? PHASE_RANK.length : i;
  };
  return rank(a) <= rank(b) ? a : b;
}

export class WorkspaceSync {
  readonly config: SyncConfig;
  readonly dir: string;
  readonly #options: WorkspaceSyncOptions;
  readonly #queue = new KeyedQueue();
  readonly #policies: OfficePolicyStore;
  #policy: VerifiedPolicy;
  readonly #handles = new Map<string, Handle>();
  /** The text of `.sync/files.json` as this desktop last wrote it. */
  #savedState: string | null = null;

  private constructor(dir: string, config: SyncConfig, options: WorkspaceSyncOptions, policy: VerifiedPolicy, policies: OfficePolicyStore) {
    this.dir = dir;
    this.config = config;
    this.#options = options;
    this.#policy = policy;
    this.#policies = policies;
  }

  /** The workspace's sync, or null when it has not joined an office server. */
  static async open(dir: string, options: WorkspaceSyncOptions): Promise<WorkspaceSync | null> {
    const root = resolve(dir);
    const config = await readSyncConfig(root);
    if (!config) return null;
    const policies = new OfficePolicyStore(root, nodeRecordCrypto);
    const sync = new WorkspaceSync(root, config, options, await policies.current(), policies);
    for (const repo of sync.#wanted()) if (await exists(gitdirOf(root, repo.name))) sync.#handle(repo);
    return sync;
  }

  get #person(): Person | null {
    return personIn(this.#policy.latest, this.config.personId);
  }

  /** The repositories this desktop works with: the ones the person may read, the office's first. */
  #wanted(): OfficeRepo[] {
    const person = this.#person;
    // A disabled person reads nothing; their repositories stay here, unsynced, with their work.
    if (!person?.active) return orderRepos([officeRepo, personRepo(this.config.personId)]);
    return orderRepos(reposFor(this.#policy.latest, person.id));
  }

  #handle(repo: OfficeRepo): Handle {
    const known = this.#handles.get(repo.name);
    if (known) return known;
    const gitdir = gitdirOf(this.dir, repo.name);
    const workdir = repo.kind === 'person' ? personDir(this.dir) : this.dir;
    const scope =
      repo.kind === 'drafts' || repo.kind === 'submitted' ? unitScope(this.dir, () => this.#policy.latest, repo) : (path: string) => carries(repo.kind, path);
    const client = new OfficeSyncClient({
      dir: workdir,
      gitdir,
      scope,
      credentials: this.#options.credentials,
      signer: this.#options.signer,
      retry: this.#options.retry,
      http: this.#options.http,
      log: this.#options.log,
      // A drafts history deletes an article when it is submitted; the submitted work carries it on.
      keepOnDelete:
        repo.kind === 'drafts'
          ? (path) => {
              const id = articleOfPath(path);
              return id !== null && articleFacts(this.dir, id).submitted;
            }
          : undefined,
    });
    const handle: Handle = { repo, gitdir, workdir, client, store: new ObjectStore(gitdir) };
    this.#handles.set(repo.name, handle);
    return handle;
  }

  #writable(repo: OfficeRepo): boolean {
    return this.#options.signer !== null && mayWrite(this.#person, repo);
  }

  /** Joins repositories the policy now lets the person read (a new unit, a new role) that this desktop does not have yet. */
  async #joinMissing(log: SyncLogEntry[], received: string[]): Promise<SyncRoundReport['rejected']> {
    const problems: SyncRoundReport['rejected'] = [];
    const credentials = await this.#options.credentials();
    for (const repo of this.#wanted()) {
      if (this.#handles.has(repo.name)) continue;
      const workdir = repo.kind === 'person' ? personDir(this.dir) : this.dir;
      const result = await joinOffice({
        url: repoUrl(this.config.serverUrl, repo.name),
        username: credentials.username,
        password: credentials.password,
        dir: workdir,
        gitdir: gitdirOf(this.dir, repo.name),
        scope: repo.kind === 'drafts' || repo.kind === 'submitted' ? unitScope(this.dir, () => this.#policy.latest, repo) : (path) => carries(repo.kind, path),
        rootKeyId: this.config.rootKeyId,
        http: this.#options.http,
      });
      if (result.status === 'joined' || result.status === 'already_joined') {
        this.#handle(repo);
        // The files the new repository brought are the round's too: the list takes them in.
        if (result.status === 'joined' && workdir === this.dir) received.push(...result.received);
        log.push(logEntry('joined', repo.name, [], t('sync.log.joined', { repo: repoLabel(repo) })));
      } else if (result.status === 'rejected_incoming') {
        problems.push({ repo: repo.name, reason: result.refusal.zh });
      } else if (result.status === 'local_files_differ') {
        problems.push({ repo: repo.name, reason: t('sync.join.localFilesDiffer', { count: result.paths.length, paths: result.paths.slice(0, 3).join('、') }) });
      }
      // Offline or turned away: tried again next round.
    }
    return problems;
  }

  async #head(handle: Handle): Promise<string | null> {
    return handle.client.head();
  }

  /** The repository an article's files go to, or null when this person has none for it. */
  async #routeArticle(id: string): Promise<OfficeRepo | null> {
    const facts = articleFacts(this.dir, id);
    const unit = unitOfArticle(this.#policy.latest, facts);
    if (unit !== null) return articleRepo(unit, facts.submitted);
    // Gone from disk (purged) or made by someone the policy does not name: where this desktop's repositories have it.
    for (const handle of this.#handles.values()) {
      if (handle.repo.kind !== 'drafts' && handle.repo.kind !== 'submitted') continue;
      const head = await this.#head(handle);
      if ((await blobAt(handle.store, head, `articles/${id}/article.json`)) || (await blobAt(handle.store, head, `tombstones/${id}.json`))) {
        return handle.repo;
      }
    }
    // New here, by the local operator: the person's own unit.
    const person = this.#person;
    if (person?.roles.includes('writer') && person.unit.trim()) return articleRepo(person.unit.trim(), facts.submitted);
    return null;
  }

  /**
   * Commits the current files of these workspace paths into the repositories
   * that carry them (an article to its unit's drafts or submitted work, moving
   * it from drafts to submitted once its record has a submission).
   */
  commitPaths(paths: readonly string[], message?: string): Promise<CommitReport> {
    return this.#queue.run('sync', () => this.#commitPaths(paths, message));
  }

  async #commitPaths(paths: readonly string[], message?: string): Promise<CommitReport & { held: string[] }> {
    const report: CommitReport & { held: string[] } = { commits: [], skipped: [], held: [] };
    const policyPaths: string[] = [];
    const byArticle = new Map<string, string[]>();
    const keys: string[] = [];
    for (const raw of paths) {
      const path = this.#relative(raw);
      if (path !== null && KEY_PATH.test(path)) {
        keys.push(path);
        continue;
      }
      if (path === null || !isSyncedPath(path)) {
        report.skipped.push(raw);
        continue;
      }
      const id = articleOfPath(path);
      if (id === null) policyPaths.push(path);
      else byArticle.set(id, [...(byArticle.get(id) ?? []), path]);
    }
    const record = (repo: OfficeRepo, commit: string | null) => {
      if (commit) report.commits.push({ repo: repo.name, commit });
    };
    const unusable = await this.#unusableSettings(policyPaths);
    if (unusable.size) {
      report.held.push(...unusable.keys());
      policyPaths.splice(0, policyPaths.length, ...policyPaths.filter((p) => !unusable.has(p)));
    }
    // The policy first, everywhere the person writes: records naming a new version are checked against it.
    if (policyPaths.length) {
      for (const handle of this.#handles.values()) {
        // The policy goes everywhere; site profiles and rule packs only to the office's repository.
        const carried = policyPaths.filter((p) => carries(handle.repo.kind, p));
        if (!this.#writable(handle.repo) || carried.length === 0) continue;
        if (handle.workdir !== this.dir) await this.#mirror(handle, carried);
        const committed = await handle.client.commitChanged(carried, message ?? t('sync.repo.office'));
        record(handle.repo, committed.commit);
        report.held.push(...committed.held);
      }
    }
    for (const [id, articlePaths] of byArticle) {
      // 冲突待处理: the office keeps the other version until the person decides; nothing of it moves meanwhile.
      if (conflicted(this.dir, id)) {
        report.held.push(...articlePaths);
        continue;
      }
      const repo = await this.#routeArticle(id);
      const handle = repo ? this.#handles.get(repo.name) : undefined;
      if (!repo || !handle || !this.#writable(repo)) {
        report.skipped.push(...articlePaths);
        continue;
      }
      let toCommit = articlePaths;
      const head = await this.#head(handle);
      // New to this repository (first submission, or first commit at all): all of it goes, not only what changed.
      if (!(await blobAt(handle.store, head, `articles/${id}/article.json`))) {
        // Its own folder only: a first desktop committing 10,000 articles listed every folder once per article.
        const all = await listArticleFiles(this.dir, id);
        toCommit = [...new Set([...articlePaths, ...all])];
      }
      const committed = await handle.client.commitChanged(toCommit, message);
      record(repo, committed.commit);
      report.held.push(...committed.held);
      // Out of drafts only once submitted work holds it (a submission the server refused is held here, not committed).
      if (repo.kind === 'submitted' && (await blobAt(handle.store, await this.#head(handle), `articles/${id}/article.json`))) {
        await this.#leaveDrafts(id, repo.unit!, report);
      }
    }
    for (const path of keys) {
      const personId = KEY_PATH.exec(path)![1]!;
      const handle = this.#handles.get(personRepo(personId).name);
      if (!handle || !this.#writable(handle.repo)) {
        report.skipped.push(path);
        continue;
      }
      record(handle.repo, (await handle.client.commitChanged([path], message ?? t('sync.repo.person'))).commit);
    }
    return report;
  }

  /**
   * The site profiles and rule packs among `paths` that this person would
   * send (they write the office's repository) and that the office would
   * refuse, each with why (./office-files.ts).
   */
  async #unusableSettings(paths: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (!this.#writable(officeRepo)) return out;
    for (const path of paths) {
      if (!isOfficeSettingsPath(path)) continue;
      const bytes = await readFile(join(this.dir, path)).catch((error: unknown) => {
        if (isMissing(error)) return null;
        throw error;
      });
      const problem = bytes === null ? null : officeFileProblem(path, bytes);
      if (problem) out.set(path, problem);
    }
    return out;
  }

  /** An article submitted: its files leave the unit's drafts (other desktops keep them: their submitted work has them). */
  async #leaveDrafts(id: string, unit: string, report: CommitReport): Promise<void> {
    const drafts = this.#handles.get(draftsRepo(unit).name);
    if (!drafts || !this.#writable(drafts.repo)) return;
    const head = await this.#head(drafts);
    const gone = [...(await pathsUnder(drafts.store, head, `articles/${id}/`))];
    if (await blobAt(drafts.store, head, `tombstones/${id}.json`)) gone.push(`tombstones/${id}.json`);
    if (gone.length === 0) return;
    const scratch = emptyDir(this.dir);
    await rm(scratch, { recursive: true, force: true });
    await mkdir(scratch, { recursive: true });
    // The server refuses a record deleted without proof that it moved on: when
    // the drafts copy of the record predates the submission, a move note
    // carries the signed submission that continues it.
    const note = await this.#moveNote(drafts, head, id);
    if (note === 'not_yet') return;
    const paths = [...gone];
    if (note) {
      const path = `moved/${id}.json`;
      await mkdir(join(scratch, 'moved'), { recursive: true });
      await writeFileAtomic(join(scratch, path), `${JSON.stringify(note)}\n`);
      paths.push(path);
    }
    // Over an otherwise empty work tree every article path given is missing, so the commit deletes exactly them.
    const remover = new OfficeSyncClient({
      dir: scratch,
      gitdir: drafts.gitdir,
      scope: (path) => carries('drafts', path),
      credentials: this.#options.credentials,
      signer: this.#options.signer,
    });
    const result = await remover.commitChanged(paths, `文稿 ${id} 已提交审核，移出草稿`);
    await rm(scratch, { recursive: true, force: true });
    if (result.commit) report.commits.push({ repo: drafts.repo.name, commit: result.commit });
  }

  /**
   * The move note for an article leaving drafts: null when drafts holds no
   * record of it, the note with the entries that follow the drafts copy up to
   * the submission (none when the copy holds it already), and `not_yet` when
   * the workspace's record does not continue the drafts copy with a submission
   * (the article stays in drafts until it does).
   */
  async #moveNote(drafts: Handle, head: string | null, id: string): Promise<{ format: string; articleId: string; entries: unknown[] } | null | 'not_yet'> {
    const blob = await blobAt(drafts.store, head, `articles/${id}/record.jsonl`);
    if (!blob) return null;
    const there = parseRecordLines((await drafts.store.read(blob)).data.toString('utf8'));
    const isSubmit = (e: unknown) => (e as { event?: { type?: unknown } } | null)?.event?.type === 'submit';
    if (there.some(isSubmit)) return { format: MOVED_FORMAT, articleId: id, entries: [] };
    const local = await readFile(join(this.dir, 'articles', id, 'record.jsonl'), 'utf8').catch(() => '');
    const here = parseRecordLines(local);
    const same = there.every((entry, index) => JSON.stringify(entry) === JSON.stringify(here[index]));
    const submitAt = here.findIndex((entry, index) => index >= there.length && isSubmit(entry));
    if (!same || submitAt < 0) return 'not_yet';
    return { format: MOVED_FORMAT, articleId: id, entries: here.slice(there.length, submitAt + 1) };
  }

  /** Copies policy files into a repository whose work tree is not the workspace. */
  async #mirror(handle: Handle, paths: readonly string[]): Promise<void> {
    for (const path of paths) {
      const bytes = await readFile(join(this.dir, path)).catch((error: unknown) => {
        if (isMissing(error)) return null;
        throw error;
      });
      const target = join(handle.workdir, path);
      if (bytes === null) await unlink(target).catch(() => {});
      else {
        await mkdir(dirname(target), { recursive: true });
        await writeFileAtomic(target, bytes);
      }
    }
  }

  #relative(path: string): string | null {
    const rel = relative(this.dir, resolve(this.dir, path));
    if (rel === '' || rel.startsWith('..') || rel.startsWith(sep)) return null;
    return rel.split(sep).join(posix.sep);
  }

  /** Commits every synced file of one article (and its tombstone). */
  commitArticle(articleId: string, message?: string): Promise<CommitReport> {
    return this.#queue.run('sync', async () => {
      const paths = await listArticleFiles(this.dir, articleId);
      const state = await readFileState(filesFile(this.dir));
      // Files it had and no longer has are deletions.
      for (const known of Object.keys(state.files)) if (articleOfPath(known) === articleId && !paths.includes(known)) paths.push(known);
      const report = await this.#commitPaths(paths, message);
      await this.#remember(state, paths.filter((p) => !report.held.includes(p)));
      await this.#saveFileState(state);
      return report;
    });
  }

  /**
   * The paths that differ from the repositories carrying them, found by
   * looking (see ./workspace-files.ts). Two kinds differ and still do not
   * wait to be sent: an article 冲突待处理 (`held`: the office keeps the other
   * version until the person decides) and a change the server refused that
   * has not changed since (`refused`).
   */
  async #scan(known?: FileState, look?: RoundLook): Promise<Scan> {
    const state = known ?? (await readFileState(filesFile(this.dir)));
    const changed = await changedFiles(this.dir, state, look);
    const pending: string[] = [];
    const held = new Set<string>();
    const refused = new Set<string>();
    let marks: Map<string, RefusedMark> | null = null;
    for (const file of changed) {
      if (!(await this.#differs(file.path, file.oid))) {
        if (file.oid === null) delete state.files[file.path];
        else state.files[file.path] = [file.size, file.mtimeMs, file.oid];
        continue;
      }
      const id = articleOfPath(file.path);
      if (id !== null && conflicted(this.dir, id)) {
        held.add(id);
        continue;
      }
      marks ??= await this.#refusedMarks();
      if (marks.get(file.path)?.oid === file.oid) {
        refused.add(id ?? file.path);
        continue;
      }
      pending.push(file.path);
    }
    return { state, paths: pending, held: [...held].sort(), refused: [...refused].sort() };
  }

  /** Every repository's refused changes, by path (the newest mark where two name one path). */
  async #refusedMarks(): Promise<Map<string, RefusedMark>> {
    const marks = new Map<string, RefusedMark>();
    for (const handle of this.#handles.values()) {
      for (const [path, mark] of Object.entries(await handle.client.refusedChanges())) {
        const known = marks.get(path);
        if (!known || known.at < mark.at) marks.set(path, mark);
      }
    }
    return marks;
  }

  /** Whether a file (its blob id now, null when deleted) differs from what its repositories hold. */
  async #differs(path: string, oid: string | null): Promise<boolean> {
    const id = articleOfPath(path);
    if (id === null) {
      for (const handle of this.#handles.values()) {
        if (!this.#writable(handle.repo) || !carries(handle.repo.kind, path)) continue;
        if ((await blobAt(handle.store, await this.#head(handle), path)) !== oid) return true;
      }
      return false;
    }
    const repo = await this.#routeArticle(id);
    const handle = repo ? this.#handles.get(repo.name) : undefined;
    if (!handle) return oid !== null;
    const head = await this.#head(handle);
    if ((await blobAt(handle.store, head, path)) !== oid) return true;
    // Submitted elsewhere and received here: the drafts copy still to leave.
    if (repo?.kind === 'submitted') {
      const drafts = this.#handles.get(draftsRepo(repo.unit!).name);
      if (drafts && this.#writable(drafts.repo) && (await blobAt(drafts.store, await this.#head(drafts), path))) return true;
    }
    return false;
  }

  /** `.sync/files.json`, written only when it differs from what this desktop last wrote (10,000 articles make a megabyte). */
  async #saveFileState(state: FileState): Promise<void> {
    const text = JSON.stringify(state);
    if (text === this.#savedState && (await exists(filesFile(this.dir)))) return;
    await writeFileAtomic(filesFile(this.dir), text);
    this.#savedState = text;
  }

  /** Records the files as they are now as matching their repositories. */
  async #remember(state: FileState, paths: readonly string[]): Promise<void> {
    for (const path of paths) {
      const info = await stat(join(this.dir, path)).catch(() => null);
      if (!info) {
        delete state.files[path];
        continue;
      }
      const bytes = await readFile(join(this.dir, path)).catch(() => null);
      if (bytes) state.files[path] = [info.size, info.mtimeMs, blobOid(bytes)];
    }
  }

  /**
   * A `.gazette-package` imported here (the air gap between 内网 and 外网):
   * its articles are committed at once, signed, the commit message naming the
   * package's SHA-256 (`导入传输包 <sha256>`), so the office's history says
   * which package brought them.
   */
  recordPackageImport(sha256: string, articleIds: readonly string[]): Promise<CommitReport> {
    return this.#queue.run('sync', async () => {
      const ids = new Set(articleIds);
      const state = await readFileState(filesFile(this.dir));
      const paths = (await listSyncedFiles(this.dir)).filter((p) => p.startsWith('office/') || ids.has(articleOfPath(p) ?? ''));
      const message = t('sync.commit.package', { sha256 });
      const report = await this.#commitPaths(paths, `${message}\n\n${[...ids].join('\n')}\n`);
      await this.#remember(state, paths.filter((p) => !report.held.includes(p)));
      await this.#saveFileState(state);
      const repos = [...new Set(report.commits.map((c) => c.repo))];
      await appendLog(this.dir, repos.map((repo) => logEntry('package_imported', repo, [...ids], t('sync.log.packageImported', { sha256, repo }))));
      return report;
    });
  }

  /** Files changed here and not yet committed, plus commits not yet pushed, per repository. */
  pending(): Promise<PendingWork> {
    return this.#queue.run('sync', async () => {
      const { state, paths, held, refused } = await this.#scan();
      await this.#saveFileState(state);
      const unpushed: PendingWork['unpushed'] = [];
      const articles = new Set([...paths.flatMap((p) => articleOfPath(p) ?? []), ...refused.filter((id) => !id.includes('/'))]);
      for (const handle of this.#handles.values()) {
        const commits = await this.#unpushed(handle);
        if (commits.length === 0) continue;
        unpushed.push({ repo: handle.repo.name, commits: commits.length });
        for (const id of await this.#articlesIn(handle, commits)) articles.add(id);
      }
      return { articles: [...articles].sort(), conflicts: held, refused, paths, unpushed };
    });
  }

  async #unpushed(handle: Handle): Promise<string[]> {
    const head = await this.#head(handle);
    if (head === null) return [];
    const remote = await readRef(handle.gitdir, 'refs/remotes/origin/main');
    return (await commitsBetween(handle.store, head, remote)).map((c) => c.oid);
  }

  /** The articles a list of commits touched, from their messages' path lists (cheap: no tree diffs). */
  async #articlesIn(handle: Handle, commits: readonly string[]): Promise<string[]> {
    const ids = new Set<string>();
    for (const oid of commits) {
      for (const line of (await readCommit(handle.store, oid)).message.split('\n')) {
        const id = articleOfPath(line.trim());
        if (id) ids.add(id);
      }
    }
    return [...ids];
  }

  /** Enrols the person's own key when their personal repository has none and this desktop holds it. */
  async #enrolOwnKey(): Promise<void> {
    await this.#enrolKey(this.config.personId, null);
  }

  async #enrolKey(personId: string, handleOverride: Handle | null): Promise<boolean> {
    const handle = handleOverride ?? this.#handles.get(personRepo(personId).name);
    if (!handle || !this.#writable(handle.repo)) return false;
    const path = `people/${personId}/key.json`;
    if (await blobAt(handle.store, await this.#head(handle), path)) return false;
    const people = await PeopleDirectory.open(this.dir);
    const record = people.record(personId);
    const current = currentKeyOf(this.#policy.latest, personId, new Date().toISOString());
    // Only the password seal travels: a key wrapped by this machine's keychain opens nowhere else.
    if (!record?.key || record.key.keyId !== current || record.key.privateKey.kind !== PASSWORD_KIND) return false;
    await this.#mirror(handle, await this.#policyPaths());
    const target = join(handle.workdir, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFileAtomic(target, `${JSON.stringify(record.key, null, 2)}\n`);
    await handle.client.commitChanged([...(await this.#policyPaths()), path], `${personId} 的签名密钥（以本人密码封存）`);
    return true;
  }

  async #policyPaths(): Promise<string[]> {
    return (await listSyncedFiles(this.dir)).filter((p) => p.startsWith('office/'));
  }

  /**
   * The first desktop of an office places the sealed keys it holds for the
   * other people in their personal repositories (administrators write them; a
   * person joining elsewhere then opens theirs with their password).
   */
  async enrolOthers(): Promise<string[]> {
    return this.#queue.run('sync', async () => {
      const enrolled: string[] = [];
      const credentials = await this.#options.credentials();
      const headers = { Authorization: `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`, 'utf8').toString('base64')}` };
      const scratch = join(this.dir, SYNC_DIR, 'enrol');
      for (const other of this.#policy.latest.people) {
        if (other.id === this.config.personId || !other.active) continue;
        const repo = personRepo(other.id);
        // Administrators may push to a personal repository but not read it: the key goes as the
        // repository's first commit, which the server refuses (not a fast-forward) once it has one.
        await rm(scratch, { recursive: true, force: true });
        const gitdir = join(scratch, `${repo.name}.git`);
        const workdir = join(scratch, repo.name);
        await git.init({ fs, dir: workdir, gitdir, defaultBranch: 'main' });
        const client = new OfficeSyncClient({
          dir: workdir,
          gitdir,
          scope: (path) => carries('person', path),
          credentials: this.#options.credentials,
          signer: this.#options.signer,
        });
        const handle: Handle = { repo, gitdir, workdir, client, store: new ObjectStore(gitdir) };
        if (!(await this.#enrolKey(other.id, handle))) continue;
        const head = await client.head();
        if (!head) continue;
        try {
          const pushed = await pushBranch({
            http: this.#options.http ?? nodeHttpClient(),
            url: repoUrl(this.config.serverUrl, repo.name),
            headers,
            source: handle.store,
            local: head,
            remote: null,
            ref: 'refs/heads/main',
          });
          if (pushed.ok) enrolled.push(other.id);
          else this.#options.log?.(`[sync] key of ${other.id} not placed: ${pushed.lines.join(' ') || pushed.error}`);
        } catch (error) {
          this.#options.log?.(`[sync] key of ${other.id} not placed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      await rm(scratch, { recursive: true, force: true });
      return enrolled;
    });
  }

  /** Why this person can no longer sync (key revoked, account disabled), or null. */
  #revocation(): string | null {
    const policy = this.#policy.latest;
    const person = this.#person;
    if (!person?.active) return t('sync.inactive');
    const signer = this.#options.signer;
    if (!signer) return null;
    const key = policy.keys.find((k) => k.publicKey === signer.publicKey);
    if (!key) return null;
    if (key.revokedAt && key.revokedAt <= new Date().toISOString()) {
      return t('sync.revoked', { revokedAt: formatOfficeTime(key.revokedAt), reason: key.revokedReason || '—' });
    }
    return null;
  }

  /**
   * One round over every repository, the office's first: commit what changed,
   * fetch, merge or fast-forward, push. Never throws for the network or a
   * refusal: the report says what happened.
   */
  round(look?: RoundLook): Promise<SyncRoundReport> {
    return this.#queue.run('sync', () => this.#round(look));
  }

  async #round(asked?: RoundLook): Promise<SyncRoundReport> {
    const report: SyncRoundReport = { phase: 'synced', sent: [], received: [], merged: [], conflicts: [], refused: [], rejected: [], invalidated: [], message: null };
    const log: SyncLogEntry[] = [];
    const status = await this.#readStatus();
    // A narrowed look still sees every article held back (冲突待处理, or refused and unchanged): the person is told of them every round.
    const look = asked && {
      articles: [
        ...new Set([
          ...asked.articles,
          ...(Array.isArray(status.conflicts) ? status.conflicts : []),
          ...[...(await this.#refusedMarks()).keys()].flatMap((path) => articleOfPath(path) ?? []),
        ]),
      ].filter((id) => typeof id === 'string' && ARTICLE_ID.test(id)),
    };
    const attemptAt = new Date().toISOString();
    status.lastAttemptAt = attemptAt;
    const messages: string[] = [];
    let phase: SyncPhase = 'synced';
    let held: string[] = [];
    let standingRefusal = false;
    let errored = false;
    const note = (p: SyncPhase, message: string | null) => {
      phase = worse(phase, p);
      if (message) messages.push(message);
    };
    try {
      let scan = await this.#scan(undefined, look);
      // A settings file that would be refused (a password typed into a site file) is never sent, not even to be refused.
      for (const [path, detail] of await this.#unusableSettings(scan.paths)) {
        const message = t('sync.log.settingsHeld', { path, detail });
        log.push(logEntry('refused', officeRepo.name, [], message));
        note('refused', message);
      }
      // The office's repository first: a new policy (a revocation among them) before anything else moves.
      const office = this.#handles.get(officeRepo.name);
      if (office) {
        const unusable = await this.#unusableSettings(scan.paths);
        const officePaths = scan.paths.filter((p) => p.startsWith('office/') || (isOfficeSettingsPath(p) && !unusable.has(p)));
        if (officePaths.length && this.#writable(officeRepo)) await office.client.commitChanged(officePaths, t('sync.repo.office'));
        this.#take(report, office, await office.client.sync(), log, status, note, scan.state);
        this.#policy = await this.#policies.current();
      }
      const revoked = this.#revocation();
      if (revoked) {
        note('revoked', revoked);
        log.push(logEntry('revoked', null, [], revoked));
      } else {
        const logged = log.length;
        for (const problem of await this.#joinMissing(log, report.received)) {
          report.rejected.push(problem);
          note('rejected_incoming', problem.reason);
        }
        // Looked at again only when this round wrote into the workspace since (the office's files, a
        // repository joined): otherwise the first look still holds, and a second one is another stat of
        // every file. What changes meanwhile is found by the next round's look.
        if (report.received.length > 0 || log.length > logged) {
          // A narrowed look widens to what this round wrote; a repository joined means every file (a full look).
          const wrote = report.received.flatMap((p) => articleOfPath(p) ?? []);
          scan = await this.#scan(scan.state, look && log.length === logged ? { articles: [...new Set([...look.articles, ...wrote])] } : undefined);
        }
        if (scan.paths.length) {
          const committed = await this.#commitPaths(scan.paths);
          if (committed.commits.length) {
            await this.#remember(scan.state, scan.paths.filter((p) => !committed.skipped.includes(p) && !committed.held.includes(p)));
          }
        }
        await this.#enrolOwnKey();
        for (const handle of orderRepos([...this.#handles.values()].map((h) => h.repo)).map((r) => this.#handles.get(r.name)!)) {
          if (handle.repo.kind === 'office') continue;
          this.#take(report, handle, await handle.client.sync(), log, status, note, scan.state);
        }
      }
      // An article left 冲突待处理 differs from the office's copy until decided: its files are looked at every
      // time (never remembered as matching), so the scan always knows it is held.
      const conflicted = new Set(report.conflicts);
      for (const path of Object.keys(scan.state.files)) if (conflicted.has(articleOfPath(path) ?? '')) delete scan.state.files[path];
      await this.#saveFileState(scan.state);
      held = scan.held.filter((id) => !conflicted.has(id));
      // Left 冲突待处理 by an earlier round: not sent until decided, and the person must know.
      if (held.length) note('conflict', t('sync.round.conflictsHeld', { count: held.length }));
      // Refused earlier and unchanged since: not sent, and the person must know until they change them.
      if (scan.refused.length && report.refused.length === 0) {
        standingRefusal = true;
        note('refused', t('sync.round.refusedHeld', { count: scan.refused.length }));
      }
      const left = await this.#countPending();
      if (left > 0 && phase === 'synced') note('pending', t('sync.round.pending', { count: left }));
    } catch (error) {
      errored = true;
      const detail = error instanceof Error ? error.message : String(error);
      log.push(logEntry('error', null, [], t('sync.log.error', { repo: '—', detail })));
      note('refused', t('sync.log.error', { repo: '—', detail }));
    }
    report.phase = phase;
    report.message = messages.length ? messages.join('\n') : null;
    status.phase = phase;
    status.message = report.message;
    status.conflicts = [...new Set([...report.conflicts, ...held])].sort();
    // Every repository answered: a conflict to decide or a refusal already set aside does not make the office out of reach.
    const reached = phase === 'synced' || phase === 'pending' || phase === 'conflict' || (phase === 'refused' && standingRefusal && report.refused.length === 0);
    if (reached && !errored) status.lastSyncAt = attemptAt;
    await writeFileAtomic(statusFile(this.dir), `${JSON.stringify(status, null, 2)}\n`);
    await appendLog(this.dir, log);
    return report;
  }

  async #countPending(): Promise<number> {
    let count = 0;
    for (const handle of this.#handles.values()) count += (await this.#unpushed(handle)).length;
    return count;
  }

  /** Folds one repository's answer into the round's report and log. */
  #take(
    report: SyncRoundReport,
    handle: Handle,
    result: SyncResult,
    log: SyncLogEntry[],
    status: StoredStatus,
    note: (phase: SyncPhase, message: string | null) => void,
    files: FileState,
  ): void {
    const repo = handle.repo;
    const label = repoLabel(repo);
    const inWorkspace = handle.workdir === this.dir;
    const entry: RepoStatus = status.repos[repo.name] ?? { lastSyncAt: null, problem: null };
    status.repos[repo.name] = entry;
    entry.problem = null;
    const ids = (paths: readonly string[]) => [...new Set(paths.flatMap((p) => articleOfPath(p) ?? []))];
    const sent = 'sent' in result ? result.sent : [];
    const received = inWorkspace && 'received' in result ? result.received : [];
    if (sent.length) {
      report.sent.push(...sent);
      log.push(logEntry('sent', repo.name, [], t('sync.log.sent', { repo: label, count: sent.length })));
    }
    if (received.length) {
      report.received.push(...received);
      log.push(logEntry('received', repo.name, ids(received), t('sync.log.received', { repo: label, count: received.length })));
    }
    /** Articles left 冲突待处理 and what to tell about each article, one log line per notice. */
    const tell = (conflicts: readonly string[], notices: readonly ArticleNotice[]) => {
      if (conflicts.length) {
        report.conflicts.push(...conflicts);
        const message = t('sync.log.conflict', { repo: label, count: conflicts.length });
        log.push(logEntry('conflict', repo.name, [...conflicts], message));
        note('conflict', message);
      }
      for (const notice of notices) {
        log.push(logEntry(conflicts.includes(notice.articleId) ? 'conflict' : 'merged', repo.name, [notice.articleId], notice.message));
      }
    };
    switch (result.status) {
      case 'up_to_date':
        entry.lastSyncAt = new Date().toISOString();
        return;
      case 'synced':
        entry.lastSyncAt = new Date().toISOString();
        tell(result.conflicts ?? [], result.notices ?? []);
        return;
      case 'merged': {
        // Merged and pushed: the repository is in step with the server, whatever is left for people to decide.
        entry.lastSyncAt = new Date().toISOString();
        if (result.merged.length) {
          report.merged.push(...result.merged);
          log.push(logEntry('merged', repo.name, result.merged, t('sync.log.merged', { repo: label, count: result.merged.length })));
        }
        if (result.invalidated.length) {
          report.invalidated.push(...result.invalidated);
          for (const act of result.invalidated) log.push(logEntry('merged', repo.name, [act.articleId], act.message));
          note('synced', t('sync.log.invalidated', { repo: label, count: result.invalidated.length }));
        }
        tell(result.conflicts, result.notices);
        return;
      }
      case 'diverged': {
        const articles = ids(result.localChanges);
        const why =
          result.reason === 'no_signer'
            ? t('sync.diverged.noSigner')
            : result.reason === 'signer_revoked'
              ? t('sync.diverged.revoked')
              : result.reason === 'uncommitted'
                ? t('sync.diverged.uncommitted')
                : (result.problem ?? null);
        const message = why ? t('sync.log.divergedWhy', { repo: label, reason: why }) : t('sync.log.diverged', { repo: label });
        entry.problem = message;
        if (result.reason === 'signer_revoked') {
          log.push(logEntry('revoked', repo.name, articles, message));
          note('revoked', message);
        } else if (result.reason === 'uncommitted') {
          // Files changed while the merge was being made: the next round merges again.
          log.push(logEntry('conflict', repo.name, articles, message));
          note('pending', message);
        } else {
          report.conflicts.push(...articles);
          log.push(logEntry('conflict', repo.name, articles, message));
          note('conflict', message);
        }
        return;
      }
      case 'refused': {
        const reasons = result.reasons.length ? result.reasons : [result.error];
        report.refused.push({ repo: repo.name, reasons });
        const marked = ids(result.marked ?? []);
        const message = result.ref
          ? t('sync.log.refusedSetAside', { repo: label, reasons: reasons.join('；'), ref: result.ref, count: marked.length })
          : t('sync.log.refused', { repo: label, reasons: reasons.join('；') });
        entry.problem = message;
        log.push(logEntry('refused', repo.name, marked, message));
        note('refused', message);
        // Their changes are uncommitted again: the next look must read these files, not trust the stat it remembered.
        for (const path of result.uncommitted ?? []) delete files.files[path];
        return;
      }
      case 'rejected_incoming': {
        report.rejected.push({ repo: repo.name, reason: result.refusal.zh });
        const message = t('sync.log.rejected', { repo: label, reason: result.refusal.zh });
        entry.problem = message;
        log.push(logEntry('rejected_incoming', repo.name, [], message));
        note('rejected_incoming', message);
        return;
      }
      case 'offline': {
        const message = t('sync.log.offline', { repo: label, detail: result.error });
        entry.problem = message;
        log.push(logEntry('offline', repo.name, [], message));
        note('offline', message);
        return;
      }
      case 'unauthorized': {
        const message = t('sync.log.unauthorized', { repo: label });
        entry.problem = message;
        log.push(logEntry('unauthorized', repo.name, [], message));
        note('unauthorized', message);
        return;
      }
    }
  }

  async #readStatus(): Promise<StoredStatus> {
    const raw = (await readJsonOrNull(statusFile(this.dir)).catch(() => null)) as StoredStatus | null;
    return raw && typeof raw === 'object' && raw.repos
      ? raw
      : { lastSyncAt: null, lastAttemptAt: null, phase: 'pending', message: null, conflicts: [], repos: {} };
  }

  /** The title bar's status as the last round left it, with what is pending now. */
  status(): Promise<SyncStatusView> {
    return this.#queue.run('sync', async () => {
      const stored = await this.#readStatus();
      const repos: SyncRepoView[] = [];
      let pending = 0;
      for (const handle of this.#handles.values()) {
        const unpushed = (await this.#unpushed(handle)).length;
        pending += unpushed;
        repos.push({
          name: handle.repo.name,
          kind: handle.repo.kind,
          unit: handle.repo.unit,
          head: await this.#head(handle),
          lastSyncAt: stored.repos[handle.repo.name]?.lastSyncAt ?? null,
          pending: unpushed,
          problem: stored.repos[handle.repo.name]?.problem ?? null,
        });
      }
      const { paths } = await this.#scan();
      pending += new Set(paths.map((p) => articleOfPath(p) ?? p)).size;
      const phase = stored.phase === 'synced' && pending > 0 ? 'pending' : stored.phase;
      return {
        phase,
        serverUrl: this.config.serverUrl,
        pending,
        conflicts: stored.conflicts.length,
        lastSyncAt: stored.lastSyncAt,
        lastAttemptAt: stored.lastAttemptAt,
        nextAttemptAt: null,
        message: stored.message,
        repos,
      };
    });
  }
}

async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => null)) !== null;
}

async function readRef(gitdir: string, ref: string): Promise<string | null> {
  const text = await readFile(join(gitdir, ...ref.split('/')), 'utf8').catch(() => null);
  if (text && /^[0-9a-f]{40}$/.test(text.trim())) return text.trim();
  // Packed refs (a repository git itself has packed).
  const packed = await readFile(join(gitdir, 'packed-refs'), 'utf8').catch(() => '');
  const line = packed.split('\n').find((l) => l.endsWith(` ${ref}`));
  return line ? line.slice(0, 40) : null;
}
