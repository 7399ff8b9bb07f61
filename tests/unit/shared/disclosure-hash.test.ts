import { describe, expect, it } from 'vitest';
import { ArticleMetaSchema, DisclosureSchema } from '../../../shared/domain/article';
import { type Doc, paragraph } from '../../../shared/domain/doc';
import { articleContentHash, canonicalArticle, contentHash } from '../../../shared/workflow/canonical';

const doc: Doc = { type: 'doc', content: [paragraph('会议强调，要把各项工作落到实处。')] };
const photo = { name: '0123456789abcdef0123.jpg', sha256: '1'.repeat(64) };

/** An article file as the app wrote it before the 信息公开 fields existed. */
const storedBefore = {
  title: '区党政办召开会议',
  subtitle: '',
  column: ['首页', '要闻动态', '政务要闻'],
  publishAt: '2024-04-06',
  source: '区党政办',
  author: '',
  photographer: '',
  editor: '',
  keywords: ['会议'],
  summary: '',
  cover: null,
  template: 'meeting',
  meeting: null,
};

/** The meta the old schema produced: the parse result with every key the new code added taken away again. */
function asOldCodeParsed(meta: Record<string, unknown>): Record<string, unknown> {
  const oldKeys = new Set(Object.keys(storedBefore));
  return Object.fromEntries(Object.entries(meta).filter(([key]) => oldKeys.has(key)));
}

describe('the 信息公开 fields leave existing approvals intact', () => {
  it('an article without them parses to the same canonical form and hash as before', async () => {
    const parsed = ArticleMetaSchema.parse(storedBefore);
    const old = asOldCodeParsed(parsed) as typeof parsed;
    expect('disclosure' in parsed).toBe(false);
    expect(canonicalArticle(parsed, doc, [photo])).toBe(canonicalArticle(old, doc, [photo]));
    expect(await articleContentHash(parsed, doc, [photo])).toBe(await articleContentHash(old, doc, [photo]));
    expect(await contentHash(parsed, doc)).toBe(await contentHash(old, doc));
  });

  it('an article with them hashes differently, so changing a 文号 after approval needs a new approval', async () => {
    const plain = ArticleMetaSchema.parse(storedBefore);
    const withDisclosure = ArticleMetaSchema.parse({
      ...storedBefore,
      disclosure: { publisher: '区人民政府办公室', docNo: '区政办发〔2024〕7号' },
    });
    const edited = ArticleMetaSchema.parse({
      ...storedBefore,
      disclosure: { publisher: '区人民政府办公室', docNo: '区政办发〔2024〕8号' },
    });
    const hashes = await Promise.all([plain, withDisclosure, edited].map((m) => articleContentHash(m, doc, [])));
    expect(new Set(hashes).size).toBe(3);
  });

  it('keeps a half-typed 文号 in a draft rather than refusing the autosave', () => {
    expect(DisclosureSchema.parse({ docNo: '镇政发[2024' }).docNo).toBe('镇政发[2024');
  });

  it('refuses a 成文日期 that is not a calendar day', () => {
    expect(DisclosureSchema.safeParse({ writtenAt: '2024-02-30' }).success).toBe(false);
    expect(DisclosureSchema.safeParse({ writtenAt: '2024-04-06T09:00' }).success).toBe(false);
  });
});
