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
 *     entries do not verify under the policy.
 * Each refusal is one line on stderr (Chinese, then English), which git shows
 * the person pushing.
 *
 * The kit bundles this file with esbuild into one .mjs that Node runs without
 * TypeScript tooling or network (scripts/office-server/kit.ts).
 */
import { nodeRecordCrypto } from '../../node/services/record/crypto';
import { checkCommits } from '../../node/services/sync/history-check';
import { type Refusal, refusal, refusalLine } from '../../node/services/sync/refusals';
import { CatFile, lines, run } from './git-read';

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
  // Independent questions to git, asked at once: each is a process start.
  const [branches, roots, commits, pinnedText, ...fastForward] = await Promise.all([
    lines(['for-each-ref', '--format=%(objectname) %(refname)', 'refs/heads/']),
    lines(['rev-list', '--max-parents=0', '--branches']),
    lines(['rev-list', '--topo-order', '--reverse', ...updates.map((u) => u.new), '--not', '--all']),
    run(['config', '--get', 'gazette.rootKeyId']),
    ...updates.map(async (u) => u.old === ZERO || (await run(['merge-base', '--is-ancestor', u.old, u.new])).code === 0),
  ]);
  const current = new Map(branches.map((line) => [line.slice(41), line.slice(0, 40)]));
  for (const [index, update] of updates.entries()) {
    // The branch as the server has it now may have moved since the client looked.
    if ((current.get(update.ref) ?? ZERO) !== update.old || !fastForward[index]) return refusal('non_fast_forward', { ref: update.ref });
  }
  if (commits.length === 0) return null;
  const knownTips = [...new Set(current.values())];
  const pinned = pinnedText.stdout.trim() || null;
  const source = new CatFile();
  try {
    return await checkCommits({
      source,
      commits,
      establishedRoot: roots[0] ?? null,
      knownTips,
      validAt: { now: new Date() },
      crypto: nodeRecordCrypto,
      pinnedRootKeyId: pinned,
    });
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
