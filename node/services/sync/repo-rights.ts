import { parseRecordLines } from '../../../shared/record/entry';
import type { OfficePolicy } from '../../../shared/record/policy';
import type { Person } from '../../../shared/workflow/review-chain';
import { diffTrees, entryAt, isTree, type ObjectSource, readBlob, readCommit } from './git-objects';
import { carries, draftsRepo, mayRead, mayWrite, OFFICE_REPO, type OfficeRepo, officeRepo, personRepo, type RepoKind, submittedRepo, unitsOf, unitSlug } from './office-repos';
import { isOfficeSettingsPath } from './office-files';
import { type Refusal, refusal } from './refusals';
import { isSyncedPath } from './scope';
import { personOfEmail } from './sshsig';

/*
 * What the office server lets each login read and each committer write, per
 * repository, decided from the office policy with the rules of office-repos.ts.
 * The server kit turns the read and push lists into Apache's group file (the
 * first gate) and its pre-receive hook runs `checkRepoRights` on every push
 * (the gate that holds even when the first is misconfigured, or the server is
 * Gitea or GitLab with permissions of their own).
 *
 * A repository whose name the office layout does not use (`office-1`, made by
 * hand with `npm run office-server -- repo`) is a single-repository office: the
 * whole office in one repository, as before the layout existed. Its own policy
 * decides, and every active person of it reads and writes it.
 */

export type ServedKind = RepoKind | 'standalone';

export interface ServedRepo {
  name: string;
  kind: ServedKind;
  /** The unit a drafts or submitted repository belongs to; null when the policy names no unit with its slug (nobody may use it). */
  unit: string | null;
  personId: string | null;
}

/** Logins are person ids; anything else could break a group file line. */
export const LOGIN = /^[A-Za-z0-9_-]{1,64}$/;

const PERSON_REPO = /^person-([A-Za-z0-9_-]{1,64})$/;
const UNIT_REPO = /^(u[0-9a-f]{12})-(drafts|submitted)$/;

/** Whether a repository name is one the office layout gives (office, a unit's, a person's). */
export function isLayoutName(name: string): boolean {
  return name === OFFICE_REPO || PERSON_REPO.test(name) || UNIT_REPO.test(name);
}

/** What a repository on the server is, by its name, under `policy` (which names the units behind the slugs). */
export function classifyRepo(name: string, policy: OfficePolicy | null): ServedRepo {
  if (name === OFFICE_REPO) return officeRepo;
  const person = PERSON_REPO.exec(name);
  if (person) return personRepo(person[1]!);
  const unit = UNIT_REPO.exec(name);
  if (unit) {
    const named = policy ? unitsOf(policy).find((u) => unitSlug(u) === unit[1]) : undefined;
    if (named !== undefined) return unit[2] === 'drafts' ? draftsRepo(named) : submittedRepo(named);
    return { name, kind: unit[2] as 'drafts' | 'submitted', unit: null, personId: null };
  }
  return { name, kind: 'standalone', unit: null, personId: null };
}

const asOfficeRepo = (repo: ServedRepo): OfficeRepo | null => (repo.kind === 'standalone' ? null : (repo as OfficeRepo));

export function mayReadServed(person: Person | null, repo: ServedRepo): boolean {
  if (repo.kind === 'standalone') return person?.active === true;
  // A unit repository whose unit the policy no longer names: nobody's.
  if ((repo.kind === 'drafts' || repo.kind === 'submitted') && repo.unit === null) return false;
  return mayRead(person, asOfficeRepo(repo)!);
}

export function mayWriteServed(person: Person | null, repo: ServedRepo): boolean {
  if (repo.kind === 'standalone') return person?.active === true;
  if ((repo.kind === 'drafts' || repo.kind === 'submitted') && repo.unit === null) return false;
  return mayWrite(person, asOfficeRepo(repo)!);
}

export interface RepoAccess {
  /** Logins that may fetch. */
  read: string[];
  /** Logins that may push. */
  push: string[];
}

/**
 * Who may fetch and push a repository. Without a policy (a fresh server, or
 * a single-repository office before its first push), the office repository
 * and single-repository offices are open to every login — the first admin's
 * push founds the office — and every other repository to nobody.
 */
export function accessOf(repo: ServedRepo, policy: OfficePolicy | null, logins: readonly string[]): RepoAccess {
  const valid = (ids: readonly string[]) => [...new Set(ids)].filter((id) => LOGIN.test(id)).sort();
  if (!policy) {
    const open = repo.kind === 'office' || repo.kind === 'standalone';
    return open ? { read: valid(logins), push: valid(logins) } : { read: [], push: [] };
  }
  return {
    read: valid(policy.people.filter((p) => mayReadServed(p, repo)).map((p) => p.id)),
    push: valid(policy.people.filter((p) => mayWriteServed(p, repo)).map((p) => p.id)),
  };
}

/** The name of a repository's push group in the group file (its read group is its own name). */
export const pushGroup = (repo: string) => `${repo}.push`;

/**
 * An Apache group file (AuthGroupFile): per repository, one group of the
 * logins that may read it (named as the repository) and one of those that
 * may push (`<name>.push`). Long groups are split over several lines, which
 * Apache joins; a repository nobody may use gets no line, so it is refused.
 */
export function groupFileText(repos: ReadonlyArray<{ name: string; access: RepoAccess }>): string {
  const lines = ['# Written by Gazette\'s office server kit from the office policy; edits are overwritten.'];
  const group = (name: string, logins: readonly string[]) => {
    for (let i = 0; i < logins.length; i += 50) lines.push(`${name}: ${logins.slice(i, i + 50).join(' ')}`);
  };
  for (const { name, access } of [...repos].sort((a, b) => a.name.localeCompare(b.name))) {
    group(name, access.read);
    group(pushGroup(name), access.push);
  }
  return `${lines.join('\n')}\n`;
}

/** Whether a repository of this kind holds `path` (a repository-relative path). */
export function carriedBy(repo: ServedRepo, path: string): boolean {
  switch (repo.kind) {
    case 'standalone':
      // Site profiles and rule packs travel only in the office repository, which only administrators write.
      return isSyncedPath(path) && !isOfficeSettingsPath(path);
    case 'person':
      // The policy travels in every repository (its first commit must carry it); besides it, only this person's key.
      return (path.startsWith('office/') && isSyncedPath(path)) || path === `people/${repo.personId}/key.json`;
    default:
      return carriesKind(repo.kind, path);
  }
}

function carriesKind(kind: RepoKind, path: string): boolean {
  return carries(kind, path);
}

const ARTICLE_PATH = /^articles\/([A-Za-z0-9_-]{6,64})\//;
const TOMBSTONE_PATH = /^tombstones\/([A-Za-z0-9_-]{6,64})\.json$/;

/** The article a path belongs to (its folder or its tombstone), or null. */
export function articleOfPath(path: string): string | null {
  return ARTICLE_PATH.exec(path)?.[1] ?? TOMBSTONE_PATH.exec(path)?.[1] ?? null;
}

async function blobText(source: ObjectSource, tree: string, path: string): Promise<string | null> {
  const entry = await entryAt(source, tree, path);
  if (!entry || isTree(entry)) return null;
  return (await readBlob(source, entry.oid)).toString('utf8');
}

function firstActor(recordText: string): string | null {
  const first = parseRecordLines(recordText)[0] as { event?: { actorId?: unknown } } | undefined;
  return typeof first?.event?.actorId === 'string' ? first.event.actorId : null;
}

/**
 * Who an article in `tree` belongs to: the person of its record's first entry
 * (signed, so it cannot be made up), else the `createdBy` of its article.json,
 * else — a draft saved before articles named their author — null.
 */
async function creatorIn(source: ObjectSource, tree: string, articleId: string): Promise<string | null> {
  const record = await blobText(source, tree, `articles/${articleId}/record.jsonl`);
  const fromRecord = record ? firstActor(record) : null;
  if (fromRecord) return fromRecord;
  const tombstone = await blobText(source, tree, `tombstones/${articleId}.json`);
  if (tombstone) {
    try {
      const parsed = JSON.parse(tombstone) as { record?: unknown };
      const actor = typeof parsed.record === 'string' ? firstActor(parsed.record) : null;
      if (actor) return actor;
    } catch {}
  }
  const article = await blobText(source, tree, `articles/${articleId}/article.json`);
  if (article) {
    try {
      const createdBy = (JSON.parse(article) as { createdBy?: unknown }).createdBy;
      if (typeof createdBy === 'string' && createdBy) return createdBy;
    } catch {}
  }
  return null;
}

export interface RightsInput {
  source: ObjectSource;
  repo: ServedRepo;
  /** The policy in force before the push (for the push founding a repository: the policy it brings). */
  policy: OfficePolicy;
  /** The new commits, any order. */
  commits: readonly string[];
  /** The login that pushes, when the server knows it (REMOTE_USER). */
  pusher?: string | null;
}

const short = (oid: string) => oid.slice(0, 10);

/**
 * Refuses a push whose committers (or pusher) the repository is not for, that
 * changes a site profile or rule pack without being an administrator,
 * which brings paths the repository does not hold, or which writes into a
 * unit's repository an article of another unit. Judged by the policy in force
 * before the push, so no push grants itself rights.
 */
export async function checkRepoRights(input: RightsInput): Promise<Refusal | null> {
  const { source, repo, policy } = input;
  const personOf = (id: string | null) => (id ? (policy.people.find((p) => p.id === id) ?? null) : null);
  const nameOf = (id: string) => personOf(id)?.name ?? id;
  for (const oid of input.commits) {
    const commit = await readCommit(source, oid);
    const at = { commit: short(oid), repo: repo.name };
    const committerId = personOfEmail(commit.committer?.email ?? '');
    const committer = personOf(committerId);
    const committerName = committerId ? nameOf(committerId) : (commit.committer?.email ?? '');

    // A merge brings what its other parents already had: only what differs from every parent is this commit's own.
    const parents: (string | null)[] = commit.parents.length ? commit.parents : [null];
    const counts = new Map<string, number>();
    for (const parent of parents) {
      const parentTree = parent ? (await readCommit(source, parent)).tree : null;
      for (const change of await diffTrees(source, parentTree, commit.tree)) counts.set(change.path, (counts.get(change.path) ?? 0) + 1);
    }
    const changed = [...counts].filter(([, n]) => n === parents.length).map(([path]) => path);
    // Named first, so whoever tried learns which settings file only an administrator may change.
    const settings = changed.find(isOfficeSettingsPath);
    if (settings !== undefined && !(committer?.active && committer.roles.includes('admin'))) {
      return refusal('settings_not_admin', { ...at, path: settings, committer: committerName });
    }
    if (!mayWriteServed(committer, repo)) return refusal('repo_not_yours', { ...at, committer: committerName });
    for (const path of changed) if (!carriedBy(repo, path)) return refusal('path_not_carried', { ...at, path });

    if (repo.kind !== 'drafts' && repo.kind !== 'submitted') continue;
    const articles = new Map<string, string>();
    for (const path of changed) {
      const id = articleOfPath(path);
      if (id && !articles.has(id)) articles.set(id, path);
    }
    const firstParentTree = commit.parents[0] ? (await readCommit(source, commit.parents[0])).tree : null;
    for (const [id, path] of articles) {
      // A deleted article is judged by what it was.
      const creatorId = (await creatorIn(source, commit.tree, id)) ?? (firstParentTree ? await creatorIn(source, firstParentTree, id) : null);
      // An article that names no author known to the policy is its committer's: they wrote it on their desktop.
      const creator = personOf(creatorId) ?? committer;
      const unit = creator?.unit.trim() ?? '';
      if (unit !== repo.unit) {
        return refusal('unit_foreign', { ...at, path, unit: unit || '—', ownUnit: repo.unit ?? '—' });
      }
    }
  }
  // Whoever the commits name, the login that pushes them must be one the repository is for too.
  if (input.pusher && !mayWriteServed(personOf(input.pusher), repo)) {
    return refusal('pusher_not_allowed', { login: input.pusher, repo: repo.name });
  }
  return null;
}
