import type { Doc, DocNode } from '../domain/doc';

/** One text block of the article, at its offset in `docToPlainText(doc)`. */
export interface TextBlock {
  start: number;
  text: string;
  node: DocNode;
}

/**
 * The text blocks in the order, and with the offsets, of `docToPlainText`
 * (blocks joined by '\n'), so findings can be placed in a paragraph.
 */
export function textBlocks(doc: Doc): TextBlock[] {
  const blocks: TextBlock[] = [];
  let offset = 0;
  const inline = (n: DocNode, sink: string[]): void => {
    if (n.type === 'text') sink.push(n.text ?? '');
    else if (n.type === 'hardBreak') sink.push('\n');
    else if (n.type === 'image') {
      const caption = typeof n.attrs?.caption === 'string' ? n.attrs.caption : '';
      if (caption) sink.push(caption);
    } else for (const child of n.content ?? []) inline(child, sink);
  };
  const visit = (n: DocNode): void => {
    if (n.type === 'paragraph' || n.type === 'heading' || n.type === 'image') {
      const sink: string[] = [];
      inline(n, sink);
      const text = sink.join('');
      blocks.push({ start: offset, text, node: n });
      offset += text.length + 1;
      return;
    }
    for (const child of n.content ?? []) visit(child);
  };
  visit(doc);
  return blocks;
}

/** True for a CJK ideograph (BMP ranges; enough for checks that look at neighbours). */
export function isHanCode(code: number): boolean {
  return (code >= 0x4e00 && code <= 0x9fff) || (code >= 0x3400 && code <= 0x4dbf) || (code >= 0xf900 && code <= 0xfaff);
}

/** Full-width Chinese punctuation. */
export const CHINESE_PUNCTUATION = '，。、；：？！“”‘’（）《》〈〉【】—…·「」';
