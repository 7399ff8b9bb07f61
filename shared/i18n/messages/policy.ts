import { defineMessages } from '../define';

/** The signed office policy: the notes each version carries about what changed. */
export default defineMessages(
  {
    'policy.note.setup': '建立办公室：首位管理员',
    'policy.note.people': '人员变动：{name}',
    'policy.note.reset': '重置密码：{name}（原密钥自此吊销）',
    'policy.note.chain': '修改审核流程',
    'policy.note.pending': '签署此前未经管理员签名的人员与流程变动',
    'policy.note.revokeKey': '吊销密钥：{name}（{keyId}），原因：{reason}',
    'policy.error.notInPolicy': '“{name}”尚未经管理员签署进入办公室名单，暂不能进行需要签名的操作；请管理员登录一次以签署人员变动',
  },
  {
    'policy.note.setup': 'Office set up: the first administrator',
    'policy.note.people': 'People changed: {name}',
    'policy.note.reset': 'Password reset: {name} (the old key is revoked from now)',
    'policy.note.chain': 'Review chain changed',
    'policy.note.pending': 'Signing changes to people and the chain made without an administrator’s signature',
    'policy.note.revokeKey': 'Key revoked: {name} ({keyId}), because: {reason}',
    'policy.error.notInPolicy':
      '“{name}” is not yet in the office list signed by an administrator and cannot sign yet; an administrator must sign in once to sign the change',
  },
);
