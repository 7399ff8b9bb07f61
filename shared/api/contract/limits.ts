import { translate } from '../../i18n';
import { ApiError } from '../errors';

/**
 * How long each text the API accepts may be, in characters. Every string of
 * every request is held to one of these before the request is parsed, so no
 * caller can make either transport hold (or a service walk) a text of any
 * size. The bounds are far above what a writer types or an importer
 * produces — an article saved before these limits still saves — and a text
 * past one is refused with a message naming the field, never cut short.
 */
export const TEXT_LIMITS = {
  /** Any string not named below (a paragraph of the body, a comment, a rule). */
  anyText: 1_000_000,
  /** Title and subtitle. */
  title: 1_000,
  /** One metadata field or name: 来源, 作者, 地点, a person's or a file's name, a keyword, a column. */
  field: 1_000,
  /** 摘要. */
  summary: 10_000,
  /** Text pasted for import (a 200-page report is ~300,000 characters). */
  pastedText: 2_000_000,
  /** A rule pack's JSON or YAML file (50,000 entries, as the app exports them, are ~2 MB; notes make more). */
  rulePackFile: 20_000_000,
  /** A file sent as base64 (100 MB of file, the largest import). */
  fileBase64: Math.ceil((100 * 1024 * 1024 * 4) / 3) + 4,
} as const;

/** Fields by name, wherever they sit in a request (article meta, templates, people, targets). */
const NAMED_LIMITS: Record<string, number> = {
  title: TEXT_LIMITS.title,
  subtitle: TEXT_LIMITS.title,
  summary: TEXT_LIMITS.summary,
  dataBase64: TEXT_LIMITS.fileBase64,
  ...Object.fromEntries(
    [
      'name',
      'unit',
      'source',
      'author',
      'photographer',
      'editor',
      'publisher',
      'docNo',
      'topic',
      'genre',
      'host',
      'place',
      'meetingName',
      'alt',
      'keywords',
      'column',
      'password',
      'newPassword',
      'fileName',
    ].map((field) => [field, TEXT_LIMITS.field]),
  ),
};

/** Fields whose bound depends on the channel. */
const CHANNEL_LIMITS: Record<string, Record<string, number>> = {
  'import:text': { text: TEXT_LIMITS.pastedText },
  'proofread:savePack': { text: TEXT_LIMITS.rulePackFile },
  'proofread:previewDefaultUpdate': { text: TEXT_LIMITS.rulePackFile },
  'proofread:acceptDefaultUpdate': { text: TEXT_LIMITS.rulePackFile },
};

/** How deep a request may nest (a document's lists in tables in lists stay far below). */
const MAX_DEPTH = 200;

/**
 * Refuses (ApiError 'too_large') the first string in `payload` longer than its
 * limit, naming the field by its path; the message is Chinese, as every
 * service message is. Walks the raw payload before the schema parses it.
 */
export function checkTextLimits(channel: string, payload: unknown): void {
  const own = CHANNEL_LIMITS[channel] ?? {};
  const walk = (value: unknown, path: string[], limit: number, depth: number): void => {
    if (typeof value === 'string') {
      if (value.length <= limit) return;
      const field = path.join('.') || '(root)';
      const detail =
        channel === 'import:text' && field === 'text'
          ? translate('zh-CN', 'importLimit.textChars', { count: value.length, limit })
          : translate('zh-CN', 'error.textTooLong', { field, count: value.length, limit });
      throw new ApiError('too_large', detail);
    }
    if (typeof value !== 'object' || value === null) return;
    if (depth > MAX_DEPTH) throw new ApiError('too_large', translate('zh-CN', 'error.nestedTooDeep', { field: path.join('.'), limit: MAX_DEPTH }));
    if (Array.isArray(value)) {
      // An array's items share its bound (keywords: each keyword is one field).
      for (let index = 0; index < value.length; index++) walk(value[index], [...path, String(index)], limit, depth + 1);
      return;
    }
    for (const [key, item] of Object.entries(value)) {
      const bound = (path.length === 0 ? own[key] : undefined) ?? NAMED_LIMITS[key] ?? TEXT_LIMITS.anyText;
      walk(item, [...path, key], bound, depth + 1);
    }
  };
  walk(payload, [], TEXT_LIMITS.anyText, 0);
}
