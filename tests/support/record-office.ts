import { expect } from 'vitest';
import { nodeRecordCrypto as crypto } from '../../node/services/record/crypto';
import {
  type OfficeKey,
  type OfficePolicy,
  POLICY_FORMAT,
  policySigningText,
  type SignedPolicy,
  signedPolicyHash,
  type VerifiedPolicy,
  verifyPolicyChain,
} from '../../shared/record/policy';
import { defaultReviewChain, type Person } from '../../shared/workflow/review-chain';
import { newSigner, type Signer, signText } from './signer';

export { newSigner, type Signer, signText };

/*
 * A small office for record tests: six people with Ed25519 keys (admin,
 * writer, three reviewers, publisher) and a signed policy chain that tests can
 * amend, all in memory.
 */

const T0 = Date.parse('2026-12-01T08:00:00.000Z');
export const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

export const person = (id: string, name: string, roles: Person['roles']): Person => ({ id, name, unit: '党政办', roles, active: true });

/** Who the office has, by the name {@link office} returns them under. */
export type OfficeMember = 'admin' | 'writer' | 'r1' | 'r2' | 'r3' | 'publisher';

/**
 * A key pair made elsewhere, e.g. an `UnlockedKey` from node/services/identity/keys:
 * code that signs with the app's own key type (a package's exporter) needs its
 * key to be the one the policy lists.
 */
export type KeyMaterial = Pick<Signer, 'keyId' | 'publicKey' | 'privateKey'>;

const withKey = (p: Person, key: KeyMaterial | undefined): Signer =>
  key ? { person: p, keyId: key.keyId, publicKey: key.publicKey, privateKey: key.privateKey } : newSigner(p);

/** `keys` gives chosen members a key pair of the caller's; the others get fresh ones. */
export function office(keys: Partial<Record<OfficeMember, KeyMaterial>> = {}) {
  const admin = withKey(person('admin', '管理员', ['admin']), keys.admin);
  const writer = withKey(person('writer', '张撰稿', ['writer']), keys.writer);
  const r1 = withKey(person('r1', '李初审', ['reviewer']), keys.r1);
  const r2 = withKey(person('r2', '王复审', ['reviewer']), keys.r2);
  const r3 = withKey(person('r3', '赵终审', ['reviewer']), keys.r3);
  const publisher = withKey(person('pub', '钱发布', ['publisher']), keys.publisher);
  const all = [admin, writer, r1, r2, r3, publisher];
  const keyOf = (s: Signer, validFrom = at(0)): OfficeKey => ({
    keyId: s.keyId,
    personId: s.person.id,
    publicKey: s.publicKey,
    validFrom,
    revokedAt: null,
    revokedReason: '',
  });
  const v1: OfficePolicy = {
    format: POLICY_FORMAT,
    version: 1,
    previous: null,
    issuedAt: at(0),
    issuedBy: 'admin',
    note: '',
    chain: defaultReviewChain(),
    people: all.map((s) => s.person),
    keys: all.map((s) => keyOf(s)),
  };
  const chain: SignedPolicy[] = [{ policy: v1, signature: { keyId: admin.keyId, value: signText(admin, policySigningText(v1)) } }];
  const amend = (change: (p: OfficePolicy) => OfficePolicy, by: Signer = admin): SignedPolicy => {
    const last = chain.at(-1)!;
    const next = change({
      ...structuredClone(last.policy),
      version: last.policy.version + 1,
      previous: signedPolicyHash(last, crypto),
      issuedBy: by.person.id,
    });
    const signed = { policy: next, signature: { keyId: by.keyId, value: signText(by, policySigningText(next)) } };
    chain.push(signed);
    return signed;
  };
  const verified = (): VerifiedPolicy => {
    const result = verifyPolicyChain(chain, admin.keyId, crypto);
    expect(result.problems).toEqual([]);
    return result.verified!;
  };
  return { admin, writer, r1, r2, r3, publisher, chain, amend, verified, keyOf };
}

