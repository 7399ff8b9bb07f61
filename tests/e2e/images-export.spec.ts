import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { call } from './api';
import { expect, test } from './host';
import { signInAsAdmin } from './session';

const png = join(import.meta.dirname, '../../build/icons/64x64.png');

test('an image from a file is kept in the workspace with alt text and caption, and exported with the article', async ({
  page,
  host,
}) => {
  const created = await call(host, 'articles:create', { template: 'blank', input: { title: '图片稿件' } });
  await signInAsAdmin(page, host);
  await page.getByRole('cell', { name: '图片稿件' }).click();
  const editor = page.getByRole('textbox', { name: '在此输入正文…' });
  await editor.click();
  await page.keyboard.insertText('会议现场如下。');

  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: /插入图片/ }).click();
  await (await chooser).setFiles(png);

  // The image is shown from the workspace and the missing alt text is pointed out.
  const image = page.locator('.gz-image img');
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await page.getByRole('button', { name: '缺少替代文本' }).click();
  await page.getByLabel('替代文本').fill('会议现场全景');
  await page.getByLabel('图片说明', { exact: true }).fill('全区领导干部会议现场');
  await page.getByRole('button', { name: '完成' }).click();
  await expect(page.getByRole('button', { name: '缺少替代文本' })).toHaveCount(0);
  await expect(page.getByTestId('save-status')).toContainText('已保存', { timeout: 5_000 });

  const stored = await call(host, 'articles:get', { id: created.id });
  const node = JSON.stringify(stored.doc);
  expect(node).toMatch(/"src":"assets\/[0-9a-f]{20}\.png"/);
  expect(node).toContain('"alt":"会议现场全景"');
  expect(node).toContain('"caption":"全区领导干部会议现场"');

  // Save a named version, then export: HTML carries the figure with its caption, JSON the whole article.
  await page.getByRole('button', { name: '保存版本' }).click();
  await page.getByRole('dialog').getByLabel('版本名称').fill('送审前');
  await page.getByRole('dialog').getByRole('button', { name: '保存', exact: true }).click();
  await page.getByRole('button', { name: '版本', exact: true }).click();
  await expect(page.getByRole('dialog')).toContainText('送审前');
  await page.getByRole('dialog').getByRole('button', { name: /关闭|×/ }).first().click();

  const htmlDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出 HTML' }).click();
  const html = readFileSync((await (await htmlDownload).path())!, 'utf8');
  expect(html).toContain('<title>图片稿件</title>');
  expect(html).toContain('会议现场如下。');
  expect(html).toMatch(/<figure[^>]*>\s*<img[^>]*alt="会议现场全景"/);
  expect(html).toContain('<figcaption>全区领导干部会议现场</figcaption>');
  expect(html).not.toMatch(/<script/i);

  const jsonDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出 JSON' }).click();
  const exported = JSON.parse(readFileSync((await (await jsonDownload).path())!, 'utf8'));
  expect(exported.meta.title).toBe('图片稿件');
  expect(JSON.stringify(exported.doc)).toContain('会议现场全景');
});
