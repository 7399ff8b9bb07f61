import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SiteConfig } from '../../../shared/api/contract';
import type { Doc } from '../../../shared/domain/doc';
import { docOf, draft, type Office, publishingOfficeForEachTest } from '../../support/review-api';
import { withSiteIdentifiers } from '../../support/site-identifiers';

/** A 1×1 PNG (pictures go through the photo pipeline, which decodes them). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');

let office: Office;
let folder: string;
publishingOfficeForEachTest((opened) => ({ office, folder } = opened));

async function approve(id: string): Promise<void> {
  await office.value('writer', 'review:submit', { id, note: '' });
  const view = await office.value('reviewer', 'review:get', { id });
  await office.value('reviewer', 'review:approve', { id, opinion: '同意', expectedHash: view.currentHash });
}

async function approvedArticle(title: string, publishAt = '2021-05-20T09:00'): Promise<string> {
  const article = await draft(office, 'writer', title, `${title}的正文第一段。`, '会议要求，各部门抓好落实。');
  await office.value('writer', 'articles:save', { id: article.id, meta: { ...article.meta, publishAt }, doc: article.doc });
  await approve(article.id);
  return article.id;
}

async function addFolderTarget(): Promise<SiteConfig> {
  const site = await office.value('admin', 'sites:get', { id: 'main' });
  return office.value('admin', 'sites:save', {
    ...withSiteIdentifiers(site),
    targets: [{ id: 'www', kind: 'static-folder', label: '门户网站目录', folder }],
  });
}

describe('publishing service', () => {
  it('offers the default site from the workspace column tree, and writes a site file only when an admin saves one', async () => {
    const sites = await office.value('writer', 'sites:list', {});
    expect(sites.map((s) => s.id)).toEqual(['main']);
    const site = await office.value('writer', 'sites:get', { id: 'main' });
    const settings = await office.value('writer', 'settings:get', {});
    expect(site.columns).toEqual(settings.columns);
    // A site file travels as the office's through the office server: a default nobody chose is never one.
    expect(existsSync(join(office.dir, 'sites', 'main.json'))).toBe(false);
    await office.value('admin', 'sites:save', { ...withSiteIdentifiers(site), name: '开发区门户' });
    expect(JSON.parse(readFileSync(join(office.dir, 'sites', 'main.json'), 'utf8')).name).toBe('开发区门户');
    expect((await office.value('writer', 'sites:get', { id: 'main' })).name).toBe('开发区门户');
  });

  it('follows the column tree the admin edits in settings (one tree for writers and the portal)', async () => {
    const before = await office.value('writer', 'sites:get', { id: 'main' });
    const settings = await office.value('admin', 'settings:get', {});
    expect(before.columns).toEqual(settings.columns);
    const columns = [{ name: '首页', children: [{ name: '专题报道', children: [] }] }];
    await office.value('admin', 'settings:save', { ...settings, columns });
    expect((await office.value('writer', 'sites:get', { id: 'main' })).columns).toEqual(columns);
  });

  it('only admins save sites; a damaged site file is reported and left as it was', async () => {
    const site = await office.value('admin', 'sites:get', { id: 'main' });
    const refused = await office.call('publisher', 'sites:save', { ...withSiteIdentifiers(site), name: '别的网站' });
    expect(refused.ok ? null : refused.error.code).toBe('forbidden');

    const file = join(office.dir, 'sites', 'main.json');
    mkdirSync(join(office.dir, 'sites'), { recursive: true });
    writeFileSync(file, '{"id":"main", broken');
    const damaged = await office.call('writer', 'sites:get', { id: 'main' });
    expect(damaged.ok ? null : damaged.error.code).toBe('damaged_file');
    expect(damaged.ok ? '' : damaged.error.detail).toContain('main.json');
    expect(readFileSync(file, 'utf8')).toBe('{"id":"main", broken');
  });

  it('refuses non-publishers and unapproved articles, and queues an approved one durably', async () => {
    await addFolderTarget();
    const draftOnly = await draft(office, 'writer', '未审稿件', '正文。');
    const id = await approvedArticle('区政府常务会议召开');

    const byWriter = await office.call('writer', 'publish:enqueue', { articleId: id, targetIds: ['www'], action: 'publish' });
    expect(byWriter.ok ? null : byWriter.error.code).toBe('forbidden');
    const byAdmin = await office.call('admin', 'publish:enqueue', { articleId: id, targetIds: ['www'], action: 'publish' });
    expect(byAdmin.ok ? null : byAdmin.error.code).toBe('forbidden');
    const unapproved = await office.call('publisher', 'publish:enqueue', { articleId: draftOnly.id, targetIds: ['www'], action: 'publish' });
    expect(unapproved.ok ? null : unapproved.error.code).toBe('conflict');

    const queued = await office.value('publisher', 'publish:enqueue', { articleId: id, targetIds: ['www'], action: 'publish' });
    expect(queued.ok).toBe(true);
    const job = queued.ok ? queued.jobs[0] : undefined;
    expect(job).toMatchObject({ state: 'pending', targetId: 'www', articleId: id, title: '区政府常务会议召开' });
    expect(existsSync(join(office.dir, 'outbox', 'jobs', `${job?.id}.json`))).toBe(true);
    const jobs = await office.value('writer', 'publish:jobs', {});
    expect(jobs.jobs.map((j) => j.id)).toEqual([job?.id]);
    // The outbox's own timer may already be sending it: one job for the target, in whichever state it has reached.
    expect(jobs.targets).toHaveLength(1);
    const [counts] = jobs.targets;
    expect(counts).toMatchObject({ targetId: 'www', label: '门户网站目录', failed: 0 });
    expect((counts?.pending ?? 0) + (counts?.running ?? 0) + (counts?.succeeded ?? 0)).toBe(1);
  });

  it('refuses to publish to a site whose 备案 identifiers are still empty, naming them, and queues nothing', async () => {
    const site = await office.value('admin', 'sites:get', { id: 'main' });
    expect(site.footer).toMatchObject({ siteCode: '', icp: '', police: '' });
    await office.value('admin', 'sites:save', {
      ...site,
      footer: { ...site.footer, icp: '豫ICP备05012345号' },
      targets: [{ id: 'www', kind: 'static-folder', label: '门户网站目录', folder }],
    });
    const id = await approvedArticle('区政府常务会议召开');

    const refused = await office.call('publisher', 'publish:enqueue', { articleId: id, targetIds: ['www'], action: 'publish' });
    expect(refused.ok).toBe(false);
    const message = refused.ok ? '' : refused.error.detail;
    expect(message).toContain('“网站标识码”、“公安备案号”');
    expect(message).not.toContain('ICP');
    expect(message).toContain('设置 → 网站与发布目标 → 页脚信息');
    expect((await office.value('writer', 'publish:jobs', {})).jobs).toEqual([]);
    expect(readdirSync(folder)).toEqual([]);
    // Nothing was signed either: the record still ends with the last approval.
    expect((await office.value('writer', 'review:get', { id })).state.status).toBe('approved');

    await addFolderTarget();
    const queued = await office.value('publisher', 'publish:enqueue', { articleId: id, targetIds: ['www'], action: 'publish' });
    expect(queued.ok).toBe(true);
  });

  it('returns the checklist and queues nothing when metadata, alt text or links are wrong', async () => {
    await addFolderTarget();
    const created = await office.value('writer', 'articles:create', { template: 'blank' });
    const doc: Doc = {
      type: 'doc',
      content: [
        { type: 'image', attrs: { src: 'https://www.example.gov.cn/a.png', alt: '' } },
        {
          type: 'paragraph',
          content: [{ type: 'text', text: '详见链接', marks: [{ type: 'link', attrs: { href: 'http://exa mple.com/x' } }] }],
        },
      ],
    };
    await office.value('writer', 'articles:save', { id: created.id, meta: { ...created.meta, title: '缺项稿件' }, doc });
    await approve(created.id);

    const result = await office.value('publisher', 'publish:enqueue', { articleId: created.id, targetIds: ['www'], action: 'publish' });
    expect(result.ok).toBe(false);
    const failing = result.ok ? [] : result.checklist.filter((item) => !item.ok).map((item) => item.code);
    expect(failing.sort()).toEqual(['column', 'imageAlt', 'imageSource', 'links', 'publishAt', 'source']);
    // An image from the web is not covered by the approvals' signatures: it could change after approval.
    const foreign = result.ok ? undefined : result.checklist.find((item) => item.code === 'imageSource');
    expect(foreign?.message).toContain('https://www.example.gov.cn/a.png');
    const links = result.ok ? undefined : result.checklist.find((item) => item.code === 'links');
    expect(links?.message).toContain('http://exa mple.com/x');
    expect((await office.value('publisher', 'publish:jobs', {})).jobs).toEqual([]);
  });

  it('publishes to a static folder: the page equals the preview byte for byte, then withdraw removes it', async () => {
    await addFolderTarget();
    const first = await approvedArticle('第一篇新闻', '2021-05-19T09:00');
    const middleDraft = await draft(office, 'writer', '中间的新闻', '正文。');
    const { src } = await office.value('writer', 'assets:add', {
      articleId: middleDraft.id,
      fileName: '现场.png',
      mime: 'image/png',
      dataBase64: PNG.toString('base64'),
    });
    const withImage: Doc = { type: 'doc', content: [{ type: 'image', attrs: { src, alt: '会议现场', caption: '会议现场' } }, ...docOf('会议召开。').content] };
    await office.value('writer', 'articles:save', { id: middleDraft.id, meta: { ...middleDraft.meta, publishAt: '2021-05-20T09:00' }, doc: withImage });
    await approve(middleDraft.id);
    const last = await approvedArticle('第三篇新闻', '2021-05-21T09:00');

    for (const id of [first, middleDraft.id, last]) {
      const queued = await office.value('publisher', 'publish:enqueue', { articleId: id, targetIds: ['www'], action: 'publish' });
      expect(queued.ok).toBe(true);
    }
    await office.workspace.publish.outbox.runDue();
    const { jobs } = await office.value('writer', 'publish:jobs', {});
    expect(jobs.map((job) => job.state)).toEqual(['succeeded', 'succeeded', 'succeeded']);

    const preview = await office.value('writer', 'preview:render', { articleId: middleDraft.id });
    if ('error' in preview) throw new Error(preview.error.message);
    const published = readFileSync(join(folder, preview.path), 'utf8');
    expect(preview.html).toBe(published);
    expect(published).toContain('第一篇新闻');
    expect(published).toContain('第三篇新闻');
    const [hashed, original] = Object.entries(preview.assetUrls)[0] ?? [];
    expect(original).toBe(src);
    expect(published).toContain(`src="${hashed}"`);
    // The site receives the photo pipeline's file, never the workspace's bytes.
    const sent = readFileSync(join(folder, (hashed ?? '').replace(/^\//, '')));
    expect(sent.equals(PNG)).toBe(false);
    expect(sent.subarray(0, 2)).toEqual(Buffer.from([0xff, 0xd8]));

    const receipts = await office.value('writer', 'publish:receipts', { articleId: middleDraft.id });
    expect(receipts).toHaveLength(1);
    expect(receipts[0]).toMatchObject({ targetId: 'www', action: 'publish', url: preview.url, verification: 'verified' });
    expect((await office.value('writer', 'articles:get', { id: middleDraft.id })).status).toBe('published');

    // The preview follows unsaved typing, and largeText marks the page for the 长者 mode.
    const typing = await office.value('writer', 'preview:render', { articleId: middleDraft.id, doc: docOf('正在输入的新段落。'), largeText: true });
    if ('error' in typing) throw new Error(typing.error.message);
    expect(typing.html).toContain('正在输入的新段落。');
    expect(typing.html).toMatch(/<html[^>]*class="[^"]*\belder\b/);

    // Withdrawing a live article asks why; without a reason nothing is queued.
    const unexplained = await office.call('publisher', 'publish:enqueue', { articleId: middleDraft.id, targetIds: ['www'], action: 'withdraw' });
    expect(unexplained.ok ? null : unexplained.error.code).toBe('invalid_request');
    expect((await office.value('publisher', 'publish:jobs', { articleId: middleDraft.id })).jobs.some((job) => job.action === 'withdraw')).toBe(false);
    const withdrawn = await office.value('publisher', 'publish:enqueue', {
      articleId: middleDraft.id,
      targetIds: ['www'],
      action: 'withdraw',
      reason: '活动日期有误，待更正后重新发布',
    });
    expect(withdrawn.ok).toBe(true);
    const trail = (await office.value('writer', 'review:get', { id: middleDraft.id })).events;
    expect(trail.at(-1)).toMatchObject({ type: 'withdraw', reason: '活动日期有误，待更正后重新发布', targets: ['www'] });
    await office.workspace.publish.outbox.runDue();
    expect(existsSync(join(folder, preview.path))).toBe(false);
    expect(existsSync(join(folder, (hashed ?? '').replace(/^\//, '')))).toBe(false);
    expect(readFileSync(join(folder, 'index.html'), 'utf8')).not.toContain('中间的新闻');
    expect(readFileSync(join(folder, 'index.html'), 'utf8')).toContain('第一篇新闻');
    expect((await office.value('writer', 'articles:get', { id: middleDraft.id })).status).toBe('withdrawn');

    const again = await office.call('publisher', 'publish:enqueue', { articleId: middleDraft.id, targetIds: ['www'], action: 'withdraw', reason: '再次撤回' });
    expect(again.ok ? null : again.error.code).toBe('conflict');
  });

  it('publishes the approved snapshot even when the text changed after queueing', async () => {
    await addFolderTarget();
    const id = await approvedArticle('原始标题');
    const queued = await office.value('publisher', 'publish:enqueue', { articleId: id, targetIds: ['www'], action: 'publish' });
    // The last stage's reviewer may still correct an approved text; that edit is not approved yet.
    const stored = await office.value('reviewer', 'articles:get', { id });
    await office.value('reviewer', 'articles:save', { id, meta: { ...stored.meta, title: '未经审核的新标题' }, doc: stored.doc });
    await office.workspace.publish.outbox.runDue();
    expect(queued.ok).toBe(true);
    const pages = readdirSync(folder, { recursive: true }).map(String).filter((p) => p.includes(id));
    expect(pages).toHaveLength(1);
    const page = readFileSync(join(folder, pages[0] ?? ''), 'utf8');
    expect(page).toContain('原始标题');
    expect(page).not.toContain('未经审核的新标题');
  });

  it('holds a scheduled job until its time, and reports a failed push in plain Chinese until a publisher retries it', async () => {
    const site = await office.value('admin', 'sites:get', { id: 'main' });
    await office.value('admin', 'sites:save', {
      ...withSiteIdentifiers(site),
      targets: [
        { id: 'www', kind: 'static-folder', label: '门户网站目录', folder },
        { id: 'wp', kind: 'wordpress', label: '区政府 WordPress', baseUrl: 'http://127.0.0.1:9/', user: 'editor' },
      ],
    });
    const id = await approvedArticle('定时发布的通知');
    const later = new Date(Date.now() + 3_600_000).toISOString();
    const scheduled = await office.value('publisher', 'publish:enqueue', { articleId: id, targetIds: ['www'], action: 'publish', notBefore: later });
    expect(scheduled.ok && scheduled.jobs[0]?.nextAttemptAt).toBe(later);
    await office.workspace.publish.outbox.runDue();
    expect(readdirSync(folder)).toEqual([]);
    expect((await office.value('writer', 'publish:jobs', {})).jobs[0]?.state).toBe('pending');

    const queued = await office.value('publisher', 'publish:enqueue', { articleId: id, targetIds: ['wp'], action: 'publish' });
    const jobId = queued.ok ? (queued.jobs[0]?.id ?? '') : '';
    await office.workspace.publish.outbox.runDue();
    const failed = (await office.value('writer', 'publish:jobs', { articleId: id })).jobs.find((job) => job.id === jobId);
    expect(failed?.state).toBe('failed');
    expect(failed?.error).toContain('尚未为');

    const byWriter = await office.call('writer', 'publish:retry', { jobId });
    expect(byWriter.ok ? null : byWriter.error.code).toBe('forbidden');
    const retried = await office.value('publisher', 'publish:retry', { jobId });
    expect(retried.state).toBe('pending');
  });

  it('shows a custom theme template error with file and line instead of a page', async () => {
    const id = await approvedArticle('主题测试');
    const theme = join(office.dir, 'sites', 'main', 'theme');
    mkdirSync(theme, { recursive: true });
    writeFileSync(join(theme, 'article.liquid'), '<h1>{{ article.title }}</h1>\n<p>\n{% if %}\n');
    const result = await office.value('writer', 'preview:render', { articleId: id });
    expect('error' in result).toBe(true);
    if ('error' in result) {
      expect(result.error.file).toBe('article.liquid');
      expect(result.error.line).toBe(3);
    }
  });

  it('stores target passwords encrypted, never returns them, and lets only publishers or admins set them', async () => {
    const site = await office.value('admin', 'sites:get', { id: 'main' });
    await office.value('admin', 'sites:save', {
      ...withSiteIdentifiers(site),
      targets: [{ id: 'wp', kind: 'wordpress', label: '区政府 WordPress', baseUrl: 'http://127.0.0.1:9/', user: 'editor' }],
    });
    const secret = 'abcd EFGH ijkl MNOP qrst UVWX';
    const refused = await office.call('writer', 'targets:setCredential', { targetId: 'wp', secret });
    expect(refused.ok ? null : refused.error.code).toBe('forbidden');
    const stored = await office.value('publisher', 'targets:setCredential', { targetId: 'wp', secret });
    expect(JSON.stringify(stored)).not.toContain(secret);
    const listed = await office.value('writer', 'sites:list', {});
    expect(listed[0]?.targets).toEqual([{ id: 'wp', kind: 'wordpress', label: '区政府 WordPress', hasCredential: true }]);
    const everything = readdirSync(office.dir, { recursive: true })
      .map(String)
      .map((p) => {
        try {
          return readFileSync(join(office.dir, p)).toString('utf8');
        } catch {
          // A folder.
          return '';
        }
      })
      .join('\n');
    expect(everything).not.toContain(secret);
    expect(everything).not.toContain('EFGH');
  });
});
