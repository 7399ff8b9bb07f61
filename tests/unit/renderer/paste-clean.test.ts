// @vitest-environment jsdom
/// <reference lib="dom" />
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanPastedHtml, stripOfficeJunk } from '../../../renderer/src/editor/paste/clean-html';

const fixture = (name: string) => readFileSync(join(__dirname, '../../fixtures/paste', name), 'utf8');

function parse(html: string): HTMLElement {
  const host = document.createElement('div');
  host.innerHTML = html;
  return host;
}
const textOf = (el: Element | null | undefined) => (el?.textContent ?? '').replace(/\s+/g, ' ').trim();

/** Markup that must never survive cleaning, whatever the source. */
function expectNoJunk(html: string) {
  expect(html).not.toMatch(/mso-|class=|lang=|<o:p|<\/?o:|<\/?v:|<\/?w:|<!--|<!\[|<span|<font|<style|<meta|<link|<xml|font-family|color:/i);
}

describe('cleanPastedHtml: Word', () => {
  const result = cleanPastedHtml(fixture('word.html'));
  const root = parse(result.html);

  it('keeps headings, paragraphs and alignment', () => {
    expect(textOf(root.querySelector('h1'))).toBe('新乡经开区召开全区领导干部会议');
    expect(root.querySelector('h1')?.getAttribute('style')).toBe('text-align:center');
    expect(Array.from(root.querySelectorAll('h2')).map(textOf)).toEqual(['一、工作要求', '二、重点任务']);
    const right = Array.from(root.querySelectorAll('p[style="text-align:right"]')).map(textOf);
    expect(right).toEqual(['经开区党政办公室', '2021年5月20日']);
  });

  it('turns Word fake lists into real, nested lists without the literal bullets and numbers', () => {
    const bullets = root.querySelector('ul');
    expect(Array.from(bullets?.children ?? []).map((li) => textOf(li))).toEqual([
      '坚持高位推动学，从上率下，带头学深学透；',
      '坚持宣传发动学，统筹传统媒体和新媒体；',
      '坚持培训驱动学，做到党员干部全员轮训。',
    ]);
    const ordered = root.querySelector('ol');
    const items = Array.from(ordered?.children ?? []);
    expect(items).toHaveLength(3);
    expect(textOf(items[0]?.querySelector('p'))).toBe('坚持生态优先，处理好发展和保护的关系。');
    expect(textOf(items[0]?.querySelector('ol > li'))).toBe('深入开展“散乱污”企业动态清零行动；');
    expect(textOf(items[2])).toBe('全力抓好项目建设，以项目突破带动发展全局。');
    expect(root.querySelectorAll('li > p').length).toBe(7);
  });

  it('keeps tables with merged cells, and bold, italic, underline and safe links', () => {
    const rows = root.querySelectorAll('table tr');
    expect(rows).toHaveLength(3);
    expect(Array.from(rows[0]?.querySelectorAll('td') ?? []).map(textOf)).toEqual(['单位', '参会人员', '人数']);
    expect(rows[2]?.querySelector('td')?.getAttribute('colspan')).toBe('2');
    expect(textOf(rows[2])).toContain('合计（含列席人员）');
    expect(textOf(root.querySelector('strong'))).toBe('刘思江');
    expect(textOf(root.querySelector('em'))).toBe('指示精神');
    expect(textOf(root.querySelector('u'))).toBe('市政府门户网站');
    expect(root.querySelector('a')?.getAttribute('href')).toBe('http://www.xinxiang.gov.cn/');
    expect(root.querySelector('td')?.attributes).toHaveLength(0);
  });

  it('drops Word local images and reports how many', () => {
    expect(result.droppedImages).toBe(1);
    expect(root.querySelector('img')).toBeNull();
    expect(result.html).not.toContain('file:');
  });

  it('drops fonts, classes, styles, Office XML, conditional comments and empty paragraphs', () => {
    expectNoJunk(result.html);
    expect(Array.from(root.querySelectorAll('p')).filter((p) => textOf(p) === '')).toHaveLength(0);
  });

  it('keeps Chinese text and full-width punctuation exactly', () => {
    expect(result.html).toContain(
      '会议指出，全区上下要站在增强“四个意识”、坚定“四个自信”、做到“两个维护”的高度，用心感悟、牢记嘱托；详见',
    );
    expect(textOf(root)).toContain('5月19日，经开区召开全区领导干部会议，区党工委书记刘思江主持并讲话，区领导班子参加。');
    expect(textOf(root)).toContain('重点企业负责人共计150余人参加会议。');
  });
});

describe('cleanPastedHtml: WPS', () => {
  const result = cleanPastedHtml(fixture('wps.html'));
  const root = parse(result.html);

  it('keeps the centered bold title and Chinese official numbering as text', () => {
    const title = root.querySelector('p[style="text-align:center"]');
    expect(textOf(title)).toBe('关于做好2021年汛期安全工作的通知');
    expect(title?.querySelector('strong')).not.toBeNull();
    const paragraphs = Array.from(root.querySelectorAll('p')).map(textOf);
    expect(paragraphs).toContain('一、提高思想认识');
    expect(paragraphs).toContain('二、落实防汛责任');
    expect(root.querySelector('ol, ul')).toBeNull();
  });

  it('turns CSS bold into strong, removes leading ideographic indent spaces and font tags', () => {
    expect(textOf(root.querySelector('p:not([style]) strong'))).toBe('严格执行');
    const duty = Array.from(root.querySelectorAll('p')).find((p) => textOf(p).includes('加强值班值守'));
    expect(duty?.textContent?.startsWith('各单位要加强值班值守，')).toBe(true);
    expect(textOf(root.querySelector('table'))).toContain('0373-1234567');
    expect(textOf(root.querySelector('p[style="text-align:right"]'))).toBe('区应急管理局');
    expectNoJunk(result.html);
    expect(result.droppedImages).toBe(0);
  });
});

describe('cleanPastedHtml: web page', () => {
  const result = cleanPastedHtml(fixture('web.html'));
  const root = parse(result.html);

  it('removes scripts, event handlers and dangerous URLs', () => {
    expect(result.html).not.toMatch(/<script|alert\(|onerror|onclick|onload|javascript:|vbscript:|data:text\/html|<iframe|<svg|<form|<input|<button/i);
    expect(textOf(root)).toContain('点击查看详情');
    expect(textOf(root)).toContain('数据链接');
  });

  it('keeps safe links without their extra attributes', () => {
    const links = Array.from(root.querySelectorAll('a'));
    expect(links.map((a) => a.getAttribute('href'))).toEqual(['https://www.gov.cn/', 'mailto:office@example.gov.cn']);
    expect(links[0]?.attributes).toHaveLength(1);
  });

  it('keeps remote and embedded images, and counts the one it cannot read', () => {
    const images = Array.from(root.querySelectorAll('img'));
    expect(images).toHaveLength(2);
    expect(images[0]?.getAttribute('src')).toBe('https://www.example.gov.cn/uploads/2021/06/meeting.jpg');
    expect(images[1]?.getAttribute('src')?.startsWith('data:image/png;base64,iVBORw0KGgo')).toBe(true);
    expect(images[0]?.getAttribute('alt')).toBe('会议现场');
    expect(images[0]?.hasAttribute('width')).toBe(false);
    expect(result.droppedImages).toBe(1);
  });

  it('maps CSS and legacy formatting to semantic marks and keeps structure', () => {
    expect(Array.from(root.querySelectorAll('strong')).map(textOf)).toEqual(['安全生产', '一是', '加粗']);
    expect(Array.from(root.querySelectorAll('em')).map(textOf)).toEqual(['防汛抗旱', '倾斜']);
    expect(Array.from(root.querySelectorAll('u')).map(textOf)).toEqual(['工作', '下划']);
    expect(textOf(root.querySelector('s'))).toBe('删除');
    expect(root.querySelectorAll('ul > li')).toHaveLength(2);
    expect(root.querySelectorAll('ol > li')).toHaveLength(2);
    expect(Array.from(root.querySelectorAll('th')).map(textOf)).toEqual(['区县', '责任人']);
    expect(textOf(root.querySelector('blockquote'))).toBe('“绿水青山就是金山银山。”');
    expect(root.querySelector('h2')?.getAttribute('style')).toBe('text-align:center');
    expect(textOf(root)).toContain('红色文字');
    expectNoJunk(result.html);
  });
});

describe('stripOfficeJunk', () => {
  it('keeps only the clipboard fragment and removes Office bulk before parsing', () => {
    const word = fixture('word.html');
    const stripped = stripOfficeJunk(word);
    expect(stripped.length).toBeLessThan(word.length * 0.75);
    expect(stripped).not.toMatch(/<style|<xml|<o:p|@list|<meta|<!--\[if/i);
    expect(stripped).toContain('<![if !supportLists]>');
  });
});

describe('cleanPastedHtml: large pastes', () => {
  // jsdom is far slower than Chromium; timing is measured by bench/editor.ts.
  it('cleans a large Word paste without losing a paragraph', () => {
    const word = fixture('word.html');
    const body = word.slice(word.indexOf('<!--StartFragment-->') + 20, word.indexOf('<!--EndFragment-->'));
    const copies = Math.ceil(250_000 / body.length);
    const big = `<html><body><!--StartFragment-->${body.repeat(copies)}<!--EndFragment--></body></html>`;
    const started = performance.now();
    const result = cleanPastedHtml(big);
    const elapsed = performance.now() - started;
    const root = parse(result.html);
    expect(root.querySelectorAll('table')).toHaveLength(copies);
    expect(result.droppedImages).toBe(copies);
    expect(result.html.split('重点企业负责人共计150余人参加会议。').length - 1).toBe(copies);
    console.info(`cleanPastedHtml ${big.length} chars (jsdom): ${elapsed.toFixed(0)} ms`);
  });

  it('does not break on malformed or hostile fragments', () => {
    const result = cleanPastedHtml('<p>未闭合<b>加粗<p>第二段<img src=x onerror=alert(1)//<script>alert(2)</script>');
    expect(result.html).not.toMatch(/onerror|<script/i);
    expect(textOf(parse(result.html))).toContain('未闭合加粗');
    expect(textOf(parse(result.html))).toContain('第二段');
  });
});

describe('splitHtmlBlocks (large pastes)', () => {
  it('cuts only between top-level blocks and loses nothing', async () => {
    const { splitHtmlBlocks } = await import('../../../renderer/src/editor/paste/large-paste');
    const word = fixture('word.html');
    const body = stripOfficeJunk(word).repeat(20);
    const chunks = splitHtmlBlocks(body, 2_000);
    expect(chunks.length).toBeGreaterThan(10);
    // Only whitespace between slices may be left out.
    expect(chunks.join('').replace(/\s+/g, '')).toBe(body.replace(/\s+/g, ''));
    for (const chunk of chunks) {
      // Every table and every run of Word list paragraphs stays whole in one slice.
      expect(chunk.split('<table').length).toBe(chunk.split('</table>').length);
      expect(chunk).not.toMatch(/^\s*<p[^>]*mso-list/);
    }
  });
});
