import { z } from 'zod';
import { canonicalJson } from '../workflow/canonical';
import { PersonSchema, ReviewChainSchema, type Person } from '../workflow/review-chain';
import type { RecordCrypto } from './crypto';
import { type RecordProblem, recordProblem } from './problems';
import { fillTemplate } from '../i18n/define';
import record from '../i18n/messages/record';

/*
 * The office policy: who works here, in which roles and units, which keys speak
 * for them, and the review chain. It is one versioned document; version 1 is
 * signed by the root key recorded when the first administrator set the office
 * up, and every later version by an administrator trusted under the version
 * before it. Every machine verifies the whole chain before trusting anything
 * signed under it, so a policy file copied in, synced or edited on disk cannot
 * make someone a reviewer.
 */

export const POLICY_FORMAT = 'gazette/policy/v1';

/** ISO-8601 UTC with milliseconds, as `Date.toISOString()` writes it: such strings order as their times do. */
export const IsoTimeSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/, 'ISO-8601 UTC time');
const HashSchema = z.string().regex(/^[0-9a-f]{64}$/, 'SHA-256 hex');
const IdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

/** A person's signing key. Keys are never removed or changed, only revoked: old signatures keep verifying. */
export const OfficeKeySchema = z.object({
  keyId: z.string().min(1),
  personId: IdSchema,
  publicKey: z.string().min(1),
  validFrom: IsoTimeSchema,
  revokedAt: IsoTimeSchema.nullable(),
  /** Why it was revoked (password reset, person left, key lost). */
  revokedReason: z.string().default(''),
});
export type OfficeKey = z.infer<typeof OfficeKeySchema>;

export const OfficePolicySchema = z.object({
  format: z.literal(POLICY_FORMAT),
  version: z.number().int().min(1),
  /** SHA-256 of the previous signed version ({@link signedPolicyHash}); null for version 1. */
  previous: HashSchema.nullable(),
  issuedAt: IsoTimeSchema,
  issuedBy: IdSchema,
  /** What this version changed, in the admin's words or the app's (重置密码, 新增人员…). */
  note: z.string().default(''),
  chain: ReviewChainSchema,
  people: z.array(PersonSchema),
  keys: z.array(OfficeKeySchema),
});
export type OfficePolicy = z.infer<typeof OfficePolicySchema>;

export const SignedPolicySchema = z.object({
  policy: OfficePolicySchema,
  signature: z.object({ keyId: z.string().min(1), value: z.string().min(1) }),
});
export type SignedPolicy = z.infer<typeof SignedPolicySchema>;

/** The exact text a policy signature covers. */
export function policySigningText(policy: OfficePolicy): string {
  return canonicalJson({ tag: POLICY_FORMAT, policy });
}

/** What the next version's `previous` must name. */
export function signedPolicyHash(signed: SignedPolicy, crypto: RecordCrypto): string {
  return crypto.sha256Hex(canonicalJson(signed));
}

/** A policy chain that verified: every version, oldest first (index = version - 1). */
export interface VerifiedPolicy {
  versions: readonly OfficePolicy[];
  latest: OfficePolicy;
  /** Hash of the latest signed version: what the next version must name as `previous`. */
  head: string;
}

export interface PolicyChainResult {
  /** The versions that verified, up to the first that did not; null when not even version 1 did. */
  verified: VerifiedPolicy | null;
  problems: RecordProblem[];
}

function why(key: OfficeKey | undefined, at: string): string | null {
  const zh = record['zh-CN'];
  if (!key) return zh['record.why.unknownKey'];
  if (at < key.validFrom) return fillTemplate(zh['record.why.notYetValid'], { validFrom: key.validFrom });
  if (key.revokedAt !== null && at >= key.revokedAt) return fillTemplate(zh['record.why.revoked'], { revokedAt: key.revokedAt });
  return null;
}

/** Null when `keyId` may sign at `at` under `policy`; otherwise the reason (Chinese). */
export function keyInvalidReason(policy: OfficePolicy, keyId: string, at: string): string | null {
  return why(
    policy.keys.find((k) => k.keyId === keyId),
    at,
  );
}

export function personIn(policy: OfficePolicy, personId: string): Person | null {
  return policy.people.find((p) => p.id === personId) ?? null;
}

function isActiveAdmin(policy: OfficePolicy, personId: string): boolean {
  const person = personIn(policy, personId);
  return person?.active === true && person.roles.includes('admin');
}

/**
 * Verifies the chain of signed versions against the office's root key. Stops at
 * the first version that fails and says why; the versions before it stay usable
 * (a forged version 7 does not undo versions 1–6).
 */
export function verifyPolicyChain(input: readonly unknown[], rootKeyId: string, crypto: RecordCrypto): PolicyChainResult {
  const versions: OfficePolicy[] = [];
  const problems: RecordProblem[] = [];
  let head = '';
  for (const [index, raw] of input.entries()) {
    const expected = index + 1;
    const parsed = SignedPolicySchema.safeParse(raw);
    if (!parsed.success) {
      problems.push(recordProblem('policy_unreadable', { version: expected, detail: parsed.error.issues[0]?.message ?? '' }));
      break;
    }
    const { policy, signature } = parsed.data;
    const problem = checkVersion(policy, signature.keyId, versions.at(-1) ?? null, head, rootKeyId, expected, crypto);
    if (problem) {
      problems.push(problem);
      break;
    }
    const signer = (index === 0 ? policy : versions.at(-1)!).keys.find((k) => k.keyId === signature.keyId)!;
    if (!crypto.verify(signer.publicKey, policySigningText(policy), signature.value)) {
      problems.push(recordProblem('policy_signature_invalid', { version: policy.version }));
      break;
    }
    versions.push(policy);
    head = signedPolicyHash(parsed.data, crypto);
  }
  if (versions.length === 0 && problems.length === 0) problems.push(recordProblem('policy_missing'));
  return { verified: versions.length ? { versions, latest: versions.at(-1)!, head } : null, problems };
}

function checkVersion(
  policy: OfficePolicy,
  signerKeyId: string,
  previous: OfficePolicy | null,
  previousHead: string,
  rootKeyId: string,
  expected: number,
  crypto: RecordCrypto,
): RecordProblem | null {
  const version = policy.version;
  if (version !== expected) return recordProblem('policy_version_gap', { expected, version });
  for (const key of policy.keys) {
    if (crypto.keyIdOf(key.publicKey) !== key.keyId) return recordProblem('policy_key_id_mismatch', { version, keyId: key.keyId });
  }
  if (previous === null) {
    if (policy.previous !== null) return recordProblem('policy_previous_mismatch', { version });
    if (signerKeyId !== rootKeyId) return recordProblem('policy_root_mismatch');
    const root = policy.keys.find((k) => k.keyId === rootKeyId);
    if (!root || !isActiveAdmin(policy, root.personId)) return recordProblem('policy_root_mismatch');
    return null;
  }
  if (policy.previous !== previousHead) return recordProblem('policy_previous_mismatch', { version });
  if (policy.issuedAt < previous.issuedAt) return recordProblem('policy_time_backwards', { version });
  const signer = previous.keys.find((k) => k.keyId === signerKeyId);
  const invalid = why(signer, policy.issuedAt);
  if (invalid) return recordProblem('policy_signer_key_invalid', { version, why: invalid });
  if (!isActiveAdmin(previous, signer!.personId)) {
    return recordProblem('policy_signer_not_admin', { version, signer: personIn(previous, signer!.personId)?.name ?? signer!.personId });
  }
  // Keys only grow and only get revoked: a key that vanished or changed would let
  // someone disown a signature, or re-date one.
  for (const old of previous.keys) {
    const now = policy.keys.find((k) => k.keyId === old.keyId);
    if (!now || now.personId !== old.personId || now.publicKey !== old.publicKey || now.validFrom !== old.validFrom) {
      return recordProblem('policy_key_dropped', { version, keyId: old.keyId });
    }
    if (old.revokedAt !== null && now.revokedAt !== old.revokedAt) return recordProblem('policy_key_unrevoked', { version, keyId: old.keyId });
  }
  return null;
}
