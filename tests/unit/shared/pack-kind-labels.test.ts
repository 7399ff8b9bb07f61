import { describe, expect, it } from 'vitest';
import { translate } from '../../../shared/i18n';
import { PACK_KINDS } from '../../../shared/proofread/packs';

describe('rule-pack kinds in the settings', () => {
  it('are named in words in Chinese and English, never by their code', () => {
    for (const kind of PACK_KINDS) {
      const zh = translate('zh-CN', `proof.settings.kind.${kind}`);
      const en = translate('en', `proof.settings.kind.${kind}`);
      expect(zh).toMatch(/\p{Script=Han}/u);
      expect(en).not.toBe(kind);
      expect(en).not.toContain('proof.settings');
    }
    expect(translate('zh-CN', 'proof.settings.kind.sensitive')).toBe('敏感词');
    expect(translate('en', 'proof.settings.kind.protected')).toBe('Protected wording');
  });
});
