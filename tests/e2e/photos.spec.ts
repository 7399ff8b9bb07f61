import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { cameraPhoto } from '../support/camera-photo';
import { call } from './api';
import { expect, test } from './host';
import { ADMIN, addPerson, setupAdmin, signIn } from './session';
import { filesUnder } from '../support/files-under';
import { withSiteIdentifiers } from '../support/site-identifiers';

const PASSWORD = 'photos-pass-2021';
const REVIEWERS = ['李初审', '张复审', '赵终审'];


test('a camera photo inserted through the image dialog, cropped 16:9 and set to the left, reaches the site resized, with a 2x file and no EXIF', async ({
  page,
  host,
}, testInfo) => {
  test.setTimeout(180_000);
  const folder = mkdtempSync(join(tmpdir(), 'gazette-e2e-photos-'));
  const scratch = mkdtempSync(join(tmpdir(), 'gazette-e2e-camera-'));
  try {
    const admin = await setupAdmin(host);
    await call(host, 'people:save', { id: admin.id, name: admin.name, unit: admin.unit, roles: ['admin', 'writer', 'publisher'], active: true });
    const reviewerIds: string[] = [];
    for (const name of REVIEWERS) reviewerIds.push((await addPerson(host, { name, roles: ['reviewer'], password: PASSWORD })).id);
    const site = await call(host, 'sites:get', { id: 'main' });
    await call(host, 'sites:save', { ...withSiteIdentifiers(site), targets: [{ kind: 'static-folder', id: 'local', label: '本地网站文件夹', folder }] });

    const title = '全区安全生产工作会议召开';
    const created = await call(host, 'articles:create', { template: 'blank', input: { title } });
    await call(host, 'articles:save', {
      id: created.id,
      meta: { ...created.meta, title, column: ['首页', '要闻动态', '政务要闻'], publishAt: '2021-05-20T10:30', source: '区党政办' },
      doc: { type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: '会议强调，要压实安全生产责任。' }] }] },
    });

    // What a camera writes: 4000×3000 stored sideways (EXIF orientation 6), with its make, model, time and GPS.
    const photoFile = join(scratch, 'DSC_0001.JPG');
    writeFileSync(photoFile, await cameraPhoto());

    await signIn(page, host, ADMIN.name, ADMIN.password);
    await page.getByRole('cell', { name: title }).click();
    await page.getByRole('textbox', { name: '在此输入正文…' }).click();
    await page.keyboard.press('End');
    const chooser = page.waitForEvent('filechooser');
    await page.getByRole('button', { name: /插入图片/ }).click();
    await (await chooser).setFiles(photoFile);

    // The editor shows the upright working copy (portrait: the camera was held upright).
    const image = page.locator('.gz-image img');
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]), { timeout: 60_000 }).toEqual([3000, 4000]);

    await page.locator('.gz-image-frame').click();
    const dialog = page.getByRole('dialog', { name: '编辑图片信息' });
    await expect(dialog).toBeVisible();
    await dialog.getByRole('radio', { name: '16:9' }).check();
    await dialog.getByRole('radio', { name: '靠左' }).check();
    await dialog.getByRole('radio', { name: '半栏宽' }).check();
    await dialog.getByLabel('替代文本').fill('全区安全生产工作会议现场');
    await dialog.getByLabel('图片说明', { exact: true }).fill('会议现场');
    await expect(dialog.locator('.gz-image-crop')).toBeVisible();
    await page.screenshot({ path: testInfo.outputPath('image-dialog.png') });
    await dialog.getByRole('button', { name: '完成' }).click();
    await expect(dialog).toHaveCount(0, { timeout: 60_000 });

    // The article shows the new working copy: 16:9 across the photo's full width, the original kept beside it.
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight]), { timeout: 30_000 }).toEqual([3000, 1688]);
    await expect(page.locator('figure.gz-image')).toHaveClass(/gz-align-left/);
    const storedImage = async () => (await call(host, 'articles:get', { id: created.id })).doc.content.find((n) => n.type === 'image')?.attrs;
    await expect
      .poll(storedImage, { timeout: 10_000 })
      .toMatchObject({ width: 3000, height: 1688, align: 'left', size: 'half', rotate: 0, alt: '全区安全生产工作会议现场' });
    expect(String((await storedImage())?.original)).toMatch(/^assets\/[0-9a-f]{20}\.jpg$/);

    // Reviewed by every stage, then published through the publish panel to the folder.
    await call(host, 'review:submit', { id: created.id, note: '请审核' });
    for (const reviewerId of reviewerIds) {
      await call(host, 'session:signIn', { personId: reviewerId, password: PASSWORD });
      const { currentHash } = await call(host, 'review:get', { id: created.id });
      await call(host, 'review:approve', { id: created.id, opinion: '同意。', expectedHash: currentHash });
    }
    await call(host, 'session:signIn', { personId: admin.id, password: ADMIN.password });
    await page.reload();
    await page.getByRole('cell', { name: title }).click();
    await expect(page.getByRole('heading', { name: title, level: 1 })).toBeVisible();
    const tab = page.getByRole('tab', { name: '发布', exact: true });
    await tab.click();
    await expect(tab).toHaveAttribute('aria-selected', 'true');
    const panel = page.getByTestId('publish-panel');
    await panel.getByRole('checkbox', { name: '本地网站文件夹' }).check();
    await panel.getByRole('button', { name: '发布', exact: true }).click();
    await expect(panel.getByTestId('publish-job').first().getByTestId('job-state')).toHaveText('成功', { timeout: 90_000 });

    // The site holds the page-size file and its 2× only: resized, 16:9, without any EXIF.
    const pictures = filesUnder(folder).filter((path) => /\.(jpe?g|png|webp)$/i.test(path));
    const published: number[][] = [];
    for (const path of pictures) {
      const data = readFileSync(join(folder, path));
      const meta = await sharp(data).metadata();
      expect([meta.exif, meta.orientation]).toEqual([undefined, undefined]);
      expect(data.includes(Buffer.from('Canon'))).toBe(false);
      published.push([meta.width ?? 0, meta.height ?? 0]);
    }
    expect(published.sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0))).toEqual([
      [1200, 675],
      [2400, 1350],
    ]);
    const page_ = filesUnder(folder).find((path) => path.endsWith('.html') && path.includes(created.id)) ?? '';
    const html = readFileSync(join(folder, page_), 'utf8');
    expect(html).toContain('<figure class="article-image align-left size-half">');
    expect(html).toMatch(/<img src="\/assets\/[0-9a-f]{16}\.jpg" srcset="\/assets\/[0-9a-f]{16}\.jpg 1x, \/assets\/[0-9a-f]{16}\.jpg 2x" alt="全区安全生产工作会议现场" width="1200" height="675">/);
  } finally {
    rmSync(folder, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
  }
});
