import { describe, expect, it } from 'vitest';
import { buildPublishPayload } from '../../../node/services/publish/outbox/payload';
import { jobMarker, withJobMarker } from '../../../node/services/publish/outbox/target';
import { ArticleMetaSchema, newArticle } from '../../../shared/domain/article';
import type { Doc } from '../../../shared/domain/doc';
import { POST_SLUG_MAX, postSlug } from '../../../shared/portal/post-slug';

const doc: Doc = { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: '会议强调，要抓好落实。' }] }] };

function article(meta: Record<string, unknown>) {
  return newArticle('Art0520abc', '2021-05-20T01:00:00.000Z', ArticleMetaSchema.parse({ title: '区委常委会召开专题会议', ...meta }), doc);
}

describe('readable post slugs', () => {
  it('is the title in pinyin by default: lowercase ASCII, syllables joined by -, digits and Latin words kept', () => {
    expect(postSlug({ title: '区委召开2024年第3次专题会议', date: null, articleId: 'x' })).toBe('qu-wei-zhao-kai-2024-nian-di-3-ci-zhuan-ti-hui-yi');
    expect(postSlug({ title: '绿色GDP：“女”性就业', date: null, articleId: 'x' })).toBe('lv-se-gdp-nv-xing-jiu-ye');
  });

  it('follows the target pattern with the publication date and article id', () => {
    const input = { title: '专题会议', date: '2021-05-20T09:30', articleId: 'Art0520abc' };
    expect(postSlug(input, '{yyyy}{mm}{dd}-{title}')).toBe('20210520-zhuan-ti-hui-yi');
    expect(postSlug(input, 'news-{id}')).toBe('news-art0520abc');
  });

  it('is cut at a syllable boundary within the length limit, and never empty', () => {
    const long = postSlug({ title: '关于进一步加强和改进新时代开发区党政办公室信息公开与网站内容管理工作的实施意见', date: null, articleId: 'x' });
    expect(long.length).toBeLessThanOrEqual(POST_SLUG_MAX);
    expect(long).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
    expect(long.startsWith('guan-yu-jin-yi-bu')).toBe(true);
    expect(postSlug({ title: '！？', date: null, articleId: 'Art0520abc' })).toBe('art0520abc');
  });
});

describe('the job marker', () => {
  it('goes inside the last element, so no empty paragraph appears around it', () => {
    expect(withJobMarker('<p>一</p>\n<p>二</p>\n', 'ABC')).toBe(`<p>一</p>\n<p>二${jobMarker('ABC')}</p>`);
    expect(withJobMarker('纯文本', 'abc')).toBe(`纯文本${jobMarker('abc')}`);
  });
});

describe('what a WordPress or MetaWeblog post carries', () => {
  it('keeps 作者 / 摄影 / 责任编辑 in an info line printed by the portal code, and as post meta', () => {
    const payload = buildPublishPayload(article({ author: '张三', photographer: '李四', editor: '王五' }), { assetsDir: '/nowhere' });
    expect(payload.html).toContain('<p class="gz-info"><span>作者：张三</span> <span>摄影：李四</span> <span>责任编辑：王五</span></p>');
    expect(payload.postMeta).toEqual({ gazette_author: '张三', gazette_photographer: '李四', gazette_editor: '王五' });
    expect(payload.slug).toBe('qu-wei-chang-wei-hui-zhao-kai-zhuan-ti-hui-yi');
    expect(payload.bodyText).toEqual(['会议强调，要抓好落实。']);
  });

  it('leaves out credits nobody filled in', () => {
    const payload = buildPublishPayload(article({ author: '张三' }), { assetsDir: '/nowhere' });
    expect(payload.html).toContain('<p class="gz-info"><span>作者：张三</span></p>');
    expect(payload.postMeta).toEqual({ gazette_author: '张三' });
    const none = buildPublishPayload(article({}), { assetsDir: '/nowhere' });
    expect(none.html).not.toContain('gz-info');
    expect(none.postMeta).toBeNull();
  });
});
