import { defineMessages } from '../define';

/** What the user reads for each API error code (`error.<code>`); the specifics come in `{detail}`. */
export default defineMessages(
  {
    'error.invalid_request': '请求内容有误：{detail}',
    'error.unknown_channel': '未知的操作：{detail}',
    'error.not_found': '找不到该文稿：{detail}',
    'error.conflict': '文稿已在别处修改：{detail}',
    'error.damaged_file': '文件已损坏：{detail}',
    'error.unsupported_file': '无法识别的文件：{detail}',
    'error.too_large': '超出限制：{detail}',
    'error.forbidden': '没有权限：{detail}',
    'error.unauthorized': '未授权的访问：{detail}',
    'error.disk_full': '磁盘空间不足：{detail}',
    'error.not_writable': '没有写入权限：{detail}',
    'error.internal': '程序内部错误：{detail}',
    'error.network': '无法连接到本机服务：{detail}',
    'error.textTooLong': '{field} 有 {count} 个字符，超过上限 {limit} 个字符，未保存；请缩短后再试。',
    'error.nestedTooDeep': '{field} 嵌套超过 {limit} 层，无法处理。',
  },
  {
    'error.invalid_request': 'Invalid request: {detail}',
    'error.unknown_channel': 'Unknown operation: {detail}',
    'error.not_found': 'Article not found: {detail}',
    'error.conflict': 'The article was changed elsewhere: {detail}',
    'error.damaged_file': 'Damaged file: {detail}',
    'error.unsupported_file': 'Unrecognised file: {detail}',
    'error.too_large': 'Over the limit: {detail}',
    'error.forbidden': 'Not permitted: {detail}',
    'error.unauthorized': 'Unauthorised access: {detail}',
    'error.disk_full': 'The disk is full: {detail}',
    'error.not_writable': 'No permission to write: {detail}',
    'error.internal': 'Internal error: {detail}',
    'error.network': 'Cannot reach the local service: {detail}',
    'error.textTooLong': '{field} has {count} characters, over the limit of {limit}; not saved. Shorten it and try again.',
    'error.nestedTooDeep': '{field} nests more than {limit} levels deep and cannot be handled.',
  },
);
