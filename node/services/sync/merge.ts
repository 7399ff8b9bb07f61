import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConflictField, ConflictHunk, SyncConflictView } from '../../../shared/api/contract/sync';
import { ARTICLE_FORMAT, type Article, ArticleSchema } from '../../../shared/domain/article';
import type { RecordCrypto } from '../../../shared/record/crypto';
import type { VerifiedPolicy } from '../../../shared/record/policy';
import {
  conflictView,
  docKeyOf,
  mergeArticles,
  SYNC_CONFLICT_FILE,
  SYNC_CONFLICT_FORMAT,
  type SyncConflictFile,
  SyncConflictFileSchema,
} from '../../../shared/sync/article-merge';
import { t } from '../messages';
import { statusOf } from '../review/review-store';
import { isMissing, writeFileAtomic } from '../store/atomic-file';
import { ProblemLog } from '../store/problem-log';
import { Revisions } from '../store/revisions';
import { diffTrees, entryAt, type FileChange, type ObjectSource, readBlob, readCommit } from './git-objects';
import { type DroppedAct, mergeRecords, type RecordResigner } from './record-merge';
import { POLICY_PATH, RECORD_PATH, ROOT_PATH } from './scope';
import { personOfEmail } from './sshsig';

/*
 * The merge of two desktops' work on one office repository, file by file from
 * the commit both started from (git's merge base) — never git's text merge:
 *
 *   - a file changed on one side only is taken from that side;
 *   - article.json merges three-way by field and by top-level block
 *     (shared/sync/article-merge); where both changed the same place, this
 *     desktop's version stays in the article, the other is saved whole as a
 *     revision, and `articles/<id>/sync-conflict.json` (local, never synced)
 *     keeps both for the person to decide;
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

  const plan: MergePlan = { changes: new Map(), merged: [], conflicts: [], invalidated: [], notices: [], conflictFiles: [], localFiles: [] };
  /** Articles both sides changed, by id: their article.json and record.jsonl changes. */
  const both = new Map<string, { article?: [FileChange, FileChange]; record?: [FileChange, FileChange] }>();

  for (const [path, theirChange] of theirs) {
    const ourChange = ours.get(path);
    if (!ourChange) {
      plan.changes.set(path, theirChange.after);
      continue;
    }
    if (ourChange.after === theirChange.after) continue;
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

  for (const [articleId, changed] of both) {
    const articlePath = `articles/${articleId}/article.json`;
    const recordPath = `articles/${articleId}/record.jsonl`;
    let verdict = null;
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
      const title = await titleOf(source, [changed.article?.[0].after, changed.article?.[1].after, ours.get(articlePath)?.after, theirs.get(articlePath)?.after], articleId);
      if (merged.kind === 'foreign') {
        recordConflict = true;
        const file = `articles/${articleId}/${SYNC_CONFLICT_RECORD_FILE}`;
        plan.localFiles.push({ path: file, content: mineText });
        plan.notices.push({ articleId, message: t('conflict.merge.recordForeign', { title, count: merged.count, file }) });
      } else {
        for (const act of merged.dropped) plan.invalidated.push({ articleId, message: invalidatedMessage(title, act) });
      }
    }

    // The article as the merge leaves it: both changed it, or one side's version whose status the merged record may move.
    let article: Article | null = null;
    let mergedCleanly = true;
    if (changed.article) {
      const [ourArticle, theirArticle] = changed.article;
      if (ourArticle.after === null || theirArticle.after === null) {
        // Deleted on one side, edited on the other: the edit stays.
        const kept = ourArticle.after === null ? theirArticle.after : ourArticle.after;
        plan.changes.set(articlePath, kept);
        const title = (await titleOf(source, [kept], articleId)) || articleId;
        plan.notices.push({ articleId, message: t(ourArticle.after === null ? 'conflict.merge.deletedHere' : 'conflict.merge.deletedThere', { title }) });
        mergedCleanly = false;
        article = parseArticle(await blob(kept), articleId);
      } else {
        const mine = parseArticle(await blob(ourArticle.after), articleId);
        const other = parseArticle(await blob(theirArticle.after), articleId);
        if (!mine || !other) {
          return { ok: false, path: articlePath, message: t('conflict.merge.unmergeable', { path: articlePath, detail: t('conflict.merge.notArticle') }) };
        }
        const baseArticle = parseArticle(await blob(ourArticle.before), articleId);
        const result = mergeArticles(baseArticle, mine, other);
        article = result.article;
        if (result.hunks.length || result.fields.length) {
          mergedCleanly = false;
          const origin = await lastChangeOf(source, remote, base, articlePath);
          plan.conflictFiles.push({
            articleId,
            theirs: other,
            file: conflictFile(articleId, result.article, origin, result.fields, result.hunks),
          });
          plan.notices.push({
            articleId,
            message: t('conflict.merge.conflict', { title: result.article.meta.title || articleId, count: result.hunks.length + result.fields.length }),
          });
        }
      }
    }
    const treeOid = plan.changes.has(articlePath) ? plan.changes.get(articlePath)! : await entryBlob(source, localTree, articlePath);
    if (!article && verdict) article = parseArticle(await blob(treeOid), articleId);
    if (article && verdict && verdict.count > 0) {
      // The status shown in the list is a cache of what the record says.
      const status = statusOf(verdict, article.status);
      if (status !== article.status) article = { ...article, status };
    }
    if (article) {
      const bytes = articleBytes(article);
      if (treeOid === null || !(await readBlob(source, treeOid)).equals(bytes)) plan.changes.set(articlePath, await source.write('blob', bytes));
    }
    if (recordConflict || !mergedCleanly) plan.conflicts.push(articleId);
    else plan.merged.push(articleId);
  }
  // A conflict file's document fingerprint must be of the article as written.
  for (const conflict of plan.conflictFiles) {
    const oid = plan.changes.get(`articles/${conflict.articleId}/article.json`);
    const written = oid ? parseArticle(await readBlob(source, oid), conflict.articleId) : null;
    if (written) conflict.file.docKey = docKeyOf(written.doc.content);
  }
  plan.merged.sort();
  plan.conflicts.sort();
  return { ok: true, plan };
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
