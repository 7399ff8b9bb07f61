/*
 * The office server kit: Debian's Apache 2.4 running git's own smart-HTTP
 * backend (`git-http-backend`) over bare repositories, behind HTTP basic auth
 * (an htpasswd file managed here), with Gazette's pre-receive hook in every
 * repository. Everything lives under one folder — config, logs, pid file,
 * repositories, users — and no system Apache configuration is read or
 * touched, so it runs beside a stock Apache and, as a normal user, without
 * root. Started as root, Apache's workers (and so git and the hook) run as
 * `www-data`, which then owns the repositories.
 *
 *   DIR/apache/httpd.conf, logs/, run/      the server
 *   DIR/htpasswd                            who may log in (login = person id)
 *   DIR/access/groups                       who may read and push each repository (from the office policy: access.ts)
 *   DIR/hook/pre-receive.mjs, post-receive.mjs   the hooks, bundled once per start
 *   DIR/repos/<name>.git                    bare repositories (http://HOST:PORT/git/<name>.git)
 */
import { spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { absorbPush, writeGroupFile } from './access';
import { CatFile } from './git-read';
import { addRepository as provisionRepository, isRoot, REPO_NAME, repositoryPath, serverPaths, shareWithWorkers } from './provision';

export { repositoryPath } from './provision';

/**
 * Creates (or brings up to date) a bare repository by hand, and lets in whom
 * the office policy names for it. `rootKeyId` pins the office's root key: the
 * first push must then carry that office's root.json.
 */
export function addRepository(dir: string, name: string, options: { rootKeyId?: string } = {}): string {
  const repo = provisionRepository(dir, name, options);
  refreshGroups(dir);
  return repo;
}

const HERE = dirname(fileURLToPath(import.meta.url));
const MODULES = '/usr/lib/apache2/modules';
const HTTP_BACKEND_CANDIDATES = ['/usr/lib/git-core/git-http-backend', '/usr/libexec/git-core/git-http-backend'];
const USER_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export interface ServerOptions {
  dir: string;
  port: number;
  /** Address to listen on (default 127.0.0.1: tests and trials; an office server names its LAN address). */
  host?: string;
  /** The account Apache's workers use when started as root (default www-data). */
  runAs?: string;
}

function which(command: string): string | null {
  for (const folder of [...(process.env.PATH ?? '').split(':'), '/usr/sbin', '/sbin']) {
    if (!folder) continue;
    const path = join(folder, command);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {}
  }
  return null;
}

function httpBackend(): string | null {
  return HTTP_BACKEND_CANDIDATES.find((path) => existsSync(path)) ?? null;
}

/** What is missing on this machine (apt names), empty when the kit can run. */
export function missingPackages(): string[] {
  const missing = new Set<string>();
  if (!which('git') || !httpBackend()) missing.add('git');
  if (!which('apache2') || !existsSync(join(MODULES, 'mod_cgi.so'))) missing.add('apache2');
  if (!which('htpasswd')) missing.add('apache2-utils');
  return [...missing];
}

/** The URL a desktop joins for repository `name`. */
export function repositoryUrl(options: Pick<ServerOptions, 'port' | 'host'>, name: string): string {
  return `http://${options.host ?? '127.0.0.1'}:${options.port}/git/${name}.git`;
}

function apacheConfig(options: ServerOptions, p: ReturnType<typeof serverPaths>): string {
  const load = (name: string, file: string) => `LoadModule ${name} ${MODULES}/${file}`;
  const runAs = options.runAs ?? 'www-data';
  return `# Written by Gazette's office server kit (scripts/office-server); regenerated at every start.
ServerRoot "${p.apache}"
ServerName ${options.host ?? '127.0.0.1'}
Listen ${options.host ?? '127.0.0.1'}:${options.port}
PidFile "${p.pid}"
DefaultRuntimeDir "${p.run}"
ErrorLog "${join(p.logs, 'error.log')}"
LogLevel warn
LogFormat "%h %u %t \\"%r\\" %>s %b %D" gazette
CustomLog "${join(p.logs, 'access.log')}" gazette
Timeout 120
${load('mpm_prefork_module', 'mod_mpm_prefork.so')}
StartServers 2
MinSpareServers 1
MaxSpareServers 4
MaxRequestWorkers 32
${load('authn_core_module', 'mod_authn_core.so')}
${load('authn_file_module', 'mod_authn_file.so')}
${load('auth_basic_module', 'mod_auth_basic.so')}
${load('authz_core_module', 'mod_authz_core.so')}
${load('authz_user_module', 'mod_authz_user.so')}
${load('authz_groupfile_module', 'mod_authz_groupfile.so')}
${load('alias_module', 'mod_alias.so')}
${load('env_module', 'mod_env.so')}
${load('cgi_module', 'mod_cgi.so')}
${isRoot() ? `User ${runAs}\nGroup ${runAs}` : '# Not started as root: Apache and its workers run as the user who started it.'}
<Directory />
  Require all denied
</Directory>
SetEnv GIT_PROJECT_ROOT "${p.repos}"
SetEnv GIT_HTTP_EXPORT_ALL 1
SetEnv PATH /usr/local/bin:/usr/bin:/bin
ScriptAlias /git/ "${httpBackend()}/"
<Location /git/>
  AuthType Basic
  AuthName "Gazette office"
  AuthBasicProvider file
  AuthUserFile "${p.htpasswd}"
  AuthGroupFile "${p.groups}"
  # Deny by default: only a repository the group file names is served, to whom it names.
  Require all denied
</Location>
# Every repository name the kit allows. The group file (access.ts, from the office policy; read at each
# request, so a new policy version needs no restart) has per repository a read group named as the
# repository and a push group "<name>.push": pushing needs the second (an administrator may push to a
# person's repository without reading it). Whatever names receive-pack goes to the push group.
<LocationMatch "^/git/(?<repo>${REPO_NAME.source.slice(1, -1)})\\.git/">
  <If "%{QUERY_STRING} =~ /receive/i || %{REQUEST_URI} =~ m#/git-receive-pack$#">
    Require group %{env:MATCH_REPO}.push
  </If>
  <Else>
    Require group %{env:MATCH_REPO}
  </Else>
</LocationMatch>
<Directory "${dirname(httpBackend() ?? '/usr/lib/git-core/git-http-backend')}">
  Require all granted
</Directory>
`;
}

/** Bundles the hooks into plain .mjs files Node runs as they are (no TypeScript tooling, no network, ~50 ms to start). */
async function bundleHooks(hookDir: string): Promise<void> {
  mkdirSync(hookDir, { recursive: true });
  for (const name of ['pre-receive', 'post-receive']) {
    await build({
      entryPoints: [join(HERE, `${name}.ts`)],
      outfile: join(hookDir, `${name}.mjs`),
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      // Smaller text is less to compile at every push (the hook is a fresh process each time).
      minify: true,
      logLevel: 'error',
      // Bundled CommonJS dependencies call require(); ESM has none unless given one.
      banner: { js: "import { createRequire as __gzCreateRequire } from 'node:module'; const require = __gzCreateRequire(import.meta.url);" },
    });
  }
}

/** Adds a person's login, or changes their password (bcrypt). The password goes through stdin, never the command line. */
export function setUser(dir: string, name: string, password: string): void {
  if (!USER_NAME.test(name)) throw new Error(`user name not allowed: ${name}`);
  if (password.length < 8) throw new Error('a password needs at least 8 characters');
  const p = serverPaths(dir);
  mkdirSync(p.root, { recursive: true });
  const args = existsSync(p.htpasswd) ? ['-i', '-B', p.htpasswd, name] : ['-c', '-i', '-B', p.htpasswd, name];
  const result = spawnSync('htpasswd', args, { input: password, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`htpasswd failed: ${result.stderr.trim()}`);
  shareWithWorkers(p.htpasswd, 0o640);
  // Before an office policy exists, every login may reach the office repository (to found the office).
  refreshGroups(dir);
}

/** Removes a login (their commits stay; revoking their key is the office policy's job). */
export function removeUser(dir: string, name: string): void {
  const p = serverPaths(dir);
  if (!existsSync(p.htpasswd)) return;
  const result = spawnSync('htpasswd', ['-D', p.htpasswd, name], { encoding: 'utf8' });
  if (result.status !== 0 && !/not found/i.test(result.stderr)) throw new Error(`htpasswd failed: ${result.stderr.trim()}`);
  refreshGroups(dir);
}

function refreshGroups(dir: string): void {
  writeGroupFile(dir);
  shareWithWorkers(serverPaths(dir).access);
}

/** Takes in the policy each repository carries (as its post-receive hook would have), creating what it names and the group file. */
async function absorbAll(dir: string): Promise<void> {
  const p = serverPaths(dir);
  // The office repository first: it founds the office the others must belong to.
  const names = readdirSync(p.repos)
    .filter((entry) => entry.endsWith('.git') && statSync(join(p.repos, entry)).isDirectory())
    .map((entry) => entry.slice(0, -4))
    .sort((a, b) => Number(b === 'office') - Number(a === 'office'));
  for (const name of names) {
    const gitDir = repositoryPath(dir, name);
    const source = new CatFile(gitDir);
    try {
      await absorbPush(dir, name, source, gitDir);
    } catch (error) {
      console.warn(`office-server: ${name}: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      source.close();
    }
  }
  refreshGroups(dir);
}

/**
 * Started as root, the workers run as `account`, and must be able to enter
 * every folder above DIR to reach the repositories and the hook. A private
 * parent (a 0700 home or temp folder) would make every request fail with a
 * bare 500; say which folder instead, and leave its permissions to the owner.
 */
function assertReachable(dir: string, account: string): void {
  for (let folder = dir; ; folder = dirname(folder)) {
    const info = statSync(folder);
    if ((info.mode & 0o001) === 0) {
      throw new Error(`${account} (Apache's workers) cannot enter ${folder}: choose a folder others may enter, or chmod o+x ${folder}`);
    }
    if (dirname(folder) === folder) return;
  }
}

/** Whether a process runs; a killed one that its parent has not reaped yet (a zombie) does not. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    // /proc/<pid>/stat: "pid (comm) S …"; the state follows the command's closing parenthesis.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true;
  }
}

/** The running server's main process, from its pid file; null when none runs. */
export function serverPid(dir: string): number | null {
  try {
    const pid = Number(readFileSync(serverPaths(dir).pid, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 && alive(pid) ? pid : null;
  } catch {
    return null;
  }
}

function portAnswers(host: string, port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });
}

async function waitFor(test: () => boolean | Promise<boolean>, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await test()) return true;
    await new Promise((r) => setTimeout(r, 25));
  }
  return test();
}

/**
 * Provisions (idempotently) and starts the server; a running one re-reads
 * its configuration. `repos` are created if missing. Resolves once the port
 * answers.
 */
export async function startServer(options: ServerOptions & { repos?: readonly string[] }): Promise<{ pid: number; url: string }> {
  const missing = missingPackages();
  if (missing.length) throw new Error(`missing packages: ${missing.join(' ')} (sudo apt-get install -y ${missing.join(' ')})`);
  if (options.runAs) process.env.GAZETTE_OFFICE_SERVER_RUN_AS = options.runAs;
  const p = serverPaths(options.dir);
  for (const folder of [p.root, p.logs, p.run, p.repos]) mkdirSync(folder, { recursive: true });
  if (!existsSync(p.htpasswd)) writeFileSync(p.htpasswd, '', { mode: 0o640 });
  await bundleHooks(p.hook);
  for (const name of options.repos ?? []) provisionRepository(options.dir, name);
  // Every repository gets this start's hooks and settings (a server set up by an older kit included).
  for (const entry of readdirSync(p.repos)) {
    const name = entry.slice(0, -4);
    if (entry.endsWith('.git') && statSync(join(p.repos, entry)).isDirectory() && REPO_NAME.test(name)) provisionRepository(options.dir, name);
  }
  await absorbAll(options.dir);
  if (isRoot()) assertReachable(p.root, options.runAs ?? 'www-data');
  writeFileSync(p.conf, apacheConfig(options, p));
  shareWithWorkers(p.repos);
  shareWithWorkers(p.htpasswd, 0o640);
  chmodSync(p.hook, 0o755);
  const host = options.host ?? '127.0.0.1';
  const running = serverPid(options.dir);
  // A pid file left by a killed server names a process that is gone (or a zombie not yet reaped): Apache would take it for a running one.
  if (running === null) rmSync(p.pid, { force: true });
  const errorLog = join(p.logs, 'error.log');
  const logSize = existsSync(errorLog) ? statSync(errorLog).size : 0;
  const result = spawnSync(which('apache2')!, ['-f', p.conf, '-k', running ? 'graceful' : 'start'], { encoding: 'utf8' });
  const fresh = () => (existsSync(errorLog) ? readFileSync(errorLog, 'utf8').slice(logSize).trim() : '');
  if (result.status !== 0) throw new Error(`apache2 did not start: ${(result.stderr || fresh()).trim()}`);
  const up = await waitFor(async () => serverPid(options.dir) !== null && (await portAnswers(host, options.port)), 10_000);
  if (!up) throw new Error(`apache2 does not answer on ${host}:${options.port}: ${fresh() || 'see the error log'}`);
  return { pid: serverPid(options.dir)!, url: `http://${host}:${options.port}/git/` };
}

/** Stops the server (its pid file's process) and waits until it is gone. Resolves false when none was running. */
export async function stopServer(dir: string): Promise<boolean> {
  const pid = serverPid(dir);
  if (pid === null) return false;
  process.kill(pid, 'SIGTERM');
  if (!(await waitFor(() => !alive(pid), 10_000))) await killServer(dir);
  rmSync(serverPaths(dir).pid, { force: true });
  return true;
}

/**
 * Kills the server and everything it started (workers, git, hooks) at once,
 * as a crash or a power cut would, and waits until they are gone: for fault
 * tests, and for a server that no longer answers SIGTERM.
 */
export async function killServer(dir: string): Promise<boolean> {
  const pid = serverPid(dir);
  if (pid === null) return false;
  // Apache detaches into its own session, so its process group holds all it started.
  const group = () =>
    readdirSync('/proc')
      .filter((name) => /^\d+$/.test(name))
      .filter((name) => {
        try {
          const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
          return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) === pid && alive(Number(name));
        } catch {
          return false;
        }
      });
  process.kill(-pid, 'SIGKILL');
  await waitFor(() => group().length === 0, 10_000);
  return true;
}
