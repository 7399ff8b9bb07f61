import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYNC_CONFLICT_FILE } from '../../../shared/sync/article-merge';
import { createOffice, draft, type Office } from '../../support/review-api';

/*
 * An article the office sync left 冲突待处理 (two desktops changed the same
 * passage) is not submitted for review until the writer has decided it: the
 * review view says why 提交审核 is held, and the service refuses it too.
 */

let office: Office;

beforeEach(async () => {
  office = await createOffice([{ who: 'writer', name: '张撰稿', roles: ['writer'] }]);
});

afterEach(async () => {
  await office.close();
});

/** What the sync's merge leaves beside an article whose blocks both desktops changed. */
function leaveConflict(articleId: string): string {
  const file = join(office.dir, 'articles', articleId, SYNC_CONFLICT_FILE);
  writeFileSync(file, '{}\n');
  return file;
}

describe('提交审核 while the article is 冲突待处理', () => {
  it('is held with the reason, refused by the service, and allowed once the conflict is decided', async () => {
    const article = await draft(office, 'writer', '关于做好防汛工作的通知', '各街道、各部门：为做好今年防汛工作，现通知如下。');
    const conflict = leaveConflict(article.id);

    const view = await office.value('writer', 'review:get', { id: article.id });
    expect(view.canAct.submit).toBe(true);
    expect(view.submitBlocked).toContain('同步冲突待处理');

    const refused = await office.call('writer', 'review:submit', { id: article.id, note: '' });
    expect(refused.ok).toBe(false);
    if (!refused.ok) {
      expect(refused.error.code).toBe('conflict');
      expect(refused.error.detail).toContain('关于做好防汛工作的通知');
      expect(refused.error.detail).toContain('同步冲突待处理');
    }
    // Nothing was signed: the article is still the writer's draft.
    expect((await office.value('writer', 'review:get', { id: article.id })).state.status).toBe('draft');

    rmSync(conflict);
    expect((await office.value('writer', 'review:get', { id: article.id })).submitBlocked).toBeNull();
    const submitted = await office.value('writer', 'review:submit', { id: article.id, note: '' });
    expect(submitted.state.status).toBe('in_review');
  });
});
