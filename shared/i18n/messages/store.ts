import { defineMessages } from '../define';

/** What the workspace on disk refuses or cannot do, as the services report it. */
export default defineMessages(
  {
    'store.asset.outside': '附件 {src} 是指向工作区以外的链接，已拒绝读取',
    'store.write.diskFull': '未能写入 {path}；请腾出磁盘空间后重试',
    'store.write.notWritable': '未能写入 {path}；请检查该文件夹的权限，或磁盘是否只读',
    'store.lock.held': '工作区正被{program}使用（进程 {pid}，主机 {host}，自 {since} 起）。请先关闭它再试；若它已不在运行，可删除 {file}',
    'store.lock.takenOver': '{program}（进程 {pid}，自 {since} 起）已不在运行，接管了它留下的工作区锁 {file}',
    'store.lock.busy': '工作区锁 {file} 一直在变化，未能打开工作区；请稍后再试',
    'store.lock.program.desktop': '桌面应用',
    'store.lock.program.web': '网页服务',
    'store.lock.program.cli': '命令行',
    'store.secret.elsewhere': '{name} 的密码是在另一个账户或另一台电脑上保存的，本机无法解开；请在网站设置中重新输入',
  },
  {
    'store.asset.outside': 'The attachment {src} is a link to a place outside the workspace; it was not read',
    'store.write.diskFull': 'Could not write {path}. Free some disk space and try again',
    'store.write.notWritable': 'Could not write {path}. Check the folder’s permissions, or whether the disk is read-only',
    'store.lock.held': 'The workspace is in use by {program} (process {pid} on {host}, since {since}). Close it first; if it is no longer running, delete {file}',
    'store.lock.takenOver': 'Took over the workspace lock {file}: {program} (process {pid}, since {since}), which left it, is no longer running',
    'store.lock.busy': 'The workspace lock {file} kept changing, so the workspace was not opened; try again shortly',
    'store.lock.program.desktop': 'the desktop app',
    'store.lock.program.web': 'the web host',
    'store.lock.program.cli': 'a command-line tool',
    'store.secret.elsewhere': 'The password of {name} was saved under another account or on another computer and cannot be read here; enter it again in the site settings',
  },
);
