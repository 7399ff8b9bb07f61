import { join } from 'node:path';
import { Low } from 'lowdb';
import { formatZodError } from '../../../shared/api/dispatch';
import { defaultSettings, type Settings, SettingsSchema } from '../../../shared/domain/settings';
import { AtomicJsonFile, StoredFileError } from './atomic-file';
import { KeyedQueue } from './keyed-queue';
import type { ProblemLog } from './problem-log';

const SETTINGS_FILE = 'settings.json';

/** The workspace's `settings.json` (previous version kept as `.bak`); defaults until one is saved. */
export class SettingsFile {
  readonly #file: string;
  readonly #problems: ProblemLog;
  readonly #writes = new KeyedQueue();
  #settings: Settings = defaultSettings();

  constructor(dir: string, problems: ProblemLog) {
    this.#file = join(dir, SETTINGS_FILE);
    this.#problems = problems;
  }

  /** Reads the file; a damaged one is quarantined and reported, and the defaults apply. */
  async load(): Promise<void> {
    const db = this.#db();
    try {
      await db.read();
      this.#settings = db.data;
    } catch (error) {
      if (!(error instanceof StoredFileError)) throw error;
      const quarantinedAs = await this.#problems.quarantine(error.file);
      this.#problems.report({
        kind: 'damaged',
        file: SETTINGS_FILE,
        quarantinedAs,
        articleId: null,
        detail: `${error.message}; using defaults`,
      });
      this.#settings = defaultSettings();
    }
  }

  /** Current settings, a copy the caller may change. */
  current(): Settings {
    return structuredClone(this.#settings);
  }

  /** Validates and writes the settings; returns them as stored. */
  async save(settings: Settings): Promise<Settings> {
    const db = this.#db();
    db.data = SettingsSchema.parse(settings);
    await this.#writes.run(SETTINGS_FILE, () => db.write());
    this.#settings = db.data;
    return this.current();
  }

  /** Resolves once every save started so far has settled. */
  idle(): Promise<void> {
    return this.#writes.idle();
  }

  #db(): Low<Settings> {
    const adapter = new AtomicJsonFile<Settings>(
      this.#file,
      (raw, path) => {
        const parsed = SettingsSchema.safeParse(raw);
        if (!parsed.success) throw new StoredFileError('damaged', path, `invalid settings: ${formatZodError(parsed.error)}`);
        return parsed.data;
      },
      { backup: true },
    );
    return new Low(adapter, defaultSettings());
  }
}
