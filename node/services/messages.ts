import { type MessageKey, type MessageParams, translate } from '../../shared/i18n';

/**
 * The Chinese text of a message: what the services put in the errors and
 * audit notes they return. Chinese is the office's language; the renderer
 * shows these texts as they come.
 */
export function t(key: MessageKey, params?: MessageParams): string {
  return translate('zh-CN', key, params);
}
