import type { z } from 'zod';
import type { ConflictChoice, ConflictField, ConflictHunk, SyncConflictView, syncChannels } from '../../../../../shared/api/contract/sync';
import type { Doc, DocNode } from '../../../../../shared/domain/doc';
import { canonicalJson } from '../../../../../shared/workflow/canonical';
import { diffText } from '../../../../../shared/workflow/text-diff';

/*
 * The pure side of deciding a sync conflict: which choices are made, what the
 * decided text will look like, which characters differ between the two sides,
 * and how a field's value reads. The controller and the view only call these.
 */

export type FieldChoice = 'mine' | 'theirs';

/** What `sync:resolveConflict` takes. */
export type ResolveConflictRequest = z.input<(typeof syncChannels)['sync:resolveConflict']['request']>;

export interface ConflictChoices {
  hunks: Readonly<Record<string, ConflictChoice>>;
  fields: Readonly<Record<string, FieldChoice>>;
}

export const NO_CHOICES: ConflictChoices = { hunks: {}, fields: {} };

/** How many of the view's hunks and fields are decided, out of how many. */
export function decisionProgress(view: SyncConflictView, choices: ConflictChoices): { decided: number; total: number } {
  const decided =
    view.hunks.filter((hunk) => Object.hasOwn(choices.hunks, hunk.id)).length +
    view.fields.filter((field) => Object.hasOwn(choices.fields, field.field)).length;
  return { decided, total: view.hunks.length + view.fields.length };
}

export function allDecided(view: SyncConflictView, choices: ConflictChoices): boolean {
  const { decided, total } = decisionProgress(view, choices);
  return decided === total;
}

/**
 * The `sync:resolveConflict` request for these choices, or null while anything
 * is undecided: the services need a decision for every hunk and field, and a
 * default filled in here would be a decision the person never made.
 */
export function resolveRequest(view: SyncConflictView, choices: ConflictChoices): ResolveConflictRequest | null {
  if (!allDecided(view, choices)) return null;
  return {
    articleId: view.articleId,
    hunks: view.hunks.map((hunk) => ({ id: hunk.id, take: choices.hunks[hunk.id] as ConflictChoice })),
    fields: view.fields.map((field) => ({ field: field.field, take: choices.fields[field.field] as FieldChoice })),
  };
}

/** Whether offering 两者都保留 makes sense: with one side empty it would be the same as taking the other. */
export function offersBoth(hunk: ConflictHunk): boolean {
  return hunk.mine.length > 0 && hunk.theirs.length > 0;
}

/** The blocks a choice puts in place of `mine` (`both`: this desktop's, then the other's, as the services do). */
export function chosenBlocks(hunk: ConflictHunk, take: ConflictChoice): DocNode[] {
  if (take === 'mine') return hunk.mine;
  if (take === 'theirs') return hunk.theirs;
  return [...hunk.mine, ...hunk.theirs];
}

/**
 * Choices carried over to a newer answer for the same article: a choice stays
 * only for a hunk or field still showing exactly the same two sides. A choice
 * made about other words is not a choice about these.
 */
export function carryChoices(previous: SyncConflictView | null, next: SyncConflictView, choices: ConflictChoices): ConflictChoices {
  if (!previous || previous.articleId !== next.articleId) return NO_CHOICES;
  const oldHunks = new Map(previous.hunks.map((hunk) => [hunk.id, hunk]));
  const oldFields = new Map(previous.fields.map((field) => [field.field, field]));
  const hunks: Record<string, ConflictChoice> = {};
  for (const hunk of next.hunks) {
    const choice = choices.hunks[hunk.id];
    const old = oldHunks.get(hunk.id);
    if (choice && old && sameSides(old, hunk)) hunks[hunk.id] = choice;
  }
  const fields: Record<string, FieldChoice> = {};
  for (const field of next.fields) {
    const choice = choices.fields[field.field];
    const old = oldFields.get(field.field);
    if (choice && old && sameSides(old, field)) fields[field.field] = choice;
  }
  return { hunks, fields };
}

function sameSides(a: { mine: unknown; theirs: unknown }, b: { mine: unknown; theirs: unknown }): boolean {
  return canonicalJson(a.mine) === canonicalJson(b.mine) && canonicalJson(a.theirs) === canonicalJson(b.theirs);
}

/**
 * The article's text as the choices would leave it, for the live preview.
 * Undecided hunks keep this desktop's blocks (that is what the article holds
 * now). Returns null when the document no longer holds `mine` where a hunk says
 * it does (it changed since the conflict was found): no preview beats a wrong one.
 */
export function previewDoc(doc: Doc, hunks: readonly ConflictHunk[], choices: ConflictChoices['hunks']): Doc | null {
  const content = [...doc.content];
  // From the end backwards, so each hunk's `at` still points into the unchanged part before it.
  const ordered = [...hunks].sort((a, b) => b.at - a.at);
  let limit = content.length;
  for (const hunk of ordered) {
    const end = hunk.at + hunk.mine.length;
    if (hunk.at < 0 || end > limit) return null;
    if (canonicalJson(content.slice(hunk.at, end)) !== canonicalJson(hunk.mine)) return null;
    limit = hunk.at;
    const take = choices[hunk.id];
    if (take) content.splice(hunk.at, hunk.mine.length, ...chosenBlocks(hunk, take));
  }
  return { ...doc, content };
}

// ───────────────────────────── differences between the two sides ─────────────────────────────

/** A half-open range of characters (UTF-16 offsets) in a side's {@link blocksText}. */
export interface TextRange {
  start: number;
  end: number;
}

const TEXTBLOCKS = new Set(['paragraph', 'heading']);

function isInline(node: DocNode): boolean {
  return node.type === 'text' || node.type === 'hardBreak';
}

/** A block whose children are text: it ends with a line break in {@link blocksText}. */
export function isTextblock(node: DocNode): boolean {
  if (TEXTBLOCKS.has(node.type)) return true;
  const content = node.content ?? [];
  return content.length > 0 && content.every(isInline);
}

/**
 * The plain text of some blocks, walked in the order {@link ConflictBlocks}
 * renders them: text as written, a hard break as a newline, a newline after each
 * text block. The highlight ranges are offsets into this string, so the two
 * must walk alike.
 */
export function blocksText(blocks: readonly DocNode[]): string {
  let out = '';
  const walk = (node: DocNode): void => {
    if (node.type === 'text') {
      out += node.text ?? '';
      return;
    }
    if (node.type === 'hardBreak') {
      out += '\n';
      return;
    }
    for (const child of node.content ?? []) walk(child);
    if (isTextblock(node)) out += '\n';
  };
  for (const block of blocks) walk(block);
  return out;
}

/**
 * Which characters of each side differ from the other. With both sides
 * present the two are compared with each other; when one side deleted the
 * part, the other is compared with the text both started from, so the person
 * sees what that side changed in what the first one threw away.
 */
export function sideDifferences(hunk: Pick<ConflictHunk, 'base' | 'mine' | 'theirs'>): { mine: TextRange[]; theirs: TextRange[] } {
  if (hunk.mine.length > 0 && hunk.theirs.length > 0) {
    const { removed, added } = changedRanges(blocksText(hunk.mine), blocksText(hunk.theirs));
    return { mine: removed, theirs: added };
  }
  if (hunk.base.length === 0) return { mine: [], theirs: [] };
  const base = blocksText(hunk.base);
  return {
    mine: hunk.mine.length > 0 ? changedRanges(base, blocksText(hunk.mine)).added : [],
    theirs: hunk.theirs.length > 0 ? changedRanges(base, blocksText(hunk.theirs)).added : [],
  };
}

/** Ranges of `before` that `after` does not have (removed) and of `after` that `before` does not have (added); newlines alone are not marked. */
export function changedRanges(before: string, after: string): { removed: TextRange[]; added: TextRange[] } {
  const removed: TextRange[] = [];
  const added: TextRange[] = [];
  let a = 0;
  let b = 0;
  for (const segment of diffText(before, after)) {
    const length = segment.text.length;
    if (segment.op === 'equal') {
      a += length;
      b += length;
    } else if (segment.op === 'delete') {
      pushRanges(removed, a, segment.text);
      a += length;
    } else {
      pushRanges(added, b, segment.text);
      b += length;
    }
  }
  return { removed, added };
}

/** Adds the range of `text` at `start`, split at newlines (a block boundary is not a character to highlight). */
function pushRanges(out: TextRange[], start: number, text: string): void {
  let from = 0;
  for (const line of text.split('\n')) {
    if (line.length > 0) out.push({ start: start + from, end: start + from + line.length });
    from += line.length + 1;
  }
}

/** Whether an image (or another block without text) appears on the other side exactly as here. */
export function atomOnOtherSide(node: DocNode, other: readonly DocNode[]): boolean {
  const wanted = canonicalJson(node);
  const found = (nodes: readonly DocNode[]): boolean => nodes.some((n) => canonicalJson(n) === wanted || found(n.content ?? []));
  return found(other);
}

// ───────────────────────────── metadata fields ─────────────────────────────

/** A field's value (fields are named as the merge names them: `meta.title`, `trash`…) as a line of text; '' for an empty value (the view says 空). */
export function fieldValueText(field: ConflictField['field'], value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return field === 'meta.publishAt' ? value.replace('T', ' ') : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const parts = value.map((item) => (typeof item === 'string' ? item : named(item) ?? canonicalJson(item)));
    return parts.join(field === 'meta.column' ? ' > ' : '、');
  }
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    if (typeof record.src === 'string') return typeof record.alt === 'string' && record.alt ? `${record.alt}（${record.src}）` : record.src;
    if (typeof record.count === 'number') return `${record.count}${record.approximate ? '余' : ''}`;
    const name = named(value);
    if (name !== null) return name;
    return canonicalJson(value);
  }
  return String(value);
}

function named(item: unknown): string | null {
  return item && typeof item === 'object' && typeof (item as { name?: unknown }).name === 'string'
    ? (item as { name: string }).name
    : null;
}
