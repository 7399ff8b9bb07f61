/*
 * Who may read and push which repository on this server, kept from the office
 * policy:
 *
 *   DIR/access/office-policy.json   the newest office policy any repository has received: the signed
 *                                   versions as they were pushed, and the root key they verify from.
 *                                   Re-verified at every read, so an edit on disk cannot grant anything.
 *   DIR/access/standalone/<name>.json   the same for a single-repository office (a name the layout does not use)
 *   DIR/access/groups               Apache's AuthGroupFile, rewritten whole from those: per repository a
 *                                   read group (its name) and a push group (`<name>.push`)
 *
 * Apache reads the group file at each request, so a new policy version takes
 * effect without a restart. The post-receive hook calls `absorbPush` after a
 * push lands; the kit calls it for every repository when it starts.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { nodeRecordCrypto } from '../../node/services/record/crypto';
import { entryAt, isTree, type ObjectSource, readBlob, readCommit, readTree } from '../../node/services/sync/git-objects';
import { rootKeyOf } from '../../node/services/sync/history-check';
import { OFFICE_REPO, officeRepos } from '../../node/services/sync/office-repos';
import { accessOf, classifyRepo, groupFileText, isLayoutName, type RepoAccess, type ServedRepo } from '../../node/services/sync/repo-rights';
import { type OfficePolicy, type VerifiedPolicy, verifyPolicyChain } from '../../shared/record/policy';
import { CatFile, lines, run } from './git-read';
import { addRepository, repositoryPath, serverPaths, shareWithWorkers } from './provision';

interface StoredPolicy {
  rootKeyId: string;
  /** The signed versions, oldest first, as their files held them. */
  versions: unknown[];
}

export interface KnownPolicy {
  rootKeyId: string;
  policy: VerifiedPolicy;
}

function readStored(file: string): KnownPolicy | null {
  let stored: StoredPolicy;
  try {
    stored = JSON.parse(readFileSync(file, 'utf8')) as StoredPolicy;
  } catch {
    return null;
  }
  if (typeof stored?.rootKeyId !== 'string' || !Array.isArray(stored.versions)) return null;
  const result = verifyPolicyChain(stored.versions, stored.rootKeyId, nodeRecordCrypto);
  return result.verified && result.problems.length === 0 ? { rootKeyId: stored.rootKeyId, policy: result.verified } : null;
}

/** The office policy in force on this server (verified from its root key), or null before the office exists. */
export function officePolicyOf(dir: string): KnownPolicy | null {
  return readStored(serverPaths(dir).officePolicy);
}

function standaloneFile(dir: string, name: string): string {
  return join(serverPaths(dir).standalone, `${name}.json`);
}

/** Logins in the htpasswd file. */
export function loginsOf(dir: string): string[] {
  try {
    return readFileSync(serverPaths(dir).htpasswd, 'utf8')
      .split('\n')
      .map((line) => line.slice(0, line.indexOf(':')))
      .filter(Boolean);
  } catch {
    return [];
  }
}

export interface RepoDescription {
  repo: ServedRepo;
  access: RepoAccess;
  /** The policy version the rights come from; null without one. */
  policyVersion: number | null;
}

/** Every repository on the server with who may read and push it. */
export function describeRepos(dir: string): RepoDescription[] {
  const p = serverPaths(dir);
  const office = officePolicyOf(dir);
  const logins = loginsOf(dir);
  const names = existsSync(p.repos)
    ? readdirSync(p.repos)
        .filter((entry) => entry.endsWith('.git') && statSync(join(p.repos, entry)).isDirectory())
        .map((entry) => entry.slice(0, -4))
    : [];
  return names.sort().map((name) => {
    const own = isLayoutName(name) ? office : readStored(standaloneFile(dir, name));
    const policy: OfficePolicy | null = own?.policy.latest ?? null;
    const repo = classifyRepo(name, policy);
    return { repo, access: accessOf(repo, policy, logins), policyVersion: policy?.version ?? null };
  });
}

/** Rewrites Apache's group file whole, under a temporary name first: a request never reads half of it. */
export function writeGroupFile(dir: string): void {
  const p = serverPaths(dir);
  mkdirSync(p.access, { recursive: true });
  const text = groupFileText(describeRepos(dir).map((d) => ({ name: d.repo.name, access: d.access })));
  const temp = `${p.groups}.tmp-${process.pid}`;
  writeFileSync(temp, text, { mode: 0o640 });
  // Started as root, the kit writes it for Apache's workers, which read it and rewrite it after a push.
  shareWithWorkers(temp, 0o640);
  renameSync(temp, p.groups);
}

/** One writer of the access files at a time (two pushes' post-receive hooks may run at once). */
async function locked<T>(dir: string, work: () => Promise<T>): Promise<T> {
  const lock = join(serverPaths(dir).access, '.lock');
  mkdirSync(serverPaths(dir).access, { recursive: true });
  for (let waited = 0; ; waited += 50) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A holder killed mid-work leaves its lock behind; nothing holds one for long.
      try {
        if (Date.now() - statSync(lock).mtimeMs > 30_000) rmSync(lock, { recursive: true, force: true });
      } catch {}
      if (waited > 20_000) throw new Error('the access files stay locked (access/.lock)');
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** The signed policy versions a tree carries, oldest first (parsed, not yet verified). */
async function signedVersionsAt(source: ObjectSource, treeOid: string): Promise<unknown[]> {
  const folder = await entryAt(source, treeOid, 'office/policy');
  if (!folder || !isTree(folder)) return [];
  const files = (await readTree(source, folder.oid)).filter((e) => !isTree(e) && /^\d{6}\.json$/.test(e.name));
  files.sort((a, b) => a.name.localeCompare(b.name));
  return Promise.all(files.map(async (f) => JSON.parse((await readBlob(source, f.oid)).toString('utf8')) as unknown));
}

function writeStored(file: string, stored: StoredPolicy): void {
  mkdirSync(join(file, '..'), { recursive: true });
  const temp = `${file}.tmp-${process.pid}`;
  writeFileSync(temp, `${JSON.stringify(stored)}\n`);
  shareWithWorkers(temp);
  renameSync(temp, file);
}

interface CarriedPolicy extends KnownPolicy {
  /** Whether the repository's configuration fixes its root key. */
  pinned: boolean;
  versions: unknown[];
}

/** The policy a repository's main branch carries, verified from its root key (pinned, or its first commit's); null when none verifies. */
async function repositoryPolicy(source: ObjectSource, gitDir?: string): Promise<CarriedPolicy | null> {
  // Started as root, the kit reads repositories Apache's workers own: git would call them dubious.
  const at = gitDir ? ['-c', 'safe.directory=*', '--git-dir', gitDir] : [];
  const tip = (await run([...at, 'rev-parse', '--verify', '--quiet', 'refs/heads/main^{commit}'])).stdout.trim();
  if (!tip) return null;
  const pinned = (await run([...at, 'config', '--get', 'gazette.rootKeyId'])).stdout.trim();
  const [first] = await lines([...at, 'rev-list', '--max-parents=0', tip]);
  const rootKeyId = pinned || (first ? await rootKeyOf(source, first) : null);
  if (!rootKeyId) return null;
  const versions = await signedVersionsAt(source, (await readCommit(source, tip)).tree);
  const result = verifyPolicyChain(versions, rootKeyId, nodeRecordCrypto);
  if (!result.verified || result.problems.length) return null;
  return { rootKeyId, pinned: Boolean(pinned), versions, policy: result.verified };
}

/**
 * The office policy the office repository at `gitDir` holds: for a hook on a
 * server other than the kit's (Gitea, GitLab), where no access files are kept
 * and a unit's repository would otherwise know only the policy it carries.
 */
export async function officePolicyIn(gitDir: string): Promise<KnownPolicy | null> {
  const source = new CatFile(gitDir);
  try {
    const carried = await repositoryPolicy(source, gitDir);
    return carried && { rootKeyId: carried.rootKeyId, policy: carried.policy };
  } finally {
    source.close();
  }
}

export interface Absorbed {
  /** The policy version now in force for this repository, if it carries one. */
  version: number | null;
  /** Repositories created because the policy names them. */
  created: string[];
}

/**
 * After a push to repository `name` (read through `source`, with `gitDir`
 * for git's own questions): takes in the policy its main branch carries when
 * it is newer than the one in force, creates the repositories that policy
 * names and the server lacks (pinned to the office's root key, with the
 * hooks), and rewrites the group file.
 */
export async function absorbPush(dir: string, name: string, source: ObjectSource, gitDir?: string): Promise<Absorbed> {
  return locked(dir, async () => {
    const done = (version: number | null, created: string[] = []): Absorbed => {
      writeGroupFile(dir);
      return { version, created };
    };
    const carried = await repositoryPolicy(source, gitDir);
    if (!carried) return done(null);
    const { rootKeyId, pinned, versions } = carried;
    const policy = carried.policy.latest;

    if (!isLayoutName(name)) {
      const known = readStored(standaloneFile(dir, name));
      if (!known || known.policy.latest.version < policy.version) writeStored(standaloneFile(dir, name), { rootKeyId, versions });
      return done(policy.version);
    }
    const office = officePolicyOf(dir);
    // Only the office repository founds the office; every other one must carry the same office.
    if (!office && name !== OFFICE_REPO) return done(null);
    if (office && office.rootKeyId !== rootKeyId) throw new Error(`repository ${name} carries another office's root key`);
    if (!office || office.policy.latest.version < policy.version) writeStored(serverPaths(dir).officePolicy, { rootKeyId, versions });
    const inForce = officePolicyOf(dir)!;
    if (!pinned && name === OFFICE_REPO) addRepository(dir, OFFICE_REPO, { rootKeyId });
    const created: string[] = [];
    for (const repo of officeRepos(inForce.policy.latest)) {
      if (existsSync(join(repositoryPath(dir, repo.name), 'HEAD'))) continue;
      addRepository(dir, repo.name, { rootKeyId: inForce.rootKeyId });
      created.push(repo.name);
    }
    return done(inForce.policy.latest.version, created);
  });
}
