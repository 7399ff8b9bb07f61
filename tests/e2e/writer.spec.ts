import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { call } from './api';
import { expect, test } from './host';
import { ADMIN, setupAdmin, signIn } from './session';

const fixtures = join(import.meta.dirname, '../fixtures');

/** The editor's editable body. */
function body(page: Page) {
  return page.getByRole('textbox', { name: '在此输入正文…' });
}

async function waitSaved(page: Page) {
  await expect(page.getByTestId('save-status')).toContainText('已保存', { timeout: 5_000 });
}

/**
 * Types Chinese the way an IME does in Chromium: a composition with pinyin
 * that is then committed as Han characters (CDP Input.imeSetComposition + insertText).
 */
async function typeWithIme(page: Page, pinyin: string, committed: string) {
  const cdp = await page.context().newCDPSession(page);
  for (let i = 1; i <= pinyin.length; i++) {
    await cdp.send('Input.imeSetComposition', { text: pinyin.slice(0, i), selectionStart: i, selectionEnd: i });
  }
  await cdp.send('Input.insertText', { text: committed });
  await cdp.detach();
}

test('create meeting news from the template, write Chinese, fill metadata; after a reload everything is still there', async ({
  page,
  host,
}) => {
  await setupAdmin(host);
  await signIn(page, host, ADMIN.name, ADMIN.password);
  await page.getByRole('button', { name: '新建', exact: true }).click();
  await page.getByRole('radio', { name: /会议新闻/ }).check();
  await page.getByLabel('会议日期').fill('2021-05-19');
  await page.getByLabel('会议名称').fill('全区领导干部会议');
  await page.getByLabel('主持人').fill('区党工委书记刘思江');
  await page.getByLabel('地点', { exact: true }).fill('区行政中心三楼会议室');
  await page.getByRole('button', { name: '添加单位/群体' }).click();
  await page.getByRole('group', { name: '参会人员 1' }).getByLabel('单位或群体').fill('重点企业负责人');
  await page.getByLabel('参会人数').fill('150');
  await page.getByRole('button', { name: '创建并打开' }).click();

  // The template wrote the lead from the meeting fields and the closing attendees sentence.
  await expect(body(page)).toContainText('5月19日');
  await expect(body(page)).toContainText('全区领导干部会议');
  await expect(body(page)).toContainText('区党工委书记刘思江主持');
  await expect(body(page)).toContainText('重点企业负责人共计150余人参加会议。');

  // Type at the end of the body: once through insertText (as an IME commits) and once through a real composition.
  await body(page).click();
  await page.keyboard.press('Control+End');
  await page.keyboard.press('Enter');
  await page.keyboard.insertText('会议强调，要坚持生态优先，推进南水北调后续工程高质量发展。');
  await typeWithIme(page, 'jiandingxinxin', '坚定信心');
  await page.keyboard.insertText('，埋头苦干。');

  await page.getByLabel('标题', { exact: true }).fill('经开区召开全区领导干部会议');
  await page.getByLabel('来源').fill('区党政办');
  await page.getByLabel('作者').fill('王晓明');
  const keywords = page.getByLabel('关键词');
  await keywords.fill('南水北调');
  await keywords.press('Enter');
  await keywords.fill('生态');
  await keywords.press('Enter');
  await page.getByLabel('摘要').fill('传达学习重要讲话精神。');

  const roles = page.getByRole('group', { name: '参会人员 1' });
  await expect(roles.getByLabel('单位或群体')).toHaveValue('重点企业负责人');
  await waitSaved(page);

  // The IME composition committed exactly once.
  const text = (await body(page).textContent()) ?? '';
  expect(text.split('坚定信心').length - 1).toBe(1);
  expect(text).toContain('推进南水北调后续工程高质量发展。坚定信心，埋头苦干。');
  expect(text).not.toContain('jianding');

  // Chinese typography: body paragraphs are indented two characters, full-width punctuation kept.
  const indent = await body(page)
    .locator('p')
    .first()
    .evaluate((p) => getComputedStyle(p).textIndent);
  const fontSize = await body(page)
    .locator('p')
    .first()
    .evaluate((p) => Number.parseFloat(getComputedStyle(p).fontSize));
  expect(Number.parseFloat(indent)).toBeCloseTo(fontSize * 2, 0);

  // The character count counts Han characters one by one (not "words" split on spaces).
  await expect(page.getByTestId('char-count')).toContainText(/字数\s*\d{2,}/);

  await page.reload();
  await expect(page.getByRole('cell', { name: '经开区召开全区领导干部会议' })).toBeVisible();
  await page.getByRole('cell', { name: '经开区召开全区领导干部会议' }).click();
  await expect(page.getByLabel('标题', { exact: true })).toHaveValue('经开区召开全区领导干部会议');
  await expect(page.getByLabel('来源')).toHaveValue('区党政办');
  await expect(page.getByLabel('作者')).toHaveValue('王晓明');
  await expect(page.getByLabel('摘要')).toHaveValue('传达学习重要讲话精神。');
  await expect(page.getByTestId('keyword-chips')).toContainText('南水北调');
  await expect(page.getByTestId('keyword-chips')).toContainText('生态');
  await expect(page.getByRole('group', { name: '参会人员 1' }).getByLabel('单位或群体')).toHaveValue('重点企业负责人');
  await expect(page.getByLabel('参会人数')).toHaveValue('150');
  await expect(body(page)).toContainText('推进南水北调后续工程高质量发展。坚定信心，埋头苦干。');

  // What the store holds is what was typed.
  const { items } = await call(host, 'articles:list', {});
  expect(items).toHaveLength(1);
  const stored = await call(host, 'articles:get', { id: items[0]!.id });
  expect(stored.meta.meeting?.host).toBe('区党工委书记刘思江');
  expect(stored.meta.keywords).toEqual(['南水北调', '生态']);
  expect(JSON.stringify(stored.doc)).toContain('坚定信心，埋头苦干。');
});

test('the list filters by status and column and finds Chinese full text', async ({ page, host }) => {
  await setupAdmin(host);
  const sample = readFileSync(join(fixtures, 'portal/sample-2021-05-20.txt'), 'utf8');
  await call(host, 'import:text', { text: sample, name: 'sample.txt' });
  const notice = await call(host, 'articles:create', { template: 'notice', input: { title: '关于开展安全生产检查的通知' } });
  await call(host, 'articles:save', {
    id: notice.id,
    meta: notice.meta,
    doc: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: '各有关单位：请做好检查。' }] }] },
  });

  await signIn(page, host, ADMIN.name, ADMIN.password);
  await expect(page.getByText('共 2 篇')).toBeVisible();

  await page.getByLabel('搜索').fill('南水北调');
  await expect(page.getByText('共 1 篇')).toBeVisible();
  await expect(page.getByRole('cell', { name: /新乡经开区召开全区领导干部会议/ })).toBeVisible();
  await page.getByLabel('搜索').fill('生态');
  await expect(page.getByText('共 1 篇')).toBeVisible();
  await page.getByLabel('搜索').fill('安全生产');
  await expect(page.getByText('共 1 篇')).toBeVisible();
  await expect(page.getByRole('cell', { name: '关于开展安全生产检查的通知' })).toBeVisible();
  await page.getByLabel('搜索').fill('');

  await page.getByLabel('栏目').selectOption({ label: '首页 › 通知公告' });
  await expect(page.getByText('共 1 篇')).toBeVisible();
  await expect(page.getByRole('cell', { name: '关于开展安全生产检查的通知' })).toBeVisible();
  await page.getByLabel('栏目').selectOption({ label: '首页 › 要闻动态 › 政务要闻' });
  await expect(page.getByRole('cell', { name: /新乡经开区召开全区领导干部会议/ })).toBeVisible();

  await page.getByLabel('栏目').selectOption({ label: '全部栏目' });
  await page.getByLabel('状态').selectOption({ label: '已发布' });
  await expect(page.getByText('没有符合条件的文稿。')).toBeVisible();
  await page.getByLabel('状态').selectOption({ label: '草稿' });
  await expect(page.getByText('共 2 篇')).toBeVisible();
});

test('a workspace with more articles than one page shows the first page and the total, and reaches the last article', async ({ page, host }) => {
  await setupAdmin(host);
  // One page is 50 rows; 55 articles need a second. Created oldest first, so 稿件 01 is the last row of the list.
  for (let i = 1; i <= 55; i++) {
    await call(host, 'articles:create', { template: 'blank', input: { title: `分页稿件 ${String(i).padStart(2, '0')}` } });
  }
  await signIn(page, host, ADMIN.name, ADMIN.password);
  await expect(page.getByText('共 55 篇', { exact: true })).toBeVisible();
  const rows = page.locator('.article-table tbody tr');
  await expect(rows).toHaveCount(50);
  await expect(page.getByRole('cell', { name: '分页稿件 55' })).toBeVisible();
  await expect(page.getByRole('cell', { name: '分页稿件 01' })).toHaveCount(0);
  await expect(page.getByText('已显示 50 篇，共 55 篇')).toBeVisible();

  await page.getByRole('button', { name: '显示更多' }).click();
  await expect(rows).toHaveCount(55);
  await expect(page.getByRole('cell', { name: '分页稿件 01' })).toBeVisible();
  await expect(page.getByRole('button', { name: '显示更多' })).toHaveCount(0);

  // Search still looks at every article, not just the rows shown.
  await page.getByLabel('搜索').fill('稿件 03');
  await expect(page.getByText('共 1 篇')).toBeVisible();
  await expect(page.getByRole('cell', { name: /分页稿件 03/ })).toBeVisible();
});

test('delete moves to the trash, restore brings it back', async ({ page, host }) => {
  await setupAdmin(host);
  await call(host, 'articles:create', { template: 'blank', input: { title: '待删除的稿件' } });
  await signIn(page, host, ADMIN.name, ADMIN.password);
  await page.getByRole('cell', { name: '待删除的稿件' }).click();
  await page.getByRole('button', { name: '删除', exact: true }).click();
  await page.getByRole('button', { name: '移到回收站' }).click();
  await expect(page.getByText('共 0 篇')).toBeVisible();
  await page.getByRole('button', { name: '回收站', exact: true }).click();
  await page.getByRole('button', { name: '恢复「待删除的稿件」' }).click();
  await page.getByRole('button', { name: '文稿列表', exact: true }).click();
  await expect(page.getByRole('cell', { name: '待删除的稿件' })).toBeVisible();
});
