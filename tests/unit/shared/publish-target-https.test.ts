import { describe, expect, it } from 'vitest';
import { contract, SiteConfigSchema } from '../../../shared/api/contract';
import { defaultSiteProfile } from '../../../shared/portal/site';

/*
 * WordPress and MetaWeblog targets send the account's password with every
 * request: over plain http anyone on the office network could read it.
 */

const wordpress = (baseUrl: string, extra: object = {}) => ({ id: 'wp', kind: 'wordpress', label: '门户网站', baseUrl, user: 'editor', ...extra });
const metaweblog = (endpoint: string) => ({ id: 'mw', kind: 'metaweblog', label: '旧门户', endpoint, user: 'editor' });
const save = (targets: object[]) => contract['sites:save'].request.safeParse({ ...defaultSiteProfile(), targets });

describe('remote publishing targets need https', () => {
  it('accepts https, and http only to this machine', () => {
    expect(save([wordpress('https://portal.example.gov.cn')]).success).toBe(true);
    expect(save([wordpress('http://127.0.0.1:9/wp'), metaweblog('http://localhost:8080/xmlrpc.php')]).success).toBe(true);
  });

  it('refuses plain http to another host, saying why and naming the target', () => {
    for (const target of [wordpress('http://portal.example.gov.cn'), metaweblog('http://192.168.1.10/xmlrpc.php')]) {
      const result = save([target]);
      expect(result.success, JSON.stringify(target)).toBe(false);
      const message = result.error?.issues[0]?.message ?? '';
      expect(message).toContain('https://');
      expect(message).toContain(target.label);
      expect(result.error?.issues[0]?.path).toEqual(['targets', 0, target.kind === 'wordpress' ? 'baseUrl' : 'endpoint']);
    }
    // 127.0.0.1 as a prefix of another name is not this machine.
    expect(save([wordpress('http://127.0.0.1.evil.example/')]).success).toBe(false);
  });

  it('an admin can allow plain http for one target explicitly', () => {
    expect(save([wordpress('http://intranet.portal', { allowPlainHttp: true })]).success).toBe(true);
  });

  it('a site file saved before the rule still reads (nothing the admin wrote is lost); sending is refused instead', () => {
    const parsed = SiteConfigSchema.safeParse({ ...defaultSiteProfile(), targets: [wordpress('http://portal.example.gov.cn')] });
    expect(parsed.success).toBe(true);
  });
});
