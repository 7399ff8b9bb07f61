import type { OfficeKey, OfficePolicy, VerifiedPolicy } from '../../../shared/record/policy';
import type { Person, ReviewChain } from '../../../shared/workflow/review-chain';
import type { StoredKeyPair } from '../identity/keys';
import type { OfficePolicyStore, PolicySigner } from './policy-store';

/*
 * Keeps the signed office policy in step with what administrators decide on
 * this workstation (people, their roles and units, their current keys, the
 * review chain). The people file holds what only this machine needs (password
 * hashes, sealed private keys); the policy holds what every machine must be
 * able to verify, and only an administrator's signature changes it.
 */

/** What the policy should say, as the people file and the chain say it now. */
export interface OfficeFacts {
  people: readonly { person: Person; key: StoredKeyPair | null }[];
  chain: ReviewChain;
}

function iso(time: string): string {
  return new Date(time).toISOString();
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The keys the policy must list: every key it ever listed (a key is never
 * removed, so old signatures keep verifying), each person's current key, and
 * a revocation — from `now` — of any key a person no longer holds.
 */
function keysFor(previous: readonly OfficeKey[], facts: OfficeFacts, now: string, reason: string): OfficeKey[] {
  const current = new Map(facts.people.flatMap(({ key }) => (key ? [[key.keyId, key] as const] : [])));
  const keys: OfficeKey[] = previous.map((key) =>
    key.revokedAt === null && !current.has(key.keyId) ? { ...key, revokedAt: now, revokedReason: reason } : key,
  );
  for (const key of current.values()) {
    if (keys.some((k) => k.keyId === key.keyId)) continue;
    keys.push({ keyId: key.keyId, personId: key.personId, publicKey: key.publicKey, validFrom: iso(key.createdAt), revokedAt: null, revokedReason: '' });
  }
  return keys;
}

function policyFor(base: Pick<OfficePolicy, 'keys'> | null, facts: OfficeFacts, now: string, reason: string) {
  return {
    chain: facts.chain,
    people: facts.people.map(({ person }) => person),
    keys: keysFor(base?.keys ?? [], facts, now, reason),
  };
}

/**
 * Signs a new policy version when the facts differ from the latest one (or
 * creates the office when there is none, the signer's key becoming its root).
 * Returns the verified policy, unchanged when nothing differs.
 */
export async function reconcileOfficePolicy(
  policies: OfficePolicyStore,
  facts: OfficeFacts,
  signer: PolicySigner,
  now: string,
  note: string,
): Promise<VerifiedPolicy> {
  if (!(await policies.exists())) {
    return policies.create({ issuedAt: now, issuedBy: signer.personId, note, ...policyFor(null, facts, now, note) }, signer);
  }
  const current = await policies.current();
  const wanted = policyFor(current.latest, facts, now, note);
  const latest = current.latest;
  if (sameJson(wanted.chain, latest.chain) && sameJson(wanted.people, latest.people) && sameJson(wanted.keys, latest.keys)) {
    return current;
  }
  return policies.amend((policy) => ({ ...policy, ...wanted }), signer, now, note);
}
