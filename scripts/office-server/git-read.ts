/*
 * Reading the repository from a hook: git commands and one long-running
 * `git cat-file --batch` for objects. Run inside a hook, git sees the pushed
 * objects still in quarantine (the environment git gives the hook says where).
 */
import { type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import type { ObjectSource, ObjectType } from '../../node/services/sync/git-objects';
import { cleanGitEnv } from './provision';

export function run(args: string[]): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { maxBuffer: 256 * 1024 * 1024 }, (error, stdout) => {
      const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
      if (code === -1) reject(error);
      else resolve({ code, stdout });
    });
  });
}

const shellQuote = (arg: string) => `'${arg.replaceAll("'", `'\\''`)}'`;

/**
 * Several git commands in one process start: one `sh` runs them one after
 * another, each one's output followed by a NUL, its exit code and a NUL. A
 * Node process starting a child copies its own memory map, which under load
 * cost the hook more than the commands themselves.
 */
export function runAll(commands: string[][]): Promise<Array<{ code: number; stdout: string }>> {
  const script = commands.map((args) => `git ${args.map(shellQuote).join(' ')}; printf '\\0%d\\0' $?`).join('\n');
  return new Promise((resolve, reject) => {
    execFile('sh', ['-c', script], { maxBuffer: 256 * 1024 * 1024 }, (error, stdout) => {
      if (error) return reject(error);
      const parts = stdout.split('\0');
      const results: Array<{ code: number; stdout: string }> = [];
      for (let i = 0; i + 1 < parts.length; i += 2) results.push({ stdout: parts[i]!, code: Number(parts[i + 1]) });
      if (results.length !== commands.length || results.some((r) => !Number.isInteger(r.code))) return reject(new Error('git answered out of order'));
      resolve(results);
    });
  });
}

/** The lines a command printed; throws when it failed. */
export function linesOf(args: string[], result: { code: number; stdout: string }): string[] {
  if (result.code !== 0) throw new Error(`git ${args.join(' ')} exited with ${result.code}`);
  return result.stdout.split('\n').filter(Boolean);
}

export async function lines(args: string[]): Promise<string[]> {
  const { code, stdout } = await run(args);
  if (code !== 0) throw new Error(`git ${args.join(' ')} exited with ${code}`);
  return stdout.split('\n').filter(Boolean);
}

/** What one hook keeps of the objects it read: an object's id names its bytes, so a second look needs no git. */
const KEPT_BYTES = 64 * 1024 * 1024;

/**
 * Objects through one long-running `git cat-file --batch`: one process, not
 * one per object. Objects read are kept: the checks of one push ask for the
 * same trees several times (the new commit's, its parent's, the path to each
 * changed article), and a unit's `articles/` tree is half a megabyte.
 */
export class CatFile implements ObjectSource {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #kept = new Map<string, Promise<{ type: ObjectType; data: Buffer }>>();
  #keptBytes = 0;
  #buffer: Buffer = Buffer.alloc(0);
  #waiting: (() => void) | null = null;
  #tail: Promise<unknown> = Promise.resolve();

  /** `gitDir`: another repository than the one the hook runs in (git's own GIT_* variables are then left out). */
  constructor(gitDir?: string) {
    this.#child = gitDir
      ? spawn('git', ['-c', 'safe.directory=*', '--git-dir', gitDir, 'cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'pipe'], env: cleanGitEnv() })
      : spawn('git', ['cat-file', '--batch'], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.#child.stdout.on('data', (chunk: Buffer) => {
      this.#buffer = this.#buffer.length ? Buffer.concat([this.#buffer, chunk]) : chunk;
      this.#waiting?.();
    });
  }

  async #need(bytes: number): Promise<void> {
    while (this.#buffer.length < bytes) await new Promise<void>((done) => (this.#waiting = done));
    this.#waiting = null;
  }

  async #headerLine(): Promise<string> {
    for (;;) {
      const newline = this.#buffer.indexOf(0x0a);
      if (newline !== -1) {
        const line = this.#buffer.toString('latin1', 0, newline);
        this.#buffer = this.#buffer.subarray(newline + 1);
        return line;
      }
      await this.#need(this.#buffer.length + 1);
    }
  }

  read(oid: string): Promise<{ type: ObjectType; data: Buffer }> {
    const kept = this.#kept.get(oid);
    if (kept) return kept;
    const next = this.#ask(oid);
    this.#kept.set(oid, next);
    next.then(
      ({ data }) => {
        this.#keptBytes += data.length;
        while (this.#keptBytes > KEPT_BYTES && this.#kept.size > 1) {
          const [oldest, entry] = this.#kept.entries().next().value!;
          this.#kept.delete(oldest);
          void entry.then(({ data: gone }) => (this.#keptBytes -= gone.length)).catch(() => {});
        }
      },
      // A missing object is asked again next time (it may be a question about what exists).
      () => this.#kept.delete(oid),
    );
    return next;
  }

  #ask(oid: string): Promise<{ type: ObjectType; data: Buffer }> {
    // One request at a time: git answers in order, and this keeps the parsing simple.
    const next = this.#tail.then(async () => {
      this.#child.stdin.write(`${oid}\n`);
      const header = (await this.#headerLine()).split(' ');
      if (header[1] === 'missing' || header.length !== 3) throw new Error(`object ${oid} is missing`);
      const size = Number(header[2]);
      await this.#need(size + 1);
      const data = Buffer.from(this.#buffer.subarray(0, size));
      this.#buffer = this.#buffer.subarray(size + 1);
      return { type: header[1] as ObjectType, data };
    });
    this.#tail = next.catch(() => {});
    return next;
  }

  close(): void {
    this.#child.stdin.end();
  }
}

