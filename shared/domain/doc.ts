import { z } from 'zod';

/**
 * The article body: ProseMirror/TipTap JSON. This file names the node and mark
 * types the editor may produce; the HTML serializer (shared/html) and the
 * editor's extensions (renderer/src/editor) must both follow it.
 */
export const BLOCK_NODE_TYPES = [
  'paragraph',
  'heading',
  'bulletList',
  'orderedList',
  'listItem',
  'blockquote',
  'horizontalRule',
  'table',
  'tableRow',
  'tableHeader',
  'tableCell',
  'image',
] as const;
export const INLINE_NODE_TYPES = ['text', 'hardBreak'] as const;
export const MARK_TYPES = ['bold', 'italic', 'underline', 'strike', 'code', 'link'] as const;

export type TextAlign = 'left' | 'center' | 'right' | 'justify';

/**
 * Paragraph roles let the app find text it wrote itself (e.g. the closing
 * attendees sentence) so it can refresh it without touching the writer's text.
 */
/**
 * 公文 parts are roles too: 'addressee' is the 主送 line (各园区、各部门：, flush
 * left), 'signature' the 落款 organ and 'signatureDate' the 成文日期 under it
 * (both right-aligned); the 公文 layout and the Word importer find them by role.
 */
export const PARAGRAPH_ROLES = ['attendees', 'lead', 'addressee', 'signature', 'signatureDate'] as const;
export type ParagraphRole = (typeof PARAGRAPH_ROLES)[number];

export interface DocMark {
  type: string;
  attrs?: Record<string, unknown>;
}

export interface DocNode {
  type: string;
  attrs?: Record<string, unknown>;
  content?: DocNode[];
  marks?: DocMark[];
  text?: string;
}

export interface Doc extends DocNode {
  type: 'doc';
  content: DocNode[];
}

const DocMarkSchema = z.object({
  type: z.string().min(1),
  attrs: z.record(z.string(), z.unknown()).optional(),
});

export const DocNodeSchema: z.ZodType<DocNode> = z.lazy(() =>
  z.object({
    type: z.string().min(1),
    attrs: z.record(z.string(), z.unknown()).optional(),
    content: z.array(DocNodeSchema).optional(),
    marks: z.array(DocMarkSchema).optional(),
    text: z.string().optional(),
  }),
);

export const DocSchema = z.object({
  type: z.literal('doc'),
  content: z.array(DocNodeSchema),
}) as z.ZodType<Doc>;

export function emptyDoc(): Doc {
  return { type: 'doc', content: [{ type: 'paragraph' }] };
}

export function paragraph(text: string, attrs?: Record<string, unknown>): DocNode {
  const node: DocNode = { type: 'paragraph' };
  if (attrs) node.attrs = attrs;
  if (text) node.content = [{ type: 'text', text }];
  return node;
}

export function heading(level: number, text: string): DocNode {
  return { type: 'heading', attrs: { level }, content: text ? [{ type: 'text', text }] : [] };
}

/** Plain text of a node tree; blocks are separated by newlines. */
export function docToPlainText(node: DocNode): string {
  const out: string[] = [];
  const walk = (n: DocNode, sink: string[]): void => {
    if (n.type === 'text') {
      sink.push(n.text ?? '');
      return;
    }
    if (n.type === 'hardBreak') {
      sink.push('\n');
      return;
    }
    if (n.type === 'image') {
      const caption = typeof n.attrs?.caption === 'string' ? n.attrs.caption : '';
      if (caption) sink.push(caption);
      return;
    }
    for (const child of n.content ?? []) walk(child, sink);
  };
  const isTextBlock = (n: DocNode) =>
    n.type === 'paragraph' || n.type === 'heading' || n.type === 'image';
  const blocks = (n: DocNode): void => {
    if (isTextBlock(n)) {
      const sink: string[] = [];
      walk(n, sink);
      out.push(sink.join(''));
      return;
    }
    for (const child of n.content ?? []) blocks(child);
  };
  blocks(node);
  return out.join('\n');
}
