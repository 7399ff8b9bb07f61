import { fillTemplate, type MessageParams } from '../i18n/define';
import record from '../i18n/messages/record';

type CodeOf<K> = K extends `record.problem.${infer C}` ? C : never;
export type RecordProblemCode = CodeOf<keyof (typeof record)['zh-CN']>;

/**
 * Something in an office policy or an article's record that does not verify.
 * `message` is ready Chinese text; `code` and `params` let a reader in another
 * language have it in theirs. `at` names the entry (article records) or the
 * version (policies) where verification stopped.
 */
export interface RecordProblem {
  code: RecordProblemCode;
  params: MessageParams;
  message: string;
}

export function recordProblem(code: RecordProblemCode, params: MessageParams = {}): RecordProblem {
  const key = `record.problem.${code}` as const;
  return { code, params, message: fillTemplate(record['zh-CN'][key], params) };
}

/** Thrown where a caller needs a verified record and the record does not verify. */
export class RecordError extends Error {
  readonly problems: readonly RecordProblem[];

  constructor(problems: readonly RecordProblem[]) {
    super(problems.map((p) => p.message).join('；') || '记录无法验证');
    this.name = 'RecordError';
    this.problems = problems;
  }
}
