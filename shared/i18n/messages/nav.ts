import { defineMessages } from '../define';

/** The main navigation, with the review queue's count. */
export default defineMessages(
  {
    'nav.label': '主导航',
    'nav.articles': '文稿列表',
    'nav.trash': '回收站',
    'nav.settings': '设置',
    'nav.queue': "待我审核",
    'nav.queueCount': "{n} 篇待审核",
    'nav.pending': '待发布',
  },
  {
    'nav.label': 'Main navigation',
    'nav.articles': 'Articles',
    'nav.trash': 'Trash',
    'nav.settings': 'Settings',
    'nav.queue': "To review",
    'nav.queueCount': "{n} waiting for review",
    'nav.pending': 'To publish',
  },
);
