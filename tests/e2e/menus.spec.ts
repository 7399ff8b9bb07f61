import type { Page } from '@playwright/test';
import { call } from './api';
import { expect, test } from './host';
import { signInAsAdmin } from './session';

/*
 * The desktop conventions as the web host has them: the 文件 shortcuts
 * (Ctrl+N, Ctrl+O, Ctrl+P, Ctrl+S) and the right-click menu of a
 * proofreading mark. The desktop app's menu sends the same commands.
 */

function body(page: Page) {
  return page.getByRole('textbox', { name: '在此输入正文…' });
}

test('Ctrl+N opens a new article ready for typing, Ctrl+S saves a named version, Ctrl+P opens the print preview, Ctrl+O the import dialog; the tooltips name the keys', async ({
  page,
  host,
}) => {
  test.setTimeout(90_000);
  await signInAsAdmin(page, host);

  // On the list there is no article to print: the app says so instead of printing the page.
  await page.keyboard.press('Control+P');
  await expect(page.getByText('这个命令用于打开的文稿：请先打开一篇文稿')).toBeVisible();

  await page.keyboard.press('Control+N');
  await expect(page.getByTestId('save-status')).toBeVisible();
  // The cursor is in the text: typing goes straight into the article.
  await expect(body(page)).toBeFocused();
  await page.keyboard.insertText('开发区召开安全生产工作会议。');
  await expect(body(page)).toContainText('开发区召开安全生产工作会议。');
  await expect(page.getByTestId('save-status')).toContainText('已保存', { timeout: 5_000 });
  // One press, one article.
  expect((await call(host, 'articles:list', {})).items).toHaveLength(1);

  await expect(page.getByRole('button', { name: '保存版本', exact: true })).toHaveAttribute('title', '保存版本（Ctrl+S）');
  await expect(page.getByRole('button', { name: '打印', exact: true })).toHaveAttribute('title', '打印（Ctrl+P）');

  await page.keyboard.press('Control+S');
  const save = page.getByRole('dialog', { name: '保存版本' });
  await expect(save).toBeVisible();
  // A second press while the dialog is open opens nothing more.
  await page.keyboard.press('Control+S');
  await expect(page.getByRole('dialog')).toHaveCount(1);
  await save.getByLabel('版本名称').fill('送审前');
  await page.keyboard.press('Enter');
  await expect(save).toHaveCount(0);
  await page.getByRole('button', { name: '版本', exact: true }).click();
  const versions = page.getByRole('dialog', { name: '版本' });
  await expect(versions).toContainText('送审前');
  await page.keyboard.press('Escape');
  await expect(versions).toHaveCount(0);

  await body(page).click();
  await page.keyboard.press('Control+P');
  const preview = page.getByRole('dialog', { name: '打印预览' });
  await expect(preview).toBeVisible();
  // The pages are laid out from the article (its text is inside the preview's frame).
  await expect(preview).toContainText('共 1 页', { timeout: 15_000 });
  await page.keyboard.press('Escape');
  await expect(preview).toHaveCount(0);

  await page.keyboard.press('Control+O');
  await expect(page.getByRole('dialog', { name: '导入文稿' })).toBeVisible();
});

test('right-click on a proofreading mark offers its suggestion, which fixes the text, and 忽略, which hides the mark', async ({ page, host }) => {
  test.setTimeout(90_000);
  await signInAsAdmin(page, host);
  await page.keyboard.press('Control+N');
  await expect(body(page)).toBeFocused();
  await page.keyboard.insertText('会议学习了中华人民共合国宪法,要求各单位认真落实。');

  const wrongName = page.locator('.gz-proof-error').filter({ hasText: '中华人民共合国' }).first();
  await expect(wrongName).toBeVisible({ timeout: 5_000 });
  await wrongName.click({ button: 'right' });
  const menu = page.getByRole('menu', { name: '校对建议' });
  await expect(menu).toBeVisible();
  // Keyboard first: the suggestion has the focus, as in a native menu.
  await expect(menu.getByRole('menuitem', { name: '改为“中华人民共和国宪法”' })).toBeFocused();
  await menu.getByRole('menuitem', { name: '改为“中华人民共和国宪法”' }).click();
  await expect(menu).toHaveCount(0);
  await expect(body(page)).toContainText('学习了中华人民共和国宪法,要求');

  const comma = page.locator('.gz-proof', { hasText: ',' }).first();
  await expect(comma).toBeVisible({ timeout: 5_000 });
  await comma.click({ button: 'right' });
  await page.getByRole('menu', { name: '校对建议' }).getByRole('menuitem', { name: '忽略' }).click();
  await expect(page.locator('.gz-proof', { hasText: ',' })).toHaveCount(0);
  // 忽略 hides the mark only: the text is as the writer left it, and the next check keeps it hidden.
  await expect(body(page)).toContainText('宪法,要求');
  await page.keyboard.insertText('再');
  await page.waitForTimeout(1_500);
  await expect(page.locator('.gz-proof', { hasText: ',' })).toHaveCount(0);

  // Escape closes the menu and gives the text back its cursor.
  await page.keyboard.insertText('中华人民共合国');
  const second = page.locator('.gz-proof-error').filter({ hasText: '中华人民共合国' }).first();
  await expect(second).toBeVisible({ timeout: 5_000 });
  await second.click({ button: 'right' });
  await expect(page.getByRole('menu', { name: '校对建议' })).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByRole('menu')).toHaveCount(0);
  await expect(body(page)).toBeFocused();

  // An ignored error leaves the count, but the 校对 tab says it still stops a submission.
  await second.click({ button: 'right' });
  await page.getByRole('menu', { name: '校对建议' }).getByRole('menuitem', { name: '忽略' }).click();
  await expect(page.locator('.gz-proof-error')).toHaveCount(0);
  await page.getByRole('tab', { name: /校对/ }).click();
  await expect(page.getByTestId('proof-ignored')).toContainText('另有 1 处错误已忽略');
});
