import { z } from 'zod';

/**
 * Rule packs are data, so the office can edit, import and export them. The
 * shipped defaults live in `default-packs/`; the office's own packs live in
 * `<workspace>/rules/` and are never overwritten by an update of the defaults.
 */
export const PACK_KINDS = ['protected', 'sensitive', 'misspelling', 'outdated', 'allow'] as const;
export const PackKindSchema = z.enum(PACK_KINDS);
/** protected: near misses are errors; sensitive: 错敏词; misspelling: wrong → right; outdated: since a date; allow: normal words never flagged as near misses. */
export type PackKind = z.infer<typeof PackKindSchema>;

const YmdSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'since 必须是 YYYY-MM-DD 格式的日期');

/** Control and format characters (zero-width marks, direction overrides) and halves of a surrogate pair: invisible in a list, never in an article's words. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}]/u;

/** One word of a pack; which fields matter depends on the pack's kind. */
export const PackEntrySchema = z.object({
  /** The protected term, the forbidden word, the wrong spelling or the outdated name. */
  text: z
    .string()
    .trim()
    .min(1, '词条不能为空')
    .max(200, '词条不能超过 200 个字符')
    .refine((text) => !INVISIBLE.test(text), '词条含有看不见的控制字符或零宽字符，请删去后再导入'),
  /** The preferred wording (sensitive), the right spelling (misspelling), the current name (outdated). */
  suggestion: z.string().trim().max(200).optional(),
  /** Overrides the kind's default severity. */
  severity: z.enum(['error', 'warning', 'hint']).optional(),
  /** outdated: the date from which the name is outdated. */
  since: YmdSchema.optional(),
  note: z.string().max(500).optional(),
});
export type PackEntry = z.infer<typeof PackEntrySchema>;

export const RulePackSchema = z.object({
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,63}$/, '规则包 id 只能用小写英文字母、数字、- 和 _（最多 64 个字符）'),
  name: z.string().trim().min(1, '规则包需要名称').max(100),
  kind: PackKindSchema,
  /** Where the list comes from (a law, an official notice, the office itself). */
  source: z.string().trim().min(1, '请注明词表来源（source）').max(1000),
  version: z.string().trim().min(1).max(50).default('1'),
  /**
   * protected only: 'unless-words' reports a near miss of these terms only
   * where the characters written there make no ordinary word (和城乡建设 is
   * 和 + 城乡, not a slip of the town 和盛乡). For long lists of names, such
   * as towns, many of which are a character away from everyday text.
   */
  nearMisses: z.enum(['always', 'unless-words'], { error: 'nearMisses 只能是 always 或 unless-words' }).optional(),
  entries: z.array(PackEntrySchema).max(50_000, '一个规则包最多 50000 个词条'),
});
export type RulePack = z.infer<typeof RulePackSchema>;
export type RulePackInput = z.input<typeof RulePackSchema>;

/** The packs one check uses. Pass the same array again to reuse the compiled automaton. */
export type RulePacks = readonly RulePack[];

/** A pack as the settings screen lists it. */
export interface RulePackInfo {
  pack: RulePack;
  /** 'default' packs ship with the app (read-only); 'office' packs live in the workspace. */
  origin: 'default' | 'office';
  /** The office file it was read from (office packs only). */
  file?: string;
}

/** A pack that could not be read, with a message the admin can act on. */
export interface RulePackProblem {
  file: string;
  message: string;
}

/** Validates parsed JSON/YAML as a pack; the message names the entry and field at fault, in Chinese. */
export function validateRulePack(
  value: unknown,
): { ok: true; pack: RulePack } | { ok: false; message: string } {
  const parsed = RulePackSchema.safeParse(value);
  if (parsed.success) {
    const kind = parsed.data.kind;
    for (const [index, entry] of parsed.data.entries.entries()) {
      if (kind === 'outdated' && !entry.since) {
        return { ok: false, message: `第 ${index + 1} 个词条「${entry.text}」缺少 since（过时日期，YYYY-MM-DD）` };
      }
      if (kind === 'misspelling' && !entry.suggestion) {
        return { ok: false, message: `第 ${index + 1} 个词条「${entry.text}」缺少 suggestion（正确写法）` };
      }
    }
    return { ok: true, pack: parsed.data };
  }
  const issue = parsed.error.issues[0];
  if (!issue) return { ok: false, message: '规则包格式不正确' };
  return { ok: false, message: `${describePath(issue.path)}：${issue.message}` };
}

function describePath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '规则包';
  const parts: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    if (key === 'entries' && typeof path[i + 1] === 'number') {
      parts.push(`第 ${(path[i + 1] as number) + 1} 个词条`);
      i++;
    } else {
      parts.push(`字段 ${String(key)}`);
    }
  }
  return parts.join(' ');
}
