import { fillTemplate } from '../i18n/define';
import type { Locale } from '../domain/settings';
import portalMessages from '../i18n/messages/portal';

type PortalKey = keyof (typeof portalMessages)['zh-CN'];

/** A portal message in the given language, with `{name}` placeholders filled. */
export function portalText(locale: Locale, key: PortalKey, params: Record<string, string | number> = {}): string {
  const template: string = portalMessages[locale][key] ?? portalMessages['zh-CN'][key];
  return fillTemplate(template, params);
}

/**
 * The page labels handed to templates as `labels.<name>` (e.g. `labels.location`
 * for 当前位置：); templates print them, so a custom theme keeps the site's language.
 */
export function pageLabels(locale: Locale): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(portalMessages[locale])) {
    if (key.startsWith('portal.page.')) labels[key.slice('portal.page.'.length)] = value;
  }
  return labels;
}
