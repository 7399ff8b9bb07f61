import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openWorkspace, type Workspace } from '../../node/services';
import { passwordProtector, signBytes, unlockKeyPair } from '../../node/services/identity/keys';
import { PeopleDirectory } from '../../node/services/identity/people-directory';
import { nodeRecordCrypto as crypto } from '../../node/services/record/crypto';
import { type SyncSigner, syncSignerFor } from '../../node/services/sync/client';
import { draftsRepo, submittedRepo } from '../../node/services/sync/office-repos';
import type { CallContext } from '../../shared/api/contract';
import { entrySigningText, nextEntry, type RecordEntry, type SignedEvent, signedEntry } from '../../shared/record/entry';
import { addRepository, repositoryPath, setUser, startServer } from '../../scripts/office-server/kit';
import { freePort } from './free-port';

/*
 * Desktops of one office driven as an office drives them: each its own
 * workspace and its own process running the CLI (`gazette office setup`,
 * `people add`, `office join`, `sync`), against the real office server the
 * kit starts. Shared by the integration tests that play several desktops.
 */

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

/** What `gazette sync --json` prints: the round's report. */
export interface Round {
  phase: string;
  sent: string[];
  received: string[];
  merged: string[];
  conflicts: string[];
  refused: { repo: string; reasons: string[] }[];
  rejected: { repo: string; reason: string }[];
  message: string | null;
}

const CLI = ['--import', 'tsx', join(ROOT, 'node/cli/gazette.ts')];

/** The CLI in its own process, as a desktop's command line would run it. */
export function gazette(args: string[], password?: string): Run {
  const result = spawnSync(process.execPath, [...CLI, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, GAZETTE_PASSWORD: password ?? '' },
    timeout: 240_000,
  });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

/** The CLI started without waiting for it (to cut the server off under it); resolves with its exit and output. */
export function gazetteLater(args: string[], password?: string): Promise<Run> {
  const child = spawn(process.execPath, [...CLI, ...args], { cwd: ROOT, env: { ...process.env, GAZETTE_PASSWORD: password ?? '' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((done) => child.on('close', (code) => done({ status: code ?? -1, stdout, stderr })));
}

export function parseJson<T>(run: Run): T {
  try {
    return JSON.parse(run.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${run.status}): ${run.stdout}\n${run.stderr}`);
  }
}

export function gazetteJson<T>(args: string[], password?: string): { run: Run; value: T } {
  const run = gazette([...args, '--json'], password);
  return { run, value: parseJson<T>(run) };
}

/** The system's git, as an administrator at the server (or a curious user at a desktop) would run it. */
export function git(args: string[], env?: NodeJS.ProcessEnv, input?: string): Run {
  const result = spawnSync('git', ['-c', 'safe.directory=*', ...args], { encoding: 'utf8', input, env: env ? { ...process.env, ...env } : process.env });
  return { status: result.status ?? -1, stdout: result.stdout, stderr: result.stderr };
}

export interface PersonSpec {
  name: string;
  unit: string;
  roles: string;
  password: string;
}

export interface Office<Who extends string> {
  root: string;
  serverDir: string;
  port: number;
  url: string;
  ids: Record<Who, string>;
  passwords: Record<Who, string>;
  desk(name: string): string;
  join(dir: string, who: Who): { run: Run; value: { status: string; message?: string; repos?: string[]; round?: Round | null } };
  sync(dir: string, who: Who): { run: Run; value: Round };
  /** The server's branch of a repository (null when it has none). */
  head(repo: string): string | null;
  /** Paths on the server's branch of a repository. */
  ls(repo: string): string;
  writeArticle(dir: string, id: string, who: Who, body: string): void;
  /** Signs and appends a record entry as `who`, with their key as people.json on `dir` holds it. */
  appendEntry(dir: string, who: Who, articleId: string, event: SignedEvent): Promise<void>;
}

/**
 * An office made the way an office makes it — `gazette office setup` and
 * `gazette people add` on the administrator's desktop ("admin") — and the
 * office server started with the repositories its layout names and everyone's
 * login. Nobody has joined yet: the administrator's desktop carries the office
 * to the empty server with its first join.
 */
export async function makeOffice<Who extends string>(
  prefix: string,
  admin: Omit<PersonSpec, 'roles'>,
  people: Record<Exclude<Who, 'admin'>, PersonSpec>,
): Promise<Office<Who | 'admin'>> {
  type All = Who | 'admin';
  const root = mkdtempSync(join(tmpdir(), prefix));
  // Apache's workers (www-data when the tests run as root) must reach the repositories.
  chmodSync(root, 0o755);
  const serverDir = join(root, 'server');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}/git/`;
  const desk = (name: string) => join(root, name);
  const ids = {} as Record<All, string>;
  const passwords = { admin: admin.password } as Record<All, string>;
  const a0 = desk('admin');
  const setup = gazetteJson<{ id: string }>(['office', 'setup', '--name', admin.name, '--unit', admin.unit, '--workspace', a0], admin.password);
  if (setup.run.status !== 0) throw new Error(`office setup: ${setup.run.stdout}${setup.run.stderr}`);
  ids.admin = setup.value.id;
  const pw = join(root, 'admin.pw');
  writeFileSync(pw, admin.password);
  for (const [who, spec] of Object.entries(people) as [Exclude<Who, 'admin'>, PersonSpec][]) {
    const made = gazetteJson<{ id: string }>(
      ['people', 'add', '--name', spec.name, '--unit', spec.unit, '--roles', spec.roles, '--as', ids.admin, '--password-file', pw, '--workspace', a0],
      spec.password,
    );
    if (made.run.status !== 0) throw new Error(`people add ${spec.name}: ${made.run.stdout}${made.run.stderr}`);
    ids[who] = made.value.id;
    passwords[who] = spec.password;
  }
  await startServer({ dir: serverDir, port });
  const units = [...new Set([admin.unit, ...Object.values<PersonSpec>(people).map((p) => p.unit)])];
  for (const name of ['office', ...units.flatMap((u) => [draftsRepo(u).name, submittedRepo(u).name]), ...Object.values<string>(ids).map((id) => `person-${id}`)]) {
    addRepository(serverDir, name);
  }
  // Logins last: adding one rewrites the server's access file for the repositories there are.
  for (const who of Object.keys(passwords) as All[]) setUser(serverDir, ids[who], passwords[who]);

  const bare = (repo: string) => repositoryPath(serverDir, repo);
  return {
    root,
    serverDir,
    port,
    url,
    ids,
    passwords,
    desk,
    join: (dir, who) => gazetteJson(['office', 'join', url, '--as', ids[who], '--workspace', dir, '--attempts', '2'], passwords[who]),
    sync: (dir, who) => gazetteJson<Round>(['sync', '--workspace', dir, '--attempts', '2'], passwords[who]),
    head: (repo) => {
      const run = git(['--git-dir', bare(repo), 'rev-parse', '--verify', '--quiet', 'refs/heads/main']);
      return run.status === 0 ? run.stdout.trim() : null;
    },
    ls: (repo) => git(['--git-dir', bare(repo), 'ls-tree', '-r', '--name-only', 'main']).stdout,
    writeArticle: (dir, id, who, body) => {
      mkdirSync(join(dir, 'articles', id), { recursive: true });
      writeFileSync(join(dir, 'articles', id, 'article.json'), `${JSON.stringify({ id, createdBy: ids[who], body }, null, 2)}\n`);
    },
    appendEntry: async (dir, who, articleId, event) => {
      const directory = await PeopleDirectory.open(dir);
      const key = await unlockKeyPair(directory.record(ids[who])!.key!, passwordProtector(passwords[who]));
      const file = join(dir, 'articles', articleId, 'record.jsonl');
      const entries = existsSync(file) ? (readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l)) as RecordEntry[]) : [];
      const version = readdirSync(join(dir, 'office', 'policy')).length;
      const unsigned = nextEntry(articleId, entries.at(-1) ?? null, version, event, crypto);
      const entry = signedEntry(unsigned, { keyId: key.keyId, value: signBytes(key, entrySigningText(unsigned)) });
      appendFileSync(file, `${JSON.stringify(entry)}\n`);
    },
  };
}

/** Signs in as `personId` on desktop `dir` the way the app does (not through the CLI), for what the CLI cannot do. */
export async function signedIn<T>(dir: string, personId: string, password: string, act: (workspace: Workspace, ctx: CallContext) => Promise<T>): Promise<T> {
  const workspace = await openWorkspace(dir, { autoStartOutbox: false });
  try {
    const ctx: CallContext = { transport: 'cli', sessionId: `test-${personId}` };
    await workspace.identity.signInAs(personId, password, ctx);
    return await act(workspace, ctx);
  } finally {
    await workspace.close();
  }
}

/** A person's sync signer, with their key as desktop `dir` holds it: to make commits the app would not. */
export async function syncSignerAt(dir: string, personId: string, password: string): Promise<SyncSigner> {
  const record = (await PeopleDirectory.open(dir)).record(personId)!;
  return syncSignerFor(await unlockKeyPair(record.key!, passwordProtector(password)), record.person.name);
}

/** Record lines of an article, as written. */
export function recordLines(dir: string, articleId: string): string[] {
  return readFileSync(join(dir, 'articles', articleId, 'record.jsonl'), 'utf8').split('\n').filter(Boolean);
}

/**
 * A TCP relay in front of the office server, so a test can kill the server at
 * an exact moment of an answer: `cutWhen(request, bytes)` is asked as each
 * answer's bytes pass (with the request line they answer); when it first says
 * yes, relaying stops, `onCut` runs (kill the server), and the desktop's
 * connection is closed as the dead server's would be.
 */
export async function relay(target: number): Promise<{
  port: number;
  cutWhen(test: ((request: string, bytes: number) => boolean) | null, onCut?: () => Promise<unknown>): void;
  cut: Promise<void>;
  close(): Promise<void>;
}> {
  let test: ((request: string, bytes: number) => boolean) | null = null;
  let onCut: (() => Promise<unknown>) | undefined;
  let fired: () => void = () => {};
  let cut = new Promise<void>((done) => {
    fired = done;
  });
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = connect({ host: '127.0.0.1', port: target });
    sockets.add(client);
    sockets.add(upstream);
    let request = '';
    let answered = 0;
    let stopped = false;
    client.on('data', (chunk: Buffer) => {
      const line = /^(GET|POST) [^\r\n]+/.exec(chunk.toString('latin1'));
      if (line) {
        request = line[0];
        answered = 0;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (stopped) return;
      answered += chunk.length;
      if (test?.(request, answered)) {
        stopped = true;
        test = null;
        void (async () => {
          await onCut?.();
          client.destroy();
          upstream.destroy();
          fired();
        })();
        return;
      }
      client.write(chunk);
    });
    const end = () => {
      if (stopped) return;
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end);
    upstream.on('error', end);
    client.on('close', end);
    upstream.on('close', end);
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  return {
    port: (server.address() as { port: number }).port,
    cutWhen(next, then) {
      test = next;
      onCut = then;
      cut = new Promise<void>((done) => {
        fired = done;
      });
    },
    get cut() {
      return cut;
    },
    close: () =>
      new Promise<void>((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}
