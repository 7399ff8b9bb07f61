import type { CallContext } from '../../../shared/api/contract';
import { ApiError } from '../../../shared/api/errors';
import type { Article } from '../../../shared/domain/article';
import type { MessageKey } from '../../../shared/i18n';
import type { Person } from '../../../shared/workflow/review-chain';
import type { OutboxAction } from './outbox/outbox';
import { publishMessage } from './outbox/messages';

/**
 * The session checks publishing asks of the people side. Publishing states only
 * what it needs, so it does not depend on how sessions and people are organised.
 */
export interface SessionGuard {
  /** The caller as a person; throws when nobody is signed in. */
  requirePerson(context: CallContext): Person;
  /** The caller, who must be an admin; `action` names what was refused. */
  requireAdmin(context: CallContext, action: MessageKey): Person;
}

/** Whether an article's current text carries every approval of the review chain. */
export interface ApprovalCheck {
  /**
   * Throws `conflict` unless fully approved; returns the approved content hash
   * and, from the same verified record, who approved it at each stage in the
   * chain's order (the 三审 lines a site may print).
   */
  assertPublishable(articleId: string): Promise<{ contentHash: string; approvers?: { stage: string; name: string }[] }>;
}

/** Where publishing records, signed by the publisher, what it did in the article's record. */
export interface PublishTrail {
  /** That this exact approved content goes live; refused (conflict) unless the record says every stage approved it. */
  recordPublish(articleId: string, context: CallContext, contentHash: string, indexNo?: string | null): Promise<void>;
  recordWithdraw(articleId: string, context: CallContext, reason: string, targetIds: readonly string[]): Promise<void>;
}

/** Refuses publish/update while the article still has blocking problems (proofreading). */
export type PublishGate = (article: Article) => Promise<void>;

/** The caller, who must hold the publisher role to queue or retry `action`. */
export function requirePublisher(guard: SessionGuard, context: CallContext, action: OutboxAction): Person {
  const person = guard.requirePerson(context);
  if (!person.roles.includes('publisher')) {
    throw new ApiError(
      'forbidden',
      publishMessage('publish.error.not_publisher', { action: publishMessage(`publish.action.${action}`), name: person.name }),
    );
  }
  return person;
}

/** The caller, who must be a publisher or an admin to store a target's password. */
export function requireCredentialKeeper(guard: SessionGuard, context: CallContext): Person {
  const person = guard.requirePerson(context);
  if (!person.roles.includes('publisher') && !person.roles.includes('admin')) {
    throw new ApiError('forbidden', publishMessage('publish.error.credential_role'));
  }
  return person;
}
