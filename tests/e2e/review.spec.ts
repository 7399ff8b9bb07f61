import { readFileSync } from 'node:fs';
import type { Browser, Page } from '@playwright/test';
import { call } from './api';
import { expect, type RunningHost, test } from './host';
import { ADMIN, addPerson, setupAdmin, signIn } from './session';

const PASSWORD = 'review-pass-2021';
const WRITER = '王撰稿';
const FIRST = '李初审';
const SECOND = '张复审';
const FINAL = '赵终审';

const PASSAGE = '安全生产责任制';
const ADDED = '另外，要加强节假日值班值守。';

function body(page: Page) {
  return page.getByRole('textbox', { name: '在此输入正文…' });
}

/** A separate browser context per person: each has its own session cookie. */
async function personPage(browser: Browser, host: RunningHost, name: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await signIn(page, host, name, PASSWORD);
  return page;
}

/** Opens the article from the reviewer's queue (the badge counts it). */
async function openFromQueue(page: Page, title: string) {
  await page.getByRole('button', { name: /待我审核/ }).click();
  await expect(page.getByTestId('queue-count')).toHaveText('1');
  await page.getByRole('button', { name: title }).click();
  await expect(page.getByTestId('review-status')).toBeVisible();
}

async function approve(page: Page, opinion: string) {
  await page.getByRole('button', { name: '通过', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('审核意见').fill(opinion);
  await dialog.getByRole('button', { name: '通过', exact: true }).click();
  await expect(dialog).toBeHidden();
}

/** Selects the first occurrence of `text` inside the editor, as a mouse drag would. */
async function selectInEditor(page: Page, text: string) {
  await body(page).evaluate((element, wanted) => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent?.indexOf(wanted) ?? -1;
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + wanted.length);
      const selection = window.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
      return;
    }
    throw new Error(`"${wanted}" is not in the editor`);
  }, text);
}

test('writer submits, three stages review, changes requested on a passage, approvals reset, approved; diff and sign-off sheet', async ({
  page,
  host,
  browser,
}) => {
  test.setTimeout(180_000);
  await setupAdmin(host);
  await addPerson(host, { name: WRITER, unit: '区党政办', roles: ['writer'], password: PASSWORD });
  for (const name of [FIRST, SECOND, FINAL]) await addPerson(host, { name, unit: '区党政办', roles: ['reviewer'], password: PASSWORD });

  // ── The writer drafts and submits. ──
  const title = '关于开展安全生产大检查的通知';
  await signIn(page, host, WRITER, PASSWORD);
  await page.getByRole('button', { name: '新建', exact: true }).click();
  await page.getByRole('radio', { name: /空白文稿/ }).check();
  await page.getByLabel('标题', { exact: true }).fill(title);
  await page.getByRole('button', { name: '创建并打开' }).click();
  await body(page).click();
  await page.keyboard.insertText(`各单位要认真落实${PASSAGE}，全面排查风险隐患。`);
  await expect(page.getByTestId('save-status')).toContainText('已保存', { timeout: 5_000 });
  await page.getByRole('button', { name: '提交审核', exact: true }).click();
  await page.getByRole('dialog').getByLabel('提交说明').fill('请审核');
  await page.getByRole('dialog').getByRole('button', { name: '提交审核' }).click();
  await expect(page.getByTestId('lock-banner')).toHaveText('审核中（初审），暂不能修改');
  await expect(body(page)).toHaveAttribute('contenteditable', 'false');
  await page.getByRole('tab', { name: '文稿信息' }).click();
  await expect(page.getByLabel('标题', { exact: true })).toBeDisabled();
  await expect(page.getByTestId('review-status')).toContainText('审核中（初审）');
  // Only an admin may put an article in review into the trash: the writer is not offered it.
  await expect(page.getByRole('button', { name: '删除', exact: true })).toHaveCount(0);

  // ── 初审 approves. ──
  const first = await personPage(browser, host, FIRST);
  await openFromQueue(first, title);
  await approve(first, '同意，请复审。');
  await expect(first.getByTestId('review-status')).toContainText('审核中（复审）');

  // ── 复审 comments on a passage and sends it back. ──
  const second = await personPage(browser, host, SECOND);
  await openFromQueue(second, title);
  await expect(second.getByRole('list', { name: '审核进度' })).toContainText('初审 ✓');
  await selectInEditor(second, PASSAGE);
  await second.getByRole('button', { name: '批注选中文字' }).click();
  await expect(second.getByText(`批注：“${PASSAGE}”`)).toBeVisible();
  await second.getByLabel('批注内容').fill('请补充节假日值班要求。');
  await second.getByRole('button', { name: '发表批注' }).click();
  await expect(second.locator('.gz-comment-mark')).toHaveText(PASSAGE);
  await second.getByRole('button', { name: '退回修改', exact: true }).click();
  await second.getByRole('dialog').getByRole('button', { name: '退回修改' }).click();
  await expect(second.getByRole('dialog').getByRole('alert')).toHaveText('退回修改时必须写明理由');
  await second.getByRole('dialog').getByLabel('退回理由').fill('值班要求不完整');
  await second.getByRole('dialog').getByRole('button', { name: '退回修改' }).click();
  await expect(second.getByTestId('review-status')).toHaveText('退回修改');

  // ── The writer sees the reason and the comment on its passage, edits, and learns why approvals were reset. ──
  await page.reload();
  await page.getByRole('cell', { name: title }).click();
  await expect(page.getByTestId('changes-banner')).toContainText('值班要求不完整');
  await expect(page.getByTestId('review-comment')).toContainText('请补充节假日值班要求。');
  await expect(page.locator('.gz-comment-mark')).toHaveText(PASSAGE);
  await page.getByRole('button', { name: `“${PASSAGE}”` }).click();
  await expect(page.locator('.gz-comment-mark.is-active')).toHaveText(PASSAGE);
  await expect(body(page)).toHaveAttribute('contenteditable', 'true');
  await body(page).click();
  await page.keyboard.press('Control+End');
  await page.keyboard.insertText(ADDED);
  await expect(page.getByTestId('save-status')).toContainText('已保存', { timeout: 5_000 });
  await expect(page.getByTestId('changes-banner')).toContainText('“初审”的审核意见已失效；再次提交后将从“初审”开始审核');
  await page.getByRole('button', { name: '提交审核', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: '提交审核' }).click();
  await expect(page.getByTestId('lock-banner')).toHaveText('审核中（初审），暂不能修改');

  // ── All three stages approve the new text. ──
  await openFromQueue(first, title);
  await expect(first.getByTestId('review-status')).toContainText('审核中（初审）');
  await approve(first, '同意。');
  await openFromQueue(second, title);
  await expect(second.getByTestId('review-status')).toContainText('审核中（复审）');
  await approve(second, '已补充，同意。');
  const final = await personPage(browser, host, FINAL);
  await openFromQueue(final, title);
  await approve(final, '同意发布。');
  await expect(final.getByTestId('review-status')).toHaveText('已审核');
  await page.reload();
  await page.getByRole('cell', { name: title }).click();
  await expect(page.getByTestId('review-status')).toHaveText('已审核');

  // ── The diff shows the writer's change against the text 复审 sent back. ──
  await page.getByRole('button', { name: '版本对比' }).click();
  const diffDialog = page.getByRole('dialog', { name: '版本对比' });
  const returned = diffDialog.getByLabel('原版本').locator('option', { hasText: '复审退回修改' });
  await diffDialog.getByLabel('原版本').selectOption((await returned.getAttribute('value')) ?? '');
  await diffDialog.getByLabel('对比版本').selectOption('current');
  await expect(diffDialog.locator('ins.diff-ins')).toHaveText(ADDED);
  await expect(diffDialog.getByTestId('diff-text')).toContainText(`各单位要认真落实${PASSAGE}`);
  await diffDialog.getByRole('button', { name: '关闭' }).click();

  // ── The sign-off sheet lists the three approvals of the current hash (carried by each row, printed once as the short hash). ──
  const { currentHash, state } = await call(host, 'review:get', { id: await articleId(host, title) });
  expect(state.status).toBe('approved');
  await page.getByRole('button', { name: '审核表' }).click();
  const sheet = page.frameLocator('iframe.signoff-frame');
  await expect(sheet.locator('body')).toContainText(title);
  for (const [stage, name] of [
    ['初审', FIRST],
    ['复审', SECOND],
    ['终审', FINAL],
  ] as const) {
    const row = sheet.locator('tr', { hasText: stage }).filter({ hasText: name });
    await expect(row).toHaveAttribute('data-hash', currentHash);
  }
  await expect(sheet.locator('body')).toContainText('当前内容已通过全部审核环节');
  const pdfDownload = page.waitForEvent('download');
  await page.getByRole('button', { name: '下载 PDF' }).click();
  const pdf = await pdfDownload;
  expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
  expect(readFileSync(await pdf.path()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
});

async function articleId(host: RunningHost, title: string): Promise<string> {
  const { items } = await call(host, 'articles:list', { query: title });
  const found = items.find((item) => item.title === title);
  if (!found) throw new Error(`no article "${title}"`);
  return found.id;
}

test('sign-in refuses a wrong password; the admin adds a reviewer, renames a stage, exports and re-imports a package, and a bad file is refused', async ({
  page,
  host,
}) => {
  const admin = await setupAdmin(host);
  const article = await call(host, 'articles:create', { template: 'blank', input: { title: '传输包测试稿' } });

  await page.goto(host.url);
  await page.getByLabel('人员', { exact: true }).selectOption({ label: admin.name });
  await page.getByLabel('密码', { exact: true }).fill('not-the-password');
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByRole('alert')).toHaveText('密码不正确，请重新输入');
  await page.getByLabel('密码', { exact: true }).fill(ADMIN.password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByTestId('signed-in-person')).toContainText(admin.name);

  // People and the chain, in Settings.
  await page.getByRole('button', { name: '设置', exact: true }).click();
  await page.getByRole('button', { name: '添加人员' }).click();
  const personDialog = page.getByRole('dialog');
  await personDialog.getByLabel('姓名').fill('孙审核');
  await personDialog.getByLabel('撰稿').uncheck();
  await personDialog.getByLabel('审核').check();
  await personDialog.getByLabel('初始密码').fill(PASSWORD);
  await personDialog.getByRole('button', { name: '保存' }).click();
  await expect(page.getByRole('table', { name: '人员与角色' }).getByRole('row', { name: /孙审核/ })).toContainText('审核');
  await page.getByLabel('第 1 环节名称').fill('一审');
  await page.getByRole('button', { name: '保存审核流程' }).click();
  await expect(page.getByText('审核流程已保存')).toBeVisible();
  expect((await call(host, 'review:chainGet', {})).stages.map((s) => s.name)).toEqual(['一审', '复审', '终审']);

  // Export the article as a package, import it back: verified, and nothing is overwritten.
  await page.getByRole('button', { name: '文稿列表', exact: true }).click();
  await page.getByRole('row', { name: /传输包测试稿/ }).getByRole('checkbox').check();
  const downloading = page.waitForEvent('download');
  await page.getByRole('button', { name: '导出审核包（1 篇）' }).click();
  const download = await downloading;
  expect(download.suggestedFilename()).toMatch(/\.gazette-package$/);
  const packagePath = await download.path();

  await page.getByRole('button', { name: '导入审核包' }).click();
  const importDialog = page.getByRole('dialog', { name: '导入审核包' });
  await importDialog.getByLabel('选择审核包文件（.gazette-package）').setInputFiles(packagePath);
  await expect(importDialog.getByTestId('package-result')).toContainText('校验通过');
  await expect(importDialog.getByTestId('package-result')).toContainText('传输包签名有效');
  await expect(importDialog.getByTestId('package-result')).toContainText('本机已有相同内容');
  expect((await call(host, 'articles:get', { id: article.id })).meta.title).toBe('传输包测试稿');

  await importDialog
    .getByLabel('选择审核包文件（.gazette-package）')
    .setInputFiles({ name: 'notes.gazette-package', mimeType: 'application/octet-stream', buffer: Buffer.from('这不是审核包') });
  await expect(importDialog.getByRole('alert')).toContainText('这不是 Gazette 传输包文件');
  await importDialog.getByRole('button', { name: '关闭' }).click();
  await expect(page.getByText('共 1 篇')).toBeVisible();

  // Sign out: the sign-in screen lists the new reviewer.
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.getByLabel('人员', { exact: true }).selectOption({ label: '孙审核' });
  await page.getByLabel('密码', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page.getByTestId('signed-in-person')).toContainText('孙审核');
});

test('a reviewer with edit rights corrects the text: the edit is attributed to them and they can still approve it', async ({
  page,
  host,
}) => {
  await setupAdmin(host);
  await addPerson(host, { name: FIRST, roles: ['reviewer'], password: PASSWORD });
  const article = await call(host, 'articles:create', { template: 'blank', input: { title: '审核人修改测试' } });
  await call(host, 'articles:save', {
    id: article.id,
    meta: article.meta,
    doc: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: '会议于5月20日召开。' }] }] },
  });
  await call(host, 'review:submit', { id: article.id, note: '' });

  await signIn(page, host, FIRST, PASSWORD);
  await openFromQueue(page, '审核人修改测试');
  await expect(body(page)).toHaveAttribute('contenteditable', 'false');
  await page.getByRole('button', { name: '修改文稿' }).click();
  await expect(body(page)).toHaveAttribute('contenteditable', 'true');
  await body(page).click();
  await page.keyboard.press('Control+End');
  await page.keyboard.insertText('会议由区长主持。');
  await expect(page.getByTestId('save-status')).toContainText('已保存', { timeout: 5_000 });
  await approve(page, '已改正，同意。');
  await expect(page.getByTestId('review-status')).toContainText('审核中（复审）');

  await page.getByRole('tab', { name: '审核记录' }).click();
  const trail = page.getByRole('list', { name: '审核记录' });
  await expect(trail.getByRole('listitem').filter({ hasText: '修改文稿（初审）' })).toContainText(FIRST);
  const versions = await call(host, 'articles:versions', { id: article.id });
  expect(versions.some((v) => v.reason === 'reviewer_edit' && v.author?.name === FIRST)).toBe(true);
  const view = await call(host, 'review:get', { id: article.id });
  expect(view.state.approvals).toEqual([expect.objectContaining({ stageId: 'first', contentHash: view.currentHash })]);
});
