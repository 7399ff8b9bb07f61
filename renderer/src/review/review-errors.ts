import { ApiError } from '../../../shared/api/errors';
import type { Locale } from '../../../shared/domain/settings';
import { describeError } from '../state/errors';

/**
 * Refusals from the review services carry a complete sentence ("密码不正确…",
 * "不能审核自己提交的文稿…"); wrapping it in "没有权限：…" would only add noise.
 */
export function reviewErrorText(locale: Locale, error: unknown): string {
  if (error instanceof ApiError && ['unauthorized', 'forbidden', 'conflict', 'invalid_request'].includes(error.code)) {
    if (error.detail.trim() && locale === 'zh-CN') return error.detail;
  }
  return describeError(locale, error);
}
