import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createOffice, draft, type Office } from '../../support/review-api';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64').toString('base64');

const offices: Office[] = [];
afterEach(async () => {
  for (const office of offices.splice(0)) await office.close();
});

describe('an article’s files are locked with its text', () => {
  it('refuses adding an image while the article is in review, for the writer and the reviewer alike, and allows it once returned', async () => {
    const office = await createOffice([
      { who: 'writer', name: '张撰稿', roles: ['writer'] },
      { who: 'reviewer', name: '李审核', roles: ['reviewer'] },
    ]);
    offices.push(office);
    const article = await draft(office, 'writer', '区党政办召开会议', '会议强调，要把各项工作落到实处。');
    const add = (who: string) => office.call(who, 'assets:add', { articleId: article.id, fileName: '现场.png', mime: 'image/png', dataBase64: PNG });
    expect((await add('writer')).ok).toBe(true);
    await office.value('writer', 'review:submit', { id: article.id, note: '' });
    const assetsFolder = join(office.dir, 'articles', article.id, 'assets');
    const before = readdirSync(assetsFolder);
    for (const who of ['writer', 'reviewer']) {
      const reply = await add(who);
      expect(reply, who).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      if (!reply.ok) expect(reply.error.detail).toContain('审核中');
    }
    expect(readdirSync(assetsFolder)).toEqual(before);
    const view = await office.value('reviewer', 'review:get', { id: article.id });
    await office.value('reviewer', 'review:requestChanges', { id: article.id, reason: '请补充现场照片说明', expectedHash: view.currentHash });
    expect((await add('writer')).ok).toBe(true);
  });
});
