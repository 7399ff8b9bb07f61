import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../../node/services';
import type { ReviewView } from '../../../shared/api/contract';
import { docToPlainText } from '../../../shared/domain/doc';
import { shortHash } from '../../../shared/workflow/canonical';
import { segmentsAfter, segmentsBefore } from '../../../shared/workflow/text-diff';
import { createOffice, docOf, draft, type Office } from '../../support/review-api';

let office: Office;

beforeEach(async () => {
  office = await createOffice([
    { who: 'writer', name: '张撰稿', roles: ['writer'] },
    { who: 'r1', name: '李初审', roles: ['reviewer'] },
    { who: 'r2', name: '王复审', roles: ['reviewer'] },
    { who: 'r3', name: '赵终审', roles: ['reviewer'] },
  ]);
});

afterEach(async () => {
  await office.close();
});

const P1 = '全区召开生态环境保护大会。';
const P2 = '会议强调，要坚持生态优先、绿色发展，守住自然生态安全边界。';

/** The article's signed record: one entry per line, each carrying the act it signs. */
function recordFile(id: string): string {
  return join(office.dir, 'articles', id, 'record.jsonl');
}

function hasPdftotext(): boolean {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

describe('review through the API: writer → 初审 → 复审 requests changes → edit → three approvals', () => {
  it('runs the whole scenario with locks, invalidation, diff, audit and sign-off sheet', async () => {
    const { value, call } = office;
    const article = await draft(office, 'writer', '全区生态环境保护大会召开', P1, P2);

    // Submit: locked for the writer, visible in the status filter, waiting for 初审.
    let view = await value('writer', 'review:submit', { id: article.id, note: '请审核' });
    expect(view.state.status).toBe('in_review');
    expect(view.stageName).toBe('初审');
    expect(view.canAct.edit).toBe(false);
    expect(view.lockReason).toContain('锁定');
    expect((await value('writer', 'articles:list', { status: 'in_review' })).items.map((i) => i.id)).toEqual([article.id]);
    const locked = await call('writer', 'articles:save', {
      id: article.id,
      meta: article.meta,
      doc: docOf(P1, `${P2}（擅自修改）`),
    });
    expect(locked).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect((await value('writer', 'articles:get', { id: article.id })).doc).toEqual(article.doc);

    // 初审: r1 sees it in the queue with a badge count and approves the exact text.
    const q1 = await value('r1', 'review:queue', {});
    expect(q1.count).toBe(1);
    expect(q1.items[0]).toMatchObject({ stageName: '初审', note: '请审核', submittedBy: { name: '张撰稿' } });
    view = await value('r1', 'review:get', { id: article.id });
    expect(view.canAct.approve).toBe(true);
    view = await value('r1', 'review:approve', { id: article.id, opinion: '同意', expectedHash: view.currentHash });
    expect(view.stageName).toBe('复审');
    expect(view.state.approvals[0]?.signature?.value).toBeTruthy();
    expect((await value('r1', 'review:queue', {})).count).toBe(0);
    expect((await value('r2', 'review:queue', {})).count).toBe(1);

    // 复审: r2 comments on a passage and sends it back.
    await value('r2', 'review:comment', { id: article.id, body: '“生态优先”后请补充“节约优先”', anchor: { quote: '坚持生态优先' } });
    view = await value('r2', 'review:requestChanges', {
      id: article.id,
      reason: '表述不完整',
      expectedHash: view.currentHash,
    });
    expect(view.state.status).toBe('changes_requested');
    expect((await value('writer', 'articles:list', { status: 'changes_requested' })).items).toHaveLength(1);

    // The writer sees the anchored comment and the reason, and edits.
    view = await value('writer', 'review:get', { id: article.id });
    expect(view.state.notice).toContain('表述不完整');
    const [note] = view.comments;
    expect(note).toMatchObject({ authorName: '王复审', detached: false });
    const plain = docToPlainText(docOf(P1, P2));
    expect(note?.range && plain.slice(note.range.start, note.range.end)).toBe('坚持生态优先');
    expect(view.canAct.edit).toBe(true);
    const edited = P2.replace('坚持生态优先', '坚持生态优先、节约优先');
    await value('writer', 'articles:save', { id: article.id, meta: article.meta, doc: docOf(P1, edited) });

    // Approvals reset: 初审's approval no longer matches the text.
    view = await value('writer', 'review:get', { id: article.id });
    expect(view.state.approvals).toEqual([]);
    expect(view.state.invalidatedApprovals.map((a) => a.stageId)).toEqual(['first']);
    expect(view.state.notice).toContain('初审');
    expect(view.comments[0]?.detached).toBe(false);

    // Resubmitted, it starts again at 初审; three different reviewers approve.
    view = await value('writer', 'review:submit', { id: article.id, note: '已按意见修改' });
    expect(view.stageName).toBe('初审');
    for (const who of ['r1', 'r2', 'r3']) {
      const current: ReviewView = await value(who, 'review:get', { id: article.id });
      view = await value(who, 'review:approve', { id: article.id, opinion: `${who}同意发布`, expectedHash: current.currentHash });
    }
    expect(view.state.status).toBe('approved');
    expect(view.state.approvals.map((a) => a.stageId)).toEqual(['first', 'second', 'final']);
    expect((await value('writer', 'articles:list', { status: 'approved' })).items.map((i) => i.id)).toEqual([article.id]);
    // Publishable as this exact text, with the approvers the verified record names (the page's 三审 lines).
    await expect(office.workspace.signoff.assertPublishable(article.id)).resolves.toEqual({
      contentHash: view.currentHash,
      approvers: [
        { stage: '初审', name: '李初审' },
        { stage: '复审', name: '王复审' },
        { stage: '终审', name: '赵终审' },
      ],
    });

    // The diff from the version r2 sent back to the current text shows the writer's insertion.
    const versions = await value('writer', 'articles:versions', { id: article.id });
    const sentBack = versions.find((v) => v.reason === 'request_changes');
    expect(sentBack?.author?.name).toBe('王复审');
    const diff = await value('writer', 'review:diff', { id: article.id, from: sentBack?.id, to: 'current' });
    // "、节约优先" inserted after "生态优先" (the aligner may place the shared "、" on either side).
    expect(segmentsBefore(diff.text)).toBe(docToPlainText(docOf(P1, P2)));
    expect(segmentsAfter(diff.text)).toBe(docToPlainText(docOf(P1, edited)));
    expect([diff.inserted, diff.deleted]).toEqual([5, 0]);
    expect(diff.editors.map((e) => e.name)).toContain('张撰稿');
    expect(diff.from.author?.name).toBe('王复审');

    // Sign-off sheet: three approvals with the current hash, signatures valid.
    const html = await value('writer', 'review:signoff', { id: article.id, format: 'html' });
    expect(html.mime).toBe('text/html');
    for (const name of ['李初审', '王复审', '赵终审', 'r3同意发布', '全区生态环境保护大会召开', '区党政办', '首页 &gt; 要闻动态']) {
      expect(html.content).toContain(name);
    }
    // Each approval row carries the hash it approved for machines; people read the full hash once, beside the QR code.
    expect(html.content.split(`data-hash="${view.currentHash}"`).length - 1).toBe(3);
    const visible = html.content.replace(/<style[\s\S]*?<\/style>/g, '').replace(/<[^>]*>/g, ' ');
    expect(visible.split(view.currentHash).length - 1).toBe(1);
    expect(html.content).toContain(shortHash(view.currentHash));
    expect(html.content.split('签名有效').length - 1).toBe(3);
    expect(html.content).toContain('当前内容已通过全部审核环节');

    const pdf = await value('writer', 'review:signoff', { id: article.id, format: 'pdf' });
    expect(pdf.encoding).toBe('base64');
    const bytes = Buffer.from(pdf.content, 'base64');
    expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(bytes.subarray(-6).toString('latin1')).toContain('%%EOF');
    expect(bytes.toString('latin1').match(/\/Type \/Page\b/g)).toHaveLength(1);
    if (hasPdftotext()) {
      const file = join(office.dir, 'signoff.pdf');
      writeFileSync(file, bytes);
      const text = execFileSync('pdftotext', [file, '-'], { encoding: 'utf8' });
      expect(text).toContain('审核表');
      expect(text).toContain('赵终审');
    } else {
      console.info('pdftotext (poppler-utils) not installed: PDF text extraction not checked');
    }

    // The record is append-only: each step only added signed lines. Invalidations are not signed acts:
    // replaying the record derives them, and the trail shows them.
    const trail = readFileSync(recordFile(article.id), 'utf8');
    const types = trail.trim().split('\n').map((line) => JSON.parse(line).event.type as string);
    expect(types.filter((t) => t === 'submit')).toHaveLength(2);
    expect(types.filter((t) => t === 'approve')).toHaveLength(4);
    expect(types).toContain('request_changes');
    expect(types).not.toContain('invalidate');
    expect(types).toContain('comment');
    expect(view.events.map((e) => e.type)).toContain('invalidate');

    // The final reviewer corrects the approved text: it is reopened at 终审 and no longer publishable.
    const finalEdit = edited.replace('绿色发展', '绿色低碳发展');
    await value('r3', 'articles:save', { id: article.id, meta: article.meta, doc: docOf(P1, finalEdit) });
    view = await value('r3', 'review:get', { id: article.id });
    expect(view.state.status).toBe('in_review');
    expect(view.state.notice).toContain('赵终审');
    await expect(office.workspace.signoff.assertPublishable(article.id)).rejects.toThrow(/不能发布/);
    const reviewerRevision = (await value('r3', 'articles:versions', { id: article.id })).find((v) => v.reason === 'reviewer_edit');
    expect(reviewerRevision?.author?.name).toBe('赵终审');
    expect(readFileSync(recordFile(article.id), 'utf8').startsWith(trail)).toBe(true);
  });

  it('merges autosaves of one writer into one audit entry but keeps every save', async () => {
    const article = await draft(office, 'writer', '通知', '第一稿');
    for (const text of ['第二稿', '第三稿', '第四稿']) {
      await office.value('writer', 'articles:save', { id: article.id, meta: article.meta, doc: docOf(text) });
    }
    const lines = readFileSync(recordFile(article.id), 'utf8').trim().split('\n');
    expect(lines.map((l) => JSON.parse(l).event.type)).toEqual(['edit']);
    expect((await office.value('writer', 'articles:get', { id: article.id })).doc).toEqual(docOf('第四稿'));
    const view = await office.value('writer', 'review:get', { id: article.id });
    expect(view.currentHash).toBe(view.state.contentHash);
  });

  it('refuses an approval of text the reviewer did not see', async () => {
    const article = await draft(office, 'writer', '公告', '原文');
    const submitted = await office.value('writer', 'review:submit', { id: article.id, note: '' });
    const stale = await office.call('r1', 'review:approve', {
      id: article.id,
      opinion: '同意',
      expectedHash: 'f'.repeat(64),
    });
    expect(stale).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect((await office.value('r1', 'review:get', { id: article.id })).state).toEqual(submitted.state);
  });
});

describe('submit checks', () => {
  it('refuses to submit an article without a title, and leaves it a draft', async () => {
    const created = await office.value('writer', 'articles:create', { template: 'blank' });
    await office.value('writer', 'articles:save', { id: created.id, meta: created.meta, doc: docOf('只有正文') });
    const reply = await office.call('writer', 'review:submit', { id: created.id, note: '' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'invalid_request', detail: '提交审核前请先填写标题' } });
    expect((await office.value('writer', 'review:get', { id: created.id })).state.status).toBe('draft');
  });
});

describe('private keys sealed by the desktop keychain', () => {
  it('signs in the web host but refuses to sign approvals there, saying why', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gazette-keychain-'));
    const keychain = { encrypt: (plain: Buffer) => Buffer.from(plain).reverse(), decrypt: (sealed: Buffer) => Buffer.from(sealed).reverse() };
    const desktop = await openWorkspace(dir, { keySealing: { wrap: keychain, open: keychain }, scrypt: { N: 1024, r: 8, p: 1 } });
    const admin = { transport: 'ipc' as const, sessionId: 'ipc:1' };
    await desktop.dispatch('session:setup', { name: '管理员', password: 'admin-password' }, admin);
    await desktop.dispatch('people:save', { name: '审核人', roles: ['reviewer'], password: 'reviewer-password' }, admin);
    const people = JSON.parse(readFileSync(join(dir, 'people.json'), 'utf8')) as { people: { key: { privateKey: { kind: string } } }[] };
    expect(people.people.map((p) => p.key.privateKey.kind)).toEqual(['safeStorage+scrypt-aes-256-gcm', 'safeStorage+scrypt-aes-256-gcm']);
    // Submitted on the desktop, where the writer's key opens.
    const created = (await desktop.dispatch('articles:create', { template: 'blank', input: { title: '标题' } }, admin)) as {
      ok: true;
      value: { id: string };
    };
    await desktop.dispatch('review:submit', { id: created.value.id, note: '' }, admin);
    await desktop.close();

    const web = await openWorkspace(dir);
    try {
      const reviewer = { transport: 'http' as const, sessionId: 'r' };
      await web.identity.signInAs('审核人', 'reviewer-password', reviewer);
      const view = (await web.dispatch('review:get', { id: created.value.id }, reviewer)) as { ok: true; value: ReviewView };
      const reply = await web.dispatch(
        'review:approve',
        { id: created.value.id, opinion: '同意', expectedHash: view.value.currentHash },
        reviewer,
      );
      expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      if (!reply.ok) expect(reply.error.detail).toMatch(/签名密钥.*safeStorage/);
    } finally {
      await web.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
