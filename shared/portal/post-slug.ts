import { pinyin } from 'pinyin-pro';

/**
 * The readable slug a WordPress or MetaWeblog post gets (the last part of its
 * URL): the target's slug pattern when it has one, else the title in pinyin.
 * Always lowercase ASCII letters, digits and '-', at most {@link POST_SLUG_MAX}
 * characters, so it survives every server and every link it is pasted into.
 */

/** WordPress allows 200; URLs people read and paste stay shorter. */
export const POST_SLUG_MAX = 60;

/** Placeholders a slug pattern may use. */
export const POST_SLUG_PLACEHOLDERS = ['title', 'yyyy', 'mm', 'dd', 'id'] as const;

export interface PostSlugInput {
  title: string;
  /** Office local 'YYYY-MM-DD[THH:mm]', or null when it goes out "now". */
  date: string | null;
  articleId: string;
}

/** Lowercase ASCII words joined by '-'; '' when nothing readable is left. */
function asciiWords(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
}

/** The title as pinyin syllables (ü as v), digits and Latin words kept, everything else a separator. */
export function titlePinyin(title: string): string {
  const syllables = pinyin(title, { toneType: 'none', type: 'array', nonZh: 'consecutive', v: true });
  return asciiWords(syllables.join('-'));
}

/** Cuts at a '-' so no syllable is split, unless the first word alone is too long. */
function limit(slug: string, max: number): string {
  if (slug.length <= max) return slug;
  const cut = slug.slice(0, max + 1);
  const boundary = cut.lastIndexOf('-');
  return (boundary > 0 ? cut.slice(0, boundary) : slug.slice(0, max)).replace(/-+$/, '');
}

/**
 * The post slug for an article. `pattern` may combine {title} (pinyin),
 * {yyyy} {mm} {dd} (the publication date, else today's) and {id} (the
 * article id) with ASCII text, e.g. '{yyyy}{mm}{dd}-{title}'; '' means
 * '{title}'. Falls back to the article id when the title has nothing readable.
 */
export function postSlug(input: PostSlugInput, pattern = '', today: Date = new Date()): string {
  const fallbackDate = today.toISOString().slice(0, 10);
  const date = input.date && /^\d{4}-\d{2}-\d{2}/.test(input.date) ? input.date.slice(0, 10) : fallbackDate;
  const [yyyy = '', mm = '', dd = ''] = date.split('-');
  const values: Record<string, string> = { title: titlePinyin(input.title), yyyy, mm, dd, id: asciiWords(input.articleId) };
  const filled = (pattern.trim() || '{title}').replace(/\{([a-z]+)\}/g, (whole, name: string) => values[name] ?? whole);
  const slug = limit(asciiWords(filled), POST_SLUG_MAX);
  return slug === '' ? limit(values.id || 'post', POST_SLUG_MAX) : slug;
}
