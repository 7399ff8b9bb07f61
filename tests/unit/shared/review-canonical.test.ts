import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ArticleMetaSchema, newArticle } from '../../../shared/domain/article';
import { type Doc, paragraph } from '../../../shared/domain/doc';
import {
  CanonicalFormError,
  canonicalContent,
  canonicalJson,
  contentHash,
  sha256Hex,
} from '../../../shared/workflow/canonical';

const meta = ArticleMetaSchema.parse({
  title: '区委召开常委会会议',
  column: ['首页', '要闻动态', '政务要闻'],
  source: '区委办公室',
  publishAt: '2021-05-20',
  meeting: { name: '区委常委会', attendees: [{ kind: 'person', name: '张三', title: '区委书记', role: '主持' }] },
});
const doc: Doc = { type: 'doc', content: [paragraph('5月20日上午，区委召开常委会会议。'), paragraph('会议强调……')] };

/** Rebuilds an object with its keys in reverse insertion order, recursively. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversedKeys(v)]));
  }
  return value;
}

describe('canonical serialisation', () => {
  it('sorts keys, writes no whitespace and keeps array order', () => {
    expect(canonicalJson({ b: [3, 1, 2], a: { d: true, c: null } })).toBe('{"a":{"c":null,"d":true},"b":[3,1,2]}');
  });

  it('drops undefined properties exactly like a missing key, and writes -0 as 0', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toBe(canonicalJson({ a: 1 }));
    expect(canonicalJson({ n: -0 })).toBe('{"n":0}');
  });

  it('normalises strings and keys to NFC so precomposed and decomposed text hash alike', () => {
    const decomposed = 'Cafe\u0301';
    const precomposed = 'Caf\u00e9';
    expect(decomposed).not.toBe(precomposed);
    expect(canonicalJson({ [decomposed]: decomposed })).toBe(canonicalJson({ [precomposed]: precomposed }));
  });

  it('refuses values another machine could serialise differently instead of hashing them', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(CanonicalFormError);
    expect(() => canonicalJson({ when: new Date(0) })).toThrow(CanonicalFormError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(CanonicalFormError);
  });
});

describe('contentHash', () => {
  it('is the hex SHA-256 of the canonical content (checked against node:crypto)', async () => {
    const expected = createHash('sha256').update(canonicalContent(meta, doc), 'utf8').digest('hex');
    expect(await contentHash(meta, doc)).toBe(expected);
    expect(await sha256Hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('is the same for equal content whatever the key order', async () => {
    const shuffledMeta = reversedKeys(meta) as typeof meta;
    const shuffledDoc = reversedKeys(doc) as Doc;
    expect(JSON.stringify(shuffledMeta)).not.toBe(JSON.stringify(meta));
    expect(await contentHash(shuffledMeta, shuffledDoc)).toBe(await contentHash(meta, doc));
  });

  it('ignores ids, timestamps, status and trash state', async () => {
    const a = newArticle('article-aaaa', '2021-05-20T08:00:00.000Z', meta, doc);
    const b = { ...newArticle('article-bbbb', '2022-01-01T00:00:00.000Z', meta, doc), status: 'approved' as const };
    b.trashedAt = '2022-01-02T00:00:00.000Z';
    expect(await contentHash(a.meta, a.doc)).toBe(await contentHash(b.meta, b.doc));
  });

  it('changes with any change to the text or the metadata', async () => {
    const base = await contentHash(meta, doc);
    const variants: [typeof meta, Doc][] = [
      [meta, { type: 'doc', content: [paragraph('5月20日上午，区委召开常委会会议'), paragraph('会议强调……')] }],
      [meta, { type: 'doc', content: [paragraph('会议强调……'), paragraph('5月20日上午，区委召开常委会会议。')] }],
      [meta, { type: 'doc', content: [{ ...paragraph('5月20日上午，区委召开常委会会议。'), attrs: { textAlign: 'center' } }, paragraph('会议强调……')] }],
      [{ ...meta, source: '区政府办公室' }, doc],
      [{ ...meta, column: ['首页', '要闻动态'] }, doc],
      [{ ...meta, publishAt: '2021-05-21' }, doc],
      [{ ...meta, meeting: { ...meta.meeting!, attendees: [] } }, doc],
    ];
    const hashes = await Promise.all(variants.map(([m, d]) => contentHash(m, d)));
    for (const hash of hashes) {
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
      expect(hash).not.toBe(base);
    }
    expect(new Set(hashes).size).toBe(hashes.length);
  });
});
