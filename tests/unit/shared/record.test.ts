import { describe, expect, it } from 'vitest';
import { nodeRecordCrypto as crypto } from '../../../node/services/record/crypto';
import {
  entrySigningText,
  nextEntry,
  type RecordEntry,
  type SignedEvent,
  signedEntry,
} from '../../../shared/record/entry';
import { policySigningText, verifyPolicyChain } from '../../../shared/record/policy';
import { verifyArticleRecord } from '../../../shared/record/verify';
import { defaultReviewChain, type ReviewChain } from '../../../shared/workflow/review-chain';
import { at, office, type Signer, signText } from '../../support/record-office';

const H1 = 'a'.repeat(64);
const H2 = 'b'.repeat(64);

/** An event as a test writes it: the actor defaults to the signer. */
type EventInput = SignedEvent extends unknown ? (SignedEvent extends infer E ? (E extends SignedEvent ? Omit<E, 'actorId'> & { actorId?: string } : never) : never) : never;

class TestRecord {
  entries: RecordEntry[] = [];
  constructor(
    readonly articleId: string,
    readonly policyVersion = 1,
  ) {}
  add(signer: Signer, event: EventInput, policyVersion = this.policyVersion): RecordEntry {
    const unsigned = nextEntry(
      this.articleId,
      this.entries.at(-1) ?? null,
      policyVersion,
      { actorId: signer.person.id, ...event } as SignedEvent,
      crypto,
    );
    const entry = signedEntry(unsigned, { keyId: signer.keyId, value: signText(signer, entrySigningText(unsigned)) });
    this.entries.push(entry);
    return entry;
  }
}

/** The office's usual path: submit, three approvals, publish. */
function approvedRecord(o: ReturnType<typeof office>, hash = H1) {
  const record = new TestRecord('art-1');
  record.add(o.writer, { type: 'submit', at: at(10), contentHash: hash, stageId: 'first', note: '' });
  record.add(o.r1, { type: 'approve', at: at(11), contentHash: hash, stageId: 'first', opinion: '同意', final: false, signature: null });
  record.add(o.r2, { type: 'approve', at: at(12), contentHash: hash, stageId: 'second', opinion: '同意', final: false, signature: null });
  record.add(o.r3, { type: 'approve', at: at(13), contentHash: hash, stageId: 'final', opinion: '同意发布', final: true, signature: null });
  return record;
}

const verify = (o: ReturnType<typeof office>, entries: readonly unknown[], currentHash: string | null = H1) =>
  verifyArticleRecord({ articleId: 'art-1', entries, policy: o.verified(), currentHash, crypto });

describe('office policy chain', () => {
  it('verifies the root version and later versions signed by an administrator', () => {
    const o = office();
    o.amend((p) => ({ ...p, issuedAt: at(1), note: '新增人员' }));
    const result = verifyPolicyChain(o.chain, o.admin.keyId, crypto);
    expect(result.problems).toEqual([]);
    expect(result.verified?.latest.version).toBe(2);
  });

  it('refuses a root version signed by another key than the office root', () => {
    const o = office();
    expect(verifyPolicyChain(o.chain, o.writer.keyId, crypto).problems.map((p) => p.code)).toEqual(['policy_root_mismatch']);
  });

  it('refuses a version changed after signing, and keeps the versions before it', () => {
    const o = office();
    o.amend((p) => ({ ...p, issuedAt: at(1) }));
    o.chain[1]!.policy.people.find((p) => p.id === 'writer')!.roles.push('reviewer');
    const result = verifyPolicyChain(o.chain, o.admin.keyId, crypto);
    expect(result.problems.map((p) => p.code)).toEqual(['policy_signature_invalid']);
    expect(result.verified?.latest.version).toBe(1);
  });

  it('refuses a version signed by someone who is not an administrator', () => {
    const o = office();
    o.amend((p) => ({ ...p, issuedAt: at(1), people: p.people.map((x) => (x.id === 'writer' ? { ...x, roles: ['writer', 'reviewer', 'admin'] } : x)) }), o.writer);
    expect(verifyPolicyChain(o.chain, o.admin.keyId, crypto).problems.map((p) => p.code)).toEqual(['policy_signer_not_admin']);
  });

  it('refuses a version that drops a key, rewrites one or undoes a revocation', () => {
    const dropped = office();
    dropped.amend((p) => ({ ...p, issuedAt: at(1), keys: p.keys.filter((k) => k.personId !== 'r1') }));
    expect(verifyPolicyChain(dropped.chain, dropped.admin.keyId, crypto).problems[0]?.code).toBe('policy_key_dropped');

    const unrevoked = office();
    unrevoked.amend((p) => ({ ...p, issuedAt: at(1), keys: p.keys.map((k) => (k.personId === 'r1' ? { ...k, revokedAt: at(1) } : k)) }));
    unrevoked.amend((p) => ({ ...p, issuedAt: at(2), keys: p.keys.map((k) => (k.personId === 'r1' ? { ...k, revokedAt: null } : k)) }));
    expect(verifyPolicyChain(unrevoked.chain, unrevoked.admin.keyId, crypto).problems[0]?.code).toBe('policy_key_unrevoked');
  });

  it('refuses a replaced earlier version (the next one no longer follows it)', () => {
    const o = office();
    o.amend((p) => ({ ...p, issuedAt: at(1) }));
    const forged = { ...o.chain[0]!.policy, note: '换过的第一版' };
    o.chain[0] = { policy: forged, signature: { keyId: o.admin.keyId, value: signText(o.admin, policySigningText(forged)) } };
    expect(verifyPolicyChain(o.chain, o.admin.keyId, crypto).problems.map((p) => p.code)).toEqual(['policy_previous_mismatch']);
  });

  it('says there is no policy rather than trusting nothing silently', () => {
    expect(verifyPolicyChain([], 'x', crypto).problems.map((p) => p.code)).toEqual(['policy_missing']);
  });
});

describe('article record', () => {
  it('derives approved and publishable from three signed approvals of the current text', () => {
    const o = office();
    const verdict = verify(o, approvedRecord(o).entries);
    expect(verdict.problems).toEqual([]);
    expect(verdict.state.status).toBe('approved');
    expect(verdict.state.approvals.map((a) => a.personId)).toEqual(['r1', 'r2', 'r3']);
    expect(verdict.publishable).toBe(true);
  });

  it('is not publishable when the text on disk is not what was approved', () => {
    const o = office();
    const verdict = verify(o, approvedRecord(o).entries, H2);
    expect(verdict.publishable).toBe(false);
    expect(verdict.problems.map((p) => p.code)).toEqual(['content_unrecorded']);
  });

  it('refuses a writer approving their own article with their own key', () => {
    const o = office();
    const record = new TestRecord('art-1');
    record.add(o.writer, { type: 'submit', at: at(10), contentHash: H1, stageId: 'first', note: '' });
    record.add(o.writer, { type: 'approve', at: at(11), contentHash: H1, stageId: 'first', opinion: '', final: false, signature: null });
    const verdict = verify(o, record.entries);
    expect(verdict.problems.map((p) => p.code)).toEqual(['transition_refused']);
    expect(verdict.publishable).toBe(false);
    expect(verdict.state.status).toBe('in_review');
  });

  it('refuses one reviewer approving two stages (four eyes)', () => {
    const o = office();
    const record = new TestRecord('art-1');
    record.add(o.writer, { type: 'submit', at: at(10), contentHash: H1, stageId: 'first', note: '' });
    record.add(o.r1, { type: 'approve', at: at(11), contentHash: H1, stageId: 'first', opinion: '', final: false, signature: null });
    record.add(o.r1, { type: 'approve', at: at(12), contentHash: H1, stageId: 'second', opinion: '', final: false, signature: null });
    expect(verify(o, record.entries).problems[0]).toMatchObject({ code: 'transition_refused', params: { seq: 2 } });
  });

  it('refuses an approval by someone the chain does not name for that stage', () => {
    const o = office();
    const named: ReviewChain = {
      ...defaultReviewChain(),
      stages: defaultReviewChain().stages.map((s) => (s.id === 'final' ? { ...s, roles: [], people: ['r3'] } : s)),
    };
    o.amend((p) => ({ ...p, issuedAt: at(1), chain: named }));
    const record = new TestRecord('art-1', 2);
    record.add(o.writer, { type: 'submit', at: at(10), contentHash: H1, stageId: 'first', note: '' });
    record.add(o.r1, { type: 'approve', at: at(11), contentHash: H1, stageId: 'first', opinion: '', final: false, signature: null });
    record.add(o.r2, { type: 'approve', at: at(12), contentHash: H1, stageId: 'second', opinion: '', final: false, signature: null });
    record.add(o.publisher, { type: 'approve', at: at(13), contentHash: H1, stageId: 'final', opinion: '', final: true, signature: null });
    expect(verify(o, record.entries).problems[0]).toMatchObject({ code: 'transition_refused', params: { seq: 3 } });
  });

  it('refuses an entry without a signature, and one signed by another person’s key', () => {
    const o = office();
    const unsigned = approvedRecord(o).entries.map((e) => structuredClone(e)) as unknown as Record<string, unknown>[];
    delete unsigned[3]!.signature;
    expect(verify(o, unsigned).problems.map((p) => p.code)).toEqual(['signature_missing']);

    const record = new TestRecord('art-1');
    record.add(o.writer, { type: 'submit', at: at(10), contentHash: H1, stageId: 'first', note: '' });
    // r2's key, speaking as r1
    record.add(o.r2, { type: 'approve', actorId: 'r1', at: at(11), contentHash: H1, stageId: 'first', opinion: '', final: false, signature: null });
    expect(verify(o, record.entries).problems.map((p) => p.code)).toEqual(['key_not_actor']);
  });

  it('detects an opinion rewritten, an entry deleted, and entries reordered', () => {
    const o = office();
    const rewritten = structuredClone(approvedRecord(o).entries);
    (rewritten[1]!.event as { opinion: string }).opinion = '不同意';
    expect(verify(o, rewritten).problems.map((p) => p.code)).toEqual(['signature_invalid']);

    const deleted = structuredClone(approvedRecord(o).entries);
    deleted.splice(0, 1);
    expect(verify(o, deleted).problems.map((p) => p.code)).toEqual(['entry_out_of_order']);

    const reordered = structuredClone(approvedRecord(o).entries);
    [reordered[1], reordered[2]] = [reordered[2]!, reordered[1]!];
    expect(verify(o, reordered).problems.map((p) => p.code)).toEqual(['entry_out_of_order']);
  });

  it('detects an entry replaced by one re-signed with a valid key (the chain no longer links)', () => {
    const o = office();
    const record = approvedRecord(o);
    const forged = new TestRecord('art-1');
    forged.add(o.writer, { type: 'submit', at: at(10), contentHash: H1, stageId: 'first', note: '另一个说明' });
    const entries = [forged.entries[0]!, ...record.entries.slice(1)];
    expect(verify(o, entries).problems.map((p) => p.code)).toEqual(['entry_chain_broken']);
  });

  it('refuses a derived event written into the signed record', () => {
    const o = office();
    const entries: unknown[] = [...approvedRecord(o).entries];
    entries.push({ ...structuredClone(entries[3] as RecordEntry), seq: 4, event: { type: 'reopen', at: at(20), actorId: 'r3', contentHash: H1, stageId: 'first', reason: '' } });
    expect(verify(o, entries).problems.map((p) => p.code)).toEqual(['not_signed_kind']);
  });

  it('a revoked key: its old signatures still verify, a new one is refused whatever policy version it names', () => {
    const o = office();
    const record = approvedRecord(o);
    o.amend((p) => ({
      ...p,
      issuedAt: at(30),
      note: '重置密码',
      keys: p.keys.map((k) => (k.personId === 'r3' ? { ...k, revokedAt: at(30), revokedReason: '重置密码' } : k)),
    }));
    expect(verify(o, record.entries).publishable).toBe(true);
    record.add(o.r3, { type: 'comment', at: at(31), contentHash: H1, commentId: 'c1', stageId: null, body: '用旧密钥', anchor: null });
    expect(verify(o, record.entries).problems.map((p) => p.code)).toEqual(['key_not_valid']);
  });

  it('a correction during review must be signed and chain from the recorded text; earlier approvals stand for the corrected text', () => {
    const o = office();
    const record = new TestRecord('art-1');
    record.add(o.writer, { type: 'submit', at: at(10), contentHash: H1, stageId: 'first', note: '' });
    record.add(o.r1, { type: 'approve', at: at(11), contentHash: H1, stageId: 'first', opinion: '', final: false, signature: null });
    record.add(o.r2, { type: 'edit', at: at(12), contentHash: H2, previousHash: H1, stageId: 'second', note: '改一个字' });
    const verdict = verify(o, record.entries, H2);
    expect(verdict.problems).toEqual([]);
    // The default chain keeps 初审's approval as one of the version before 复审's correction.
    expect(verdict.state.approvals).toEqual([expect.objectContaining({ stageId: 'first', contentHash: H1, keptFor: H2 })]);
    expect(verdict.state.stageIndex).toBe(1);
    expect(verdict.trail.map((e) => e.type)).toEqual(['submit', 'approve', 'edit']);

    const wrongBase = new TestRecord('art-1');
    wrongBase.add(o.writer, { type: 'submit', at: at(10), contentHash: H1, stageId: 'first', note: '' });
    wrongBase.add(o.r1, { type: 'edit', at: at(12), contentHash: H1, previousHash: H2, stageId: 'first', note: '' });
    expect(verify(o, wrongBase.entries).problems.map((p) => p.code)).toEqual(['event_mismatch']);
  });

  it('publishing: only a publisher, only the approved text; withdrawing needs a reason and a published article', () => {
    const o = office();
    const byReviewer = approvedRecord(o);
    byReviewer.add(o.r1, { type: 'publish', at: at(20), contentHash: H1 });
    expect(verify(o, byReviewer.entries).problems.map((p) => p.code)).toEqual(['transition_refused']);

    const otherText = approvedRecord(o);
    otherText.add(o.publisher, { type: 'publish', at: at(20), contentHash: H2 });
    expect(verify(o, otherText.entries).problems.map((p) => p.code)).toEqual(['transition_refused']);

    const ok = approvedRecord(o);
    ok.add(o.publisher, { type: 'publish', at: at(20), contentHash: H1 });
    ok.add(o.publisher, { type: 'withdraw', at: at(21), contentHash: H1, reason: '信息有误', targets: ['www'] });
    const verdict = verify(o, ok.entries);
    expect(verdict.problems).toEqual([]);
    expect(verdict.published?.contentHash).toBe(H1);
    expect(verdict.withdrawn?.reason).toBe('信息有误');
  });

  it('an entry of another article cannot be spliced in', () => {
    const o = office();
    const other = new TestRecord('art-2');
    other.add(o.writer, { type: 'submit', at: at(10), contentHash: H1, stageId: 'first', note: '' });
    expect(verify(o, other.entries).problems.map((p) => p.code)).toEqual(['entry_wrong_article']);
  });
});
