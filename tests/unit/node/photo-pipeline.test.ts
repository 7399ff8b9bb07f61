import { readdirSync, readFileSync, } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { inspectPhoto, makeWorkingCopy, MAX_INPUT_PIXELS, webVersions } from '../../../node/services/media/photos';
import { buildPublishPayload, readMediaFile } from '../../../node/services/publish/outbox/payload';
import type { AddedAsset, AddedPhoto } from '../../../shared/api/contract';
import { ArticleMetaSchema, newArticle } from '../../../shared/domain/article';
import type { Doc } from '../../../shared/domain/doc';
import { centredCrop } from '../../../shared/domain/photo';
import { cameraPhoto } from '../../support/camera-photo';
import { docOf, draft, type Office, publishingOfficeForEachTest } from '../../support/review-api';
import { filesUnder } from '../../support/files-under';
import { withSiteIdentifiers } from '../../support/site-identifiers';

/** Mean colour of a region of a decoded (upright) picture. */
async function meanColour(data: Buffer, region: { left: number; top: number; width: number; height: number }) {
  // stats() reads its input, not the pipeline's output: the region is cut out first.
  const stats = await sharp(await sharp(data).extract(region).png().toBuffer()).stats();
  return stats.channels.slice(0, 3).map((c) => Math.round(c.mean));
}


let camera: Buffer;
beforeAll(async () => {
  camera = await cameraPhoto();
  // The fixture is what a camera writes: stored landscape, orientation 6, GPS and the camera's name.
  const meta = await sharp(camera).metadata();
  expect([meta.width, meta.height, meta.orientation]).toEqual([4000, 3000, 6]);
  expect(meta.exif?.includes(Buffer.from('Canon'))).toBe(true);
}, 60_000);

describe('the photo pipeline', () => {
  it('makes an upright working copy without EXIF or GPS, and a page-size and 2× file for the web', async () => {
    const working = await makeWorkingCopy(camera, 'DSC_0001.JPG');
    expect([working.width, working.height, working.ext]).toEqual([3000, 4000, 'jpg']);
    const meta = await sharp(working.data).metadata();
    expect([meta.width, meta.height]).toEqual([3000, 4000]);
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(meta.orientation).toBeUndefined();
    // Stored top half red → after turning 90° clockwise it is the right half.
    const [lr, , lb] = await meanColour(working.data, { left: 100, top: 1800, width: 400, height: 400 });
    const [rr, , rb] = await meanColour(working.data, { left: 2500, top: 1800, width: 400, height: 400 });
    expect(lb).toBeGreaterThan(lr ?? 0);
    expect(rr).toBeGreaterThan(rb ?? 0);

    const { normal, double } = await webVersions(working.data, 'photo.jpg', { maxWidth: 1200, quality: 82, format: 'jpeg' });
    expect([normal.width, normal.height]).toEqual([1200, 1600]);
    expect([double?.width, double?.height]).toEqual([2400, 3200]);
    for (const file of [normal, double]) {
      const m = await sharp(file?.data).metadata();
      expect([m.format, m.width, m.height, m.exif, m.orientation]).toEqual(['jpeg', file?.width, file?.height, undefined, undefined]);
    }
    expect(normal.data.byteLength).toBeLessThan(camera.byteLength / 3);
    const webp = await webVersions(working.data, 'photo.jpg', { maxWidth: 800, quality: 75, format: 'webp' });
    expect((await sharp(webp.normal.data).metadata()).format).toBe('webp');
    expect(webp.normal.width).toBe(800);
  }, 60_000);

  it('turns and crops from the original: 16:9 of a turned photo', async () => {
    const crop = centredCrop(4000, 3000, 16 / 9);
    const working = await makeWorkingCopy(camera, 'DSC_0001.JPG', { rotate: 90, crop });
    // Upright 3000×4000, turned once more: 4000×3000, cropped to 16:9 across its whole width.
    expect([working.width, working.height]).toEqual([4000, 2250]);
  }, 60_000);

  it('refuses what is not a picture, a truncated photo and a decompression bomb, each with a message naming the file', async () => {
    await expect(makeWorkingCopy(Buffer.from('<html><script>alert(1)</script></html>'), '现场.jpg')).rejects.toThrow(/「现场\.jpg」不是可以识别的图片/);
    await expect(makeWorkingCopy(camera.subarray(0, Math.floor(camera.length / 2)), '半张.jpg')).rejects.toThrow(/「半张\.jpg」已损坏或不完整/);
    // Found when the photo is added, before anything is made from it.
    await expect(inspectPhoto(camera.subarray(0, Math.floor(camera.length / 2)), '半张.jpg')).rejects.toThrow(/「半张\.jpg」已损坏或不完整/);
    // A 20000×20000 PNG header over a few bytes of data: refused before any pixel is decoded.
    const side = Math.ceil(Math.sqrt(MAX_INPUT_PIXELS)) + 1000;
    const bomb = await sharp({ create: { width: 64, height: 64, channels: 3, background: '#fff' } }).png().toBuffer();
    bomb.writeUInt32BE(side, 16);
    bomb.writeUInt32BE(side, 20);
    await expect(makeWorkingCopy(bomb, 'bomb.png')).rejects.toThrow(/超过上限/);
  });
});

let office: Office;
let folder: string;
publishingOfficeForEachTest((opened) => ({ office, folder } = opened));

async function approve(id: string): Promise<void> {
  await office.value('writer', 'review:submit', { id, note: '' });
  const view = await office.value('reviewer', 'review:get', { id });
  await office.value('reviewer', 'review:approve', { id, opinion: '同意', expectedHash: view.currentHash });
}

describe('photos in articles', () => {
  it('keeps the original, shows a clean working copy, and a static site receives only processed files with width, height and srcset', async () => {
    const site = await office.value('admin', 'sites:get', { id: 'main' });
    await office.value('admin', 'sites:save', { ...withSiteIdentifiers(site), targets: [{ id: 'www', kind: 'static-folder', label: '门户网站目录', folder }] });
    const article = await draft(office, 'writer', '全区安全生产工作会议召开', '会议现场。');
    const added = await office.value('writer', 'assets:add', {
      articleId: article.id,
      fileName: 'DSC_0001.JPG',
      mime: 'image/jpeg',
      dataBase64: camera.toString('base64'),
    });
    const photo = (added as AddedAsset).photo;
    expect(photo).toMatchObject({ width: 3000, height: 4000 });
    const assetsDir = join(office.workspace.dir, 'articles', article.id, 'assets');
    // The original is kept byte for byte; the article shows the working copy.
    expect(readFileSync(join(assetsDir, (photo?.original ?? '').replace('assets/', '')))).toEqual(camera);
    const shown = await sharp(readFileSync(join(assetsDir, added.src.replace('assets/', '')))).metadata();
    expect([shown.width, shown.height, shown.exif]).toEqual([3000, 4000, undefined]);

    const doc: Doc = {
      type: 'doc',
      content: [
        { type: 'image', attrs: { src: added.src, original: photo?.original, width: 3000, height: 4000, alt: '会议现场', caption: '会议现场', align: 'left', size: 'half' } },
        ...docOf('会议召开。').content,
      ],
    };
    await office.value('writer', 'articles:save', { id: article.id, meta: { ...article.meta, publishAt: '2021-05-20T09:00' }, doc });
    await approve(article.id);
    expect((await office.value('publisher', 'publish:enqueue', { articleId: article.id, targetIds: ['www'], action: 'publish' })).ok).toBe(true);
    await office.workspace.publish.outbox.runDue();
    expect((await office.value('writer', 'publish:jobs', {})).jobs.map((job) => job.state)).toEqual(['succeeded']);

    const images = filesUnder(folder).filter((path) => /\.(jpe?g|png|webp|gif)$/i.test(path));
    expect(images).toHaveLength(2);
    const stored = readdirSync(assetsDir).map((name) => readFileSync(join(assetsDir, name)));
    const sizes: number[][] = [];
    for (const path of images) {
      const data = readFileSync(join(folder, path));
      // Neither the camera's original nor the working copy went out.
      expect(stored.some((file) => file.equals(data))).toBe(false);
      const meta = await sharp(data).metadata();
      expect([meta.exif, meta.xmp, meta.orientation]).toEqual([undefined, undefined, undefined]);
      expect(data.includes(Buffer.from('Canon'))).toBe(false);
      sizes.push([meta.width ?? 0, meta.height ?? 0]);
    }
    expect(sizes.sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0))).toEqual([
      [1200, 1600],
      [2400, 3200],
    ]);
    const page = filesUnder(folder).find((path) => path.endsWith('.html') && path.includes(article.id));
    const html = readFileSync(join(folder, page ?? ''), 'utf8');
    const img = /<img [^>]*alt="会议现场"[^>]*>/.exec(html)?.[0] ?? '';
    expect(img).toMatch(/ width="1200" height="1600"/);
    expect(img).toMatch(/ srcset="\/assets\/[0-9a-f]{16}\.jpg 1x, \/assets\/[0-9a-f]{16}\.jpg 2x"/);
    expect(html).toContain('<figure class="article-image align-left size-half">');
    // The preview is the published page byte for byte, photos included.
    const preview = await office.value('writer', 'preview:render', { articleId: article.id });
    if ('error' in preview) throw new Error(preview.error.message);
    expect(preview.html).toBe(html);
  }, 120_000);

  it('refuses a file that is not a picture, keeping what the writer wrote; photos:edit crops a new copy from the original', async () => {
    const article = await draft(office, 'writer', '图片测试', '正文第一段。');
    const refused = await office.call('writer', 'assets:add', {
      articleId: article.id,
      fileName: '照片.jpg',
      mime: 'image/jpeg',
      dataBase64: Buffer.concat([Buffer.from([0xff, 0xd8]), Buffer.from('not really a jpeg')]).toString('base64'),
    });
    expect(refused.ok ? null : refused.error).toMatchObject({ code: 'unsupported_file' });
    expect(refused.ok ? '' : refused.error.detail).toContain('「照片.jpg」');
    expect((await office.value('writer', 'articles:get', { id: article.id })).doc).toEqual(article.doc);

    const small = await cameraPhoto(800, 600, 7);
    const added = await office.value('writer', 'assets:add', { articleId: article.id, fileName: 'small.jpg', mime: 'image/jpeg', dataBase64: small.toString('base64') });
    const original = (added as AddedAsset).photo?.original ?? '';
    const edited: AddedPhoto = await office.value('writer', 'photos:edit', {
      articleId: article.id,
      original,
      edit: { rotate: 0, crop: centredCrop(600, 800, 16 / 9) },
    });
    expect([edited.width, edited.height, edited.original]).toEqual([600, 338, original]);
    expect(edited.src).not.toBe(added.src);
    const notOurs = await office.call('writer', 'photos:edit', { articleId: article.id, original: 'assets/0000000000000000dead.jpg', edit: { rotate: 90 } });
    expect(notOurs.ok ? null : notOurs.error.code).toBe('not_found');
  }, 60_000);
});

describe('cover images', () => {
  it('are cut to the site thumbnail size, and the page names the thumbnail as its Image', async () => {
    const site = await office.value('admin', 'sites:get', { id: 'main' });
    await office.value('admin', 'sites:save', {
      ...withSiteIdentifiers(site),
      photos: { ...site.photos, thumbnails: [{ width: 400, height: 300 }] },
      targets: [{ id: 'www', kind: 'static-folder', label: '门户网站目录', folder }],
    });
    const article = await draft(office, 'writer', '封面测试', '正文。');
    const cover = await cameraPhoto(1200, 900, 3);
    const added = await office.value('writer', 'assets:add', { articleId: article.id, fileName: 'cover.jpg', mime: 'image/jpeg', dataBase64: cover.toString('base64') });
    await office.value('writer', 'articles:save', {
      id: article.id,
      meta: { ...article.meta, publishAt: '2021-05-20T09:00', cover: { src: added.src, alt: '封面' } },
      doc: docOf('会议召开。'),
    });
    await approve(article.id);
    expect((await office.value('publisher', 'publish:enqueue', { articleId: article.id, targetIds: ['www'], action: 'publish' })).ok).toBe(true);
    await office.workspace.publish.outbox.runDue();
    const page = filesUnder(folder).find((path) => path.endsWith('.html') && path.includes(article.id)) ?? '';
    const html = readFileSync(join(folder, page), 'utf8');
    const image = /<meta name="Image" content="https?:\/\/[^/"]+(\/assets\/[0-9a-f]{16}\.jpg)"/.exec(html)?.[1] ?? '';
    expect(image).not.toBe('');
    const meta = await sharp(readFileSync(join(folder, image))).metadata();
    // The upright cover is 900×1200; the thumbnail fills 400×300 from its centre, without metadata.
    expect([meta.width, meta.height, meta.exif]).toEqual([400, 300, undefined]);
  }, 60_000);
});

describe('photos sent to WordPress and MetaWeblog', () => {
  it('uploads the page-size file without metadata, and the HTML says its size', async () => {
    const working = await makeWorkingCopy(camera, 'DSC_0001.JPG');
    const dir = join(office.workspace.dir, 'payload-test');
    const { mkdirSync, writeFileSync } = await import('node:fs');
    mkdirSync(dir, { recursive: true });
    const { createHash } = await import('node:crypto');
    const name = `${createHash('sha256').update(working.data).digest('hex').slice(0, 20)}.jpg`;
    writeFileSync(join(dir, name), working.data);
    const doc: Doc = { type: 'doc', content: [{ type: 'image', attrs: { src: `assets/${name}`, alt: '现场', width: 3000, height: 4000 } }] };
    const article = newArticle('PayloadTest01', '2021-05-20T01:00:00.000Z', ArticleMetaSchema.parse({}), doc);
    const payload = buildPublishPayload(article, { assetsDir: dir, photos: { maxWidth: 1200, quality: 82, format: 'webp' } });
    expect(payload.html).toContain(`<img src="assets/${name}" alt="现场" width="1200" height="1600">`);
    const image = payload.images[0];
    expect(image?.mimeType).toBe('image/webp');
    const uploaded = await readMediaFile(image ?? ({} as never));
    const meta = await sharp(uploaded).metadata();
    expect([meta.format, meta.width, meta.height, meta.exif]).toEqual(['webp', 1200, 1600, undefined]);
  }, 60_000);
});
