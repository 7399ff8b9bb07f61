import { describe, expect, it } from 'vitest';
import { type Article, ArticleSchema, emptyMeta, newArticle } from '../../../shared/domain/article';
import { type DocNode, heading, paragraph } from '../../../shared/domain/doc';
import {
  ConflictResolveError,
  conflictView,
  docKeyOf,
  mergeArticles,
  mergeBlocks,
  refreshConflict,
  resolveConflict,
  SYNC_CONFLICT_FORMAT,
  type SyncConflictFile,
  SyncConflictFileSchema,
  takeTheirs,
} from '../../../shared/sync/article-merge';

const p = (text: string) => paragraph(text);
const texts = (blocks: readonly DocNode[]) => blocks.map((b) => b.content?.[0]?.text ?? `<${b.type}>`);

function article(blocks: DocNode[], meta: Partial<Article['meta']> = {}): Article {
  return newArticle('article-0001', '2026-03-01T08:00:00.000Z', { ...emptyMeta('blank'), title: '区政府召开常务会议', ...meta }, { type: 'doc', content: blocks });
}

/** The merged article of three versions, and a conflict view as the sync service would store it. */
function merge(base: Article | null, mine: Article, theirs: Article) {
  const result = mergeArticles(base, mine, theirs);
  // Whatever the merge decides, the article it leaves is valid JSON of a valid article.
  expect(ArticleSchema.safeParse(JSON.parse(JSON.stringify(result.article))).success).toBe(true);
  const file: SyncConflictFile = {
    format: SYNC_CONFLICT_FORMAT,
    articleId: mine.id,
    title: result.article.meta.title,
    detectedAt: '2026-03-02T08:00:00.000Z',
    theirsBy: { personId: 'r1', name: '李初审' },
    theirsAt: '2026-03-02T07:00:00.000Z',
    theirsCommit: 'a'.repeat(40),
    revisionId: 'rev-1',
    docKey: docKeyOf(result.article.doc.content),
    fields: result.fields,
    hunks: result.hunks,
  };
  expect(SyncConflictFileSchema.safeParse(JSON.parse(JSON.stringify(file))).success).toBe(true);
  return { ...result, view: conflictView(file) };
}

const base = article([heading(2, '会议要点'), p('第一段'), p('第二段'), p('第三段')]);

describe('merging two desktops’ versions of an article', () => {
  it('takes edits of different blocks from both sides, adjacent ones included', () => {
    const mine = article([heading(2, '会议要点'), p('第一段（本机改）'), p('第二段'), p('第三段')]);
    const theirs = article([heading(2, '会议要点'), p('第一段'), p('第二段（对方改）'), p('第三段'), p('第四段（对方加）')]);
    const { article: merged, hunks, fields } = merge(base, mine, theirs);
    expect(hunks).toEqual([]);
    expect(fields).toEqual([]);
    expect(texts(merged.doc.content)).toEqual(['会议要点', '第一段（本机改）', '第二段（对方改）', '第三段', '第四段（对方加）']);
  });

  it('merges an edit on one side with a deletion of another block on the other', () => {
    const mine = article([heading(2, '会议要点'), p('第一段（本机改）'), p('第二段'), p('第三段')]);
    const theirs = article([heading(2, '会议要点'), p('第一段'), p('第三段')]);
    expect(texts(merge(base, mine, theirs).article.doc.content)).toEqual(['会议要点', '第一段（本机改）', '第三段']);
  });

  it('keeps one copy of the same change made on both sides', () => {
    const same = article([heading(2, '会议要点'), p('第一段'), p('第二段（两边一样）'), p('第三段')], { title: '新标题' });
    const { article: merged, hunks, fields } = merge(base, same, structuredClone(same));
    expect(hunks).toEqual([]);
    expect(fields).toEqual([]);
    expect(texts(merged.doc.content)).toEqual(['会议要点', '第一段', '第二段（两边一样）', '第三段']);
    expect(merged.meta.title).toBe('新标题');
  });

  it('gives a hunk with both texts when both changed the same block, and keeps this desktop’s in the article', () => {
    const mine = article([heading(2, '会议要点'), p('第一段'), p('第二段：本机的说法'), p('第三段')]);
    const theirs = article([heading(2, '会议要点'), p('第一段'), p('第二段：对方的说法'), p('第三段（对方改）')]);
    const { article: merged, hunks } = merge(base, mine, theirs);
    expect(hunks).toHaveLength(1);
    expect(hunks[0]).toMatchObject({ id: 'h1', kind: 'both_changed', at: 2 });
    expect(texts(hunks[0]!.base)).toEqual(['第二段']);
    expect(texts(hunks[0]!.mine)).toEqual(['第二段：本机的说法']);
    expect(texts(hunks[0]!.theirs)).toEqual(['第二段：对方的说法']);
    // The other side's change elsewhere still lands.
    expect(texts(merged.doc.content)).toEqual(['会议要点', '第一段', '第二段：本机的说法', '第三段（对方改）']);
  });

  it('gives a hunk when one side deleted a block the other edited, either way round', () => {
    const deleted = article([heading(2, '会议要点'), p('第一段'), p('第三段')]);
    const edited = article([heading(2, '会议要点'), p('第一段'), p('第二段（改过）'), p('第三段')]);
    const here = merge(base, deleted, edited);
    expect(here.hunks).toMatchObject([{ kind: 'deleted_here', mine: [], at: 2 }]);
    expect(texts(here.hunks[0]!.theirs)).toEqual(['第二段（改过）']);
    expect(texts(here.article.doc.content)).toEqual(['会议要点', '第一段', '第三段']);
    const there = merge(base, edited, deleted);
    expect(there.hunks).toMatchObject([{ kind: 'deleted_there', theirs: [] }]);
    expect(texts(there.article.doc.content)).toContain('第二段（改过）');
  });

  it('gives an added_both hunk for different blocks added at the same place', () => {
    const mine = article([...base.doc.content, p('本机补充')]);
    const theirs = article([...base.doc.content, p('对方补充')]);
    const { hunks, article: merged } = merge(base, mine, theirs);
    expect(hunks).toMatchObject([{ kind: 'added_both', base: [], at: 4 }]);
    expect(texts(merged.doc.content).at(-1)).toBe('本机补充');
  });

  it('merges metadata per field and reports a field both changed differently', () => {
    const mine = article(base.doc.content, { title: '本机标题', keywords: ['常务会议'] });
    const theirs = article(base.doc.content, { title: '对方标题', source: '区政府办公室' });
    const { article: merged, fields, hunks } = merge(base, mine, theirs);
    expect(hunks).toEqual([]);
    expect(fields).toEqual([{ field: 'meta.title', base: '区政府召开常务会议', mine: '本机标题', theirs: '对方标题' }]);
    expect(merged.meta).toMatchObject({ title: '本机标题', keywords: ['常务会议'], source: '区政府办公室' });
  });

  it('treats two independently created versions as conflicts, never picking one silently', () => {
    const mine = article([p('本机的稿子')], { title: '本机' });
    const theirs = article([p('对方的稿子')], { title: '对方' });
    const { hunks, fields } = merge(null, mine, theirs);
    expect(hunks).toMatchObject([{ kind: 'added_both' }]);
    expect(fields.map((f) => f.field)).toEqual(['meta.title']);
  });

  it('leaves blocks matched by content when a long document is edited in many places', () => {
    const long = Array.from({ length: 400 }, (_, i) => p(`段落 ${i}`));
    const mine = long.map((b, i) => (i % 50 === 0 ? p(`段落 ${i}（本机）`) : b));
    const theirs = long.map((b, i) => (i % 50 === 25 ? p(`段落 ${i}（对方）`) : b));
    const { blocks, hunks } = mergeBlocks(long, mine, theirs);
    expect(hunks).toEqual([]);
    expect(blocks).toHaveLength(400);
    expect(texts(blocks).filter((t) => t.includes('（'))).toHaveLength(16);
  });
});

describe('deciding a conflict', () => {
  const mine = article([heading(2, '会议要点'), p('第一段：本机'), p('第二段'), p('第三段'), p('本机补充')], { title: '本机标题' });
  const theirs = article([heading(2, '会议要点'), p('第一段：对方'), p('第二段'), p('第三段'), p('对方补充')], { title: '对方标题' });
  const conflicted = () => merge(base, mine, theirs);

  it('applies mine, theirs and both per hunk, and mine or theirs per field', () => {
    const { article: merged, view } = conflicted();
    expect(view.hunks.map((h) => h.kind)).toEqual(['both_changed', 'added_both']);
    const decided = resolveConflict(merged, view, {
      hunks: [
        { id: 'h1', take: 'theirs' },
        { id: 'h2', take: 'both' },
      ],
      fields: [{ field: 'meta.title', take: 'theirs' }],
    });
    expect(texts(decided.doc.content)).toEqual(['会议要点', '第一段：对方', '第二段', '第三段', '本机补充', '对方补充']);
    expect(decided.meta.title).toBe('对方标题');
    const kept = resolveConflict(merged, view, {
      hunks: [
        { id: 'h1', take: 'mine' },
        { id: 'h2', take: 'mine' },
      ],
      fields: [{ field: 'meta.title', take: 'mine' }],
    });
    expect(kept).toEqual(ArticleSchema.parse(merged));
  });

  it('refuses a decision that leaves a hunk or field undecided, names one twice, or names an unknown one', () => {
    const { article: merged, view } = conflicted();
    const all = { fields: [{ field: 'meta.title', take: 'mine' as const }] };
    expect(() => resolveConflict(merged, view, { hunks: [{ id: 'h1', take: 'mine' }], ...all })).toThrow(/还有 1 处没有决定：h2/);
    expect(() =>
      resolveConflict(merged, view, { hunks: [{ id: 'h1', take: 'mine' }, { id: 'h1', take: 'theirs' }, { id: 'h2', take: 'mine' }], ...all }),
    ).toThrow(/h1 被决定了两次/);
    expect(() => resolveConflict(merged, view, { hunks: [{ id: 'h9', take: 'mine' }], ...all })).toThrow(ConflictResolveError);
  });

  it('finds a hunk by its blocks after the person edited elsewhere, and refuses one whose blocks were edited', () => {
    const { article: merged, view } = conflicted();
    const shifted = { ...merged, doc: { ...merged.doc, content: [p('新加的导语'), ...merged.doc.content] } };
    const decided = resolveConflict(shifted, view, {
      hunks: [
        { id: 'h1', take: 'theirs' },
        { id: 'h2', take: 'theirs' },
      ],
      fields: [{ field: 'meta.title', take: 'mine' }],
    });
    expect(texts(decided.doc.content)).toEqual(['新加的导语', '会议要点', '第一段：对方', '第二段', '第三段', '对方补充']);

    const content = merged.doc.content.map((b) => (texts([b])[0] === '第一段：本机' ? p('第一段：本机又改了') : b));
    const edited = { ...merged, doc: { ...merged.doc, content } };
    expect(() =>
      resolveConflict(edited, view, {
        hunks: [
          { id: 'h1', take: 'theirs' },
          { id: 'h2', take: 'theirs' },
        ],
        fields: [{ field: 'meta.title', take: 'mine' }],
      }),
    ).toThrow(/第 h1 处冲突的段落在合并后又被修改/);
  });

  it('refuses to place a hunk with no blocks of its own once the document changed', () => {
    const deleted = article([heading(2, '会议要点'), p('第一段'), p('第三段')]);
    const edited = article([heading(2, '会议要点'), p('第一段'), p('第二段（改过）'), p('第三段')]);
    const { article: merged, view } = merge(base, deleted, edited);
    const restored = resolveConflict(merged, view, { hunks: [{ id: 'h1', take: 'theirs' }], fields: [] });
    expect(texts(restored.doc.content)).toEqual(['会议要点', '第一段', '第二段（改过）', '第三段']);
    const changed = { ...merged, doc: { ...merged.doc, content: [...merged.doc.content, p('后来写的')] } };
    expect(() => resolveConflict(changed, view, { hunks: [{ id: 'h1', take: 'theirs' }], fields: [] })).toThrow(ConflictResolveError);
  });
});

describe('what the office keeps while a conflict waits', () => {
  const content = (a: Article) => ({ meta: a.meta, blocks: texts(a.doc.content) });

  it('the other side’s version in every undecided part, this desktop’s merged changes elsewhere', () => {
    const mine = article([heading(2, '会议要点'), p('第一段（本机改）'), p('第二段：本机的说法'), p('第三段')], { title: '本机的标题' });
    const theirs = article([heading(2, '会议要点'), p('第一段'), p('第二段：对方的说法'), p('第三段（对方改）')], { title: '对方的标题' });
    const result = mergeArticles(base, mine, theirs);
    expect(result.hunks).toHaveLength(1);
    expect(result.fields.map((f) => f.field)).toEqual(['meta.title']);
    const office = takeTheirs(result.article, result.hunks, result.fields);
    expect(texts(office.doc.content)).toEqual(['会议要点', '第一段（本机改）', '第二段：对方的说法', '第三段（对方改）']);
    expect(office.meta.title).toBe('对方的标题');
    // This desktop keeps its own text in the conflict.
    expect(texts(result.article.doc.content)).toEqual(['会议要点', '第一段（本机改）', '第二段：本机的说法', '第三段（对方改）']);
  });

  it('strict: a change made here only is a part to decide too, so the office’s copy is the other side’s exactly', () => {
    const mine = article([heading(2, '会议要点'), p('第一段（本机改）'), p('第二段'), p('第三段'), p('本机加的一段')], { subtitle: '本机的副题' });
    const theirs = article([heading(2, '会议要点'), p('第一段'), p('第二段（对方改）'), p('第三段')]);
    const loose = mergeArticles(base, mine, theirs);
    expect(loose.hunks).toEqual([]);
    const strict = mergeArticles(base, mine, theirs, { strict: true });
    expect(strict.hunks.map((h) => texts(h.mine))).toEqual([['第一段（本机改）'], ['本机加的一段']]);
    expect(strict.fields.map((f) => f.field)).toEqual(['meta.subtitle']);
    // The other side's change is taken; this desktop's stay in its text.
    expect(texts(strict.article.doc.content)).toEqual(['会议要点', '第一段（本机改）', '第二段（对方改）', '第三段', '本机加的一段']);
    expect(content(takeTheirs(strict.article, strict.hunks, strict.fields))).toEqual(content(theirs));
  });

  it('a conflict made again when the other side changed the article again: newer changes taken elsewhere, nothing of this desktop’s taken silently', () => {
    const mine = article([heading(2, '会议要点'), p('第一段'), p('第二段：本机的说法'), p('第三段')]);
    const theirs = article([heading(2, '会议要点'), p('第一段'), p('第二段：对方的说法'), p('第三段')]);
    const first = mergeArticles(base, mine, theirs);
    const office = takeTheirs(first.article, first.hunks, first.fields);
    // The other desktop edits another block, and nothing of the conflicted one.
    const newer = { ...office, doc: { ...office.doc, content: [heading(2, '会议要点'), p('第一段（对方又改）'), p('第二段：对方的说法'), p('第三段')] } };
    const refreshed = refreshConflict({ previous: first, workspace: first.article, before: office, after: newer });
    expect(texts(refreshed.article.doc.content)).toEqual(['会议要点', '第一段（对方又改）', '第二段：本机的说法', '第三段']);
    expect(refreshed.hunks).toHaveLength(1);
    // Still the same disagreement: the person is shown the base both started from.
    expect(texts(refreshed.hunks[0]!.base)).toEqual(['第二段']);
    expect(texts(refreshed.hunks[0]!.theirs)).toEqual(['第二段：对方的说法']);
    expect(content(takeTheirs(refreshed.article, refreshed.hunks, refreshed.fields))).toEqual(content(newer));

    // Then the other desktop rewrites the conflicted block once more: the part to decide shows the newest.
    const newest = { ...newer, doc: { ...newer.doc, content: [heading(2, '会议要点'), p('第一段（对方又改）'), p('第二段：对方第三次'), p('第三段')] } };
    const again = refreshConflict({ previous: refreshed, workspace: refreshed.article, before: newer, after: newest });
    expect(texts(again.article.doc.content)).toEqual(['会议要点', '第一段（对方又改）', '第二段：本机的说法', '第三段']);
    expect(again.hunks.map((h) => [texts(h.mine), texts(h.theirs)])).toEqual([[['第二段：本机的说法'], ['第二段：对方第三次']]]);
    expect(content(takeTheirs(again.article, again.hunks, again.fields))).toEqual(content(newest));
  });
});
