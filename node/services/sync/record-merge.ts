import type { RecordCrypto } from '../../../shared/record/crypto';
import { entryHash, entrySigningText, nextEntry, parseRecordLines, type RecordEntry, RecordEntrySchema, type SignedEvent, signedEntry } from '../../../shared/record/entry';
import type { VerifiedPolicy } from '../../../shared/record/policy';
import { type ArticleVerdict, verifyArticleRecord } from '../../../shared/record/verify';
import { approvalStatement } from '../../../shared/workflow/review-chain';

/*
 * An article's record when two desktops both appended to it: its hash chain
 * forked at the last entry they shared. The office server only ever takes an
 * append of what it has, so the merged record is the other side's (the
 * server's) record byte for byte, then this desktop's new entries chained on
 * top of it — each re-signed by this desktop's person, since its place in the
 * chain (`prev`, `seq`) is part of what is signed. The acts stay as they were;
 * an act's time moves forward only when the entries it now follows are later
 * (a record never goes back in time), and an approval's own signature is
 * renewed with it.
 *
 * Each re-chained entry must verify on top, as every desktop will replay it:
 * one that no longer holds — an approval of text the other side corrected
 * since, a second approval of a stage the other side already approved — is
 * dropped and reported, so the person can act again on what the record now
 * says. Entries that someone else signed cannot be re-signed here: then the
 * merge keeps the other side's record and reports, and the caller keeps this
 * desktop's record whole.
 */

/** Signs record entries and approvals as the person syncing. */
export interface RecordResigner {
  personId: string;
  keyId: string;
  /** Base64 Ed25519 signature of the UTF-8 text. */
  sign(text: string): string;
}

export interface RecordMergeInput {
  articleId: string;
  /** This desktop's record.jsonl as committed here. */
  mine: string;
  /** The other side's (the server's) record.jsonl. */
  theirs: string;
  /** The office policy the merged tree carries. */
  policy: VerifiedPolicy;
  /** Null on a desktop without a key: nothing can be re-signed. */
  signer: RecordResigner | null;
  crypto: RecordCrypto;
}

/** An act of this desktop that the merged record no longer holds. */
export interface DroppedAct {
  articleId: string;
  type: SignedEvent['type'];
  at: string;
  actorId: string;
  /** Why, as the verifier says it. */
  reason: string;
}

export type RecordMergeResult =
  /** `text` starts with the other side's record byte for byte. */
  | { kind: 'merged'; text: string; rechained: number; duplicates: number; dropped: DroppedAct[]; verdict: ArticleVerdict }
  /**
   * This desktop's new entries include some not signed by the signer (or the
   * signer is missing, or an entry's signature does not verify): the other
   * side's record is taken as it is; `count` entries could not be carried over.
   */
  | { kind: 'foreign'; text: string; count: number; verdict: ArticleVerdict }
  /** The other side's record does not verify: nothing can be built on it. */
  | { kind: 'broken'; detail: string };

const lines = (text: string) => text.split('\n').filter((line) => line.length > 0);

/** The newest policy version issued at or before `at` (what the verifier requires an entry to name). */
function versionInForce(policy: VerifiedPolicy, at: string): number {
  for (let index = policy.versions.length - 1; index >= 0; index--) {
    if (policy.versions[index]!.issuedAt <= at) return index + 1;
  }
  return 1;
}

export function mergeRecords(input: RecordMergeInput): RecordMergeResult {
  const { articleId, policy, crypto, signer } = input;
  const verify = (entries: readonly unknown[]) => verifyArticleRecord({ articleId, entries, policy, currentHash: null, crypto });
  const theirs = parseRecordLines(input.theirs);
  const theirVerdict = verify(theirs);
  if (!theirVerdict.intact) return { kind: 'broken', detail: theirVerdict.problems[0]?.message ?? '' };
  const theirText = input.theirs.length === 0 || input.theirs.endsWith('\n') ? input.theirs : `${input.theirs}\n`;

  const mineLines = lines(input.mine);
  const theirLines = lines(input.theirs);
  let shared = 0;
  while (shared < mineLines.length && shared < theirLines.length && mineLines[shared] === theirLines[shared]) shared++;
  const known = new Set((theirs as RecordEntry[]).map((entry) => entryHash(entry, crypto)));

  // This desktop's new entries, as signed here; the ones the other side already has appear once.
  const fresh: RecordEntry[] = [];
  let duplicates = 0;
  let foreign = 0;
  for (const line of mineLines.slice(shared)) {
    const parsed = RecordEntrySchema.safeParse(parseRecordLines(line)[0]);
    if (!parsed.success) {
      foreign++;
      continue;
    }
    const entry = parsed.data as RecordEntry;
    if (known.has(entryHash(entry, crypto))) {
      duplicates++;
      continue;
    }
    const key = policy.latest.keys.find((k) => k.keyId === entry.signature.keyId);
    const own =
      signer !== null &&
      entry.signature.keyId === signer.keyId &&
      entry.event.actorId === signer.personId &&
      key !== undefined &&
      crypto.verify(key.publicKey, entrySigningText(entry), entry.signature.value);
    if (!own) foreign++;
    else fresh.push(entry);
  }
  if (foreign > 0 || (fresh.length > 0 && signer === null)) {
    return { kind: 'foreign', text: theirText, count: foreign + fresh.length, verdict: theirVerdict };
  }

  const chain: RecordEntry[] = theirs as RecordEntry[];
  const added: RecordEntry[] = [];
  const dropped: DroppedAct[] = [];
  let last = theirVerdict.last;
  let verdict = theirVerdict;
  for (const original of fresh) {
    const at = last && last.event.at > original.event.at ? last.event.at : original.event.at;
    let event = { ...original.event, at } as SignedEvent;
    if (event.type === 'approve' && event.signature && at !== original.event.at && event.signature.keyId === signer!.keyId) {
      const statement = approvalStatement(articleId, {
        personId: event.actorId,
        stageId: event.stageId,
        at,
        opinion: event.opinion,
        contentHash: event.contentHash!,
      });
      event = { ...event, signature: { keyId: signer!.keyId, value: signer!.sign(statement) } };
    }
    const policyVersion = Math.max(versionInForce(policy, at), last?.policyVersion ?? 1);
    const unsigned = nextEntry(articleId, last, policyVersion, event, crypto);
    const entry = signedEntry(unsigned, { keyId: signer!.keyId, value: signer!.sign(entrySigningText(unsigned)) });
    const attempt = verify([...chain, ...added, entry]);
    if (!attempt.intact) {
      dropped.push({
        articleId,
        type: original.event.type,
        at: original.event.at,
        actorId: original.event.actorId,
        reason: attempt.problems[0]?.message ?? '',
      });
      continue;
    }
    added.push(entry);
    last = entry;
    verdict = attempt;
  }
  const text = theirText + added.map((entry) => `${JSON.stringify(entry)}\n`).join('');
  return { kind: 'merged', text, rechained: added.length, duplicates, dropped, verdict };
}
