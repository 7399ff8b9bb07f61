import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { approvalRevision } from '../../../renderer/src/review/review-logic';
import { createOffice, docOf, draft, type Office } from '../../support/review-api';

/*
 * 三审三校 through the services: 复审 corrects one word, 初审's approval is
 * kept as one of the version before, 复审 and 终审 approve the corrected text
 * and it may be published; the panel finds the version 初审 approved to show
 * what changed since.
 */

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

describe('a reviewer’s correction through the API', () => {
  it('keeps 初审’s approval over 复审’s correction; the corrected text is publishable after 复审 and 终审', async () => {
    const article = await draft(office, 'writer', '通知', '会议于5月20日召开。');
    await office.value('writer', 'review:submit', { id: article.id, note: '' });
    let view = await office.value('r1', 'review:get', { id: article.id });
    await office.value('r1', 'review:approve', { id: article.id, opinion: '同意', expectedHash: view.currentHash });
    const approvedHash = view.currentHash;

    await office.value('r2', 'articles:save', { id: article.id, meta: article.meta, doc: docOf('会议于5月20日举行。') });
    view = await office.value('r2', 'review:get', { id: article.id });
    expect(view.stageName).toBe('复审');
    expect(view.state.approvals).toEqual([
      expect.objectContaining({ stageId: 'first', contentHash: approvedHash, keptFor: view.currentHash }),
    ]);
    expect(view.state.notice).toContain('“初审”的审核保留为“已审核（修改前版本）”');

    // The version 初审 approved is found from what the services return, and it is the text 初审 saw.
    const versions = await office.value('r2', 'articles:versions', { id: article.id });
    const revision = approvalRevision(view.state.approvals[0]!, versions, view.events);
    expect(revision).not.toBeNull();
    const diff = await office.value('r2', 'review:diff', { id: article.id, from: revision!.id, to: 'current' });
    expect(diff.text.filter((s) => s.op !== 'equal').map((s) => [s.op, s.text])).toEqual([
      ['delete', '召开'],
      ['insert', '举行'],
    ]);
    expect(diff.editors.map((e) => e.name)).toContain('王复审');

    await office.value('r2', 'review:approve', { id: article.id, opinion: '已改正，同意', expectedHash: view.currentHash });
    view = await office.value('r3', 'review:approve', { id: article.id, opinion: '同意发布', expectedHash: view.currentHash });
    expect(view.state.status).toBe('approved');
    expect(view.record.publishable).toBe(true);
    // 初审's kept approval counts for the corrected text: all three stages are named on the page.
    await expect(office.workspace.signoff.assertPublishable(article.id)).resolves.toEqual({
      contentHash: view.currentHash,
      approvers: [
        { stage: '初审', name: '李初审' },
        { stage: '复审', name: '王复审' },
        { stage: '终审', name: '赵终审' },
      ],
    });
  });
});
