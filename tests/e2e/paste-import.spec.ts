import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { call } from './api';
import { expect, type RunningHost, test } from './host';
import { signInAsAdmin } from './session';

const fixtures = join(import.meta.dirname, '../fixtures');

async function pasteHtml(page: Page, html: string) {
  const editor = page.getByRole('textbox', { name: '在此输入正文…' });
  await editor.click();
  await editor.evaluate((element, data) => {
    const transfer = new DataTransfer();
    transfer.setData('text/html', data);
    transfer.setData('text/plain', data.replace(/<[^>]+>/g, ''));
    element.dispatchEvent(new ClipboardEvent('paste', { clipboardData: transfer, bubbles: true, cancelable: true }));
  }, html);
}

async function openNewBlank(page: Page, host: RunningHost) {
  await signInAsAdmin(page, host);
  await page.getByRole('button', { name: '新建', exact: true }).click();
  await page.getByRole('radio', { name: /空白文稿/ }).check();
  await page.getByLabel('标题', { exact: true }).fill('粘贴测试');
  await page.getByRole('button', { name: '创建并打开' }).click();
}

test('pasting from Word keeps structure and drops Office clutter', async ({ page, host }) => {
  await openNewBlank(page, host);
  await pasteHtml(page, readFileSync(join(fixtures, 'paste/word.html'), 'utf8'));
  const editor = page.getByRole('textbox', { name: '在此输入正文…' });

  // Structure survives: paragraphs, headings, real lists from Word's fake lists, the table, bold.
  await expect(editor.locator('ul li', { hasText: '坚持高位推动学' })).toHaveCount(1);
  await expect(editor.locator('ol li', { hasText: '坚持生态优先' })).toHaveCount(1);
  await expect(editor.locator('table td, table th').filter({ hasText: '新东产业集聚区' })).toHaveCount(1);
  await expect(editor.locator('h1, h2, h3').first()).toBeVisible();
  await expect(editor.locator('strong').first()).toBeVisible();
  // Full-width punctuation and Chinese text are untouched.
  await expect(editor).toContainText('站在增强“四个意识”、坚定“四个自信”、做到“两个维护”的高度，用心感悟、牢记嘱托；');
  // The list markers Word typed by hand (l, 1., a)) are not left in the text.
  await expect(editor.locator('ul li').first()).not.toContainText(/^l\s/);

  await expect(page.getByTestId('save-status')).toContainText('已保存', { timeout: 5_000 });
  const { items } = await call(host, 'articles:list', {});
  const stored = JSON.stringify((await call(host, 'articles:get', { id: items[0]!.id })).doc);
  for (const junk of ['mso-', 'MsoNormal', '"class":"', '"style"', 'font-family', '<o:p>', 'o:p', '[if', 'color:', 'lang']) {
    expect(stored, `stored document still has ${junk}`).not.toContain(junk);
  }
  expect(stored).toContain('坚持培训驱动学');
});

test('pasting a web page never lets scripts, event handlers or javascript: links through', async ({ page, host }) => {
  await openNewBlank(page, host);
  const dialogs: string[] = [];
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  await pasteHtml(page, readFileSync(join(fixtures, 'paste/web.html'), 'utf8'));
  await pasteHtml(
    page,
    '<p>测试<img src="x" onerror="alert(1)"><a href="javascript:alert(2)">恶意链接</a><script>alert(3)</script></p>',
  );
  const editor = page.getByRole('textbox', { name: '在此输入正文…' });
  await expect(editor).toContainText('恶意链接');
  await expect(editor.locator('script')).toHaveCount(0);
  await expect(editor.locator('[onerror], [onclick], [onload]')).toHaveCount(0);
  await expect(editor.locator('a[href^="javascript"]')).toHaveCount(0);
  await page.waitForTimeout(300);
  expect(dialogs).toEqual([]);
  await expect(page.getByTestId('save-status')).toContainText('已保存', { timeout: 5_000 });
  const { items } = await call(host, 'articles:list', {});
  const stored = JSON.stringify((await call(host, 'articles:get', { id: items[0]!.id })).doc);
  expect(stored).not.toMatch(/javascript:|onerror|<script/i);
});

test('importing the sample portal page fills title, date, source, column and body', async ({ page, host }) => {
  await signInAsAdmin(page, host);
  await page.getByRole('button', { name: '导入', exact: true }).click();
  await page.getByRole('tab', { name: '粘贴文本', exact: true }).click();
  await page.getByLabel('网页文本').fill(readFileSync(join(fixtures, 'portal/sample-2021-05-20.txt'), 'utf8'));
  await page.getByRole('button', { name: '识别并导入' }).click();
  const results = page.getByRole('dialog');
  await expect(results).toContainText('区党政办');
  await expect(results).toContainText('2021-05-20');
  await expect(results).toContainText('首页 › 要闻动态 › 政务要闻');

  // The same page a second time: nothing is created, the existing article is named.
  await page.getByRole('button', { name: '识别并导入' }).click();
  await expect(results).toContainText(
    '已存在，未重复导入：《新乡经开区召开全区领导干部会议 传达学习习近平总书记重要讲话指示精神》',
  );
  await expect(results).toContainText('已导入 0 篇，1 篇已存在未重复导入，失败 0 个');
  expect((await call(host, 'articles:list', {})).items).toHaveLength(1);
  // Imported again on purpose: a second article.
  await results.getByRole('button', { name: /^仍然导入/ }).click();
  await expect(results).toContainText('已导入 1 篇，失败 0 个');
  await expect(results).not.toContainText('已存在，未重复导入');
  expect((await call(host, 'articles:list', {})).items).toHaveLength(2);

  await results.getByRole('button', { name: /打开/ }).first().click();

  await expect(page.getByLabel('标题', { exact: true })).toHaveValue(
    '新乡经开区召开全区领导干部会议 传达学习习近平总书记重要讲话指示精神',
  );
  await expect(page.getByLabel('来源')).toHaveValue('区党政办');
  await expect(page.getByLabel('发布日期')).toHaveValue('2021-05-20');
  const editor = page.getByRole('textbox', { name: '在此输入正文…' });
  await expect(editor.locator('p')).toHaveCount(6);
  await expect(editor).toContainText('重点企业负责人共计150余人参加会议。');
  await expect(editor).not.toContainText('分享到');
});

test('importing files: Word and old GB18030 text succeed, a broken file is reported with its reason', async ({
  page,
  host,
}) => {
  await signInAsAdmin(page, host);
  await page.getByRole('button', { name: '导入', exact: true }).click();
  await page.getByRole('tab', { name: '选择文件', exact: true }).click();
  await page
    .getByLabel('选择要导入的文件')
    .setInputFiles([
      join(fixtures, 'docx/meeting.docx'),
      join(fixtures, 'docx/broken.docx'),
      join(fixtures, 'portal/gb18030-notice.txt'),
    ]);
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('已导入 2 篇，失败 1 个', { timeout: 20_000 });
  await expect(dialog).toContainText('broken.docx');
  await expect(dialog).toContainText('未导入。原因：');
  await expect(dialog).toContainText('已处理 3 / 3 个文件');
  await expect(page.getByRole('progressbar')).toHaveJSProperty('value', 3);

  const { items } = await call(host, 'articles:list', {});
  expect(items).toHaveLength(2);
  // The Word document's image was kept in the workspace and is served to the page.
  const articles = await Promise.all(items.map((item) => call(host, 'articles:get', { id: item.id })));
  const withImage = articles.find((article) => JSON.stringify(article.doc).includes('"type":"image"'));
  expect(withImage, 'the .docx image became an image node').toBeTruthy();
  expect(JSON.stringify(withImage!.doc)).toContain('"type":"table"');
});
