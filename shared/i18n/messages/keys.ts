import { defineMessages } from '../define';

/** The trusted public keys in settings: exporting and importing the list. */
export default defineMessages(
  {
    'keys.heading': "可信公钥",
    'keys.help': "审核包导入时，只承认可信公钥列表中人员的签名。与其他工作站交换审核包前，请互相导出、导入公钥列表。",
    'keys.export': "导出公钥列表",
    'keys.import': "导入公钥列表",
    'keys.imported': "新增 {added} 个公钥，共 {total} 个",
  },
  {
    'keys.heading': "Trusted public keys",
    'keys.help': "Importing a package accepts only signatures by keys in this list. Exchange key lists with other workstations before exchanging packages.",
    'keys.export': "Export key list",
    'keys.import': "Import key list",
    'keys.imported': "{added} keys added, {total} in total",
  },
);
