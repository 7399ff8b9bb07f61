import { defineMessages } from '../define';

/** The trash: restoring articles and deleting them for good. */
export default defineMessages(
  {
    'trash.heading': '回收站',
    'trash.hint': '回收站中的文稿可以恢复；彻底删除后无法找回。',
    'trash.empty': '回收站是空的。',
    'trash.col.trashedAt': '删除时间',
    'trash.col.trashedBy': '删除人',
    'trash.col.actions': '操作',
    'trash.restore': '恢复',
    'trash.restoreNamed': '恢复「{title}」',
    'trash.purge': '彻底删除',
    'trash.purgeNamed': '彻底删除「{title}」',
    'trash.purge.title': '彻底删除文稿',
    'trash.purge.message': '确定要彻底删除「{title}」吗？正文与图片将无法恢复；审核记录会作为存档保留。',
    'trash.restored': '已恢复「{title}」',
    'trash.purged': '已彻底删除「{title}」',
  },
  {
    'trash.heading': 'Trash',
    'trash.hint': 'Articles in the trash can be restored; once deleted permanently they are gone.',
    'trash.empty': 'The trash is empty.',
    'trash.col.trashedAt': 'Deleted',
    'trash.col.trashedBy': 'Deleted by',
    'trash.col.actions': 'Actions',
    'trash.restore': 'Restore',
    'trash.restoreNamed': 'Restore “{title}”',
    'trash.purge': 'Delete permanently',
    'trash.purgeNamed': 'Delete “{title}” permanently',
    'trash.purge.title': 'Delete permanently',
    'trash.purge.message': 'Delete “{title}” permanently? The text and images cannot be recovered; the review record is kept as an archive.',
    'trash.restored': 'Restored “{title}”',
    'trash.purged': 'Deleted “{title}” permanently',
  },
);
