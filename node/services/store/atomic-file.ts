import { randomBytes } from 'node:crypto';
import { type Stats, statSync } from 'node:fs';
import { copyFile, link, open, readFile, rename, unlink } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import type { Adapter } from 'lowdb';
import { KeyedQueue } from './keyed-queue';

/** What the index records to notice later that a file changed behind our back. */
export interface FileStamp {
  mtimeMs: number;
  size: number;
}

/** Marks temp files so crash recovery can find them next to their target. */
export const TEMP_MARKER = '.tmp-';
export const BACKUP_SUFFIX = '.bak';

/** True when `name` is a temp file left by {@link writeFileAtomic} for `targetName`. */
export function isTempFor(targetName: string, name: string): boolean {
  return name.startsWith(`${targetName}${TEMP_MARKER}`);
}

/** Per-path write queue shared by every store in this process (one writer per file). */
export const fileWriteQueue = new KeyedQueue();

function errorCode(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null && 'code' in error
    ? String((error as { code: unknown }).code)
    : undefined;
}

/** True for "no such file" errors. */
export function isMissing(error: unknown): boolean {
  return errorCode(error) === 'ENOENT';
}

/** The file's stat, or null when it cannot be read (missing, no permission). */
export function statOrNull(path: string): Stats | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/**
 * Makes a finished rename survive a power cut. Windows cannot open a directory
 * for fsync, and NTFS journals renames itself, so it is skipped there.
 */
export async function fsyncDirectory(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function keepBackup(target: string): Promise<void> {
  const backup = `${target}${BACKUP_SUFFIX}`;
  const staged = `${backup}${TEMP_MARKER}${randomBytes(6).toString('hex')}`;
  try {
    // A hard link keeps the target in place the whole time, and renaming it over the old
    // backup means a missing target (first save, or recovery) never costs us that backup.
    await link(target, staged);
  } catch (error) {
    if (isMissing(error)) return;
    // Some file systems (FAT, a few network shares) have no hard links.
    try {
      await copyFile(target, staged);
    } catch (copyError) {
      if (isMissing(copyError)) return;
      throw copyError;
    }
  }
  await rename(staged, backup);
}

/**
 * Writes `content` so that `target` is always either the old or the new file:
 * temp file in the same folder, fsync, previous version kept as `.bak`
 * (optional), rename over the target, fsync the folder.
 */
export function writeFileAtomic(
  target: string,
  content: string | Uint8Array,
  options: { backup?: boolean } = {},
): Promise<FileStamp> {
  return fileWriteQueue.run(target, async () => {
    const temp = `${target}${TEMP_MARKER}${randomBytes(6).toString('hex')}`;
    let stamp: FileStamp;
    // Owner only: a workspace holds unpublished drafts and people's sealed keys (ignored on Windows, where ACLs rule).
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(content);
      await handle.sync();
      const stat = await handle.stat();
      stamp = { mtimeMs: stat.mtimeMs, size: stat.size };
    } catch (error) {
      await handle.close().catch(() => {});
      await unlink(temp).catch(() => {});
      throw error;
    }
    await handle.close();
    try {
      if (options.backup) await keepBackup(target);
      await rename(temp, target);
    } catch (error) {
      await unlink(temp).catch(() => {});
      throw error;
    }
    await fsyncDirectory(dirname(target));
    return stamp;
  });
}

/** Why a stored file could not be used. */
export type StoredFileProblem = 'damaged' | 'foreign';

/** A file exists but is not something this version of the app can use. */
export class StoredFileError extends Error {
  readonly kind: StoredFileProblem;
  readonly file: string;

  constructor(kind: StoredFileProblem, file: string, detail: string) {
    super(detail);
    this.name = 'StoredFileError';
    this.kind = kind;
    this.file = file;
  }
}

/** Checks parsed JSON; throws {@link StoredFileError} when it is not usable. */
export type JsonValidator<T> = (raw: unknown, file: string) => T;

/** Reads a JSON file and validates it; null when the file does not exist. */
export async function readJsonFile<T>(file: string, validate: JsonValidator<T>): Promise<T | null> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
  return parseJsonText(text, file, validate);
}

/** Parses file content; broken JSON is reported as a damaged file. */
export function parseJsonText<T>(text: string, file: string, validate: JsonValidator<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (error) {
    throw new StoredFileError(
      'damaged',
      file,
      `${basename(file)} is not valid JSON (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  return validate(raw, file);
}

/**
 * lowdb adapter that validates on read and writes atomically and durably
 * (lowdb's own JSONFile renames through steno but never fsyncs).
 */
export class AtomicJsonFile<T> implements Adapter<T> {
  readonly file: string;
  readonly #validate: JsonValidator<T>;
  readonly #backup: boolean;
  /** Stamp of the last file this adapter wrote. */
  lastWritten: FileStamp | null = null;

  constructor(file: string, validate: JsonValidator<T>, options: { backup?: boolean } = {}) {
    this.file = file;
    this.#validate = validate;
    this.#backup = options.backup ?? false;
  }

  read(): Promise<T | null> {
    return readJsonFile(this.file, this.#validate);
  }

  async write(data: T): Promise<void> {
    this.lastWritten = await writeFileAtomic(this.file, `${JSON.stringify(data, null, 2)}\n`, {
      backup: this.#backup,
    });
  }
}
