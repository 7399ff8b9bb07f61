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
});
