import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOffice, draft, type Office } from '../../support/review-api';

let office: Office;

beforeEach(async () => {
  office = await createOffice(
    [
      { who: 'writer', name: '张撰稿', roles: ['writer'] },
      { who: 'r1', name: '李初审', roles: ['reviewer'] },
      { who: 'r2', name: '王终审', roles: ['reviewer'] },
    ],
    { chain: { stages: [{ id: 'first', name: '初审', roles: ['reviewer'] }, { id: 'final', name: '终审', roles: ['reviewer'] }] } },
  );
});

afterEach(async () => {
  await office.close();
});

async function approvedArticle() {
  const article = await draft(office, 'writer', '区政府常务会议召开', '会议研究了有关事项。', '会议要求，各部门抓好落实。');
  await office.value('writer', 'review:submit', { id: article.id, note: '' });
  for (const who of ['r1', 'r2']) {
    const view = await office.value(who, 'review:get', { id: article.id });
    await office.value(who, 'review:approve', { id: article.id, opinion: `${who}：同意`, expectedHash: view.currentHash });
  }
  return article;
}

describe('the 审核表 as the office set it up', () => {
  it('prints the office name, the writer, a 保密审查 row, the text and a QR code of the hash', async () => {
    const settings = await office.value('admin', 'settings:get', {});
    await office.value('admin', 'settings:save', {
      ...settings,
      signoff: { officeName: '某某区人民政府办公室', confidentialityReview: true, appendText: true },
    });
    const article = await approvedArticle();
    const view = await office.value('writer', 'review:get', { id: article.id });
    const sheet = await office.value('writer', 'review:signoff', { id: article.id, format: 'html' });
    const html = sheet.content;
    expect(html).toContain('某某区人民政府办公室');
    expect(html).toContain('信息发布审核表');
    expect(html).toContain('张撰稿');
    expect(html).toContain('保密审查');
    expect(html).toContain('会议要求，各部门抓好落实。');
    expect(html).toContain('<svg');
    expect(html).toContain(view.currentHash.slice(0, 12));
    expect(html).toContain('当前内容已通过全部审核环节');
    expect(html).not.toContain('记录异常');
  });

  it('says 记录异常 and names the problem when the record was tampered with, never that it passed', async () => {
    const article = await approvedArticle();
    const file = join(office.dir, 'articles', article.id, 'record.jsonl');
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    const last = JSON.parse(lines.at(-1) ?? '{}');
    last.event.opinion = '不同意';
    writeFileSync(file, `${[...lines.slice(0, -1), JSON.stringify(last)].join('\n')}\n`);
    const html = (await office.value('writer', 'review:signoff', { id: article.id, format: 'html' })).content;
    expect(html).toContain('记录异常');
    expect(html).toMatch(/签名无效|被改动/);
    expect(html).not.toContain('当前内容已通过全部审核环节');
  });
});
