/*
 * Why the office server (or this desktop) refuses history. The server's hook
 * has no idea which language the person pushing reads, and git carries its
 * words to the client as plain lines, so each reason is one line in Chinese
 * and then English. The code and params travel too (in the client's results),
 * so a screen can word it in the interface language.
 */

export type RefusalCode =
  | 'ref_deleted'
  | 'ref_not_branch'
  | 'non_fast_forward'
  | 'unsigned'
  | 'signature_invalid'
  | 'committer_unknown'
  | 'key_unknown'
  | 'key_not_committer'
  | 'key_revoked'
  | 'key_not_yet_valid'
  | 'person_inactive'
  | 'unrelated_history'
  | 'root_missing'
  | 'root_foreign'
  | 'root_changed'
  | 'policy_rewritten'
  | 'policy_invalid'
  | 'policy_forked'
  | 'policy_missing'
  | 'record_deleted'
  | 'record_rewritten'
  | 'record_invalid'
  | 'object_unreadable'
  | 'office_missing'
  | 'pusher_not_allowed'
  | 'repo_not_yours'
  | 'path_not_carried'
  | 'unit_foreign'
  | 'settings_not_admin'
  | 'settings_invalid';

type Params = Record<string, string>;

const MESSAGES: Record<RefusalCode, { zh: string; en: string }> = {
  ref_deleted: { zh: '不允许删除分支 {ref}', en: 'deleting branch {ref} is not allowed' },
  ref_not_branch: { zh: '只能推送分支，{ref} 不是分支', en: 'only branches may be pushed; {ref} is not one' },
  non_fast_forward: {
    zh: '{ref} 的推送会改写服务器上已有的历史（非快进），请先同步再推送',
    en: 'the push to {ref} would rewrite history the server has (not a fast-forward); sync first',
  },
  unsigned: { zh: '提交 {commit} 没有签名', en: 'commit {commit} is not signed' },
  signature_invalid: {
    zh: '提交 {commit} 的签名无效（内容被改动，或不是 SSH 格式的 Ed25519 签名）',
    en: 'the signature of commit {commit} does not verify (altered, or not an Ed25519 SSH signature)',
  },
  committer_unknown: {
    zh: '提交 {commit} 的提交者 {email} 不是本单位的人员',
    en: 'the committer {email} of commit {commit} is not a person of this office',
  },
  key_unknown: {
    zh: '提交 {commit} 的签名密钥 {keyId} 不在单位策略中',
    en: 'commit {commit} is signed by key {keyId}, which the office policy does not list',
  },
  key_not_committer: {
    zh: '提交 {commit} 由 {owner} 的密钥签名，提交者却是 {committer}',
    en: "commit {commit} is signed with {owner}'s key but names {committer} as committer",
  },
  key_revoked: {
    zh: '提交 {commit} 的签名密钥 {keyId} 已于 {revokedAt} 吊销（无论提交写的是什么时间）',
    en: 'commit {commit} is signed by key {keyId}, revoked at {revokedAt} (whatever date the commit claims)',
  },
  key_not_yet_valid: {
    zh: '提交 {commit} 的签名密钥 {keyId} 自 {validFrom} 起才有效',
    en: 'commit {commit} is signed by key {keyId}, valid only from {validFrom}',
  },
  person_inactive: { zh: '提交 {commit} 的提交者 {committer} 已停用', en: 'the committer {committer} of commit {commit} is deactivated' },
  unrelated_history: {
    zh: '提交 {commit} 开始了另一段历史，与本单位仓库的起点不同',
    en: "commit {commit} starts a history of its own, unrelated to this repository's first commit",
  },
  root_missing: {
    zh: '仓库的第一个提交 {commit} 必须带有单位根密钥 office/root.json 和策略第 1 版',
    en: "the repository's first commit {commit} must carry the office root office/root.json and policy version 1",
  },
  root_foreign: {
    zh: '提交 {commit} 带来的单位根密钥与这个仓库设定的不同（另一个单位的数据）',
    en: "commit {commit} carries an office root key other than the one this repository was set up for (another office's data)",
  },
  root_changed: { zh: '提交 {commit} 改动了单位根密钥 office/root.json', en: 'commit {commit} changes the office root office/root.json' },
  policy_rewritten: {
    zh: '提交 {commit} 改动或删除了已签发的策略版本 {path}',
    en: 'commit {commit} changes or deletes the issued policy version {path}',
  },
  policy_invalid: { zh: '提交 {commit} 中的单位策略无法验证：{detail}', en: 'the office policy in commit {commit} does not verify: {detail}' },
  policy_forked: {
    zh: '提交 {commit} 中的策略第 {version} 版与服务器已有的不同（另有管理员先签发了这一版）',
    en: 'policy version {version} in commit {commit} differs from the one the server has (another admin issued it first)',
  },
  policy_missing: {
    zh: '提交 {commit} 改动了审核记录，却没有可验证的单位策略',
    en: 'commit {commit} changes a review record but carries no office policy that verifies',
  },
  record_deleted: { zh: '提交 {commit} 删除了审核记录 {path}', en: 'commit {commit} deletes the review record {path}' },
  record_rewritten: {
    zh: '提交 {commit} 改写或缩短了审核记录 {path}（记录只能追加）',
    en: 'commit {commit} rewrites or shortens the review record {path} (records are append-only)',
  },
  record_invalid: {
    zh: '提交 {commit} 中的审核记录 {path} 无法验证：{detail}',
    en: 'the review record {path} in commit {commit} does not verify: {detail}',
  },
  object_unreadable: { zh: '无法读取对象 {oid}：{detail}', en: 'object {oid} cannot be read: {detail}' },
  office_missing: {
    zh: '服务器上还没有单位策略，仓库 {repo} 尚不能使用（请管理员先推送 office 仓库）',
    en: 'the server has no office policy yet, so repository {repo} cannot be used (an administrator pushes the office repository first)',
  },
  pusher_not_allowed: { zh: '登录账号 {login} 无权推送到仓库 {repo}', en: 'the login {login} may not push to repository {repo}' },
  repo_not_yours: {
    zh: '提交 {commit} 的提交者 {committer} 无权写入仓库 {repo}',
    en: 'the committer {committer} of commit {commit} may not write to repository {repo}',
  },
  path_not_carried: { zh: '提交 {commit} 写入了 {path}，仓库 {repo} 不存放这类文件', en: 'commit {commit} writes {path}, which repository {repo} does not hold' },
  unit_foreign: {
    zh: '提交 {commit} 写入了其他单位（{unit}）的文稿 {path}，仓库 {repo} 只存放{ownUnit}的文稿',
    en: "commit {commit} writes {path}, an article of another unit ({unit}); repository {repo} holds {ownUnit}'s articles only",
  },
  settings_not_admin: {
    zh: '提交 {commit} 改动了办公室设置 {path}，提交者 {committer} 不是管理员（网站配置和规则包只能由管理员修改）',
    en: 'commit {commit} changes the office setting {path}, but its committer {committer} is not an administrator (site profiles and rule packs are changed by administrators only)',
  },
  settings_invalid: {
    zh: '提交 {commit} 中的办公室设置 {path} 无法使用：{detail}',
    en: 'the office setting {path} in commit {commit} cannot be used: {detail}',
  },
};

export interface Refusal {
  code: RefusalCode;
  params: Params;
  /** Chinese, ready to show. */
  zh: string;
  en: string;
}

function fill(template: string, params: Params): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => params[key] ?? whole);
}

export function refusal(code: RefusalCode, params: Params = {}): Refusal {
  const { zh, en } = MESSAGES[code];
  return { code, params, zh: fill(zh, params), en: fill(en, params) };
}

/** The marker the hook starts each refusal line with; the client finds the server's reasons by it. */
export const REFUSAL_PREFIX = '拒绝推送：';

/** One line, Chinese first, the code last in brackets: what the hook prints and the client shows and reads. */
export function refusalLine(r: Refusal): string {
  return `${REFUSAL_PREFIX}${r.zh}。 Refused: ${r.en}. [${r.code}]`.replace(/[\r\n]+/g, ' ');
}
