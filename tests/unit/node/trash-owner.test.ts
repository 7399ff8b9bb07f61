import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOffice, draft, type Office } from '../../support/review-api';

let office: Office;

beforeEach(async () => {
  office = await createOffice([
    { who: 'writer', name: '张撰稿', roles: ['writer'] },
    { who: 'other', name: '刘撰稿', roles: ['writer'] },
    { who: 'reviewer', name: '李审核', roles: ['reviewer'] },
  ]);
});

afterEach(async () => {
  await office.close();
});

describe('the trash belongs to authors and administrators', () => {
  it('lets the author trash and restore their draft, records who did it, and refuses reviewers and other writers', async () => {
    const article = await draft(office, 'writer', '会议通知', '正文。');
    expect((await office.value('writer', 'articles:get', { id: article.id })).createdBy).toBe(office.people.writer?.id);

    for (const who of ['reviewer', 'other']) {
      const refused = await office.call(who, 'articles:trash', { id: article.id });
      expect(refused).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      if (!refused.ok) expect(refused.error.detail).toContain('不是这篇文稿的作者（张撰稿）');
    }
    expect((await office.value('writer', 'articles:list', {})).items.map((i) => i.id)).toContain(article.id);

    const trashed = await office.value('writer', 'articles:trash', { id: article.id });
    expect(trashed).toMatchObject({ trashedBy: office.people.writer?.id });
    expect((await office.value('writer', 'articles:list', { trash: true })).items[0]).toMatchObject({ id: article.id, trashedBy: office.people.writer?.id });

    expect(await office.call('reviewer', 'articles:restore', { id: article.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await office.call('other', 'articles:purge', { id: article.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const restored = await office.value('writer', 'articles:restore', { id: article.id });
    expect(restored).toMatchObject({ trashedAt: null, trashedBy: null });
  });

  it('lets an administrator trash anyone’s article, even in review', async () => {
    const article = await draft(office, 'writer', '会议通知', '正文。');
    await office.value('writer', 'review:submit', { id: article.id, note: '' });
    expect(await office.call('writer', 'articles:trash', { id: article.id })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await office.value('admin', 'articles:trash', { id: article.id })).toMatchObject({ trashedBy: office.people.admin?.id });
  });
});
