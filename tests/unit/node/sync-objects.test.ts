import { describe, expect, it } from 'vitest';
import { commitPayload, parseCommit, parseTree, serializeTree, withSignature } from '../../../node/services/sync/git-objects';
import { isSyncedPath } from '../../../node/services/sync/scope';
import { allowedSigners, ed25519Signer, parseSshSignature, sshSign, verifySshSignature } from '../../../node/services/sync/sshsig';
import { newSigner } from '../../support/signer';

/*
 * The pieces of office sync that must be exact to the byte: what a commit
 * signature covers, git's tree order, what never leaves the desktop, and the
 * allowed-signers lines stock git checks commits with. The end-to-end proof
 * (git verify-commit, the server's hook) is tests/integration/office-sync.test.ts.
 */

const writer = newSigner({ id: 'writer', name: '张撰稿', unit: '', roles: ['writer'], active: true });
const identity = { name: '张撰稿', email: 'writer@gazette.invalid', timestamp: 1_796_000_000, timezone: '+0800' };
const TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';

describe('signed commits', () => {
  const payload = commitPayload({ tree: TREE, parents: [], author: identity, committer: identity, message: '文稿 article-0001' });
  const armored = sshSign(payload, writer.publicKey, ed25519Signer(writer.privateKey));

  it('covers exactly the commit without its signature header, as git computes it', () => {
    const signed = withSignature(payload, armored);
    const parsed = parseCommit('x', signed);
    expect(parsed.payload.equals(payload)).toBe(true);
    expect(parsed.signature).toBe(armored);
    expect(verifySshSignature(parsed.signature!, parsed.payload)).toBe(writer.publicKey);
  });

  it('fails for a changed byte, another namespace or a signature that is not SSH', () => {
    const changed = Buffer.from(payload.toString('utf8').replace('0001', '0002'));
    expect(verifySshSignature(armored, changed)).toBeNull();
    expect(verifySshSignature(armored, payload, 'file')).toBeNull();
    expect(verifySshSignature('-----BEGIN PGP SIGNATURE-----\nx\n-----END PGP SIGNATURE-----\n', payload)).toBeNull();
    expect(parseSshSignature(armored)?.namespace).toBe('git');
  });
});

describe('trees', () => {
  it("sort as git does: a folder's name compares as if it ended in a slash", () => {
    const blob = 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391';
    const bytes = serializeTree([
      { mode: '40000', name: 'a', oid: TREE },
      { mode: '100644', name: 'a0', oid: blob },
      { mode: '100644', name: 'a.json', oid: blob },
    ]);
    // '.' (0x2e) < '/' (0x2f) < '0' (0x30)
    expect(parseTree(bytes).map((e) => e.name)).toEqual(['a.json', 'a', 'a0']);
  });
});

describe('what syncs', () => {
  it.each([
    ['office/root.json', true],
    ['office/policy/000003.json', true],
    ['articles/F7FmhEBf_s7hRSAU/article.json', true],
    ['articles/F7FmhEBf_s7hRSAU/record.jsonl', true],
    ['articles/F7FmhEBf_s7hRSAU/assets/9f86d081884c7d65.png', true],
    ['tombstones/F7FmhEBf_s7hRSAU.json', true],
    ['people.json', false],
    ['trusted-keys.json', false],
    ['settings.json', false],
    ['.secrets/credentials.json', false],
    ['outbox/jobs/job-1.json', false],
    ['index/00.idx', false],
    ['articles/F7FmhEBf_s7hRSAU/revisions/r1.json', false],
    ['articles/F7FmhEBf_s7hRSAU/article.json.bak', false],
    ['articles/F7FmhEBf_s7hRSAU/article.json.tmp-0a1b2c', false],
    ['articles/../people.json', false],
  ])('%s → %s', (path, synced) => {
    expect(isSyncedPath(path)).toBe(synced);
  });
});

describe('allowed signers from the office policy', () => {
  it('keeps a revoked key, valid only before its revocation, and cannot be broken by a name', () => {
    const text = allowedSigners({
      people: [{ id: 'writer', name: '张撰稿\nwriter@gazette.invalid ssh-ed25519 AAAA', unit: '', roles: ['writer'], active: true }],
      keys: [
        {
          keyId: writer.keyId,
          personId: 'writer',
          publicKey: writer.publicKey,
          validFrom: '2026-12-01T08:00:00.000Z',
          revokedAt: '2026-12-02T09:30:15.250Z',
          revokedReason: '离职',
        },
      ],
    });
    const entries = text.split('\n').filter((line) => line && !line.startsWith('#'));
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatch(
      /^writer@gazette\.invalid namespaces="git",valid-after="20261201080000Z",valid-before="20261202093015Z" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI/,
    );
  });
});
