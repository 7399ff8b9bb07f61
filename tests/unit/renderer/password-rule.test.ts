// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { MIN_PASSWORD_LENGTH } from '../../../shared/domain/password';
import { translate } from '../../../shared/i18n';

vi.mock('../../../renderer/src/api/client', () => ({
  api: { invoke: () => Promise.reject(new Error('no transport in unit tests')), assetUrl: () => '' },
}));

const { newPasswordProblem } = await import('../../../renderer/src/state/session');

describe('the forms\' password rule', () => {
  const t = (key: Parameters<typeof translate>[1], params?: Parameters<typeof translate>[2]) => translate('zh-CN', key, params);

  it('names the shared minimum and accepts a password of that length', () => {
    expect(newPasswordProblem(t, 'x'.repeat(MIN_PASSWORD_LENGTH - 1))).toBe(
      translate('zh-CN', 'auth.error.passwordShort', { min: MIN_PASSWORD_LENGTH }),
    );
    expect(newPasswordProblem(t, 'x'.repeat(MIN_PASSWORD_LENGTH))).toBeNull();
  });
});
