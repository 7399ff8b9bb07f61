import type { Page } from '@playwright/test';
import { call } from './api';
import { expect, test } from './host';
import { ADMIN, setupAdmin, signIn } from './session';

async function openArticle(page: Page, title: string) {
  await page.getByRole('button', { name: '文稿列表', exact: true }).click();
  await page.getByRole('cell', { name: title }).click();
  await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
}

test('the mobile preview, and 长者模式 on mobile, fill the column from top to bottom at any window size', async ({ page, host }) => {
  await setupAdmin(host);
  const title = '区管委会召开安全生产工作会议';
  await call(host, 'articles:create', { template: 'blank', input: { title } });
  await signIn(page, host, ADMIN.name, ADMIN.password);
  await openArticle(page, title);
  await page.getByRole('button', { name: '预览', exact: true }).click();
  await page.getByRole('button', { name: '手机', exact: true }).click();
  const frame = page.locator('iframe.preview-frame');
  await expect(frame).toHaveAttribute('data-device', 'mobile');

  const stage = page.locator('.preview-stage');
  const fills = async () => {
    const s = await stage.boundingBox();
    const f = await frame.boundingBox();
    if (!s || !f) return Number.POSITIVE_INFINITY;
    // The stage has 8 px padding each side; what is left must be the frame.
    return Math.abs(s.height - 16 - f.height);
  };
  for (const size of [
    { width: 1600, height: 1000 },
    { width: 1280, height: 720 },
    { width: 1920, height: 1200 },
  ]) {
    await page.setViewportSize(size);
    await expect.poll(fills).toBeLessThanOrEqual(2);
    expect((await frame.boundingBox())?.height ?? 0).toBeGreaterThan(300);
  }
  await page.getByRole('checkbox', { name: '长者模式' }).check();
  await expect.poll(fills).toBeLessThanOrEqual(2);

  // The desktop page is drawn smaller in a narrow window, and still reaches the bottom as the window shrinks and grows.
  await page.getByRole('button', { name: '电脑', exact: true }).click();
  await expect(frame).toHaveAttribute('data-device', 'desktop');
  for (const size of [
    { width: 1280, height: 1000 },
    { width: 1100, height: 700 },
    { width: 1400, height: 900 },
  ]) {
    await page.setViewportSize(size);
    await expect.poll(async () => Number(await frame.getAttribute('data-scale'))).toBeLessThan(1);
    await expect.poll(fills).toBeLessThanOrEqual(2);
  }
});

/** How many characters each visible line of the element's text holds, read from the layout (clamped lines left out). */
function lineLengths(element: HTMLElement): number[] {
  const bottom = element.getBoundingClientRect().bottom;
  const text = element.firstChild;
  if (!text || text.nodeType !== Node.TEXT_NODE) return [];
  const range = document.createRange();
  const tops: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < (text.textContent ?? '').length; i++) {
    range.setStart(text, i);
    range.setEnd(text, i + 1);
    const top = Math.round(range.getBoundingClientRect().top);
    if (top >= bottom) break;
    if (tops.length === 0 || Math.abs(top - (tops.at(-1) ?? 0)) > 4) {
      tops.push(top);
      counts.push(0);
    }
    counts[counts.length - 1] = (counts.at(-1) ?? 0) + 1;
  }
  return counts;
}

test('a long title wraps into even lines in the list and the editor header, never one character alone', async ({ page, host }) => {
  await setupAdmin(host);
  const title = '关于开展二〇二四年度全区安全生产大检查暨重点行业领域隐患排查整治百日攻坚专项行动的实施方案的通知';
  await call(host, 'articles:create', { template: 'blank', input: { title } });
  await signIn(page, host, ADMIN.name, ADMIN.password);
  const cell = page.getByRole('cell', { name: title }).getByRole('button');
  await expect(cell).toBeVisible();
  let wrapped = 0;
  for (let width = 760; width <= 1500; width += 20) {
    await page.setViewportSize({ width, height: 800 });
    const lines = await cell.evaluate(lineLengths);
    expect(lines.reduce((a, b) => a + b, 0)).toBe(title.length);
    if (lines.length > 1) {
      wrapped++;
      expect(Math.min(...lines), `list at ${width}px: ${lines.join('+')}`).toBeGreaterThan(1);
    }
  }
  // The check means something only if the title did wrap at some of those widths.
  expect(wrapped).toBeGreaterThan(0);

  await page.setViewportSize({ width: 1280, height: 800 });
  await page.getByRole('cell', { name: title }).click();
  const heading = page.getByRole('heading', { name: title, level: 1 });
  await expect(heading).toBeVisible();
  const headingLines = await heading.evaluate(lineLengths);
  // Two lines at most (the rest is clamped; the full title is the tooltip).
  expect(headingLines.length).toBe(2);
  expect(Math.min(...headingLines)).toBeGreaterThan(1);
});

test('focus: into the text after creating an article, back to the opener after a dialog, one Tab stop for the toolbar', async ({
  page,
  host,
}) => {
  await setupAdmin(host);
  await signIn(page, host, ADMIN.name, ADMIN.password);

  // A dialog closed with Escape hands focus back to the button that opened it, not to the page body.
  const newButton = page.getByRole('button', { name: '新建', exact: true });
  await newButton.click();
  const dialog = page.getByRole('dialog', { name: '新建文稿' });
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(newButton).toBeFocused();

  // Escape still closes it when focus has left the dialog (as after a download), and Tab comes back inside.
  await newButton.click();
  await expect(dialog).toBeVisible();
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Tab');
  expect(await dialog.evaluate((box) => box.contains(document.activeElement))).toBe(true);
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  // Creating an article puts the cursor in its text: typing goes straight in.
  await newButton.click();
  await page.getByRole('radio', { name: /空白文稿/ }).check();
  await page.getByRole('button', { name: '创建并打开' }).click();
  const body = page.getByRole('textbox', { name: '在此输入正文…' });
  await expect(body).toBeFocused();
  await page.keyboard.type('会议强调');
  await expect(body).toContainText('会议强调');

  // The toolbar is one Tab stop; arrow keys move along it; its icons are drawn (not empty boxes).
  const toolbar = page.getByRole('toolbar', { name: '编辑工具栏' });
  await expect(toolbar.locator('[data-toolbar-item][tabindex="0"]')).toHaveCount(1);
  const stop = toolbar.locator('[data-toolbar-item][tabindex="0"]');
  await stop.focus();
  const before = await stop.getAttribute('aria-label');
  await page.keyboard.press('ArrowRight');
  const focusedLabel = await page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.tagName);
  expect(focusedLabel).not.toBe(before);
  expect(await page.evaluate(() => document.activeElement?.closest('[role="toolbar"]') !== null)).toBe(true);
  await expect(toolbar.locator('[data-toolbar-item][tabindex="0"]')).toHaveCount(1);
  for (const name of ['链接（Ctrl+K）', '插入图片', '插入表格']) {
    const icon = toolbar.getByRole('button', { name }).locator('svg');
    const box = await icon.boundingBox();
    expect(box?.width ?? 0, name).toBeGreaterThan(10);
  }
});
