import { defineMessages } from '../define';

/** The templates offered for a new article. */
export default defineMessages(
  {
    'template.meeting': '会议新闻',
    'template.notice': '通知',
    'template.announcement': '公告',
    'template.policy': '政策文件',
    'template.event': '活动报道',
    'template.blank': '空白文稿',
  },
  {
    'template.meeting': 'Meeting news',
    'template.notice': 'Notice',
    'template.announcement': 'Announcement',
    'template.policy': 'Policy document',
    'template.event': 'Event report',
    'template.blank': 'Blank',
  },
);
