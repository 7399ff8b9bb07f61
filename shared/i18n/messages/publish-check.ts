import { defineMessages } from '../define';

/** The pre-publish checklist's lines (shared/workflow/pre-publish-checklist.ts), shown in the publish panel and by the CLI. */
export default defineMessages(
  {
    'publish.check.title.ok': '标题已填写',
    'publish.check.title.missing': '缺少标题',
    'publish.check.column.ok': '栏目已选择',
    'publish.check.column.missing': '未选择栏目',
    'publish.check.publishAt.ok': '发布时间已填写',
    'publish.check.publishAt.missing': '缺少发布时间',
    'publish.check.source.ok': '来源已填写',
    'publish.check.source.missing': '缺少来源',
    'publish.check.imageAlt.ok': '所有图片都有替代文字',
    'publish.check.imageAlt.missing': '{count} 张图片缺少替代文字：{list}',
    'publish.check.imageSource.ok': '所有图片都保存在文稿中，已计入审核摘要',
    'publish.check.imageSource.foreign': '{count} 张图片不是文稿中保存的图片（不受审核签名保护）：{list}；请下载后插入文稿',
    'publish.check.links.ok': '链接格式正确',
    'publish.check.links.bad': '{count} 个链接格式不正确：{list}',
  },
  {
    'publish.check.title.ok': 'Title present',
    'publish.check.title.missing': 'Title missing',
    'publish.check.column.ok': 'Column chosen',
    'publish.check.column.missing': 'No column chosen',
    'publish.check.publishAt.ok': 'Publication time present',
    'publish.check.publishAt.missing': 'Publication time missing',
    'publish.check.source.ok': 'Source present',
    'publish.check.source.missing': 'Source missing',
    'publish.check.imageAlt.ok': 'Every image has alt text',
    'publish.check.imageAlt.missing': '{count} image(s) without alt text: {list}',
    'publish.check.imageSource.ok': 'Every image is stored in the article and covered by the approved hash',
    'publish.check.imageSource.foreign': "{count} image(s) are not stored in the article (so not covered by the approvals' signatures): {list}; download them and insert them into the article",
    'publish.check.links.ok': 'Links are well-formed',
    'publish.check.links.bad': '{count} malformed link(s): {list}',
  },
);
