import { describe, expect, it } from 'vitest';
import { nodeRecordCrypto as crypto } from '../../../node/services/record/crypto';
import { mergeRecords, type RecordResigner } from '../../../node/services/sync/record-merge';
import { entrySigningText, nextEntry, parseRecordLines, type RecordEntry, type SignedEvent, signedEntry } from '../../../shared/record/entry';
import { verifyArticleRecord } from '../../../shared/record/verify';
import { approvalStatement } from '../../../shared/workflow/review-chain';
import { at, office, type Signer, signText } from '../../support/record-office';

/*
 * Two desktops appended to one article's record while apart. The merge keeps
 * the server's record byte for byte and re-chains this desktop's new entries
 * on top, re-signed by its person; what no longer holds is dropped and said.
 */

const ID = 'article-0001';
const HASH_A = 'a'.repeat(64);
const HASH_B = 'b'.repeat(64);

function append(entries: RecordEntry[], event: SignedEvent, by: Signer): RecordEntry[] {
  const unsigned = nextEntry(ID, entries.at(-1) ?? null, 1, event, crypto);
  return [...entries, signedEntry(unsigned, { keyId: by.keyId, value: signText(by, entrySigningText(unsigned)) })];
}

const jsonl = (entries: readonly RecordEntry[]) => entries.map((e) => `${JSON.stringify(e)}\n`).join('');
const resigner = (s: Signer): RecordResigner => ({ personId: s.person.id, keyId: s.keyId, sign: (text) => signText(s, text) });

function setup() {
  const o = office();
  const submitted = append([], { type: 'submit', at: at(1), actorId: 'writer', contentHash: HASH_A, stageId: 'first', note: '' }, o.writer);
  const approval = (by: Signer, when: string) => {
    const statement = approvalStatement(ID, { personId: by.person.id, stageId: 'first', at: when, opinion: '同意', contentHash: HASH_A });
    return {
      type: 'approve',
      at: when,
      actorId: by.person.id,
      contentHash: HASH_A,
      stageId: 'first',
      opinion: '同意',
      final: false,
      signature: { keyId: by.keyId, value: signText(by, statement) },
    } as SignedEvent;
  };
  const comment = (by: Signer, when: string, body: string, id: string, stageId = 'first') =>
    ({ type: 'comment', at: when, actorId: by.person.id, contentHash: HASH_A, commentId: id, stageId, body, anchor: null }) as SignedEvent;
  return { o, submitted, approval, comment };
}

describe('merging the two sides of an article record', () => {
  it('keeps the server’s entries as they are and re-chains this desktop’s, re-signed, in order', () => {
    const { o, submitted, approval, comment } = setup();
    // Here: 李初审 approved at minute 2 and commented at 3. There: 王复审 commented at 5.
    const mine = append(append(submitted, approval(o.r1, at(2)), o.r1), comment(o.r1, at(3), '已核对', 'c-mine', 'second'), o.r1);
    const theirs = append(submitted, comment(o.r2, at(5), '请补充出席人员', 'c-theirs'), o.r2);
    const result = mergeRecords({ articleId: ID, mine: jsonl(mine), theirs: jsonl(theirs), policy: o.verified(), signer: resigner(o.r1), crypto });
    expect(result.kind).toBe('merged');
    if (result.kind !== 'merged') return;
    // The server takes only an append of what it has.
    expect(result.text.startsWith(jsonl(theirs))).toBe(true);
    const entries = parseRecordLines(result.text) as RecordEntry[];
    expect(entries.map((e) => [e.event.type, e.event.actorId])).toEqual([
      ['submit', 'writer'],
      ['comment', 'r2'],
      ['approve', 'r1'],
      ['comment', 'r1'],
    ]);
    const verdict = verifyArticleRecord({ articleId: ID, entries, policy: o.verified(), currentHash: null, crypto });
    expect(verdict.problems).toEqual([]);
    expect(verdict.state.approvals.map((a) => a.personId)).toEqual(['r1']);
    expect(result.dropped).toEqual([]);
    // A record never goes back in time: the approval now follows minute 5, and its own signature says so.
    const approved = entries[2]!.event as Extract<SignedEvent, { type: 'approve' }>;
    expect(approved.at).toBe(at(5));
    const statement = approvalStatement(ID, { personId: 'r1', stageId: 'first', at: approved.at, opinion: '同意', contentHash: HASH_A });
    expect(crypto.verify(o.r1.publicKey, statement, approved.signature!.value)).toBe(true);
  });

  it('drops and reports an approval of text the other side corrected meanwhile', () => {
    const { o, submitted, approval } = setup();
    const mine = append(submitted, approval(o.r1, at(2)), o.r1);
    const corrected = append(
      submitted,
      { type: 'edit', at: at(4), actorId: 'r2', contentHash: HASH_B, previousHash: HASH_A, stageId: 'first', note: '改正错字' },
      o.r2,
    );
    const result = mergeRecords({ articleId: ID, mine: jsonl(mine), theirs: jsonl(corrected), policy: o.verified(), signer: resigner(o.r1), crypto });
    expect(result.kind).toBe('merged');
    if (result.kind !== 'merged') return;
    expect(result.text).toBe(jsonl(corrected));
    expect(result.dropped).toHaveLength(1);
    expect(result.dropped[0]).toMatchObject({ articleId: ID, type: 'approve', actorId: 'r1', at: at(2) });
    expect(result.dropped[0]!.reason).not.toBe('');
    expect(result.verdict.state.approvals).toEqual([]);
  });

  it('keeps an entry both sides have once, even when each added more after it', () => {
    const { o, submitted, comment } = setup();
    const sharedComment = append(submitted, comment(o.r1, at(2), '同一条批注', 'c-shared'), o.r1);
    const mine = append(sharedComment, comment(o.r1, at(3), '本机的批注', 'c-mine'), o.r1);
    const theirs = append(sharedComment, comment(o.r2, at(4), '对方的批注', 'c-theirs'), o.r2);
    const result = mergeRecords({ articleId: ID, mine: jsonl(mine), theirs: jsonl(theirs), policy: o.verified(), signer: resigner(o.r1), crypto });
    if (result.kind !== 'merged') throw new Error(result.kind);
    const bodies = (parseRecordLines(result.text) as RecordEntry[]).map((e) => ('body' in e.event ? e.event.body : e.event.type));
    expect(bodies).toEqual(['submit', '同一条批注', '对方的批注', '本机的批注']);

    // This desktop's record already contained in the server's: nothing to add.
    const contained = mergeRecords({ articleId: ID, mine: jsonl(sharedComment), theirs: jsonl(theirs), policy: o.verified(), signer: resigner(o.r1), crypto });
    expect(contained).toMatchObject({ kind: 'merged', text: jsonl(theirs), rechained: 0 });
  });

  it('does not re-sign entries someone else signed: the server’s record stays and nothing is dropped silently', () => {
    const { o, submitted, comment } = setup();
    // 王复审's comment arrived here in a package and was never synced; 李初审 is the one syncing.
    const mine = append(append(submitted, comment(o.r2, at(2), '包里带来的批注', 'c-pkg'), o.r2), comment(o.r1, at(3), '本机', 'c-mine'), o.r1);
    const theirs = append(submitted, comment(o.writer, at(4), '撰稿人回复', 'c-theirs'), o.writer);
    const result = mergeRecords({ articleId: ID, mine: jsonl(mine), theirs: jsonl(theirs), policy: o.verified(), signer: resigner(o.r1), crypto });
    expect(result).toMatchObject({ kind: 'foreign', text: jsonl(theirs), count: 2 });
    // No key at all: the same.
    expect(mergeRecords({ articleId: ID, mine: jsonl(mine.slice(0, 2)), theirs: jsonl(theirs), policy: o.verified(), signer: null, crypto }).kind).toBe('foreign');
  });

  it('refuses to build on a record of the other side that does not verify', () => {
    const { o, submitted, comment } = setup();
    const theirs = append(submitted, comment(o.r2, at(4), '批注', 'c'), o.r2);
    const tampered = jsonl(theirs).replace('批注', '同意发布');
    const result = mergeRecords({ articleId: ID, mine: jsonl(submitted), theirs: tampered, policy: o.verified(), signer: resigner(o.r1), crypto });
    expect(result.kind).toBe('broken');
  });
});
