import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Doc } from '../../../shared/domain/doc';
import { paragraph } from '../../../shared/domain/doc';
import { IndexNumbers } from '../../../node/services/publish/index-numbers';
import { buildFromTemplate } from '../../../node/services/templates';
import { docToPlainText } from '../../../shared/domain/doc';
import { disclosureProblems } from '../../../shared/domain/disclosure';
import { draft, type Office, publishingOfficeForEachTest } from '../../support/review-api';

describe('索引号 assignment', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
  });
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'gazette-index-'));
    dirs.push(dir);
    return dir;
  };

  it('gives every article its own number when two publishers (two processes on one workspace) publish at once', async () => {
    const dir = tempDir();
    const app = new IndexNumbers({ dir });
    const cli = new IndexNumbers({ dir });
    const ids = Array.from({ length: 24 }, (_, i) => `article${String(i).padStart(2, '0')}`);
    const numbers = await Promise.all(ids.map((id, i) => (i % 2 === 0 ? app : cli).assign(id, '003087762', 2024)));
    expect(new Set(numbers).size).toBe(ids.length);
    expect(numbers.map((n) => n.split('-')[1]).sort()).toEqual(ids.map((_, i) => String(i + 1).padStart(5, '0')));
    const { duplicates } = await app.all();
    expect(duplicates.size).toBe(0);
  });

  it('keeps an article its number, and never hands a number out again', async () => {
    const dir = tempDir();
    const numbers = new IndexNumbers({ dir });
    const first = await numbers.assign('noticeA', '003087762', 2024);
    expect(await numbers.assign('noticeA', '003087762', 2024)).toBe(first);
    // The article's record goes (deleted by hand, or the article was removed): its serial is still spent.
    rmSync(join(dir, 'assigned', 'noticeA.json'));
    expect(await numbers.assign('noticeB', '003087762', 2024)).toBe('003087762/2024-00002');
    expect(await numbers.assign('noticeC', '003087762', 2025)).toBe('003087762/2025-00001');
  });
});

describe('the 通知 / 公告 / 政策文件 templates', () => {
  const input = { title: '', date: '2024-04-06', meetingName: '', host: '', place: '', attendees: [], headcount: null };
  const roles = (doc: Doc) => doc.content.map((node) => [node.attrs?.role ?? null, docToPlainText(node)]);

  it('start a 通知 with the 信息公开 fields and the 公文 skeleton: 主送, 正文, 落款 and 成文日期 by role', () => {
    const { meta, doc } = buildFromTemplate('notice', input);
    expect(meta.disclosure).toMatchObject({ genre: '通知', writtenAt: '2024-04-06', docNo: '', publisher: '' });
    const lines = roles(doc);
    expect(lines[0]).toEqual(['addressee', '各有关单位：']);
    expect(lines.slice(-2)).toEqual([
      ['signature', '【发文单位】'],
      ['signatureDate', '2024年4月6日'],
    ]);
    // Left for the writer, so the checklist asks for them rather than publishing blanks.
    expect(disclosureProblems(meta.disclosure ?? ({} as never), meta.publishAt).map((p) => p.code)).toEqual(['publisher_missing']);
  });

  it('give a 公告 no 主送, and a 政策文件 its 印发 body and 附件说明', () => {
    const announcement = buildFromTemplate('announcement', input);
    expect(roles(announcement.doc).some(([role]) => role === 'addressee')).toBe(false);
    expect(announcement.meta.disclosure?.genre).toBe('公告');
    const policy = buildFromTemplate('policy', input);
    expect(policy.meta.title).toBe('关于印发【文件名称】的通知');
    expect(policy.meta.column).toEqual(['首页', '政务公开', '政策文件']);
    expect(roles(policy.doc).map(([, text]) => text)).toContain('附件：【文件名称】');
  });

  it('leave news articles without the fields', () => {
    expect(buildFromTemplate('event', input).meta.disclosure).toBeUndefined();
    expect('disclosure' in buildFromTemplate('blank', input).meta).toBe(false);
  });
});

let office: Office;
let folder: string;
publishingOfficeForEachTest((opened) => ({ office, folder } = opened));

async function approvedNotice(title: string, docNo = '区政办〔2024〕7号'): Promise<string> {
  const created = await draft(office, 'writer', title, '正文。');
  const doc: Doc = {
    type: 'doc',
    content: [paragraph('各园区、各部门：', { role: 'addressee' }), paragraph('现将有关事项通知如下。'), paragraph('区党政办', { role: 'signature', textAlign: 'right' })],
  };
  const meta = {
    ...created.meta,
    column: ['首页', '通知公告', '通知'],
    publishAt: '2024-04-08T09:30',
    template: 'notice' as const,
    disclosure: {
      publisher: '区人民政府办公室',
      writtenAt: '2024-04-06',
      docNo,
      topic: '综合政务\\政务公开',
      genre: '通知',
      validity: { state: '有效' as const, from: null, until: null },
    },
  };
  await office.value('writer', 'articles:save', { id: created.id, meta, doc });
  await office.value('writer', 'review:submit', { id: created.id, note: '' });
  const view = await office.value('reviewer', 'review:get', { id: created.id });
  await office.value('reviewer', 'review:approve', { id: created.id, opinion: '同意', expectedHash: view.currentHash });
  return created.id;
}

async function governmentSite(): Promise<void> {
  const site = await office.value('admin', 'sites:get', { id: 'main' });
  await office.value('admin', 'sites:save', {
    ...site,
    government: { ...site.government, indexOrganCode: '003087762', showReviews: true },
    targets: [{ id: 'www', kind: 'static-folder', label: '门户网站目录', folder }],
  });
}

describe('publishing a document with 信息公开 fields', () => {
  it('numbers it at first publication, prints the table and the verified approver, and records the number in the receipt', async () => {
    await governmentSite();
    const id = await approvedNotice('关于开展安全生产大检查的通知');
    const before = await office.value('writer', 'preview:render', { articleId: id });
    if ('error' in before) throw new Error(before.error.message);
    expect(before.html).toContain('发布时生成');

    const queued = await office.value('publisher', 'publish:enqueue', { articleId: id, targetIds: ['www'], action: 'publish' });
    expect(queued.ok).toBe(true);
    await office.workspace.publish.outbox.runDue();
    const [receipt] = await office.value('writer', 'publish:receipts', { articleId: id });
    expect(receipt?.indexNo).toBe('003087762/2024-00001');

    const after = await office.value('writer', 'preview:render', { articleId: id });
    if ('error' in after) throw new Error(after.error.message);
    const page = readFileSync(join(folder, after.path), 'utf8');
    expect(page).toMatch(/<th scope="row">索引号<\/th><td>003087762\/2024-00001<\/td>/);
    expect(page).toContain('<th scope="row">文号</th><td>区政办〔2024〕7号</td>');
    // The one-stage test chain: its approver, by the name the verified record gives.
    expect(page).toContain('<div class="article-reviews"><p>一审：李审核</p></div>');
    expect(page).toContain('<meta name="SiteIDCode" content="');
    // The preview of a numbered article shows its number, not the placeholder.
    expect(after.html).toContain('003087762/2024-00001');

    const second = await approvedNotice('关于做好防汛工作的通知');
    await office.value('publisher', 'publish:enqueue', { articleId: second, targetIds: ['www'], action: 'publish' });
    // An update of the first keeps its number.
    await office.value('publisher', 'publish:enqueue', { articleId: id, targetIds: ['www'], action: 'update' });
    await office.workspace.publish.outbox.runDue();
    const secondReceipts = await office.value('writer', 'publish:receipts', { articleId: second });
    expect(secondReceipts[0]?.indexNo).toBe('003087762/2024-00002');
    const firstReceipts = await office.value('writer', 'publish:receipts', { articleId: id });
    expect(firstReceipts.map((r) => r.indexNo)).toEqual(['003087762/2024-00001', '003087762/2024-00001']);
  });

  it('is refused with the reason when its 文号 uses the wrong brackets, and spends no number', async () => {
    await governmentSite();
    const wrong = await approvedNotice('关于开展安全生产大检查的通知', '区政办[2024]7号');
    const result = await office.value('publisher', 'publish:enqueue', { articleId: wrong, targetIds: ['www'], action: 'publish' });
    expect(result.ok).toBe(false);
    const item = result.ok ? undefined : result.checklist.find((i) => i.code === 'disclosure');
    expect(item?.message).toContain('〔〕');
    expect(await office.workspace.publish.outbox.runDue()).toEqual([]);
    const id = await approvedNotice('关于做好防汛工作的通知');
    await office.value('publisher', 'publish:enqueue', { articleId: id, targetIds: ['www'], action: 'publish' });
    await office.workspace.publish.outbox.runDue();
    expect((await office.value('writer', 'publish:receipts', { articleId: id }))[0]?.indexNo).toBe('003087762/2024-00001');
  });
});
