import type { Node as ProseMirrorNode } from '@tiptap/pm/model';

/**
 * Comment anchors are offsets in `docToPlainText(doc)` (shared/domain/doc.ts),
 * while the editor speaks ProseMirror positions. This map ties the two: it
 * rebuilds exactly the same plain text from the live editor document and
 * remembers where each run of text sits in the document.
 */

/** One run of characters that maps 1:1 onto document positions. */
interface Segment {
  textStart: number;
  pmStart: number;
  length: number;
}

export interface TextMap {
  /** Equal to docToPlainText of the same document. */
  text: string;
  segments: Segment[];
}

/** The node types docToPlainText writes one line for. */
const LINE_BLOCKS = new Set(['paragraph', 'heading', 'image']);

/** Builds the plain text of `doc` (as the services compute it) with its position map. */
export function buildTextMap(doc: ProseMirrorNode): TextMap {
  const lines: string[] = [];
  const segments: Segment[] = [];
  let offset = 0;

  const lineOf = (block: ProseMirrorNode, blockPos: number): void => {
    if (lines.length > 0) offset += 1; // the '\n' joining lines
    let line = '';
    if (block.type.name === 'image') {
      const caption = typeof block.attrs.caption === 'string' ? block.attrs.caption : '';
      line = caption;
    } else {
      // Inline content: text runs map to positions; a hard break is one '\n'.
      block.descendants((child, childPos) => {
        const pmStart = blockPos + 1 + childPos;
        if (child.isText) {
          const text = child.text ?? '';
          if (text) segments.push({ textStart: offset + line.length, pmStart, length: text.length });
          line += text;
        } else if (child.type.name === 'hardBreak') {
          segments.push({ textStart: offset + line.length, pmStart, length: 1 });
          line += '\n';
        }
        return true;
      });
    }
    lines.push(line);
    offset += line.length;
  };

  const walk = (node: ProseMirrorNode, contentStart: number): void => {
    node.forEach((child, childOffset) => {
      const pos = contentStart + childOffset;
      if (LINE_BLOCKS.has(child.type.name)) lineOf(child, pos);
      else if (!child.isLeaf) walk(child, pos + 1);
    });
  };
  walk(doc, 0);
  return { text: lines.join('\n'), segments };
}

/**
 * The plain-text range of a document selection, or null when it covers no
 * text (an empty selection, or only an image).
 */
export function selectionToTextRange(map: TextMap, from: number, to: number): { start: number; end: number } | null {
  let start: number | null = null;
  let end: number | null = null;
  for (const segment of map.segments) {
    const segmentEnd = segment.pmStart + segment.length;
    if (segmentEnd <= from || segment.pmStart >= to) continue;
    const lo = Math.max(from, segment.pmStart);
    const hi = Math.min(to, segmentEnd);
    if (start === null) start = segment.textStart + (lo - segment.pmStart);
    end = segment.textStart + (hi - segment.pmStart);
  }
  return start !== null && end !== null && end > start ? { start, end } : null;
}

/** Document ranges covering the plain-text range [start, end); one per text run it touches. */
export function textRangeToDocRanges(map: TextMap, start: number, end: number): { from: number; to: number }[] {
  const ranges: { from: number; to: number }[] = [];
  const { segments } = map;
  // Segments are in text order: skip to the first that ends after `start` (thousands of marks per check call this).
  let low = 0;
  let high = segments.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const segment = segments[middle] as Segment;
    if (segment.textStart + segment.length <= start) low = middle + 1;
    else high = middle;
  }
  for (let index = low; index < segments.length; index++) {
    const segment = segments[index] as Segment;
    if (segment.textStart >= end) break;
    const segmentEnd = segment.textStart + segment.length;
    if (segmentEnd <= start) continue;
    const lo = Math.max(start, segment.textStart);
    const hi = Math.min(end, segmentEnd);
    const from = segment.pmStart + (lo - segment.textStart);
    const to = segment.pmStart + (hi - segment.textStart);
    const last = ranges.at(-1);
    if (last && last.to === from) last.to = to;
    else ranges.push({ from, to });
  }
  return ranges;
}
