import DOMPurify from 'dompurify';
import { isSafeHref } from '../../../../shared/html/serialize';

/** The result of cleaning a pasted HTML fragment. */
export interface CleanedPaste {
  html: string;
  /** Images the page cannot read (Word's file:/// temp images, cid:, relative paths…). */
  droppedImages: number;
}

const ALLOWED_TAGS = [
  'p', 'br', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'div',
  'ul', 'ol', 'li', 'blockquote', 'hr',
  'table', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th',
  'strong', 'em', 'u', 's', 'code', 'a', 'img', 'sub', 'sup',
];
const ALLOWED_ATTR = ['href', 'src', 'alt', 'title', 'colspan', 'rowspan', 'style', 'start'];
/** DOMPurify applies this to href and src: http(s), mailto, raster data images, or relative. */
const ALLOWED_URI = /^(?:(?:https?|mailto):|data:image\/(?:png|jpe?g|gif|webp|bmp);base64,|[^a-z]|[a-z+.-]+(?:[^a-z+.\-:]|$))/i;

/** Elements whose content is never article text (form controls, embeds, media). */
const DROP_WITH_CONTENT = new Set([
  'script', 'style', 'template', 'noscript', 'iframe', 'frame', 'object', 'embed', 'applet',
  'svg', 'math', 'canvas', 'audio', 'video', 'button', 'input', 'select', 'textarea', 'option',
  'head', 'title', 'meta', 'link', 'xml',
]);
const BLOCKS_WITH_ALIGN = new Set(['p', 'div', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6']);
const ALIGNS = new Set(['center', 'right', 'justify']);

/** The copied part of a clipboard HTML document (Office and browsers mark it with StartFragment/EndFragment). */
export function clipboardFragment(html: string): string {
  const start = html.indexOf('<!--StartFragment-->');
  const end = html.lastIndexOf('<!--EndFragment-->');
  return start >= 0 && end > start ? html.slice(start + '<!--StartFragment-->'.length, end) : html;
}

const TAG = /<([a-zA-Z][\w:-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)(\s*\/?)>/g;
const ATTRIBUTE = /\s+([^\s"'>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?/g;
const JUNK_ATTRIBUTES = new Set([
  'lang', 'width', 'height', 'valign', 'border', 'cellspacing', 'cellpadding', 'face', 'color', 'size',
  'bgcolor', 'nowrap', 'v:shapes', 'x:str', 'x:num', 'dir', 'id', 'name', 'target', 'rel',
]);
const STYLE_KEEP = /^(?:mso-list|font-weight|font-style|text-decoration(?:-line)?|text-align)$/i;

function unquote(value: string): string {
  return value.startsWith('"') || value.startsWith("'") ? value.slice(1, -1) : value;
}

/** Only the declarations the cleaner reads survive; `mso-list:Ignore` marks Word's literal bullets. */
function slimStyle(style: string): string {
  return style
    .split(';')
    .filter((declaration) => STYLE_KEEP.test(declaration.split(':')[0]?.trim() ?? ''))
    .map((declaration) => declaration.replace(/\s+/g, ' ').trim())
    .join(';');
}

function slimAttributes(whole: string, name: string, attributes: string, end: string): string {
  if (attributes === '') return whole;
  const kept = attributes.replace(ATTRIBUTE, (attribute, rawName: string, rawValue: string | undefined) => {
    const attrName = rawName.toLowerCase();
    if (JUNK_ATTRIBUTES.has(attrName)) return '';
    if (attrName === 'class') return /Mso(?:List|Title|Subtitle|Heading)/i.test(rawValue ?? '') ? attribute : '';
    if (attrName === 'style') {
      const slim = slimStyle(unquote(rawValue ?? '').replace(/&quot;/g, '"'));
      return slim === '' ? '' : ` style="${slim.replace(/"/g, '&quot;')}"`;
    }
    return attribute;
  });
  return `<${name}${kept}${end}>`;
}

/**
 * Cheap string passes that remove Office's bulk before the HTML is parsed:
 * on a Word paste, style sheets, XML islands and VML often outweigh the text.
 */
export function stripOfficeJunk(html: string): string {
  return (
    clipboardFragment(html)
      // Downlevel-hidden conditional comments hold VML shapes, XML and IE-only styles.
      .replace(/<!--\[if[\s\S]*?<!\[endif\]-->/gi, '')
      .replace(/<(style|script|xml|title)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, '')
      .replace(/<!--(?!\[if)[\s\S]*?-->/g, '')
      .replace(/<o:p\b[^>]*>[\s\S]*?<\/o:p>/gi, '')
      .replace(/<\/?(?:meta|link|o:[\w-]+|w:[\w-]+|v:[\w-]+|m:[\w-]+|st1:[\w-]+)\b[^>]*>/gi, '')
      // Word repeats long font and border styles on every span and cell.
      .replace(TAG, slimAttributes)
  );
}

function styleOf(el: Element): string {
  return (el.getAttribute('style') ?? '').toLowerCase();
}

/** One declaration's value from an inline style, e.g. `font-weight`. */
function styleValue(style: string, property: string): string | null {
  const match = new RegExp(`(?:^|;)\\s*${property}\\s*:\\s*([^;]+)`).exec(style);
  return match?.[1] ? match[1].trim() : null;
}

function unwrap(el: Element): void {
  const parent = el.parentNode;
  if (!parent) return;
  while (el.firstChild) parent.insertBefore(el.firstChild, el);
  parent.removeChild(el);
}

function wrapChildren(el: Element, tag: string): void {
  const wrapper = el.ownerDocument.createElement(tag);
  while (el.firstChild) wrapper.appendChild(el.firstChild);
  el.appendChild(wrapper);
}

function rename(el: Element, tag: string): Element {
  const replacement = el.ownerDocument.createElement(tag);
  for (const attr of Array.from(el.attributes)) replacement.setAttribute(attr.name, attr.value);
  while (el.firstChild) replacement.appendChild(el.firstChild);
  el.replaceWith(replacement);
  return replacement;
}

// ---------------------------------------------------------------------------
// Word / WPS "fake" lists: paragraphs with `mso-list:l0 level1 lfo1` whose
// bullet or number is literal text between <![if !supportLists]> markers.

interface ListParagraph {
  el: Element;
  level: number;
  marker: string;
  ordered: boolean;
}

/**
 * Chinese official numbering (一、 （一） 1． （1）) is part of the text in official
 * copy; turning it into an <ol> would print "1." on the portal, so it stays text.
 */
const CJK_NUMBERING = /^[（(]?[一二三四五六七八九十百零〇\d０-９]+[）)]?[、．.]?$|^[（(][一二三四五六七八九十\d０-９]+[）)]$|[、．（）]/;
const WESTERN_NUMBERING = /^[(]?(?:\d+|[a-z]{1,3}|[ivxlcdm]+)[.)]$/i;

function isSupportListsStart(node: Node): boolean {
  return node.nodeType === 8 && /^\s*\[if !supportLists\]\s*$/i.test((node as Comment).data);
}
function isEndIf(node: Node): boolean {
  return node.nodeType === 8 && /^\s*\[endif\]\s*$/i.test((node as Comment).data);
}

/** Removes the literal bullet/number Word wrote and returns its text. */
function takeListMarker(p: Element): string {
  let marker = '';
  const walker = p.ownerDocument.createTreeWalker(p, 128 /* SHOW_COMMENT */);
  const comments: Comment[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) comments.push(node as Comment);
  const startComment = comments.find(isSupportListsStart);
  // Word writes both markers as siblings around the bullet; no Range is used
  // because live ranges make every later DOM mutation slower.
  if (startComment) {
    const between: Node[] = [];
    let node = startComment.nextSibling;
    while (node && !isEndIf(node)) {
      between.push(node);
      node = node.nextSibling;
    }
    if (node) {
      marker = between.map((n) => n.textContent ?? '').join('');
      for (const n of between) n.parentNode?.removeChild(n);
      node.parentNode?.removeChild(node);
    }
    startComment.remove();
  }
  if (marker === '') {
    const ignore = p.querySelector('[style*="mso-list:ignore" i], [style*="mso-list: ignore" i]');
    if (ignore) {
      marker = ignore.textContent ?? '';
      ignore.remove();
    }
  }
  return marker.replace(/[\s\u00a0]+/g, ' ').trim();
}

function collectListParagraph(el: Element): ListParagraph | null {
  if (el.tagName.toLowerCase() !== 'p') return null;
  const style = styleOf(el);
  const list = /mso-list\s*:\s*(l\d+)\s+level(\d+)/.exec(style);
  const listClass = /MsoListParagraph/i.test(el.getAttribute('class') ?? '');
  if (!list && !listClass) return null;
  const level = list?.[2] ? Number(list[2]) : 1;
  const marker = takeListMarker(el);
  if (marker === '' && !list) return null;
  return { el, level, marker, ordered: WESTERN_NUMBERING.test(marker) };
}

function convertFakeLists(root: Element): void {
  const paragraphs = Array.from(root.querySelectorAll('p[style*="mso-list" i], p[class*="MsoListParagraph" i]'));
  const seen = new Set<Element>();
  for (const first of paragraphs) {
    if (seen.has(first)) continue;
    // Gather the run of consecutive list paragraphs (whitespace between them is ignored).
    const run: ListParagraph[] = [];
    let cursor: Element | null = first;
    while (cursor) {
      const item = collectListParagraph(cursor);
      if (!item) break;
      seen.add(cursor);
      run.push(item);
      let next: ChildNode | null = cursor.nextSibling;
      while (next && next.nodeType === 3 && (next.textContent ?? '').trim() === '') next = next.nextSibling;
      cursor = next && next.nodeType === 1 ? (next as Element) : null;
    }
    buildLists(run);
  }
}

function buildLists(run: ListParagraph[]): void {
  const stack: { level: number; ordered: boolean; list: Element }[] = [];
  for (const item of run) {
    const doc = item.el.ownerDocument;
    if (CJK_NUMBERING.test(item.marker) && !WESTERN_NUMBERING.test(item.marker)) {
      // Official numbering stays as the paragraph's own text; the list ends here.
      item.el.insertBefore(doc.createTextNode(item.marker), item.el.firstChild);
      item.el.removeAttribute('class');
      item.el.setAttribute('style', styleOf(item.el).replace(/mso-list[^;]*;?/g, ''));
      stack.length = 0;
      continue;
    }
    while (stack.length > 0 && stack[stack.length - 1]!.level > item.level) stack.pop();
    let top = stack[stack.length - 1];
    if (top && top.level === item.level && top.ordered !== item.ordered) {
      stack.pop();
      top = stack[stack.length - 1];
      const list = doc.createElement(item.ordered ? 'ol' : 'ul');
      const anchor = stack.length === 0 ? item.el : null;
      if (anchor) anchor.before(list);
      else top?.list.lastElementChild?.appendChild(list);
      stack.push({ level: item.level, ordered: item.ordered, list });
    } else if (!top || top.level < item.level) {
      const list = doc.createElement(item.ordered ? 'ol' : 'ul');
      const parentItem = top?.list.lastElementChild;
      if (parentItem) parentItem.appendChild(list);
      else item.el.before(list);
      stack.push({ level: item.level, ordered: item.ordered, list });
    }
    const li = doc.createElement('li');
    const p = doc.createElement('p');
    while (item.el.firstChild) p.appendChild(item.el.firstChild);
    li.appendChild(p);
    stack[stack.length - 1]!.list.appendChild(li);
    item.el.remove();
  }
}

// ---------------------------------------------------------------------------

function classifyImage(src: string): 'keep' | 'drop' {
  const value = src.trim();
  if (/^https?:\/\//i.test(value)) return 'keep';
  if (/^data:image\/(?:png|jpe?g|gif|webp|bmp);base64,/i.test(value)) return 'keep';
  // file:///, cid:, blob:, relative paths: the page has no way to read them.
  return 'drop';
}

/** Converts presentational markup to the semantic tags the editor understands. */
function normaliseElement(el: Element, counter: { droppedImages: number }): void {
  const tag = el.tagName.toLowerCase();
  if (DROP_WITH_CONTENT.has(tag)) {
    el.remove();
    return;
  }
  // Office smart tags (<st1:chsdate>5月20日</st1:chsdate>) wrap real text.
  if (tag.includes(':')) {
    unwrap(el);
    return;
  }
  const style = styleOf(el);
  const className = el.getAttribute('class') ?? '';

  if (tag === 'img') {
    const src = el.getAttribute('src') ?? '';
    if (classifyImage(src) === 'drop') {
      counter.droppedImages++;
      el.remove();
      return;
    }
    for (const attr of Array.from(el.attributes)) {
      if (!['src', 'alt', 'title'].includes(attr.name)) el.removeAttribute(attr.name);
    }
    return;
  }

  if (tag === 'a') {
    const href = el.getAttribute('href');
    if (!href || !isSafeHref(href) || /^data:/i.test(href.trim())) {
      unwrap(el);
      return;
    }
    for (const attr of Array.from(el.attributes)) if (attr.name !== 'href') el.removeAttribute(attr.name);
    return;
  }

  let target: Element = el;
  if (tag === 'p' && /\bMsoTitle\b/i.test(className)) target = rename(el, 'h1');
  else if (tag === 'p' && /\bMsoSubtitle\b/i.test(className)) target = rename(el, 'h2');
  else if (tag === 'p' && /\bMsoHeading([1-6])\b/i.exec(className)) {
    target = rename(el, `h${/\bMsoHeading([1-6])\b/i.exec(className)?.[1]}`);
  } else if (tag === 'b') target = rename(el, 'strong');
  else if (tag === 'i') target = rename(el, 'em');
  else if (tag === 'strike' || tag === 'del') target = rename(el, 's');
  else if (tag === 'ins') target = rename(el, 'u');
  const targetTag = target.tagName.toLowerCase();

  // Google Docs wraps whole fragments in <b style="font-weight:normal">: not bold.
  const weight = styleValue(style, 'font-weight');
  if (targetTag === 'strong' && weight && /^(normal|[1-4]00)$/.test(weight)) {
    unwrap(target);
    return;
  }

  if (BLOCKS_WITH_ALIGN.has(targetTag)) {
    const align = (styleValue(style, 'text-align') ?? target.getAttribute('align') ?? '').toLowerCase();
    clearAttributes(target);
    if (ALIGNS.has(align)) target.setAttribute('style', `text-align:${align}`);
  } else if (targetTag === 'td' || targetTag === 'th') {
    const colspan = target.getAttribute('colspan');
    const rowspan = target.getAttribute('rowspan');
    clearAttributes(target);
    if (colspan && /^\d+$/.test(colspan) && colspan !== '1') target.setAttribute('colspan', colspan);
    if (rowspan && /^\d+$/.test(rowspan) && rowspan !== '1') target.setAttribute('rowspan', rowspan);
  } else if (targetTag === 'ol') {
    const start = target.getAttribute('start');
    clearAttributes(target);
    if (start && /^\d+$/.test(start) && start !== '1') target.setAttribute('start', start);
  } else {
    clearAttributes(target);
  }

  // Inline formatting expressed as CSS (web pages, WPS) becomes real marks.
  if (style !== '' && !['strong', 'em', 'u', 's'].includes(targetTag) && targetTag !== 'li') {
    if (weight && /^(bold|bolder|[6-9]00)$/.test(weight)) wrapChildren(target, 'strong');
    if (styleValue(style, 'font-style') === 'italic') wrapChildren(target, 'em');
    const decoration = `${styleValue(style, 'text-decoration') ?? ''} ${styleValue(style, 'text-decoration-line') ?? ''}`;
    if (decoration.includes('underline')) wrapChildren(target, 'u');
    if (decoration.includes('line-through')) wrapChildren(target, 's');
  }
  if (targetTag === 'span' || targetTag === 'font') unwrap(target);
}

function clearAttributes(el: Element): void {
  for (const attr of Array.from(el.attributes)) el.removeAttribute(attr.name);
}

const BLANK = /^[\s\u00a0\u3000\u200b]*$/;

/**
 * Writers often indent with two ideographic spaces; the editor and the portal
 * indent body paragraphs with CSS, so leading spaces would double the indent.
 */
function trimLeadingIndent(block: Element): void {
  const walker = block.ownerDocument.createTreeWalker(block, 4 /* SHOW_TEXT */);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = node.nodeValue ?? '';
    const trimmed = text.replace(/^[\s\u00a0\u3000]+/, '');
    node.nodeValue = trimmed;
    if (trimmed !== '') return;
  }
}

function tidyBlocks(root: Element): void {
  for (const block of Array.from(root.querySelectorAll('p, h1, h2, h3, h4, h5, h6'))) {
    if (BLANK.test(block.textContent ?? '') && !block.querySelector('img, br')) {
      // An empty paragraph is Word's way to add vertical space; inside cells it keeps the cell.
      if (!block.closest('td, th, li')) block.remove();
      continue;
    }
    trimLeadingIndent(block);
  }
  // A block's text no longer needs the line breaks Word inserts for source wrapping.
  const walker = root.ownerDocument.createTreeWalker(root, 4 /* SHOW_TEXT */);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const value = node.nodeValue ?? '';
    if (value.includes('\n') || value.includes('\r')) node.nodeValue = value.replace(/[\r\n]+/g, ' ');
  }
}

/**
 * Cleans HTML from Word, WPS or web pages for pasting into the article editor:
 * keeps structure (paragraphs, headings, lists, tables, bold/italic/underline,
 * safe links, readable images), drops fonts, colours, classes, Office markup,
 * scripts and event handlers. Text, including full-width punctuation, is kept.
 */
export function cleanPastedHtml(html: string): CleanedPaste {
  const counter = { droppedImages: 0 };
  const stripped = stripOfficeJunk(html);
  const parsed = new DOMParser().parseFromString(`<!DOCTYPE html><html><body>${stripped}</body></html>`, 'text/html');
  const root = parsed.createElement('div');
  while (parsed.body.firstChild) root.appendChild(parsed.body.firstChild);
  parsed.body.appendChild(root);

  convertFakeLists(root);
  // Children before parents would be nicer for unwrapping, but document order
  // is fine: every step only rewrites the element itself or wraps its children.
  for (const el of Array.from(root.querySelectorAll('*'))) {
    if (el.isConnected) normaliseElement(el, counter);
  }
  // Remaining comments (downlevel-revealed markers such as <![if !vml]>) carry nothing.
  const comments = parsed.createTreeWalker(root, 128 /* SHOW_COMMENT */);
  const toRemove: Node[] = [];
  for (let node = comments.nextNode(); node; node = comments.nextNode()) toRemove.push(node);
  for (const node of toRemove) node.parentNode?.removeChild(node);
  tidyBlocks(root);

  DOMPurify.sanitize(root, {
    IN_PLACE: true,
    ALLOWED_TAGS,
    ALLOWED_ATTR,
    ALLOWED_URI_REGEXP: ALLOWED_URI,
    ALLOW_DATA_ATTR: false,
    ALLOW_ARIA_ATTR: false,
  });
  // DOMPurify keeps style when allowed; only the text-align we set may remain.
  for (const el of Array.from(root.querySelectorAll('[style]'))) {
    const align = /^text-align:(center|right|justify)$/.exec(el.getAttribute('style') ?? '');
    if (!align || !BLOCKS_WITH_ALIGN.has(el.tagName.toLowerCase())) el.removeAttribute('style');
  }
  return { html: root.innerHTML, droppedImages: counter.droppedImages };
}
