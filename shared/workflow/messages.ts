import { fillTemplate } from '../i18n/define';
import type { Locale } from '../domain/settings';
import common from '../i18n/messages/common';
import review from '../i18n/messages/review';

/** Keys of the review/package message table (shared/i18n/messages/review.ts). */
export type ReviewMessageKey = keyof (typeof review)['zh-CN'];
export type ReviewMessageParams = Record<string, string | number>;

/**
 * Formats a review message without the app-wide registry, so services and the
 * CLI can produce the Chinese text even before the table is registered there.
 */
export function reviewMessage(key: ReviewMessageKey, params: ReviewMessageParams = {}, locale: Locale = 'zh-CN'): string {
  const template: string = review[locale][key] ?? review['zh-CN'][key];
  return fillTemplate(template, params);
}

/** The status label users see (草稿, 审核中 …). */
export function statusLabel(status: string, locale: Locale = 'zh-CN'): string {
  const key = `status.${status}` as keyof (typeof common)['zh-CN'];
  return common[locale][key] ?? status;
}
