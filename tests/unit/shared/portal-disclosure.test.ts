// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { ArticleMetaSchema, newArticle } from '../../../shared/domain/article';
import { paragraph } from '../../../shared/domain/doc';
import { renderRss } from '../../../shared/portal/feeds';
import { renderArticlePage, renderColumnIndexPage, renderHomePage, type RenderResult } from '../../../shared/portal/render';
import { defaultSiteProfile, type SiteProfile, SiteProfileSchema } from '../../../shared/portal/site';

const identity = (src: string) => src;

function html(result: RenderResult): string {
  if ('error' in result) throw new Error(`unexpected template error: ${JSON.stringify(result.error)}`);
  return result.html;
}

const parse = (markup: string) => new DOMParser().parseFromString(markup, 'text/html');
const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();

function site(government: Partial<SiteProfile['government']> = {}): SiteProfile {
  const base = defaultSiteProfile();
  // The office's own 网站标识码, entered explicitly: a new site profile has none.
  return SiteProfileSchema.parse({ ...base, footer: { ...base.footer, siteCode: '4107000012' }, government: { ...base.government, ...government } });
}

const notice = newArticle(
  'notice0406',
  '2024-04-06T02:00:00.000Z',
  ArticleMetaSchema.parse({
    title: '关于开展安全生产大检查的通知',
    column: ['首页', '通知公告', '通知'],
    publishAt: '2024-04-08T09:30',
    source: '区党政办',
    author: '张明',
    keywords: ['安全生产', '检查'],
    summary: '部署开展安全生产大检查。',
    template: 'notice',
    disclosure: {
      publisher: '新乡经济技术开发区党政办公室',
      writtenAt: '2024-04-06',
      docNo: '新开政办〔2024〕7号',
      topic: '市场监管、安全生产监管\\安全生产监管',
      genre: '通知',
      validity: { state: '有效', from: '2024-04-08', until: null },
    },
  }),
  { type: 'doc', content: [paragraph('各园区、各部门：', { role: 'addressee' }), paragraph('现将有关事项通知如下。')] },
);

const published = { indexNo: '003087762/2024-00007', reviews: [
  { stage: '科室初审', name: '李华' },
  { stage: '分管领导审核', name: '王强' },
  { stage: '主要领导终审', name: '赵刚' },
] };

describe('the 信息公开 table on the article page', () => {
  const doc = parse(html(renderArticlePage({ site: site({ indexOrganCode: '003087762' }), article: notice, assets: identity, publication: published })));

  it('stands above the title with the published 索引号 and every filled field', () => {
    const table = doc.querySelector('article table.disclosure');
    expect(table).not.toBeNull();
    expect(table?.nextElementSibling?.matches('h1.article-title')).toBe(true);
    const cells = Object.fromEntries([...(table?.querySelectorAll('th') ?? [])].map((th) => [text(th), text(th.nextElementSibling)]));
    expect(cells).toMatchObject({
      索引号: '003087762/2024-00007',
      主题分类: '市场监管、安全生产监管\\安全生产监管',
      发布机构: '新乡经济技术开发区党政办公室',
      成文日期: '2024年4月6日',
      文号: '新开政办〔2024〕7号',
      发布日期: '2024年4月8日',
      体裁分类: '通知',
      有效性: '有效（2024年4月8日起）',
      标题: '关于开展安全生产大检查的通知',
      关键词: '安全生产、检查',
    });
  });

  it('says the 索引号 comes at publication in the preview instead of printing a blank or a guess', () => {
    const preview = parse(html(renderArticlePage({ site: site({ indexOrganCode: '003087762' }), article: notice, assets: identity })));
    expect(text(preview.querySelector('table.disclosure'))).toContain('发布时生成');
    const live = parse(html(renderArticlePage({ site: site({ indexOrganCode: '003087762' }), article: notice, assets: identity, publication: null })));
    expect(text(live.querySelector('table.disclosure'))).not.toContain('索引号');
  });

  it('is absent for an article without the fields', () => {
    const plain = { ...notice, meta: ArticleMetaSchema.parse({ ...notice.meta, disclosure: undefined }) };
    const page = parse(html(renderArticlePage({ site: site(), article: plain, assets: identity, publication: published })));
    expect(page.querySelector('table.disclosure')).toBeNull();
  });
});

describe('三审 lines', () => {
  it('are off by default', () => {
    const page = parse(html(renderArticlePage({ site: site(), article: notice, assets: identity, publication: published })));
    expect(page.querySelector('.article-reviews')).toBeNull();
  });

  it('print 一审/二审/三审 with the approvers in the chain order when the site turns them on', () => {
    const page = parse(html(renderArticlePage({ site: site({ showReviews: true }), article: notice, assets: identity, publication: published })));
    expect([...page.querySelectorAll('.article-reviews p')].map(text)).toEqual(['一审：李华', '二审：王强', '三审：赵刚']);
  });

  it('print nothing in the preview, where no approval has been verified for publication', () => {
    const page = parse(html(renderArticlePage({ site: site({ showReviews: true }), article: notice, assets: identity })));
    expect(page.querySelector('.article-reviews')).toBeNull();
  });
});

describe('government website <meta> elements', () => {
  const profile = site({ columnTypes: { '通知公告/通知': '信息公开' } });
  const meta = (markup: string) => {
    const page = parse(markup);
    return Object.fromEntries([...page.querySelectorAll('meta[name]')].map((m) => [m.getAttribute('name'), m.getAttribute('content')]));
  };

  it('an article page carries the site, column and article elements with the specified formats', () => {
    const tags = meta(html(renderArticlePage({ site: profile, article: notice, assets: identity, publication: published })));
    expect(tags).toMatchObject({
      SiteName: '新乡经济技术开发区',
      SiteDomain: 'www.xxkfq.gov.cn',
      SiteIDCode: '4107000012',
      ColumnName: '通知',
      ColumnType: '信息公开',
      ArticleTitle: '关于开展安全生产大检查的通知',
      PubDate: '2024-04-08 09:30',
      ContentSource: '区党政办',
      Keywords: '安全生产,检查',
      Author: '张明',
      Description: '部署开展安全生产大检查。',
      Image: '',
    });
    expect(tags.Url).toMatch(/^https:\/\/www\.xxkfq\.gov\.cn\/tz\/202404\/t20240408_notice0406\.html$/);
  });

  it('leaves PubDate a bare date rather than inventing a time', () => {
    const dateOnly = { ...notice, meta: { ...notice.meta, publishAt: '2024-04-08' } };
    expect(meta(html(renderArticlePage({ site: profile, article: dateOnly, assets: identity }))).PubDate).toBe('2024-04-08');
  });

  it('column and home pages carry the elements that apply to them', () => {
    const column = meta(html(renderColumnIndexPage({ site: profile, column: ['首页', '通知公告', '通知'], items: [notice], page: 1, pageCount: 1, total: 1, assets: identity })));
    expect(column).toMatchObject({ SiteIDCode: '4107000012', ColumnName: '通知', ColumnType: '信息公开' });
    expect(column.ArticleTitle).toBeUndefined();
    const home = meta(html(renderHomePage({ site: profile, latest: [notice], sections: [], assets: identity })));
    expect(home.SiteName).toBe('新乡经济技术开发区');
    expect(home.ColumnName).toBeUndefined();
  });
});

describe('the RSS feed', () => {
  it('carries the 信息公开 fields and the 索引号 of a document, in their own namespace', () => {
    const rss = renderRss({ site: site(), items: [{ ...notice, publication: published }] });
    const xml = new DOMParser().parseFromString(rss, 'application/xml');
    expect(xml.querySelector('parsererror')).toBeNull();
    const ns = 'urn:gazette:disclosure:1';
    const value = (name: string) => xml.getElementsByTagNameNS(ns, name)[0]?.textContent;
    expect(value('indexNo')).toBe('003087762/2024-00007');
    expect(value('docNo')).toBe('新开政办〔2024〕7号');
    expect(value('publisher')).toBe('新乡经济技术开发区党政办公室');
    expect(value('writtenAt')).toBe('2024-04-06');
    expect(xml.getElementsByTagNameNS(ns, 'validity')[0]?.getAttribute('from')).toBe('2024-04-08');
  });

  it('is unchanged for articles without them', () => {
    const plain = { ...notice, meta: { ...notice.meta, disclosure: undefined } };
    const rss = renderRss({ site: site(), items: [plain] });
    expect(rss).not.toContain('xmlns:gov');
    expect(rss).not.toContain('<gov:');
  });
});

describe('the site profile', () => {
  it('refuses an organ code that would make a malformed 索引号', () => {
    expect(SiteProfileSchema.safeParse({ ...defaultSiteProfile(), government: { indexOrganCode: '00/30' } }).success).toBe(false);
    expect(defaultSiteProfile().government).toEqual({ indexOrganCode: '', showReviews: false, disclosureColumns: [], columnTypes: {}, columnDescriptions: {}, columnKeywords: {} });
  });
});
