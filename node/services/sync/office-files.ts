import { SiteConfigSchema } from '../../../shared/api/contract/sites';
import { parseRulePackText } from '../proofread/rule-files';

/*
 * The office's settings that travel with the policy in the `office`
 * repository, written by administrators only:
 *
 *   sites/<id>.json           a site profile and its publishing targets (never a
 *                             password: those stay in each desktop's credential store)
 *   rules/<name>.json|yaml    an office proofreading rule pack
 *
 * The server's hook and every desktop judge such a file by the same rules:
 * an administrator under the policy in force wrote it, and it reads as what
 * it claims to be. A site file carrying anything the site schema does not know
 * (a password typed into the file by hand, say) is refused, never sent on with
 * the extra field quietly dropped: a secret must not reach the server at all.
 */

const SITE_FILE = /^sites\/([a-z0-9][a-z0-9_-]{0,63})\.json$/;
const RULE_FILE = /^rules\/([A-Za-z0-9_][A-Za-z0-9_.-]{0,127})\.(json|yaml|yml)$/;

/** Whether a workspace-relative path is an office settings file (a site profile or a rule pack). */
export function isOfficeSettingsPath(path: string): boolean {
  if (path.includes('.tmp-') || path.endsWith('.bak')) return false;
  return SITE_FILE.test(path) || RULE_FILE.test(path);
}

/** The folders office settings files live in (files directly inside, no deeper). */
export const OFFICE_SETTINGS_DIRS = ['sites', 'rules'] as const;

/** Key paths present in `raw` that the parsed value dropped: fields the schema does not know. */
function unknownKeys(raw: unknown, parsed: unknown, at: string): string[] {
  if (Array.isArray(raw) && Array.isArray(parsed)) return raw.flatMap((item, i) => unknownKeys(item, parsed[i], `${at}${at ? '.' : ''}${i}`));
  if (!raw || typeof raw !== 'object' || !parsed || typeof parsed !== 'object') return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    const path = `${at}${at ? '.' : ''}${key}`;
    if (!Object.hasOwn(parsed, key)) out.push(path);
    else out.push(...unknownKeys(value, (parsed as Record<string, unknown>)[key], path));
  }
  return out;
}

/** What is wrong with an office settings file's bytes (Chinese, for the refusal line), or null when it holds. */
export function officeFileProblem(path: string, bytes: Uint8Array): string | null {
  const text = Buffer.from(bytes).toString('utf8');
  const site = SITE_FILE.exec(path);
  if (site) {
    let raw: unknown;
    try {
      raw = JSON.parse(text);
    } catch (error) {
      return `不是有效的 JSON：${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
    }
    const parsed = SiteConfigSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return `不符合网站配置格式（${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : '?'}）`;
    }
    if (parsed.data.id !== site[1]) return `文件名是 ${site[1]}，内容却是网站 ${parsed.data.id}`;
    const extra = unknownKeys(raw, parsed.data, '');
    if (extra.length) return `含有网站配置之外的字段 ${extra.slice(0, 3).join('、')}（密码等凭据只存放在各台电脑上，不随办公室同步）`;
    return null;
  }
  const rule = RULE_FILE.exec(path);
  if (rule) {
    const parsed = parseRulePackText(text, rule[2] === 'json' ? 'json' : 'yaml');
    return parsed.ok ? null : parsed.message;
  }
  return '不是办公室设置文件';
}
