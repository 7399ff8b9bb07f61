/**
 * The text of an HTML page as a reader sees it, reduced so that what a
 * publishing server legitimately changes does not count as a difference:
 * tags, comments, scripts and whitespace go, entities are decoded, and the
 * typography WordPress applies (curly quotes, dashes, ellipsis) is folded to
 * one form. Used to check that a live page shows the approved body.
 */

const NAMED_ENTITIES: Record<string, string> = {
  nbsp: ' ',
  quot: '"',
  apos: "'",
  lt: '<',
  gt: '>',
  amp: '&',
  hellip: '…',
  ndash: '–',
  mdash: '—',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  middot: '·',
  times: '×',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#\d+|#x[0-9a-f]+|[a-z]+);/gi, (whole, name: string) => {
    if (name[0] === '#') {
      const code = name[1] === 'x' || name[1] === 'X' ? Number.parseInt(name.slice(2), 16) : Number(name.slice(1));
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** Normalised reader text of an HTML fragment or page (see the module comment). */
export function normalizedPageText(html: string): string {
  return decodeEntities(
    html
      .replace(/<!--[\s\S]*?-->/g, '')
      .replace(/<(script|style|noscript|template)\b[\s\S]*?<\/\1\s*>/gi, '')
      .replace(/<[^>]*>/g, ''),
  )
    .replace(/[“”„″]/g, '"')
    .replace(/[‘’‚′]/g, "'")
    .replace(/…/g, '...')
    .replace(/[-‐‑‒–—―]+/g, '-')
    .replace(/×/g, 'x')
    .replace(/[\s\u00a0\u3000\u200b]+/g, '');
}
