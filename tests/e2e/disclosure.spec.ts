import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { call } from './api';
import { expect, test } from './host';
import { ADMIN, addPerson, setupAdmin, signIn } from './session';
import { withSiteIdentifiers } from '../support/site-identifiers';

const PASSWORD = 'disclosure-pass-2024';
const TARGET_LABEL = '本地网站文件夹';

test('a 通知 with 信息公开 fields: from the template to the preview to a published page with the table', async ({ page, host }) => {
  test.setTimeout(150_000);
  const folder = mkdtempSync(join(tmpdir(), 'gazette-e2e-disclosure-'));
  try {
    const admin = await setupAdmin(host);
    await call(host, 'people:save', { id: admin.id, name: admin.name, unit: admin.unit, roles: ['admin', 'writer', 'publisher'], active: true });
    const reviewers: string[] = [];
    for (const name of ['李初审', '张复审', '赵终审']) reviewers.push((await addPerson(host, { name, roles: ['reviewer'], password: PASSWORD })).id);
    const site = await call(host, 'sites:get', { id: 'main' });
    await call(host, 'sites:save', {
      ...withSiteIdentifiers(site),
      government: { ...site.government, indexOrganCode: '003087762', showReviews: true },
      targets: [{ kind: 'static-folder', id: 'local', label: TARGET_LABEL, folder }],
    });

    await signIn(page, host, ADMIN.name, ADMIN.password);
    await page.getByRole('button', { name: '新建', exact: true }).click();
    await page.getByRole('radio', { name: /^通知/ }).check();
    const fieldsOfDialog = page.locator('.new-article-fields');
    await fieldsOfDialog.getByRole('textbox', { name: '标题' }).fill('关于开展安全生产大检查的通知');
    await fieldsOfDialog.getByLabel('日期', { exact: true }).fill('2024-04-06');
    await page.getByRole('button', { name: '创建并打开' }).click();

    const fields = page.getByTestId('disclosure-fields');
    await expect(fields).toBeVisible();
    await fields.getByLabel('发布机构').fill('区人民政府办公室');
    await fields.getByLabel('文号').fill('区政办[2024]7号');
    await expect(fields).toContainText('六角括号');
    await fields.getByRole('button', { name: '改为 区政办〔2024〕7号' }).click();
    await expect(fields.getByLabel('文号')).toHaveValue('区政办〔2024〕7号');
    await fields.getByLabel('主题分类').selectOption('综合政务\\政务公开');
    await page.getByRole('form', { name: '文稿信息' }).getByLabel('来源', { exact: true }).fill('区党政办');

    await page.getByRole('button', { name: '预览', exact: true }).click();
    const frame = page.frameLocator('iframe.preview-frame');
    await expect(frame.locator('table.disclosure')).toContainText('区政办〔2024〕7号');
    await expect(frame.locator('table.disclosure')).toContainText('发布时生成');
    await expect(frame.locator('table.disclosure')).toContainText('2024年4月6日');

    // Saved by the autosave; approval through the API as the other tests do.
    const list = await call(host, 'articles:list', {});
    const summary = list.items.find((row) => row.title === '关于开展安全生产大检查的通知');
    if (!summary) throw new Error('article not saved');
    await expect.poll(async () => (await call(host, 'articles:get', { id: summary.id })).meta.disclosure?.docNo).toBe('区政办〔2024〕7号');
    await call(host, 'review:submit', { id: summary.id, note: '请审核' });
    for (const reviewer of reviewers) {
      await call(host, 'session:signIn', { personId: reviewer, password: PASSWORD });
      const { currentHash } = await call(host, 'review:get', { id: summary.id });
      await call(host, 'review:approve', { id: summary.id, opinion: '同意。', expectedHash: currentHash });
    }
    await call(host, 'session:signIn', { personId: admin.id, password: ADMIN.password });

    const queued = await call(host, 'publish:enqueue', { articleId: summary.id, targetIds: ['local'], action: 'publish' });
    expect(queued.ok).toBe(true);
    await expect.poll(async () => (await call(host, 'publish:receipts', { articleId: summary.id }))[0]?.indexNo, { timeout: 30_000 }).toBe(
      '003087762/2024-00001',
    );
    const preview = await call(host, 'preview:render', { articleId: summary.id });
    if ('error' in preview) throw new Error(preview.error.message);
    const file = join(folder, preview.path);
    expect(existsSync(file)).toBe(true);
    await page.goto(`file://${file}`);
    const table = page.locator('table.disclosure');
    await expect(table).toContainText('003087762/2024-00001');
    await expect(table).toContainText('区人民政府办公室');
    await expect(table).toContainText('综合政务\\政务公开');
    // The office's three stages, in order, with the names the verified record gives.
    await expect(page.locator('.article-reviews p')).toHaveText(['一审：李初审', '二审：张复审', '三审：赵终审']);
    expect(readFileSync(file, 'utf8')).toContain('<meta name="ArticleTitle" content="关于开展安全生产大检查的通知">');
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
