import type { OfficeKey, OfficePolicy, VerifiedPolicy } from '../../../shared/record/policy';
import { defaultReviewChain, type Person, type ReviewChain } from '../../../shared/workflow/review-chain';
import type { StoredKeyPair } from '../identity/keys';
import type { OfficePolicyStore, PolicySigner } from './policy-store';

/*
 * Keeps the signed office policy in step with what administrators decide on
 * this workstation (people, their roles and units, their current keys, the
 * review chain). The people file holds what only this machine needs (password
 * hashes, sealed private keys); the policy holds what every machine must be
 * able to verify, and only an administrator's signature changes it.
 */

/**
 * What this desktop knows of the office: the people whose records it holds
 * (with when each record last changed here) and the review chain, or null when
 * no chain was saved here (the default, which must not replace the office's).
 */
export interface OfficeFacts {
  people: readonly { person: Person; key: StoredKeyPair | null; updatedAt?: string }[];
  chain: ReviewChain | null;
}

function iso(time: string): string {
  return new Date(time).toISOString();
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The facts that speak for this desktop. A desktop that joined an office
 * holds the records of only the people who sign in there, and a record can be
 * older than the policy (an administrator changed that person's roles or
 * reset their key on another desktop): such a record says nothing new, and
 * signing it back into the policy would undo the other desktop's decision —
 * drop everyone else, revoke their keys. So a person counts here only when
 * their record changed since the latest policy version was issued, or the
 * policy does not name them yet; everyone else stays as the policy has them.
 */
function localFacts(latest: OfficePolicy | null, facts: OfficeFacts): OfficeFacts['people'] {
  if (!latest) return facts.people;
  const issued = Date.parse(latest.issuedAt);
  return facts.people.filter(({ person, updatedAt }) => {
    if (!latest.people.some((p) => p.id === person.id)) return true;
    return updatedAt === undefined || Date.parse(updatedAt) >= issued;
  });
}

/**
 * The keys the policy must list: every key it ever listed (a key is never
 * removed, so old signatures keep verifying), each locally known person's
 * current key, and a revocation — from `now` — of a key such a person no
 * longer holds. Keys of people this desktop does not speak for are left as
 * the policy has them.
 */
function keysFor(previous: readonly OfficeKey[], people: OfficeFacts['people'], now: string, reason: string): OfficeKey[] {
  const spokenFor = new Set(people.map(({ person }) => person.id));
  const current = new Map(people.flatMap(({ key }) => (key ? [[key.keyId, key] as const] : [])));
  const keys: OfficeKey[] = previous.map((key) =>
    key.revokedAt === null && spokenFor.has(key.personId) && !current.has(key.keyId) ? { ...key, revokedAt: now, revokedReason: reason } : key,
  );
  for (const key of current.values()) {
    if (keys.some((k) => k.keyId === key.keyId)) continue;
    keys.push({ keyId: key.keyId, personId: key.personId, publicKey: key.publicKey, validFrom: iso(key.createdAt), revokedAt: null, revokedReason: '' });
  }
  return keys;
}

function policyFor(base: OfficePolicy | null, facts: OfficeFacts, now: string, reason: string) {
  const local = localFacts(base, facts);
  const byId = new Map(local.map(({ person }) => [person.id, person]));
  const people = base
    ? [...base.people.map((p) => byId.get(p.id) ?? p), ...local.map(({ person }) => person).filter((p) => !base.people.some((b) => b.id === p.id))]
    : local.map(({ person }) => person);
  return {
    chain: facts.chain ?? base?.chain ?? defaultReviewChain(),
    people,
    keys: keysFor(base?.keys ?? [], local, now, reason),
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
