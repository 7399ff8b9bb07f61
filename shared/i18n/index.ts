import { fillTemplate, type MessageParams } from './define';
import type { Locale } from '../domain/settings';
import common from './messages/common';
import editor from './messages/editor';
import importer from './messages/importer';
import list from './messages/list';
import meta from './messages/meta';
import portal from './messages/portal';
import proofreadFindings from './messages/proofread-findings';
import proofreadUi from './messages/proofread-ui';
import publishUi from './messages/publish-ui';
import review from './messages/review';
import session from './messages/session';
import settings from './messages/settings';
import shell from './messages/shell';

/**
 * All user-visible strings. Areas register their tables here; a key missing in
 * English is a type error in its messages file, a key used but not defined is
 * a type error at the call site.
 */
const tables = [common, list, editor, meta, importer, settings, shell, review, portal, session, publishUi, proofreadUi, proofreadFindings] as const;

type Merge<T extends readonly { 'zh-CN': Record<string, string> }[]> = T extends readonly [
  infer H extends { 'zh-CN': Record<string, string> },
  ...infer R extends readonly { 'zh-CN': Record<string, string> }[],
]
  ? H['zh-CN'] & Merge<R>
  : unknown;

export type MessageKey = keyof Merge<typeof tables> & string;
export type { MessageParams };

const merged: Record<Locale, Record<string, string>> = { 'zh-CN': {}, en: {} };
for (const table of tables) {
  Object.assign(merged['zh-CN'], table['zh-CN']);
  Object.assign(merged.en, table.en);
}

export function translate(locale: Locale, key: MessageKey, params?: MessageParams): string {
  const template = merged[locale][key] ?? merged['zh-CN'][key] ?? key;
  if (!params) return template;
  return fillTemplate(template, params);
}

export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(merged['zh-CN'], key);
}
