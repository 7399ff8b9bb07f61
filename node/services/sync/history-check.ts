import type { RecordCrypto } from '../../../shared/record/crypto';
import { parseRecordLines } from '../../../shared/record/entry';
import { type OfficeKey, type OfficePolicy, type VerifiedPolicy, verifyPolicyChain } from '../../../shared/record/policy';
import { verifyArticleRecord } from '../../../shared/record/verify';
import { diffTrees, entryAt, isTree, type ObjectSource, type ParsedCommit, readBlob, readCommit, readTree } from './git-objects';
import { isOfficeSettingsPath, OFFICE_SETTINGS_DIRS, officeFileProblem } from './office-files';
import { type Refusal, refusal } from './refusals';
import { MOVED_PATH, POLICY_PATH, RECORD_PATH, ROOT_PATH } from './scope';
import { personOfEmail, verifySshSignature } from './sshsig';

/*
 * The rules every piece of office history must keep, checked on the server
 * (the pre-receive hook, at push time) and again on each desktop for what it
 * fetches — the server and the network are never trusted with the review's
 * integrity:
 *
 *   - every commit is signed (SSH signature, namespace git) by a key the office
 *     policy lists for the committer, and valid when judged;
 *   - the repository has one beginning: its first commit carries office/root.json,
 *     which never changes; every later policy version verifies from that root
 *     and issued versions are never changed, deleted or forked;
 *   - an article's record.jsonl only ever grows by whole lines, and the record
 *     with the new lines verifies under the policy in the same commit;
 *   - a site profile or rule pack is changed only by an administrator under the
 *     policy in the same commit, and reads as one (./office-files.ts).
 */

const ROOT_FORMAT = 'gazette/office-root/v1';

/** When a commit's key must be valid. */
export type ValidAt =
  /** The server at push time: a revoked key is refused whatever date the commit claims. */
  | { now: Date }
  /** A desktop judging history it fetched: the commit's own time (the server already judged the push time). */
  | 'commit';

export interface CommitCheckInput {
  source: ObjectSource;
  /** The commits to check; any order. */
  commits: readonly string[];
  /** The repository's first commit when it has one; null when `commits` bring it. */
  establishedRoot: string | null;
  /** Tips the checker already trusts (the server's branches, the desktop's HEAD): their policies count for revocations and forks. */
  knownTips: readonly string[];
  validAt: ValidAt;
  crypto: RecordCrypto;
  /** The root key this repository must have (fixed when it was created); null: the first commit's root.json decides. */
  pinnedRootKeyId?: string | null;
  /** Only each commit's signature and key, not what it changed (a desktop joining checks the resulting tree instead). */
  signaturesOnly?: boolean;
}

interface TreePolicy {
  rootKeyId: string | null;
  verified: VerifiedPolicy | null;
  /** What failed in the chain (empty when it verified to its end, or there is none). */
  problem: string | null;
  /** Blob id of each version file, by version number. */
  versionBlobs: Map<number, string>;
  hasPolicy: boolean;
}

const short = (oid: string) => oid.slice(0, 10);

function isoOfSeconds(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

function parseRootKeyId(bytes: Buffer): string | null {
  try {
    const raw = JSON.parse(bytes.toString('utf8')) as { format?: unknown; rootKeyId?: unknown };
    return raw.format === ROOT_FORMAT && typeof raw.rootKeyId === 'string' && raw.rootKeyId.length > 0 ? raw.rootKeyId : null;
  } catch {
    return null;
  }
}

/** Reads and verifies the policy a tree carries, from the given root key. Cached by the `office` subtree's id. */
class PolicyReader {
  readonly #cache = new Map<string, Promise<TreePolicy>>();
  readonly #source: ObjectSource;
  readonly #crypto: RecordCrypto;

  constructor(source: ObjectSource, crypto: RecordCrypto) {
    this.#source = source;
    this.#crypto = crypto;
  }

  async ofTree(treeOid: string, rootKeyId: string | null): Promise<TreePolicy> {
    const office = await entryAt(this.#source, treeOid, 'office');
    const officeOid = office && isTree(office) ? office.oid : null;
    const key = `${officeOid}|${rootKeyId}`;
    let cached = this.#cache.get(key);
    if (!cached) {
      cached = this.#read(officeOid, rootKeyId);
      this.#cache.set(key, cached);
    }
    return cached;
  }

  async #read(officeOid: string | null, rootKeyId: string | null): Promise<TreePolicy> {
    const empty: TreePolicy = { rootKeyId: null, verified: null, problem: null, versionBlobs: new Map(), hasPolicy: false };
    if (!officeOid) return empty;
    const entries = await readTree(this.#source, officeOid);
    const rootEntry = entries.find((e) => e.name === 'root.json' && !isTree(e));
    const ownRoot = rootEntry ? parseRootKeyId(await readBlob(this.#source, rootEntry.oid)) : null;
    const policyDir = entries.find((e) => e.name === 'policy' && isTree(e));
    const files = policyDir ? (await readTree(this.#source, policyDir.oid)).filter((e) => /^\d{6}\.json$/.test(e.name)) : [];
    files.sort((a, b) => a.name.localeCompare(b.name));
    const versionBlobs = new Map(files.map((f) => [Number(f.name.slice(0, 6)), f.oid]));
    if (files.length === 0) return { ...empty, rootKeyId: ownRoot, versionBlobs };
    const parsed = await Promise.all(
      files.map(async (file) => {
        try {
          const value = JSON.parse((await readBlob(this.#source, file.oid)).toString('utf8')) as { policy?: { version?: unknown } };
          // A file named for version N must hold version N: a renamed file is a gap.
          return value?.policy?.version === Number(file.name.slice(0, 6)) ? value : { misnamed: file.name };
        } catch {
          return { unreadable: file.name };
        }
      }),
    );
    const root = rootKeyId ?? ownRoot;
    if (!root) return { rootKeyId: ownRoot, verified: null, problem: 'office/root.json', versionBlobs, hasPolicy: true };
    const result = verifyPolicyChain(parsed, root, this.#crypto);
    return {
      rootKeyId: ownRoot,
      verified: result.verified,
      problem: result.problems.length ? result.problems.map((p) => p.message).join('；') : null,
      versionBlobs,
      hasPolicy: true,
    };
  }
}

/** Every key any trusted policy lists, each with the earliest revocation any of them records. */
function mergeKeys(policies: readonly VerifiedPolicy[]): Map<string, OfficeKey> {
  const keys = new Map<string, OfficeKey>();
  for (const policy of policies) {
    for (const key of policy.latest.keys) {
      const seen = keys.get(key.keyId);
      if (!seen) keys.set(key.keyId, key);
      else if (key.revokedAt !== null && (seen.revokedAt === null || key.revokedAt < seen.revokedAt)) keys.set(key.keyId, key);
    }
  }
  return keys;
}

function newest(policies: readonly VerifiedPolicy[]): OfficePolicy | null {
  let best: OfficePolicy | null = null;
  for (const p of policies) if (!best || p.latest.version > best.version) best = p.latest;
  return best;
}

/**
 * Checks commits against the rules above. Returns the first refusal, or null
 * when every commit keeps them.
 */
export async function checkCommits(input: CommitCheckInput): Promise<Refusal | null> {
  const { source, crypto } = input;
  const policies = new PolicyReader(source, crypto);
  const commits = new Map<string, ParsedCommit>();
  try {
    for (const oid of input.commits) commits.set(oid, await readCommit(source, oid));
  } catch (error) {
    return refusal('object_unreadable', { oid: '', detail: error instanceof Error ? error.message : String(error) });
  }

  // The repository's beginning: established, or brought by this push (exactly one first commit).
  let root = input.establishedRoot;
  for (const commit of commits.values()) {
    if (commit.parents.length > 0) continue;
    if (root !== null && commit.oid !== root) return refusal('unrelated_history', { commit: short(commit.oid) });
    root = commit.oid;
  }
  if (root === null) return null;
  const rootCommit = commits.get(root) ?? (await readCommit(source, root));
  const rootPolicy = await policies.ofTree(rootCommit.tree, null);
  const rootKeyId = rootPolicy.rootKeyId;
  if (!rootKeyId || !rootPolicy.verified || rootPolicy.problem !== null) {
    return refusal('root_missing', { commit: short(root) });
  }
  if (input.pinnedRootKeyId && input.pinnedRootKeyId !== rootKeyId) return refusal('root_foreign', { commit: short(root) });

  // What the trusted tips know: revocations count from any of them, and their issued versions may not be forked.
  const trusted: TreePolicy[] = [];
  for (const tip of input.knownTips) trusted.push(await policies.ofTree((await readCommit(source, tip)).tree, rootKeyId));
  const knownVersions = new Map<number, string>();
  for (const t of trusted) for (const [version, blob] of t.versionBlobs) if (t.verified && version <= t.verified.latest.version) knownVersions.set(version, blob);

  const own = new Map<string, TreePolicy>();
  for (const commit of commits.values()) own.set(commit.oid, await policies.ofTree(commit.tree, rootKeyId));
  const verified = [...trusted, ...own.values()].flatMap((p) => (p.verified && p.problem === null ? [p.verified] : []));
  const keys = mergeKeys(verified);
  const people = newest(verified);

  for (const commit of commits.values()) {
    const refused =
      checkSignature(commit, keys, people, input.validAt, crypto) ??
      // Settings files are few and small: judged even where the rest of a commit's changes are not (a desktop joining).
      (await checkSettingsFiles(commit, own.get(commit.oid)!, source)) ??
      (input.signaturesOnly ? null : await checkChanges(commit, own.get(commit.oid)!, knownVersions, source, crypto, commits));
    if (refused) return refused;
  }
  return null;
}

async function subtreeOid(source: ObjectSource, tree: string | null, name: string): Promise<string | null> {
  if (tree === null) return null;
  const entry = (await readTree(source, tree)).find((e) => e.name === name);
  return entry && isTree(entry) ? entry.oid : null;
}

/**
 * A site profile or rule pack a commit itself changes (differs from every
 * parent: a merge brings the rest) must come from an administrator under the
 * policy that commit carries — the policy in force when it was made, so a
 * later demotion does not undo what an administrator did — and must read as
 * what it claims to be (./office-files.ts). Only the two settings folders are
 * looked into, and only when their tree changed.
 */
async function checkSettingsFiles(commit: ParsedCommit, policy: TreePolicy, source: ObjectSource): Promise<Refusal | null> {
  const at = { commit: short(commit.oid) };
  const parents: (string | null)[] = commit.parents.length ? commit.parents : [null];
  const parentTrees = await Promise.all(parents.map(async (parent) => (parent ? (await readCommit(source, parent)).tree : null)));
  for (const folder of OFFICE_SETTINGS_DIRS) {
    const mine = await subtreeOid(source, commit.tree, folder);
    const counts = new Map<string, { n: number; after: string | null }>();
    for (const parentTree of parentTrees) {
      const theirs = await subtreeOid(source, parentTree, folder);
      for (const change of await diffTrees(source, theirs, mine, `${folder}/`)) {
        counts.set(change.path, { n: (counts.get(change.path)?.n ?? 0) + 1, after: change.after });
      }
    }
    for (const [path, { n, after }] of counts) {
      if (n !== parents.length || !isOfficeSettingsPath(path)) continue;
      const email = commit.committer?.email ?? '';
      const personId = personOfEmail(email);
      const person = policy.verified && policy.problem === null ? policy.verified.latest.people.find((p) => p.id === personId) : undefined;
      if (!person?.active || !person.roles.includes('admin')) {
        return refusal('settings_not_admin', { ...at, path, committer: person?.name ?? personId ?? email });
      }
      if (after === null) continue;
      const problem = officeFileProblem(path, await readBlob(source, after));
      if (problem) return refusal('settings_invalid', { ...at, path, detail: problem });
    }
  }
  return null;
}

function checkSignature(
  commit: ParsedCommit,
  keys: Map<string, OfficeKey>,
  people: OfficePolicy | null,
  validAt: ValidAt,
  crypto: RecordCrypto,
): Refusal | null {
  const at = { commit: short(commit.oid) };
  if (!commit.signature) return refusal('unsigned', at);
  const publicKey = verifySshSignature(commit.signature, commit.payload);
  if (!publicKey) return refusal('signature_invalid', at);
  const email = commit.committer?.email ?? '';
  const personId = personOfEmail(email);
  const nameOf = (id: string) => people?.people.find((p) => p.id === id)?.name ?? id;
  if (!personId || !people?.people.some((p) => p.id === personId)) return refusal('committer_unknown', { ...at, email });
  const keyId = crypto.keyIdOf(publicKey);
  const key = keys.get(keyId);
  if (!key || key.publicKey !== publicKey) return refusal('key_unknown', { ...at, keyId });
  if (key.personId !== personId) return refusal('key_not_committer', { ...at, owner: nameOf(key.personId), committer: nameOf(personId) });
  // A commit's time has whole seconds: judged at its earliest moment for
  // revocation and its latest for a key that had just been made.
  const seconds = commit.committer!.timestamp;
  const earliest = validAt === 'commit' ? isoOfSeconds(seconds) : validAt.now.toISOString();
  const latest = validAt === 'commit' ? isoOfSeconds(seconds + 0.999) : earliest;
  if (key.revokedAt !== null && key.revokedAt <= earliest) return refusal('key_revoked', { ...at, keyId, revokedAt: key.revokedAt });
  if (latest < key.validFrom) return refusal('key_not_yet_valid', { ...at, keyId, validFrom: key.validFrom });
  if (validAt !== 'commit' && people.people.find((p) => p.id === personId)?.active === false) {
    return refusal('person_inactive', { ...at, committer: nameOf(personId) });
  }
  return null;
}

/**
 * A merge commit joins history the checker already holds (the server's
 * branch; the desktop's HEAD) with commits that come with it. Its records
 * must be appends of every parent already held, so what the office has
 * accepted only ever grows; a parent that arrives with it was never accepted,
 * and its unaccepted entries may give way (a desktop re-signs its own entries
 * on top of the server's). With no parent held, an append of one parent is
 * enough: its new entries verify like any others.
 */
function recordBaselineOk(appendOf: ReadonlyMap<string, boolean>, held: ReadonlySet<string>): boolean {
  const heldParents = [...appendOf.keys()].filter((parent) => held.has(parent));
  if (heldParents.length) return heldParents.every((parent) => appendOf.get(parent));
  return [...appendOf.values()].some(Boolean);
}

async function checkChanges(
  commit: ParsedCommit,
  policy: TreePolicy,
  knownVersions: Map<number, string>,
  source: ObjectSource,
  crypto: RecordCrypto,
  checked: ReadonlyMap<string, unknown>,
): Promise<Refusal | null> {
  const at = { commit: short(commit.oid) };
  const parents: (string | null)[] = commit.parents.length ? commit.parents : [null];
  const records = new Map<string, string>();
  // For a merge: per record path, per parent, whether the record is an append of that parent's.
  const merge = commit.parents.length > 1;
  const held = new Set(commit.parents.filter((parent) => !checked.has(parent)));
  const appendOf = new Map<string, Map<string, boolean>>();
  let policyChanged = false;
  // Records this commit deletes, and the move notes it adds (an article submitted out of a unit's drafts).
  const deleted = new Map<string, string>();
  const moved = new Map<string, string>();
  for (const parent of parents) {
    const parentTree = parent ? (await readCommit(source, parent)).tree : null;
    for (const change of await diffTrees(source, parentTree, commit.tree)) {
      const { path, before, after } = change;
      if (path === ROOT_PATH) {
        if (parent !== null) return refusal('root_changed', at);
        continue;
      }
      if (POLICY_PATH.test(path)) {
        if (before !== null) return refusal('policy_rewritten', { ...at, path });
        policyChanged = true;
        continue;
      }
      const note = MOVED_PATH.exec(path);
      if (note && after !== null) moved.set(note[1]!, after);
      const record = RECORD_PATH.exec(path);
      if (!record) continue;
      if (after === null) {
        if (before !== null) deleted.set(path, before);
        continue;
      }
      let appended = true;
      if (before !== null) {
        const old = await readBlob(source, before);
        const now = await readBlob(source, after);
        const wholeLines = old.length === 0 || old[old.length - 1] === 0x0a;
        appended = wholeLines && now.length >= old.length && now.subarray(0, old.length).equals(old);
        if (!appended && !merge) return refusal('record_rewritten', { ...at, path });
      }
      if (merge) appendOf.set(path, (appendOf.get(path) ?? new Map()).set(parent!, appended));
      records.set(path, after);
    }
  }
  for (const [path, byParent] of appendOf) {
    // A parent the diff did not list has this very record: an append of it.
    for (const parent of commit.parents) if (!byParent.has(parent)) byParent.set(parent, true);
    if (!recordBaselineOk(byParent, held)) return refusal('record_rewritten', { ...at, path });
  }
  if (policyChanged) {
    if (policy.problem !== null || !policy.verified) return refusal('policy_invalid', { ...at, detail: policy.problem ?? '' });
    for (const [version, blob] of policy.versionBlobs) {
      const known = knownVersions.get(version);
      if (known !== undefined && known !== blob) return refusal('policy_forked', { ...at, version: String(version) });
    }
  }
  if (records.size === 0 && deleted.size === 0) return null;
  if (!policy.verified || policy.problem !== null) return refusal('policy_missing', at);
  for (const [path, before] of deleted) {
    const proof = await movedOn(source, path, before, moved, policy.verified, crypto);
    if (proof !== true) return refusal('record_deleted', { ...at, path });
  }
  for (const [path, blob] of records) {
    const bytes = await readBlob(source, blob);
    const articleId = RECORD_PATH.exec(path)![1]!;
    if (bytes.length > 0 && bytes[bytes.length - 1] !== 0x0a) {
      return refusal('record_invalid', { ...at, path, detail: '最后一行不完整 (last line unfinished)' });
    }
    const verdict = verifyArticleRecord({ articleId, entries: parseRecordLines(bytes.toString('utf8')), policy: policy.verified, currentHash: null, crypto });
    if (!verdict.intact) return refusal('record_invalid', { ...at, path, detail: verdict.problems[0]?.message ?? '' });
  }
  return null;
}

/**
 * Whether deleting the record at `path` (whose last content was blob
 * `before`) is an article moving on from a unit's drafts to its submitted
 * work: the commit adds a move note whose signed entries continue the deleted
 * record up to a submission (none when the record already holds it) and
 * verify with it. Only a drafts repository carries move notes (the hook
 * refuses the path anywhere else), so a submitted record is never deleted;
 * anything else deletes signed acts, which no one may do.
 */
async function movedOn(
  source: ObjectSource,
  path: string,
  before: string,
  notes: ReadonlyMap<string, string>,
  policy: VerifiedPolicy,
  crypto: RecordCrypto,
): Promise<boolean> {
  const articleId = RECORD_PATH.exec(path)![1]!;
  const entries = parseRecordLines((await readBlob(source, before)).toString('utf8'));
  const submitted = (list: readonly unknown[]) => list.some((e) => (e as { event?: { type?: unknown } } | null)?.event?.type === 'submit');
  const intact = (list: readonly unknown[]) => verifyArticleRecord({ articleId, entries: list, policy, currentHash: null, crypto }).intact;
  const blob = notes.get(articleId);
  if (!blob) return false;
  let note: { format?: unknown; articleId?: unknown; entries?: unknown };
  try {
    note = JSON.parse((await readBlob(source, blob)).toString('utf8'));
  } catch {
    return false;
  }
  if (note.format !== MOVED_FORMAT || note.articleId !== articleId || !Array.isArray(note.entries)) return false;
  const continued = [...entries, ...note.entries];
  return submitted(continued) && intact(continued);
}

/** The format of a drafts repository's move note (`moved/<id>.json`). */
export const MOVED_FORMAT = 'gazette/moved/v1';

/**
 * Checks a whole tree as it stands (a desktop joining an office): the policy
 * verifies from the root key and every article's record verifies under it.
 * Cheaper than replaying every commit of the history, and what the desktop
 * then works from.
 */
export async function checkSnapshot(source: ObjectSource, treeOid: string, rootKeyId: string, crypto: RecordCrypto): Promise<Refusal | null> {
  const at = { commit: 'HEAD' };
  const policy = await new PolicyReader(source, crypto).ofTree(treeOid, rootKeyId);
  if (policy.hasPolicy && (!policy.verified || policy.problem !== null)) {
    return refusal('policy_invalid', { ...at, detail: policy.problem ?? '' });
  }
  const articles = await entryAt(source, treeOid, 'articles');
  if (!articles || !isTree(articles)) return null;
  for (const folder of await readTree(source, articles.oid)) {
    if (!isTree(folder)) continue;
    const file = (await readTree(source, folder.oid)).find((e) => e.name === 'record.jsonl' && !isTree(e));
    if (!file) continue;
    const path = `articles/${folder.name}/record.jsonl`;
    if (!policy.verified) return refusal('policy_missing', at);
    const bytes = await readBlob(source, file.oid);
    const verdict = verifyArticleRecord({
      articleId: folder.name,
      entries: parseRecordLines(bytes.toString('utf8')),
      policy: policy.verified,
      currentHash: null,
      crypto,
    });
    if (!verdict.intact) return refusal('record_invalid', { ...at, path, detail: verdict.problems[0]?.message ?? '' });
  }
  return null;
}

/** The policy a tree carries, verified from `rootKeyId`; null when it has none or it does not verify to its end. */
export async function verifiedPolicyAt(source: ObjectSource, treeOid: string, rootKeyId: string, crypto: RecordCrypto): Promise<VerifiedPolicy | null> {
  const policy = await new PolicyReader(source, crypto).ofTree(treeOid, rootKeyId);
  return policy.problem === null ? policy.verified : null;
}

/** The root key id a repository's first commit fixes, or null when it carries none. */
export async function rootKeyOf(source: ObjectSource, rootCommit: string): Promise<string | null> {
  const commit = await readCommit(source, rootCommit);
  const entry = await entryAt(source, commit.tree, ROOT_PATH);
  return entry ? parseRootKeyId(await readBlob(source, entry.oid)) : null;
}
