// @vitest-environment jsdom
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeText, importPortalText } from '../../../node/services/import/index';
import { type Article, newArticle } from '../../../shared/domain/article';
import type { Doc } from '../../../shared/domain/doc';
import {
  describeTemplateError,
  renderArticlePage,
  renderColumnIndexPage,
  renderHomePage,
  type RenderResult,
} from '../../../shared/portal/render';
import {
  articleRelativePath,
  columnSlug,
  defaultSiteProfile,
  type SiteProfile,
  SiteProfileSchema,
} from '../../../shared/portal/site';

const FIXTURE = 'sample-2021-05-20.txt';
const identity = (src: string) => src;

function sampleArticle(id = 'sample0520'): Article {
  const data = readFileSync(join(__dirname, '../../fixtures/portal', FIXTURE));
  const draft = importPortalText(decodeText(data, FIXTURE), FIXTURE);
  return newArticle(id, '2021-05-20T02:00:00.000Z', draft.meta, draft.doc);
}

function otherArticle(id: string, title: string, publishAt: string): Article {
  const article = sampleArticle(id);
  return { ...article, meta: { ...article.meta, title, publishAt } };
}

function html(result: RenderResult): string {
  if ('error' in result) throw new Error(`unexpected template error: ${JSON.stringify(result.error)}`);
  return result.html;
}

function parse(markup: string): Document {
  return new DOMParser().parseFromString(markup, 'text/html');
}

function text(node: Element | null | undefined): string {
  return (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
}

describe('the sample article on the default theme', () => {
  // The office's own numbers, entered explicitly: a new site profile has none.
  const site = {
    ...defaultSiteProfile(),
    footer: { ...defaultSiteProfile().footer, phone: '0373-3681234', siteCode: '4107000012', icp: '豫ICP备05012345号', police: '豫公网安备 41070202000123号' },
  };
  const article = sampleArticle();
  const prev = otherArticle('newer0521', '经开区召开安全生产工作会议', '2021-05-21');
  const next = otherArticle('older0519', '经开区开展党史学习教育专题讲座', '2021-05-19');
  const page = html(renderArticlePage({ site, article, prev, next, assets: identity }));
  const doc = parse(page);

  it('has the 当前位置 breadcrumb with a link for every step', () => {
    const crumb = doc.querySelector('.breadcrumb');
    expect(text(crumb)).toBe('当前位置：首页 > 要闻动态 > 政务要闻');
    const links = [...(crumb?.querySelectorAll('a') ?? [])].map((a) => [a.textContent, a.getAttribute('href')]);
    expect(links).toEqual([
      ['首页', '/index.html'],
      ['要闻动态', '/ywdt/index.html'],
      ['政务要闻', '/zwyw/index.html'],
    ]);
  });

  it('has the title in the heading and the page title', () => {
    expect(text(doc.querySelector('h1.article-title'))).toBe('新乡经开区召开全区领导干部会议 传达学习习近平总书记重要讲话指示精神');
    expect(doc.title).toContain('新乡经开区召开全区领导干部会议');
    expect(doc.title).toContain(site.name);
  });

  it('prints only the info fields that are present', () => {
    const items = [...doc.querySelectorAll('.article-info span')].map((span) => span.textContent);
    expect(items).toEqual(['时间：2021-05-20', '来源：区党政办']);
  });

  it('has 字号 大/中/小 that work without script, plus the large-text toggle', () => {
    const labels = [...doc.querySelectorAll('.font-size label')];
    expect(labels.map((label) => label.textContent)).toEqual(['大', '中', '小']);
    for (const label of labels) {
      const input = doc.getElementById(label.getAttribute('for') ?? '');
      expect(input?.getAttribute('type')).toBe('radio');
    }
    expect((doc.getElementById('gz-font-m') as HTMLInputElement | null)?.checked).toBe(true);
    // The size switch is pure CSS: the stylesheet reacts to the checked radio.
    expect(doc.querySelector('style')?.textContent).toContain('#gz-font-l:checked ~ .page');
    expect(doc.querySelector('label[for="gz-elder"]')?.textContent).toBe('长者模式');
  });

  it('has 打印 and 关闭', () => {
    const print = doc.querySelector('.tool-print');
    expect(print?.textContent).toBe('打印');
    expect(doc.getElementById(print?.getAttribute('for') ?? '')?.getAttribute('type')).toBe('checkbox');
    const close = doc.querySelector('a.tool-close');
    expect(close?.textContent).toBe('关闭');
    expect(close?.getAttribute('href')).toBe('/zwyw/index.html');
  });

  it('has every body paragraph, ending with the attendees paragraph', () => {
    const paragraphs = [...doc.querySelectorAll('.article-body p')];
    expect(paragraphs).toHaveLength(6);
    expect(text(paragraphs[0])).toMatch(/^5月19日/);
    const attendees = doc.querySelector('.article-body p[data-role="attendees"]');
    expect(attendees).toBe(paragraphs.at(-1));
    expect(text(attendees)).toContain('共计150余人参加会议。');
  });

  it('has the share bar with plain WeChat and Weibo links to this article', () => {
    const links = [...doc.querySelectorAll('.share a')];
    expect(text(doc.querySelector('.share'))).toMatch(/^分享到：/);
    expect(links.map((a) => a.textContent)).toEqual(['微博', '微信']);
    const articleUrl = encodeURIComponent(`https://www.xxkfq.gov.cn/${articleRelativePath(site, article)}`);
    for (const link of links) expect(link.getAttribute('href')).toContain(articleUrl);
  });

  it('links 上一篇 and 下一篇', () => {
    const prevLink = doc.querySelector('.prev-next .prev a');
    const nextLink = doc.querySelector('.prev-next .next a');
    expect(text(doc.querySelector('.prev-next .prev'))).toBe('上一篇：经开区召开安全生产工作会议');
    expect(prevLink?.getAttribute('href')).toBe('/zwyw/202105/t20210521_newer0521.html');
    expect(text(doc.querySelector('.prev-next .next'))).toBe('下一篇：经开区开展党史学习教育专题讲座');
    expect(nextLink?.getAttribute('href')).toBe('/zwyw/202105/t20210519_older0519.html');
  });

  it('says 没有了 where there is no neighbour', () => {
    const alone = parse(html(renderArticlePage({ site, article, assets: identity })));
    expect(text(alone.querySelector('.prev-next .prev'))).toBe('上一篇：没有了');
    expect(alone.querySelector('.prev-next a')).toBeNull();
  });

  it('has the footer with sponsor, contact and all three identifiers', () => {
    const footer = text(doc.querySelector('footer.site-footer'));
    expect(footer).toContain('主办单位：新乡经济技术开发区党政办公室');
    expect(footer).toContain('电话：0373-3681234');
    expect(footer).toContain('网站标识码：4107000012');
    expect(doc.querySelector('footer a.icp')?.textContent).toBe('豫ICP备05012345号');
    expect(doc.querySelector('footer a.icp')?.getAttribute('href')).toBe('https://beian.miit.gov.cn/');
    expect(doc.querySelector('footer a.police')?.textContent).toBe('豫公网安备 41070202000123号');
  });

  it('a new site profile has no identifiers of its own, so its pages show none rather than made-up ones', () => {
    const fresh = parse(html(renderArticlePage({ site: defaultSiteProfile(), article, assets: identity })));
    expect(fresh.querySelector('footer .site-ids')).toBeNull();
    expect(text(fresh.querySelector('footer.site-footer'))).not.toMatch(/ICP备|公网安备|网站标识码/);
  });

  it('contains no script of any kind', () => {
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/javascript:/i);
    expect(page).not.toMatch(/\son[a-z]+=/i);
  });

  it('is byte-identical when rendered again from an equal input', () => {
    const again = html(renderArticlePage({ site: structuredClone(site), article: structuredClone(article), prev, next, assets: identity }));
    expect(again).toBe(page);
  });

  it('turns on the large-text mode through the root class', () => {
    const large = parse(html(renderArticlePage({ site, article, assets: identity, largeText: true })));
    expect(large.documentElement.classList.contains('elder')).toBe(true);
    expect(doc.documentElement.classList.contains('elder')).toBe(false);
  });
});

describe('body content on the page', () => {
  const site = defaultSiteProfile();
  const base = sampleArticle();

  it('shows images with captions through the asset resolver, and lists linked files as attachments', () => {
    const doc: Doc = {
      type: 'doc',
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: '会议现场如下。' }] },
        { type: 'image', attrs: { src: 'assets/photo.jpg', alt: '会议现场', caption: '5月19日，全区领导干部会议现场' } },
        {
          type: 'paragraph',
          content: [
            { type: 'text', text: '详见' },
            { type: 'text', text: '实施方案', marks: [{ type: 'link', attrs: { href: 'assets/方案.pdf' } }] },
            { type: 'text', text: '和' },
            { type: 'text', text: '报名表', marks: [{ type: 'link', attrs: { href: 'https://example.gov.cn/files/form.xlsx' } }] },
            { type: 'text', text: '及' },
            { type: 'text', text: '政府网站', marks: [{ type: 'link', attrs: { href: 'https://www.gov.cn/' } }] },
          ],
        },
      ],
    };
    const resolve = (src: string) => (src.startsWith('assets/') ? `/assets/${encodeURIComponent(src.slice(7))}` : src);
    const page = parse(html(renderArticlePage({ site, article: { ...base, doc }, assets: resolve })));
    const figure = page.querySelector('.article-body figure.article-image');
    expect(figure?.querySelector('img')?.getAttribute('src')).toBe('/assets/photo.jpg');
    expect(figure?.querySelector('img')?.getAttribute('alt')).toBe('会议现场');
    expect(text(figure?.querySelector('figcaption'))).toBe('5月19日，全区领导干部会议现场');
    const attachments = [...page.querySelectorAll('.article-attachments a')].map((a) => [a.textContent, a.getAttribute('href')]);
    expect(attachments).toEqual([
      ['实施方案', `/assets/${encodeURIComponent('方案.pdf')}`],
      ['报名表', 'https://example.gov.cn/files/form.xlsx'],
    ]);
    // The link in the body goes to the same published file as the attachment list.
    expect(page.querySelector('.article-body a[href$=".pdf"]')?.getAttribute('href')).toBe(attachments[0]?.[1]);
  });

  it('has no attachment block when nothing is attached', () => {
    const page = parse(html(renderArticlePage({ site, article: base, assets: identity })));
    expect(page.querySelector('.article-attachments')).toBeNull();
  });

  it('prints subtitle, author and 责任编辑 when present', () => {
    const article = { ...base, meta: { ...base.meta, subtitle: '——传达学习重要讲话精神', author: '王敏', editor: '李华', publishAt: '2021-05-20T09:30' } };
    const page = parse(html(renderArticlePage({ site, article, assets: identity })));
    expect(text(page.querySelector('.article-subtitle'))).toBe('——传达学习重要讲话精神');
    expect([...page.querySelectorAll('.article-info span')].map((s) => s.textContent)).toEqual([
      '时间：2021-05-20 09:30',
      '来源：区党政办',
      '作者：王敏',
      '责任编辑：李华',
    ]);
  });
});

describe('hostile content', () => {
  const site = defaultSiteProfile();
  const base = sampleArticle();
  const hostile = '<script>alert(1)</script><img src=x onerror=alert(2)>"\'&';

  it('escapes a hostile title, subtitle, source and keywords everywhere they appear', () => {
    const article = {
      ...base,
      meta: { ...base.meta, title: hostile, subtitle: hostile, source: hostile, keywords: [hostile], summary: hostile },
    };
    const page = html(renderArticlePage({ site, article, prev: article, assets: identity }));
    expect(page).not.toMatch(/<script/i);
    expect(page).not.toMatch(/<img src=x/i);
    const doc = parse(page);
    expect(doc.querySelector('h1.article-title')?.textContent).toBe(hostile);
    expect(doc.querySelector('.prev-next .prev a')?.textContent).toBe(hostile);
    expect(doc.querySelector('meta[name="description"]')?.getAttribute('content')).toBe(hostile);
    expect(doc.querySelectorAll('img')).toHaveLength(0);
  });

  it('drops javascript: links from the body and from the site profile', () => {
    const doc: Doc = {
      type: 'doc',
      content: [{ type: 'paragraph', content: [{ type: 'text', text: '点击', marks: [{ type: 'link', attrs: { href: 'java\tscript:alert(1)' } }] }] }],
    };
    const evilSite = SiteProfileSchema.parse({
      ...site,
      nav: [{ label: '坏链接', href: 'javascript:alert(1)' }],
      share: [{ name: '坏分享', urlTemplate: 'javascript:alert({url})' }],
      footer: { ...site.footer, icpUrl: 'javascript:alert(1)' },
    });
    const page = html(renderArticlePage({ site: evilSite, article: { ...base, doc }, assets: identity }));
    expect(page).not.toMatch(/javascript:/i);
    expect(page).not.toMatch(/java\tscript/i);
    expect(parse(page).querySelector('.article-body')?.textContent).toContain('点击');
  });

  it('keeps a custom stylesheet inside its style element', () => {
    const page = html(
      renderArticlePage({ site, article: base, assets: identity, templates: { 'style.css': 'body{color:red}</style><script>alert(1)</script>' } }),
    );
    const doc = parse(page);
    expect(doc.querySelectorAll('script')).toHaveLength(0);
    expect(doc.querySelectorAll('style')).toHaveLength(1);
    expect(doc.querySelector('footer.site-footer')).not.toBeNull();
  });
});

describe('custom templates', () => {
  const site = defaultSiteProfile();
  const article = sampleArticle();

  it('replaces one file and keeps the rest of the default theme', () => {
    const templates = {
      'article.liquid': "{% layout 'layout.liquid' %}{% block content %}<h1 class=\"mine\">{{ article.title }}</h1>{{ article.bodyHtml | raw }}{% endblock %}",
      'style.css': '.mine { color: navy; }',
    };
    const doc = parse(html(renderArticlePage({ site, article, assets: identity, templates })));
    expect(doc.querySelector('h1.mine')?.textContent).toBe(article.meta.title);
    expect(doc.querySelector('style')?.textContent).toContain('.mine { color: navy; }');
    expect(doc.querySelector('footer.site-footer')).not.toBeNull();
    expect(doc.querySelectorAll('.article-body, p[data-role="attendees"]').length).toBeGreaterThan(0);
  });

  it('reports an unclosed tag with its file and line instead of throwing', () => {
    const templates = { 'article.liquid': '<h1>{{ article.title }}</h1>\n\n\n{% if article.subtitle %}\n<p>{{ article.subtitle }}</p>\n' };
    const result = renderArticlePage({ site, article, assets: identity, templates });
    expect(result).toEqual({ error: { file: 'article.liquid', line: 4, message: expect.stringMatching(/not closed/) } });
    if ('error' in result) {
      expect(describeTemplateError('zh-CN', result.error)).toBe(`模板“article.liquid”第 4 行有错误：${result.error.message}`);
    }
  });

  it('reports an error inside the layout under the layout file name', () => {
    const templates = { 'layout.liquid': '<!DOCTYPE html>\n<html>\n<body>\n{{ site.name | no_such_filter }}\n{% block content %}{% endblock %}</body></html>' };
    const result = renderArticlePage({ site, article, assets: identity, templates });
    expect(result).toEqual({ error: { file: 'layout.liquid', line: 4, message: expect.stringContaining('no_such_filter') } });
  });

  it('reports a missing partial at the line that includes it', () => {
    const templates = { 'home.liquid': "{% layout 'layout.liquid' %}{% block content %}\n\n{% render 'sidebar.liquid' %}{% endblock %}" };
    const result = renderHomePage({ site, latest: [], sections: [], assets: identity, templates });
    expect(result).toEqual({ error: { file: 'home.liquid', line: 3, message: expect.stringContaining('sidebar.liquid') } });
  });

  it('stops a runaway loop with an error instead of hanging', () => {
    const templates = { 'article.liquid': '{% for i in (1..100000000) %}{% for j in (1..100000000) %}x{% endfor %}{% endfor %}' };
    const result = renderArticlePage({ site, article, assets: identity, templates });
    expect('error' in result).toBe(true);
  }, 30_000);
});

describe('column and home pages', () => {
  const site = defaultSiteProfile();
  const articles = [1, 2, 3].map((n) => otherArticle(`news000${n}`, `第${n}条要闻`, `2021-05-1${n}`));

  it('lists a column page with pagination links and the page status', () => {
    const doc = parse(
      html(renderColumnIndexPage({ site, column: ['首页', '要闻动态', '政务要闻'], items: articles, page: 2, pageCount: 3, total: 45, assets: identity })),
    );
    expect(text(doc.querySelector('.breadcrumb'))).toBe('当前位置：首页 > 要闻动态 > 政务要闻');
    expect([...doc.querySelectorAll('.news-list a')].map((a) => a.textContent)).toEqual(['第1条要闻', '第2条要闻', '第3条要闻']);
    const nav = doc.querySelector('.pagination');
    expect(text(nav)).toContain('共 45 条 第 2/3 页');
    expect(nav?.querySelector('.current')?.textContent).toBe('2');
    const hrefs = Object.fromEntries([...(nav?.querySelectorAll('a') ?? [])].map((a) => [a.textContent, a.getAttribute('href')]));
    expect(hrefs).toMatchObject({ 首页: '/zwyw/index.html', 上一页: '/zwyw/index.html', 下一页: '/zwyw/index_2.html', 尾页: '/zwyw/index_2.html' });
    expect([...doc.querySelectorAll('.subcolumns a')].map((a) => a.textContent)).toEqual(['政务要闻', '部门动态', '基层动态', '媒体关注']);
  });

  it('shows an empty column as such', () => {
    const doc = parse(html(renderColumnIndexPage({ site, column: ['通知公告'], items: [], page: 1, pageCount: 1, total: 0, assets: identity })));
    expect(text(doc.querySelector('.empty-list'))).toBe('本栏目暂无信息');
    expect(doc.querySelectorAll('.pagination a')).toHaveLength(0);
  });

  it('shows the latest list and one block per column on the home page', () => {
    const doc = parse(
      html(renderHomePage({ site, latest: articles, sections: [{ column: ['要闻动态'], items: articles.slice(0, 1) }, { column: ['通知公告'], items: [] }], assets: identity })),
    );
    expect([...doc.querySelectorAll('.home-latest .news-list a')].map((a) => a.textContent)).toHaveLength(3);
    const sections = [...doc.querySelectorAll('.home-section')];
    expect(sections.map((s) => s.querySelector('.section-title a')?.textContent)).toEqual(['要闻动态', '通知公告']);
    expect(sections[0]?.querySelector('.section-title a')?.getAttribute('href')).toBe('/ywdt/index.html');
    expect(text(sections[1]?.querySelector('.empty-list'))).toBe('本栏目暂无信息');
  });
});

describe('site profile', () => {
  it('maps configured columns to their slugs and others to stable ASCII fallbacks', () => {
    const site = defaultSiteProfile();
    expect(columnSlug(site, ['首页', '要闻动态', '政务要闻'])).toBe('zwyw');
    expect(columnSlug(site, ['要闻动态', '政务要闻'])).toBe('zwyw');
    const fallback = columnSlug(site, ['首页', '专题专栏', '学习贯彻二十大精神']);
    expect(fallback).toMatch(/^c[0-9a-f]{8}$/);
    expect(columnSlug(site, ['首页', '专题专栏', '学习贯彻二十大精神'])).toBe(fallback);
    expect(columnSlug(site, ['首页', '专题专栏', '学习贯彻党的精神'])).not.toBe(fallback);
    expect(columnSlug(site, ['首页', 'English News'])).toBe('english-news');
  });

  it('builds article URLs from the pattern under the site mount path', () => {
    const site: SiteProfile = SiteProfileSchema.parse({
      ...defaultSiteProfile(),
      baseUrl: 'https://www.example.gov.cn/kfq',
      articleUrlPattern: '/{column}/{yyyy}/{mm}{dd}/{id}.html',
    });
    const article = sampleArticle('abc123');
    expect(articleRelativePath(site, article)).toBe('zwyw/2021/0520/abc123.html');
    const doc = parse(html(renderArticlePage({ site, article, assets: identity })));
    expect(doc.querySelector('.breadcrumb a')?.getAttribute('href')).toBe('/kfq/index.html');
    expect(doc.querySelector('link[rel="canonical"]')?.getAttribute('href')).toBe('https://www.example.gov.cn/kfq/zwyw/2021/0520/abc123.html');
  });

  it('rejects URL patterns that could collide or escape, and duplicate slugs', () => {
    const base = defaultSiteProfile();
    expect(SiteProfileSchema.safeParse({ ...base, articleUrlPattern: '/{column}/{yyyy}.html' }).success).toBe(false);
    expect(SiteProfileSchema.safeParse({ ...base, articleUrlPattern: '/../{id}.html' }).success).toBe(false);
    expect(SiteProfileSchema.safeParse({ ...base, articleUrlPattern: '/{title}/{id}.html' }).success).toBe(false);
    expect(SiteProfileSchema.safeParse({ ...base, columnSlugs: { 通知公告: 'news', 要闻动态: 'news' } }).success).toBe(false);
    expect(SiteProfileSchema.safeParse({ ...base, columnSlugs: { 通知公告: '通知' } }).success).toBe(false);
    expect(SiteProfileSchema.safeParse({ ...base, baseUrl: 'ftp://example.gov.cn/' }).success).toBe(false);
  });
});
