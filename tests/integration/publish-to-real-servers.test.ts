import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPublishingTeam, draft, type Office } from '../support/review-api';
import { loadTestServers, type TestServers } from '../support/test-servers';
import { withSiteIdentifiers } from '../support/site-identifiers';

const loaded = await loadTestServers();
if ('skip' in loaded) console.warn(`[skip] publishing service integration tests: ${loaded.skip}`);
const servers = 'servers' in loaded ? loaded.servers : null;
const canInspectSftp = servers !== null && existsSync(servers.sftpRoot);

describe.skipIf(!servers)('publishing service against the real WordPress and sshd', () => {
  const s = servers as TestServers;
  const run = randomUUID().slice(0, 8);
  let office: Office;

  beforeAll(async () => {
    office = await createPublishingTeam();
    const site = await office.value('admin', 'sites:get', { id: 'main' });
    await office.value('admin', 'sites:save', {
      ...withSiteIdentifiers(site),
      // Nothing serves the static site here: its receipts are flagged without reaching out to a real domain.
      baseUrl: 'http://127.0.0.1:9/',
      targets: [
        { id: 'wp', kind: 'wordpress', label: '测试 WordPress', baseUrl: s.wpUrl, user: s.wpUser },
        {
          id: 'sftp',
          kind: 'static-sftp',
          label: '测试 SFTP',
          host: s.sftpHost,
          port: s.sftpPort,
          username: s.sftpUser,
          remoteDir: `${s.sftpRoot}/service-${run}`,
          privateKeyPath: s.sftpKeyPath,
        },
      ],
    });
    await office.value('publisher', 'targets:setCredential', { targetId: 'wp', secret: s.wpAppPassword });
  });

  afterAll(async () => {
    await office?.close();
  });

  /** Submits and approves an article: a new one with this title, or the draft with this id. */
  async function approved(titleOrId: string): Promise<string> {
    const existing = await office.value('writer', 'articles:get', { id: titleOrId }).catch(() => null);
    const article = existing ?? (await draft(office, 'writer', titleOrId, '会议研究部署了下一阶段重点工作。'));
    await office.value('writer', 'review:submit', { id: article.id, note: '' });
    const view = await office.value('reviewer', 'review:get', { id: article.id });
    await office.value('reviewer', 'review:approve', { id: article.id, opinion: '同意', expectedHash: view.currentHash });
    return article.id;
  }

  it('publishes to WordPress once, updates the same post, verifies the live page, then withdraws it', async () => {
    const written = await draft(office, 'writer', `区政府常务会议召开 ${run}`, '会议研究部署了下一阶段重点工作。');
    await office.value('writer', 'articles:save', { id: written.id, meta: { ...written.meta, author: '张三', photographer: '李四', editor: '王五' }, doc: written.doc });
    const id = await approved(written.id);
    const queued = await office.value('publisher', 'publish:enqueue', { articleId: id, targetIds: ['wp'], action: 'publish' });
    expect(queued.ok).toBe(true);
    await office.workspace.publish.outbox.runDue();
    const [receipt] = await office.value('writer', 'publish:receipts', { articleId: id });
    expect(receipt).toMatchObject({ targetId: 'wp', action: 'publish', verification: 'verified' });
    expect(receipt?.url).toMatch(/^http:\/\/127\.0\.0\.1/);
    // The post keeps the credits in the portal's info line and gets the title's pinyin as its slug;
    // this WordPress registered no post meta, so the receipt says the credits are in the content only.
    const page = await (await fetch(receipt?.url ?? '')).text();
    expect(page).toContain('作者：张三');
    expect(page).toContain('摄影：李四');
    expect(page).toContain('责任编辑：王五');
    expect(receipt?.notes).toEqual(['credits_in_content_only']);
    const post = (await (await fetch(`${s.wpUrl}/?rest_route=/wp/v2/posts/${receipt?.remoteId}`)).json()) as { slug: string };
    expect(post.slug).toMatch(/^qu-zheng-fu-chang-wu-hui-yi-zhao-kai-[0-9a-f]{8}(-\d+)?$/);

    await office.value('publisher', 'publish:enqueue', { articleId: id, targetIds: ['wp'], action: 'update' });
    await office.workspace.publish.outbox.runDue();
    const receipts = await office.value('writer', 'publish:receipts', { articleId: id });
    expect(receipts.map((r) => r.action)).toEqual(['publish', 'update']);
    expect(receipts[1]?.remoteId).toBe(receipt?.remoteId);
    expect(receipts[1]?.url).toBe(receipt?.url);

    await office.value('publisher', 'publish:enqueue', { articleId: id, targetIds: ['wp'], action: 'withdraw', reason: '测试撤回' });
    await office.workspace.publish.outbox.runDue();
    expect((await office.value('writer', 'articles:get', { id })).status).toBe('withdrawn');
  });

  it.skipIf(!canInspectSftp)('deploys the static site by SFTP and the remote page equals the preview', async () => {
    const id = await approved(`开发区召开安全生产会议 ${run}`);
    await office.value('publisher', 'publish:enqueue', { articleId: id, targetIds: ['sftp'], action: 'publish' });
    await office.workspace.publish.outbox.runDue();
    const [job] = (await office.value('writer', 'publish:jobs', { articleId: id })).jobs;
    expect(job?.error ?? null).toBeNull();
    expect(job?.state).toBe('succeeded');
    const preview = await office.value('writer', 'preview:render', { articleId: id });
    if ('error' in preview) throw new Error(preview.error.message);
    expect(readFileSync(join(s.sftpRoot, `service-${run}`, preview.path), 'utf8')).toBe(preview.html);
  });
});
