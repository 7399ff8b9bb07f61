import { randomBytes } from 'node:crypto';
import { mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Article, Revision, RevisionSummary } from '../../../shared/domain/article';
import { ID_PATTERN, REVISIONS_DIR, revisionValidator } from './article-file';
import { isMissing, readJsonFile, StoredFileError, writeFileAtomic } from './atomic-file';
import type { ProblemLog } from './problem-log';
import { StoreError } from './store-error';

/** Who saved a revision and why, when review saved it. */
export interface RevisionExtra {
  author?: { id: string; name: string } | null;
  reason?: string;
}

/**
 * Named, immutable versions of an article: one JSON file each in
 * `articles/<id>/revisions/`. Callers check that the article exists and
 * serialise writes with the article's other writes.
 */
export class Revisions {
  readonly #folderOf: (articleId: string) => string;
  readonly #problems: ProblemLog;

  constructor(folderOf: (articleId: string) => string, problems: ProblemLog) {
    this.#folderOf = folderOf;
    this.#problems = problems;
  }

  /** Stores the article's content, as given, as a revision created at `createdAt`. */
  async save(article: Article, name: string, createdAt: string, extra: RevisionExtra = {}): Promise<RevisionSummary> {
    const articleId = article.id;
    // Time-ordered ids keep newest-first listing stable even for same-millisecond saves.
    const revisionId = `${Date.parse(createdAt).toString(36).padStart(9, '0')}-${randomBytes(6).toString('base64url')}`;
    const revision: Revision = { id: revisionId, articleId, name, createdAt, meta: article.meta, doc: article.doc };
    if (extra.author !== undefined) revision.author = extra.author;
    if (extra.reason !== undefined) revision.reason = extra.reason;
    const folder = this.#folder(articleId);
    await mkdir(folder, { recursive: true });
    await writeFileAtomic(join(folder, `${revisionId}.json`), `${JSON.stringify(revision, null, 2)}\n`);
    return { id: revisionId, articleId, name, createdAt, author: revision.author, reason: revision.reason };
  }

  /**
   * Writes revisions received from elsewhere under `articleId`, creating the
   * article's folder on the way; revisions with an unsafe id are left out.
   */
  async adopt(articleId: string, revisions: readonly Revision[]): Promise<void> {
    const folder = this.#folder(articleId);
    await mkdir(folder, { recursive: true });
    for (const revision of revisions) {
      if (!ID_PATTERN.test(revision.id)) continue;
      await writeFileAtomic(join(folder, `${revision.id}.json`), `${JSON.stringify({ ...revision, articleId }, null, 2)}\n`);
    }
  }

  /** Summaries, newest first. Damaged revision files are quarantined, reported and left out. */
  async list(articleId: string): Promise<RevisionSummary[]> {
    const names = await readdir(this.#folder(articleId)).catch((error: unknown) => {
      if (isMissing(error)) return [] as string[];
      throw error;
    });
    const out: RevisionSummary[] = [];
    for (const name of names) {
      if (!name.endsWith('.json') || !ID_PATTERN.test(name.slice(0, -5))) continue;
      const revision = await this.#read(articleId, name.slice(0, -5)).catch(() => null);
      if (revision) {
        out.push({
          id: revision.id,
          articleId,
          name: revision.name,
          createdAt: revision.createdAt,
          author: revision.author,
          reason: revision.reason,
        });
      }
    }
    return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.id.localeCompare(a.id));
  }

  /** One revision in full. */
  async get(articleId: string, revisionId: string): Promise<Revision> {
    if (!ID_PATTERN.test(revisionId)) throw new StoreError('not_found', `no revision ${revisionId}`);
    const revision = await this.#read(articleId, revisionId);
    if (!revision) throw new StoreError('not_found', `no revision ${revisionId}`);
    return revision;
  }

  #folder(articleId: string): string {
    return join(this.#folderOf(articleId), REVISIONS_DIR);
  }

  async #read(articleId: string, revisionId: string): Promise<Revision | null> {
    const file = join(this.#folder(articleId), `${revisionId}.json`);
    try {
      const revision = await readJsonFile(file, revisionValidator(articleId));
      if (revision && revision.id !== revisionId) {
        throw new StoredFileError('foreign', file, `file holds revision ${revision.id}`);
      }
      return revision;
    } catch (error) {
      if (!(error instanceof StoredFileError)) throw error;
      const quarantinedAs = await this.#problems.quarantine(file);
      this.#problems.report({ kind: error.kind, file: this.#problems.relative(file), quarantinedAs, articleId, detail: error.message });
      throw new StoreError('damaged_file', `revision ${revisionId} is damaged and was moved to quarantine`);
    }
  }
}
