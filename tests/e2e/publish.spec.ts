import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { call } from './api';
import { draftArticle, PHOTO_BASE64 } from './articles';
import { expect, type RunningHost, test } from './host';
import { ADMIN, addPerson, setupAdmin, signIn } from './session';
import { withSiteIdentifiers } from '../support/site-identifiers';

const PASSWORD = 'publish-pass-2021';
const REVIEWERS = ['李初审', '张复审', '赵终审'];
const TARGET_LABEL = '本地网站文件夹';


/** Submits as the admin (who also writes) and approves every stage as a different reviewer, all through the API. */
async function approveFully(host: RunningHost, adminId: string, articleId: string, reviewerIds: string[]): Promise<void> {
  await call(host, 'review:submit', { id: articleId, note: '请审核' });
  for (const reviewerId of reviewerIds) {
    await call(host, 'session:signIn', { personId: reviewerId, password: PASSWORD });
    const { currentHash } = await call(host, 'review:get', { id: articleId });
    await call(host, 'review:approve', { id: articleId, opinion: '同意。', expectedHash: currentHash });
  }
  await call(host, 'session:signIn', { personId: adminId, password: ADMIN.password });
  expect((await call(host, 'review:get', { id: articleId })).state.status).toBe('approved');
}

async function openArticle(page: Page, title: string) {
  await page.getByRole('button', { name: '文稿列表', exact: true }).click();
  await page.getByRole('cell', { name: title }).click();
  await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
}

async function runAction(page: Page, action: '发布' | '撤回') {
  const tab = page.getByRole('tab', { name: '发布', exact: true });
  await tab.click();
  // The review view loads after the heading shows; the chosen panel must stay chosen.
  await expect(tab).toHaveAttribute('aria-selected', 'true');
  const panel = page.getByTestId('publish-panel');
  await panel.getByRole('checkbox', { name: TARGET_LABEL }).check();
  await panel.getByRole('button', { name: action, exact: true }).click();
  return panel;
}

test('preview in a sandboxed frame, publish an approved article to a folder byte for byte, refuse an unapproved one, withdraw', async ({
  page,
  host,
}) => {
  test.setTimeout(120_000);
  const folder = mkdtempSync(join(tmpdir(), 'gazette-e2e-site-'));
  try {
    const admin = await setupAdmin(host);
    await call(host, 'people:save', { id: admin.id, name: admin.name, unit: admin.unit, roles: ['admin', 'writer', 'publisher'], active: true });
    const reviewerIds: string[] = [];
    for (const name of REVIEWERS) reviewerIds.push((await addPerson(host, { name, roles: ['reviewer'], password: PASSWORD })).id);

    const site = await call(host, 'sites:get', { id: 'main' });
    await call(host, 'sites:save', { ...withSiteIdentifiers(site), targets: [{ kind: 'static-folder', id: 'local', label: TARGET_LABEL, folder }] });

    const title = '区管委会召开安全生产工作会议';
    const article = await draftArticle(host, title, '会议强调，要压实安全生产责任，全面排查风险隐患。', '区党政办', true);
    await approveFully(host, admin.id, article.id, reviewerIds);
    const unapprovedTitle = '尚未审核的通知';
    await draftArticle(host, unapprovedTitle, '本文尚未提交审核。');
    const noSourceTitle = '缺少来源的稿件';
    const noSource = await draftArticle(host, noSourceTitle, '审核通过但没有填写来源。', '');
    await approveFully(host, admin.id, noSource.id, reviewerIds);

    await signIn(page, host, ADMIN.name, ADMIN.password);
    await openArticle(page, title);

    // ── The preview shows the portal page in a frame that may run nothing. ──
    await page.getByRole('button', { name: '预览', exact: true }).click();
    const frameElement = page.locator('iframe.preview-frame');
    await expect(frameElement).toHaveAttribute('sandbox', '');
    const frame = page.frameLocator('iframe.preview-frame');
    await expect(frame.locator('h1')).toHaveText(title);
    await expect(frame.locator('.breadcrumb')).toContainText(/当前位置.*首页 > 要闻动态 > 政务要闻/);
    await expect(frame.locator('.article-info')).toContainText('2021-05-20');
    await expect(frame.locator('.article-info')).toContainText('来源：区党政办');
    await expect(frame.locator('.share')).toContainText('分享到');
    await expect(frame.locator('.article-body')).toContainText('压实安全生产责任');
    // The theme's stylesheet applies inside the frame: body paragraphs indented two characters, line-height 2.
    const firstParagraph = frame.locator('.article-body p').first();
    const typography = await firstParagraph.evaluate((p) => {
      const style = getComputedStyle(p);
      return { indent: Number.parseFloat(style.textIndent), size: Number.parseFloat(style.fontSize), lineHeight: Number.parseFloat(style.lineHeight) };
    });
    expect(typography.indent).toBeCloseTo(typography.size * 2, 0);
    expect(typography.lineHeight).toBeCloseTo(typography.size * 2, 0);
    // The image is shown (the frame cannot fetch it itself: it has no origin and so no session cookie).
    const photo = frame.getByRole('img', { name: '会议现场' });
    await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(2);
    // The desktop page keeps its real width (it wraps as on the site) and is drawn smaller to fit the column.
    const stage = await page.locator('.preview-stage').boundingBox();
    await expect.poll(async () => (await frameElement.boundingBox())?.width ?? Number.POSITIVE_INFINITY).toBeLessThanOrEqual(stage?.width ?? 0);
    expect(await frame.locator('body').evaluate(() => window.innerWidth)).toBe(1200);
    await page.getByRole('button', { name: '手机', exact: true }).click();
    await expect(frameElement).toHaveAttribute('data-device', 'mobile');
    await expect.poll(async () => (await frameElement.boundingBox())?.width ?? 0).toBeLessThan(400);
    expect(await frame.locator('body').evaluate(() => window.innerWidth)).toBe(375);

    // ── Publishing to the folder target: progress reaches success, the page on disk is the preview's bytes. ──
    const panel = await runAction(page, '发布');
    const job = panel.getByTestId('publish-job').first();
    await expect(job.getByTestId('job-state')).toHaveText('成功', { timeout: 30_000 });
    await expect(job).toContainText('回执');
    await expect(job.getByRole('link', { name: '打开页面' })).toHaveAttribute('target', '_blank');

    const preview = await call(host, 'preview:render', { articleId: article.id });
    if ('error' in preview) throw new Error(`preview failed: ${preview.error.message}`);
    const pageFile = join(folder, preview.path);
    expect(existsSync(pageFile)).toBe(true);
    expect(readFileSync(pageFile).equals(Buffer.from(preview.html, 'utf8'))).toBe(true);
    // The published page keeps the static build's hashed asset path, and that file was written too.
    const [assetPath] = Object.keys(preview.assetUrls);
    expect(assetPath).toMatch(/\/assets\//);
    expect(preview.html).toContain(`src="${assetPath}"`);
    // What went out is the photo pipeline's file (a JPEG without metadata), never the uploaded bytes.
    const sent = readFileSync(join(folder, new URL(assetPath ?? '', 'https://x.invalid').pathname));
    expect(sent.equals(Buffer.from(PHOTO_BASE64, 'base64'))).toBe(false);
    expect([...sent.subarray(0, 2)]).toEqual([0xff, 0xd8]);

    // ── An article without the review chain's approval is refused with the reason. ──
    await openArticle(page, unapprovedTitle);
    const refusedPanel = await runAction(page, '发布');
    await expect(refusedPanel.getByTestId('publish-refused')).toContainText(
      `不能发布：文稿“${unapprovedTitle}”的当前内容未经全部审核环节批准，不能发布`,
    );
    await expect(refusedPanel.getByTestId('publish-job')).toHaveCount(0);

    // ── The preview follows typing in the unsaved editor. ──
    await page.getByRole('button', { name: '预览', exact: true }).click();
    await expect(page.frameLocator('iframe.preview-frame').locator('h1')).toHaveText(unapprovedTitle);
    await page.getByRole('textbox', { name: '在此输入正文…' }).click();
    await page.keyboard.press('Control+End');
    await page.keyboard.insertText('预览应当随输入更新。');
    await expect(page.frameLocator('iframe.preview-frame').locator('.article-body')).toContainText('预览应当随输入更新。');

    // ── An approved article missing required metadata: the checklist says what is missing, nothing is queued. ──
    await openArticle(page, noSourceTitle);
    const checklistPanel = await runAction(page, '发布');
    const refused = checklistPanel.getByTestId('publish-refused');
    await expect(refused).toContainText('未通过发布前检查');
    await expect(refused.locator('li.check-bad')).toHaveCount(1);
    await expect(refused.locator('li.check-bad')).toHaveText('✗ 缺少来源');
    await expect(refused.locator('li.check-ok')).toHaveCount(6);
    await expect(checklistPanel.getByTestId('publish-job')).toHaveCount(0);

    // ── Withdrawing removes the page. ──
    await openArticle(page, title);
    // Publishing and reopening a locked (approved) article never tried to save it: the editor's
    // own normalisation (a trailing paragraph after the final image) is not an edit.
    await expect(page.getByText('发现本机保留的一份未保存的修改')).toHaveCount(0);
    await expect(page.getByTestId('save-status')).not.toContainText('保存失败');
    const withdrawPanel = await runAction(page, '撤回');
    // Taking a live article down asks again, and for the reason the audit trail keeps.
    const ask = page.getByRole('dialog', { name: '撤回发布' });
    await ask.getByRole('button', { name: '确认撤回' }).click();
    await expect(ask.getByText('请填写撤回原因')).toBeVisible();
    expect(existsSync(pageFile)).toBe(true);
    await ask.getByLabel('撤回原因').fill('活动日期有误，更正后重新发布');
    await ask.getByRole('button', { name: '确认撤回' }).click();
    await expect(ask).toHaveCount(0);
    const withdrawJob = withdrawPanel.getByTestId('publish-job').first();
    await expect(withdrawJob).toContainText('撤回');
    await expect(withdrawJob.getByTestId('job-state')).toHaveText('成功', { timeout: 30_000 });
    expect(existsSync(pageFile)).toBe(false);
    // The trail says who withdrew it and why.
    await page.getByRole('tab', { name: '审核', exact: true }).click();
    await page.getByRole('tab', { name: '审核记录' }).click();
    await expect(
      page.getByRole('list', { name: '审核记录' }).getByRole('listitem').filter({ hasText: '撤回发布' }),
    ).toContainText('活动日期有误，更正后重新发布');
    // The editor's badge and the list agree on what happened.
    await openArticle(page, title);
    await expect(page.getByTestId('review-status')).toHaveText('已撤回');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});

test('site settings: publishing waits for the real 备案 identifiers; a named WordPress target is saved with its password and its connection tested', async ({
  page,
  host,
}) => {
  test.setTimeout(120_000);
  const folder = mkdtempSync(join(tmpdir(), 'gazette-e2e-site-'));
  try {
    const admin = await setupAdmin(host);
    await call(host, 'people:save', { id: admin.id, name: admin.name, unit: admin.unit, roles: ['admin', 'writer', 'publisher'], active: true });
    const reviewerIds: string[] = [];
    for (const name of REVIEWERS) reviewerIds.push((await addPerson(host, { name, roles: ['reviewer'], password: PASSWORD })).id);
    // A folder target on the new site profile, whose identifiers nobody has entered yet.
    const fresh = await call(host, 'sites:get', { id: 'main' });
    await call(host, 'sites:save', { ...fresh, targets: [{ kind: 'static-folder', id: 'local', label: TARGET_LABEL, folder }] });
    const title = '区管委会召开安全生产工作会议';
    const article = await draftArticle(host, title, '会议强调，要压实安全生产责任。');
    await approveFully(host, admin.id, article.id, reviewerIds);

    await signIn(page, host, ADMIN.name, ADMIN.password);
    await page.getByRole('button', { name: '设置', exact: true }).click();
    const section = page.getByRole('region', { name: '网站与发布目标' });
    // No made-up numbers: the identifiers start empty.
    await expect(section.getByLabel('ICP 备案号')).toHaveValue('');
    await expect(section.getByLabel('公安备案号')).toHaveValue('');
    await expect(section.getByLabel('网站标识码')).toHaveValue('');

    // ── Publishing is refused before anything is sent, naming what is missing and where to fill it in. ──
    await openArticle(page, title);
    const panel = await runAction(page, '发布');
    const refused = panel.getByTestId('publish-refused');
    await expect(refused).toContainText('“网站标识码”、“ICP 备案号”、“公安备案号”');
    await expect(refused).toContainText('设置 → 网站与发布目标 → 页脚信息');
    expect((await call(host, 'publish:jobs', {})).jobs).toEqual([]);
    expect(existsSync(join(folder, 'index.html'))).toBe(false);

    await page.getByRole('button', { name: '设置', exact: true }).click();
    await section.getByLabel('ICP 备案号').fill('豫ICP备05012345号');
    await section.getByLabel('公安备案号').fill('豫公网安备 41070202000123号');
    await section.getByLabel('网站标识码').fill('4107000012');

    // ── A new target is named in words; its id is made for it. ──
    await section.getByLabel('类型', { exact: true }).selectOption({ label: 'WordPress' });
    await section.getByRole('button', { name: '添加发布目标' }).click();
    const target = section.getByTestId('target-editor').nth(1);
    await expect(target.getByLabel('名称')).toHaveValue('WordPress 网站');
    await expect(target).toContainText('编号：wordpress-1');
    await expect(target.getByLabel('目标编号')).toHaveCount(0);

    // A half-filled target is caught before saving, in words.
    await section.getByRole('button', { name: '保存网站设置' }).click();
    await expect(section.getByRole('alert')).toHaveText('“WordPress 地址”不能为空');
    await target.getByLabel('WordPress 地址').fill('http://127.0.0.1:9/wp');
    await target.getByLabel('用户名').fill('editor');

    // ── 测试连接 tries the form as it is, password included, and says what happened. ──
    const secret = 'abcd EFGH 1234 ijkl';
    await target.getByLabel('密码', { exact: true }).fill(secret);
    await expect(target.getByTestId('credential-state')).toHaveText('保存网站设置时一并加密保存');
    await target.getByRole('button', { name: '测试连接' }).click();
    await expect(target.getByTestId('connection-result')).toContainText('地址无法访问', { timeout: 20_000 });

    // ── One save keeps the site, the target and its password (encrypted, never in the site file, never shown). ──
    await section.getByRole('button', { name: '保存网站设置' }).click();
    await expect(target.getByTestId('credential-state')).toHaveText('已设置密码');
    await expect(target.getByLabel('密码', { exact: true })).toHaveValue('');
    const saved = await call(host, 'sites:get', { id: 'main' });
    expect(saved.footer).toMatchObject({ icp: '豫ICP备05012345号', police: '豫公网安备 41070202000123号', siteCode: '4107000012' });
    expect(saved.targets[1]).toEqual(
      expect.objectContaining({ kind: 'wordpress', id: 'wordpress-1', label: 'WordPress 网站', baseUrl: 'http://127.0.0.1:9/wp', user: 'editor' }),
    );
    expect(JSON.stringify(saved)).not.toContain(secret);
    expect((await call(host, 'sites:list', {}))[0]?.targets[1]?.hasCredential).toBe(true);
    await page.reload();
    await page.getByRole('button', { name: '设置', exact: true }).click();
    await expect(page.getByRole('region', { name: '网站与发布目标' }).getByTestId('credential-state')).toHaveText('已设置密码');
    expect(await page.content()).not.toContain(secret);

    // With the identifiers in place the same article goes out, and its page shows them.
    await openArticle(page, title);
    const published = await runAction(page, '发布');
    await expect(published.getByTestId('publish-job').first().getByTestId('job-state')).toHaveText('成功', { timeout: 30_000 });
    const preview = await call(host, 'preview:render', { articleId: article.id });
    if ('error' in preview) throw new Error(`preview failed: ${preview.error.message}`);
    expect(readFileSync(join(folder, preview.path), 'utf8')).toContain('豫ICP备05012345号');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
