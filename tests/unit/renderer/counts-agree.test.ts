// @vitest-environment jsdom
import { getSchema } from '@tiptap/core';
import { Node as PmNode } from '@tiptap/pm/model';
import { describe, expect, it } from 'vitest';
import { ArticleMetaSchema } from '../../../shared/domain/article';
import type { Doc } from '../../../shared/domain/doc';
import { articleCounts } from '../../../shared/proofread/engine';
import { countDoc } from '../../../renderer/src/editor/counts';
import { articleExtensions } from '../../../renderer/src/editor/extensions';

const schema = getSchema(articleExtensions({ placeholder: () => '', onLinkShortcut: () => {} }));
const text = (t: string) => ({ type: 'text', text: t });
const p = (...content: { type: string; text?: string }[]) => ({ type: 'paragraph', content });

/** A document with everything that used to make the two counts drift apart. */
const doc: Doc = {
  type: 'doc',
  content: [
    { type: 'heading', attrs: { level: 2 }, content: [text('开发区召开2024年第3次主任办公会')] },
    // A line break inside a paragraph is still one paragraph.
    p(text('会议由主任主持。'), { type: 'hardBreak' }, text('增长3.5%, GDP达到12.8亿元; (同比) - 完成.')),
    p(),
    { type: 'image', attrs: { src: 'assets/a.jpg', alt: '现场', title: null, caption: '会议现场' } },
    { type: 'bulletList', content: [{ type: 'listItem', content: [p(text('第一条：don\'t panic！'))] }] },
    { type: 'blockquote', content: [p(text('“引文”……'))] },
    {
      type: 'table',
      content: [{ type: 'tableRow', content: [{ type: 'tableCell', content: [p(text('单元格A1'))] }, { type: 'tableCell', content: [p(text('B'))] }] }],
    },
    p(text('   ')),
  ],
};

describe('one count for every place that shows one', () => {
  it('the editor status line and the 校对 tab give the same 字数, Han characters and paragraphs for the same document', () => {
    const header = countDoc(PmNode.fromJSON(schema, doc));
    const proofTab = articleCounts({ meta: ArticleMetaSchema.parse({}), doc });
    expect(header.words).toBe(proofTab.characters);
    expect(header.han).toBe(proofTab.hanCharacters);
    expect(header.paragraphs).toBe(proofTab.paragraphs);
    expect(header.images).toBe(proofTab.images);
    expect(header.readingMinutes).toBe(proofTab.readingMinutes);
  });

  it('counts what a writer expects: a line break is not a new paragraph, 3.5 is one number, ASCII punctuation counts', () => {
    const counts = countDoc(PmNode.fromJSON(schema, doc));
    // heading, the two-line paragraph, list item, quote, two table cells; the empty and blank paragraphs and the image do not count.
    expect(counts.paragraphs).toBe(6);
    expect(counts.images).toBe(1);
    const line = countDoc(PmNode.fromJSON(schema, { type: 'doc', content: [p(text('增长3.5%, GDP.'))] }));
    // 增 长 3.5 % , GDP .
    expect(line.words).toBe(7);
    expect(line.han).toBe(2);
  });
});
