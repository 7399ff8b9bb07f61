import { defineMessages } from '../define';

/** The Electron shell's dialogs: about, a workspace that cannot be opened or saved, unsaved changes at closing. */
export default defineMessages(
  {
    'shell.about.detail': '版本 {version}\n文稿目录：{path}',
    'shell.workspaceFailed.title': '无法打开文稿目录',
    'shell.workspaceFailed.detail': '无法打开文稿目录 {path}：{detail}\n\n程序将退出，已有文稿不会被改动。',
    'shell.closeFailed': '保存文稿目录时出错：{detail}',
    'shell.unsaved.title': '仍有修改未保存',
    'shell.unsaved.message': '文稿的最新修改还没有保存完。现在关闭可能丢失这些修改。',
    'shell.unsaved.stay': '等待保存',
    'shell.unsaved.leave': '仍然关闭',
  },
  {
    'shell.about.detail': 'Version {version}\nWorkspace: {path}',
    'shell.workspaceFailed.title': 'Cannot open the workspace',
    'shell.workspaceFailed.detail':
      'Cannot open the workspace {path}: {detail}\n\nGazette will quit; existing articles are left untouched.',
    'shell.closeFailed': 'Error while saving the workspace: {detail}',
    'shell.unsaved.title': 'Unsaved changes',
    'shell.unsaved.message': 'The latest changes to the article are not saved yet. Closing now may lose them.',
    'shell.unsaved.stay': 'Wait for the save',
    'shell.unsaved.leave': 'Close anyway',
  },
);
