import { describe, expect, it } from 'vitest';
import { ARTICLE_STATUSES, type ArticleStatus } from '../../../shared/domain/article';
import { isPasswordTooShort, MIN_PASSWORD_LENGTH, NewPasswordSchema } from '../../../shared/domain/password';
import { isLocked, isOpenForWriting, mayTrash } from '../../../shared/workflow/locks';
import { can, defaultReviewChain, initialReviewState, type Person } from '../../../shared/workflow/review-chain';

const writer: Person = { id: 'w1', name: '王编辑', unit: '', roles: ['writer'], active: true };

describe('the lock of review', () => {
  it('locks the text in review and once approved, and nowhere else', () => {
    const locked = ARTICLE_STATUSES.filter(isLocked);
    expect(locked).toEqual(['in_review', 'approved']);
    expect(ARTICLE_STATUSES.filter(isOpenForWriting)).toEqual(['draft', 'changes_requested']);
  });

  it('is the rule the permission matrix applies to a writer editing', () => {
    const chain = defaultReviewChain();
    for (const status of ['draft', 'changes_requested', 'in_review', 'approved'] as ArticleStatus[]) {
      const state = { ...initialReviewState('a1', status), stageIndex: status === 'in_review' ? 0 : null, chain };
      expect(can(writer, 'edit', state, chain).allowed).toBe(isOpenForWriting(status));
    }
  });

  it('lets only an administrator move a locked article to the trash', () => {
    expect(mayTrash(['writer'], 'draft')).toBe(true);
    expect(mayTrash(['writer', 'reviewer'], 'in_review')).toBe(false);
    expect(mayTrash(['writer'], 'approved')).toBe(false);
    expect(mayTrash(['admin'], 'approved')).toBe(true);
    expect(mayTrash(['writer'], 'published')).toBe(true);
    expect(mayTrash(['writer'], undefined)).toBe(true);
  });
});

describe('the password rule', () => {
  it('is the same length in the check and in the schema', () => {
    const short = 'x'.repeat(MIN_PASSWORD_LENGTH - 1);
    const enough = 'x'.repeat(MIN_PASSWORD_LENGTH);
    expect(isPasswordTooShort(short)).toBe(true);
    expect(NewPasswordSchema.safeParse(short).success).toBe(false);
    expect(isPasswordTooShort(enough)).toBe(false);
    expect(NewPasswordSchema.safeParse(enough).success).toBe(true);
    expect(NewPasswordSchema.safeParse('x'.repeat(1025)).success).toBe(false);
  });
});
