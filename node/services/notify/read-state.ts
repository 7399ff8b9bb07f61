import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { KeyedQueue } from '../store/keyed-queue';
import { readJsonFile, StoredFileError, writeFileAtomic } from '../store/atomic-file';

export const READ_STATE_FORMAT = 'gazette/notify-read';

/**
 * What one person has read: everything that happened up to `readUpTo`, and
 * beyond that the notifications named in `read` (id → the time of the act, so
 * old marks can be dropped once `readUpTo` passes them). Only the person's
 * own marks: the notifications themselves are derived from the records.
 */
const ReadStateSchema = z.object({
  format: z.literal(READ_STATE_FORMAT),
  version: z.literal(1),
  readUpTo: z.string().nullable(),
  read: z.record(z.string(), z.string()),
});
export type ReadState = z.infer<typeof ReadStateSchema>;

const EMPTY: ReadState = { format: READ_STATE_FORMAT, version: 1, readUpTo: null, read: {} };

/** Whether the person has read the notification with this id and time. */
export function isRead(state: ReadState, id: string, at: string): boolean {
  return Object.hasOwn(state.read, id) || (state.readUpTo !== null && at <= state.readUpTo);
}

/**
 * The marks as they stand after reading `items`, with every mark older than
 * `floor` folded into `readUpTo`. `floor` is older than anything the list can
 * still show unread, so folding loses no mark that matters and the file stays small.
 */
export function withRead(state: ReadState, items: readonly { id: string; at: string }[], floor: string): ReadState {
  const read: Record<string, string> = {};
  const readUpTo = state.readUpTo !== null && state.readUpTo > floor ? state.readUpTo : floor;
  for (const [id, at] of Object.entries(state.read)) if (at > readUpTo) read[id] = at;
  for (const item of items) if (item.at > readUpTo) read[item.id] = item.at;
  return { ...state, readUpTo, read };
}

/**
 * Each person's read marks in `<workspace>/notify/<personId>.json`, written
 * atomically. A file that cannot be read counts as nothing read (and is
 * logged): the worst outcome is notifications shown again, never lost.
 */
export class ReadStateFiles {
  readonly #dir: string;
  readonly #log: (message: string) => void;
  readonly #writes = new KeyedQueue();

  constructor(workspaceDir: string, log: (message: string) => void = () => {}) {
    this.#dir = join(workspaceDir, 'notify');
    this.#log = log;
  }

  #file(personId: string): string {
    // Person ids are [A-Za-z0-9_-]; anything else is refused rather than turned into a path.
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(personId)) throw new Error(`not a person id: ${personId}`);
    return join(this.#dir, `${personId}.json`);
  }

  async read(personId: string): Promise<ReadState> {
    const file = this.#file(personId);
    try {
      return (
        (await readJsonFile(file, (raw) => {
          const parsed = ReadStateSchema.safeParse(raw);
          if (!parsed.success) throw new StoredFileError('foreign', file, parsed.error.issues[0]?.message ?? 'not a read-state file');
          return parsed.data;
        })) ?? EMPTY
      );
    } catch (error) {
      if (!(error instanceof StoredFileError)) throw error;
      this.#log(`[notify] ${file} could not be read (${error.message}); counting nothing as read`);
      return EMPTY;
    }
  }

  /** Reads, changes and writes one person's marks, one change at a time. */
  update(personId: string, change: (state: ReadState) => ReadState): Promise<ReadState> {
    return this.#writes.run(personId, async () => {
      const next = change(await this.read(personId));
      await mkdir(this.#dir, { recursive: true });
      await writeFileAtomic(this.#file(personId), `${JSON.stringify(next, null, 2)}\n`);
      return next;
    });
  }
}
