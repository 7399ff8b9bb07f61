import { describe, expect, it } from 'vitest';
import { packText, unpackText } from '../../../node/services/store/packed-text';
import { decodeShard, encodeShard, type IndexRecord, recordHeader } from '../../../node/services/store/index-shards';

interface Written extends IndexRecord {
  text: string;
}

function record(id: string, text: string): Written {
  return {
    summary: {
      id,
      title: '标题',
      column: ['首页'],
      status: 'draft',
      publishAt: null,
      source: '',
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      trashedAt: null,
      charCount: text.length,
    } as IndexRecord['summary'],
    text,
    packedText: packText(text),
    stamp: { mtimeMs: 1, size: 2 },
    origin: null,
    contentSha256: null,
  };
}

describe('index shards', () => {
  it('give back every text exactly, including ones whose bytes hold a zero pair across two characters', () => {
    // "a一": UTF-16LE 61 00 | 00 4e — two zero bytes that are not a separator.
    const records = [record('art001', '标题\na一二三'), record('art002', ''), record('art003', '第三篇 Āā 𠮷')];
    const data = encodeShard(records.map(recordHeader), records.map((r) => r.text));
    expect(decodeShard(data).map((r) => [r.summary.id, unpackText(r.packedText)])).toEqual(records.map((r) => [r.summary.id, r.text]));
  });

  it('refuse a file that is not a shard, or one cut short', () => {
    expect(() => decodeShard(Buffer.from('{"format":"x"}', 'utf8'))).toThrow('not an index shard');
    const records = [record('art001', '一'), record('art002', '二')];
    const data = encodeShard(records.map(recordHeader), records.map((r) => r.text));
    const cut = data.subarray(0, data.lastIndexOf(Buffer.from([0, 0])) - (data.lastIndexOf(Buffer.from([0, 0])) % 2));
    expect(() => decodeShard(cut)).toThrow('index shard is incomplete');
  });
});
