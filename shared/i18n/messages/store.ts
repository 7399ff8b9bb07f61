import { defineMessages } from '../define';

/** What the workspace on disk refuses or cannot do, as the services report it. */
export default defineMessages(
  {
    'store.asset.outside': '附件 {src} 是指向工作区以外的链接，已拒绝读取',
    'store.write.diskFull': '未能写入 {path}；请腾出磁盘空间后重试',
    'store.write.notWritable': '未能写入 {path}；请检查该文件夹的权限，或磁盘是否只读',
  },
  {
    'store.asset.outside': 'The attachment {src} is a link to a place outside the workspace; it was not read',
    'store.write.diskFull': 'Could not write {path}. Free some disk space and try again',
    'store.write.notWritable': 'Could not write {path}. Check the folder’s permissions, or whether the disk is read-only',
  },
);
