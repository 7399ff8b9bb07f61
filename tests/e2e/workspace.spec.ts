import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { call } from './api';
import { expect, makeWorkspaceDir, startHost, test } from './host';
import { ADMIN, addPerson, setupAdmin, signIn, signInApi, signInAsAdmin } from './session';

const fixtures = join(import.meta.dirname, '../fixtures');

function paragraphDoc(text: string) {
  return { type: 'doc' as const, content: [{ type: 'paragraph', content: [{ type: 'text', text }] }] };
}

test('a damaged article file is reported and recovered from its backup; a foreign file is quarantined; the rest keeps working', async ({
  page,
}) => {
  const workspace = makeWorkspaceDir();
  let host = await startHost(workspace);
  try {
    const admin = await setupAdmin(host);
    const damaged = await call(host, 'articles:create', { template: 'blank', input: { title: '将被损坏的稿件' } });
    await call(host, 'articles:save', { id: damaged.id, meta: damaged.meta, doc: paragraphDoc('第一版正文。') });
    await call(host, 'articles:save', { id: damaged.id, meta: damaged.meta, doc: paragraphDoc('第二版正文。') });
    const intact = await call(host, 'articles:create', { template: 'blank', input: { title: '完好的稿件' } });
    await host.stop();

    // A power cut or a sync tool leaves half a file; someone drops a file the app did not write.
    const file = join(workspace, 'articles', damaged.id, 'article.json');
    writeFileSync(file, '{"format":"gazette/article","version":1,"id":"');
    mkdirSync(join(workspace, 'articles', 'not-ours'), { recursive: true });
    writeFileSync(join(workspace, 'articles', 'not-ours', 'article.json'), JSON.stringify({ hello: '世界' }));

    host = await startHost(workspace);
    await signInApi(host, admin.id, ADMIN.password);
    await signIn(page, host, ADMIN.name, ADMIN.password);
    const banner = page.getByRole('alert').filter({ hasText: '部分文件无法读取' });
    await expect(banner).toBeVisible();
    await expect(banner).toContainText('已从备份恢复');
    await expect(banner).toContainText('不是本程序的文稿文件');

    await expect(page.getByRole('cell', { name: '完好的稿件' })).toBeVisible();
    await page.getByRole('cell', { name: '将被损坏的稿件' }).click();
    // The backup holds the version before the last save: nothing older than one save is lost.
    await expect(page.getByRole('textbox', { name: '在此输入正文…' })).toContainText('第一版正文。');

    // The damaged and the foreign files were moved aside, not deleted.
    expect(readdirSync(join(workspace, 'quarantine')).length).toBeGreaterThanOrEqual(2);

    // Work goes on: the intact article still opens and a new one can be created.
    const again = await call(host, 'articles:get', { id: intact.id });
    expect(again.meta.title).toBe('完好的稿件');
    await call(host, 'articles:create', { template: 'notice', input: { title: '恢复后新建的通知' } });
    await page.getByRole('button', { name: '文稿列表', exact: true }).click();
    await expect(page.getByRole('cell', { name: '恢复后新建的通知' })).toBeVisible();
  } finally {
    await host.stop();
    rmSync(workspace, { recursive: true, force: true });
  }
});

test('importing a whole folder shows progress and a summary of what failed and why', async ({ page, host }) => {
  const folder = join(makeWorkspaceDir(), '往年稿件');
  mkdirSync(join(folder, '2021'), { recursive: true });
  for (const name of ['sample-2021-05-20.txt', 'gt-breadcrumb-byline.txt', 'no-date.txt']) {
    writeFileSync(join(folder, '2021', name), readFileSync(join(fixtures, 'portal', name)));
  }
  writeFileSync(join(folder, 'meeting.docx'), readFileSync(join(fixtures, 'docx/meeting.docx')));
  writeFileSync(join(folder, 'broken.docx'), readFileSync(join(fixtures, 'docx/broken.docx')));
  writeFileSync(join(folder, 'photo.psd'), 'not importable');

  await signInAsAdmin(page, host);
  await page.getByRole('button', { name: '导入', exact: true }).click();
  await page.getByRole('tab', { name: '选择文件夹', exact: true }).click();
  await page.getByLabel('选择要导入的文件夹').setInputFiles(folder);
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('已导入 4 篇，失败 1 个', { timeout: 20_000 });
  await expect(dialog).toContainText('broken.docx');
  await expect(dialog).toContainText('跳过了 1 个不支持的文件');
  // The page without a date says so instead of guessing.
  await expect(dialog).toContainText('未识别到发布日期');
  const { items } = await call(host, 'articles:list', {});
  expect(items).toHaveLength(4);

  // A week later one file was added and the whole folder is imported again: only the new file becomes an article.
  writeFileSync(join(folder, '2021', 'utf16-event.txt'), readFileSync(join(fixtures, 'portal', 'utf16-event.txt')));
  await page.getByLabel('选择要导入的文件夹').setInputFiles(folder);
  await expect(dialog).toContainText('已导入 1 篇，4 篇已存在未重复导入，失败 1 个', { timeout: 20_000 });
  await expect(dialog).toContainText('已处理 6 / 6 个文件');
  await expect(page.getByRole('progressbar')).toHaveJSProperty('value', 6);
  const existing = dialog.getByRole('region', { name: '已存在的文稿' });
  await expect(existing.getByText(/^已存在，未重复导入：/)).toHaveCount(4);
  await expect(existing).toContainText('meeting.docx');
  await expect(existing).not.toContainText('broken.docx');
  expect((await call(host, 'articles:list', {})).items).toHaveLength(5);
  rmSync(join(folder, '..'), { recursive: true, force: true });
});

test('a writer switches the interface to English and back', async ({ page, host }) => {
  await setupAdmin(host);
  await addPerson(host, { name: '王撰稿', roles: ['writer'], password: 'writer-password' });
  await signIn(page, host, '王撰稿', 'writer-password');
  await page.getByRole('button', { name: '设置', exact: true }).click();
  await page.getByLabel('界面语言').selectOption('en');
  await expect(page.getByRole('button', { name: 'Articles', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Articles', exact: true }).click();
  await expect(page.getByRole('button', { name: 'New', exact: true })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('button', { name: 'New', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByLabel('Language').selectOption('zh-CN');
  await expect(page.getByRole('button', { name: '文稿列表', exact: true })).toBeVisible();
  await expect(page.getByText('没有权限')).toHaveCount(0);
});
