import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
import { withSiteIdentifiers } from '../../support/site-identifiers';

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

  it('goes past the numbers other desktops signed into the records this desktop synced, and knows their articles by them', async () => {
    // What sync brings: each desktop's signed publish entries, readable on every desktop.
    const officeRecords = new Map<string, string>();
    const desktop = (dir: string) =>
      new IndexNumbers({ dir, recorded: async () => new Map(officeRecords) });
    const first = desktop(tempDir());
    const second = desktop(tempDir());
    const signInto = (id: string) => async (indexNo: string) => {
      officeRecords.set(id, indexNo);
    };
    expect(await first.assign('notice01', '003087762', 2024, signInto('notice01'))).toBe('003087762/2024-00001');
    expect(await first.assign('notice02', '003087762', 2024, signInto('notice02'))).toBe('003087762/2024-00002');
    // The second desktop never assigned a number itself: its counter is empty, the records are not.
    expect(await second.assign('notice03', '003087762', 2024, signInto('notice03'))).toBe('003087762/2024-00003');
    expect(await second.numberOf('notice01')).toBe('003087762/2024-00001');
    // An update on the second desktop of what the first published keeps the number, signing it again.
    const signed: string[] = [];
    expect(await second.assign('notice01', '003087762', 2024, async (n) => void signed.push(n))).toBe('003087762/2024-00001');
    expect(signed).toEqual(['003087762/2024-00001']);
    // Another organ or year counts on its own.
    expect(await second.assign('notice04', '003087762', 2025)).toBe('003087762/2025-00001');
    expect((await first.all()).duplicates.size).toBe(0);
  });

  it('two desktops publishing at once between syncs: every number on one desktop is unique, and the clash shows once the records meet', async () => {
    const synced = new Map<string, string>([['old00001', '003087762/2024-00004']]);
    const mine = new Map(synced);
    const theirs = new Map(synced);
    const here = new IndexNumbers({ dir: tempDir(), recorded: async () => new Map(mine) });
    const there = new IndexNumbers({ dir: tempDir(), recorded: async () => new Map(theirs) });
    const ids = Array.from({ length: 6 }, (_, i) => `doc${String(i).padStart(5, '0')}`);
    const numbers = await Promise.all(
      ids.map((id, i) => {
        const [desktop, records] = i % 2 === 0 ? [here, mine] : [there, theirs];
        return desktop.assign(id, '003087762', 2024, async (n) => void records.set(id, n));
      }),
    );
    // Both went past the synced 00004; each desktop's own numbers are distinct.
    expect(numbers.filter((_, i) => i % 2 === 0).sort()).toEqual(['003087762/2024-00005', '003087762/2024-00006', '003087762/2024-00007']);
    expect(numbers.filter((_, i) => i % 2 === 1).sort()).toEqual(['003087762/2024-00005', '003087762/2024-00006', '003087762/2024-00007']);
    // The next sync brings the other desktop's records: each duplicate names the other article.
    for (const [id, n] of theirs) mine.set(id, n);
    const { duplicates } = await here.all();
    expect([...duplicates.keys()].sort()).toEqual(['003087762/2024-00005', '003087762/2024-00006', '003087762/2024-00007']);
    expect(await here.sharing('doc00000')).toEqual({ indexNo: '003087762/2024-00005', others: ['doc00001'] });
    // After it, numbering continues past both desktops' numbers.
    expect(await here.assign('doc00099', '003087762', 2024)).toBe('003087762/2024-00008');
  });

  it('takes no number when the publication cannot be signed', async () => {
    const numbers = new IndexNumbers({ dir: tempDir() });
    const refused = numbers.assign('notice01', '003087762', 2024, async () => {
      throw new Error('记录异常');
    });
    await expect(refused).rejects.toThrow('记录异常');
    expect(await numbers.numberOf('notice01')).toBeNull();
    expect(await numbers.assign('notice02', '003087762', 2024)).toBe('003087762/2024-00001');
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
    ...withSiteIdentifiers(site),
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

  it('signs the number into the publish entry, so a desktop that never numbered anything knows it and counts past it', async () => {
    await governmentSite();
    const id = await approvedNotice('关于开展安全生产大检查的通知');
    await office.value('publisher', 'publish:enqueue', { articleId: id, targetIds: ['www'], action: 'publish' });
    await office.workspace.publish.outbox.runDue();
    const record = readFileSync(join(office.workspace.dir, 'articles', id, 'record.jsonl'), 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(record.filter((entry) => entry.event.type === 'publish').map((entry) => entry.event.indexNo)).toEqual(['003087762/2024-00001']);
    // This desktop's own 索引号 files gone, as on another desktop of the office: the verified record still holds the number.
    rmSync(join(office.workspace.dir, 'disclosure'), { recursive: true, force: true });
    expect(await office.workspace.publish.indexNumbers.numberOf(id)).toBe('003087762/2024-00001');
    const second = await approvedNotice('关于做好防汛工作的通知');
    await office.value('publisher', 'publish:enqueue', { articleId: second, targetIds: ['www'], action: 'publish' });
    await office.workspace.publish.outbox.runDue();
    expect((await office.value('writer', 'publish:receipts', { articleId: second }))[0]?.indexNo).toBe('003087762/2024-00002');
  });

  it('proofreading names the other article when two hold one 索引号', async () => {
    await governmentSite();
    const first = await approvedNotice('关于开展安全生产大检查的通知');
    await office.value('publisher', 'publish:enqueue', { articleId: first, targetIds: ['www'], action: 'publish' });
    await office.workspace.publish.outbox.runDue();
    const clean = await office.value('writer', 'proofread:check', { id: first });
    expect(clean.findings.some((f) => f.rule.startsWith('metadata:index-no-duplicate'))).toBe(false);
    // Another desktop, between two syncs, gave its article the same number; its record arrived here.
    const second = await approvedNotice('关于做好防汛工作的通知');
    const assigned = join(office.workspace.dir, 'disclosure', 'assigned');
    writeFileSync(join(assigned, `${second}.json`), `${JSON.stringify({ articleId: second, indexNo: '003087762/2024-00001', assignedAt: '2024-04-08T09:31:00.000Z' })}\n`);
    const result = await office.value('writer', 'proofread:check', { id: first });
    const clash = result.findings.find((f) => f.rule.startsWith('metadata:index-no-duplicate'));
    expect(clash?.severity).toBe('error');
    expect(clash?.message).toContain('索引号 003087762/2024-00001 与《关于做好防汛工作的通知》重复');
    expect(result.blocking).toBeGreaterThan(0);
    const other = await office.value('writer', 'proofread:check', { id: second });
    expect(other.findings.find((f) => f.rule.startsWith('metadata:index-no-duplicate'))?.message).toContain('《关于开展安全生产大检查的通知》');
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
