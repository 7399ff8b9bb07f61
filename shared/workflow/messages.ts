import { fillTemplate } from '../i18n/define';
import type { Locale } from '../domain/settings';
import keyMessages from '../i18n/messages/key';
import packageMessages from '../i18n/messages/package';
import reviewMessages from '../i18n/messages/review';
import statusMessages from '../i18n/messages/status';

/** The tables the workflow and the review services word their messages with (review.*, key.*, package.*). */
const table = {
  'zh-CN': { ...reviewMessages['zh-CN'], ...keyMessages['zh-CN'], ...packageMessages['zh-CN'] },
  en: { ...reviewMessages.en, ...keyMessages.en, ...packageMessages.en },
};

export type ReviewMessageKey = keyof (typeof table)['zh-CN'];
export type ReviewMessageParams = Record<string, string | number>;

/**
 * Formats a review message without the app-wide registry, so the workflow core
 * and the services do not load every table of the app to word a refusal.
 */
export function reviewMessage(key: ReviewMessageKey, params: ReviewMessageParams = {}, locale: Locale = 'zh-CN'): string {
  const template: string = table[locale][key] ?? table['zh-CN'][key];
  return fillTemplate(template, params);
}

/** The status label users see (草稿, 审核中 …). */
export function statusLabel(status: string, locale: Locale = 'zh-CN'): string {
  const key = `status.${status}` as keyof (typeof statusMessages)['zh-CN'];
  return statusMessages[locale][key] ?? status;
}
