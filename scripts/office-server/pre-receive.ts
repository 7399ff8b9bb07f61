/*
 * The office server's pre-receive hook. git runs it after a push's objects have
 * arrived (still in quarantine) and before any branch moves; a non-zero exit
 * refuses the whole push and nothing of it is kept. It refuses:
 *   - deleting a branch, or moving one other than forward (history rewrites);
 *   - commits not signed (SSH format) by a key the office policy lists for the
 *     committer, or by a key revoked before now, whatever date the commit claims;
 *   - a history whose first commit is not this repository's, a changed
 *     office/root.json, a changed, deleted or forked policy version, a policy
 *     that does not verify from the root key;
 *   - a record.jsonl changed other than by appending whole lines, or whose new
 *     entries do not verify under the policy;
 *   - a commit by someone the repository is not for, a path the repository does
 *     not hold, an article of another unit in a unit's repository
 *     (node/services/sync/repo-rights.ts), judged by the office policy in force
 *     before the push: nobody grants themselves rights in the same push.
 * Each refusal is one line on stderr (Chinese, then English), which git shows
 * the person pushing.
 *
 * The kit bundles this file with esbuild into one .mjs that Node runs without
 * TypeScript tooling or network (scripts/office-server/kit.ts).
 */
import { basename, resolve } from 'node:path';
import { nodeRecordCrypto } from '../../node/services/record/crypto';
import { readCommit } from '../../node/services/sync/git-objects';
import { checkCommits, rootKeyOf, verifiedPolicyAt } from '../../node/services/sync/history-check';
import { OFFICE_REPO } from '../../node/services/sync/office-repos';
import { type Refusal, refusal, refusalLine } from '../../node/services/sync/refusals';
import { checkRepoRights, classifyRepo, isLayoutName } from '../../node/services/sync/repo-rights';
import type { OfficePolicy } from '../../shared/record/policy';
import { officePolicyIn, officePolicyOf } from './access';
import { CatFile, lines, linesOf, runAll } from './git-read';

const ZERO = '0'.repeat(40);

async function readUpdates(): Promise<Array<{ old: string; new: string; ref: string }>> {
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [old = '', next = '', ref = ''] = line.split(' ');
      return { old, new: next, ref };
    });
}

async function judge(): Promise<Refusal | null> {
  const updates = await readUpdates();
  if (updates.length === 0) return null;
  for (const update of updates) {
    if (!update.ref.startsWith('refs/heads/')) return refusal('ref_not_branch', { ref: update.ref });
    if (update.new === ZERO) return refusal('ref_deleted', { ref: update.ref });
  }
  // Independent questions to git, asked in one process start.
  const questions = [
    ['for-each-ref', '--format=%(objectname) %(refname)', 'refs/heads/'],
    ['rev-list', '--max-parents=0', '--branches'],
    ['rev-list', '--topo-order', '--reverse', ...updates.map((u) => u.new), '--not', '--all'],
    ['config', '--get-regexp', '^gazette\\.'],
    ...updates.map((u) => ['merge-base', '--is-ancestor', u.old === ZERO ? u.new : u.old, u.new]),
  ];
  const answers = await runAll(questions);
  const [branches, roots, commits] = [0, 1, 2].map((i) => linesOf(questions[i]!, answers[i]!)) as [string[], string[], string[]];
  const configText = answers[3]!;
  const fastForward = updates.map((u, index) => u.old === ZERO || answers[4 + index]!.code === 0);
  const current = new Map(branches.map((line) => [line.slice(41), line.slice(0, 40)]));
  for (const [index, update] of updates.entries()) {
    // The branch as the server has it now may have moved since the client looked.
    if ((current.get(update.ref) ?? ZERO) !== update.old || !fastForward[index]) return refusal('non_fast_forward', { ref: update.ref });
  }
  const knownTips = [...new Set(current.values())];
  const config = new Map(
    configText.stdout
      .split('\n')
      .filter(Boolean)
      .map((line) => [line.slice(0, line.indexOf(' ')).toLowerCase(), line.slice(line.indexOf(' ') + 1)]),
  );
  // git runs a bare repository's hooks in the repository's folder: its name is the repository's (Gitea and GitLab may set gazette.repo).
  const name = config.get('gazette.repo') || basename(resolve(process.cwd(), process.env.GIT_DIR ?? '.')).replace(/\.git$/, '');
  const serverDir = config.get('gazette.serverdir') || null;
  // The office's policy in force: the kit keeps it beside the repositories; on another server the hook reads the office repository.
  const officeGitDir = config.get('gazette.officegitdir');
  const office = !isLayoutName(name)
    ? null
    : serverDir
      ? officePolicyOf(serverDir)
      : officeGitDir && name !== OFFICE_REPO
        ? await officePolicyIn(officeGitDir)
        : null;
  // Once the office exists, every repository of its layout holds that office and no other.
  const pinned = config.get('gazette.rootkeyid') || office?.rootKeyId || null;
  const source = new CatFile();
  try {
    if (commits.length > 0) {
      const refused = await checkCommits({
        source,
        commits,
        establishedRoot: roots[0] ?? null,
        knownTips,
        validAt: { now: new Date() },
        crypto: nodeRecordCrypto,
        pinnedRootKeyId: pinned,
      });
      if (refused) return refused;
    }

    // The rights in force before this push: the newest policy the server holds for the office, or the repository itself has.
    const rootKeyId = pinned ?? (roots[0] ? await rootKeyOf(source, roots[0]) : null);
    const policyOf = async (tips: readonly string[], root: string | null): Promise<OfficePolicy | null> => {
      let newest: OfficePolicy | null = office?.policy.latest ?? null;
      if (!root) return newest;
      for (const tip of tips) {
        const policy = await verifiedPolicyAt(source, (await readCommit(source, tip)).tree, root, nodeRecordCrypto);
        if (policy && (!newest || policy.latest.version > newest.version)) newest = policy.latest;
      }
      return newest;
    };
    let policy = await policyOf(knownTips, rootKeyId);
    if (!policy) {
      // On the kit's server, only the office repository is founded by a push; every other one follows the office.
      if (serverDir && isLayoutName(name) && name !== OFFICE_REPO) return refusal('office_missing', { repo: name });
      // The push that founds a repository is judged by the policy it brings (signed from the root key, so no committer wrote it).
      const [newRoot] = commits.length ? await lines(['rev-list', '--max-parents=0', ...updates.map((u) => u.new)]) : [];
      policy = await policyOf(
        updates.map((u) => u.new),
        rootKeyId ?? (newRoot ? await rootKeyOf(source, newRoot) : null),
      );
      if (!policy) return null;
    }
    return await checkRepoRights({ source, repo: classifyRepo(name, policy), policy, commits, pusher: process.env.REMOTE_USER || null });
  } finally {
    source.close();
  }
}

try {
  const refused = await judge();
  if (refused) {
    process.stderr.write(`${refusalLine(refused)}\n`);
    process.exitCode = 1;
  }
} catch (error) {
  // Whatever went wrong, nothing unchecked gets in.
  const detail = error instanceof Error ? error.message : String(error);
  process.stderr.write(`拒绝推送：服务器无法检查这次推送（${detail}）。 Refused: the server could not check this push (${detail}). [hook_error]\n`);
  process.exitCode = 1;
}
