import { defineMessages } from '../define';

/**
 * Transfer-package verification: refusals (`package.error.<code>`), what each
 * entry of a package is, and the checks listed when one is verified.
 */
export default defineMessages(
  {
    'package.error.not_a_package': '这不是 Gazette 传输包文件',
    'package.error.truncated': '传输包不完整（文件被截断），可能复制或下载未完成，请重新导出',
    'package.error.damaged': '传输包已损坏，无法读取：{detail}',
    'package.error.future_version':
      '传输包由更新版本的 Gazette 生成（格式版本 {version}，本机支持到 {supported}），请升级后再导入',
    'package.error.old_version': '传输包的格式版本 {version} 已不再支持',
    'package.error.malformed': '传输包结构不正确：{detail}',
    'package.error.unsafe_path': '传输包中含有不安全的文件名：{path}',
    'package.error.unknown_exporter': '导出人的公钥（{keyId}）不在本机的可信公钥列表中',
    'package.error.bad_package_signature': '传输包的签名无效：文件在导出后被改动过',
    'package.error.missing_entry': '传输包缺少文件：{path}',
    'package.error.unexpected_entry': '传输包中有清单以外的文件：{path}',
    'package.error.entry_digest_mismatch': '传输包中的“{path}”（{what}）与签名时不一致，已被改动',
    'package.error.bad_entry': '传输包中的“{path}”无法读取：{detail}',
    'package.error.content_hash_mismatch': '文稿“{title}”的内容与清单中记录的摘要不一致',
    'package.error.unknown_approver_key':
      '文稿“{title}”的“{stage}”审核签名使用的公钥（{keyId}）不在可信公钥列表中',
    'package.error.approver_mismatch': '文稿“{title}”的“{stage}”审核签名所用公钥不属于审核人 {personId}',
    'package.error.bad_approval_signature': '文稿“{title}”的“{stage}”审核签名无效，审核记录已被改动',
    'package.error.approval_hash_mismatch':
      '文稿“{title}”的“{stage}”审核意见针对的不是包中的这份内容（摘要不符）',
    'package.what.article': '正文与文稿信息',
    'package.what.review': '审核记录',
    'package.what.events': '审核日志',
    'package.what.revision': '历史版本',
    'package.what.asset': '附件或图片',
    'package.check.format': '文件格式：Gazette 传输包，格式版本 {version}',
    'package.check.exporter': '导出人：{name}（公钥 {keyId}），在可信公钥列表中',
    'package.check.signature': '传输包签名有效',
    'package.check.entries': '{count} 个文件的 SHA-256 摘要全部相符',
    'package.check.article': '文稿“{title}”：内容摘要 {hash}',
    'package.check.approval': '文稿“{title}”：“{stage}”由 {personId} 审核，签名有效（公钥 {keyId}），摘要相符',
  },
  {
    'package.error.not_a_package': 'This is not a Gazette transfer package',
    'package.error.truncated': 'The package is incomplete (truncated); copying or downloading may not have finished. Export it again',
    'package.error.damaged': 'The package is damaged and cannot be read: {detail}',
    'package.error.future_version':
      'The package was made by a newer Gazette (format version {version}; this one supports up to {supported}). Update before importing',
    'package.error.old_version': 'Package format version {version} is no longer supported',
    'package.error.malformed': 'The package structure is wrong: {detail}',
    'package.error.unsafe_path': 'The package contains an unsafe file name: {path}',
    'package.error.unknown_exporter': "The exporter's public key ({keyId}) is not in this machine's trusted key list",
    'package.error.bad_package_signature': 'The package signature is invalid: the file was changed after export',
    'package.error.missing_entry': 'The package is missing a file: {path}',
    'package.error.unexpected_entry': 'The package contains a file not listed in its manifest: {path}',
    'package.error.entry_digest_mismatch': '"{path}" ({what}) differs from what was signed: it was changed',
    'package.error.bad_entry': '"{path}" in the package cannot be read: {detail}',
    'package.error.content_hash_mismatch': 'The content of "{title}" does not match the digest in the manifest',
    'package.error.unknown_approver_key':
      'The "{stage}" approval of "{title}" was signed with a key ({keyId}) that is not in the trusted key list',
    'package.error.approver_mismatch': 'The key that signed the "{stage}" approval of "{title}" does not belong to reviewer {personId}',
    'package.error.bad_approval_signature': 'The "{stage}" approval signature of "{title}" is invalid: the review record was changed',
    'package.error.approval_hash_mismatch':
      'The "{stage}" approval of "{title}" is about different content than this package holds (digest mismatch)',
    'package.what.article': 'text and metadata',
    'package.what.review': 'review record',
    'package.what.events': 'audit log',
    'package.what.revision': 'revision',
    'package.what.asset': 'attachment or image',
    'package.check.format': 'Format: Gazette transfer package, format version {version}',
    'package.check.exporter': 'Exporter: {name} (key {keyId}), in the trusted key list',
    'package.check.signature': 'Package signature valid',
    'package.check.entries': 'SHA-256 digests of all {count} files match',
    'package.check.article': '"{title}": content hash {hash}',
    'package.check.approval': '"{title}": "{stage}" approved by {personId}, signature valid (key {keyId}), hash matches',
  },
);
