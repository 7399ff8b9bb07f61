import { type ArticleMeta, ArticleMetaSchema } from '../domain/article';
import { type Doc, docToPlainText } from '../domain/doc';
import { canonicalJson } from './canonical';

export type DiffOp = 'equal' | 'insert' | 'delete';

/** One run of the inline diff; within a change, deletions come before insertions. */
export interface TextSegment {
  op: DiffOp;
  text: string;
}

export interface TextDiffOptions {
  /**
   * Work allowed per changed region (diagonal steps of the Myers search).
   * A region costing more (two unrelated texts) is shown as replaced whole
   * instead of stalling the window.
   */
  budget?: number;
  /** Merge tiny coincidental matches (a shared 的 inside a rewritten sentence) into the change around them. */
  semanticCleanup?: boolean;
}

const DEFAULT_BUDGET = 10_000_000;

/**
 * Han, kana and Hangul are compared one character at a time (Chinese has no
 * spaces to split words on); Latin letters and digits as whole words; a
 * newline on its own; other whitespace as a run; anything else per character.
 */
const TOKEN_PATTERN =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]|(?:(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}])[\p{L}\p{N}\p{M}_])+|\n|[^\S\n]+|[\s\S]/gu;

/** Splits text into diff tokens; joining the tokens gives back the text exactly. */
export function tokenize(text: string): string[] {
  return text.match(TOKEN_PATTERN) ?? [];
}

/**
 * Inline diff of two plain texts. Paragraphs are matched first (cheap, and
 * keeps changes from bleeding across paragraphs); each changed stretch is
 * then compared token by token with Myers' O((N+M)D) algorithm.
 */
export function diffText(before: string, after: string, options: TextDiffOptions = {}): TextSegment[] {
  const budget = options.budget ?? DEFAULT_BUDGET;
  const out: TextSegment[] = [];
  const linesA = splitLines(before);
  const linesB = splitLines(after);
  const interner = new Map<string, number>();
  const lineRuns = diffSequences(intern(linesA, interner), intern(linesB, interner), Number.POSITIVE_INFINITY) ?? [];

  let ia = 0;
  let ib = 0;
  let pendingA = '';
  let pendingB = '';
  const flushChange = () => {
    if (pendingA || pendingB) diffRegion(pendingA, pendingB, budget, out);
    pendingA = '';
    pendingB = '';
  };
  for (const run of lineRuns) {
    if (run.op === 'equal') {
      flushChange();
      pushSegment(out, 'equal', linesA.slice(ia, ia + run.count).join(''));
      ia += run.count;
      ib += run.count;
    } else if (run.op === 'delete') {
      pendingA += linesA.slice(ia, ia + run.count).join('');
      ia += run.count;
    } else {
      pendingB += linesB.slice(ib, ib + run.count).join('');
      ib += run.count;
    }
  }
  flushChange();
  return options.semanticCleanup === false ? out : cleanupSemantic(out);
}

/** The text before the change, rebuilt from a diff. */
export function segmentsBefore(segments: readonly TextSegment[]): string {
  return segments.filter((s) => s.op !== 'insert').map((s) => s.text).join('');
}

/** The text after the change, rebuilt from a diff. */
export function segmentsAfter(segments: readonly TextSegment[]): string {
  return segments.filter((s) => s.op !== 'delete').map((s) => s.text).join('');
}

function splitLines(text: string): string[] {
  if (!text) return [];
  const lines = text.split('\n').map((line) => `${line}\n`);
  lines[lines.length - 1] = lines[lines.length - 1]!.slice(0, -1);
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function intern(items: readonly string[], table: Map<string, number>): Int32Array {
  const ids = new Int32Array(items.length);
  items.forEach((item, i) => {
    let id = table.get(item);
    if (id === undefined) {
      id = table.size;
      table.set(item, id);
    }
    ids[i] = id;
  });
  return ids;
}

function diffRegion(a: string, b: string, budget: number, out: TextSegment[]): void {
  const tokensA = tokenize(a);
  const tokensB = tokenize(b);
  const table = new Map<string, number>();
  const runs = diffSequences(intern(tokensA, table), intern(tokensB, table), budget);
  if (!runs) {
    pushSegment(out, 'delete', a);
    pushSegment(out, 'insert', b);
    return;
  }
  let ia = 0;
  let ib = 0;
  for (const run of runs) {
    if (run.op === 'insert') {
      pushSegment(out, 'insert', tokensB.slice(ib, ib + run.count).join(''));
      ib += run.count;
    } else {
      pushSegment(out, run.op, tokensA.slice(ia, ia + run.count).join(''));
      ia += run.count;
      if (run.op === 'equal') ib += run.count;
    }
  }
}

/** Appends, merging with the previous segment of the same kind and keeping delete-before-insert order. */
function pushSegment(out: TextSegment[], op: DiffOp, text: string): void {
  if (!text) return;
  const last = out[out.length - 1];
  if (last && last.op === op) {
    last.text += text;
    return;
  }
  if (op === 'delete' && last?.op === 'insert') {
    const beforeLast = out[out.length - 2];
    if (beforeLast?.op === 'delete') beforeLast.text += text;
    else out.splice(out.length - 1, 0, { op, text });
    return;
  }
  out.push({ op, text });
}

// ───────────────────────────── Myers over integer sequences ─────────────────────────────

/** A run of `count` tokens with the same fate. */
export interface DiffRun {
  op: DiffOp;
  count: number;
}

class BudgetExceeded extends Error {}

/**
 * Shortest edit script between two integer sequences (Myers, linear space,
 * middle-snake bisection after the well-tested diff-match-patch layout).
 * Returns null when the work would exceed `budget`.
 */
export function diffSequences(a: Int32Array, b: Int32Array, budget: number): DiffRun[] | null {
  const runs: DiffRun[] = [];
  const state = { left: budget };
  try {
    diffRange(a, 0, a.length, b, 0, b.length, runs, state);
  } catch (error) {
    if (error instanceof BudgetExceeded) return null;
    throw error;
  }
  return runs;
}

function pushRun(runs: DiffRun[], op: DiffOp, count: number): void {
  if (count <= 0) return;
  const last = runs[runs.length - 1];
  if (last && last.op === op) last.count += count;
  else runs.push({ op, count });
}

function diffRange(
  a: Int32Array,
  aLo: number,
  aHi: number,
  b: Int32Array,
  bLo: number,
  bHi: number,
  runs: DiffRun[],
  budget: { left: number },
): void {
  let prefix = 0;
  while (aLo + prefix < aHi && bLo + prefix < bHi && a[aLo + prefix] === b[bLo + prefix]) prefix++;
  pushRun(runs, 'equal', prefix);
  aLo += prefix;
  bLo += prefix;
  let suffix = 0;
  while (aHi - suffix > aLo && bHi - suffix > bLo && a[aHi - 1 - suffix] === b[bHi - 1 - suffix]) suffix++;
  aHi -= suffix;
  bHi -= suffix;

  if (aLo === aHi) pushRun(runs, 'insert', bHi - bLo);
  else if (bLo === bHi) pushRun(runs, 'delete', aHi - aLo);
  else {
    const split = bisect(a, aLo, aHi, b, bLo, bHi, budget);
    if (split) {
      diffRange(a, aLo, aLo + split[0], b, bLo, bLo + split[1], runs, budget);
      diffRange(a, aLo + split[0], aHi, b, bLo + split[1], bHi, runs, budget);
    } else {
      pushRun(runs, 'delete', aHi - aLo);
      pushRun(runs, 'insert', bHi - bLo);
    }
  }
  pushRun(runs, 'equal', suffix);
}

/** Finds where the forward and backward searches meet; returns that point relative to (aLo, bLo). */
function bisect(
  a: Int32Array,
  aLo: number,
  aHi: number,
  b: Int32Array,
  bLo: number,
  bHi: number,
  budget: { left: number },
): [number, number] | null {
  const n = aHi - aLo;
  const m = bHi - bLo;
  const maxD = Math.ceil((n + m) / 2);
  const offset = maxD;
  const length = 2 * maxD + 2;
  const v1 = new Int32Array(length).fill(-1);
  const v2 = new Int32Array(length).fill(-1);
  v1[offset + 1] = 0;
  v2[offset + 1] = 0;
  const delta = n - m;
  // With an odd delta the forward path meets the reverse one; with an even delta, the reverse meets the forward.
  const front = (delta & 1) !== 0;
  let k1start = 0;
  let k1end = 0;
  let k2start = 0;
  let k2end = 0;
  for (let d = 0; d < maxD; d++) {
    for (let k1 = -d + k1start; k1 <= d - k1end; k1 += 2) {
      const k1Offset = offset + k1;
      let x1 =
        k1 === -d || (k1 !== d && v1[k1Offset - 1]! < v1[k1Offset + 1]!) ? v1[k1Offset + 1]! : v1[k1Offset - 1]! + 1;
      let y1 = x1 - k1;
      const start = x1;
      while (x1 < n && y1 < m && a[aLo + x1] === b[bLo + y1]) {
        x1++;
        y1++;
      }
      budget.left -= 1 + x1 - start;
      v1[k1Offset] = x1;
      if (x1 > n) k1end += 2;
      else if (y1 > m) k1start += 2;
      else if (front) {
        const k2Offset = offset + delta - k1;
        if (k2Offset >= 0 && k2Offset < length && v2[k2Offset] !== -1) {
          if (x1 >= n - v2[k2Offset]!) return [x1, y1];
        }
      }
    }
    for (let k2 = -d + k2start; k2 <= d - k2end; k2 += 2) {
      const k2Offset = offset + k2;
      let x2 =
        k2 === -d || (k2 !== d && v2[k2Offset - 1]! < v2[k2Offset + 1]!) ? v2[k2Offset + 1]! : v2[k2Offset - 1]! + 1;
      let y2 = x2 - k2;
      const start = x2;
      while (x2 < n && y2 < m && a[aHi - 1 - x2] === b[bHi - 1 - y2]) {
        x2++;
        y2++;
      }
      budget.left -= 1 + x2 - start;
      v2[k2Offset] = x2;
      if (x2 > n) k2end += 2;
      else if (y2 > m) k2start += 2;
      else if (!front) {
        const k1Offset = offset + delta - k2;
        if (k1Offset >= 0 && k1Offset < length && v1[k1Offset] !== -1) {
          const x1 = v1[k1Offset]!;
          const y1 = offset + x1 - k1Offset;
          if (x1 >= n - x2) return [x1, y1];
        }
      }
    }
    if (budget.left < 0) throw new BudgetExceeded();
  }
  return null;
}

// ───────────────────────────── readability ─────────────────────────────

/**
 * Character diffs of rewritten Chinese sentences match scattered common
 * characters (的, 在, 了) and read as confetti. An equality no longer than the
 * changes on both sides of it is folded into the change, as diff-match-patch's
 * semantic cleanup does.
 */
function cleanupSemantic(segments: TextSegment[]): TextSegment[] {
  let current = segments;
  for (let pass = 0; pass < 8; pass++) {
    let changed = false;
    const next: TextSegment[] = [];
    const runLength = (from: number, step: 1 | -1): number => {
      let ins = 0;
      let del = 0;
      for (let i = from; i >= 0 && i < current.length && current[i]!.op !== 'equal'; i += step) {
        const len = [...current[i]!.text].length;
        if (current[i]!.op === 'insert') ins += len;
        else del += len;
      }
      return Math.max(ins, del);
    };
    current.forEach((segment, i) => {
      if (segment.op === 'equal' && i > 0 && i < current.length - 1) {
        const size = [...segment.text].length;
        if (size <= runLength(i - 1, -1) && size <= runLength(i + 1, 1) && !segment.text.includes('\n')) {
          pushSegment(next, 'delete', segment.text);
          pushSegment(next, 'insert', segment.text);
          changed = true;
          return;
        }
      }
      pushSegment(next, segment.op, segment.text);
    });
    current = next;
    if (!changed) break;
  }
  return current;
}

// ───────────────────────────── metadata and revisions ─────────────────────────────

/** One changed metadata field; `field` is a dotted path such as `meeting.place`. */
export interface MetaChange {
  field: string;
  before: unknown;
  after: unknown;
  /** Display forms (column joined with ' > ', lists with '、', empty for nothing). */
  beforeText: string;
  afterText: string;
}

/** Metadata changes in the order the form shows the fields. */
export function diffMeta(before: ArticleMeta, after: ArticleMeta): MetaChange[] {
  const changes: MetaChange[] = [];
  for (const field of Object.keys(ArticleMetaSchema.shape) as (keyof ArticleMeta)[]) {
    const a = before[field];
    const b = after[field];
    if (field === 'meeting' && a && b && typeof a === 'object' && typeof b === 'object') {
      const ma = a as Record<string, unknown>;
      const mb = b as Record<string, unknown>;
      for (const sub of new Set([...Object.keys(ma), ...Object.keys(mb)])) {
        addChange(changes, `meeting.${sub}`, ma[sub], mb[sub]);
      }
      continue;
    }
    addChange(changes, field, a, b);
  }
  return changes;
}

function addChange(changes: MetaChange[], field: string, before: unknown, after: unknown): void {
  if (canonicalJson(before ?? null) === canonicalJson(after ?? null)) return;
  changes.push({ field, before, after, beforeText: displayValue(field, before), afterText: displayValue(field, after) });
}

function displayValue(field: string, value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const parts = value.map((item) =>
      typeof item === 'string' ? item : typeof item === 'object' && item && 'name' in item ? String(item.name) : canonicalJson(item),
    );
    return parts.join(field === 'column' ? ' > ' : '、');
  }
  if (typeof value === 'object' && 'src' in value) return String(value.src);
  if (typeof value === 'object' && 'count' in value) {
    return `${String(value.count)}${'approximate' in value && value.approximate ? '余' : ''}`;
  }
  return canonicalJson(value);
}

/** What the comparison view shows for two revisions. */
export interface RevisionDiff {
  text: TextSegment[];
  meta: MetaChange[];
  /** Characters (code points) inserted and deleted in the text. */
  inserted: number;
  deleted: number;
}

/** Compares two revisions (or a revision and the current article): text inline, metadata as a list. */
export function diffRevisions(
  before: { meta: ArticleMeta; doc: Doc },
  after: { meta: ArticleMeta; doc: Doc },
  options?: TextDiffOptions,
): RevisionDiff {
  const text = diffText(docToPlainText(before.doc), docToPlainText(after.doc), options);
  let inserted = 0;
  let deleted = 0;
  for (const segment of text) {
    if (segment.op === 'insert') inserted += [...segment.text].length;
    if (segment.op === 'delete') deleted += [...segment.text].length;
  }
  return { text, meta: diffMeta(before.meta, after.meta), inserted, deleted };
}
