import { mkdir, open, readdir, readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { formatIndexNo, isValidOrganCode, parseIndexNo } from '../../../shared/domain/disclosure';
import { isMissing, readJsonFile, StoredFileError, writeFileAtomic } from '../store/atomic-file';
import { KeyedQueue } from '../store/keyed-queue';
import { PublishError } from './outbox/publish-error';

/**
 * 索引号 of the workspace (`<ws>/disclosure/`): assigned at an article's first
 * publication, after its approval — which is why the number is not part of
 * the approved content — and never reused.
 *
 * - `counters/<organ>-<year>.json` holds the last serial handed out. It only
 *   grows: a withdrawn or deleted article's number is never given again.
 * - `assigned/<articleId>.json` holds an article's number, so an update or a
 *   second site keeps it.
 *
 * Publishing in the app, the web host and the CLI may run at the same time on
 * one workspace, so each assignment holds a lock file (created exclusively)
 * besides an in-process queue. The counter is written before the article's
 * number: a crash in between skips a serial, which is allowed; reusing one is not.
 *
 * An office has several desktops, each with its own `disclosure/` (it does not
 * sync), so the numbers other desktops assigned come from the articles'
 * signed records, which do: the publish entry carries the number
 * (`recorded`). The next serial is past every number this desktop knows of,
 * its own and the office's, and the number is signed into the publish entry
 * (`sign`) before it is written here, so it reaches the others with the next
 * sync. Two desktops publishing between two syncs can still pick the same
 * serial; proofreading names the other article when such a duplicate arrives.
 */

const CounterSchema = z.object({ organCode: z.string(), year: z.number().int(), last: z.number().int().nonnegative() });
const AssignedSchema = z.object({ articleId: z.string(), indexNo: z.string(), assignedAt: z.string() });

function validated<T>(schema: z.ZodType<T>) {
  return (raw: unknown, file: string): T => {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) throw new StoredFileError('damaged', file, parsed.error.issues[0]?.message ?? 'unreadable');
    return parsed.data;
  };
}

/** Options of {@link IndexNumbers}. */
export interface IndexNumbersOptions {
  /** `<ws>/disclosure` */
  dir: string;
  now?: () => Date;
  /** A lock older than this was left by a process that died; it is broken. */
  staleLockMs?: number;
  /** How long to wait for another process's assignment before giving up. */
  lockTimeoutMs?: number;
  /**
   * Every article's 索引号 as its verified record says, by article id: the
   * numbers of the whole office, as far as this desktop has synced.
   */
  recorded?: () => Promise<ReadonlyMap<string, string>>;
}

export class IndexNumbers {
  readonly #dir: string;
  readonly #now: () => Date;
  readonly #staleLockMs: number;
  readonly #lockTimeoutMs: number;
  readonly #queue = new KeyedQueue();
  readonly #recorded: () => Promise<ReadonlyMap<string, string>>;

  constructor(options: IndexNumbersOptions) {
    this.#dir = options.dir;
    this.#now = options.now ?? (() => new Date());
    this.#staleLockMs = options.staleLockMs ?? 30_000;
    this.#lockTimeoutMs = options.lockTimeoutMs ?? 15_000;
    this.#recorded = options.recorded ?? (async () => new Map());
  }

  #assignedFile(articleId: string): string {
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(articleId)) throw new RangeError(`invalid article id ${articleId}`);
    return join(this.#dir, 'assigned', `${articleId}.json`);
  }

  /**
   * The number an article holds — assigned here, or signed into its record by
   * the desktop that published it — or null before its first publication.
   */
  async numberOf(articleId: string): Promise<string | null> {
    const record = await readJsonFile(this.#assignedFile(articleId), validated(AssignedSchema));
    return record?.indexNo ?? (await this.#recorded()).get(articleId) ?? null;
  }

  /**
   * The article's 索引号: the one it already holds, else the next serial of
   * `organCode` in `year` past every number known here and in the office's
   * records. `sign` (the signed publish entry) receives the number before it
   * is written here: when it throws, nothing is taken and no serial is used.
   */
  assign(articleId: string, organCode: string, year: number, sign: (indexNo: string) => Promise<void> = async () => {}): Promise<string> {
    if (!isValidOrganCode(organCode)) throw new RangeError(`invalid organ code ${organCode}`);
    return this.#queue.run('assign', () =>
      this.#locked(async () => {
        const held = await this.numberOf(articleId);
        if (held) {
          await sign(held);
          return held;
        }
        const counterFile = join(this.#dir, 'counters', `${organCode}-${year}.json`);
        const counter = await readJsonFile(counterFile, validated(CounterSchema));
        let last = counter?.last ?? 0;
        const { byArticle } = await this.all();
        for (const known of byArticle.values()) {
          const parsed = parseIndexNo(known);
          if (parsed && parsed.organCode === organCode && parsed.year === year) last = Math.max(last, parsed.serial);
        }
        const indexNo = formatIndexNo(organCode, year, last + 1);
        await sign(indexNo);
        const serial = last + 1;
        await mkdir(join(this.#dir, 'counters'), { recursive: true });
        await writeFileAtomic(counterFile, `${JSON.stringify({ organCode, year, last: serial })}\n`);
        await mkdir(join(this.#dir, 'assigned'), { recursive: true });
        await writeFileAtomic(
          this.#assignedFile(articleId),
          `${JSON.stringify({ articleId, indexNo, assignedAt: this.#now().toISOString() })}\n`,
        );
        return indexNo;
      }),
    );
  }

  /**
   * Every number held, by article: assigned here or signed into a record the
   * office synced (this desktop's own assignment wins for its article).
   * Numbers held by two articles — two desktops that published between two
   * syncs, or folders merged by hand — come out in `duplicates`.
   */
  async all(): Promise<{ byArticle: Map<string, string>; duplicates: Map<string, string[]> }> {
    const dir = join(this.#dir, 'assigned');
    const names = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith('.json'));
    const byArticle = new Map<string, string>();
    for (const [articleId, indexNo] of await this.#recorded()) if (parseIndexNo(indexNo)) byArticle.set(articleId, indexNo);
    for (const name of names) {
      const record = await readJsonFile(join(dir, name), validated(AssignedSchema)).catch(() => null);
      if (!record || !parseIndexNo(record.indexNo)) continue;
      byArticle.set(record.articleId, record.indexNo);
    }
    const holders = new Map<string, string[]>();
    for (const [articleId, indexNo] of byArticle) holders.set(indexNo, [...(holders.get(indexNo) ?? []), articleId]);
    const duplicates = new Map([...holders].filter(([, ids]) => ids.length > 1));
    return { byArticle, duplicates };
  }

  /** The other articles holding the same 索引号 as `articleId`, or [] when its number is unique (or it has none). */
  async sharing(articleId: string): Promise<{ indexNo: string | null; others: string[] }> {
    const { byArticle, duplicates } = await this.all();
    const indexNo = byArticle.get(articleId) ?? null;
    return { indexNo, others: indexNo ? (duplicates.get(indexNo) ?? []).filter((id) => id !== articleId) : [] };
  }

  async #locked<T>(work: () => Promise<T>): Promise<T> {
    await mkdir(this.#dir, { recursive: true });
    const lock = join(this.#dir, '.assign.lock');
    const started = Date.now();
    for (;;) {
      try {
        const handle = await open(lock, 'wx');
        await handle.writeFile(`${process.pid}\n`);
        await handle.close();
        break;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const since = await stat(lock).then(
          (s) => Date.now() - s.mtimeMs,
          () => 0,
        );
        if (since > this.#staleLockMs) {
          await unlink(lock).catch((e: unknown) => {
            if (!isMissing(e)) throw e;
          });
          continue;
        }
        if (Date.now() - started > this.#lockTimeoutMs) {
          const holder = (await readFile(lock, 'utf8').catch(() => '')).trim();
          // Publishing shows this to the publisher as it is, so it is a translated message, not a log line.
          throw new PublishError('timeout', 'publish.error.index_lock', {
            holder: holder ? `PID ${holder}` : '?',
            seconds: Math.ceil(this.#lockTimeoutMs / 1000),
            file: lock,
            stale: Math.ceil(this.#staleLockMs / 1000),
          });
        }
        await new Promise((resolve) => setTimeout(resolve, 15 + Math.random() * 25));
      }
    }
    try {
      return await work();
    } finally {
      await unlink(lock).catch(() => {});
    }
  }
}
