import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storedAssetName } from '../../node/services/store/assets';
import { beforeAll, describe, expect, it } from 'vitest';
import { PublishError } from '../../node/services/publish/outbox/publish-error';
import type { PublishPayload } from '../../node/services/publish/outbox/target';
import { WordPressClient } from '../../node/services/publish/wordpress/client';
import { loadTestServers, type TestServers, tinyPng } from '../support/test-servers';

const loaded = await loadTestServers();
if ('skip' in loaded) console.warn(`[skip] WordPress integration tests: ${loaded.skip}`);
const servers = 'servers' in loaded ? loaded.servers : null;

function client(s: TestServers, extra: Partial<ConstructorParameters<typeof WordPressClient>[0]> = {}): WordPressClient {
  return new WordPressClient({ id: 'wp', baseUrl: s.wpUrl, user: s.wpUser, appPassword: s.wpAppPassword, skipColumns: ['首页'], ...extra });
}

interface WpTermReply {
  id: number;
  name: string;
  parent: number;
}

describe.skipIf(!servers)('WordPress REST client against the real WordPress', () => {
  const s = servers as TestServers;
  const run = randomUUID().slice(0, 8);
  const dir = mkdtempSync(join(tmpdir(), 'gazette-wp-'));
  let payload: PublishPayload;

  beforeAll(() => {
    // Stored as the workspace stores assets: named by the hash of their bytes (uploads check that).
    const inline = storedAssetName('inline.png', tinyPng(Number.parseInt(run.slice(0, 2), 16)));
    const cover = storedAssetName('cover.png', tinyPng(Number.parseInt(run.slice(2, 4), 16) ^ 0x55));
    writeFileSync(join(dir, inline), tinyPng(Number.parseInt(run.slice(0, 2), 16)));
    writeFileSync(join(dir, cover), tinyPng(Number.parseInt(run.slice(2, 4), 16) ^ 0x55));
    payload = {
      title: `区委常委会召开专题会议 ${run}`,
      html: `<p class="gz-info"><span>作者：张三</span> <span>摄影：李四</span> <span>责任编辑：王五</span></p>\n<p>会议强调，要坚持以人民为中心。</p>\n<figure class="article-image"><img src="assets/${inline}" alt="会议现场"><figcaption>会议现场</figcaption></figure>`,
      excerpt: '会议研究部署下一阶段重点工作。',
      date: '2021-05-20T09:30',
      column: ['首页', `要闻动态${run}`, '政务要闻'],
      keywords: [`营商环境${run}`, '专题会议'],
      source: '区政府办公室',
      cover: { src: `assets/${cover}`, path: join(dir, cover), fileName: cover, mimeType: 'image/png', alt: '封面' },
      images: [{ src: `assets/${inline}`, path: join(dir, inline), fileName: inline, mimeType: 'image/png', alt: '会议现场' }],
      postMeta: { gazette_author: '张三', gazette_photographer: '李四', gazette_editor: '王五' },
      slug: `qu-wei-chang-wei-hui-zhao-kai-zhuan-ti-hui-yi-${run}`,
    };
  });

  it('creates a post with nested categories, tags, cover, uploaded inline image, excerpt and date, then finds it by job id', async () => {
    const wp = client(s);
    const jobId = randomUUID();
    expect(await wp.findByJobId(jobId)).toBeNull();
    const created = await wp.create(payload, jobId);
    const post = (await wp.getPost(created.remoteId)) as {
      slug: string;
      date: string;
      status: string;
      title: { raw: string };
      excerpt: { raw: string };
      content: { raw: string };
      categories: number[];
      tags: number[];
      featured_media: number;
    };
    expect(post.slug).toBe(payload.slug);
    expect(post.title.raw).toBe(payload.title);
    expect(post.excerpt.raw).toBe(payload.excerpt);
    expect(post.date).toBe('2021-05-20T09:30:00');
    expect(post.status).toBe('publish');
    expect(post.content.raw).not.toContain('src="assets/');
    // WordPress names the file itself, adding -1, -2… when its uploads folder already holds one of that name (as after an earlier run on the same site).
    expect(post.content.raw).toMatch(/src="http:\/\/127\.0\.0\.1:\d+\/wp-content\/uploads\/[^"]+gz-media-[0-9a-f]+(?:-\d+)?\.png"/);
    expect(post.featured_media).toBeGreaterThan(0);

    // 政务要闻 is a child of 要闻动态<run>; 首页 was skipped.
    expect(post.categories).toHaveLength(1);
    const leaf = await wp.request<WpTermReply>('GET', `/wp/v2/categories/${post.categories[0]}`);
    expect(leaf.name).toBe('政务要闻');
    const parent = await wp.request<WpTermReply>('GET', `/wp/v2/categories/${leaf.parent}`);
    expect(parent.name).toBe(`要闻动态${run}`);
    expect(parent.parent).toBe(0);
    const tagNames = await Promise.all(post.tags.map((id) => wp.request<WpTermReply>('GET', `/wp/v2/tags/${id}`).then((t) => t.name)));
    expect(tagNames.sort()).toEqual([`营商环境${run}`, '专题会议'].sort());

    expect(await wp.findByJobId(jobId)).toEqual({ remoteId: created.remoteId, url: created.url });

    // The live page shows the title and the credits, and no empty paragraph holds the job marker.
    const page = await (await fetch(created.url)).text();
    expect(page).toContain(run);
    expect(page).toContain('作者：张三');
    expect(page).toContain('责任编辑：王五');
    expect(page).not.toMatch(/<p>\s*(<!--[^>]*-->)?\s*<\/p>/);
    // This site registered no post meta, so the receipt is told the credits live only in the content.
    expect(created.notes).toEqual(['credits_in_content_only']);
    expect(created.images?.map((image) => image.mimeType)).toEqual(['image/png', 'image/png']);
    for (const image of created.images ?? []) {
      const reply = await fetch(image.url);
      expect([reply.status, reply.headers.get('content-type')]).toEqual([200, 'image/png']);
    }
  });

  it('reuses existing categories, tags and media instead of creating duplicates', async () => {
    const first = client(s);
    const second = client(s); // a fresh client has no cache: must find the terms on the site
    const a = await first.create(payload, randomUUID());
    const b = await second.create(payload, randomUUID());
    const postA = (await first.getPost(a.remoteId)) as { categories: number[]; tags: number[]; featured_media: number };
    const postB = (await second.getPost(b.remoteId)) as { categories: number[]; tags: number[]; featured_media: number };
    expect(postB.categories).toEqual(postA.categories);
    expect([...postB.tags].sort()).toEqual([...postA.tags].sort());
    expect(postB.featured_media).toBe(postA.featured_media);
  });

  it('updates in place (same id and URL) and withdraws to draft or trash as configured', async () => {
    const wp = client(s);
    const jobId = randomUUID();
    const created = await wp.create(payload, jobId);
    const before = (await wp.getPost(created.remoteId)) as { slug: string };
    // Earlier tests took the readable slug already; WordPress numbers the next ones.
    expect(before.slug).toMatch(new RegExp(`^${payload.slug}(-\\d+)?$`));
    const updateJobId = randomUUID();
    const updated = await wp.update(created.remoteId, { ...payload, title: `${payload.title}（更新）` }, updateJobId);
    expect(updated).toEqual(created);
    const after = (await wp.getPost(created.remoteId)) as { title: { raw: string }; slug: string };
    expect(after.title.raw).toBe(`${payload.title}（更新）`);
    expect(after.slug).toBe(before.slug);

    await wp.withdraw(created.remoteId);
    expect(((await wp.getPost(created.remoteId)) as { status: string }).status).toBe('draft');
    // A draft is still found by the id of the job that last wrote it (status=any with auth).
    expect((await wp.findByJobId(updateJobId))?.remoteId).toBe(created.remoteId);

    const trashing = client(s, { withdrawMode: 'trash' });
    await trashing.withdraw(created.remoteId);
    expect(((await wp.getPost(created.remoteId)) as { status: string }).status).toBe('trash');
    await trashing.withdraw(created.remoteId); // a retried trash is not an error
  });

  it('finds a post by the content marker when an editor changed its slug', async () => {
    const wp = client(s);
    const jobId = randomUUID();
    const created = await wp.create({ ...payload, images: [], cover: null, html: '<p>正文</p>' }, jobId);
    await wp.request('POST', `/wp/v2/posts/${created.remoteId}`, { json: { slug: `edited-${run}` } });
    expect((await wp.findByJobId(jobId))?.remoteId).toBe(created.remoteId);
  });

  it('reports a wrong application password in Chinese with the server code and message', async () => {
    const wp = client(s, { appPassword: 'xxxx xxxx xxxx xxxx xxxx xxxx' });
    const error = await wp.create(payload, randomUUID()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PublishError);
    const publishError = error as PublishError;
    expect(publishError.kind).toBe('auth');
    expect(publishError.retryable).toBe(false);
    expect(publishError.status).toBe(401);
    expect(publishError.code).not.toBe('');
    expect(publishError.message).toContain(publishError.code);
    expect(publishError.message).toContain('拒绝登录');
    expect(publishError.message).toContain(publishError.serverMessage);
    expect(publishError.serverMessage.length).toBeGreaterThan(0);
  });

  it('reports a refused action (subscriber account) with rest_cannot_create and the server text', async () => {
    const admin = client(s);
    const login = `sub${run}`;
    const user = await admin.request<{ id: number }>('POST', '/wp/v2/users', {
      json: { username: login, email: `${login}@example.com`, password: `pw-${run}-x`, roles: ['subscriber'] },
    });
    const created = await admin.request<{ password: string }>('POST', `/wp/v2/users/${user.id}/application-passwords`, {
      json: { name: 'test' },
    });
    const subscriber = client(s, { user: login, appPassword: created.password });
    const error = (await subscriber.create({ ...payload, images: [], cover: null, keywords: [], column: [] }, randomUUID()).catch((e: unknown) => e)) as PublishError;
    expect(error).toBeInstanceOf(PublishError);
    expect(error.kind).toBe('forbidden');
    expect(error.code).toBe('rest_cannot_create');
    expect(error.message).toContain('rest_cannot_create');
    expect(error.message).toContain(error.serverMessage);
  });

  it('reports a missing image file before anything is sent', async () => {
    const wp = client(s);
    const missing = { ...payload, images: [{ ...payload.images[0]!, path: join(dir, 'nope.png'), fileName: 'nope.png' }] };
    const error = (await wp.create(missing, randomUUID()).catch((e: unknown) => e)) as PublishError;
    expect(error.kind).toBe('local');
    expect(error.message).toContain('nope.png');
  });
});
