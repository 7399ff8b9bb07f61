import { randomBytes } from 'node:crypto';
import { readFileSync, unlinkSync } from 'node:fs';
import { lstat, mkdir, open, readFile, unlink } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { type MessageKey, translate } from '../../../shared/i18n';

/*
 * One program at a time works on a workspace. Each keeps caches (the article
 * index, the people directory, the office policy) that a second program's
 * writes would silently contradict: two hosts on one folder once ran the
 * first-administrator setup twice and replaced people.json under each other.
 * The lock is a file created exclusively (O_EXCL), so of two programs starting
 * together exactly one gets it; it names its holder, so the other can say who.
 */

/** The workspace lock's file name, at the workspace's top level (never synced: scope.ts is an allowlist). */
export const WORKSPACE_LOCK_FILE = '.gazette.lock';

/** The program holding the workspace. */
export type LockProgram = 'desktop' | 'web' | 'cli';

/** What the lock file says about its holder. */
export interface LockHolder {
  pid: number;
  host: string;
  program: LockProgram;
  /** When the holder took the workspace (ISO 8601). */
  since: string;
  /** Linux's boot id: a pid from before a reboot names nobody. */
  boot?: string;
  /** Tells this holder's lock from a later one with the same pid. */
  token: string;
}

/** Another program holds the workspace; the message (Chinese / English, one line) names it. */
export class WorkspaceLockedError extends Error {
  readonly holder: LockHolder | null;
  readonly file: string;

  constructor(message: string, holder: LockHolder | null, file: string) {
    super(message);
    this.name = 'WorkspaceLockedError';
    this.holder = holder;
    this.file = file;
  }
}

/** A held workspace lock; `release()` removes the file if it is still this holder's. */
export interface WorkspaceLock {
  readonly file: string;
  readonly holder: LockHolder;
  release(): Promise<void>;
}

const PROGRAM_KEYS: Record<LockProgram, MessageKey> = {
  desktop: 'store.lock.program.desktop',
  web: 'store.lock.program.web',
  cli: 'store.lock.program.cli',
};

/** A lock file still empty or half-written after this long was left by a process that died while creating it. */
const UNREADABLE_GRACE_MS = 5_000;

function bootId(): string | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    return readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  } catch {
    return undefined;
  }
}

function parseHolder(text: string): LockHolder | null {
  try {
    const raw = JSON.parse(text) as Partial<LockHolder>;
    if (typeof raw.pid !== 'number' || typeof raw.host !== 'string' || typeof raw.since !== 'string' || typeof raw.token !== 'string') return null;
    if (raw.program !== 'desktop' && raw.program !== 'web' && raw.program !== 'cli') return null;
    return raw as LockHolder;
  } catch {
    return null;
  }
}

/** True when `pid` names a running process on this computer (EPERM: it runs, as another user). */
function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

/**
 * Whether the holder is certainly gone: only a process on this computer can be
 * checked, so a lock from another host (a workspace on a network share) stands
 * until that host releases it or someone deletes the file.
 */
function holderGone(holder: LockHolder, here: { host: string; boot: string | undefined }): boolean {
  if (holder.host !== here.host) return false;
  if (holder.boot && here.boot && holder.boot !== here.boot) return true;
  return !processAlive(holder.pid);
}

function localTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** Both languages on one line: the CLI and the web host print it before any setting (the language among them) is read. */
function bilingual(key: MessageKey, holder: LockHolder, file: string): string {
  const say = (locale: 'zh-CN' | 'en') =>
    translate(locale, key, {
      program: translate(locale, PROGRAM_KEYS[holder.program]),
      pid: String(holder.pid),
      host: holder.host,
      since: localTime(holder.since),
      file,
    });
  return `${say('zh-CN')} / ${say('en')}`;
}

async function readHolder(file: string): Promise<{ holder: LockHolder | null; ageMs: number } | null> {
  try {
    const [text, info] = await Promise.all([readFile(file, 'utf8'), lstat(file)]);
    return { holder: parseHolder(text), ageMs: Date.now() - info.mtimeMs };
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return null;
    throw error;
  }
}

async function createExclusive(file: string, holder: LockHolder): Promise<boolean> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(file, 'wx', 0o600);
  } catch (error) {
    if ((error as { code?: string }).code === 'EEXIST') return false;
    throw error;
  }
  try {
    await handle.writeFile(`${JSON.stringify(holder)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return true;
}

/**
 * Takes the workspace in `dir` for `program`, before anything in it is read or
 * written. A lock whose process is gone (this computer, dead pid or an earlier
 * boot) is taken over and `log` says so; a live holder makes it throw
 * {@link WorkspaceLockedError} naming who holds it. The folder is created
 * (owner-only) if missing, since the lock lives in it.
 */
export async function acquireWorkspaceLock(
  dir: string,
  program: LockProgram,
  options: { log?: (message: string) => void; now?: () => Date } = {},
): Promise<WorkspaceLock> {
  const root = resolve(dir);
  await mkdir(root, { recursive: true, mode: 0o700 });
  const file = join(root, WORKSPACE_LOCK_FILE);
  const here = { host: hostname(), boot: bootId() };
  const holder: LockHolder = {
    pid: process.pid,
    host: here.host,
    program,
    since: (options.now ?? (() => new Date()))().toISOString(),
    ...(here.boot ? { boot: here.boot } : {}),
    token: randomBytes(8).toString('hex'),
  };
  for (let attempt = 0; attempt < 5; attempt++) {
    if (await createExclusive(file, holder)) return heldLock(file, holder);
    const found = await readHolder(file);
    if (found === null) continue; // released between our two steps: try again
    if (found.holder === null) {
      // Being written this instant, or left half-written by a crash: only the latter is ours to remove.
      if (found.ageMs < UNREADABLE_GRACE_MS) {
        await new Promise((done) => setTimeout(done, 200));
        continue;
      }
      await removeIfUnchanged(file, null);
      options.log?.(`[workspace] removed an unreadable lock file left by a crash: ${file}`);
      continue;
    }
    if (!holderGone(found.holder, here)) {
      throw new WorkspaceLockedError(bilingual('store.lock.held', found.holder, file), found.holder, file);
    }
    // Two programs may find the same dead holder: only the one whose re-read still shows it removes it,
    // and the exclusive create above decides who gets the workspace after that.
    if (await removeIfUnchanged(file, found.holder.token)) {
      options.log?.(`[workspace] ${bilingual('store.lock.takenOver', found.holder, file)}`);
    }
  }
  const last = await readHolder(file).catch(() => null);
  throw new WorkspaceLockedError(
    last?.holder ? bilingual('store.lock.held', last.holder, file) : `${translate('zh-CN', 'store.lock.busy', { file })} / ${translate('en', 'store.lock.busy', { file })}`,
    last?.holder ?? null,
    file,
  );
}

/** Removes the lock file if it still holds `token` (null: still unreadable). */
async function removeIfUnchanged(file: string, token: string | null): Promise<boolean> {
  const again = await readHolder(file).catch(() => null);
  if (!again) return false;
  if ((again.holder?.token ?? null) !== token) return false;
  try {
    await unlink(file);
    return true;
  } catch {
    return false;
  }
}

function heldLock(file: string, holder: LockHolder): WorkspaceLock {
  let released = false;
  const releaseNow = (): void => {
    if (released) return;
    released = true;
    process.off('exit', releaseNow);
    try {
      // Only our own: after a takeover (we were thought dead) the file is someone else's.
      if (parseHolder(readFileSync(file, 'utf8'))?.token === holder.token) unlinkSync(file);
    } catch {
      // Already gone.
    }
  };
  // A process that ends without closing the workspace (process.exit after an error) still frees it.
  process.on('exit', releaseNow);
  return {
    file,
    holder,
    release: async () => releaseNow(),
  };
}
