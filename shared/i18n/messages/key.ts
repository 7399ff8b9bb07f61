import { defineMessages } from '../define';

/** Signing keys and password hashes that cannot be opened (`key.error.<code>`), as the services word them. */
export default defineMessages(
  {
    'key.error.wrong_password': '密码不正确，无法解锁签名密钥',
    'key.error.damaged_key': '签名密钥文件已损坏：{detail}',
    'key.error.unknown_protector': '签名密钥由“{kind}”保护，本机无法解开',
    'key.error.bad_password_hash': '保存的密码摘要已损坏，无法验证密码',
    'key.error.bad_trusted_keys': '可信公钥列表无法读取：{detail}',
  },
  {
    'key.error.wrong_password': 'Wrong password: the signing key could not be unlocked',
    'key.error.damaged_key': 'The signing key file is damaged: {detail}',
    'key.error.unknown_protector': 'The signing key is protected by "{kind}", which this machine cannot open',
    'key.error.bad_password_hash': 'The stored password hash is damaged; the password cannot be checked',
    'key.error.bad_trusted_keys': 'The trusted key list cannot be read: {detail}',
  },
);
