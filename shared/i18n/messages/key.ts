import { defineMessages } from '../define';

/** Signing keys and password hashes that cannot be opened (`key.error.<code>`), as the services word them. */
export default defineMessages(
  {
    'key.error.wrong_password': '密码不正确，无法解锁签名密钥',
    'key.error.damaged_key': '签名密钥文件已损坏：{detail}',
    'key.error.unknown_protector': '签名密钥由“{kind}”保护，本机无法解开',
    'key.error.keychain_unavailable':
      '签名密钥另由桌面版的系统钥匙串（safeStorage）加密，在这里无法打开；请在保存它的电脑上用桌面版签名，或请管理员重置密码以签发新密钥',
    'key.error.keychain_mismatch':
      '签名密钥由另一台电脑或另一个系统账户的钥匙串（safeStorage）加密，本机无法打开；请管理员重置密码以签发新密钥',
    'key.error.bad_password_hash': '保存的密码摘要已损坏，无法验证密码',
    'key.error.bad_trusted_keys': '可信公钥列表无法读取：{detail}',
  },
  {
    'key.error.wrong_password': 'Wrong password: the signing key could not be unlocked',
    'key.error.damaged_key': 'The signing key file is damaged: {detail}',
    'key.error.unknown_protector': 'The signing key is protected by "{kind}", which this machine cannot open',
    'key.error.keychain_unavailable':
      "The signing key is also sealed by the desktop app's OS keychain (safeStorage) and cannot be opened here; sign in the desktop app on the computer that holds it, or ask an administrator to reset your password to issue a new key",
    'key.error.keychain_mismatch':
      "The signing key was sealed by the keychain (safeStorage) of another computer or OS account and cannot be opened here; ask an administrator to reset your password to issue a new key",
    'key.error.bad_password_hash': 'The stored password hash is damaged; the password cannot be checked',
    'key.error.bad_trusted_keys': 'The trusted key list cannot be read: {detail}',
  },
);
