// @vitest-environment jsdom
/// <reference lib="dom" />
import { getSchema } from '@tiptap/core';
import { EditorState } from '@tiptap/pm/state';
import { describe, expect, it } from 'vitest';
import { type Doc, docToPlainText } from '../../../shared/domain/doc';
import { createAnchor, locateAnchor } from '../../../shared/workflow/anchor';
import { articleExtensions } from '../../../renderer/src/editor/extensions';
import { commentHighlightKey, commentHighlightPlugin, setHighlights } from '../../../renderer/src/review/comment-highlight';
import { buildTextMap, selectionToTextRange, textRangeToDocRanges } from '../../../renderer/src/review/text-map';

const schema = getSchema(articleExtensions({ placeholder: () => '', onLinkShortcut: () => {} }));

const text = (value: string, marks?: { type: string }[]) => ({ type: 'text', text: value, ...(marks ? { marks } : {}) });
const paragraph = (...content: object[]) => ({ type: 'paragraph', content });

/** A doc with everything docToPlainText treats specially: headings, marks, hard breaks, images, lists, tables, empty lines. */
const richDoc = {
  type: 'doc',
  content: [
    { type: 'heading', attrs: { level: 2 }, content: [text('一、总体要求')] },
    paragraph(text('各单位要认真落实'), text('安全生产', [{ type: 'bold' }]), text('责任制，'), { type: 'hardBreak' }, text('全面排查。')),
    { type: 'paragraph' },
    { type: 'image', attrs: { src: 'assets/a.png', alt: '', caption: '检查现场' } },
    { type: 'bulletList', content: [{ type: 'listItem', content: [paragraph(text('第一项'))] }] },
    {
      type: 'table',
      content: [{ type: 'tableRow', content: [{ type: 'tableCell', content: [paragraph(text('单元格'))] }] }],
    },
    paragraph(text('Latin words and 中文 mixed.')),
  ],
} as Doc;

describe('plain-text map of the editor document', () => {
  it('rebuilds exactly the text the services anchor comments in', () => {
    const node = schema.nodeFromJSON(richDoc);
    expect(buildTextMap(node).text).toBe(docToPlainText(richDoc));
  });

  it('maps a selection across a mark boundary to the offsets of the quoted passage', () => {
    const node = schema.nodeFromJSON(richDoc);
    const map = buildTextMap(node);
    const wanted = '落实安全生产责任制';
    const start = map.text.indexOf(wanted);
    const [range] = textRangeToDocRanges(map, start, start + wanted.length);
    expect(range).toBeDefined();
    expect(node.textBetween(range!.from, range!.to)).toBe(wanted);
    expect(selectionToTextRange(map, range!.from, range!.to)).toEqual({ start, end: start + wanted.length });
  });

  it('splits a passage spanning two paragraphs into one range per paragraph', () => {
    const node = schema.nodeFromJSON(richDoc);
    const map = buildTextMap(node);
    const start = map.text.indexOf('总体要求');
    const end = map.text.indexOf('各单位') + 3;
    const ranges = textRangeToDocRanges(map, start, end);
    expect(ranges.map((r) => node.textBetween(r.from, r.to))).toEqual(['总体要求', '各单位']);
  });

  it('gives no range for a selection holding only an image or nothing', () => {
    const node = schema.nodeFromJSON(richDoc);
    const map = buildTextMap(node);
    let imagePos = -1;
    node.descendants((child, pos) => {
      if (child.type.name === 'image') imagePos = pos;
      return true;
    });
    expect(selectionToTextRange(map, imagePos, imagePos + 1)).toBeNull();
    expect(selectionToTextRange(map, 5, 5)).toBeNull();
  });
});

describe('comment highlight decorations', () => {
  it('marks the located passage and follows it when text is inserted before it', () => {
    const doc = { type: 'doc', content: [paragraph(text('会议要求落实安全生产责任制。'))] } as Doc;
    let state = EditorState.create({ doc: schema.nodeFromJSON(doc), plugins: [commentHighlightPlugin()] });
    const plain = docToPlainText(doc);
    const anchor = createAnchor(plain, plain.indexOf('安全生产'), plain.indexOf('安全生产') + 4)!;
    const located = locateAnchor(plain, anchor)!;
    state = state.apply(setHighlights(state, [{ id: 'c1', ...located }], 'c1'));
    const marked = () =>
      commentHighlightKey
        .getState(state)!
        .decorations.find()
        .map((d) => state.doc.textBetween(d.from, d.to));
    expect(marked()).toEqual(['安全生产']);
    state = state.apply(state.tr.insertText('全体', 1));
    expect(marked()).toEqual(['安全生产']);
  });
});
