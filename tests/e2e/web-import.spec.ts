import { call } from './api';
import { expect, test } from './host';
import { signInAsAdmin } from './session';
import { type FixturePortal, startFixturePortal, TROUBLESOME } from '../support/fixture-portal';

let portal: FixturePortal;

test.beforeEach(async () => {
  portal = await startFixturePortal({ articles: 6, perPage: 4, troublesome: true });
});

test.afterEach(async () => {
  await portal.close();
});

test('a page imported by its address comes with its fields and photo; an address that fails says why', async ({ page, host }) => {
  await signInAsAdmin(page, host);
  await page.getByRole('button', { name: '导入', exact: true }).click();
  await page.getByRole('tab', { name: '网址导入', exact: true }).click();
  await page.getByLabel('文章网址').fill(portal.articleUrl(3));
  await page.getByRole('button', { name: '下载并导入' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('已导入 1 篇，失败 0 个', { timeout: 20_000 });
  await expect(dialog).toContainText('区党政办');
  await expect(dialog).toContainText('2024-05-04');
  const { items } = await call(host, 'articles:list', {});
  expect(items.map((item) => item.title)).toEqual([portal.titleOf(3)]);
  const article = await call(host, 'articles:get', { id: items[0]!.id });
  expect(article.doc.content.filter((node) => node.type === 'image')).toHaveLength(1);

  await page.getByLabel('文章网址').fill(`${portal.base}${TROUBLESOME.pdf}`);
  await page.getByRole('button', { name: '下载并导入' }).click();
  await expect(dialog).toContainText('不是网页（类型为 application/pdf）');
});

test('a column migrated from its listing address stops, resumes, shows its counts and what failed and why', async ({ page, host }) => {
  // One-second pauses and a page that waits out the 20 s time limit.
  test.setTimeout(150_000);
  await signInAsAdmin(page, host);
  await page.getByRole('button', { name: '导入', exact: true }).click();
  await page.getByRole('tab', { name: '迁移栏目', exact: true }).click();
  await page.getByLabel('栏目列表页网址').fill(portal.listingUrl);
  await page.getByLabel('每次请求间隔（秒）').fill('1');
  await page.getByRole('button', { name: '开始迁移' }).click();
  const row = page.locator('.migration').first();
  await expect(row).toContainText('正在迁移');
  await row.getByRole('button', { name: '停止' }).click();
  await expect(row).toContainText('已停止，可继续', { timeout: 30_000 });
  const importedAtStop = (await call(host, 'articles:list', {})).items.length;
  expect(importedAtStop).toBeLessThan(7);
  await row.getByRole('button', { name: '继续迁移' }).click();
  // The slow page waits out the 20 s time limit.
  await expect(row).toContainText('已完成', { timeout: 90_000 });
  await expect(row).toContainText('文章：发现 10 篇，已处理 10 篇（导入 7，已存在 0，失败 3）');
  await row.getByText('失败的网页（共 3 个）').click();
  await expect(row).toContainText('HTTP 500');
  await expect(row).toContainText('秒内没有传完');
  expect((await call(host, 'articles:list', {})).items).toHaveLength(7);
});
