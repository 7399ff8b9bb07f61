import {
  approve,
  comment,
  initialReviewState,
  isFullyApproved,
  type Person,
  type ReviewChain,
  type ReviewEvent,
  ReviewError,
  type ReviewState,
  recordEdit,
  requestChanges,
  submit,
  type TransitionResult,
  updateComment,
} from '../workflow/review-chain';
import { isLocked } from '../workflow/locks';
import type { RecordCrypto } from './crypto';
import { entryHash, entrySigningText, isSignedKind, type PublishEvent, type RecordEntry, RecordEntrySchema, type SignedEvent } from './entry';
import { keyInvalidReason, personIn, type VerifiedPolicy } from './policy';
import { type RecordProblem, recordProblem } from './problems';

/** What the trail shows: the signed events, with the invalidations and returns the rules derive between them. */
export type TrailEvent = ReviewEvent | PublishEvent;

export interface ArticleVerdict {
  articleId: string;
  /** Every entry verified and every act was allowed by the policy of its time. */
  intact: boolean;
  /** What failed, in order; empty when intact and the content matches. */
  problems: RecordProblem[];
  /** Review state derived from the entries that verified. */
  state: ReviewState;
  trail: TrailEvent[];
  /** Entries read, and the hash of the last one that verified (what a new entry must chain to). */
  count: number;
  head: string | null;
  last: RecordEntry | null;
  /** The content on disk is what the last signed entry recorded (null: not checked). */
  contentMatches: boolean | null;
  /** Intact, approved by every stage, and the final approval is on the content as it is now. */
  publishable: boolean;
  published: { at: string; by: string; contentHash: string } | null;
  /** The 索引号 the first publication that carried one was signed with; an article keeps it through withdrawals and updates. */
  indexNo: string | null;
  withdrawn: { at: string; by: string; reason: string } | null;
}

export interface VerifyArticleInput {
  articleId: string;
  /** The record as read (from disk, a package or a sync): anything, checked here. */
  entries: readonly unknown[];
  policy: VerifiedPolicy;
  /** Hash of the article's content as it is now (metadata, document and assets); null to skip that check. */
  currentHash: string | null;
  crypto: RecordCrypto;
}

/**
 * The one verifier: the publish gate, package import, the sign-off sheet, the
 * CLI and the UI badge all ask it. It checks each entry's place in the chain,
 * its signature, that the key belonged to the actor and was valid when it
 * signed, and replays the act under the policy version it names — so an
 * approval by someone the policy does not entitle, a second approval by the
 * same person, or an approval of text nobody recorded fails like a forged
 * signature does. Verification stops at the first entry that fails: nothing
 * after a break can be placed in time.
 */
export function verifyArticleRecord(input: VerifyArticleInput): ArticleVerdict {
  const { articleId, entries, policy, crypto } = input;
  const problems: RecordProblem[] = [];
  const trail: TrailEvent[] = [];
  let state = initialReviewState(articleId);
  let head: string | null = null;
  let last: RecordEntry | null = null;
  let published: ArticleVerdict['published'] = null;
  let indexNo: string | null = null;
  let withdrawn: ArticleVerdict['withdrawn'] = null;

  for (const [seq, raw] of entries.entries()) {
    const kind = (raw as { event?: { type?: unknown } } | null)?.event?.type;
    if (typeof kind === 'string' && !isSignedKind(kind)) {
      problems.push(recordProblem('not_signed_kind', { seq, type: kind }));
      break;
    }
    const parsed = RecordEntrySchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const signatureMissing = issue?.path[0] === 'signature';
      problems.push(
        signatureMissing
          ? recordProblem('signature_missing', { seq })
          : recordProblem('entry_unreadable', { seq, detail: `${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim() }),
      );
      break;
    }
    const entry = parsed.data as RecordEntry;
    const signingText = entrySigningText(entry);
    // Parsing drops fields nobody signed; a line carrying any is not the line that was signed.
    if (hasUnsignedFields(raw, entry)) {
      problems.push(recordProblem('entry_unsigned_fields', { seq }));
      break;
    }
    const problem = checkEntry(entry, signingText, seq, last, head, articleId, policy, crypto);
    if (problem) {
      problems.push(problem);
      break;
    }
    const inForce = policy.versions[entry.policyVersion - 1]!;
    const actor = personIn(inForce, entry.event.actorId);
    if (!actor) {
      problems.push(recordProblem('actor_unknown', { seq, actor: entry.event.actorId }));
      break;
    }
    const applied = apply(state, actor, entry, seq, published, inForce.chain);
    if ('problem' in applied) {
      problems.push(applied.problem);
      break;
    }
    state = applied.state;
    trail.push(...applied.events);
    if (entry.event.type === 'publish') {
      published = { at: entry.event.at, by: actor.id, contentHash: entry.event.contentHash };
      indexNo ??= entry.event.indexNo ?? null;
      withdrawn = null;
    } else if (entry.event.type === 'withdraw') {
      withdrawn = { at: entry.event.at, by: actor.id, reason: entry.event.reason };
    }
    last = entry;
    head = entryHash(entry, crypto, signingText);
  }

  const intact = problems.length === 0;
  let contentMatches: boolean | null = null;
  if (input.currentHash !== null && last !== null) {
    contentMatches = state.contentHash === null || state.contentHash === input.currentHash;
    // A draft's text is the writer's to change until it is submitted; from then
    // on every change must be a signed entry.
    if (!contentMatches && isLocked(state.status) && intact) problems.push(recordProblem('content_unrecorded'));
  }
  const publishable =
    intact && input.currentHash !== null && state.status === 'approved' && isFullyApproved(state, input.currentHash);
  return {
    articleId,
    intact,
    problems,
    state,
    trail,
    count: entries.length,
    head,
    last,
    contentMatches,
    publishable,
    published,
    indexNo,
    withdrawn,
  };
}

function checkEntry(
  entry: RecordEntry,
  signingText: string,
  seq: number,
  last: RecordEntry | null,
  head: string | null,
  articleId: string,
  policy: VerifiedPolicy,
  crypto: RecordCrypto,
): RecordProblem | null {
  if (entry.articleId !== articleId) return recordProblem('entry_wrong_article', { seq, articleId: entry.articleId });
  if (entry.seq !== seq) return recordProblem('entry_out_of_order', { seq, found: entry.seq });
  if (entry.prev !== head) return recordProblem('entry_chain_broken', { seq });
  const at = entry.event.at;
  if (last && at < last.event.at) return recordProblem('entry_time_backwards', { seq });
  const version = policy.versions[entry.policyVersion - 1];
  if (!version || (last && entry.policyVersion < last.policyVersion)) {
    return recordProblem('entry_policy_unknown', { seq, version: entry.policyVersion });
  }
  if (at < version.issuedAt) return recordProblem('entry_policy_future', { seq, version: entry.policyVersion });
  // Keys only grow and revocations are never undone (the policy chain checks
  // that), so the latest version knows every key and when each stopped being valid.
  const key = policy.latest.keys.find((k) => k.keyId === entry.signature.keyId);
  if (!key) return recordProblem('key_unknown', { seq, keyId: entry.signature.keyId });
  if (key.personId !== entry.event.actorId) {
    const owner = personIn(policy.latest, key.personId)?.name ?? key.personId;
    const actor = personIn(policy.latest, entry.event.actorId)?.name ?? entry.event.actorId;
    return recordProblem('key_not_actor', { seq, actor, owner });
  }
  const invalid = keyInvalidReason(policy.latest, key.keyId, at);
  if (invalid) return recordProblem('key_not_valid', { seq, at, keyId: key.keyId, why: invalid });
  if (!crypto.verify(key.publicKey, signingText, entry.signature.value)) {
    return recordProblem('signature_invalid', { seq });
  }
  // The act is judged by the rules in force when it was signed, not by an older
  // version that still gave its signer a role or a key they have since lost.
  const inForce = versionInForce(policy, at);
  if (entry.policyVersion !== inForce) {
    return recordProblem('entry_policy_stale', { seq, version: entry.policyVersion, inForce });
  }
  return null;
}

type Applied = { state: ReviewState; events: TrailEvent[] } | { problem: RecordProblem };

function apply(
  state: ReviewState,
  actor: Person,
  entry: RecordEntry,
  seq: number,
  published: ArticleVerdict['published'],
  chain: ReviewChain,
): Applied {
  const event = entry.event;
  const refused = (detail: string): Applied => ({ problem: recordProblem('transition_refused', { seq, detail }) });
  const mismatch = (detail: string): Applied => ({ problem: recordProblem('event_mismatch', { seq, detail }) });
  const hash = event.contentHash;
  try {
    switch (event.type) {
      case 'submit':
      case 'approve':
      case 'request_changes':
      case 'comment':
      case 'edit': {
        if (hash === null) return mismatch('contentHash');
        if (event.type === 'edit' && (state.status === 'in_review' || state.status === 'approved')) {
          // A correction during review must start from the text the record knows.
          if (event.previousHash !== state.contentHash) return mismatch('previousHash');
        }
        const result = transition(state, actor, event, hash, chain);
        const derived = result.events.find((e) => e.type === event.type);
        if (derived && 'stageId' in derived && 'stageId' in event && derived.stageId !== event.stageId) {
          return mismatch(`stageId ${event.stageId ?? ''} ≠ ${derived.stageId ?? ''}`);
        }
        if (derived?.type === 'approve' && event.type === 'approve' && derived.final !== event.final) return mismatch('final');
        // The signed event goes in as signed; what the rules derived around it (invalidations, returns) follows it.
        const events: TrailEvent[] = result.events.map((e) => (e === derived ? event : e));
        if (!derived) events.unshift(event);
        return { state: result.state, events };
      }
      case 'comment_update': {
        if (hash === null) return mismatch('contentHash');
        const result = updateComment(state, actor, { commentId: event.commentId, action: event.action, body: event.body }, event.at, hash);
        return { state: result.state, events: [event] };
      }
      case 'revision':
      case 'proofread_override':
        return { state, events: [event] };
      case 'publish':
        if (!actor.active || !actor.roles.includes('publisher')) return refused('只有发布员可以发布');
        if (!isFullyApproved(state, event.contentHash)) return refused('发布的内容未经全部审核环节批准');
        return { state, events: [event] };
      case 'withdraw':
        if (!actor.active || !actor.roles.includes('publisher')) return refused('只有发布员可以撤回');
        if (!published) return refused('文稿尚未发布，无从撤回');
        return { state, events: [event] };
    }
  } catch (error) {
    if (error instanceof ReviewError) return refused(error.message);
    throw error;
  }
}

function transition(
  state: ReviewState,
  actor: Person,
  event: Extract<SignedEvent, { type: 'submit' | 'approve' | 'request_changes' | 'comment' | 'edit' }>,
  hash: string,
  chain: ReviewChain,
): TransitionResult {
  const at = event.at;
  switch (event.type) {
    case 'submit':
      return submit(state, actor, { note: event.note, chain }, at, hash);
    case 'approve':
      return approve(state, actor, { opinion: event.opinion, expectedHash: hash, signature: event.signature }, at, hash);
    case 'request_changes':
      return requestChanges(state, actor, { reason: event.reason, expectedHash: hash }, at, hash);
    case 'comment':
      return comment(state, actor, { id: event.commentId, body: event.body, anchor: event.anchor, replyTo: event.replyTo ?? null }, at, hash);
    case 'edit':
      return recordEdit(state, actor, { note: event.note }, at, hash);
  }
}

/** Whether `raw` holds any key (at any depth) that the parsed entry does not: text added after signing. */
function hasUnsignedFields(raw: unknown, parsed: unknown): boolean {
  if (raw === null || typeof raw !== 'object') return false;
  if (parsed === null || typeof parsed !== 'object') return true;
  if (Array.isArray(raw)) return !Array.isArray(parsed) || raw.some((item, i) => hasUnsignedFields(item, parsed[i]));
  const kept = parsed as Record<string, unknown>;
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!Object.hasOwn(kept, key)) return true;
    if (hasUnsignedFields(value, kept[key])) return true;
  }
  return false;
}

/** The newest policy version issued at or before `at` (versions are issued in time order). */
function versionInForce(policy: VerifiedPolicy, at: string): number {
  for (let index = policy.versions.length - 1; index >= 0; index--) {
    if (policy.versions[index]!.issuedAt <= at) return index + 1;
  }
  return 0;
}
