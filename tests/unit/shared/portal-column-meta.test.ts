// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { ArticleMetaSchema, newArticle } from '../../../shared/domain/article';
import { paragraph } from '../../../shared/domain/doc';
import { renderArticlePage, renderColumnIndexPage, type RenderResult } from '../../../shared/portal/render';
import { defaultSiteProfile, type SiteProfile, SiteProfileSchema } from '../../../shared/portal/site';

const identity = (src: string) => src;

function metaOf(result: RenderResult): Record<string, string | null> {
  if ('error' in result) throw new Error(`unexpected template error: ${JSON.stringify(result.error)}`);
  const page = new DOMParser().parseFromString(result.html, 'text/html');
  return Object.fromEntries([...page.querySelectorAll('meta[name]')].map((m) => [m.getAttribute('name') ?? '', m.getAttribute('content')]));
}

function site(government: Partial<SiteProfile['government']> = {}): SiteProfile {
  const base = defaultSiteProfile();
  return SiteProfileSchema.parse({ ...base, government: { ...base.government, ...government } });
}

const article = newArticle(
  'notice0406',
  '2024-04-06T02:00:00.000Z',
  ArticleMetaSchema.parse({ title: '关于开展安全生产大检查的通知', column: ['首页', '通知公告', '通知'], publishAt: '2024-04-08' }),
  { type: 'doc', content: [paragraph('现将有关事项通知如下。')] },
);
const column = ['首页', '通知公告', '通知'];

describe('ColumnDescription and ColumnKeywords', () => {
  const described = site({
    columnDescriptions: { '通知公告/通知': '发布本区各类工作通知' },
    columnKeywords: { '通知公告/通知': ['通知', '公告'] },
    columnTypes: { '通知公告/通知': '信息公开' },
  });

  it('carry the column’s description and its keywords comma-separated, on its index and on its articles', () => {
    const index = metaOf(renderColumnIndexPage({ site: described, column, items: [article], page: 1, pageCount: 1, total: 1, assets: identity }));
    const page = metaOf(renderArticlePage({ site: described, article, assets: identity }));
    for (const tags of [index, page]) {
      expect(tags).toMatchObject({ ColumnName: '通知', ColumnDescription: '发布本区各类工作通知', ColumnKeywords: '通知,公告', ColumnType: '信息公开' });
    }
  });

  it('are empty, not made up from the column name, when the site has not described the column', () => {
    const tags = metaOf(renderArticlePage({ site: site(), article, assets: identity }));
    expect(tags.ColumnName).toBe('通知');
    expect(tags.ColumnDescription).toBe('');
    expect(tags.ColumnKeywords).toBe('');
  });

  it('belong to the column, so another column’s description does not leak onto this one', () => {
    const other = site({ columnDescriptions: { '要闻动态': '本区要闻' } });
    expect(metaOf(renderArticlePage({ site: other, article, assets: identity })).ColumnDescription).toBe('');
  });
});
