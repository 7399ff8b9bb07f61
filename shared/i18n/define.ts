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
