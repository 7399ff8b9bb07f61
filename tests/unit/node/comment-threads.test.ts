import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOffice, draft, type Office } from '../../support/review-api';

let office: Office;

beforeEach(async () => {
  office = await createOffice([
    { who: 'writer', name: '张撰稿', roles: ['writer'] },
    { who: 'r1', name: '李初审', roles: ['reviewer'] },
    { who: 'publisher', name: '赵发布', roles: ['publisher'] },
  ]);
});

afterEach(async () => {
  await office.close();
});

async function submitted() {
  const article = await draft(office, 'writer', '关于做好防汛工作的通知', '各街道、各部门：为做好今年防汛工作，现通知如下。');
  await office.value('writer', 'review:submit', { id: article.id, note: '' });
  return article;
}

describe('comment threads', () => {
  it('replies, resolves and reopens a thread; the signed record replays every step', async () => {
    const article = await submitted();
    let view = await office.value('r1', 'review:comment', { id: article.id, body: '“现通知如下”前请补充依据。', anchor: { quote: '现通知如下' } });
    const thread = view.comments[0]!;
    expect(thread).toMatchObject({ body: '“现通知如下”前请补充依据。', range: expect.any(Object) });

    view = await office.value('writer', 'review:comment', { id: article.id, body: '已补充文件依据。', replyTo: thread.id });
    const reply = view.comments.find((c) => c.replyTo === thread.id)!;
    expect(reply).toMatchObject({ body: '已补充文件依据。', anchor: null });

    // Answered: its author can no longer reword or withdraw it.
    const edit = await office.call('r1', 'review:commentUpdate', { id: article.id, commentId: thread.id, action: 'edit', body: '改口' });
    expect(edit).toMatchObject({ ok: false });
    if (!edit.ok) expect(edit.error.detail).toContain('已有人回复');

    view = await office.value('r1', 'review:commentUpdate', { id: article.id, commentId: thread.id, action: 'resolve' });
    expect(view.comments.find((c) => c.id === thread.id)?.resolved).toMatchObject({ by: office.people.r1?.id });
    expect(await office.call('r1', 'review:commentUpdate', { id: article.id, commentId: thread.id, action: 'resolve' })).toMatchObject({ ok: false });
    // Threads are one level deep.
    expect(await office.call('r1', 'review:comment', { id: article.id, body: '再回', replyTo: reply.id })).toMatchObject({ ok: false });

    view = await office.value('writer', 'review:commentUpdate', { id: article.id, commentId: thread.id, action: 'reopen' });
    expect(view.comments.find((c) => c.id === thread.id)?.resolved).toBeNull();
    expect(view.events.filter((e) => e.type === 'comment_update').map((e) => (e as { action: string }).action)).toEqual(['resolve', 'reopen']);
    expect(view.record.intact).toBe(true);

    // Open again, the thread is on the 审核表; once resolved it is not.
    const open = (await office.value('r1', 'review:signoff', { id: article.id, format: 'html' })).content;
    expect(open).toContain('尚未解决的意见');
    expect(open).toContain('“现通知如下”前请补充依据。');
    await office.value('r1', 'review:commentUpdate', { id: article.id, commentId: thread.id, action: 'resolve' });
    expect((await office.value('r1', 'review:signoff', { id: article.id, format: 'html' })).content).not.toContain('尚未解决的意见');
  });

  it('lets the author edit or withdraw their own comment until someone else answers, and nobody else', async () => {
    const article = await submitted();
    let view = await office.value('r1', 'review:comment', { id: article.id, body: '标题请再斟酌。' });
    const id = view.comments[0]!.id;

    const notOwn = await office.call('writer', 'review:commentUpdate', { id: article.id, commentId: id, action: 'edit', body: '改别人的' });
    expect(notOwn).toMatchObject({ ok: false });
    if (!notOwn.ok) expect(notOwn.error.detail).toContain('只能修改或撤回自己写的意见');

    view = await office.value('r1', 'review:commentUpdate', { id: article.id, commentId: id, action: 'edit', body: '标题请改为“关于做好2026年防汛工作的通知”。' });
    expect(view.comments[0]).toMatchObject({ body: '标题请改为“关于做好2026年防汛工作的通知”。', editedAt: expect.any(String) });
    expect(await office.call('r1', 'review:commentUpdate', { id: article.id, commentId: id, action: 'edit', body: '   ' })).toMatchObject({ ok: false });

    view = await office.value('r1', 'review:commentUpdate', { id: article.id, commentId: id, action: 'delete' });
    expect(view.comments[0]?.deleted).toBe(true);
    expect(await office.call('writer', 'review:comment', { id: article.id, body: '回复已撤回的', replyTo: id })).toMatchObject({ ok: false });
    // Someone outside the article (a publisher, neither writer nor reviewer) cannot take part.
    expect(await office.call('publisher', 'review:comment', { id: article.id, body: '路过' })).toMatchObject({ ok: false });
    expect(view.record.intact).toBe(true);
  });
});
