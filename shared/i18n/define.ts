/**
 * Each area of the app keeps its strings in its own file under messages/, in
 * Simplified Chinese first; the English table must have exactly the same keys,
 * which the type below enforces.
 */
export function defineMessages<const Zh extends Record<string, string>>(
  zhCN: Zh,
  en: { [K in keyof Zh]: string },
): { 'zh-CN': Zh; en: { [K in keyof Zh]: string } } {
  return { 'zh-CN': zhCN, en };
}

/** Values for a message's `{name}` placeholders. */
export type MessageParams = Record<string, string | number>;

/** Fills `{name}` placeholders; one without a value stays as written, so a missing parameter shows instead of vanishing. */
export function fillTemplate(template: string, params: MessageParams): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : whole));
}
