import { existsSync } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { formatZodError } from '../../../shared/api/dispatch';
import { type WorkspaceProblem, WorkspaceProblemSchema } from '../../../shared/domain/article';
import { readJsonFile, StoredFileError, writeFileAtomic } from './atomic-file';

const PROBLEM_LOG_FILE = 'problems.json';
const PROBLEM_LOG_LIMIT = 500;

/**
 * What went wrong with the workspace's files and where they went: a file the
 * store cannot use is moved to `quarantine/` (never deleted) and reported.
 * Reports are kept for this session (shown in the list) and appended to
 * `problems.json` (newest last, capped).
 */
export class ProblemLog {
  readonly #dir: string;
  readonly #now: () => Date;
  readonly #log: (message: string) => void;
  readonly #session: WorkspaceProblem[] = [];
  #entries: WorkspaceProblem[] = [];
  #write: Promise<unknown> = Promise.resolve();

  constructor(dir: string, options: { now: () => Date; log: (message: string) => void }) {
    this.#dir = dir;
    this.#now = options.now;
    this.#log = options.log;
  }

  /** Reads `problems.json`; a damaged one is quarantined and that is the first problem reported. */
  async load(): Promise<void> {
    const file = join(this.#dir, PROBLEM_LOG_FILE);
    try {
      const log = await readJsonFile(file, (raw, path) => {
        const parsed = WorkspaceProblemSchema.array().safeParse(raw);
        if (!parsed.success) throw new StoredFileError('damaged', path, formatZodError(parsed.error));
        return parsed.data;
      });
      this.#entries = log ?? [];
    } catch (error) {
      if (!(error instanceof StoredFileError)) throw error;
      const quarantinedAs = await this.quarantine(file);
      this.report({ kind: 'damaged', file: PROBLEM_LOG_FILE, quarantinedAs, articleId: null, detail: error.message });
    }
  }

  /** Records a problem now; the log file is rewritten in the background (see {@link idle}). */
  report(problem: Omit<WorkspaceProblem, 'at'>): void {
    const full: WorkspaceProblem = { ...problem, at: this.#now().toISOString() };
    this.#log(`[store] ${full.kind}: ${full.file} — ${full.detail}`);
    this.#session.push(full);
    this.#entries = [...this.#entries, full].slice(-PROBLEM_LOG_LIMIT);
    const snapshot = `${JSON.stringify(this.#entries, null, 2)}\n`;
    this.#write = this.#write
      .then(() => writeFileAtomic(join(this.#dir, PROBLEM_LOG_FILE), snapshot))
      .catch((error: unknown) => this.#log(`[store] could not write problems.json: ${String(error)}`));
  }

  /** Moves a file aside (never deletes it); returns its workspace-relative new path. */
  async quarantine(path: string): Promise<string> {
    const folder = join(this.#dir, 'quarantine');
    await mkdir(folder, { recursive: true });
    const stamp = this.#now().toISOString().replace(/[:.]/g, '-');
    const label = this.relative(path).replace(/\//g, '__');
    let name = `${stamp}_${label}`;
    for (let n = 2; existsSync(join(folder, name)); n++) name = `${stamp}_${n}_${label}`;
    await rename(path, join(folder, name));
    return `quarantine/${name}`;
  }

  /** Quarantines a file that is not the workspace's own and reports it. */
  async quarantineForeign(path: string, articleId: string | null, detail: string): Promise<void> {
    const quarantinedAs = await this.quarantine(path);
    this.report({ kind: 'foreign', file: this.relative(path), quarantinedAs, articleId, detail });
  }

  /** A path as problems record it: relative to the workspace, with forward slashes. */
  relative(path: string): string {
    return relative(this.#dir, path).split(sep).join('/');
  }

  /** Problems found since the workspace was opened. */
  session(): WorkspaceProblem[] {
    return [...this.#session];
  }

  /** The persistent log (newest last, capped). */
  entries(): WorkspaceProblem[] {
    return [...this.#entries];
  }

  /** Resolves once the log file holds every problem reported so far. */
  idle(): Promise<unknown> {
    return this.#write;
  }
}
