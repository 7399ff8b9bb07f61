import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storedAssetName } from '../../node/services/store/assets';
import { describe, expect, it } from 'vitest';
import { MetaWeblogClient } from '../../node/services/publish/metaweblog/client';
import { PublishError } from '../../node/services/publish/outbox/publish-error';
import type { PublishPayload } from '../../node/services/publish/outbox/target';
import { WordPressClient } from '../../node/services/publish/wordpress/client';
import { loadTestServers, type TestServers, tinyPng } from '../support/test-servers';

const loaded = await loadTestServers();
if ('skip' in loaded) console.warn(`[skip] MetaWeblog integration tests: ${loaded.skip}`);
const servers = 'servers' in loaded ? loaded.servers : null;

describe.skipIf(!servers)("MetaWeblog client against WordPress's xmlrpc.php", () => {
  const s = servers as TestServers;
  const run = randomUUID().slice(0, 8);
  const mw = (password = s.wpPassword) => new MetaWeblogClient({ id: 'mw', endpoint: s.xmlRpcUrl, user: s.wpUser, password });
  const rest = () => new WordPressClient({ id: 'wp', baseUrl: s.wpUrl, user: s.wpUser, appPassword: s.wpAppPassword });

  it('uploads media, creates, reads, finds by job id, edits in place and deletes a post', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gazette-mw-'));
    const photo = storedAssetName('photo.png', tinyPng(Number.parseInt(run.slice(0, 2), 16)));
    writeFileSync(join(dir, photo), tinyPng(Number.parseInt(run.slice(0, 2), 16)));
    // MetaWeblog assigns existing categories only; make sure the column's leaf exists.
    const category = `政务要闻${run}`;
    await rest().categoryIds([category]);
    const payload: PublishPayload = {
      title: `MetaWeblog 发布测试 ${run}`,
      html: `<p class="gz-info"><span>作者：张三</span> <span>摄影：李四</span></p>\n<p>会议强调 &amp; 部署。</p><figure class="article-image"><img src="assets/${photo}" alt="现场"></figure>`,
      excerpt: '摘要内容',
      date: '2021-05-20T09:30',
      column: ['首页', category],
      keywords: [`关键词${run}`, '会议'],
      source: '区政府办公室',
      cover: null,
      images: [{ src: `assets/${photo}`, path: join(dir, photo), fileName: photo, mimeType: 'image/png', alt: '现场' }],
      slug: `metaweblog-fa-bu-ce-shi-${run}`,
    };
    const client = mw();
    const jobId = randomUUID();
    expect(await client.findByJobId(jobId)).toBeNull();
    const created = await client.create(payload, jobId);
    expect(created.remoteId).toMatch(/^\d+$/);
    expect(created.url).toContain(s.wpUrl);

    const post = await client.getPost(created.remoteId);
    expect(post.title).toBe(payload.title);
    expect(post.mt_excerpt).toBe('摘要内容');
    expect(post.categories).toContain(category);
    expect(post.mt_keywords.split(/,\s*/).sort()).toEqual([`关键词${run}`, '会议'].sort());
    expect(post.description).toContain('/wp-content/uploads/');
    expect(post.description).not.toContain('src="assets/');
    // 09:30 in Beijing is 01:30 UTC.
    expect(post.dateCreated?.toISOString()).toBe('2021-05-20T01:30:00.000Z');
    expect(await client.findByJobId(jobId)).toEqual({ remoteId: created.remoteId, url: created.url });
    // A readable slug; the job marker sits inside the last element, so the page has no empty paragraph.
    expect(((await rest().getPost(created.remoteId)) as { slug: string }).slug).toBe(payload.slug);
    const page = await (await fetch(created.url)).text();
    expect(page).toContain('作者：张三');
    expect(page).not.toMatch(/<p>\s*(<!--[^>]*-->)?\s*<\/p>/);
    expect(created.images).toHaveLength(1);
    const image = await fetch(created.images?.[0]?.url ?? '');
    expect([image.status, image.headers.get('content-type')]).toEqual([200, 'image/png']);

    const updated = await client.update(created.remoteId, { ...payload, title: `${payload.title}（修订）`, images: [], html: '<p>新正文</p>' }, randomUUID());
    expect(updated).toEqual({ remoteId: created.remoteId, url: created.url, images: [] });
    expect((await client.getPost(created.remoteId)).title).toBe(`${payload.title}（修订）`);

    await client.withdraw(created.remoteId);
    const status = ((await rest().getPost(created.remoteId)) as { status: string }).status;
    expect(status).toBe('trash');
    await client.withdraw(created.remoteId); // retried withdraw is harmless
  });

  it('turns a wrong password fault into a Chinese login error with the server text', async () => {
    const error = (await mw('wrong-password').getRecentPosts(1).catch((e: unknown) => e)) as PublishError;
    expect(error).toBeInstanceOf(PublishError);
    expect(error.kind).toBe('auth');
    expect(error.code).toBe('403');
    expect(error.message).toContain('拒绝登录');
    expect(error.message).toContain(error.serverMessage);
  });

  it('reports a missing post as not found', async () => {
    const error = (await mw().getPost('99999999').catch((e: unknown) => e)) as PublishError;
    expect(error.kind).toBe('not_found');
    expect(error.retryable).toBe(false);
  });

  it('reports a non-XML-RPC endpoint as an unreadable reply, not a crash', async () => {
    const client = new MetaWeblogClient({ id: 'mw', endpoint: `${s.wpUrl}/wp-login.php`, user: 'x', password: 'y' });
    const error = (await client.getRecentPosts(1).catch((e: unknown) => e)) as PublishError;
    expect(error).toBeInstanceOf(PublishError);
    expect(error.kind).toBe('protocol');
    expect(error.message).toContain('无法识别');
  });
});
