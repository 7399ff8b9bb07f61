import type { Article } from '../domain/article';
import {
  BLOCK_NODE_TYPES,
  type Doc,
  type DocMark,
  type DocNode,
  PARAGRAPH_ROLES,
  type TextAlign,
} from '../domain/doc';
import type { Locale } from '../domain/settings';
import { translate } from '../i18n';

/** A picture as a published page loads it: the page-size file, a 2× file for sharp screens, its pixel size. */
export interface ResolvedImage {
  src: string;
  /** `srcset` value (`a.jpg 1x, b.jpg 2x`), or null when there is no 2× file. */
  srcset: string | null;
  width: number;
  height: number;
}

/** How the caller maps a doc image src (`assets/<file>`) to a URL the page can load. */
export interface SerializeOptions {
  resolveSrc?: (src: string) => string;
  /**
   * The processed files of a picture (publishing), or null to use
   * `resolveSrc` and the size the image node records.
   */
  resolveImage?: (src: string) => ResolvedImage | null;
}

/** Options for the standalone export document. */
export interface ArticleDocumentOptions extends SerializeOptions {
  locale?: Locale;
}

const TEXT_ALIGNS: readonly TextAlign[] = ['left', 'center', 'right', 'justify'];

/**
 * Marks are always nested in this order so the same doc yields the same bytes
 * no matter in which order the editor happened to store a text node's marks.
 */
const MARK_ORDER = ['link', 'bold', 'italic', 'underline', 'strike', 'code'] as const;
const MARK_TAGS: Record<string, string> = {
  bold: 'strong',
  italic: 'em',
  underline: 'u',
  strike: 's',
  code: 'code',
};

/** Escapes text content; `"` and `'` too so the same helper is safe inside attributes. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * A link target we are willing to publish: http(s), mailto, or a relative URL.
 * Browsers ignore tabs, newlines and leading control characters in URLs, so
 * "java\tscript:" must be judged after removing them.
 */
export function isSafeHref(href: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping control characters is the point
  const compact = href.replace(/[\u0000-\u0020\u007f]/g, '');
  if (compact === '') return false;
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(compact);
  if (!scheme) return true;
  const name = scheme[1]?.toLowerCase();
  return name === 'http' || name === 'https' || name === 'mailto';
}

/** An image source we are willing to put in an `<img>`: like links, plus embedded raster data. */
export function isSafeImageSrc(src: string): boolean {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: see isSafeHref
  const compact = src.replace(/[\u0000-\u0020\u007f]/g, '');
  if (/^data:image\/(png|jpe?g|gif|webp|bmp|avif);/i.test(compact)) return true;
  if (/^mailto:/i.test(compact)) return false;
  return isSafeHref(src);
}

function stringAttr(node: DocNode | DocMark, name: string): string {
  const value = node.attrs?.[name];
  return typeof value === 'string' ? value : '';
}

function positiveInt(value: unknown): number | null {
  const n = typeof value === 'number' ? value : typeof value === 'string' ? Number(value) : Number.NaN;
  return Number.isInteger(n) && n > 0 ? n : null;
}

function alignStyle(node: DocNode): string {
  const align = node.attrs?.textAlign;
  return typeof align === 'string' && (TEXT_ALIGNS as readonly string[]).includes(align)
    ? ` style="text-align:${align}"`
    : '';
}

function isInline(node: DocNode): boolean {
  return node.type === 'text' || node.type === 'hardBreak';
}

const KNOWN_BLOCKS = new Set<string>(BLOCK_NODE_TYPES);

/** Inline nodes, and unknown nodes that only wrap inline content (e.g. a future inline extension). */
function isInlineLike(node: DocNode): boolean {
  if (isInline(node)) return true;
  if (KNOWN_BLOCKS.has(node.type)) return false;
  if (typeof node.text === 'string') return true;
  const content = node.content ?? [];
  return content.length > 0 && content.every(isInlineLike);
}

function markRank(mark: DocMark): number {
  const index = (MARK_ORDER as readonly string[]).indexOf(mark.type);
  return index;
}

/** The marks of a text node we know how to render, in canonical order, without unsafe links. */
function renderableMarks(node: DocNode): DocMark[] {
  const seen = new Set<string>();
  const marks: DocMark[] = [];
  for (const mark of node.marks ?? []) {
    if (markRank(mark) < 0 || seen.has(mark.type)) continue;
    if (mark.type === 'link' && !isSafeHref(stringAttr(mark, 'href'))) continue;
    seen.add(mark.type);
    marks.push(mark);
  }
  return marks.sort((a, b) => markRank(a) - markRank(b));
}

function sameMark(a: DocMark, b: DocMark): boolean {
  return a.type === b.type && (a.type !== 'link' || stringAttr(a, 'href') === stringAttr(b, 'href'));
}

function openMark(mark: DocMark): string {
  if (mark.type === 'link') return `<a href="${escapeHtml(stringAttr(mark, 'href').trim())}">`;
  return `<${MARK_TAGS[mark.type]}>`;
}

function closeMark(mark: DocMark): string {
  if (mark.type === 'link') return '</a>';
  return `</${MARK_TAGS[mark.type]}>`;
}

/** Flattens unknown inline wrappers so their text is kept. */
function flattenInline(nodes: DocNode[], out: DocNode[]): DocNode[] {
  for (const node of nodes) {
    if (isInline(node)) out.push(node);
    else if (node.content) flattenInline(node.content, out);
    else if (typeof node.text === 'string') out.push({ type: 'text', text: node.text, marks: node.marks });
  }
  return out;
}

/**
 * Inline content, keeping a mark open across adjacent text nodes that share it
 * (as ProseMirror's own serializer does) so "<strong>ab</strong>" is not split.
 */
function renderInline(nodes: DocNode[]): string {
  let html = '';
  const open: DocMark[] = [];
  for (const node of flattenInline(nodes, [])) {
    const marks = node.type === 'text' ? renderableMarks(node) : [];
    let keep = 0;
    while (keep < open.length && keep < marks.length && sameMark(open[keep]!, marks[keep]!)) keep++;
    while (open.length > keep) html += closeMark(open.pop()!);
    for (const mark of marks.slice(keep)) {
      html += openMark(mark);
      open.push(mark);
    }
    html += node.type === 'hardBreak' ? '<br>' : escapeHtml(node.text ?? '');
  }
  while (open.length > 0) html += closeMark(open.pop()!);
  return html;
}

function renderBlocks(nodes: DocNode[], options: SerializeOptions): string {
  const parts: string[] = [];
  let inlineRun: DocNode[] = [];
  const flushInline = () => {
    if (inlineRun.length > 0) parts.push(`<p>${renderInline(inlineRun)}</p>`);
    inlineRun = [];
  };
  for (const node of nodes) {
    // Stray inline content in a block position is wrapped rather than lost.
    if (isInlineLike(node)) {
      inlineRun.push(node);
      continue;
    }
    flushInline();
    const html = renderBlock(node, options);
    if (html !== '') parts.push(html);
  }
  flushInline();
  return parts.join('\n');
}

/** A container's children: either blocks on their own lines or inline content. */
function renderChildren(node: DocNode, options: SerializeOptions): string {
  const content = node.content ?? [];
  if (content.length > 0 && content.every(isInlineLike)) return renderInline(content);
  const inner = renderBlocks(content, options);
  return inner === '' ? '' : `\n${inner}\n`;
}

function renderCell(node: DocNode, tag: 'td' | 'th', options: SerializeOptions): string {
  let attrs = '';
  const colspan = positiveInt(node.attrs?.colspan);
  const rowspan = positiveInt(node.attrs?.rowspan);
  if (colspan !== null && colspan > 1) attrs += ` colspan="${colspan}"`;
  if (rowspan !== null && rowspan > 1) attrs += ` rowspan="${rowspan}"`;
  return `<${tag}${attrs}>${renderChildren(node, options)}</${tag}>`;
}

/** The figure's classes: alignment (left/right float beside the text) and size (half the column) from the image dialog. */
function figureClass(node: DocNode): string {
  const align = stringAttr(node, 'align');
  const size = stringAttr(node, 'size');
  let classes = 'article-image';
  if (align === 'left' || align === 'right') classes += ` align-${align}`;
  if (size === 'half') classes += ' size-half';
  return classes;
}

function renderImage(node: DocNode, options: SerializeOptions): string {
  const src = stringAttr(node, 'src').trim();
  const alt = stringAttr(node, 'alt');
  const title = stringAttr(node, 'title');
  const caption = stringAttr(node, 'caption');
  const parts: string[] = [];
  if (src !== '' && isSafeImageSrc(src)) {
    const published = options.resolveImage?.(src) ?? null;
    const resolved = published ? published.src : options.resolveSrc ? options.resolveSrc(src) : src;
    const titleAttr = title ? ` title="${escapeHtml(title)}"` : '';
    const srcset = published?.srcset ? ` srcset="${escapeHtml(published.srcset)}"` : '';
    // width/height let the browser reserve the picture's place before it loads (no jumping text).
    const width = published?.width ?? positiveInt(node.attrs?.width);
    const height = published?.height ?? positiveInt(node.attrs?.height);
    const size = width !== null && height !== null ? ` width="${width}" height="${height}"` : '';
    parts.push(`<img src="${escapeHtml(resolved)}"${srcset} alt="${escapeHtml(alt)}"${titleAttr}${size}>`);
  }
  if (caption) parts.push(`<figcaption>${escapeHtml(caption)}</figcaption>`);
  if (parts.length === 0) return '';
  return `<figure class="${figureClass(node)}">${parts.join('')}</figure>`;
}

function renderBlock(node: DocNode, options: SerializeOptions): string {
  switch (node.type) {
    case 'paragraph': {
      const role = stringAttr(node, 'role');
      const roleAttr = (PARAGRAPH_ROLES as readonly string[]).includes(role)
        ? ` data-role="${role}"`
        : '';
      return `<p${roleAttr}${alignStyle(node)}>${renderInline(node.content ?? [])}</p>`;
    }
    case 'heading': {
      const level = Math.min(6, positiveInt(node.attrs?.level) ?? 2);
      return `<h${level}${alignStyle(node)}>${renderInline(node.content ?? [])}</h${level}>`;
    }
    case 'bulletList':
      return `<ul>${renderChildren(node, options)}</ul>`;
    case 'orderedList': {
      const start = positiveInt(node.attrs?.start);
      const startAttr = start !== null && start !== 1 ? ` start="${start}"` : '';
      return `<ol${startAttr}>${renderChildren(node, options)}</ol>`;
    }
    case 'listItem':
      return `<li>${renderChildren(node, options)}</li>`;
    case 'blockquote':
      return `<blockquote>${renderChildren(node, options)}</blockquote>`;
    case 'horizontalRule':
      return '<hr>';
    case 'table': {
      const rows = renderBlocks(node.content ?? [], options);
      return rows === '' ? '' : `<table>\n<tbody>\n${rows}\n</tbody>\n</table>`;
    }
    case 'tableRow':
      return `<tr>${renderChildren(node, options)}</tr>`;
    case 'tableHeader':
      return renderCell(node, 'th', options);
    case 'tableCell':
      return renderCell(node, 'td', options);
    case 'image':
      return renderImage(node, options);
    default: {
      // An unknown block keeps its text: its children are rendered in its place.
      return renderBlocks(node.content ?? [], options);
    }
  }
}

/**
 * The one HTML serializer for article bodies (export, preview, publishing).
 * Pure and deterministic: the same doc always yields byte-identical HTML.
 */
export function docToHtml(doc: Doc, options: SerializeOptions = {}): string {
  return renderBlocks(doc.content ?? [], options);
}

/** 'YYYY-MM-DDTHH:mm' → 'YYYY-MM-DD HH:mm', as portals print it. */
function formatPublishAt(value: string): string {
  return value.replace('T', ' ');
}

const DOCUMENT_STYLE = `
html { background: #fff; color: #222; }
body { margin: 0 auto; max-width: 48em; padding: 2em 1.5em 4em; font-family: "Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", "Source Han Sans SC", "Hiragino Sans GB", SimSun, "Songti SC", "Noto Serif CJK SC", serif; font-size: 16px; line-height: 1.9; }
.article-title { margin: 0.5em 0 0.3em; font-size: 1.75em; line-height: 1.4; text-align: center; }
.article-subtitle { margin: 0 0 0.6em; font-size: 1.2em; text-align: center; text-indent: 0; }
.article-info { margin: 0 0 1.5em; padding-bottom: 0.8em; border-bottom: 1px solid #ccc; color: #555; font-size: 0.9em; text-align: center; }
.article-info span + span { margin-left: 1.5em; }
.article-body p { margin: 0 0 0.8em; text-indent: 2em; text-align: justify; }
.article-body p[style*="text-align:center"], .article-body p[style*="text-align:right"], .article-body li p, .article-body td p, .article-body th p, .article-body blockquote p { text-indent: 0; }
.article-body h1, .article-body h2, .article-body h3, .article-body h4, .article-body h5, .article-body h6 { margin: 1em 0 0.6em; line-height: 1.5; text-align: center; }
.article-body figure.article-image { margin: 1em auto; text-align: center; }
.article-body figure.article-image img { display: block; max-width: 100%; height: auto; margin: 0 auto; }
.article-body figure.article-image.size-half { width: 50%; }
.article-body figure.article-image.align-left { float: left; margin: 0.3em 1.5em 0.8em 0; }
.article-body figure.article-image.align-right { float: right; margin: 0.3em 0 0.8em 1.5em; }
.article-body figcaption { margin-top: 0.4em; color: #555; font-size: 0.9em; text-align: center; }
.article-body table { margin: 1em auto; border-collapse: collapse; }
.article-body th, .article-body td { padding: 0.3em 0.6em; border: 1px solid #666; vertical-align: top; }
.article-body blockquote { margin: 1em 2em; padding-left: 1em; border-left: 3px solid #ccc; color: #444; }
.article-body hr { margin: 1.5em 0; border: 0; border-top: 1px solid #ccc; }
@media print { body { max-width: none; padding: 0; } a { color: inherit; text-decoration: none; } }
`;

/**
 * A standalone, printable HTML5 document for "Export HTML": title, info line,
 * meta tags and the body through {@link docToHtml}. Contains no script.
 */
export function articleToHtmlDocument(article: Article, options: ArticleDocumentOptions = {}): string {
  const locale = options.locale ?? 'zh-CN';
  const { meta } = article;
  const title = meta.title.trim();
  const info: string[] = [];
  const addInfo = (key: Parameters<typeof translate>[1], value: string) => {
    if (value.trim() !== '') info.push(`<span>${escapeHtml(translate(locale, key, { value: value.trim() }))}</span>`);
  };
  if (meta.publishAt) addInfo('editor.export.time', formatPublishAt(meta.publishAt));
  addInfo('editor.export.source', meta.source);
  addInfo('editor.export.author', meta.author);
  addInfo('editor.export.photographer', meta.photographer);
  addInfo('editor.export.editor', meta.editor);

  const head = [
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title || translate(locale, 'editor.export.untitled'))}</title>`,
  ];
  if (meta.summary.trim() !== '') head.push(`<meta name="description" content="${escapeHtml(meta.summary.trim())}">`);
  if (meta.keywords.length > 0) head.push(`<meta name="keywords" content="${escapeHtml(meta.keywords.join(','))}">`);
  if (meta.column.length > 0) head.push(`<meta name="column" content="${escapeHtml(meta.column.join('/'))}">`);
  if (meta.publishAt) head.push(`<meta name="publishdate" content="${escapeHtml(meta.publishAt)}">`);
  if (meta.source.trim() !== '') head.push(`<meta name="source" content="${escapeHtml(meta.source.trim())}">`);
  head.push(`<style>${DOCUMENT_STYLE}</style>`);

  const articleParts: string[] = [];
  if (title) articleParts.push(`<h1 class="article-title">${escapeHtml(title)}</h1>`);
  if (meta.subtitle.trim() !== '') articleParts.push(`<p class="article-subtitle">${escapeHtml(meta.subtitle.trim())}</p>`);
  if (info.length > 0) articleParts.push(`<div class="article-info">${info.join('')}</div>`);
  const body = docToHtml(article.doc, { resolveSrc: options.resolveSrc });
  articleParts.push(`<div class="article-body">\n${body}\n</div>`);

  return [
    '<!DOCTYPE html>',
    // The article itself is Chinese whatever language the labels are in.
    '<html lang="zh-CN">',
    '<head>',
    ...head,
    '</head>',
    '<body>',
    '<article class="article">',
    ...articleParts,
    '</article>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
