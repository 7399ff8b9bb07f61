import { describe, expect, it } from 'vitest';
import { ArticleMetaSchema } from '../../../shared/domain/article';
import { type Doc, paragraph } from '../../../shared/domain/doc';
import { createAnchor, locateAnchor } from '../../../shared/workflow/anchor';
import {
  diffMeta,
  diffRevisions,
  diffSequences,
  diffText,
  segmentsAfter,
  segmentsBefore,
  type TextSegment,
  tokenize,
} from '../../../shared/workflow/text-diff';

/** Deterministic PRNG so a failing random case can be replayed. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HAN = '的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质';

function randomChineseText(next: () => number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) {
    const r = next();
    if (r < 0.03) out += '\n';
    else if (r < 0.08) out += '，';
    else if (r < 0.1) out += 'GDP ';
    else out += HAN[Math.floor(next() * HAN.length)];
  }
  return out;
}

function mutate(next: () => number, text: string, edits: number): string {
  let out = text;
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(next() * (out.length + 1));
    const kind = next();
    if (kind < 0.4) out = out.slice(0, at) + randomChineseText(next, 1 + Math.floor(next() * 6)) + out.slice(at);
    else if (kind < 0.8) out = out.slice(0, at) + out.slice(at + 1 + Math.floor(next() * 6));
    else out = `${out.slice(0, at)}${HAN[Math.floor(next() * HAN.length)]}${out.slice(at + 1)}`;
  }
  return out;
}

function lcsLength(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const row = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = 0;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = a[i - 1] === b[j - 1] ? diagonal + 1 : Math.max(row[j]!, row[j - 1]!);
      diagonal = above;
    }
  }
  return row[b.length]!;
}

const changed = (segments: TextSegment[]) => segments.filter((s) => s.op !== 'equal');

describe('tokenize', () => {
  it('splits Chinese per character and Latin by word, losslessly', () => {
    const text = '2021年GDP增长8.5%，Open Live Writer很好用\n第二段';
    const tokens = tokenize(text);
    expect(tokens.join('')).toBe(text);
    expect(tokens).toContain('GDP');
    expect(tokens).toContain('Writer');
    expect(tokens).toContain('2021');
    expect(tokens).toContain('增');
    expect(tokens).toContain('长');
    expect(tokens).not.toContain('增长');
    expect(tokens).toContain('\n');
  });

  it('keeps characters outside the Basic Multilingual Plane whole', () => {
    const text = '𠀋𠀋字';
    expect(tokenize(text)).toEqual(['𠀋', '𠀋', '字']);
  });
});

describe('diffText', () => {
  it('marks a single inserted Chinese character, not the whole sentence', () => {
    const segments = diffText('区委书记主持召开会议', '区委副书记主持召开会议');
    expect(segments).toEqual([
      { op: 'equal', text: '区委' },
      { op: 'insert', text: '副' },
      { op: 'equal', text: '书记主持召开会议' },
    ]);
  });

  it('compares Latin text by whole words', () => {
    const segments = diffText('the quick brown fox', 'the slow brown fox');
    expect(changed(segments)).toEqual([
      { op: 'delete', text: 'quick' },
      { op: 'insert', text: 'slow' },
    ]);
  });

  it('finds a change in one paragraph without touching the others', () => {
    const before = '第一段内容。\n第二段：会议由张三主持。\n第三段。';
    const after = '第一段内容。\n第二段：会议由李四主持。\n第三段。';
    expect(changed(diffText(before, after))).toEqual([
      { op: 'delete', text: '张三' },
      { op: 'insert', text: '李四' },
    ]);
  });

  it('handles empty sides and identical texts', () => {
    expect(diffText('', '新文稿')).toEqual([{ op: 'insert', text: '新文稿' }]);
    expect(diffText('旧文稿', '')).toEqual([{ op: 'delete', text: '旧文稿' }]);
    expect(diffText('相同', '相同')).toEqual([{ op: 'equal', text: '相同' }]);
    expect(diffText('', '')).toEqual([]);
  });

  it('always rebuilds both texts exactly (random Chinese edits)', () => {
    const next = rng(42);
    for (let round = 0; round < 200; round++) {
      const before = randomChineseText(next, Math.floor(next() * 300));
      const after = mutate(next, before, Math.floor(next() * 8));
      const segments = diffText(before, after);
      expect(segmentsBefore(segments)).toBe(before);
      expect(segmentsAfter(segments)).toBe(after);
      for (let i = 1; i < segments.length; i++) expect(segments[i]!.op).not.toBe(segments[i - 1]!.op);
    }
  });

  it('folds coincidental one-character matches into a rewritten sentence', () => {
    const segments = diffText('我们在会上讨论了明年的工作安排', '他们的报告得到了与会者的肯定');
    expect(changed(segments).length).toBeLessThanOrEqual(2);
    expect(segmentsAfter(segments)).toBe('他们的报告得到了与会者的肯定');
  });
});

describe('diffSequences (Myers)', () => {
  it('finds a shortest edit script (checked against an LCS dynamic programme)', () => {
    const next = rng(7);
    for (let round = 0; round < 300; round++) {
      const a = Int32Array.from({ length: Math.floor(next() * 40) }, () => Math.floor(next() * 4));
      const b = Int32Array.from({ length: Math.floor(next() * 40) }, () => Math.floor(next() * 4));
      const runs = diffSequences(a, b, Number.POSITIVE_INFINITY)!;
      const count = (op: string) => runs.filter((r) => r.op === op).reduce((n, r) => n + r.count, 0);
      const lcs = lcsLength(a, b);
      expect(count('equal')).toBe(lcs);
      expect(count('delete')).toBe(a.length - lcs);
      expect(count('insert')).toBe(b.length - lcs);
      // Replaying the script must turn a into b.
      const rebuilt: number[] = [];
      let ia = 0;
      let ib = 0;
      for (const run of runs) {
        if (run.op === 'equal') {
          for (let k = 0; k < run.count; k++) expect(a[ia + k]).toBe(b[ib + k]);
          rebuilt.push(...a.slice(ia, ia + run.count));
          ia += run.count;
          ib += run.count;
        } else if (run.op === 'delete') ia += run.count;
        else {
          rebuilt.push(...b.slice(ib, ib + run.count));
          ib += run.count;
        }
      }
      expect(rebuilt).toEqual(Array.from(b));
    }
  });

  it('gives up (null) when the work exceeds the budget', () => {
    const a = Int32Array.from({ length: 2000 }, (_, i) => i);
    const b = Int32Array.from({ length: 2000 }, (_, i) => i + 5000);
    expect(diffSequences(a, b, 10_000)).toBeNull();
  });
});

describe('performance on long articles', () => {
  it('diffs a 20,000-character article with scattered edits quickly', () => {
    const next = rng(99);
    const before = randomChineseText(next, 20_000);
    const after = mutate(next, before, 60);
    const started = performance.now();
    const segments = diffText(before, after);
    const elapsed = performance.now() - started;
    expect(segmentsBefore(segments)).toBe(before);
    expect(segmentsAfter(segments)).toBe(after);
    const changedChars = changed(segments).reduce((n, s) => n + s.text.length, 0);
    expect(changedChars).toBeLessThan(1_000);
    expect(elapsed).toBeLessThan(1_000);
  });

  it('stays bounded for two unrelated 20,000-character texts', () => {
    const next = rng(5);
    const before = randomChineseText(next, 20_000).replaceAll('\n', '');
    const after = randomChineseText(next, 20_000).replaceAll('\n', '');
    const started = performance.now();
    const segments = diffText(before, after);
    const elapsed = performance.now() - started;
    expect(segmentsBefore(segments)).toBe(before);
    expect(segmentsAfter(segments)).toBe(after);
    expect(elapsed).toBeLessThan(5_000);
  });
});

describe('diffMeta and diffRevisions', () => {
  const meta = ArticleMetaSchema.parse({
    title: '区委召开常委会会议',
    column: ['首页', '要闻动态'],
    source: '区委办公室',
    meeting: { name: '常委会', place: '区委第一会议室' },
  });

  it('lists changed fields with readable before/after values, in form order', () => {
    const after = {
      ...meta,
      title: '区委召开常委会（扩大）会议',
      column: ['首页', '要闻动态', '政务要闻'],
      meeting: { ...meta.meeting!, place: '区委第二会议室' },
    };
    const changes = diffMeta(meta, after);
    expect(changes.map((c) => c.field)).toEqual(['title', 'column', 'meeting.place']);
    expect(changes[1]).toMatchObject({ beforeText: '首页 > 要闻动态', afterText: '首页 > 要闻动态 > 政务要闻' });
    expect(changes[2]).toMatchObject({ before: '区委第一会议室', after: '区委第二会议室' });
  });

  it('reports nothing for equal metadata and a whole-object change when a meeting is added', () => {
    expect(diffMeta(meta, structuredClone(meta))).toEqual([]);
    const noMeeting = { ...meta, meeting: null };
    expect(diffMeta(noMeeting, meta).map((c) => c.field)).toEqual(['meeting']);
  });

  it('compares two revisions: text inline with counts, metadata as a list', () => {
    const docA: Doc = { type: 'doc', content: [paragraph('会议由张三主持。'), paragraph('共计150余人参加。')] };
    const docB: Doc = { type: 'doc', content: [paragraph('会议由李四主持。'), paragraph('共计150余人参加。'), paragraph('新增一段。')] };
    const diff = diffRevisions({ meta, doc: docA }, { meta: { ...meta, source: '区政府办公室' }, doc: docB });
    expect(diff.deleted).toBe(2);
    expect(diff.inserted).toBe(2 + '\n新增一段。'.length);
    expect(diff.meta).toEqual([
      { field: 'source', before: '区委办公室', after: '区政府办公室', beforeText: '区委办公室', afterText: '区政府办公室' },
    ]);
  });
});

describe('comment anchors', () => {
  const text = '5月20日上午，区委召开常委会会议。会议强调，要抓好安全生产。会议强调，要做好防汛准备。';

  it('stays attached to its passage after text is inserted before it', () => {
    const start = text.indexOf('安全生产');
    const anchor = createAnchor(text, start, start + 4)!;
    const edited = `【要闻】${text.replace('区委召开', '区委书记主持召开')}`;
    const found = locateAnchor(edited, anchor)!;
    expect(edited.slice(found.start, found.end)).toBe('安全生产');
  });

  it('picks the right one of two identical passages by their surroundings', () => {
    const second = text.lastIndexOf('会议强调');
    const anchor = createAnchor(text, second, second + 4)!;
    const edited = text.replace('5月20日上午，', '');
    const found = locateAnchor(edited, anchor)!;
    expect(found.start).toBe(edited.lastIndexOf('会议强调'));
  });

  it('detaches (null) when the passage itself was rewritten, and refuses empty selections', () => {
    const start = text.indexOf('防汛准备');
    const anchor = createAnchor(text, start, start + 4)!;
    expect(locateAnchor(text.replace('防汛准备', '汛期工作'), anchor)).toBeNull();
    expect(createAnchor(text, 3, 3)).toBeNull();
    expect(createAnchor(text, 0, text.length + 1)).toBeNull();
  });
});
