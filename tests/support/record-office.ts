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

export function office() {
  const admin = newSigner(person('admin', '管理员', ['admin']));
  const writer = newSigner(person('writer', '张撰稿', ['writer']));
  const r1 = newSigner(person('r1', '李初审', ['reviewer']));
  const r2 = newSigner(person('r2', '王复审', ['reviewer']));
  const r3 = newSigner(person('r3', '赵终审', ['reviewer']));
  const publisher = newSigner(person('pub', '钱发布', ['publisher']));
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

