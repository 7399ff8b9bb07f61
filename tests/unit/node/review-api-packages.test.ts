import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOffice, docOf, draft, joinOffice, type Office, passwordOf, snapshot } from '../../support/review-api';

let a: Office;
/** Another office altogether (its own root key). */
let b: Office;
/** Another workstation of office A. */
let c: Office;

const REVIEWERS = [
  { who: 'writer', name: '张撰稿', roles: ['writer' as const] },
  { who: 'r1', name: '李初审', roles: ['reviewer' as const] },
  { who: 'r2', name: '王复审', roles: ['reviewer' as const] },
  { who: 'r3', name: '赵终审', roles: ['reviewer' as const] },
];

beforeEach(async () => {
  a = await createOffice(REVIEWERS);
  b = await createOffice([]);
  c = await joinOffice(a, ['admin', 'r3']);
});

afterEach(async () => {
  await a.close();
  await b.close();
  await c.close();
});

/** An article of office A through all three stages. */
async function approvedArticle(title = '区政府常务会议召开') {
  const article = await draft(a, 'writer', title, '会议研究了有关事项。', '会议要求，各部门抓好落实。');
  await a.value('writer', 'review:submit', { id: article.id, note: '' });
  for (const who of ['r1', 'r2', 'r3']) {
    const view = await a.value(who, 'review:get', { id: article.id });
    await a.value(who, 'review:approve', { id: article.id, opinion: '同意', expectedHash: view.currentHash });
  }
  return article;
}

async function exportFrom(office: Office, who: string, ids: string[]): Promise<Buffer> {
  const file = await office.value(who, 'package:export', { ids });
  expect(file.encoding).toBe('base64');
  expect(file.fileName.endsWith('.gazette-package')).toBe(true);
  return Buffer.from(file.content, 'base64');
}

describe('transfer packages between two workstations of one office', () => {
  it('round-trips an approved article with its signed record verified, then reports identical, updated and conflicting imports', async () => {
    const article = await approvedArticle();
    const pkg = await exportFrom(a, 'r3', [article.id]);

    // Another office (another root key) cannot vouch for A's people: refused, nothing changes.
    const foreign = await b.value('admin', 'package:import', { dataBase64: pkg.toString('base64') });
    expect(foreign).toMatchObject({ ok: false, errorCode: 'foreign_office' });
    expect((await b.value('admin', 'articles:list', {})).items).toEqual([]);

    const verified = await c.value('admin', 'package:verify', { dataBase64: pkg.toString('base64') });
    expect(verified.ok).toBe(true);
    expect(verified.checks.filter((check) => check.includes('签名有效'))).toHaveLength(4);
    expect(verified.articles).toEqual([expect.objectContaining({ id: article.id, status: 'approved', approvals: 3 })]);

    const imported = await c.value('admin', 'package:import', { dataBase64: pkg.toString('base64') });
    expect(imported.items).toEqual([
      { sourceId: article.id, title: article.meta.title, outcome: 'created', articleId: article.id, conflictOf: null },
    ]);
    const view = await c.value('admin', 'review:get', { id: article.id });
    expect(view.state.status).toBe('approved');
    expect(view.record).toMatchObject({ intact: true, publishable: true });
    expect(view.state.approvals).toHaveLength(3);
    expect(view.events.filter((e) => e.type === 'approve')).toHaveLength(3);
    expect((await c.value('admin', 'articles:list', { status: 'approved' })).items.map((i) => i.id)).toEqual([article.id]);
    // Publishable as this exact text, with the approvers the verified record names (the page's 三审 lines).
    await expect(c.workspace.signoff.assertPublishable(article.id)).resolves.toEqual({
      contentHash: view.currentHash,
      approvers: [
        { stage: '初审', name: '李初审' },
        { stage: '复审', name: '王复审' },
        { stage: '终审', name: '赵终审' },
      ],
    });

    // Same package again: nothing to do.
    const again = await c.value('admin', 'package:import', { dataBase64: pkg.toString('base64') });
    expect(again.items[0]?.outcome).toBe('identical');

    // On A the final reviewer corrects the text: the signed correction continues C's record, so C takes it.
    await a.value('r3', 'articles:save', { id: article.id, meta: article.meta, doc: docOf('会议研究了有关事项。', '会议要求抓好落实。') });
    const corrected = await exportFrom(a, 'r3', [article.id]);
    const update = await c.value('admin', 'package:import', { dataBase64: corrected.toString('base64') });
    expect(update.items[0]).toMatchObject({ outcome: 'updated', articleId: article.id });
    expect((await c.value('admin', 'articles:get', { id: article.id })).doc).toEqual(docOf('会议研究了有关事项。', '会议要求抓好落实。'));
    expect((await c.value('admin', 'review:get', { id: article.id })).record.intact).toBe(true);

    // Both workstations then correct it differently: C keeps its own and the package's comes in beside it as a draft.
    await a.value('r3', 'articles:save', { id: article.id, meta: article.meta, doc: docOf('甲处的修改。') });
    await c.value('r3', 'articles:save', { id: article.id, meta: article.meta, doc: docOf('乙处的修改。') });
    const diverged = await exportFrom(a, 'r3', [article.id]);
    const copy = await c.value('admin', 'package:import', { dataBase64: diverged.toString('base64') });
    expect(copy.items[0]).toMatchObject({ outcome: 'copy', conflictOf: article.id, title: `${article.meta.title}（导入副本）` });
    const copyId = copy.items[0]?.articleId ?? '';
    expect(copyId).not.toBe(article.id);
    expect((await c.value('admin', 'articles:get', { id: article.id })).doc).toEqual(docOf('乙处的修改。'));
    const copied = await c.value('admin', 'articles:get', { id: copyId });
    expect(copied.conflictOf).toBe(article.id);
    expect(copied.status).toBe('draft');
  });

  it('takes over approvals made elsewhere on the same text', async () => {
    const article = await draft(a, 'writer', '通知', '正文。');
    const drafted = await exportFrom(a, 'writer', [article.id]);
    expect((await c.value('admin', 'package:import', { dataBase64: drafted.toString('base64') })).items[0]?.outcome).toBe('created');
    await a.value('writer', 'review:submit', { id: article.id, note: '' });
    const view = await a.value('r1', 'review:get', { id: article.id });
    await a.value('r1', 'review:approve', { id: article.id, opinion: '同意', expectedHash: view.currentHash });
    const reviewed = await exportFrom(a, 'r1', [article.id]);
    const result = await c.value('admin', 'package:import', { dataBase64: reviewed.toString('base64') });
    expect(result.items[0]?.outcome).toBe('updated');
    const there = await c.value('admin', 'review:get', { id: article.id });
    expect(there.state.approvals.map((x) => x.stageId)).toEqual(['first']);
    expect(there.state.status).toBe('in_review');
  });
});

describe('a package arriving while people work', () => {
  it('never breaks a record when an import and a local comment land at once', async () => {
    const reviewer = await joinOffice(a, ['admin', 'r2']);
    try {
      for (let round = 0; round < 4; round++) {
        const article = await draft(a, 'writer', `稿件${round}`, '正文。');
        await a.value('writer', 'review:submit', { id: article.id, note: '' });
        await reviewer.value('admin', 'package:import', { dataBase64: (await exportFrom(a, 'writer', [article.id])).toString('base64') });
        const view = await a.value('r1', 'review:get', { id: article.id });
        await a.value('r1', 'review:approve', { id: article.id, opinion: '同意', expectedHash: view.currentHash });
        const approvedThere = (await exportFrom(a, 'r1', [article.id])).toString('base64');
        const [imported] = await Promise.all([
          reviewer.call('admin', 'package:import', { dataBase64: approvedThere }),
          reviewer.call('r2', 'review:comment', { id: article.id, body: `并发评论 ${round}` }),
        ]);
        // Whichever came second: the record stays whole, and a refused import says why and can be repeated.
        expect((await reviewer.value('admin', 'review:get', { id: article.id })).record.intact).toBe(true);
        if (!imported.ok) expect(imported.error.detail).toContain('请重新导入');
      }
    } finally {
      await reviewer.close();
    }
  });
});

describe('bad input changes nothing and says why', () => {
  it('refuses a wrong password after a delay, in Chinese', async () => {
    const before = snapshot(a.dir);
    const started = Date.now();
    const reply = await a.call('other', 'session:signIn', { personId: a.people.r1?.id, password: 'wrong-password' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(reply).toMatchObject({ ok: false, error: { code: 'unauthorized', detail: '密码不正确，请重新输入' } });
    expect((await a.value('other', 'session:get', {})).person).toBeNull();
    expect(snapshot(a.dir)).toEqual(before);
    // The right password still works.
    await a.value('other', 'session:signIn', { personId: a.people.r1?.id, password: passwordOf('r1') });
  });

  it('refuses packages that are not packages, truncated, from the future, tampered, or not base64', async () => {
    const article = await approvedArticle();
    const pkg = await exportFrom(a, 'r3', [article.id]);
    const before = snapshot(c.dir);
    const text = pkg.toString('utf8');
    // One changed character inside the article's base64 content, and one inside the package signature.
    const flip = (marker: string, offset: number) => {
      const copy = Buffer.from(pkg);
      const at = pkg.indexOf(Buffer.from(marker)) + Buffer.byteLength(marker) + offset;
      copy[at] = copy[at] === 0x41 ? 0x42 : 0x41;
      return copy;
    };
    const flipped = flip(`"articles/${article.id}/article.json":"`, 20);
    const badSignature = flip('"signature":{"keyId":', 0);
    const badSignatureValue = flip('"value":"', 10);
    const cases: [string, Buffer, RegExp][] = [
      ['not a package', Buffer.from('PK\u0003\u0004 this is a zip file, not a package'), /不是 Gazette 传输包/],
      ['empty JSON', Buffer.from('{}'), /不是 Gazette 传输包/],
      ['truncated', pkg.subarray(0, Math.floor(pkg.length / 2)), /不完整/],
      ['future version', Buffer.from(text.replace('"version":2,', '"version":7,')), /格式版本为 7/],
      ['an old format without a signed record', Buffer.from(text.replace('"version":2,', '"version":1,')), /格式版本 1 不带签名的审核记录/],
      ['one changed byte of content', flipped, /正文与文稿信息.*已被改动/],
      ['a changed signature key id', badSignature, /不是本办公室策略中的有效密钥|签名无效|结构不正确|损坏/],
      ['a changed signature', badSignatureValue, /签名无效/],
    ];
    for (const [label, bytes, message] of cases) {
      for (const channel of ['package:verify', 'package:import'] as const) {
        const result = await c.value('admin', channel, { dataBase64: bytes.toString('base64') });
        expect(result.ok, `${label} ${channel}`).toBe(false);
        expect(result.error, label).toMatch(message);
      }
    }
    const notBase64 = await c.call('admin', 'package:import', { dataBase64: '这不是base64!!' });
    expect(notBase64).toMatchObject({ ok: false, error: { code: 'invalid_request', detail: '文件数据不是有效的 base64 编码' } });
    expect(snapshot(c.dir)).toEqual(before);
  });

  it('refuses a broken trusted-key list and keeps people.json untouched when it is damaged on disk', async () => {
    const bad = await a.call('admin', 'keys:importTrusted', { text: '{"format":"gazette/trusted-keys","version":1,"keys":[{}]}' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_request' } });

    const dir = a.dir;
    await a.workspace.close();
    const peopleFile = join(dir, 'people.json');
    writeFileSync(peopleFile, '{"format":"gazette/people", broken');
    const damaged = readFileSync(peopleFile);
    const reopened = await createOfficeOn(dir);
    try {
      const reply = await reopened.dispatch('session:get', {}, { transport: 'http', sessionId: 'x' });
      expect(reply).toMatchObject({ ok: false, error: { code: 'damaged_file' } });
      if (!reply.ok) expect(reply.error.detail).toContain('people.json');
      const setup = await reopened.dispatch('session:setup', { name: '新管理员', password: 'another-pw' }, { transport: 'http', sessionId: 'x' });
      expect(setup.ok).toBe(false);
      expect(readFileSync(peopleFile).equals(damaged)).toBe(true);
    } finally {
      await reopened.close();
    }
  });
});

async function createOfficeOn(dir: string) {
  const { openWorkspace } = await import('../../../node/services');
  return openWorkspace(dir);
}
