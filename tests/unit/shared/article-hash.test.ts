import { describe, expect, it } from 'vitest';
import { ArticleMetaSchema } from '../../../shared/domain/article';
import { type Doc, paragraph } from '../../../shared/domain/doc';
import { articleContentHash } from '../../../shared/workflow/canonical';

const meta = ArticleMetaSchema.parse({ title: '区党政办召开会议' });
const doc: Doc = { type: 'doc', content: [paragraph('会议强调，要把各项工作落到实处。')] };
const photo = { name: '0123456789abcdef0123.jpg', sha256: '1'.repeat(64) };
const chart = { name: 'fedcba98765432101234.png', sha256: '2'.repeat(64) };

describe('the approved content hash covers the assets', () => {
  it('changes when an image is swapped for other bytes under the same name', async () => {
    const before = await articleContentHash(meta, doc, [photo]);
    const after = await articleContentHash(meta, doc, [{ ...photo, sha256: '3'.repeat(64) }]);
    expect(after).not.toBe(before);
  });

  it('changes when a file is added beside the text, even if the text never links it', async () => {
    expect(await articleContentHash(meta, doc, [photo, chart])).not.toBe(await articleContentHash(meta, doc, [photo]));
  });

  it('does not depend on the order the folder was listed in', async () => {
    expect(await articleContentHash(meta, doc, [chart, photo])).toBe(await articleContentHash(meta, doc, [photo, chart]));
  });

  it('still changes with one character of the text', async () => {
    const edited: Doc = { type: 'doc', content: [paragraph('会议强调，要把各项工作落到实处！')] };
    expect(await articleContentHash(meta, edited, [photo])).not.toBe(await articleContentHash(meta, doc, [photo]));
  });
});
