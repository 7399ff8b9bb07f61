import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../../node/services';
import type { CallContext, NotificationList } from '../../../shared/api/contract';
import { createOffice, createPublishingOffice, draft, type Office, passwordOf, TEST_SCRYPT } from '../../support/review-api';
import { withSiteIdentifiers } from '../../support/site-identifiers';

/*
 * The bell, driven through the API as the renderer drives it: every
 * notification is read off the articles' signed records, and each person
 * sees only what concerns them.
 */

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

/** Writer, a second writer with nothing to do with the article, two reviewers (初审, 复审) and a publisher. */
async function newsroom(dir?: string): Promise<Office> {
  const office = await createOffice(
    [
      { who: 'writer', name: '张撰稿', roles: ['writer'] },
      { who: 'other', name: '陈另稿', roles: ['writer'] },
      { who: 'r1', name: '李初审', roles: ['reviewer'] },
      { who: 'r2', name: '王复审', roles: ['reviewer'] },
      { who: 'publisher', name: '赵发布', roles: ['publisher'] },
    ],
    {
      dir,
      chain: {
        stages: [
          { id: 'first', name: '初审', roles: ['reviewer'] },
          { id: 'second', name: '复审', roles: ['reviewer'] },
        ],
      },
    },
  );
  cleanups.push(() => office.close());
  return office;
}

const bell = (office: Office, who: string): Promise<NotificationList> => office.value(who, 'notifications:list', {});

async function returnToWriter(office: Office, who: string, id: string, reason: string): Promise<void> {
  const view = await office.value(who, 'review:get', { id });
  await office.value(who, 'review:requestChanges', { id, reason, expectedHash: view.currentHash });
}

async function approveStage(office: Office, who: string, id: string): Promise<void> {
  const view = await office.value(who, 'review:get', { id });
  await office.value(who, 'review:approve', { id, opinion: '同意', expectedHash: view.currentHash });
}

describe('notifications', () => {
  it('tells the writer that the article came back, with the reason, and later that it was approved', async () => {
    const office = await newsroom();
    const article = await draft(office, 'writer', '全区安全生产工作会议召开', '会议部署了下一阶段安全生产工作。');
    await office.value('writer', 'review:submit', { id: article.id, note: '' });
    // Submitting is the writer's own act: nothing to tell them.
    expect(await bell(office, 'writer')).toEqual({ items: [], unread: 0 });

    await returnToWriter(office, 'r1', article.id, '请补充会议时间和地点');
    const returned = await bell(office, 'writer');
    expect(returned.unread).toBe(1);
    expect(returned.items).toHaveLength(1);
    expect(returned.items[0]).toMatchObject({
      kind: 'returned',
      articleId: article.id,
      title: '全区安全生产工作会议召开',
      actor: { id: office.people.r1?.id, name: '李初审' },
      read: false,
    });
    expect(returned.items[0]?.text).toContain('请补充会议时间和地点');
    expect(returned.items[0]?.text).toContain('李初审');
    expect(returned.items[0]?.text).toContain('初审');

    await office.value('writer', 'review:submit', { id: article.id, note: '已补充' });
    await approveStage(office, 'r1', article.id);
    await approveStage(office, 'r2', article.id);
    const approved = await bell(office, 'writer');
    expect(approved.items.map((item) => item.kind)).toEqual(['approved', 'returned']);
    expect(approved.items[0]).toMatchObject({ actor: { name: '王复审' }, read: false });
    expect(approved.items[0]?.text).toContain('已通过审核');
    expect(approved.unread).toBe(2);
    // The ids stay the same from one poll to the next: read marks hold on to them.
    expect((await bell(office, 'writer')).items.map((item) => item.id)).toEqual(approved.items.map((item) => item.id));
  });

  it('puts a new article in the queue of the reviewers of the stage it reached, and takes it out once acted on', async () => {
    const office = await newsroom();
    const article = await draft(office, 'writer', '关于开展消防安全检查的通知', '各单位要认真开展自查。');
    await office.value('writer', 'review:submit', { id: article.id, note: '' });

    for (const reviewer of ['r1', 'r2']) {
      const list = await bell(office, reviewer);
      expect(list.items).toHaveLength(1);
      expect(list.items[0]).toMatchObject({ kind: 'queued', articleId: article.id, actor: { name: '张撰稿' }, read: false });
      expect(list.items[0]?.text).toContain('初审');
    }
    await approveStage(office, 'r1', article.id);
    // 李初审 approved 初审 and may not approve 复审 too; 王复审 now has it at 复审.
    expect((await bell(office, 'r1')).items).toEqual([]);
    const second = await bell(office, 'r2');
    expect(second.items).toHaveLength(1);
    expect(second.items[0]).toMatchObject({ kind: 'queued', actor: { name: '李初审' } });
    expect(second.items[0]?.text).toContain('复审');
    // Matches what 待我审核 lists.
    expect((await office.value('r2', 'review:queue', {})).items.map((item) => item.article.id)).toEqual([article.id]);

    await approveStage(office, 'r2', article.id);
    expect((await bell(office, 'r2')).items).toEqual([]);
    const publisher = await bell(office, 'publisher');
    expect(publisher.items.map((item) => [item.kind, item.articleId])).toEqual([['toPublish', article.id]]);
  });

  it('shows nobody notifications about articles they have no part in', async () => {
    const office = await newsroom();
    const article = await draft(office, 'writer', '区政府常务会议召开', '会议研究了有关事项。');
    await office.value('writer', 'review:submit', { id: article.id, note: '' });
    await returnToWriter(office, 'r1', article.id, '标题不规范');

    expect(await bell(office, 'other')).toEqual({ items: [], unread: 0 });
    // The administrator (also a writer) did not write it; the publisher has nothing approved to publish.
    expect(await bell(office, 'admin')).toEqual({ items: [], unread: 0 });
    expect(await bell(office, 'publisher')).toEqual({ items: [], unread: 0 });

    // Someone else's notification ids mark nothing, neither theirs nor the owner's.
    const writers = await bell(office, 'writer');
    expect(writers.unread).toBe(1);
    const other = await office.value('other', 'notifications:markRead', { ids: writers.items.map((item) => item.id) });
    expect(other).toEqual({ items: [], unread: 0 });
    expect((await bell(office, 'writer')).unread).toBe(1);
  });

  it('marks read one by one or all at once, and the marks survive a restart of the workspace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gazette-notify-'));
    cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
    const office = await newsroom(dir);
    const first = await draft(office, 'writer', '第一篇稿件', '正文一。');
    const second = await draft(office, 'writer', '第二篇稿件', '正文二。');
    for (const { id } of [first, second]) {
      await office.value('writer', 'review:submit', { id, note: '' });
      await returnToWriter(office, 'r1', id, '请修改');
    }
    const before = await bell(office, 'writer');
    expect(before.unread).toBe(2);

    const target = before.items.find((item) => item.articleId === first.id);
    const one = await office.value('writer', 'notifications:markRead', { ids: [target?.id] });
    expect(one.unread).toBe(1);
    expect(one.items.find((item) => item.articleId === first.id)?.read).toBe(true);
    expect(one.items.find((item) => item.articleId === second.id)?.read).toBe(false);

    const refused = await office.call('writer', 'notifications:markRead', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect((await bell(office, 'writer')).unread).toBe(1);

    const all = await office.value('writer', 'notifications:markRead', { all: true });
    expect(all.unread).toBe(0);
    expect(all.items.every((item) => item.read)).toBe(true);
    await office.workspace.close();

    // The same workspace opened again, the writer signed in again.
    const reopened = await openWorkspace(dir, { scrypt: TEST_SCRYPT });
    cleanups.push(() => reopened.close());
    const ctx: CallContext = { transport: 'http', sessionId: 'http:writer-again' };
    const signIn = await reopened.dispatch('session:signIn', { personId: office.people.writer?.id, password: passwordOf('writer') }, ctx);
    expect(signIn.ok).toBe(true);
    const after = await reopened.dispatch('notifications:list', {}, ctx);
    expect(after.ok && (after.value as NotificationList).unread).toBe(0);
    expect(after.ok && (after.value as NotificationList).items.map((item) => item.id)).toEqual(all.items.map((item) => item.id));
  });
});

describe('publish:pending', () => {
  async function publishingOffice(): Promise<{ office: Office; folder: string }> {
    const opened = await createPublishingOffice();
    cleanups.push(() => opened.close());
    const { office, folder } = opened;
    const site = await office.value('admin', 'sites:get', { id: 'main' });
    await office.value('admin', 'sites:save', {
      ...withSiteIdentifiers(site),
      targets: [{ id: 'www', kind: 'static-folder', label: '门户网站目录', folder }],
    });
    return opened;
  }

  it('is refused at the gate for anyone but a publisher', async () => {
    const { office } = await publishingOffice();
    for (const who of ['writer', 'reviewer', 'admin']) {
      // A payload no schema accepts: the gate answers before the request is even parsed.
      const reply = await office.call(who, 'publish:pending', { nonsense: true });
      expect(reply, who).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(reply.ok ? '' : reply.error.detail).toContain('只有发布员');
    }
    expect(await office.value('publisher', 'publish:pending', {})).toEqual({ items: [], count: 0 });
  });

  it('lists an approved article until it is live, and flags it once re-approved text differs from the live receipt', async () => {
    const { office } = await publishingOffice();
    const article = await draft(office, 'writer', '区政府常务会议召开', '会议研究了有关事项。');
    await office.value('writer', 'review:submit', { id: article.id, note: '' });
    await approveStage(office, 'reviewer', article.id);

    const waiting = await office.value('publisher', 'publish:pending', {});
    expect(waiting.items).toHaveLength(1);
    expect(waiting.items[0]).toMatchObject({ article: { id: article.id }, liveOn: [], differsFromOnline: false, approvedBy: { name: '李审核' } });
    const approvedHash = waiting.items[0]?.contentHash;

    const queued = await office.value('publisher', 'publish:enqueue', { articleId: article.id, targetIds: ['www'], action: 'publish' });
    expect(queued.ok).toBe(true);
    // On its way: not offered again.
    expect((await office.value('publisher', 'publish:pending', {})).items).toEqual([]);
    await office.workspace.publish.outbox.runDue();
    expect((await office.value('publisher', 'publish:pending', {})).items).toEqual([]);
    expect((await bell(office, 'writer')).items.map((item) => item.kind)).toEqual(['published', 'approved']);
    expect(await bell(office, 'publisher')).toEqual({ items: [], unread: 0 });

    // The reviewer corrects the live text; review starts again and approves the corrected text.
    const stored = await office.value('reviewer', 'articles:get', { id: article.id });
    await office.value('reviewer', 'articles:save', { id: article.id, meta: { ...stored.meta, title: '区政府第十次常务会议召开' }, doc: stored.doc });
    expect((await office.value('publisher', 'publish:pending', {})).items).toEqual([]);
    await approveStage(office, 'reviewer', article.id);

    const changed = await office.value('publisher', 'publish:pending', {});
    expect(changed.count).toBe(1);
    const item = changed.items[0];
    expect(item).toMatchObject({ article: { id: article.id, title: '区政府第十次常务会议召开' }, differsFromOnline: true });
    expect(item?.contentHash).not.toBe(approvedHash);
    expect(item?.liveOn).toMatchObject([{ targetId: 'www', label: '门户网站目录', contentHash: approvedHash }]);

    const publisherBell = await bell(office, 'publisher');
    expect(publisherBell.items.map((n) => n.kind)).toEqual(['toPublish']);
    expect(publisherBell.items[0]?.text).toContain('与线上版本不同');
    expect((await bell(office, 'writer')).items.map((n) => n.kind)).toEqual(['approved', 'corrected', 'published', 'approved']);
  });
});
