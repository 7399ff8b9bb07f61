import { fillTemplate, type MessageParams } from './define';
import type { Locale } from '../domain/settings';
import app from './messages/app';
import attendees from './messages/attendees';
import auth from './messages/auth';
import chain from './messages/chain';
import common from './messages/common';
import editor from './messages/editor';
import editorScreen from './messages/editor-screen';
import error from './messages/error';
import importDialog from './messages/import-dialog';
import key from './messages/key';
import keys from './messages/keys';
import list from './messages/list';
import menu from './messages/menu';
import meta from './messages/meta';
import nav from './messages/nav';
import newArticle from './messages/new-article';
import notify from './messages/notify';
import packageMessages from './messages/package';
import packages from './messages/packages';
import people from './messages/people';
import policy from './messages/policy';
import portal from './messages/portal';
import proof from './messages/proof';
import proofFinding from './messages/proof-finding';
import pubui from './messages/pubui';
import queue from './messages/queue';
import record from './messages/record';
import review from './messages/review';
import reviewUi from './messages/review-ui';
import session from './messages/session';
import settings from './messages/settings';
import shell from './messages/shell';
import signoff from './messages/signoff';
import status from './messages/status';
import template from './messages/template';
import trash from './messages/trash';
import versions from './messages/versions';
import webhost from './messages/webhost';
import sync from './messages/sync';
import syncUi from './messages/sync-ui';
import conflict from './messages/conflict';
import conflictMerge from './messages/conflict-merge';
import exportNote from './messages/export-note';
import importNote from './messages/import-note';
import webImport from './messages/web-import';
import importLimit from './messages/import-limit';
import photo from './messages/photo';
import store from './messages/store';

/**
 * All user-visible strings. Each table under messages/ holds the keys of one
 * prefix and is named after it (`editorScreen.*` in editor-screen.ts); a key
 * missing in English is a type error in its messages file, a key used but not
 * defined is a type error at the call site.
 */
const tables = [
  app,
  common,
  status,
  template,
  error,
  nav,
  list,
  trash,
  editorScreen,
  versions,
  editor,
  meta,
  attendees,
  newArticle,
  importDialog,
  settings,
  menu,
  shell,
  webhost,
  auth,
  session,
  people,
  chain,
  keys,
  key,
  queue,
  review,
  reviewUi,
  signoff,
  packageMessages,
  packages,
  portal,
  pubui,
  proof,
  proofFinding,
  policy,
  record,
  notify,
  sync,
  syncUi,
  conflict,
  conflictMerge,
  exportNote,
  importNote,
  webImport,
  importLimit,
  photo,
  store,
] as const;

// Tail-recursive (the intersection rides in an accumulator): TypeScript unrolls that form up to 1,000 tables, the plain form only ~50.
type Merge<T extends readonly { 'zh-CN': Record<string, string> }[], Merged = unknown> = T extends readonly [
  infer H extends { 'zh-CN': Record<string, string> },
  ...infer R extends readonly { 'zh-CN': Record<string, string> }[],
]
  ? Merge<R, Merged & H['zh-CN']>
  : Merged;

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
