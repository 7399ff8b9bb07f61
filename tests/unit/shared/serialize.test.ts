import { describe, expect, it } from 'vitest';
import { newArticle, emptyMeta } from '../../../shared/domain/article';
import type { Doc, DocNode } from '../../../shared/domain/doc';
import { articleToHtmlDocument, docToHtml, isSafeHref } from '../../../shared/html/serialize';

const text = (t: string, marks?: DocNode['marks']): DocNode => (marks ? { type: 'text', text: t, marks } : { type: 'text', text: t });
const doc = (...content: DocNode[]): Doc => ({ type: 'doc', content });
const p = (...content: DocNode[]): DocNode => ({ type: 'paragraph', content });

describe('docToHtml', () => {
  it('renders paragraphs and headings with alignment and roles, one block per line', () => {
    const html = docToHtml(
      doc(
        { type: 'heading', attrs: { level: 2, textAlign: 'center' }, content: [text('会议强调')] },
        p(text('5月19日，经开区召开全区领导干部会议。')),
        { type: 'paragraph', attrs: { textAlign: 'right', role: 'attendees' }, content: [text('共计150余人参加会议。')] },
      ),
    );
    expect(html).toBe(
      [
        '<h2 style="text-align:center">会议强调</h2>',
        '<p>5月19日，经开区召开全区领导干部会议。</p>',
        '<p data-role="attendees" style="text-align:right">共计150余人参加会议。</p>',
      ].join('\n'),
    );
  });

  it('drops alignment values and roles it does not know', () => {
    const html = docToHtml(
      doc({ type: 'paragraph', attrs: { textAlign: 'left;color:red', role: 'x" onclick="a' }, content: [text('正文')] }),
    );
    expect(html).toBe('<p>正文</p>');
  });

  it('renders every mark, nested in a stable order and merged across text nodes', () => {
    const html = docToHtml(
      doc(
        p(
          text('粗', [{ type: 'bold' }]),
          text('粗斜', [{ type: 'italic' }, { type: 'bold' }]),
          text('下划线', [{ type: 'underline' }]),
          text('删除', [{ type: 'strike' }]),
          text('code', [{ type: 'code' }]),
          text('链接', [{ type: 'link', attrs: { href: 'https://www.gov.cn/?a=1&b=2' } }]),
        ),
      ),
    );
    expect(html).toBe(
      '<p><strong>粗<em>粗斜</em></strong><u>下划线</u><s>删除</s><code>code</code><a href="https://www.gov.cn/?a=1&amp;b=2">链接</a></p>',
    );
  });

  it('keeps mailto and relative links and turns javascript:, vbscript: and data: links into plain text', () => {
    const html = docToHtml(
      doc(
        p(
          text('邮件', [{ type: 'link', attrs: { href: 'mailto:office@example.gov.cn' } }]),
          text('相对', [{ type: 'link', attrs: { href: '../notice/2021.html' } }]),
          text('坏1', [{ type: 'link', attrs: { href: 'javascript:alert(1)' } }]),
          text('坏2', [{ type: 'link', attrs: { href: ' JaVa\tScRiPt:alert(1)' } }]),
          text('坏3', [{ type: 'link', attrs: { href: 'vbscript:msgbox' } }]),
          text('坏4', [{ type: 'link', attrs: { href: 'data:text/html,<script>alert(1)</script>' } }]),
        ),
      ),
    );
    expect(html).toContain('<a href="mailto:office@example.gov.cn">邮件</a>');
    expect(html).toContain('<a href="../notice/2021.html">相对</a>');
    expect(html).not.toMatch(/javascript|vbscript|data:/i);
    expect(html).toContain('坏1坏2坏3坏4');
    expect(isSafeHref('http://example.com')).toBe(true);
    expect(isSafeHref('\u0001javascript:x')).toBe(false);
  });

  it('escapes text and attributes so markup in the text stays text', () => {
    const html = docToHtml(
      doc(
        p(text('<script>alert("x")</script> & 其他')),
        { type: 'image', attrs: { src: 'assets/a.png', alt: '" onerror="alert(1)', caption: '<b>说明</b>' } },
      ),
    );
    expect(html).not.toContain('<script>');
    expect(html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 其他');
    expect(html).toContain('alt="&quot; onerror=&quot;alert(1)"');
    expect(html).toContain('<figcaption>&lt;b&gt;说明&lt;/b&gt;</figcaption>');
  });

  it('renders lists, blockquote, rule and hard breaks', () => {
    const html = docToHtml(
      doc(
        { type: 'bulletList', content: [{ type: 'listItem', content: [p(text('甲'))] }, { type: 'listItem', content: [p(text('乙'))] }] },
        { type: 'orderedList', attrs: { start: 3 }, content: [{ type: 'listItem', content: [p(text('三'))] }] },
        { type: 'orderedList', attrs: { start: 1 }, content: [{ type: 'listItem', content: [p(text('一'))] }] },
        { type: 'blockquote', content: [p(text('引文'), { type: 'hardBreak' }, text('第二行'))] },
        { type: 'horizontalRule' },
      ),
    );
    expect(html).toBe(
      [
        '<ul>',
        '<li>',
        '<p>甲</p>',
        '</li>',
        '<li>',
        '<p>乙</p>',
        '</li>',
        '</ul>',
        '<ol start="3">',
        '<li>',
        '<p>三</p>',
        '</li>',
        '</ol>',
        '<ol>',
        '<li>',
        '<p>一</p>',
        '</li>',
        '</ol>',
        '<blockquote>',
        '<p>引文<br>第二行</p>',
        '</blockquote>',
        '<hr>',
      ].join('\n'),
    );
  });

  it('renders tables with header cells, colspan and rowspan', () => {
    const cell = (type: string, t: string, attrs?: Record<string, unknown>): DocNode => ({ type, attrs, content: [p(text(t))] });
    const html = docToHtml(
      doc({
        type: 'table',
        content: [
          { type: 'tableRow', content: [cell('tableHeader', '姓名'), cell('tableHeader', '职务', { colspan: 2, rowspan: 1, colwidth: [120] })] },
          { type: 'tableRow', content: [cell('tableCell', '刘思江', { colspan: 1, rowspan: 2 }), cell('tableCell', '书记'), cell('tableCell', '主持')] },
        ],
      }),
    );
    expect(html).toContain('<table>\n<tbody>\n<tr>');
    expect(html).toContain('<th>\n<p>姓名</p>\n</th>');
    expect(html).toContain('<th colspan="2">');
    expect(html).toContain('<td rowspan="2">\n<p>刘思江</p>\n</td>');
    expect(html.match(/<tr>/g)).toHaveLength(2);
    expect(html.endsWith('</tbody>\n</table>')).toBe(true);
  });

  it('renders images as figures, resolving src and adding the caption only when present', () => {
    const html = docToHtml(
      doc(
        { type: 'image', attrs: { src: 'assets/hall.jpg', alt: '会议现场', caption: '会议现场' } },
        { type: 'image', attrs: { src: 'assets/b.png', alt: '' } },
        { type: 'image', attrs: { src: 'javascript:alert(1)', alt: 'x', caption: '保留的说明' } },
      ),
      { resolveSrc: (src) => `gazette-asset://a1/${src}` },
    );
    expect(html).toBe(
      [
        '<figure class="article-image"><img src="gazette-asset://a1/assets/hall.jpg" alt="会议现场"><figcaption>会议现场</figcaption></figure>',
        '<figure class="article-image"><img src="gazette-asset://a1/assets/b.png" alt=""></figure>',
        '<figure class="article-image"><figcaption>保留的说明</figcaption></figure>',
      ].join('\n'),
    );
  });

  it('keeps the text of node and mark types it does not know', () => {
    const html = docToHtml(
      doc(
        { type: 'callout', content: [p(text('提示内容'))] },
        { type: 'mystery', content: [text('行内'), { type: 'emoji', content: [text('表情')] }] },
        p(text('高亮', [{ type: 'highlight' }])),
      ),
    );
    expect(html).toBe('<p>提示内容</p>\n<p>行内表情</p>\n<p>高亮</p>');
  });

  it('is stable: the same doc (even with marks stored in another order) gives identical bytes', () => {
    const a = doc(p(text('甲', [{ type: 'bold' }, { type: 'italic' }])), { type: 'horizontalRule' });
    const b = doc(p(text('甲', [{ type: 'italic' }, { type: 'bold' }])), { type: 'horizontalRule' });
    const first = docToHtml(a);
    expect(docToHtml(structuredClone(a))).toBe(first);
    expect(docToHtml(b)).toBe(first);
  });

  it('keeps Chinese text and full-width punctuation exactly', () => {
    const sentence = '站在增强“四个意识”、坚定“四个自信”、做到“两个维护”的高度，用心感悟；牢记嘱托：（一）《通知》——！？…';
    expect(docToHtml(doc(p(text(sentence))))).toBe(`<p>${sentence}</p>`);
  });
});

describe('articleToHtmlDocument', () => {
  const meta = {
    ...emptyMeta('meeting'),
    title: '新乡经开区召开全区领导干部会议',
    subtitle: '传达学习重要讲话指示精神',
    column: ['首页', '要闻动态', '政务要闻'],
    publishAt: '2021-05-20T09:30',
    source: '区党政办',
    author: '张三',
    editor: '李四',
    keywords: ['领导干部会议', '南水北调'],
    summary: '经开区召开全区领导干部会议 <摘要>',
  };
  const article = newArticle(
    'abc123',
    '2021-05-20T00:00:00.000Z',
    meta,
    doc(p(text('5月19日，经开区召开全区领导干部会议。')), { type: 'image', attrs: { src: 'assets/x.jpg', alt: '现场' } }),
  );

  it('is a complete standalone document with the metadata and the body', () => {
    const html = articleToHtmlDocument(article, { resolveSrc: (src) => `./${src}` });
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="zh-CN">')).toBe(true);
    expect(html).toContain('<meta charset="utf-8">');
    expect(html).toContain('<title>新乡经开区召开全区领导干部会议</title>');
    expect(html).toContain('<h1 class="article-title">新乡经开区召开全区领导干部会议</h1>');
    expect(html).toContain('<p class="article-subtitle">传达学习重要讲话指示精神</p>');
    expect(html).toContain('<span>时间：2021-05-20 09:30</span><span>来源：区党政办</span><span>作者：张三</span><span>责任编辑：李四</span>');
    expect(html).not.toContain('摄影');
    expect(html).toContain('<meta name="keywords" content="领导干部会议,南水北调">');
    expect(html).toContain('<meta name="description" content="经开区召开全区领导干部会议 &lt;摘要&gt;">');
    expect(html).toContain('<p>5月19日，经开区召开全区领导干部会议。</p>');
    expect(html).toContain('<img src="./assets/x.jpg" alt="现场">');
    expect(html).toContain('text-indent: 2em');
    expect(html).toContain('"Microsoft YaHei"');
    expect(html).not.toMatch(/<script/i);
  });

  it('labels the info line in English when asked and leaves out missing fields', () => {
    const bare = newArticle('abc124', '2021-05-20T00:00:00.000Z', { ...emptyMeta(), title: 'T', source: '区党政办' });
    const html = articleToHtmlDocument(bare, { locale: 'en' });
    expect(html).toContain('<span>Source: 区党政办</span>');
    expect(html).not.toContain('Date:');
    expect(html).not.toContain('name="keywords"');
    expect(html).not.toContain('article-subtitle"');
  });

  it('does not let a hostile title break out of the document', () => {
    const hostile = newArticle('abc125', '2021-05-20T00:00:00.000Z', { ...emptyMeta(), title: '</title><script>alert(1)</script>' });
    const html = articleToHtmlDocument(hostile);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('<title>&lt;/title&gt;&lt;script&gt;');
  });
});
