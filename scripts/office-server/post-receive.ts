/*
 * The office server's post-receive hook, after a push is in:
 *   - rewrites the repository's allowed_signers file from the office policy now
 *     on `main` (verified from the root key of the repository's first commit),
 *     so `git log --show-signature` and `git verify-commit` on the server check
 *     commits against the office's keys — revoked ones included, with their
 *     end date;
 *   - on the kit's server, takes in a newer policy version (it travels in every
 *     repository): creates the repositories it names that the server lacks and
 *     rewrites Apache's group file, so who may read what follows the policy
 *     without a restart (access.ts).
 * Never refuses anything (the push is already in), and a failure is only
 * logged (gazette-hook.log). Both follow from the policy on `main`, so the
 * hook script runs it only after a push that changes `office/policy`
 * (provision.ts); the kit takes every repository's policy in when it starts.
 */
import { renameSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { nodeRecordCrypto } from '../../node/services/record/crypto';
import { readCommit } from '../../node/services/sync/git-objects';
import { rootKeyOf, verifiedPolicyAt } from '../../node/services/sync/history-check';
import { allowedSigners } from '../../node/services/sync/sshsig';
import { absorbPush } from './access';
import { CatFile, lines, run } from './git-read';

const source = new CatFile();
const failed = (what: string, error: unknown) =>
  process.stderr.write(`gazette: ${what}: ${error instanceof Error ? error.message : String(error)}\n`);
try {
  const gitDir = (await run(['rev-parse', '--absolute-git-dir'])).stdout.trim();
  try {
    const main = (await run(['rev-parse', '--verify', '--quiet', 'refs/heads/main^{commit}'])).stdout.trim();
    if (main) {
      const pinned = (await run(['config', '--get', 'gazette.rootKeyId'])).stdout.trim();
      const [root] = await lines(['rev-list', '--max-parents=0', main]);
      const rootKeyId = pinned || (root ? await rootKeyOf(source, root) : null);
      const policy = rootKeyId ? await verifiedPolicyAt(source, (await readCommit(source, main)).tree, rootKeyId, nodeRecordCrypto) : null;
      if (policy) {
        // Two pushes in quick succession run two of these at once: each writes whole, under its own name, then renames.
        const file = join(gitDir, 'allowed_signers');
        const temp = `${file}.tmp-${process.pid}`;
        writeFileSync(temp, allowedSigners(policy.latest));
        renameSync(temp, file);
      }
    }
  } catch (error) {
    failed('allowed_signers not updated', error);
  }
  const serverDir = (await run(['config', '--get', 'gazette.serverDir'])).stdout.trim();
  if (serverDir) {
    const name = (await run(['config', '--get', 'gazette.repo'])).stdout.trim() || basename(resolve(gitDir)).replace(/\.git$/, '');
    try {
      await absorbPush(serverDir, name, source);
    } catch (error) {
      failed('access not updated', error);
    }
  }
} finally {
  source.close();
}
