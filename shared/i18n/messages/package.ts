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
      '传输包的格式版本为 {version}，本程序只支持到 {supported}，请升级 Gazette 后再导入',
    'package.error.old_version': '传输包的格式版本 {version} 不带签名的审核记录，已不再接受；请在原工作站升级 Gazette 后重新导出',
    'package.error.malformed': '传输包结构不正确：{detail}',
    'package.error.unsafe_path': '传输包中含有不安全的文件名：{path}',
    'package.error.unknown_exporter': '导出人的密钥（{keyId}）不是本办公室策略中的有效密钥',
    'package.error.bad_package_signature': '传输包的签名无效：文件在导出后被改动过',
    'package.error.missing_entry': '传输包缺少文件：{path}',
    'package.error.unexpected_entry': '传输包中有清单以外的文件：{path}',
    'package.error.entry_digest_mismatch': '传输包中的“{path}”（{what}）与签名时不一致，已被改动',
    'package.error.bad_entry': '传输包中的“{path}”无法读取：{detail}',
    'package.error.content_hash_mismatch': '文稿“{title}”的内容（含图片）与清单中记录的摘要不一致',
    'package.error.foreign_office': '传输包来自另一个办公室：它的人员和密钥不是由本办公室的根密钥签发的，本机无法核验其中的签名，未导入',
    'package.error.policy': '传输包中的办公室策略不可信：{detail}',
    'package.error.policy_diverged': '传输包中的办公室策略第 {version} 版与本机的不同：两处各自修改过人员或审核流程，请管理员先核对',
    'package.error.record': '文稿“{title}”的审核记录无法验证：{detail}',
    'package.error.stale': '文稿“{title}”在本机的审核记录比传输包中的新（本机 {local} 条，包中 {incoming} 条）：这是一个旧的传输包，未导入',
    'package.error.purged': '文稿“{title}”已于 {at} 在本机彻底删除，传输包不会把它恢复',
    'package.error.asset': '文稿“{title}”的附件不被接受：{detail}',
    'package.error.exporter_revoked':
      '传输包由 {name} 的密钥签名，该密钥已于 {revokedAt} 吊销（{reason}）：这样的包只能带来该密钥有效时已经签名的内容，文稿“{title}”的这一版没有这样的签名，整个传输包未导入。请 {name} 取得新密钥后重新导出，或由仍有有效密钥的同事接手',
    'package.error.raced': '导入文稿“{title}”时，本机刚刚又有人对它签署了新的审核操作；为免记录错乱，这篇未导入，请重新导入该传输包',
    'package.what.article': '正文与文稿信息',
    'package.what.record': '签名审核记录',
    'package.what.policy': '办公室策略',
    'package.what.revision': '历史版本',
    'package.what.asset': '附件或图片',
    'package.check.format': '文件格式：Gazette 传输包，格式版本 {version}',
    'package.check.policy': '办公室策略：第 1–{version} 版均由本办公室的管理员签名，验证通过',
    'package.check.exporter': '导出人：{name}（密钥 {keyId}），导出时有效',
    'package.check.signature': '传输包签名有效',
    'package.check.exporterRevoked': '导出人 {name} 的密钥已于 {revokedAt} 吊销（{reason}）：传输包的签名只证明文件未被改动，只接受该密钥有效时已签名的内容，不带历史版本',
    'package.check.entries': '{count} 个文件的 SHA-256 摘要全部相符',
    'package.check.article': '文稿“{title}”：内容摘要 {hash}（含 {assets} 个附件）',
    'package.check.record': '文稿“{title}”：{count} 条签名审核记录全部验证通过，状态：{status}',
    'package.check.approval': '文稿“{title}”：“{stage}”由 {name} 审核，签名有效，摘要相符',
  },
  {
    'package.error.not_a_package': 'This is not a Gazette transfer package',
    'package.error.truncated': 'The package is incomplete (truncated); copying or downloading may not have finished. Export it again',
    'package.error.damaged': 'The package is damaged and cannot be read: {detail}',
    'package.error.future_version':
      'The package has format version {version}; this program supports up to {supported}. Update Gazette and import again',
    'package.error.old_version':
      'Package format version {version} carries no signed review record and is no longer accepted; update Gazette on the exporting workstation and export again',
    'package.error.malformed': 'The package structure is wrong: {detail}',
    'package.error.unsafe_path': 'The package contains an unsafe file name: {path}',
    'package.error.unknown_exporter': "The exporter's key ({keyId}) is not a valid key in this office's policy",
    'package.error.bad_package_signature': 'The package signature is invalid: the file was changed after export',
    'package.error.missing_entry': 'The package is missing a file: {path}',
    'package.error.unexpected_entry': 'The package contains a file not listed in its manifest: {path}',
    'package.error.entry_digest_mismatch': '"{path}" ({what}) differs from what was signed: it was changed',
    'package.error.bad_entry': '"{path}" in the package cannot be read: {detail}',
    'package.error.content_hash_mismatch': 'The content of "{title}" (images included) does not match the digest in the manifest',
    'package.error.foreign_office':
      "The package comes from another office: its people and keys were not issued under this office's root key, so its signatures cannot be checked here. Nothing was imported",
    'package.error.policy': 'The office policy in the package cannot be trusted: {detail}',
    'package.error.policy_diverged':
      "Version {version} of the office policy in the package differs from this machine's: people or the review chain were changed in both places; an administrator must reconcile them first",
    'package.error.record': 'The review record of "{title}" does not verify: {detail}',
    'package.error.stale':
      'The review record of "{title}" on this machine is newer than the package\'s ({local} entries here, {incoming} in the package): this is an old package and was not imported',
    'package.error.purged': '"{title}" was purged on this machine at {at}; a package does not bring it back',
    'package.error.asset': 'An attachment of "{title}" is not accepted: {detail}',
    'package.error.exporter_revoked':
      'The package is signed by {name}\'s key, revoked at {revokedAt} ({reason}): such a package brings only what was signed while the key was valid, and this version of "{title}" was not, so nothing was imported. Ask {name} to export again with a new key, or a colleague with a valid key to take the work over',
    'package.error.raced':
      'While "{title}" was being imported, someone here signed a new review act on it; to keep its record in order it was not imported. Import the package again',
    'package.what.article': 'text and metadata',
    'package.what.record': 'signed review record',
    'package.what.policy': 'office policy',
    'package.what.revision': 'revision',
    'package.what.asset': 'attachment or image',
    'package.check.format': 'Format: Gazette transfer package, format version {version}',
    'package.check.policy': "Office policy: versions 1–{version} are all signed by this office's administrators and verify",
    'package.check.exporter': 'Exporter: {name} (key {keyId}), valid when exported',
    'package.check.signature': 'Package signature valid',
    'package.check.exporterRevoked':
      "{name}'s key was revoked at {revokedAt} ({reason}): the package's signature only shows the file is unchanged; only what was signed while the key was valid is accepted, without revisions",
    'package.check.entries': 'SHA-256 digests of all {count} files match',
    'package.check.article': '"{title}": content hash {hash} ({assets} attachments included)',
    'package.check.record': '"{title}": all {count} signed review entries verify; status: {status}',
    'package.check.approval': '"{title}": "{stage}" approved by {name}, signature valid, hash matches',
  },
);
