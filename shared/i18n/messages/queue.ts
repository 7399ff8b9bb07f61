import { defineMessages } from '../define';

/** The review queue screen (待我审核). */
export default defineMessages(
  {
    'queue.heading': "待我审核",
    'queue.refresh': "刷新",
    'queue.empty': "目前没有等待您审核的文稿。",
    'queue.col.title': "标题",
    'queue.col.column': "栏目",
    'queue.col.stage': "审核环节",
    'queue.col.submittedBy': "提交人",
    'queue.col.waiting': "等待时间",
  },
  {
    'queue.heading': "Waiting for my review",
    'queue.refresh': "Refresh",
    'queue.empty': "Nothing is waiting for your review.",
    'queue.col.title': "Title",
    'queue.col.column': "Column",
    'queue.col.stage': "Stage",
    'queue.col.submittedBy': "Submitted by",
    'queue.col.waiting': "Waiting since",
  },
);
