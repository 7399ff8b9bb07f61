import { createHash } from 'node:crypto';
import type { OfficePolicy } from '../../../shared/record/policy';
import type { Person } from '../../../shared/workflow/review-chain';
import { isOfficeSettingsPath } from './office-files';
import { isSyncedPath, MOVED_PATH } from './scope';

/*
 * Which repositories an office server holds, and who may read and write each.
 * git's read access is per repository, so the layout follows who may read:
 *
 *   office                 the signed policy (people, roles, units, public keys, review chain),
 *                          site profiles and rule packs; everyone reads, administrators write
 *   <unit>-drafts          that unit's drafts; that unit's writers read and write
 *   <unit>-submitted       that unit's articles from their first submission on; that unit's
 *                          writers, every reviewer and every publisher read and write
 *   person-<id>            one person's password-sealed signing key, so a second desktop can
 *                          sign as them; that person reads and writes, administrators write
 *                          (a password reset issues the new key from the administrator's desktop)
 *
 * Every repository also carries `office/root.json` and `office/policy/*`: the
 * policy is self-authenticating (each version is signed under the one before,
 * from the root key), so whoever carries it into a unit's repository cannot
 * change it, and the server's hook and every desktop can check a record
 * against the policy in the same commit without reaching into another
 * repository.
 *
 * Units are free text in the policy (县教育局); repository names are ASCII, so
 * a unit's name is its hash: stable, and the same on the server and every
 * desktop. `npm run office-server -- repos` lists which unit each one is.
 *
 * Both the server kit (its hook and access file) and the desktops use this
 * module: the same rule decides what the server lets through and what a
 * desktop asks for.
 */

export type RepoKind = 'office' | 'drafts' | 'submitted' | 'person';

export interface OfficeRepo {
  name: string;
  kind: RepoKind;
  /** The unit a drafts or submitted repository belongs to. */
  unit: string | null;
  /** The person a personal repository belongs to. */
  personId: string | null;
}

export const OFFICE_REPO = 'office';

/** A repository name for a unit: `u` and the first 12 hex digits of the SHA-256 of its NFC name. */
export function unitSlug(unit: string): string {
  return `u${createHash('sha256').update(unit.normalize('NFC').trim(), 'utf8').digest('hex').slice(0, 12)}`;
}

export function draftsRepo(unit: string): OfficeRepo {
  return { name: `${unitSlug(unit)}-drafts`, kind: 'drafts', unit, personId: null };
}

export function submittedRepo(unit: string): OfficeRepo {
  return { name: `${unitSlug(unit)}-submitted`, kind: 'submitted', unit, personId: null };
}

export function personRepo(personId: string): OfficeRepo {
  return { name: `person-${personId}`, kind: 'person', unit: null, personId };
}

export const officeRepo: OfficeRepo = { name: OFFICE_REPO, kind: 'office', unit: null, personId: null };

function activePeople(policy: OfficePolicy): Person[] {
  return policy.people.filter((p) => p.active);
}

/** The units the policy names (people's units), each once, in the policy's order. */
export function unitsOf(policy: OfficePolicy): string[] {
  return [...new Set(policy.people.map((p) => p.unit.trim()).filter(Boolean))];
}

/** Every repository the office needs under this policy. */
export function officeRepos(policy: OfficePolicy): OfficeRepo[] {
  return [
    officeRepo,
    ...unitsOf(policy).flatMap((unit) => [draftsRepo(unit), submittedRepo(unit)]),
    ...policy.people.map((p) => personRepo(p.id)),
  ];
}

/** Whether `person` may fetch `repo`. A disabled person reads nothing. */
export function mayRead(person: Person | null, repo: OfficeRepo): boolean {
  if (!person?.active) return false;
  const roles = new Set(person.roles);
  switch (repo.kind) {
    case 'office':
      return true;
    case 'drafts':
      return roles.has('writer') && person.unit.trim() === repo.unit;
    case 'submitted':
      return (roles.has('writer') && person.unit.trim() === repo.unit) || roles.has('reviewer') || roles.has('publisher');
    case 'person':
      return person.id === repo.personId;
  }
}

/** Whether `person` may push to `repo`. */
export function mayWrite(person: Person | null, repo: OfficeRepo): boolean {
  if (!person?.active) return false;
  const roles = new Set(person.roles);
  switch (repo.kind) {
    case 'office':
      return roles.has('admin');
    case 'person':
      return person.id === repo.personId || roles.has('admin');
    default:
      return mayRead(person, repo);
  }
}

/** The repositories a person works with on their desktop: every one they may read, the office's first. */
export function reposFor(policy: OfficePolicy, personId: string): OfficeRepo[] {
  const person = activePeople(policy).find((p) => p.id === personId) ?? null;
  return officeRepos(policy).filter((repo) => mayRead(person, repo));
}

/** The repository an article belongs in: its unit's drafts until it is first submitted, its unit's submitted work from then on. */
export function articleRepo(unit: string, submitted: boolean): OfficeRepo {
  return submitted ? submittedRepo(unit) : draftsRepo(unit);
}

/** What a repository of this kind carries (workspace-relative paths). The policy travels in all of them. */
export function carries(kind: RepoKind, path: string): boolean {
  if (path.startsWith('office/')) return isSyncedPath(path);
  // Site profiles and rule packs are the office's settings: administrators write them, where only administrators write.
  if (isOfficeSettingsPath(path)) return kind === 'office';
  if (kind === 'office') return false;
  if (kind === 'person') return /^people\/[A-Za-z0-9_-]{1,64}\/key\.json$/.test(path);
  if (kind === 'drafts' && MOVED_PATH.test(path)) return true;
  return isSyncedPath(path);
}
