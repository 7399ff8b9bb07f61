// @vitest-environment jsdom
import { getSchema } from '@tiptap/core';
import { Node as PmNode } from '@tiptap/pm/model';
import { EditorState, type Transaction } from '@tiptap/pm/state';
import { describe, expect, it } from 'vitest';
import { ArticleMetaSchema } from '../../../shared/domain/article';
import type { Doc } from '../../../shared/domain/doc';
import { articleCounts } from '../../../shared/proofread/engine';
import { countBlocks } from '../../../shared/text/count';
import { countDoc, countedBlocksOf } from '../../../renderer/src/editor/counts';
import { articleExtensions } from '../../../renderer/src/editor/extensions';

const schema = getSchema(articleExtensions({ placeholder: () => '', onLinkShortcut: () => {} }));
const text = (t: string) => ({ type: 'text', text: t });
const p = (...content: { type: string; text?: string }[]) => ({ type: 'paragraph', content });

const start: Doc = {
  type: 'doc',
  content: [
    { type: 'heading', attrs: { level: 2 }, content: [text('开发区召开2024年第3次主任办公会')] },
    p(text('会议由主任主持。'), { type: 'hardBreak' }, text('增长3.5%, GDP达到12.8亿元。')),
    { type: 'image', attrs: { src: 'assets/a.jpg', alt: '', title: null, caption: '会议现场' } },
    { type: 'bulletList', content: [{ type: 'listItem', content: [p(text("第一条：don't panic！"))] }] },
    { type: 'blockquote', content: [p(text('“引文”……'))] },
    {
      type: 'table',
      content: [{ type: 'tableRow', content: [{ type: 'tableCell', content: [p(text('单元格A1'))] }, { type: 'tableCell', content: [p(text('B'))] }] }],
    },
    p(text('会议强调，要抓好落实。')),
  ],
};

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

const SNIPPETS = ['字', '，', '政府', ' ', 'GDP', '3.5', '\n', '“', 'don’t', '　'];

/** One edit a writer could make: type, delete, split or join paragraphs, change a caption, add or drop a block. */
function randomEdit(state: EditorState, next: () => number): Transaction {
  const tr = state.tr;
  const size = state.doc.content.size;
  const pick = (n: number) => Math.floor(next() * n);
  // Positions inside text blocks, where typing can happen.
  const textPositions: number[] = [];
  state.doc.descendants((node, pos) => {
    if (node.isTextblock) for (let i = 0; i <= node.content.size; i++) textPositions.push(pos + 1 + i);
    return true;
  });
  const at = textPositions[pick(textPositions.length)] ?? 1;
  switch (pick(6)) {
    case 0: {
      const snippet = SNIPPETS[pick(SNIPPETS.length)]!;
      if (snippet === '\n') tr.insert(at, schema.nodes.hardBreak!.create());
      else tr.insertText(snippet, at);
      break;
    }
    case 1: {
      const to = Math.min(size, at + 1 + pick(12));
      try {
        tr.delete(at, to);
      } catch {
        tr.insertText('删', at);
      }
      break;
    }
    case 2:
      tr.split(at);
      break;
    case 3: {
      let image: { pos: number; node: PmNode } | null = null;
      state.doc.descendants((node, pos) => {
        if (!image && node.type.name === 'image') image = { pos, node };
        return !image;
      });
      const found = image as { pos: number; node: PmNode } | null;
      if (found) tr.setNodeMarkup(found.pos, undefined, { ...found.node.attrs, caption: `${found.node.attrs.caption ?? ''}图${pick(10)}` });
      else tr.insert(0, schema.nodes.image!.create({ src: 'assets/b.jpg', caption: '新图' }));
      break;
    }
    case 4:
      tr.insert(0, schema.nodes.paragraph!.create(null, schema.text(`第${pick(100)}段 text`)));
      break;
    default: {
      const first = state.doc.firstChild;
      if (first && state.doc.childCount > 1) tr.delete(0, first.nodeSize);
      else tr.insertText('末', at);
    }
  }
  return tr;
}

describe('counts while typing', () => {
  it('after hundreds of random edits, the counts kept up edit by edit equal a full count (and the 校对 tab’s)', () => {
    const next = random(20_240_521);
    let state = EditorState.create({ schema, doc: PmNode.fromJSON(schema, start) });
    // Counted once up front, as when the article opens; every later count reuses what did not change.
    countDoc(state.doc);
    for (let step = 0; step < 400; step++) {
      const tr = randomEdit(state, next);
      state = state.apply(tr);
      const kept = countDoc(state.doc);
      const full = countBlocks(countedBlocksOf(state.doc));
      expect(kept, `after edit ${step}`).toEqual(full);
      if (step % 50 === 0) {
        const proofTab = articleCounts({ meta: ArticleMetaSchema.parse({}), doc: state.doc.toJSON() as Doc });
        expect(kept.words).toBe(proofTab.characters);
        expect(kept.han).toBe(proofTab.hanCharacters);
        expect(kept.paragraphs).toBe(proofTab.paragraphs);
        expect(kept.images).toBe(proofTab.images);
      }
    }
  });

  it('a keystroke in a long article counts only the edited paragraph again', () => {
    const paragraphs = Array.from({ length: 800 }, (_, i) => p(text(`第${i}段：会议强调，要抓好落实，确保各项工作取得实效。`)));
    let state = EditorState.create({ schema, doc: PmNode.fromJSON(schema, { type: 'doc', content: paragraphs }) });
    const before = countDoc(state.doc);
    state = state.apply(state.tr.insertText('字', 3));
    const spy = { blocks: 0 };
    const original = String.prototype.matchAll;
    // Each block counted runs the token pattern over its text once.
    String.prototype.matchAll = function (this: string, pattern: RegExp) {
      spy.blocks++;
      return original.call(this, pattern);
    } as typeof original;
    try {
      const after = countDoc(state.doc);
      expect(after.words).toBe(before.words + 1);
      expect(after.han).toBe(before.han + 1);
    } finally {
      String.prototype.matchAll = original;
    }
    expect(spy.blocks).toBe(1);
  });
});
