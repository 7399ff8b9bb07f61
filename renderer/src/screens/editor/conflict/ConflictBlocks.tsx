import type { ReactNode } from 'react';
import type { DocMark, DocNode } from '../../../../../shared/domain/doc';
import { isSafeHref, isSafeImageSrc } from '../../../../../shared/html/serialize';
import { atomOnOtherSide, isTextblock, type TextRange } from './conflict-logic';

/**
 * Blocks of one side of a conflict, read-only, laid out as the editor lays
 * them out (the editor's `gz-prose` styles), with the characters that differ
 * from the other side marked. The walk matches {@link blocksText}: the ranges
 * are offsets into that text.
 */
export function ConflictBlocks({
  blocks,
  changed,
  other,
  resolveSrc,
  side,
}: {
  blocks: readonly DocNode[];
  /** Characters to mark, as offsets into the side's plain text. */
  changed: readonly TextRange[];
  /** The blocks compared with, for images (marked when the other side lacks them). */
  other: readonly DocNode[] | null;
  resolveSrc(src: string): string;
  side: 'mine' | 'theirs' | 'plain';
}) {
  const walker = new Walker(changed, other, resolveSrc, side);
  return <div className="gz-prose conflict-prose">{blocks.map((block, index) => walker.block(block, index))}</div>;
}

class Walker {
  private offset = 0;

  constructor(
    private readonly changed: readonly TextRange[],
    private readonly other: readonly DocNode[] | null,
    private readonly resolveSrc: (src: string) => string,
    private readonly side: 'mine' | 'theirs' | 'plain',
  ) {}

  block(node: DocNode, key: number): ReactNode {
    const children = () => (node.content ?? []).map((child, index) => this.child(child, index));
    let out: ReactNode;
    switch (node.type) {
      case 'paragraph':
        out = (
          <p key={key} style={alignStyle(node)}>
            {children()}
          </p>
        );
        break;
      case 'heading': {
        const level = Math.min(6, Math.max(1, Number(node.attrs?.level) || 2));
        const Tag = `h${level}` as 'h2';
        out = (
          <Tag key={key} style={alignStyle(node)}>
            {children()}
          </Tag>
        );
        break;
      }
      case 'bulletList':
        out = <ul key={key}>{children()}</ul>;
        break;
      case 'orderedList':
        out = (
          <ol key={key} start={Number(node.attrs?.start) || undefined}>
            {children()}
          </ol>
        );
        break;
      case 'listItem':
        out = <li key={key}>{children()}</li>;
        break;
      case 'blockquote':
        out = <blockquote key={key}>{children()}</blockquote>;
        break;
      case 'horizontalRule':
        out = <hr key={key} className={this.atomClass(node)} />;
        break;
      case 'table':
        out = (
          <table key={key}>
            <tbody>{children()}</tbody>
          </table>
        );
        break;
      case 'tableRow':
        out = <tr key={key}>{children()}</tr>;
        break;
      case 'tableHeader':
      case 'tableCell': {
        const Cell = node.type === 'tableHeader' ? 'th' : 'td';
        out = (
          <Cell key={key} colSpan={Number(node.attrs?.colspan) || undefined} rowSpan={Number(node.attrs?.rowspan) || undefined}>
            {children()}
          </Cell>
        );
        break;
      }
      case 'image':
        out = this.image(node, key);
        break;
      default:
        // An unknown block keeps its text, as the serializer does.
        out = (
          <div key={key} style={alignStyle(node)}>
            {children()}
          </div>
        );
    }
    if (isTextblock(node)) this.offset += 1;
    return out;
  }

  private child(node: DocNode, key: number): ReactNode {
    if (node.type === 'text') return this.text(node, key);
    if (node.type === 'hardBreak') {
      this.offset += 1;
      return <br key={key} />;
    }
    return this.block(node, key);
  }

  /** A text node, cut where marked ranges start and end. */
  private text(node: DocNode, key: number): ReactNode {
    const text = node.text ?? '';
    const start = this.offset;
    const end = start + text.length;
    this.offset = end;
    const pieces: ReactNode[] = [];
    let at = start;
    for (const range of this.changed) {
      if (range.end <= at || range.start >= end) continue;
      const from = Math.max(range.start, at);
      const to = Math.min(range.end, end);
      if (from > at) pieces.push(text.slice(at - start, from - start));
      pieces.push(
        <mark key={from} className={`conflict-change conflict-change-${this.side}`}>
          {text.slice(from - start, to - start)}
        </mark>,
      );
      at = to;
    }
    if (at < end) pieces.push(text.slice(at - start));
    return <span key={key}>{withMarks(pieces, node.marks ?? [])}</span>;
  }

  private image(node: DocNode, key: number): ReactNode {
    const src = typeof node.attrs?.src === 'string' ? node.attrs.src.trim() : '';
    const alt = typeof node.attrs?.alt === 'string' ? node.attrs.alt : '';
    const caption = typeof node.attrs?.caption === 'string' ? node.attrs.caption : '';
    return (
      <figure key={key} className={`gz-image ${this.atomClass(node)}`}>
        {src && isSafeImageSrc(src) ? <img src={this.resolveSrc(src)} alt={alt} /> : null}
        {caption ? <figcaption>{caption}</figcaption> : null}
      </figure>
    );
  }

  /** An image or rule the other side does not have exactly like this is framed. */
  private atomClass(node: DocNode): string {
    if (this.side === 'plain' || !this.other || atomOnOtherSide(node, this.other)) return '';
    return `conflict-atom-changed conflict-change-${this.side}`;
  }
}

function alignStyle(node: DocNode): { textAlign: 'left' | 'center' | 'right' | 'justify' } | undefined {
  const align = node.attrs?.textAlign;
  return align === 'left' || align === 'center' || align === 'right' || align === 'justify' ? { textAlign: align } : undefined;
}

/** Wraps text in its marks, outermost first in the serializer's order (link, bold, italic, underline, strike, code). */
function withMarks(content: ReactNode, marks: readonly DocMark[]): ReactNode {
  const order = ['code', 'strike', 'underline', 'italic', 'bold', 'link'];
  let out = content;
  for (const type of order) {
    const mark = marks.find((m) => m.type === type);
    if (!mark) continue;
    if (type === 'bold') out = <strong>{out}</strong>;
    else if (type === 'italic') out = <em>{out}</em>;
    else if (type === 'underline') out = <u>{out}</u>;
    else if (type === 'strike') out = <s>{out}</s>;
    else if (type === 'code') out = <code>{out}</code>;
    else if (type === 'link') {
      const href = typeof mark.attrs?.href === 'string' ? mark.attrs.href : '';
      // Read-only: the link shows where it points but is not followed from here.
      out = <span className="conflict-link" title={href && isSafeHref(href) ? href : undefined}>{out}</span>;
    }
  }
  return out;
}
