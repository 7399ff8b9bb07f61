import type { ArticleMeta } from '../domain/article';
import type { Doc } from '../domain/doc';
import type findingMessages from '../i18n/messages/proof-finding';

/** The i18n key of a finding's message (shared/i18n/messages/proof-finding.ts). */
export type ProofMessageKey = keyof (typeof findingMessages)['zh-CN'] & string;

/** How bad a finding is: errors gate submit and publish (unless overridden with a reason). */
export type Severity = 'error' | 'warning' | 'hint';

/** One problem found in an article. Offsets are in `docToPlainText(doc)` (UTF-16 code units). */
export interface Finding {
  /** Stable rule id, e.g. 'protected-term:中华人民共和国' or 'punct:half-width-in-chinese'. */
  rule: string;
  /** Rule family: 'protected' | 'sensitive' | 'misspelling' | 'outdated' | 'punctuation' | 'pairs' | 'repeat' | 'date' | 'number' | 'metadata' | 'scope' | 'charset' | 'accessibility'. */
  family: string;
  severity: Severity;
  /** [start, end) in the plain text; for metadata-only findings start = end = 0 and `field` is set. */
  start: number;
  end: number;
  /** The text at [start, end). */
  text: string;
  /** Plain Chinese (the zh-CN rendering of `messageKey`), kept so stored findings and the CLI read the same as before. */
  message: string;
  /**
   * What `message` says, for showing it in the reader's language. Always set
   * by the engine; absent in findings written by versions before it existed.
   */
  messageKey?: ProofMessageKey;
  /** The values for `messageKey`'s placeholders (a pack entry's note is `note`, never translated). */
  params?: Record<string, string | number>;
  /** The replacement a one-click fix writes, when there is one. */
  suggestion?: string;
  /** A metadata field the finding is about, e.g. 'source'. */
  field?: string;
  /** Set by the server-side check when a reviewer or publisher let this error through with a reason. */
  overridden?: FindingOverride;
}

/** Who let an error through, and why (stored per article; recorded in its audit trail). */
export interface FindingOverride {
  rule: string;
  start: number;
  text: string;
  reason: string;
  by: string;
  byName: string;
  at: string;
}

/** What the checker reads. */
export interface CheckInput {
  meta: ArticleMeta;
  doc: Doc;
}
