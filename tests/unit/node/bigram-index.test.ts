import { describe, expect, it } from 'vitest';
import { BigramIndex, pairCodes, sortedPairCodes } from '../../../node/services/store/bigram-index';

const pair = (text: string) => [...pairCodes(text)].sort((a, b) => a - b);
const found = (index: BigramIndex, query: string) => {
  const numbers = index.candidates(pairCodes(query));
  return numbers === null ? null : [...numbers];
};

describe('Han pairs', () => {
  it('cuts Han runs into their overlapping pairs; other characters break a run and are left to the check', () => {
    expect(pair('乡村振兴')).toEqual([...pair('乡村'), ...pair('村振'), ...pair('振兴')].sort((a, b) => a - b));
    expect(pair('乡村 abc 镇')).toEqual(pair('乡村'));
    expect(pair('abc 1 镇')).toEqual([]);
  });

  it('lists each distinct pair once, ascending, for a text longer than any before it and for a short one after', () => {
    const long = `${'乡村振兴营商环境南水北调'.repeat(500)}𠮷野`;
    for (const text of ['乡村振兴乡村', long, '营商 环境营商']) {
      expect([...sortedPairCodes(text)]).toEqual(pair(text));
    }
  });

  it('reads characters beyond the Basic Multilingual Plane whole (a rare name character is not two halves)', () => {
    // 𠮷 (U+20BB7) is one Han character written as a surrogate pair.
    expect(pair('𠮷野')).toHaveLength(1);
    expect(pair('𠮷野')).not.toEqual(pair('野𠮷'));
  });
});

describe('bigram index', () => {
  it('proposes the articles holding every pair of a query, and none when a pair is unknown', () => {
    const index = new BigramIndex();
    index.add(0, pairCodes('全面推进乡村振兴'));
    index.add(1, pairCodes('乡村建设与振兴'));
    index.add(2, pairCodes('优化营商环境'));
    expect(found(index, '乡村振兴')).toEqual([0]);
    expect(found(index, '乡村')).toEqual([0, 1]);
    expect(found(index, '南水北调')).toEqual([]);
    // A query without a Han pair cannot be narrowed: the caller checks every text.
    expect(found(index, '镇')).toBeNull();
  });

  it('takes new pairs of an older article after newer ones, and lists an article once even when it regains a pair', () => {
    const index = new BigramIndex();
    for (let n = 0; n < 10; n++) index.add(n, pairCodes('会议召开'));
    index.add(3, pairCodes('营商环境'));
    index.add(7, pairCodes('营商环境'));
    index.add(3, pairCodes('会议'));
    expect(found(index, '营商环境')).toEqual([3, 7]);
    expect(found(index, '会议召开')).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(found(index, '会议营商')).toEqual([]);
  });

  it('gives the same answers once pairs are dense enough to be kept as bitmaps, and is smaller for it', () => {
    const dense = new BigramIndex();
    const expected: number[] = [];
    for (let n = 0; n < 5000; n++) {
      const common = n % 2 === 0;
      dense.add(n, pairCodes(common ? '乡村振兴工作会议' : '工作会议'));
      if (common) expected.push(n);
    }
    // Out of order, after the switch to a bitmap.
    dense.add(1, pairCodes('乡村振兴'));
    expected.splice(1, 0, 1);
    dense.compact();
    expect(found(dense, '乡村振兴')).toEqual(expected);
    expect(found(dense, '工作会议')).toHaveLength(5000);
    // 5,000 articles × 5 pairs: well under a byte per (pair, article).
    expect(dense.byteSize).toBeLessThan(5000 * 5);
  });

  it('keeps large gaps between article numbers exact', () => {
    const index = new BigramIndex();
    const numbers = [0, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, 300_000_000];
    for (const n of numbers) index.add(n, pairCodes('档案'));
    expect(found(index, '档案')).toEqual(numbers);
  });
});

describe('bigram index under growth', () => {
  it('answers exactly when lists that turned into bitmaps leave their room to lists still growing', () => {
    let seed = 11;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const sparse = '子丑寅卯辰巳午未申酉';
    const texts: string[] = [];
    const index = new BigramIndex();
    for (let n = 0; n < 9000; n++) {
      // Rare at first, then in every article: these lists grow as gaps, then turn into bitmaps and drop their rooms.
      let text = n < 5000 ? ['甲乙', '丙丁', '戊己'][n % 10] ?? '' : '甲乙 丙丁 戊己';
      // Lists that only start growing once those rooms are dropped.
      if (n >= 5200) for (let k = 0; k < 5; k++) text += ` ${sparse[Math.floor(random() * 10)]}${sparse[Math.floor(random() * 10)]}`;
      texts.push(text);
      index.add(n, pairCodes(text));
    }
    const queries = ['甲乙', '丙丁', '戊己', ...Array.from({ length: 30 }, () => `${sparse[Math.floor(random() * 10)]}${sparse[Math.floor(random() * 10)]}`)];
    const check = () => {
      for (const query of queries) {
        const code = [...pairCodes(query)][0] as number;
        expect(found(index, query)).toEqual(texts.flatMap((text, n) => (pairCodes(text).has(code) ? [n] : [])));
      }
    };
    check();
    index.compact();
    check();
  });

  it('answers exactly like a scan while lists grow, turn into bitmaps, are compacted and grow again', () => {
    // A small alphabet so many pairs grow long lists (well past what V8 keeps on its own heap).
    const alphabet = '乡村振兴营商环境南水北调';
    let seed = 7;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const text = () => Array.from({ length: 6 }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
    const texts: string[] = [];
    const index = new BigramIndex();
    const write = (n: number, value: string) => {
      texts[n] = `${texts[n] ?? ''} ${value}`;
      index.add(n, pairCodes(value));
    };
    // As a build says it: bitmaps are made for all 6,000 at once.
    index.expectArticles(6000);
    const queries = ['乡村', '营商', '南水北调', '环境南水', '兴营商环'];
    const check = () => {
      for (const query of queries) {
        const expected = texts.flatMap((value, n) => ([...pairCodes(query)].every((code) => pairCodes(value).has(code)) ? [n] : []));
        expect(found(index, query)).toEqual(expected);
      }
    };
    for (let n = 0; n < 6000; n++) write(n, text());
    check();
    index.compact();
    check();
    // After the compaction: new articles, and older ones that gain pairs.
    for (let n = 6000; n < 7000; n++) write(n, text());
    for (let k = 0; k < 300; k++) write(Math.floor(random() * 7000), text());
    check();
  });
});
