import { readdir, readFile, stat } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { type RulePack, type RulePackInfo, type RulePackProblem, validateRulePack } from '../../../shared/proofread/packs';
import { isMissing } from '../store/atomic-file';

/** File endings an office pack may have. */
export const RULE_FILE_EXTENSIONS = ['.json', '.yaml', '.yml'] as const;

/** Parses a JSON or YAML pack file; the message says what is wrong, in Chinese. */
export function parseRulePackText(
  text: string,
  format: 'json' | 'yaml',
): { ok: true; pack: RulePack } | { ok: false; message: string } {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let raw: unknown;
  try {
    raw = format === 'json' ? JSON.parse(body) : parseYaml(body, { maxAliasCount: 100 });
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    return { ok: false, message: `不是有效的 ${format === 'json' ? 'JSON' : 'YAML'} 文件：${detail}` };
  }
  return validateRulePack(raw);
}

/** The pack as file text. */
export function serializeRulePack(pack: RulePack, format: 'json' | 'yaml'): string {
  return format === 'json' ? `${JSON.stringify(pack, null, 2)}\n` : stringifyYaml(pack);
}

/** Reads every pack file in `dir` (missing folder: none); unreadable files are listed, never deleted. */
export async function loadRulePackDir(dir: string): Promise<{ packs: RulePackInfo[]; problems: RulePackProblem[] }> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch (error) {
    if (isMissing(error)) return { packs: [], problems: [] };
    throw error;
  }
  const packs: RulePackInfo[] = [];
  const problems: RulePackProblem[] = [];
  for (const name of names) {
    const ext = extname(name).toLowerCase();
    if (!(RULE_FILE_EXTENSIONS as readonly string[]).includes(ext)) continue;
    const file = join(dir, name);
    const parsed = parseRulePackText(await readFile(file, 'utf8'), ext === '.json' ? 'json' : 'yaml');
    if (!parsed.ok) {
      problems.push({ file: name, message: parsed.message });
      continue;
    }
    if (packs.some((p) => p.pack.id === parsed.pack.id)) {
      problems.push({ file: name, message: `规则包 id “${parsed.pack.id}” 与另一个文件重复，已忽略此文件` });
      continue;
    }
    packs.push({ pack: parsed.pack, origin: 'office', file: name });
  }
  return { packs, problems };
}

/**
 * What the pack files in `dir` look like from outside (names, sizes, times):
 * packs also arrive by the office sync and the command line, so a cache of
 * the parsed packs asks this before trusting itself.
 */
export async function rulePackDirStamp(dir: string): Promise<string> {
  let names: string[];
  try {
    names = (await readdir(dir)).sort();
  } catch (error) {
    if (isMissing(error)) return '';
    throw error;
  }
  const parts: string[] = [];
  for (const name of names) {
    if (!(RULE_FILE_EXTENSIONS as readonly string[]).includes(extname(name).toLowerCase())) continue;
    const info = await stat(join(dir, name)).catch(() => null);
    if (info) parts.push(`${name}:${info.size}:${info.mtimeMs}`);
  }
  return parts.join('|');
}
