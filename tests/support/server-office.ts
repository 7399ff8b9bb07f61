import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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

/*
 * An office for the tests against the real office server: signers with fresh
 * Ed25519 keys and a policy chain signed by the administrator, written into a
 * desktop's folder as a joined workspace holds it. Keys are valid from a day
 * ago because the server's hook judges them by its own clock.
 */

/** Each signer under its name, and the chain: `office.writer.keyId`, `office.chain`. */
export type ServerOffice<K extends string> = Record<K, Signer> & {
  /** When version 1 was issued and every key became valid. */
  t0: string;
  chain: SignedPolicy[];
  /** A policy key entry for `signer`, valid from `validFrom`. */
  key(signer: Signer, validFrom: string): OfficeKey;
  /** Signs the next version (by the administrator) and adds it to the chain. */
  amend(change: (policy: OfficePolicy) => OfficePolicy, issuedAt?: string): SignedPolicy;
  /** The chain verified from the administrator's key; throws naming what failed. */
  verified(): VerifiedPolicy;
};

/**
 * `people` by the name the test calls them; the one named `admin` signs the
 * policy and its key is the office's root. Those in `later` get a key but
 * join only in a version a test signs.
 */
export function serverOffice<K extends string>(people: Record<K, Person>, options: { later?: readonly NoInfer<K>[] } = {}): ServerOffice<K> {
  const t0 = new Date(Date.now() - 24 * 3600_000).toISOString();
  const names = Object.keys(people) as K[];
  const signers = Object.fromEntries(names.map((name) => [name, newSigner(people[name])])) as Record<K, Signer>;
  const admin = (signers as Record<string, Signer>).admin;
  if (!admin) throw new Error('an office needs an admin to sign its policy');
  const key = (s: Signer, validFrom: string): OfficeKey => ({ keyId: s.keyId, personId: s.person.id, publicKey: s.publicKey, validFrom, revokedAt: null, revokedReason: '' });
  const first = names.filter((name) => !options.later?.includes(name)).map((name) => signers[name]);
  const v1: OfficePolicy = {
    format: POLICY_FORMAT,
    version: 1,
    previous: null,
    issuedAt: t0,
    issuedBy: admin.person.id,
    note: '',
    chain: defaultReviewChain(),
    people: first.map((s) => s.person),
    keys: first.map((s) => key(s, t0)),
  };
  const chain: SignedPolicy[] = [{ policy: v1, signature: { keyId: admin.keyId, value: signText(admin, policySigningText(v1)) } }];
  const amend = (change: (p: OfficePolicy) => OfficePolicy, issuedAt = t0): SignedPolicy => {
    const last = chain.at(-1)!;
    const next = change({ ...structuredClone(last.policy), version: last.policy.version + 1, previous: signedPolicyHash(last, crypto), issuedAt });
    const signed = { policy: next, signature: { keyId: admin.keyId, value: signText(admin, policySigningText(next)) } };
    chain.push(signed);
    return signed;
  };
  const verified = () => {
    const result = verifyPolicyChain(chain, admin.keyId, crypto);
    if (!result.verified || result.problems.length > 0) throw new Error(`the test office's policy does not verify: ${result.problems.map((p) => p.message).join('; ')}`);
    return result.verified;
  };
  return { ...signers, t0, chain, key, amend, verified };
}

/** Writes the office's root and every policy version into a desktop's folder; the paths written, for a commit. */
export function writeOffice(dir: string, office: Pick<ServerOffice<'admin'>, 'admin' | 't0' | 'chain'>): string[] {
  mkdirSync(join(dir, 'office', 'policy'), { recursive: true });
  writeFileSync(join(dir, 'office', 'root.json'), `${JSON.stringify({ format: 'gazette/office-root/v1', rootKeyId: office.admin.keyId, createdAt: office.t0 }, null, 2)}\n`);
  const paths = ['office/root.json'];
  for (const signed of office.chain) {
    const name = `office/policy/${String(signed.policy.version).padStart(6, '0')}.json`;
    writeFileSync(join(dir, name), `${JSON.stringify(signed, null, 2)}\n`);
    paths.push(name);
  }
  return paths;
}
