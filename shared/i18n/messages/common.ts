import { defineMessages } from '../define';

/** Words every screen uses: OK, cancel, close, save, delete, loading. */
export default defineMessages(
  {
    'common.ok': '确定',
    'common.cancel': '取消',
    'common.close': '关闭',
    'common.save': '保存',
    'common.delete': '删除',
    'common.loading': '正在加载…',
  },
  {
    'common.ok': 'OK',
    'common.cancel': 'Cancel',
    'common.close': 'Close',
    'common.save': 'Save',
    'common.delete': 'Delete',
    'common.loading': 'Loading…',
  },
);
