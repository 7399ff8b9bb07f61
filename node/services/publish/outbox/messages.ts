import { defineMessages, fillTemplate } from '../../../../shared/i18n/define';
import type { Locale } from '../../../../shared/domain/settings';

/**
 * Publishing errors and outbox notices. Kept beside the publishing services until
 * the lead registers them as `shared/i18n/messages/publish.ts`; the keys and the
 * `{name}` placeholders are already in the shared format.
 */
export const publishMessages = defineMessages(
  {
    'publish.error.network': '无法连接到{target}（{detail}）。稿件已保存在发布队列中，网络恢复后将自动重试。',
    'publish.error.timeout': '{target}在 {seconds} 秒内没有响应。稿件已保存在发布队列中，将自动重试。',
    'publish.error.server': '{target}服务器出错（HTTP {status}）：{server}',
    'publish.error.auth': '{target}拒绝登录（{code}）：{server}。请检查用户名和应用密码。',
    'publish.error.forbidden': '{target}拒绝了此操作（{code}）：{server}。请确认该账号有发布权限。',
    'publish.error.not_found': '{target}上找不到要操作的内容（{code}）：{server}',
    'publish.error.rejected': '{target}拒绝了请求（HTTP {status} {code}）：{server}',
    'publish.error.bad_reply': '{target}的回复无法识别（{detail}）',
    'publish.error.fault': '{target}返回错误（{code}）：{server}',
    'publish.error.not_published': '文稿尚未发布到{target}，无法{action}',
    'publish.error.asset_missing': '找不到图片文件“{file}”，无法发布',
    'publish.error.asset_refused': '图片文件“{file}”已被改动，不再是审核通过时的图片，不能发布',
    'publish.error.cancelled': '发布任务已取消',
    'publish.action.publish': '发布',
    'publish.action.update': '更新',
    'publish.action.withdraw': '撤回',
    'publish.footer.source': '来源：{source}',
    'publish.target.wordpress': ' WordPress 网站',
    'publish.target.metaweblog': ' MetaWeblog 网站',
    'publish.target.sftp': ' SFTP 服务器',
    'credentials.error.insecure_secret': '密钥文件“{file}”的权限过宽（{mode}），只允许当前用户读写（0600）',
    'credentials.error.damaged': '凭据文件“{file}”已损坏或无法用本机密钥解密；请重新输入密码',
    'credentials.error.unavailable': '本机不支持安全存储，无法保存凭据',
    'publish.error.not_publisher': '只有具有“发布员”角色的人员可以{action}稿件（当前：{name}）',
    'publish.error.credential_role': '只有发布员或管理员可以保存发布目标的密码',
    'publish.error.unknown_site': '找不到网站“{site}”',
    'publish.error.unknown_target': '找不到发布目标“{target}”',
    'publish.error.duplicate_target': '发布目标编号“{target}”已被网站“{site}”使用，编号不能重复',
    'publish.error.site_damaged': '网站配置文件“{file}”无法读取（{detail}）。文件已原样保留，请修复或重新保存网站设置。',
    'publish.error.no_credential': '尚未为{target}保存密码（{name}），请先在网站设置中填写',
    'publish.error.build': '静态网站生成失败：{detail}',
    'publish.error.snapshot_missing': '找不到发布任务的稿件快照（{file}），请重新发布',
    'publish.error.job_not_found': '找不到发布任务 {job}',
    'publish.error.nothing_to_withdraw': '稿件尚未发布到“{target}”，无需撤回',
    'publish.error.preview': '无法生成预览：{detail}',
    'publish.error.site_identifiers': '网站“{site}”还没有填写{fields}，不能发布。请管理员在“设置 → 网站与发布目标 → 页脚信息”中填写本网站的真实编号后再发布。',
    'publish.field.siteCode': '网站标识码',
    'publish.field.icp': 'ICP 备案号',
    'publish.field.police': '公安备案号',
    'publish.error.index_lock':
      '另一个发布程序（{holder}）正在分配索引号，{seconds} 秒内没有完成，本次未发布。请稍后重试；若该程序已退出，锁文件“{file}”会在 {stale} 秒后自动解除。',
  },
  {
    'publish.error.network':
      'Cannot reach {target} ({detail}). The article stays in the outbox and is retried when the network is back.',
    'publish.error.timeout': '{target} did not answer within {seconds} s. The article stays in the outbox and is retried.',
    'publish.error.server': '{target} server error (HTTP {status}): {server}',
    'publish.error.auth': '{target} refused the login ({code}): {server}. Check the user name and application password.',
    'publish.error.forbidden': '{target} refused this action ({code}): {server}. Make sure the account may publish.',
    'publish.error.not_found': '{target} does not have what this action refers to ({code}): {server}',
    'publish.error.rejected': '{target} rejected the request (HTTP {status} {code}): {server}',
    'publish.error.bad_reply': 'The reply from {target} could not be understood ({detail})',
    'publish.error.fault': '{target} returned an error ({code}): {server}',
    'publish.error.not_published': 'The article has not been published to {target} yet, so it cannot be {action}',
    'publish.error.asset_missing': 'Image file "{file}" is missing; the article cannot be published',
    'publish.error.asset_refused': 'Image file "{file}" was changed and is no longer the image that was approved; it cannot be published',
    'publish.error.cancelled': 'The publishing job was cancelled',
    'publish.action.publish': 'published',
    'publish.action.update': 'updated',
    'publish.action.withdraw': 'withdrawn',
    'publish.footer.source': 'Source: {source}',
    'publish.target.wordpress': 'the WordPress site',
    'publish.target.metaweblog': 'the MetaWeblog site',
    'publish.target.sftp': 'the SFTP server',
    'credentials.error.insecure_secret':
      'Key file "{file}" is readable by others (mode {mode}); it must be readable and writable by the current user only (0600)',
    'credentials.error.damaged':
      'Credential file "{file}" is damaged or cannot be decrypted with this machine\'s key; enter the password again',
    'credentials.error.unavailable': 'Secure storage is not available on this machine; credentials cannot be saved',
    'publish.error.not_publisher': 'Only people with the publisher role may {action} articles (you are {name})',
    'publish.error.credential_role': 'Only publishers or administrators may store a target\'s password',
    'publish.error.unknown_site': 'Site "{site}" does not exist',
    'publish.error.unknown_target': 'Publishing target "{target}" does not exist',
    'publish.error.duplicate_target': 'Target id "{target}" is already used by site "{site}"; target ids must be unique',
    'publish.error.site_damaged': 'Site file "{file}" cannot be read ({detail}). It was left as it is; fix it or save the site settings again.',
    'publish.error.no_credential': 'No password stored for {target} ({name}); enter it in the site settings first',
    'publish.error.build': 'The static site could not be built: {detail}',
    'publish.error.snapshot_missing': 'The article snapshot of this job is missing ({file}); publish again',
    'publish.error.job_not_found': 'Publishing job {job} does not exist',
    'publish.error.nothing_to_withdraw': 'The article has not been published to "{target}", nothing to withdraw',
    'publish.error.preview': 'The preview could not be produced: {detail}',
    'publish.error.site_identifiers':
      'Site "{site}" has no {fields} yet, so nothing can be published. An administrator enters the site\'s real numbers under Settings → Sites and publishing targets → Footer, then publish again.',
    'publish.field.siteCode': 'site code (网站标识码)',
    'publish.field.icp': 'ICP licence number',
    'publish.field.police': 'public security filing number (公安备案号)',
    'publish.error.index_lock':
      'Another publishing program ({holder}) is assigning 索引号 and did not finish within {seconds} s, so nothing was published. Try again shortly; if that program has exited, its lock file "{file}" is released after {stale} s.',
  },
);

/** A key of {@link publishMessages}. */
export type PublishMessageKey = keyof (typeof publishMessages)['zh-CN'];

/** Formats a publishing message; Chinese unless asked otherwise. */
export function publishMessage(
  key: PublishMessageKey,
  params: Record<string, string | number> = {},
  locale: Locale = 'zh-CN',
): string {
  const template: string = publishMessages[locale][key] ?? publishMessages['zh-CN'][key];
  return fillTemplate(template, params).trim();
}
