import { defineMessages } from '../define';

/** Article states as users see them (草稿, 审核中 …); the services word their messages with them too. */
export default defineMessages(
  {
    'status.draft': '草稿',
    'status.in_review': '审核中',
    'status.changes_requested': '退回修改',
    'status.approved': '已审核',
    'status.published': '已发布',
    'status.withdrawn': '已撤回',
  },
  {
    'status.draft': 'Draft',
    'status.in_review': 'In review',
    'status.changes_requested': 'Changes requested',
    'status.approved': 'Approved',
    'status.published': 'Published',
    'status.withdrawn': 'Withdrawn',
  },
);
