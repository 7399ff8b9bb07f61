import { defineMessages } from '../define';

/** The new-article dialog: the template and the meeting template's fields. */
export default defineMessages(
  {
    'newArticle.title': '新建文稿',
    'newArticle.template': '选择模板',
    'newArticle.describe.meeting': '会议报道：按会议信息生成导语和参会人员段落',
    'newArticle.describe.notice': '通知：标题、正文、落款单位和日期',
    'newArticle.describe.announcement': '公告：正式公告的标准格式',
    'newArticle.describe.policy': '政策文件：公文格式，含信息公开字段',
    'newArticle.describe.event': '活动报道：时间、地点、活动内容',
    'newArticle.describe.blank': '空白文稿：从零开始',
    'newArticle.meetingDate': '会议日期',
    'newArticle.date': '日期',
    'newArticle.create': '创建并打开',
    'newArticle.creating': '正在创建…',
  },
  {
    'newArticle.title': 'New article',
    'newArticle.template': 'Template',
    'newArticle.describe.meeting': 'Meeting news: lead and attendees paragraph generated from the meeting details',
    'newArticle.describe.notice': 'Notice: title, body, issuing unit and date',
    'newArticle.describe.announcement': 'Announcement: the standard formal layout',
    'newArticle.describe.policy': 'Policy document: official-document layout with the public-disclosure fields',
    'newArticle.describe.event': 'Event report: time, place and what happened',
    'newArticle.describe.blank': 'Blank: start from scratch',
    'newArticle.meetingDate': 'Meeting date',
    'newArticle.date': 'Date',
    'newArticle.create': 'Create and open',
    'newArticle.creating': 'Creating…',
  },
);
