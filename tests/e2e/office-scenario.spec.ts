import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from '@playwright/test';
import { call } from './api';
import { expect, type RunningHost, test } from './host';
import { addPerson, setupAdmin, signIn } from './session';
import { withSiteIdentifiers } from '../support/site-identifiers';

/*
 * The office as it works (三审三校): 复审 corrects one word, 终审 sees what changed
 * since the earlier approvals and approves; a discussion is answered and
 * resolved; the publisher publishes, then withdraws with a reason; the writer
 * finds each step under the bell. Each person
 * in their own browser context, every step through the UI except the
 * preparation other tests already walk.
 */

const PASSWORD = 'office-pass-2026';
const WRITER = '王撰稿';
const FIRST = '李初审';
const SECOND = '张复审';
const FINAL = '赵终审';
const PUBLISHER = '钱发布';
const TARGET_LABEL = '本地网站文件夹';
const WRONG = '安全生产责任制';
const RIGHT = '安全生产责任体系';

function body(page: Page) {
  return page.getByRole('textbox', { name: '在此输入正文…' });
}

async function personPage(browser: Browser, host: RunningHost, name: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN', viewport: { width: 1440, height: 900 } });
  const page = await context.newPage();
  await signIn(page, host, name, PASSWORD);
  return page;
}

async function openFromQueue(page: Page, title: string) {
  await page.getByRole('button', { name: /待我审核/ }).click();
  await page.getByRole('button', { name: title }).click();
  await expect(page.getByTestId('review-status')).toBeVisible();
}

async function openArticle(page: Page, title: string) {
  await page.getByRole('button', { name: '文稿列表', exact: true }).click();
  await page.getByRole('cell', { name: title }).click();
  await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
}

async function approve(page: Page, opinion: string) {
  await page.getByRole('button', { name: '通过', exact: true }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('审核意见').fill(opinion);
  await dialog.getByRole('button', { name: '通过', exact: true }).click();
  await expect(dialog).toBeHidden();
}

async function selectInEditor(page: Page, text: string) {
  await body(page).evaluate((element, wanted) => {
    const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.textContent?.indexOf(wanted) ?? -1;
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + wanted.length);
      window.getSelection()?.removeAllRanges();
      window.getSelection()?.addRange(range);
      return;
    }
    throw new Error(`"${wanted}" is not in the editor`);
  }, text);
}

test('复审 corrects a word, 终审 sees the change and approves, a discussion is resolved, the publisher publishes and withdraws with a reason; the writer is notified', async ({
  page,
  host,
  browser,
}) => {
  test.setTimeout(240_000);
  const folder = mkdtempSync(join(tmpdir(), 'gazette-e2e-office-'));
  try {
    const admin = await setupAdmin(host);
    const ids: Record<string, string> = {};
    ids[WRITER] = (await addPerson(host, { name: WRITER, unit: '区党政办', roles: ['writer'], password: PASSWORD })).id;
    for (const name of [FIRST, SECOND, FINAL]) ids[name] = (await addPerson(host, { name, unit: '区党政办', roles: ['reviewer'], password: PASSWORD })).id;
    ids[PUBLISHER] = (await addPerson(host, { name: PUBLISHER, unit: '区党政办', roles: ['publisher'], password: PASSWORD })).id;
    const site = await call(host, 'sites:get', { id: 'main' });
    await call(host, 'sites:save', { ...withSiteIdentifiers(site), targets: [{ kind: 'static-folder', id: 'local', label: TARGET_LABEL, folder }] });

    // ── Prepared through the API as the writer and 初审 (other tests walk these screens). ──
    const title = '关于开展安全生产大检查的通知';
    await call(host, 'session:signIn', { personId: ids[WRITER]!, password: PASSWORD });
    const created = await call(host, 'articles:create', { template: 'blank', input: { title } });
    await call(host, 'articles:save', {
      id: created.id,
      meta: { ...created.meta, title, column: ['首页', '要闻动态', '政务要闻'], publishAt: '2026-12-03T10:00', source: '区党政办' },
      doc: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: `各单位要认真落实${WRONG}，全面排查风险隐患。` }] }] },
    });
    await call(host, 'review:submit', { id: created.id, note: '请审核' });
    await call(host, 'session:signIn', { personId: ids[FIRST]!, password: PASSWORD });
    const first = await call(host, 'review:get', { id: created.id });
    await call(host, 'review:approve', { id: created.id, opinion: '同意。', expectedHash: first.currentHash });
    await call(host, 'session:signIn', { personId: admin.id, password: 'e2e-admin-password' });

    // ── 复审 corrects one word and approves the corrected text. ──
    const second = await personPage(browser, host, SECOND);
    await openFromQueue(second, title);
    await second.getByRole('button', { name: '修改文稿' }).click();
    await expect(body(second)).toHaveAttribute('contenteditable', 'true');
    await selectInEditor(second, WRONG);
    await second.keyboard.insertText(RIGHT);
    await approve(second, '已改“责任制”为“责任体系”，同意。');
    await expect(second.getByTestId('review-status')).toContainText('审核中（终审）');

    // ── 终审 sees 初审's approval kept for the earlier version, and exactly what 复审 changed. ──
    const final = await personPage(browser, host, FINAL);
    await openFromQueue(final, title);
    await expect(final.getByText('已审核（修改前版本）').first()).toBeVisible();
    await final.getByRole('button', { name: '查看“初审”审核之后的修改' }).click();
    const diff = final.getByRole('dialog');
    await expect(diff.locator('ins.diff-ins')).toContainText('体系');
    await diff.getByRole('button', { name: '关闭' }).click();

    // ── A discussion: 终审 asks, the writer answers, 终审 resolves it and it folds away. ──
    await final.getByRole('button', { name: '评论全文' }).click();
    await final.getByLabel('批注内容').fill('请核对检查时间是否为本月。');
    await final.getByRole('button', { name: '发表批注' }).click();
    await expect(final.getByTestId('review-comment')).toContainText('请核对检查时间是否为本月。');

    await signIn(page, host, WRITER, PASSWORD);
    await openArticle(page, title);
    await page.getByRole('tab', { name: /^审核( \(\d+\))?$/ }).click();
    await page.getByRole('button', { name: '回复', exact: true }).click();
    await page.getByLabel('回复内容').fill('已核对，为本月。');
    await page.getByRole('button', { name: '发送回复' }).click();
    await expect(page.getByRole('list', { name: '回复' })).toContainText('已核对，为本月。');

    await final.reload();
    await openFromQueue(final, title);
    await expect(final.getByRole('list', { name: '回复' })).toContainText('已核对，为本月。');
    await final.getByRole('button', { name: '标为已解决' }).click();
    await expect(final.getByText('已解决的讨论（1）')).toBeVisible();
    await approve(final, '同意发布。');
    await expect(final.getByTestId('review-status')).toHaveText('已审核');

    // ── The publisher publishes, then takes it down with a reason the trail keeps. ──
    const publisher = await personPage(browser, host, PUBLISHER);
    await openArticle(publisher, title);
    const tab = publisher.getByRole('tab', { name: '发布', exact: true });
    await tab.click();
    await expect(tab).toHaveAttribute('aria-selected', 'true');
    const panel = publisher.getByTestId('publish-panel');
    await panel.getByRole('checkbox', { name: TARGET_LABEL }).check();
    await panel.getByRole('button', { name: '发布', exact: true }).click();
    await expect(panel.getByTestId('publish-job').first().getByTestId('job-state')).toHaveText('成功', { timeout: 30_000 });
    await panel.getByRole('checkbox', { name: TARGET_LABEL }).check();
    await panel.getByRole('button', { name: '撤回', exact: true }).click();
    const ask = publisher.getByRole('dialog', { name: '撤回发布' });
    await ask.getByLabel('撤回原因').fill('检查时间调整，更正后重新发布');
    await ask.getByRole('button', { name: '确认撤回' }).click();
    await expect(panel.getByTestId('publish-job').first().getByTestId('job-state')).toHaveText('成功', { timeout: 30_000 });
    await publisher.getByRole('tab', { name: /^审核( \(\d+\))?$/ }).click();
    await publisher.getByRole('tab', { name: '审核记录' }).click();
    const trail = publisher.getByRole('list', { name: '审核记录' });
    await expect(trail.getByRole('listitem').filter({ hasText: '撤回发布' })).toContainText('检查时间调整，更正后重新发布');
    await expect(trail.getByRole('listitem').filter({ hasText: '签发上线' })).toHaveCount(1);
    await openArticle(publisher, title);
    await expect(publisher.getByTestId('review-status')).toHaveText('已撤回');

    // ── The writer is told: the correction, the approval, the publication and the withdrawal with its reason. ──
    await page.reload();
    const bell = page.getByTestId('bell');
    await expect(bell).toHaveAttribute('aria-label', /通知，\d+ 条未读/, { timeout: 30_000 });
    await bell.click();
    const notes = page.getByTestId('notification');
    await expect(notes.filter({ hasText: '已撤回' })).toContainText('检查时间调整，更正后重新发布');
    await expect(notes.filter({ hasText: '审核通过' })).toHaveCount(1);
    await expect(notes.filter({ hasText: '审核修改' }).first()).toContainText(SECOND);

    // ── Every step is in the signed record, and it verifies. ──
    const view = await call(host, 'review:get', { id: created.id });
    expect(view.record).toMatchObject({ intact: true });
    expect(view.state.approvals.map((a) => a.stageId)).toEqual(['first', 'second', 'final']);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
