import { defineMessages } from '../define';

/** The app's name, and what a part of the interface shows when it crashes. */
export default defineMessages(
  {
    'app.name': 'Gazette 编辑工作站',
    'app.crash.title': '界面出错了',
    'app.crash.body': '这一页无法显示。已保存的文稿不受影响，本机保留的未保存内容会在重新打开文稿时提示恢复。',
    'app.crash.back': '返回文稿列表',
  },
  {
    'app.name': 'Gazette editorial workstation',
    'app.crash.title': 'Something went wrong',
    'app.crash.body':
      'This page cannot be shown. Saved articles are not affected; unsaved changes kept on this computer will be offered when you reopen the article.',
    'app.crash.back': 'Back to the article list',
  },
);
