/**
 * Just enough HTML handling for imports, without a DOM (the main process has
 * none): entity decoding, a forgiving tree builder for the tidy HTML mammoth
 * emits, and page-source → plain text for saved portal pages.
 */

const NAMED_ENTITIES: Record<string, string> = {
  nbsp: ' ',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  ldquo: '“',
  rdquo: '”',
  lsquo: '‘',
  rsquo: '’',
  mdash: '—',
  ndash: '–',
  hellip: '…',
  middot: '·',
  bull: '•',
  times: '×',
  divide: '÷',
  copy: '©',
  reg: '®',
  trade: '™',
  laquo: '«',
  raquo: '»',
  lsaquo: '‹',
  rsaquo: '›',
  yen: '¥',
  deg: '°',
  plusmn: '±',
  sect: '§',
  ensp: ' ',
  emsp: '\u3000',
  thinsp: ' ',
  zwj: '',
  zwnj: '',
  shy: '',
};

/** Decodes named (common ones) and numeric character references; unknown ones are left as written. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z][a-z0-9]*);?/giu, (whole, body: string) => {
    if (body.startsWith('#')) {
      const code = body[1] === 'x' || body[1] === 'X' ? Number.parseInt(body.slice(2), 16) : Number(body.slice(1));
      if (!Number.isFinite(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return whole;
      return String.fromCodePoint(code);
    }
    const named = NAMED_ENTITIES[body.toLowerCase()];
    return named ?? whole;
  });
}

export interface HtmlElement {
  tag: string;
  attrs: Record<string, string>;
  children: HtmlNode[];
  /**
   * Where the element stands in the page once comments and raw-text elements are
   * dropped (see {@link withoutElements}): from its opening tag to the end of its
   * closing tag, or to where the parser closed it.
   */
  range?: { start: number; end: number };
}
export type HtmlNode = HtmlElement | string;

const VOID_TAGS = new Set(['img', 'br', 'hr', 'meta', 'link', 'input', 'col', 'area', 'base', 'wbr', 'source']);
const RAW_TEXT_TAGS = ['script', 'style', 'noscript', 'template', 'textarea'];

function parseAttributes(source: string): Record<string, string> {
  const attrs: Record<string, string> = {};
  const pattern = /([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/gu;
  for (const match of source.matchAll(pattern)) {
    const name = (match[1] ?? '').toLowerCase();
    attrs[name] = decodeEntities(match[2] ?? match[3] ?? match[4] ?? '');
  }
  return attrs;
}

function dropRawText(html: string): string {
  let out = html.replace(/<!--[\s\S]*?-->/gu, '').replace(/<!\[CDATA\[[\s\S]*?\]\]>/gu, '');
  for (const tag of RAW_TEXT_TAGS) {
    out = out.replace(new RegExp(`<${tag}\\b[\\s\\S]*?</${tag}\\s*>`, 'giu'), '');
  }
  return out;
}

/** The depth of the tree Blink's HTML parser builds at most (kMaximumHTMLParserDOMTreeDepth). */
const MAX_DEPTH = 512;

/**
 * Builds a tree from HTML, tolerating unclosed and stray closing tags the way
 * browsers roughly do: a closing tag closes the nearest open element of its name.
 */
export function parseHtml(html: string): HtmlElement {
  const source = dropRawText(html);
  const root: HtmlElement = { tag: '#root', attrs: {}, children: [], range: { start: 0, end: source.length } };
  const stack: HtmlElement[] = [root];
  const close = (depth: number, at: number): void => {
    for (const element of stack.slice(depth)) if (element.range) element.range.end = at;
    stack.length = depth;
  };
  const token = /<\/?([a-zA-Z][a-zA-Z0-9:-]*)((?:[^>"']|"[^"]*"|'[^']*')*)>|<![^>]*>|<\?[^>]*>|([^<]+|<)/gu;
  for (const match of source.matchAll(token)) {
    const parent = stack[stack.length - 1] ?? root;
    const [whole, rawTag, rawAttrs = '', text] = match;
    if (text !== undefined) {
      parent.children.push(decodeEntities(text));
      continue;
    }
    if (rawTag === undefined) continue; // doctype, processing instruction
    const tag = rawTag.toLowerCase();
    if (whole.startsWith('</')) {
      // Most closing tags close the innermost element: found without walking the whole stack.
      const openAt = parent.tag === tag ? stack.length - 1 : stack.map((element) => element.tag).lastIndexOf(tag);
      if (openAt > 0) {
        // Elements left open inside it end where it starts closing; it ends after its tag.
        close(openAt + 1, match.index);
        close(openAt, match.index + whole.length);
      }
      continue;
    }
    const element: HtmlElement = {
      tag,
      attrs: parseAttributes(rawAttrs.replace(/\/\s*$/u, '')),
      children: [],
      range: { start: match.index, end: match.index + whole.length },
    };
    // Past the depth Blink also stops at, an element goes beside the deepest one instead of
    // inside it (its text still inside it): a page of 20,000 nested <div>s would otherwise
    // overflow every walk of the tree.
    const treeParent = stack.length > MAX_DEPTH ? (stack[MAX_DEPTH - 1] ?? root) : parent;
    treeParent.children.push(element);
    if (!VOID_TAGS.has(tag) && !rawAttrs.trim().endsWith('/')) stack.push(element);
  }
  close(1, source.length);
  return root;
}

/**
 * The page without the given elements of its {@link parseHtml} tree, as HTML for
 * {@link htmlToText}. Comments and raw-text elements are gone from it already.
 */
export function withoutElements(html: string, elements: readonly HtmlElement[]): string {
  const cuts = elements
    .flatMap((element) => (element.range ? [element.range] : []))
    .sort((a, b) => a.start - b.start);
  const source = dropRawText(html);
  let out = '';
  let at = 0;
  for (const cut of cuts) {
    if (cut.start < at) continue; // inside an element already cut
    // The element was a block of its own: its place stays a line break, not a join of its neighbours.
    out += `${source.slice(at, cut.start)}<br>`;
    at = cut.end;
  }
  return out + source.slice(at);
}

const BLOCK_TAGS =
  /<\/?(?:p|div|br|h[1-6]|li|ul|ol|tr|table|thead|tbody|tfoot|section|article|header|footer|nav|aside|main|blockquote|pre|hr|dd|dt|dl|form|fieldset|figure|figcaption|caption|center|address|title|option)\b[^>]*>/giu;

/** A source line break between two Chinese characters is not a space a writer typed. */
const HAN_GAP = /([\p{Script=Han}\u3000-\u303f\uff00-\uffef“”‘’]) (?=[\p{Script=Han}\u3000-\u303f\uff00-\uffef“”‘’])/gu;

/** One block per line, trimmed; a source line break between Chinese characters is no space. */
function tidyText(text: string): string {
  return text
    .split('\n')
    // A tab separates table cells: kept, so rows stay rows (portal-text never joins them).
    .map((line) => line.replace(/ +/gu, ' ').replace(/ ?\t[ \t]*/gu, '\t').replace(HAN_GAP, '$1').trim())
    .join('\n')
    .replace(/\n{3,}/gu, '\n\n');
}

/** Page source → the text a reader would copy from the page (one block per line). */
export function htmlToText(html: string): string {
  const withoutHead = dropRawText(html).replace(/<head\b[\s\S]*?<\/head\s*>/iu, '');
  return tidyText(
    decodeEntities(
      withoutHead
        // Source line breaks are not visible text; block tags are.
        .replace(/\s+/gu, ' ')
        // Every block is its own paragraph: a blank line keeps the text parser from joining them.
        .replace(BLOCK_TAGS, '\n\n')
        .replace(/<\/t[dh]\s*>/giu, '\t')
        .replace(/<[^>]*>/gu, ''),
    ),
  );
}

/** Elements that stand on lines of their own in the text of a page. */
export const TEXT_BLOCKS: ReadonlySet<string> = new Set(
  'p div br h1 h2 h3 h4 h5 h6 li ul ol tr table thead tbody tfoot section article header footer nav aside main blockquote pre hr dd dt dl form fieldset figure figcaption caption center address title option'.split(' '),
);

/** The text of one element of a parsed page, the way {@link htmlToText} gives the text of the whole page. */
export function elementText(element: HtmlElement): string {
  const parts: string[] = [];
  const visit = (node: HtmlNode): void => {
    if (typeof node === 'string') {
      parts.push(node.replace(/\s+/gu, ' '));
      return;
    }
    const block = TEXT_BLOCKS.has(node.tag);
    if (block) parts.push('\n\n');
    for (const child of node.children) visit(child);
    if (block) parts.push('\n\n');
    else if (node.tag === 'td' || node.tag === 'th') parts.push('\t');
  };
  visit(element);
  return tidyText(parts.join('')).trim();
}

/** Every element under `root` (itself included) that `test` accepts, in document order. */
export function findElements(root: HtmlElement, test: (element: HtmlElement) => boolean): HtmlElement[] {
  const found: HtmlElement[] = [];
  const visit = (element: HtmlElement): void => {
    if (test(element)) found.push(element);
    for (const child of element.children) if (typeof child !== 'string') visit(child);
  };
  visit(root);
  return found;
}

/** The class names and the id of an element, as one list. */
export function elementNames(element: HtmlElement): string[] {
  return [...(element.attrs.class ?? '').split(/\s+/u), element.attrs.id ?? ''].filter((name) => name !== '');
}
