import type { Page } from '@playwright/test';
import { expect, test } from './host';
import { addPerson, setupAdmin, signIn, signInAsAdmin } from './session';

const PASSWORD = 'proofread-pass-2021';
const EDITOR_NAME = '陈编辑';

function body(page: Page) {
  return page.getByRole('textbox', { name: '在此输入正文…' });
}

async function newArticle(page: Page, title: string) {
  await page.getByRole('button', { name: '新建', exact: true }).click();
  await page.getByRole('radio', { name: /空白文稿/ }).check();
  await page.getByLabel('标题', { exact: true }).fill(title);
  await page.getByRole('button', { name: '创建并打开' }).click();
  await body(page).click();
}

test('checks while typing: marks and side list, one-click fix, submit refused while an error remains, reviewer overrides with a reason and the audit trail shows it', async ({
  page,
  host,
}) => {
  test.setTimeout(120_000);
  await setupAdmin(host);
  // Writes and reviews: the override is offered to reviewers and publishers only.
  await addPerson(host, { name: EDITOR_NAME, unit: '区党政办', roles: ['writer', 'reviewer'], password: PASSWORD });
  await signIn(page, host, EDITOR_NAME, PASSWORD);
  await newArticle(page, '区政府召开常务会议');

  await page.keyboard.insertText('会议学习了中华人民共合国宪法,要求各单位认真落实。');
  await page.keyboard.press('Enter');
  await page.keyboard.insertText('会议强调，要维护中华人民共合国法律权威。');

  // Marks appear in the text without any action from the writer.
  await expect(page.locator('.gz-proof-error').filter({ hasText: '中华人民共合国' }).first()).toBeVisible({ timeout: 5_000 });
  await expect(page.locator('.gz-proof', { hasText: ',' }).first()).toBeVisible();

  // The checks ran in the bundled Web Worker (allowed by the app's CSP), not on the page.
  const workerScripts = await page.evaluate(() =>
    performance.getEntriesByType('resource').filter((entry) => /\/worker-[^/]*\.js$/.test(entry.name)).length,
  );
  expect(workerScripts).toBeGreaterThan(0);

  await page.getByRole('tab', { name: /校对/ }).click();
  const errors = page.getByTestId('proof-group-error');
  await expect(errors).toContainText('中华人民共合国');
  await expect(page.getByTestId('proof-counts')).toContainText('预计阅读');

  // One click on the suggestion fixes the first wrong name (matched with its 宪法), and only that one.
  const firstError = page.getByTestId('proof-item').filter({ hasText: '中华人民共合国宪法' });
  await firstError.getByRole('button', { name: '改为“中华人民共和国宪法”' }).click();
  await expect(body(page)).toContainText('学习了中华人民共和国宪法');
  await expect(body(page)).toContainText('维护中华人民共合国法律权威');

  // The half-width comma gets its full-width replacement the same way.
  const comma = page.getByTestId('proof-item').filter({ hasText: ',' }).first();
  await comma.getByRole('button', { name: '改为“，”' }).click();
  await expect(body(page)).toContainText('宪法，要求各单位');
  await expect(page.locator('.gz-proof-error')).toHaveCount(1, { timeout: 5_000 });
  await expect(page.getByTestId('save-status')).toContainText('已保存', { timeout: 5_000 });

  // Submitting is refused while an error remains: the gate lists it.
  await page.getByRole('button', { name: '提交审核', exact: true }).click();
  const gate = page.getByRole('dialog', { name: '还有错误未处理' });
  await expect(gate.getByTestId('gate-error')).toHaveCount(1);
  await expect(gate.getByTestId('gate-error')).toContainText('中华人民共合国');

  // A reviewer may override it, but only with a written reason.
  await gate.getByRole('button', { name: '忽略并说明理由' }).click();
  await gate.getByRole('button', { name: '忽略并说明理由' }).click();
  await expect(gate.getByRole('alert')).toHaveText('请写明忽略的理由');
  await gate.getByLabel('忽略理由').fill('引用原文件标题，保持原样');
  await gate.getByRole('button', { name: '忽略并说明理由' }).click();
  await expect(gate.getByTestId('gate-error')).toHaveCount(0);
  await gate.getByRole('button', { name: '重新提交审核' }).click();

  await page.getByRole('dialog').getByLabel('提交说明').fill('请审核');
  await page.getByRole('dialog').getByRole('button', { name: '提交审核' }).click();
  await expect(page.getByTestId('review-status')).toContainText('审核中');

  // The override is in the article's history with its reason.
  await page.getByRole('tab', { name: '审核', exact: true }).click();
  await page.getByRole('tab', { name: '审核记录' }).click();
  const trail = page.getByRole('list', { name: '审核记录' });
  const entry = trail.getByRole('listitem').filter({ hasText: '校对放行' });
  await expect(entry).toHaveCount(1);
  await expect(entry).toContainText('引用原文件标题，保持原样');
  await expect(entry).toContainText('中华人民共合国');
});

test('rule-pack settings: defaults are read-only, a wrong import names the mistake, an office pack is added and used', async ({ page, host }) => {
  test.setTimeout(90_000);
  await signInAsAdmin(page, host);
  await page.getByRole('button', { name: '设置', exact: true }).click();
  const section = page.getByTestId('proof-settings');
  await expect(section.getByTestId('proof-pack').first()).toContainText('默认');

  // A pack with a mistake is refused with the validation message.
  await section.getByLabel('导入规则包（JSON 或 YAML）').setInputFiles({
    name: 'bad.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify({ id: 'office-bad', name: '错词', kind: 'misspelling', source: '本单位', entries: [{ text: '帐号' }] })),
  });
  await expect(section.getByTestId('proof-settings-error')).toContainText('suggestion');

  await section.getByLabel('导入规则包（JSON 或 YAML）').setInputFiles({
    name: 'office.json',
    mimeType: 'application/json',
    buffer: Buffer.from(
      JSON.stringify({
        id: 'office-words',
        name: '本单位错词',
        kind: 'misspelling',
        source: '本单位整理',
        entries: [{ text: '洛实', suggestion: '落实' }],
      }),
    ),
  });
  const officePack = section.getByTestId('proof-pack').filter({ hasText: '本单位错词' });
  await expect(officePack).toContainText('本单位');
  // The kind is named in words, not by its code.
  await expect(officePack).toContainText('易错词');
  await expect(officePack).not.toContainText('misspelling');

  // The office's own word is checked in the editor.
  await page.getByRole('button', { name: '文稿列表', exact: true }).click();
  await newArticle(page, '测试');
  await page.keyboard.insertText('各单位要认真洛实。');
  await expect(page.locator('.gz-proof').filter({ hasText: '洛实' })).toBeVisible({ timeout: 5_000 });
});

test('a newer version of a built-in list is previewed with what it adds and removes, and used once accepted', async ({ page, host }) => {
  test.setTimeout(90_000);
  await signInAsAdmin(page, host);
  await page.getByRole('button', { name: '设置', exact: true }).click();
  const section = page.getByTestId('proof-settings');
  const row = section.getByTestId('proof-pack').filter({ hasText: '常见错别字' }).first();
  await expect(row).toContainText('· 44 条');

  const newer = {
    id: 'default-misspellings',
    name: '常见错别字',
    kind: 'misspelling',
    source: '新版词库',
    version: '2099.1',
    entries: [
      { text: '按装', suggestion: '安装' },
      { text: '莅临知道', suggestion: '莅临指导' },
    ],
  };
  await section.getByLabel('更新内置词库（导入新版本文件）').setInputFiles({
    name: 'misspellings.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify(newer)),
  });
  const preview = section.getByTestId('default-pack-update');
  await expect(preview).toContainText('→ 2099.1 版');
  await expect(preview).toContainText('新增 1 条，删除 43 条');
  await expect(preview.getByTestId('update-added')).toContainText('莅临知道 → 莅临指导');
  // Nothing changes before the admin accepts.
  await expect(row).toContainText('· 44 条');
  await preview.getByRole('button', { name: '接受更新' }).click();
  await expect(preview).toHaveCount(0);
  await expect(row).toContainText('· 2 条');

  await page.getByRole('button', { name: '文稿列表', exact: true }).click();
  await newArticle(page, '测试');
  await page.keyboard.insertText('欢迎领导莅临知道工作。');
  // The editor's worker builds the dictionaries on its first check.
  await expect(page.locator('.gz-proof').filter({ hasText: '莅临知道' })).toBeVisible({ timeout: 20_000 });
});

test('the optional towns list is added by the admin in one click and then checks what writers type', async ({ page, host }) => {
  test.setTimeout(90_000);
  await signInAsAdmin(page, host);
  await page.getByRole('button', { name: '设置', exact: true }).click();
  const section = page.getByTestId('proof-settings');
  const towns = section.getByTestId('proof-optional-pack').filter({ hasText: '乡级行政区划名称' });
  await expect(towns).toContainText('未添加');
  await towns.getByRole('button', { name: '添加到本单位规则包' }).click();
  await expect(towns).toContainText('已添加');
  await expect(towns.getByRole('button')).toHaveCount(0);
  const row = section.getByTestId('proof-pack').filter({ hasText: '乡级行政区划名称' });
  await expect(row).toContainText('本单位');
  // The office's copy of a shipped list opens read-only, with the reason.
  await row.getByRole('button', { name: '查看' }).click();
  await expect(section.getByTestId('proof-pack-editor')).toContainText('不在此逐条编辑');
  // It opens in view, not below the window's edge.
  await expect(section.getByTestId('proof-pack-editor')).toBeInViewport();
  await expect(section.getByTestId('proof-pack-editor').getByRole('button', { name: '保存' })).toHaveCount(0);

  await page.getByRole('button', { name: '文稿列表', exact: true }).click();
  await newArticle(page, '测试');
  await page.keyboard.insertText('城官镇召开会议，县住房和城乡建设局参加。');
  // The editor's worker builds the dictionaries, thirty thousand towns among them, on its first check.
  await expect(page.locator('.gz-proof').filter({ hasText: '城官镇' })).toBeVisible({ timeout: 30_000 });
  await expect(page.locator('.gz-proof').filter({ hasText: '城乡' })).toHaveCount(0);
});

test('a pack of thousands of entries opens a page of them, finds any by a search, and saves them all', async ({ page, host }) => {
  test.setTimeout(90_000);
  await signInAsAdmin(page, host);
  await page.getByRole('button', { name: '设置', exact: true }).click();
  const section = page.getByTestId('proof-settings');
  const entries = Array.from({ length: 5000 }, (_, i) => ({ text: `错词${i}号`, suggestion: `正词${i}号` }));
  await section.getByLabel('导入规则包（JSON 或 YAML）').setInputFiles({
    name: 'big.json',
    mimeType: 'application/json',
    buffer: Buffer.from(JSON.stringify({ id: 'office-big', name: '本单位大词表', kind: 'misspelling', source: '本单位', entries })),
  });
  const row = section.getByTestId('proof-pack').filter({ hasText: '本单位大词表' });
  await expect(row).toContainText('5000 条');
  await row.getByRole('button', { name: '编辑' }).click();
  const editor = section.getByTestId('proof-pack-editor');
  await expect(editor.getByRole('status')).toHaveText('共 5000 条，符合的 5000 条，显示前 200 条');
  await expect(editor.getByRole('textbox', { name: '词语' })).toHaveCount(200);
  await editor.getByLabel('查找词条').fill('错词4321号');
  await expect(editor.getByRole('textbox', { name: '词语' })).toHaveCount(1);
  await editor.getByRole('textbox', { name: '建议改为' }).fill('正确的词');
  await editor.getByRole('button', { name: '保存' }).click();
  await expect(editor).toHaveCount(0);
  // Every entry was saved, the one changed through the search among them.
  await expect(row).toContainText('5000 条');
  await row.getByRole('button', { name: '编辑' }).click();
  await editor.getByLabel('查找词条').fill('错词4321号');
  await expect(editor.getByRole('textbox', { name: '建议改为' })).toHaveValue('正确的词');
  await editor.getByLabel('查找词条').fill('错词4999号');
  await expect(editor.getByRole('textbox', { name: '建议改为' })).toHaveValue('正词4999号');
});
