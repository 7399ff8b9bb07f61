import type { Locale } from '../domain/settings';
import { hasMessage, translate } from '../i18n';
import type { Finding, ProofMessageKey } from './types';

/** Placeholder values of a finding's message. */
export type FindingParams = Record<string, string | number>;

/**
 * A finding message in `locale`. A pack entry's note is office data written
 * in Chinese, so it is appended as given rather than translated.
 */
export function renderFindingMessage(locale: Locale, key: ProofMessageKey, params: FindingParams): string {
  const text = translate(locale, key, params);
  return params.note === undefined ? text : text + translate(locale, 'proof.finding.note', { note: params.note });
}

/**
 * What a finding says, in the reader's language; falls back to the stored
 * Chinese `message` for findings without a key this version knows (written
 * by an older or newer version).
 */
export function findingMessage(finding: Pick<Finding, 'message' | 'messageKey' | 'params'>, locale: Locale): string {
  if (!finding.messageKey || !hasMessage(finding.messageKey)) return finding.message;
  return renderFindingMessage(locale, finding.messageKey, finding.params ?? {});
}
