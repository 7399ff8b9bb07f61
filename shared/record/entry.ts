import { z } from 'zod';
import { canonicalJson } from '../workflow/canonical';
import { ReviewEventSchema } from '../workflow/review-chain';
import type { RecordCrypto, SignatureRef } from './crypto';
import { IsoTimeSchema } from './policy';

/*
 * An article's record: every act on it (submit, approve, request changes, a
 * reviewer's correction, comment, publish, withdraw, override…) is an entry
 * signed by its actor and chained to the entry before it by hash. Review state
 * is never stored as the truth: it is what replaying the entries under the
 * office policy gives. Invalidations and returns to an earlier stage follow
 * from the rules, so they are derived on replay and never signed.
 */

export const RECORD_FORMAT = 'gazette/record/v1';
const HashSchema = z.string().regex(/^[0-9a-f]{64}$/, 'SHA-256 hex');
const IdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/);

const DERIVED_TYPES = new Set(['invalidate', 'reopen']);

const EventBase = { at: IsoTimeSchema, actorId: IdSchema, contentHash: HashSchema.nullable() };

/**
 * A publisher put this exact content live. `indexNo` is the 索引号 the
 * publication assigned (a 信息公开 document on a site that numbers): signed
 * with it, so every desktop of the office learns which numbers are taken from
 * the records it syncs, and none can be rewritten unnoticed.
 */
export const PublishEventSchema = z.object({
  ...EventBase,
  type: z.literal('publish'),
  contentHash: HashSchema,
  indexNo: z
    .string()
    .regex(/^[0-9A-Z]{4,24}\/\d{4}-\d{5,}$/, '索引号')
    .optional(),
});

/** The kinds of event an entry may carry: the review events people sign, plus publishing acts. */
export const SignedEventSchema = z
  .union([ReviewEventSchema, PublishEventSchema])
  .refine((event) => !DERIVED_TYPES.has(event.type), 'derived events are not signed');
export type SignedEvent = Exclude<z.infer<typeof SignedEventSchema>, { type: 'invalidate' | 'reopen' }>;
export type PublishEvent = z.infer<typeof PublishEventSchema>;

export const RecordEntrySchema = z.object({
  format: z.literal(RECORD_FORMAT),
  articleId: z.string().min(1),
  seq: z.number().int().nonnegative(),
  /** {@link entryHash} of the entry before; null for the first. */
  prev: HashSchema.nullable(),
  /** The office policy version the actor worked under. */
  policyVersion: z.number().int().min(1),
  event: SignedEventSchema,
  signature: z.object({ keyId: z.string().min(1), value: z.string().min(1) }),
});
/** An entry as verified: its event is one people sign (the schema refuses derived kinds). */
export type RecordEntry = Omit<z.infer<typeof RecordEntrySchema>, 'event'> & { event: SignedEvent };
export type UnsignedEntry = Omit<RecordEntry, 'signature'>;

/** Whether an event of this type is signed (else it is derived on replay and must not be in a record). */
export function isSignedKind(type: string): boolean {
  return !DERIVED_TYPES.has(type);
}

/** The exact text an entry's signature covers. */
export function entrySigningText(entry: UnsignedEntry): string {
  const { format, articleId, seq, prev, policyVersion, event } = entry;
  return canonicalJson({ tag: RECORD_FORMAT, format, articleId, seq, prev, policyVersion, event });
}

/**
 * What the next entry's `prev` names: the hash of the whole signed entry — its
 * signing text and its signature. `signingText` may be passed when the caller
 * already has it (the verifier does), since building it is most of the cost.
 */
export function entryHash(
  entry: RecordEntry,
  crypto: Pick<RecordCrypto, 'sha256Hex'>,
  signingText: string = entrySigningText(entry),
): string {
  return crypto.sha256Hex(`${signingText}\n${entry.signature.keyId}\n${entry.signature.value}`);
}

/** The next entry of a record whose last entry is `last` (null: the first), ready to be signed. */
export function nextEntry(
  articleId: string,
  last: RecordEntry | null,
  policyVersion: number,
  event: SignedEvent,
  crypto: Pick<RecordCrypto, 'sha256Hex'>,
): UnsignedEntry {
  return {
    format: RECORD_FORMAT,
    articleId,
    seq: last ? last.seq + 1 : 0,
    prev: last ? entryHash(last, crypto) : null,
    policyVersion,
    event: SignedEventSchema.parse(event) as SignedEvent,
  };
}

export function signedEntry(entry: UnsignedEntry, signature: SignatureRef): RecordEntry {
  return { ...entry, signature: { keyId: signature.keyId, value: signature.value } };
}

/**
 * The entries of a record file's text, one JSON value per line. A line that is
 * not JSON stays in its place as `{unreadable}` so the verifier names where the
 * record breaks instead of silently closing the gap.
 */
export function parseRecordLines(text: string): unknown[] {
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      try {
        return JSON.parse(line) as unknown;
      } catch {
        return { unreadable: line.slice(0, 80) };
      }
    });
}
