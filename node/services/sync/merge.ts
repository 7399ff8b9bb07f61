import { createHash } from 'node:crypto';
import { mkdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConflictField, ConflictHunk, SyncConflictView } from '../../../shared/api/contract/sync';
import { ARTICLE_FORMAT, type Article, ArticleSchema } from '../../../shared/domain/article';
import type { RecordCrypto } from '../../../shared/record/crypto';
import { entrySigningText, nextEntry, parseRecordLines, type SignedEvent, signedEntry } from '../../../shared/record/entry';
import { personIn, type VerifiedPolicy } from '../../../shared/record/policy';
import { type ArticleVerdict, verifyArticleRecord } from '../../../shared/record/verify';
import {
  type ArticleMergeResult,
  conflictView,
  docKeyOf,
  mergeArticles,
  refreshConflict,
  SYNC_CONFLICT_FILE,
  SYNC_CONFLICT_FORMAT,
  type SyncConflictFile,
  SyncConflictFileSchema,
  takeTheirs,
} from '../../../shared/sync/article-merge';
import { articleContentHash } from '../../../shared/workflow/canonical';
import { isLocked } from '../../../shared/workflow/locks';
import { ReviewError, recordEdit } from '../../../shared/workflow/review-chain';
import { t } from '../messages';
import { statusOf } from '../review/review-store';
import { isMissing, writeFileAtomic } from '../store/atomic-file';
import { ProblemLog } from '../store/problem-log';
import { Revisions } from '../store/revisions';
import { diffTrees, entryAt, type FileChange, isTree, type ObjectSource, readBlob, readCommit, readTree } from './git-objects';
import { type DroppedAct, mergeRecords, type RecordResigner } from './record-merge';
import { POLICY_PATH, RECORD_PATH, ROOT_PATH } from './scope';
import { personOfEmail } from './sshsig';

/*
 * The merge of two desktops' work on one office repository, file by file from
 * the commit both started from (git's merge base) — never git's text merge:
 *
 *   - a file changed on one side only is taken from that side;
 *   - article.json merges three-way by field and by top-level block
 *     (shared/sync/article-merge); where both changed the same place, the
 *     merged tree — what the office and every other desktop receive — holds
 *     the other side's version of every undecided part (what the server
 *     already had: nobody's text is silently replaced), while this desktop's
 *     file keeps its own (`MergePlan.workspace`), the other is saved whole as
 *     a revision, and `articles/<id>/sync-conflict.json` (local, never
 *     synced) keeps both for the person to decide; until then the article is
 *     never committed from here;
 *   - under review a text is a signed version: a merged text no entry names
 *     gets a correction entry signed by the person merging when the review
 *     rules let them correct it where it stands, else this desktop's changes
 *     wait as parts to decide (a strict merge) and the office keeps the
 *     other side's text;
 *   - record.jsonl: the other side's record, with this desktop's new entries
 *     re-chained and re-signed on top (./record-merge); acts that no longer
 *     hold are reported;
 *   - an article deleted on one side and edited on the other keeps the edit;
 *   - an image or tombstone changed both ways keeps this desktop's; one
 *     deleted and changed keeps the changed one; nothing is dropped;
 *   - the office's root and its issued policy versions never change, so two
 *     different versions of the same number cannot be merged (an
 *     administrator must decide): the merge is not made.
 *
 * Planning writes nothing but git objects; the caller writes the files and
 * moves the branch last.
 */

/** Blob ids are written where the merged files go; the plan's reading and writing of git objects. */
export interface MergeObjects extends ObjectSource {
  write(type: 'blob', data: Uint8Array): Promise<string>;
}

export interface MergePlanInput {
  objects: MergeObjects;
  /** The commit both sides started from; null when they share none. */
  base: string | null;
  local: string;
  remote: string;
  /** The office policy of the merged tree (records are verified under it). */
  policy: VerifiedPolicy;
  signer: RecordResigner | null;
  crypto: RecordCrypto;
  /** When correction entries signed by the merge say they were made (default: now). */
  now?: string;
  /**
   * A path the other side deleted because another of the office's
   * repositories carries it now (an article moved from a unit's drafts to its
   * submitted work): the deletion is taken, not merged against an edit made
   * here — that edit was merged where the article lives now.
   */
  movedAway?: (path: string) => boolean;
}

/** What a person is told about one article; `message` is ready to show. */
export interface ArticleNotice {
  articleId: string;
  message: string;
}

/** An article left 冲突待处理: its conflict file, minus what writing it decides (the revision and the time). */
export interface PlannedConflict {
  articleId: string;
  /** The other side's article whole, saved as a revision. */
  theirs: Article;
  file: Omit<SyncConflictFile, 'revisionId' | 'detectedAt'>;
}

export interface MergePlan {
  /** Changes to the local commit's tree: blob id, or null to delete. */
  changes: Map<string, string | null>;
  /**
   * What this desktop's files hold where that is not the merged tree's: an
   * article left 冲突待处理 keeps this desktop's version here while the tree
   * (what the office receives) has the other side's in every undecided part.
   */
  workspace: Map<string, string>;
  /** Articles whose two sides merged without anything left to decide. */
  merged: string[];
  /** Articles left 冲突待处理 (block or field conflicts, delete against edit, a record that could not be re-signed). */
  conflicts: string[];
  /** This desktop's acts dropped from a record because they no longer hold. */
  invalidated: ArticleNotice[];
  /** Everything else a person should read: delete against edit, records kept aside. */
  notices: ArticleNotice[];
  conflictFiles: PlannedConflict[];
  /** Local-only files (workspace-relative path → content): this desktop's record kept whole where it could not be carried over. */
  localFiles: Array<{ path: string; content: string }>;
}

export type MergePlanResult = { ok: true; plan: MergePlan } | { ok: false; path: string; message: string };

const ARTICLE_PATH = /^articles\/([A-Za-z0-9_-]{6,64})\/article\.json$/;
export const SYNC_CONFLICT_RECORD_FILE = 'sync-conflict-record.jsonl';

function parseArticle(bytes: Buffer | null, articleId: string): Article | null {
  if (bytes === null) return null;
  try {
    const raw = JSON.parse(bytes.toString('utf8')) as { format?: unknown };
    if (raw?.format !== ARTICLE_FORMAT) return null;
    const parsed = ArticleSchema.safeParse(raw);
    return parsed.success && parsed.data.id === articleId ? parsed.data : null;
  } catch {
    return null;
  }
}

/** The bytes the workspace store writes for an article. */
export function articleBytes(article: Article): Buffer {
  return Buffer.from(`${JSON.stringify(article, null, 2)}\n`, 'utf8');
}

/** Who last changed `path` on the remote side, from the remote tip back along its first parents to the merge base. */
async function lastChangeOf(
  source: ObjectSource,
  remote: string,
  base: string | null,
  path: string,
): Promise<{ commit: string; by: { personId: string; name: string } | null; at: string | null }> {
  let oid = remote;
  for (let steps = 0; steps < 500 && oid !== base; steps++) {
    const commit = await readCommit(source, oid);
    const parent = commit.parents[0] ?? null;
    const changed = (await diffTrees(source, parent ? (await readCommit(source, parent)).tree : null, commit.tree)).some((c) => c.path === path);
    if (changed || parent === null) {
      const committer = commit.committer;
      const personId = committer ? personOfEmail(committer.email) : null;
      return {
        commit: oid,
        by: personId && committer ? { personId, name: committer.name } : null,
        at: committer ? new Date(committer.timestamp * 1000).toISOString() : null,
      };
    }
    oid = parent;
  }
  return { commit: remote, by: null, at: null };
}

/** Plans the merge of `remote` into `local`. Fails (naming the file) only where a merge cannot be made without deciding for people. */
export async function planMerge(input: MergePlanInput): Promise<MergePlanResult> {
  const { objects: source, base, local, remote } = input;
  const baseTree = base ? (await readCommit(source, base)).tree : null;
  const localTree = (await readCommit(source, local)).tree;
  const remoteTree = (await readCommit(source, remote)).tree;
  const ours = new Map((await diffTrees(source, baseTree, localTree)).map((c) => [c.path, c]));
  const theirs = new Map((await diffTrees(source, baseTree, remoteTree)).map((c) => [c.path, c]));
  const blob = async (oid: string | null) => (oid === null ? null : readBlob(source, oid));

  const plan: MergePlan = { changes: new Map(), workspace: new Map(), merged: [], conflicts: [], invalidated: [], notices: [], conflictFiles: [], localFiles: [] };
  /** Articles both sides changed, by id: their article.json and record.jsonl changes. */
  const both = new Map<string, { article?: [FileChange, FileChange]; record?: [FileChange, FileChange]; cross?: true }>();

  for (const [path, theirChange] of theirs) {
    const ourChange = ours.get(path);
    if (!ourChange) {
      plan.changes.set(path, theirChange.after);
      continue;
    }
    if (ourChange.after === theirChange.after) continue;
    if (theirChange.after === null && input.movedAway?.(path)) {
      plan.changes.set(path, null);
      continue;
    }
    if (path === ROOT_PATH) return { ok: false, path, message: t('conflict.merge.unmergeable', { path, detail: ROOT_PATH }) };
    const policy = POLICY_PATH.exec(path);
    if (policy) {
      if (ourChange.after !== null && theirChange.after !== null) {
        return { ok: false, path, message: t('conflict.merge.unmergeable', { path, detail: t('conflict.merge.policyForked', { version: Number(policy[1]) }) }) };
      }
      if (ourChange.after === null) plan.changes.set(path, theirChange.after);
      continue;
    }
    const article = ARTICLE_PATH.exec(path)?.[1];
    const record = RECORD_PATH.exec(path)?.[1];
    if (article) both.set(article, { ...both.get(article), article: [ourChange, theirChange] });
    else if (record) both.set(record, { ...both.get(record), record: [ourChange, theirChange] });
    // Images are named by their bytes' hash and tombstones are written once:
    // two versions of one is rare; keep ours, or whichever still exists.
    else if (ourChange.after === null) plan.changes.set(path, theirChange.after);
  }

  // Both sides touched an article, each another of its files (the text edited here, a submission received
  // from there): merged file by file, its text and its record must still agree.
  const idOf = (path: string) => ARTICLE_PATH.exec(path)?.[1] ?? RECORD_PATH.exec(path)?.[1] ?? null;
  const touchedHere = new Set([...ours.keys()].flatMap((path) => idOf(path) ?? []));
  for (const path of theirs.keys()) {
    const id = idOf(path);
    if (id && touchedHere.has(id) && !both.has(id)) both.set(id, { cross: true });
  }

  for (const [articleId, changed] of both) {
    const articlePath = `articles/${articleId}/article.json`;
    const recordPath = `articles/${articleId}/record.jsonl`;
    let verdict: ArticleVerdict | null = null;
    let recordText: string | null = null;
    let droppedHere: DroppedAct[] = [];
    let recordTitle = articleId;
    let recordConflict = false;
    if (changed.record) {
      const [ourRecord, theirRecord] = changed.record;
      const mineText = (await blob(ourRecord.after))?.toString('utf8') ?? '';
      const theirText = (await blob(theirRecord.after))?.toString('utf8') ?? '';
      const merged = mergeRecords({ articleId, mine: mineText, theirs: theirText, policy: input.policy, signer: input.signer, crypto: input.crypto });
      if (merged.kind === 'broken') {
        return { ok: false, path: recordPath, message: t('conflict.merge.unmergeable', { path: recordPath, detail: t('conflict.merge.recordBroken', { detail: merged.detail }) }) };
      }
      plan.changes.set(recordPath, await source.write('blob', Buffer.from(merged.text, 'utf8')));
      verdict = merged.verdict;
      recordText = merged.text;
      const title = await titleOf(source, [changed.article?.[0].after, changed.article?.[1].after, ours.get(articlePath)?.after, theirs.get(articlePath)?.after], articleId);
      if (merged.kind === 'foreign') {
        recordConflict = true;
        const file = `articles/${articleId}/${SYNC_CONFLICT_RECORD_FILE}`;
        plan.localFiles.push({ path: file, content: mineText });
        plan.notices.push({ articleId, message: t('conflict.merge.recordForeign', { title, count: merged.count, file }) });
      } else {
        droppedHere = merged.dropped;
        recordTitle = title;
      }
    }

    if (changed.cross) {
      const oid = plan.changes.has(recordPath) ? plan.changes.get(recordPath)! : await entryBlob(source, localTree, recordPath);
      const text = (await blob(oid))?.toString('utf8') ?? '';
      const checked = text ? verifyArticleRecord({ articleId, entries: parseRecordLines(text), policy: input.policy, currentHash: null, crypto: input.crypto }) : null;
      if (checked?.intact) {
        verdict = checked;
        recordText = text;
      }
    }

    // The article as the office's copy will hold it (`article`) and, where a
    // conflict is left undecided, as this desktop keeps it (`mineKept`).
    let article: Article | null = null;
    let held: HeldConflict | null = null;
    let mergedCleanly = true;
    let textHandled = false;
    const both = changed.article && changed.article[0].after !== null && changed.article[1].after !== null ? changed.article : null;
    let sides: { base: Article | null; mine: Article; other: Article } | null = null;
    if (changed.article && !both) {
      const [ourArticle, theirArticle] = changed.article;
      // Deleted on one side, edited on the other: the edit stays.
      const kept = ourArticle.after === null ? theirArticle.after : ourArticle.after;
      plan.changes.set(articlePath, kept);
      const title = (await titleOf(source, [kept], articleId)) || articleId;
      plan.notices.push({ articleId, message: t(ourArticle.after === null ? 'conflict.merge.deletedHere' : 'conflict.merge.deletedThere', { title }) });
      mergedCleanly = false;
      article = parseArticle(await blob(kept), articleId);
    } else if (both) {
      const [ourArticle, theirArticle] = both;
      const mine = parseArticle(await blob(ourArticle.after), articleId);
      const other = parseArticle(await blob(theirArticle.after), articleId);
      if (!mine || !other) {
        return { ok: false, path: articlePath, message: t('conflict.merge.unmergeable', { path: articlePath, detail: t('conflict.merge.notArticle') }) };
      }
      sides = { base: parseArticle(await blob(ourArticle.before), articleId), mine, other };
      const result = mergeArticles(sides.base, mine, other);
      held = heldConflict(result, other);
      article = held ? takeTheirs(held.kept, held.hunks, held.fields) : result.article;
    } else {
      // The text changed on one side only (or neither): the sides a strict merge would need, from the trees.
      const mine = parseArticle(await blob(await entryBlob(source, localTree, articlePath)), articleId);
      const other = parseArticle(await blob(await entryBlob(source, remoteTree, articlePath)), articleId);
      const before = baseTree ? parseArticle(await blob(await entryBlob(source, baseTree, articlePath)), articleId) : null;
      if (mine && other) sides = { base: before, mine, other };
    }
    const treeOid = plan.changes.has(articlePath) ? plan.changes.get(articlePath)! : await entryBlob(source, localTree, articlePath);
    if (!article && verdict) article = parseArticle(await blob(treeOid), articleId);

    // Under review every text is a signed version: a merged text nobody signed would read as 记录异常.
    if (article && verdict && !recordConflict && isLocked(verdict.state.status)) {
      const hash = await contentHashIn(source, localTree, plan.changes, articleId, article);
      // Only a disagreement the merge made: the server's own text and record agreed.
      if (hash !== verdict.state.contentHash && (await agrees(source, remoteTree, articleId, input))) {
        const corrected = input.signer ? signCorrection(articleId, recordText!, verdict, hash, input) : null;
        if (corrected) {
          plan.changes.set(recordPath, await source.write('blob', Buffer.from(corrected.text, 'utf8')));
          verdict = corrected.verdict;
          const title = article.meta.title || articleId;
          plan.notices.push({ articleId, message: t('conflict.merge.corrected', { title, name: corrected.by }) });
          textHandled = true;
        } else if (sides) {
          // Not this person's to sign: the office keeps the other side's text, and this desktop's changes wait as parts to decide.
          const strict = mergeArticles(sides.base, sides.mine, sides.other, { strict: true });
          held = heldConflict(strict, sides.other);
          article = held ? takeTheirs(held.kept, held.hunks, held.fields) : strict.article;
          const title = sides.mine.meta.title || articleId;
          plan.notices.push({ articleId, message: t('conflict.merge.notEntitled', { title }) });
          textHandled = true;
        }
      }
    }
    // This desktop's own corrections the chain could no longer carry are not lost: their text is in the
    // correction signed for the merged text, or waits in the conflict.
    if (textHandled || held) droppedHere = droppedHere.filter((act) => act.type !== 'edit');
    for (const act of droppedHere) plan.invalidated.push({ articleId, message: invalidatedMessage(recordTitle, act) });

    // The status shown in the list is a cache of what the record says.
    const withStatus = (a: Article): Article => {
      if (!verdict || verdict.count === 0) return a;
      const status = statusOf(verdict, a.status);
      return status === a.status ? a : { ...a, status };
    };
    if (article) {
      article = withStatus(article);
      const bytes = articleBytes(article);
      if (treeOid === null || !(await readBlob(source, treeOid)).equals(bytes)) plan.changes.set(articlePath, await source.write('blob', bytes));
    }
    if (held) {
      const kept = withStatus(held.kept);
      plan.workspace.set(articlePath, await source.write('blob', articleBytes(kept)));
      mergedCleanly = false;
      const origin = await lastChangeOf(source, remote, base, articlePath);
      plan.conflictFiles.push({ articleId, theirs: held.other, file: conflictFile(articleId, kept, origin, held.fields, held.hunks) });
      plan.notices.push({
        articleId,
        message: t('conflict.merge.conflict', { title: kept.meta.title || articleId, count: held.hunks.length + held.fields.length }),
      });
    }
    if (recordConflict || !mergedCleanly) plan.conflicts.push(articleId);
    else plan.merged.push(articleId);
  }
  plan.merged.sort();
  plan.conflicts.sort();
  return { ok: true, plan };
}

/** A conflict left for the person: this desktop's article with its undecided parts, and the other side's whole. */
interface HeldConflict {
  kept: Article;
  hunks: ConflictHunk[];
  fields: ConflictField[];
  other: Article;
}

function heldConflict(result: ArticleMergeResult, other: Article): HeldConflict | null {
  if (result.hunks.length === 0 && result.fields.length === 0) return null;
  return { kept: result.article, hunks: result.hunks, fields: result.fields, other };
}

/** The hash a record entry names for `article` as the merged tree holds it: its metadata, document and assets. */
async function contentHashIn(
  source: ObjectSource,
  localTree: string,
  changes: ReadonlyMap<string, string | null>,
  articleId: string,
  article: Article,
): Promise<string> {
  const prefix = `articles/${articleId}/assets/`;
  const files = new Map<string, string>();
  const folder = await entryAt(source, localTree, prefix.slice(0, -1));
  if (folder && isTree(folder)) for (const entry of await readTree(source, folder.oid)) if (!isTree(entry)) files.set(entry.name, entry.oid);
  for (const [path, oid] of changes) {
    const name = path.startsWith(prefix) ? path.slice(prefix.length) : '';
    if (!name || name.includes('/')) continue;
    if (oid === null) files.delete(name);
    else files.set(name, oid);
  }
  const assets = [];
  for (const [name, oid] of files) assets.push({ name, sha256: createHash('sha256').update(await readBlob(source, oid)).digest('hex') });
  return articleContentHash(article.meta, article.doc, assets);
}

/** Whether a tree's article and record agree: the text is the one its record last signed (or no record locks it). */
async function agrees(source: ObjectSource, tree: string, articleId: string, input: MergePlanInput): Promise<boolean> {
  const articleOid = await entryBlob(source, tree, `articles/${articleId}/article.json`);
  const recordOid = await entryBlob(source, tree, `articles/${articleId}/record.jsonl`);
  const article = articleOid ? parseArticle(await readBlob(source, articleOid), articleId) : null;
  if (!article) return false;
  const text = recordOid ? (await readBlob(source, recordOid)).toString('utf8') : '';
  const verdict = verifyArticleRecord({ articleId, entries: parseRecordLines(text), policy: input.policy, currentHash: null, crypto: input.crypto });
  if (!verdict.intact) return false;
  if (!isLocked(verdict.state.status)) return true;
  return (await contentHashIn(source, tree, new Map(), articleId, article)) === verdict.state.contentHash;
}

/** The newest policy version issued at or before `at`. */
function versionInForce(policy: VerifiedPolicy, at: string): number {
  for (let index = policy.versions.length - 1; index >= 0; index--) if (policy.versions[index]!.issuedAt <= at) return index + 1;
  return 1;
}

/**
 * A correction entry for the merged text, signed by the person merging, when
 * the review rules let them correct the article where it stands (the same
 * replay every desktop makes must accept it); null when they may not.
 */
function signCorrection(
  articleId: string,
  recordText: string,
  verdict: ArticleVerdict,
  hash: string,
  input: MergePlanInput,
): { text: string; verdict: ArticleVerdict; by: string } | null {
  const signer = input.signer;
  const actor = signer ? personIn(input.policy.latest, signer.personId) : null;
  if (!signer || !actor) return null;
  const now = input.now ?? new Date().toISOString();
  const last = verdict.last;
  const at = last && last.event.at > now ? last.event.at : now;
  let event: SignedEvent | undefined;
  try {
    event = recordEdit(verdict.state, actor, { note: t('conflict.merge.correctionNote') }, at, hash).events.find((e) => e.type === 'edit') as SignedEvent | undefined;
  } catch (error) {
    if (error instanceof ReviewError) return null;
    throw error;
  }
  if (!event) return null;
  const version = Math.max(versionInForce(input.policy, at), last?.policyVersion ?? 1);
  const unsigned = nextEntry(articleId, last, version, event, input.crypto);
  const entry = signedEntry(unsigned, { keyId: signer.keyId, value: signer.sign(entrySigningText(unsigned)) });
  const text = `${recordText}${JSON.stringify(entry)}\n`;
  const checked = verifyArticleRecord({ articleId, entries: parseRecordLines(text), policy: input.policy, currentHash: hash, crypto: input.crypto });
  if (!checked.intact || checked.problems.length > 0) return null;
  return { text, verdict: checked, by: actor.name };
}

async function entryBlob(source: ObjectSource, tree: string, path: string): Promise<string | null> {
  const entry = await entryAt(source, tree, path);
  return entry?.oid ?? null;
}

async function titleOf(source: ObjectSource, blobs: ReadonlyArray<string | null | undefined>, articleId: string): Promise<string> {
  for (const oid of blobs) {
    if (!oid) continue;
    const article = parseArticle(await readBlob(source, oid).catch(() => null), articleId);
    if (article?.meta.title) return article.meta.title;
  }
  return articleId;
}

function invalidatedMessage(title: string, act: DroppedAct): string {
  return t('conflict.merge.invalidated', { title, act: t(`conflict.merge.act.${act.type}`), at: act.at, reason: act.reason });
}

function conflictFile(
  articleId: string,
  article: Article,
  origin: { commit: string; by: { personId: string; name: string } | null; at: string | null },
  fields: ConflictField[],
  hunks: ConflictHunk[],
): PlannedConflict['file'] {
  return {
    format: SYNC_CONFLICT_FORMAT,
    articleId,
    title: article.meta.title,
    theirsBy: origin.by,
    theirsAt: origin.at,
    theirsCommit: origin.commit,
    docKey: docKeyOf(article.doc.content),
    fields,
    hunks,
  };
}

/**
 * Writes what a merge keeps on this desktop only, before any synced file
 * changes: the other side's article as a revision, the conflict file, and a
 * record that could not be carried over. Written again by a merge that is
 * re-run after a crash; a conflict file is replaced by the newer merge's.
 */
export async function writeLocalOutcome(workspaceDir: string, plan: MergePlan, now: Date): Promise<void> {
  const articlesDir = join(workspaceDir, 'articles');
  const revisions = new Revisions((id) => join(articlesDir, id), new ProblemLog(workspaceDir, { now: () => now, log: () => {} }));
  for (const file of plan.localFiles) {
    const target = join(workspaceDir, ...file.path.split('/'));
    await mkdir(join(target, '..'), { recursive: true });
    await writeFileAtomic(target, file.content);
  }
  for (const conflict of plan.conflictFiles) {
    const author = conflict.file.theirsBy ? { id: conflict.file.theirsBy.personId, name: conflict.file.theirsBy.name } : null;
    const saved = await revisions.save(conflict.theirs, t('conflict.merge.revisionName'), now.toISOString(), { author, reason: 'sync_conflict' });
    const file: SyncConflictFile = { ...conflict.file, revisionId: saved.id, detectedAt: now.toISOString() };
    await writeFileAtomic(join(articlesDir, conflict.articleId, SYNC_CONFLICT_FILE), `${JSON.stringify(file, null, 2)}\n`);
  }
}

/**
 * Before the server's newer version replaces an article whose change the
 * server refused: this desktop's text is kept as a revision the versions list
 * shows, so the writer can take from it what still matters (the refused
 * commits alone are out of a writer's reach). Returns its id, or null when the
 * file was not a readable article (nothing a person could restore).
 */
export async function keepRefusedVersion(workspaceDir: string, articleId: string, bytes: Uint8Array, now: Date): Promise<string | null> {
  let parsed: ReturnType<typeof ArticleSchema.safeParse>;
  try {
    parsed = ArticleSchema.safeParse(JSON.parse(Buffer.from(bytes).toString('utf8')));
  } catch {
    return null;
  }
  if (!parsed.success || parsed.data.id !== articleId) return null;
  const revisions = new Revisions((id) => join(workspaceDir, 'articles', id), new ProblemLog(workspaceDir, { now: () => now, log: () => {} }));
  return (await revisions.save(parsed.data, t('conflict.merge.refusedRevisionName'), now.toISOString(), { reason: 'sync_refused' })).id;
}

export interface HeldRefreshInput {
  workspaceDir: string;
  source: ObjectSource;
  articleId: string;
  /** article.json's blob in the office's copy until now, and in the newer one (null: deleted there). */
  before: string | null;
  after: string | null;
  /** The commits the newer version is between (who changed it is read from them). */
  local: string | null;
  remote: string;
  now: Date;
}

/**
 * An article 冲突待处理 here that the other side changed again: its conflict
 * is made again against the newer version (refreshConflict: the newer changes
 * taken where nothing is undecided, every difference a part to decide), the
 * newer version saved as a revision — this desktop's text is never replaced.
 * Where that cannot be done (the newer version deleted it, a file that does
 * not read), this desktop's files stay exactly as they are and the notice
 * says so. Returns what to tell the person.
 */
export async function refreshHeldConflict(input: HeldRefreshInput): Promise<ArticleNotice> {
  const { workspaceDir, source, articleId } = input;
  const folder = join(workspaceDir, 'articles', articleId);
  const mineBytes = await readFile(join(folder, 'article.json')).catch(() => null);
  const mine = parseArticle(mineBytes, articleId);
  const title = mine?.meta.title || articleId;
  const afterBytes = input.after === null ? null : await readBlob(source, input.after);
  const after = parseArticle(afterBytes, articleId);
  let previous: SyncConflictFile | null = null;
  try {
    const raw = JSON.parse(await readFile(join(folder, SYNC_CONFLICT_FILE), 'utf8')) as unknown;
    const parsed = SyncConflictFileSchema.safeParse(raw);
    if (parsed.success && parsed.data.articleId === articleId) previous = parsed.data as SyncConflictFile;
  } catch {
    previous = null;
  }
  const revisions = new Revisions((id) => join(workspaceDir, 'articles', id), new ProblemLog(workspaceDir, { now: () => input.now, log: () => {} }));
  const origin = await lastChangeOf(source, input.remote, input.local, `articles/${articleId}/article.json`);
  const author = origin.by ? { id: origin.by.personId, name: origin.by.name } : null;
  const saveTheirs = (article: Article) => revisions.save(article, t('conflict.merge.revisionName'), input.now.toISOString(), { author, reason: 'sync_conflict' });
  if (!mine || !after || !previous) {
    if (after) await saveTheirs(after);
    return { articleId, message: t(input.after === null ? 'conflict.merge.heldDeleted' : 'conflict.merge.heldKept', { title }) };
  }
  const before = parseArticle(input.before === null ? null : await readBlob(source, input.before), articleId);
  const result = refreshConflict({ previous, workspace: mine, before, after });
  if (result.hunks.length === 0 && result.fields.length === 0) {
    // The other side now has exactly this desktop's text: nothing is left to decide.
    await writeFileAtomic(join(folder, 'article.json'), afterBytes!);
    await unlink(join(folder, SYNC_CONFLICT_FILE)).catch(() => {});
    return { articleId, message: t('conflict.merge.heldSettled', { title }) };
  }
  const kept: Article = { ...result.article, status: after.status };
  const saved = await saveTheirs(after);
  const file: SyncConflictFile = {
    ...conflictFile(articleId, kept, origin, result.fields, result.hunks),
    revisionId: saved.id,
    detectedAt: input.now.toISOString(),
  };
  // The conflict first: a crash between the two leaves a conflict that names the newer version over the older text, which deciding still places.
  await writeFileAtomic(join(folder, SYNC_CONFLICT_FILE), `${JSON.stringify(file, null, 2)}\n`);
  await writeFileAtomic(join(folder, 'article.json'), articleBytes(kept));
  return { articleId, message: t('conflict.merge.heldRefreshed', { title, count: result.hunks.length + result.fields.length }) };
}

/** Thrown by {@link readConflict} for a conflict file that does not hold what it must: it is reported, never trusted. */
export class ConflictFileError extends Error {
  constructor(readonly articleId: string, detail: string) {
    super(`articles/${articleId}/${SYNC_CONFLICT_FILE}: ${detail}`);
    this.name = 'ConflictFileError';
  }
}

/**
 * The conflict a merge left on an article, or null when there is none. A
 * damaged or foreign file throws {@link ConflictFileError} naming it.
 */
export async function readConflict(workspaceDir: string, articleId: string): Promise<(SyncConflictView & { docKey: string }) | null> {
  if (!/^[A-Za-z0-9_-]{6,64}$/.test(articleId)) return null;
  let text: string;
  try {
    text = await readFile(join(workspaceDir, 'articles', articleId, SYNC_CONFLICT_FILE), 'utf8');
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConflictFileError(articleId, error instanceof Error ? error.message : String(error));
  }
  const parsed = SyncConflictFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ConflictFileError(articleId, `${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim());
  }
  if (parsed.data.articleId !== articleId) throw new ConflictFileError(articleId, `belongs to article ${parsed.data.articleId}`);
  return conflictView(parsed.data as SyncConflictFile);
}
