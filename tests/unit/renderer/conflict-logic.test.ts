import { describe, expect, it } from 'vitest';
import type { ConflictHunk, SyncConflictView } from '../../../shared/api/contract/sync';
import { emptyMeta, newArticle } from '../../../shared/domain/article';
import { type Doc, type DocNode, paragraph } from '../../../shared/domain/doc';
import { docKeyOf, mergeArticles, resolveConflict } from '../../../shared/sync/article-merge';
import {
  blocksText,
  carryChoices,
  changedRanges,
  decisionProgress,
  fieldValueText,
  NO_CHOICES,
  previewDoc,
  resolveRequest,
  sideDifferences,
} from '../../../renderer/src/screens/editor/conflict/conflict-logic';

const p = (text: string) => paragraph(text);
const doc = (...blocks: DocNode[]): Doc => ({ type: 'doc', content: blocks });
const texts = (d: Doc | null) => d?.content.map((block) => blocksText([block]).trimEnd()) ?? null;

function hunk(id: string, at: number, mine: DocNode[], theirs: DocNode[], base: DocNode[] = [p('原文')]): ConflictHunk {
  return { id, kind: mine.length === 0 ? 'deleted_here' : theirs.length === 0 ? 'deleted_there' : 'both_changed', base, mine, theirs, at };
}

function conflictView(hunks: ConflictHunk[], fields: SyncConflictView['fields'] = []): SyncConflictView {
  return { articleId: 'art_123456', title: '会议纪要', detectedAt: '2025-03-01T08:00:00.000Z', theirsBy: null, theirsAt: null, fields, hunks, revisionId: null };
}

/** The article as the merge left it: this desktop's blocks at each hunk, other blocks merged. */
const merged = doc(p('导语'), p('我方第二段'), p('中间'), p('我方第四段'), p('结尾'));
const second = hunk('h1', 1, [p('我方第二段')], [p('对方第二段')]);
const fourth = hunk('h2', 3, [p('我方第四段')], [p('对方第四段')]);

describe('the preview of the decided text', () => {
  it('两者都保留 puts this desktop’s blocks first, then the other’s, in place of the hunk', () => {
    expect(texts(previewDoc(merged, [second, fourth], { h1: 'both', h2: 'theirs' }))).toEqual([
      '导语',
      '我方第二段',
      '对方第二段',
      '中间',
      '对方第四段',
      '结尾',
    ]);
  });

  it('keeps this desktop’s blocks where nothing is decided yet, and the original is not changed', () => {
    const before = JSON.stringify(merged);
    expect(texts(previewDoc(merged, [second, fourth], { h2: 'both' }))).toEqual(['导语', '我方第二段', '中间', '我方第四段', '对方第四段', '结尾']);
    expect(JSON.stringify(merged)).toBe(before);
  });

  it('puts the other side’s blocks back where this desktop deleted them, and deletes where the other side did', () => {
    const deletedHere = hunk('h1', 1, [], [p('对方改过的第二段')], [p('第二段')]);
    const deletedThere = hunk('h2', 2, [p('我方改过的第四段')], [], [p('第四段')]);
    const d = doc(p('导语'), p('中间'), p('我方改过的第四段'), p('结尾'));
    expect(texts(previewDoc(d, [deletedHere, deletedThere], { h1: 'theirs', h2: 'theirs' }))).toEqual(['导语', '对方改过的第二段', '中间', '结尾']);
  });

  it('gives no preview (rather than a wrong one) when the document no longer holds this desktop’s blocks where the hunk says', () => {
    const edited = doc(p('导语'), p('我方第二段，又改了'), p('中间'), p('我方第四段'), p('结尾'));
    expect(previewDoc(edited, [second, fourth], { h1: 'theirs' })).toBeNull();
    expect(previewDoc(doc(p('导语')), [second], {})).toBeNull();
  });
});

describe('deciding', () => {
  const fields = [{ field: 'meta.title', base: '原题', mine: '我方标题', theirs: '对方标题' }];

  it('counts hunks and fields, and asks the services only once every one is decided', () => {
    const view = conflictView([second, fourth], fields);
    const partly = { hunks: { h1: 'mine' as const, h2: 'both' as const }, fields: {} };
    expect(decisionProgress(view, { hunks: { h1: 'mine' }, fields: {} })).toEqual({ decided: 1, total: 3 });
    expect(resolveRequest(view, { hunks: { h1: 'mine' }, fields: {} })).toBeNull();
    // Both hunks decided, the title not: still nothing is sent.
    expect(resolveRequest(view, partly)).toBeNull();
    const done = { hunks: { h1: 'mine' as const, h2: 'both' as const }, fields: { 'meta.title': 'theirs' as const } };
    expect(decisionProgress(view, done)).toEqual({ decided: 3, total: 3 });
    expect(resolveRequest(view, done)).toEqual({
      articleId: 'art_123456',
      hunks: [
        { id: 'h1', take: 'mine' },
        { id: 'h2', take: 'both' },
      ],
      fields: [{ field: 'meta.title', take: 'theirs' }],
    });
  });

  it('keeps a choice for a newer answer only where the two sides are still exactly the same', () => {
    const before = conflictView([second, fourth], fields);
    const choices = { hunks: { h1: 'theirs' as const, h2: 'both' as const }, fields: { 'meta.title': 'mine' as const } };
    const changedFourth = hunk('h2', 3, [p('我方第四段')], [p('对方又改了第四段')]);
    const after = conflictView([second, changedFourth], [{ ...fields[0]!, theirs: '对方新标题' }]);
    expect(carryChoices(before, after, choices)).toEqual({ hunks: { h1: 'theirs' }, fields: {} });
    expect(carryChoices(null, after, choices)).toEqual(NO_CHOICES);
  });
});

describe('what differs between the two sides', () => {
  it('marks exactly the characters each side has and the other does not', () => {
    const mine = [p('会议由张三主持。'), p('共同的一段')];
    const theirs = [p('会议由李四主持。'), p('共同的一段')];
    const ranges = sideDifferences({ base: [], mine, theirs });
    const mineText = blocksText(mine);
    const theirsText = blocksText(theirs);
    expect(ranges.mine.map((r) => mineText.slice(r.start, r.end))).toEqual(['张三']);
    expect(ranges.theirs.map((r) => theirsText.slice(r.start, r.end))).toEqual(['李四']);
  });

  it('compares the surviving side with the original when the other side deleted the part', () => {
    const base = [p('原来的第三段')];
    const theirs = [p('原来的第三段，补充一句')];
    const ranges = sideDifferences({ base, mine: [], theirs });
    expect(ranges.mine).toEqual([]);
    expect(ranges.theirs.map((r) => blocksText(theirs).slice(r.start, r.end))).toEqual(['，补充一句']);
  });

  it('does not mark block boundaries, only characters', () => {
    const { added } = changedRanges('甲\n', '甲\n乙\n丙\n');
    expect(added.map((r) => '甲\n乙\n丙\n'.slice(r.start, r.end))).toEqual(['乙', '丙']);
  });

  it('reads text, hard breaks and nested blocks in the order they are shown', () => {
    const list: DocNode = {
      type: 'bulletList',
      content: [{ type: 'listItem', content: [p('一'), { type: 'paragraph', content: [{ type: 'text', text: '二' }, { type: 'hardBreak' }, { type: 'text', text: '三' }] }] }],
    };
    expect(blocksText([list, { type: 'horizontalRule' }, p('四')])).toBe('一\n二\n三\n四\n');
  });
});

describe('field values', () => {
  it('reads each kind of metadata value as the form shows it', () => {
    expect(fieldValueText('meta.title', '标题')).toBe('标题');
    expect(fieldValueText('meta.column', ['首页', '要闻动态'])).toBe('首页 > 要闻动态');
    expect(fieldValueText('meta.keywords', ['生态', '调水'])).toBe('生态、调水');
    expect(fieldValueText('meta.publishAt', '2025-03-01T09:30')).toBe('2025-03-01 09:30');
    expect(fieldValueText('meta.cover', { src: 'assets/a.png', alt: '会场' })).toBe('会场（assets/a.png）');
    expect(fieldValueText('meta.subtitle', '')).toBe('');
    expect(fieldValueText('meta.cover', null)).toBe('');
  });
});

describe('the preview and the merge module decide alike', () => {
  it('previews exactly the text the shared resolver stores for the same choices', () => {
    const base = doc(p('导语'), p('第二段'), p('中间'), p('第四段'), p('第五段'), p('结尾'));
    const mine = doc(p('导语'), p('我方第二段'), p('中间'), p('第五段'), p('我方结尾'));
    const theirs = doc(p('导语'), p('对方第二段'), p('中间'), p('对方改了第四段'), p('第五段'), p('对方结尾'));
    const article = (d: Doc) => newArticle('art_123456', '2025-03-01T08:00:00.000Z', emptyMeta('blank'), d);
    const result = mergeArticles(article(base), article(mine), article(theirs));
    expect(result.hunks.map((h) => h.kind)).toEqual(['both_changed', 'deleted_here', 'both_changed']);
    const view = { ...conflictView(result.hunks), docKey: docKeyOf(result.article.doc.content) };
    for (const takes of [
      ['both', 'theirs', 'both'],
      ['mine', 'mine', 'theirs'],
      ['theirs', 'theirs', 'mine'],
    ] as const) {
      const choices = Object.fromEntries(result.hunks.map((h, i) => [h.id, takes[i]!]));
      const stored = resolveConflict(result.article, view, { hunks: result.hunks.map((h, i) => ({ id: h.id, take: takes[i]! })), fields: [] });
      expect(previewDoc(result.article.doc, result.hunks, choices)?.content).toEqual(stored.doc.content);
    }
  });
});
