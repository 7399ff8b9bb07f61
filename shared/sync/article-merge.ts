import { z } from 'zod';
import type { ConflictChoice, ConflictField, ConflictHunk, SyncConflictView } from '../api/contract/sync';
import { type Article, ArticleMetaSchema, ArticleSchema } from '../domain/article';
import { type DocNode, DocNodeSchema } from '../domain/doc';
import { translate } from '../i18n';
import { canonicalJson } from '../workflow/canonical';

/*
 * The three-way merge of one article when two desktops both changed it, and
 * the decision a person then makes about what the merge could not decide.
 * Pure (no Node, no DOM): the sync service merges with it and the editor can
 * show and decide conflicts with the very same code.
 *
 * Never a text merge: an article is JSON, and markers or half-merged lines in
 * it would corrupt it. Metadata merges field by field; the document merges by
 * its top-level blocks, compared as canonical JSON. A change made on one side
 * only is taken; the same change made on both sides is one change; changes
 * that touch the same blocks of the common ancestor (or insert at the same
 * place) differently are a conflict hunk, where the merged article keeps this
 * desktop's blocks and the hunk keeps both sides for the person to choose.
 */

export const SYNC_CONFLICT_FORMAT = 'gazette/sync-conflict/v1';
/** Beside article.json; never synced (outside the sync scope's allowlist): a conflict is this desktop's to decide. */
export const SYNC_CONFLICT_FILE = 'sync-conflict.json';

const metaKeys = Object.keys(ArticleMetaSchema.shape) as Array<keyof Article['meta']>;

/** Whole-article fields merged like metadata; the trash's time and person travel together. */
const ARTICLE_FIELDS = ['trash', 'createdBy', 'conflictOf', 'importedFrom'] as const;

export interface ArticleMergeResult {
  /** The merged article: this desktop's blocks and values wherever a conflict is. Always a valid {@link Article}. */
  article: Article;
  hunks: ConflictHunk[];
  fields: ConflictField[];
}

const key = (value: unknown): string => canonicalJson(value ?? null);

// ───────────────────────────── the document ─────────────────────────────

/** One side's change to the base: base blocks [start, end) replaced by `blocks`. */
interface Change {
  start: number;
  end: number;
  blocks: DocNode[];
}

/**
 * Pairs of equal items (base index, side index) of a longest common
 * subsequence. The common head and tail are matched first so that the table
 * covers only what changed: a one-paragraph edit in a long article costs next
 * to nothing.
 */
function commonPairs(base: readonly string[], side: readonly string[]): Array<[number, number]> {
  let head = 0;
  while (head < base.length && head < side.length && base[head] === side[head]) head++;
  let tail = 0;
  while (tail < base.length - head && tail < side.length - head && base[base.length - 1 - tail] === side[side.length - 1 - tail]) tail++;
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < head; i++) pairs.push([i, i]);
  const n = base.length - head - tail;
  const m = side.length - head - tail;
  // Beyond this the table would take hundreds of megabytes: leave the middle
  // unmatched, which can only turn a merge into a conflict, never lose a block.
  if (n > 0 && m > 0 && n * m <= 16_000_000) {
    const width = m + 1;
    const table = new Uint32Array((n + 1) * width);
    for (let i = n - 1; i >= 0; i--) {
      for (let j = m - 1; j >= 0; j--) {
        table[i * width + j] =
          base[head + i] === side[head + j]
            ? table[(i + 1) * width + j + 1]! + 1
            : Math.max(table[(i + 1) * width + j]!, table[i * width + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < n && j < m) {
      if (base[head + i] === side[head + j]) {
        pairs.push([head + i, head + j]);
        i++;
        j++;
      } else if (table[(i + 1) * width + j]! >= table[i * width + j + 1]!) i++;
      else j++;
    }
  }
  for (let k = tail; k > 0; k--) pairs.push([base.length - k, side.length - k]);
  return pairs;
}

/** What a side changed relative to the base, as non-overlapping changes in base order. */
function changesOf(baseKeys: readonly string[], sideKeys: readonly string[], side: readonly DocNode[]): Change[] {
  const changes: Change[] = [];
  let o = 0;
  let s = 0;
  for (const [bo, bs] of [...commonPairs(baseKeys, sideKeys), [baseKeys.length, sideKeys.length] as [number, number]]) {
    if (bo - o === bs - s) {
      // Blocks rewritten one for one are changes of each block, so an edit of
      // the next block on the other side is not caught up in them.
      for (let k = 0; k < bo - o; k++) changes.push({ start: o + k, end: o + k + 1, blocks: [side[s + k]!] });
    } else if (bo > o || bs > s) changes.push({ start: o, end: bo, blocks: side.slice(s, bs) });
    o = bo + 1;
    s = bs + 1;
  }
  return changes;
}

/** Whether two changes touch the same base blocks, or insert at the same place. */
function overlaps(a: Change, b: Change): boolean {
  if (a.start === a.end && b.start === b.end) return a.start === b.start;
  if (a.start === a.end) return b.start < a.start && a.start < b.end;
  if (b.start === b.end) return a.start < b.start && b.start < a.end;
  return a.start < b.end && b.start < a.end;
}

/** The base range [start, end) with a side's changes inside it applied. */
function applyWithin(base: readonly DocNode[], start: number, end: number, changes: readonly Change[]): DocNode[] {
  const out: DocNode[] = [];
  let at = start;
  for (const change of changes) {
    out.push(...base.slice(at, change.start), ...change.blocks);
    at = change.end;
  }
  out.push(...base.slice(at, end));
  return out;
}

function hunkKind(base: readonly DocNode[], mine: readonly DocNode[], theirs: readonly DocNode[]): ConflictHunk['kind'] {
  if (base.length === 0) return 'added_both';
  if (mine.length === 0) return 'deleted_here';
  if (theirs.length === 0) return 'deleted_there';
  return 'both_changed';
}

/**
 * Merges the top-level blocks of three versions of a document. The merged
 * blocks keep `mine` in every hunk; each hunk's `at` is where its `mine`
 * blocks start in the merged list.
 */
export function mergeBlocks(
  base: readonly DocNode[],
  mine: readonly DocNode[],
  theirs: readonly DocNode[],
  strict = false,
): { blocks: DocNode[]; hunks: ConflictHunk[] } {
  const baseKeys = base.map(key);
  const mineChanges = changesOf(baseKeys, mine.map(key), mine).map((c) => ({ ...c, side: 'mine' as const }));
  const theirChanges = changesOf(baseKeys, theirs.map(key), theirs).map((c) => ({ ...c, side: 'theirs' as const }));
  const all = [...mineChanges, ...theirChanges].sort((a, b) => a.start - b.start || a.end - b.end);
  // Clusters of changes linked by overlap: each is applied alone, or is one conflict.
  const clusters: Array<typeof all> = [];
  for (const change of all) {
    const last = clusters.at(-1);
    if (last?.some((c) => overlaps(c, change))) last.push(change);
    else clusters.push([change]);
  }
  const blocks: DocNode[] = [];
  const hunks: ConflictHunk[] = [];
  let at = 0;
  for (const cluster of clusters) {
    const start = Math.min(...cluster.map((c) => c.start));
    const end = Math.max(...cluster.map((c) => c.end));
    blocks.push(...base.slice(at, start));
    at = end;
    const mineHere = cluster.filter((c) => c.side === 'mine');
    const theirsHere = cluster.filter((c) => c.side === 'theirs');
    const mineVersion = applyWithin(base, start, end, mineHere);
    const theirVersion = applyWithin(base, start, end, theirsHere);
    // Strict: a change made here only is not taken either; the person decides it like a conflict.
    const oneSided = mineHere.length === 0 || (theirsHere.length === 0 && !strict);
    if (oneSided || key(mineVersion) === key(theirVersion)) {
      blocks.push(...(mineHere.length ? mineVersion : theirVersion));
      continue;
    }
    const baseBlocks = base.slice(start, end);
    hunks.push({
      id: `h${hunks.length + 1}`,
      kind: hunkKind(baseBlocks, mineVersion, theirVersion),
      base: baseBlocks,
      mine: mineVersion,
      theirs: theirVersion,
      at: blocks.length,
    });
    blocks.push(...mineVersion);
  }
  blocks.push(...base.slice(at));
  return { blocks, hunks };
}

// ───────────────────────────── the article ─────────────────────────────

function fieldValue(article: Article, field: string): unknown {
  if (field.startsWith('meta.')) return article.meta[field.slice(5) as keyof Article['meta']];
  if (field === 'trash') return { trashedAt: article.trashedAt ?? null, trashedBy: article.trashedBy ?? null };
  return article[field as (typeof ARTICLE_FIELDS)[number] & keyof Article] ?? null;
}

function setField(article: Article, field: string, value: unknown): Article {
  if (field.startsWith('meta.')) return { ...article, meta: { ...article.meta, [field.slice(5)]: value } };
  if (field === 'trash') {
    const trash = value as { trashedAt: string | null; trashedBy: string | null };
    return { ...article, trashedAt: trash.trashedAt, trashedBy: trash.trashedBy };
  }
  const next: Record<string, unknown> = { ...article };
  // An import's origin is absent rather than null when there is none.
  if (value === null && field === 'importedFrom') delete next[field];
  else next[field] = value;
  return next as Article;
}

/** Every field merged three-way: each metadata field, then the article's own. */
export const MERGED_FIELDS: readonly string[] = [...metaKeys.map((k) => `meta.${k}`), ...ARTICLE_FIELDS];

export interface MergeOptions {
  /**
   * Changes made on this desktop only are conflicts too, not taken: then
   * {@link takeTheirs} of the result is the other side's article exactly. For
   * text under review, where a merged version needs someone entitled to sign
   * it, and for refreshing a conflict still undecided.
   */
  strict?: boolean;
}

/**
 * Merges three versions of an article. `base` is the version both started
 * from (null: both created it independently, so every difference is a
 * conflict). The merged article is this desktop's where they conflict; its
 * `status` is this desktop's (the record decides it, the caller rewrites it)
 * and `updatedAt` the later of the two.
 */
export function mergeArticles(base: Article | null, mine: Article, theirs: Article, options: MergeOptions = {}): ArticleMergeResult {
  const strict = options.strict === true;
  let article: Article = { ...mine };
  const fields: ConflictField[] = [];
  for (const field of MERGED_FIELDS) {
    const b = base ? fieldValue(base, field) : undefined;
    const m = fieldValue(mine, field);
    const t = fieldValue(theirs, field);
    const [bk, mk, tk] = [base ? key(b) : null, key(m), key(t)];
    if (mk === tk || (tk === bk && !strict)) continue;
    if (mk === bk) article = setField(article, field, t);
    else fields.push({ field, base: base ? b : null, mine: m, theirs: t });
  }
  const { blocks, hunks } = mergeBlocks(base?.doc.content ?? [], mine.doc.content, theirs.doc.content, strict);
  article = {
    ...article,
    doc: { ...mine.doc, content: blocks },
    // ISO times: the later sorts last.
    updatedAt: [mine.updatedAt, theirs.updatedAt].sort().at(-1)!,
  };
  return { article: ArticleSchema.parse(article), hunks, fields };
}

/**
 * The merged article with the other side's version in every conflict: what
 * the office's copy holds while the person has not decided, so the other
 * desktop never receives this desktop's undecided text as if it were agreed.
 * Hunks are placed at their `at`, as {@link mergeBlocks} left them.
 */
export function takeTheirs(article: Article, hunks: readonly ConflictHunk[], fields: readonly ConflictField[]): Article {
  const blocks = [...article.doc.content];
  const order = hunks.map((hunk, index) => ({ hunk, index })).sort((a, b) => b.hunk.at - a.hunk.at || b.index - a.index);
  for (const { hunk } of order) blocks.splice(hunk.at, hunk.mine.length, ...structuredClone(hunk.theirs));
  let out: Article = { ...article, doc: { ...article.doc, content: blocks } };
  for (const field of fields) out = setField(out, field.field, structuredClone(field.theirs));
  return ArticleSchema.parse(out);
}

export interface ConflictRefreshInput {
  /** The conflict as it was: its hunks and fields name the common base the person saw. */
  previous: { hunks: readonly ConflictHunk[]; fields: readonly ConflictField[] };
  /** This desktop's article now (its undecided parts in the text). */
  workspace: Article;
  /** The other side's version the conflict was made against (the office's copy until now); null when it had none. */
  before: Article | null;
  /** The other side's newer version. */
  after: Article;
}

/**
 * A conflict still undecided when the other side changed the article again:
 * the newer changes are taken where this desktop has nothing undecided, and
 * every place this desktop differs from the newer version is a part to decide
 * (strict, so nothing of this desktop's is taken silently and
 * {@link takeTheirs} of the result is the newer version). A part still the
 * same disagreement keeps the base the person was shown.
 */
export function refreshConflict(input: ConflictRefreshInput): ArticleMergeResult {
  const result = mergeArticles(input.before, input.workspace, input.after, { strict: true });
  const hunks = result.hunks.map((hunk) => {
    const old = input.previous.hunks.find((o) => key(o.mine) === key(hunk.mine) && key(o.theirs) === key(hunk.base));
    return old ? { ...hunk, base: structuredClone(old.base) } : hunk;
  });
  const fields = result.fields.map((field) => {
    const old = input.previous.fields.find((o) => o.field === field.field && key(o.mine) === key(field.mine) && key(o.theirs) === key(field.base));
    return old ? { ...field, base: structuredClone(old.base) } : field;
  });
  return { article: result.article, hunks, fields };
}

// ───────────────────────────── the conflict file ─────────────────────────────

const ConflictHunkSchema = z.object({
  id: z.string().min(1).max(64),
  kind: z.enum(['both_changed', 'deleted_here', 'deleted_there', 'added_both']),
  base: z.array(DocNodeSchema),
  mine: z.array(DocNodeSchema),
  theirs: z.array(DocNodeSchema),
  at: z.number().int().nonnegative(),
});

const ConflictFieldSchema = z.object({
  field: z.string().min(1).max(64),
  base: z.unknown(),
  mine: z.unknown(),
  theirs: z.unknown(),
});

/** `articles/<id>/sync-conflict.json`: the view the editor shows, with where the other version came from. */
export const SyncConflictFileSchema = z.object({
  format: z.literal(SYNC_CONFLICT_FORMAT),
  articleId: z.string().regex(/^[A-Za-z0-9_-]{6,64}$/),
  title: z.string(),
  detectedAt: z.string(),
  theirsBy: z.object({ personId: z.string(), name: z.string() }).nullable(),
  theirsAt: z.string().nullable(),
  /** The office commit the other version came from. */
  theirsCommit: z.string().regex(/^[0-9a-f]{40}$/),
  revisionId: z.string().nullable(),
  /**
   * A fingerprint of the document as the merge left it: while it still
   * matches, every hunk is exactly at its `at`; once the person has edited, a
   * hunk is found by its blocks or not at all.
   */
  docKey: z.string(),
  fields: z.array(ConflictFieldSchema),
  hunks: z.array(ConflictHunkSchema),
});
export type SyncConflictFile = z.infer<typeof SyncConflictFileSchema> & { fields: ConflictField[]; hunks: ConflictHunk[] };

/** A short fingerprint of a document's blocks (not a security hash: it only tells whether the person edited since). */
export function docKeyOf(blocks: readonly DocNode[]): string {
  const text = key(blocks);
  // FNV-1a, two lanes: 64 bits is plenty to tell an edit from none.
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x811c9dc5) >>> 0;
  }
  return `${text.length.toString(36)}-${h1.toString(16).padStart(8, '0')}${h2.toString(16).padStart(8, '0')}`;
}

/** The view the editor shows, from a conflict file. */
export function conflictView(file: SyncConflictFile): SyncConflictView & { docKey: string } {
  const { articleId, title, detectedAt, theirsBy, theirsAt, fields, hunks, revisionId, docKey } = file;
  return { articleId, title, detectedAt, theirsBy, theirsAt, fields, hunks, revisionId, docKey };
}

// ───────────────────────────── deciding ─────────────────────────────

export interface ConflictChoices {
  hunks: ReadonlyArray<{ id: string; take: ConflictChoice }>;
  fields: ReadonlyArray<{ field: string; take: 'mine' | 'theirs' }>;
}

/** A decision that cannot be applied as asked; `message` is ready to show. */
export class ConflictResolveError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConflictResolveError';
  }
}

const msg = (k: Parameters<typeof translate>[1], params?: Record<string, string | number>) => translate('zh-CN', k, params);

function sameBlocks(blocks: readonly DocNode[], at: number, wanted: readonly DocNode[]): boolean {
  if (at < 0 || at + wanted.length > blocks.length) return false;
  for (let i = 0; i < wanted.length; i++) if (key(blocks[at + i]) !== key(wanted[i])) return false;
  return true;
}

/**
 * Where a hunk's `mine` blocks are in the document now: at `at` while the
 * document is as the merge left it; else wherever exactly one run of blocks
 * equals them. A hunk whose blocks were edited since, appear twice, or that
 * had none (an insertion by the other side only) in an edited document
 * cannot be placed without guessing, and is refused.
 */
function locate(blocks: readonly DocNode[], hunk: ConflictHunk, unchanged: boolean): number {
  if (unchanged && sameBlocks(blocks, hunk.at, hunk.mine)) return hunk.at;
  if (hunk.mine.length === 0) throw new ConflictResolveError(msg('conflict.merge.resolveEdited', { hunk: hunk.id }));
  const found: number[] = [];
  for (let i = 0; i + hunk.mine.length <= blocks.length; i++) if (sameBlocks(blocks, i, hunk.mine)) found.push(i);
  if (found.length === 1) return found[0]!;
  if (found.length > 1 && found.includes(hunk.at)) return hunk.at;
  throw new ConflictResolveError(msg(found.length ? 'conflict.merge.resolveAmbiguous' : 'conflict.merge.resolveEdited', { hunk: hunk.id }));
}

/**
 * The article with the person's decision applied: per hunk `mine` keeps this
 * desktop's blocks, `theirs` puts the other desktop's in their place, `both`
 * keeps this desktop's and then the other's; per field `mine` keeps the value
 * the article has now, `theirs` takes the other's. Every hunk and every field
 * must be decided exactly once; anything else is refused with a message and
 * the article is left as it was.
 */
export function resolveConflict(article: Article, conflict: SyncConflictView & { docKey?: string }, choices: ConflictChoices): Article {
  const hunkChoices = new Map<string, ConflictChoice>();
  for (const choice of choices.hunks) {
    if (!conflict.hunks.some((h) => h.id === choice.id)) throw new ConflictResolveError(msg('conflict.merge.resolveUnknown', { id: choice.id }));
    if (hunkChoices.has(choice.id)) throw new ConflictResolveError(msg('conflict.merge.resolveTwice', { id: choice.id }));
    hunkChoices.set(choice.id, choice.take);
  }
  const fieldChoices = new Map<string, 'mine' | 'theirs'>();
  for (const choice of choices.fields) {
    if (!conflict.fields.some((f) => f.field === choice.field)) throw new ConflictResolveError(msg('conflict.merge.resolveUnknown', { id: choice.field }));
    if (fieldChoices.has(choice.field)) throw new ConflictResolveError(msg('conflict.merge.resolveTwice', { id: choice.field }));
    fieldChoices.set(choice.field, choice.take);
  }
  const undecided = [...conflict.hunks.map((h) => h.id).filter((id) => !hunkChoices.has(id)), ...conflict.fields.map((f) => f.field).filter((f) => !fieldChoices.has(f))];
  if (undecided.length) throw new ConflictResolveError(msg('conflict.merge.resolveUndecided', { count: undecided.length, ids: undecided.join('、') }));

  const blocks = [...article.doc.content];
  const unchanged = conflict.docKey !== undefined && conflict.docKey === docKeyOf(blocks);
  const placed = conflict.hunks
    .map((hunk) => ({ hunk, start: locate(blocks, hunk, unchanged) }))
    .sort((a, b) => b.start - a.start || b.hunk.mine.length - a.hunk.mine.length);
  // Two hunks claiming the same blocks would have one overwrite the other.
  for (let i = 1; i < placed.length; i++) {
    const later = placed[i - 1]!;
    const earlier = placed[i]!;
    if (earlier.start + earlier.hunk.mine.length > later.start && (earlier.hunk.mine.length > 0 || earlier.start > later.start)) {
      throw new ConflictResolveError(msg('conflict.merge.resolveAmbiguous', { hunk: later.hunk.id }));
    }
  }
  for (const { hunk, start } of placed) {
    const take = hunkChoices.get(hunk.id)!;
    const replacement = take === 'mine' ? hunk.mine : take === 'theirs' ? hunk.theirs : [...hunk.mine, ...hunk.theirs];
    blocks.splice(start, hunk.mine.length, ...structuredClone(replacement));
  }
  let decided: Article = { ...article, doc: { ...article.doc, content: blocks } };
  for (const field of conflict.fields) {
    if (fieldChoices.get(field.field) === 'theirs') decided = setField(decided, field.field, structuredClone(field.theirs));
  }
  const parsed = ArticleSchema.safeParse(decided);
  if (!parsed.success) throw new ConflictResolveError(msg('conflict.merge.resolveInvalid', { detail: parsed.error.issues[0]?.path.join('.') ?? '' }));
  return parsed.data;
}
