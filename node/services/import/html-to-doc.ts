import type { Doc, DocMark, DocNode } from '../../../shared/domain/doc';
import { type HtmlElement, type HtmlNode, parseHtml } from './html';

/**
 * Converts the limited HTML mammoth emits (p, h1–h6, ul/ol/li, table, strong,
 * em, u, s, a, img, br, sup/sub) into our Doc JSON, using only node and mark
 * types from shared/domain/doc.ts. Unknown tags are see-through: their text is
 * kept, their formatting is not.
 */

const MARK_TAGS: Record<string, string> = {
  strong: 'bold',
  b: 'bold',
  em: 'italic',
  i: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strike',
  del: 'strike',
  strike: 'strike',
  code: 'code',
};

const SAFE_LINK = /^(?:https?:|mailto:)/iu;

function isElement(node: HtmlNode): node is HtmlElement {
  return typeof node !== 'string';
}

function sameMarks(a: DocMark[] | undefined, b: DocMark[] | undefined): boolean {
  return JSON.stringify(a ?? []) === JSON.stringify(b ?? []);
}

/** Adjacent text with the same marks becomes one node; edges lose the indentation spaces. */
function tidyInline(nodes: DocNode[]): DocNode[] {
  const merged: DocNode[] = [];
  for (const node of nodes) {
    const last = merged[merged.length - 1];
    if (node.type === 'text' && last?.type === 'text' && sameMarks(last.marks, node.marks)) {
      last.text = (last.text ?? '') + (node.text ?? '');
    } else {
      merged.push({ ...node });
    }
  }
  const first = merged[0];
  if (first?.type === 'text') first.text = (first.text ?? '').replace(/^[\s\u3000]+/u, '');
  const last = merged[merged.length - 1];
  if (last?.type === 'text') last.text = (last.text ?? '').replace(/[\s\u3000]+$/u, '');
  while (merged[merged.length - 1]?.type === 'hardBreak') merged.pop();
  return merged.filter((node) => node.type !== 'text' || (node.text ?? '') !== '');
}

function textBlock(type: 'paragraph' | 'heading', inline: DocNode[], attrs?: Record<string, unknown>): DocNode | null {
  const content = tidyInline(inline);
  if (content.length === 0 && type === 'paragraph') return null;
  const node: DocNode = { type };
  if (attrs) node.attrs = attrs;
  if (content.length > 0 || type === 'heading') node.content = content;
  return node;
}

function imageNode(element: HtmlElement): DocNode | null {
  const src = element.attrs.src ?? '';
  if (!src) return null;
  return { type: 'image', attrs: { src, alt: element.attrs.alt ?? '', caption: '' } };
}

function positiveInt(value: string | undefined): number {
  const parsed = Number.parseInt(value ?? '', 10);
  return Number.isFinite(parsed) && parsed > 0 ? parsed : 1;
}

class Converter {
  /** Blocks for a container; inline runs between blocks become paragraphs. */
  blocks(children: HtmlNode[]): DocNode[] {
    const out: DocNode[] = [];
    let pending: DocNode[] = [];
    const flush = (): void => {
      const block = textBlock('paragraph', pending);
      if (block) out.push(block);
      pending = [];
    };
    const visitInline = (node: HtmlNode, marks: DocMark[]): void => {
      if (!isElement(node)) {
        const text = node.replace(/[ \t\r\n]+/gu, ' ');
        if (text) pending.push(marks.length ? { type: 'text', text, marks } : { type: 'text', text });
        return;
      }
      if (this.isBlock(node.tag)) {
        flush();
        out.push(...this.block(node));
        return;
      }
      if (node.tag === 'br') {
        pending.push({ type: 'hardBreak' });
        return;
      }
      if (node.tag === 'img') {
        // Our images are blocks, so an image inside a paragraph splits it.
        flush();
        const image = imageNode(node);
        if (image) out.push(image);
        return;
      }
      let childMarks = marks;
      const markType = MARK_TAGS[node.tag];
      if (markType && !marks.some((mark) => mark.type === markType)) {
        childMarks = [...marks, { type: markType }];
      } else if (node.tag === 'a' && SAFE_LINK.test(node.attrs.href ?? '')) {
        childMarks = [...marks.filter((mark) => mark.type !== 'link'), { type: 'link', attrs: { href: node.attrs.href } }];
      }
      for (const child of node.children) visitInline(child, childMarks);
    };
    for (const child of children) visitInline(child, []);
    flush();
    return out;
  }

  isBlock(tag: string): boolean {
    return /^(?:p|div|h[1-6]|ul|ol|li|table|thead|tbody|tfoot|tr|td|th|blockquote|hr|section|article|body|html|center|pre|dl|dd|dt|figure|figcaption|header|footer|main)$/u.test(
      tag,
    );
  }

  block(element: HtmlElement): DocNode[] {
    const tag = element.tag;
    const heading = /^h([1-6])$/u.exec(tag);
    if (heading) return this.textBlockWithImages('heading', element, { level: Number(heading[1]) });
    switch (tag) {
      case 'p':
      case 'dt':
      case 'dd':
      case 'figcaption':
        return this.textBlockWithImages('paragraph', element);
      case 'ul':
      case 'ol':
        return this.list(element);
      case 'li':
        return this.list({ tag: 'ul', attrs: {}, children: [element] });
      case 'table':
        return this.table(element);
      case 'blockquote': {
        const content = this.blocks(element.children);
        return content.length ? [{ type: 'blockquote', content }] : [];
      }
      case 'hr':
        return [{ type: 'horizontalRule' }];
      default:
        return this.blocks(element.children);
    }
  }

  /** A paragraph or heading; images and stray blocks inside it come out as siblings. */
  textBlockWithImages(type: 'paragraph' | 'heading', element: HtmlElement, attrs?: Record<string, unknown>): DocNode[] {
    const parts = this.blocks(element.children);
    if (type === 'paragraph') return parts;
    return parts.map((part) =>
      part.type === 'paragraph' ? { type, attrs, content: part.content ?? [] } : part,
    );
  }

  list(element: HtmlElement): DocNode[] {
    const items: DocNode[] = [];
    for (const child of element.children) {
      if (!isElement(child)) {
        if (child.trim()) items.push({ type: 'listItem', content: this.blocks([child]) });
        continue;
      }
      const content = this.blocks(child.tag === 'li' ? child.children : [child]);
      // A list item must start with a paragraph in the editor's schema.
      if (content[0]?.type !== 'paragraph') content.unshift({ type: 'paragraph' });
      items.push({ type: 'listItem', content });
    }
    if (items.length === 0) return [];
    const type = element.tag === 'ol' ? 'orderedList' : 'bulletList';
    const node: DocNode = { type, content: items };
    if (type === 'orderedList') node.attrs = { start: positiveInt(element.attrs.start) };
    return [node];
  }

  table(element: HtmlElement): DocNode[] {
    const rows: DocNode[] = [];
    const collectRows = (node: HtmlElement): void => {
      for (const child of node.children) {
        if (!isElement(child)) continue;
        if (child.tag === 'tr') rows.push(...this.row(child));
        else if (child.tag !== 'table') collectRows(child);
      }
    };
    collectRows(element);
    return rows.length ? [{ type: 'table', content: rows }] : [];
  }

  row(element: HtmlElement): DocNode[] {
    const cells: DocNode[] = [];
    for (const child of element.children) {
      if (!isElement(child) || (child.tag !== 'td' && child.tag !== 'th')) continue;
      const content = this.blocks(child.children);
      cells.push({
        type: child.tag === 'th' ? 'tableHeader' : 'tableCell',
        attrs: { colspan: positiveInt(child.attrs.colspan), rowspan: positiveInt(child.attrs.rowspan) },
        content: content.length ? content : [{ type: 'paragraph' }],
      });
    }
    return cells.length ? [{ type: 'tableRow', content: cells }] : [];
  }
}

/** HTML (as mammoth writes it) → Doc; an empty input gives a doc with one empty paragraph. */
export function htmlToDoc(html: string): Doc {
  const content = new Converter().blocks(parseHtml(html).children);
  return { type: 'doc', content: content.length ? content : [{ type: 'paragraph' }] };
}
