/*
 * The office server's folder: where things are, and making a bare repository
 * with the hooks. Shared by the kit (at start and from the command line) and
 * the post-receive hook (which creates the repositories a new policy version
 * names), so it imports nothing that cannot be bundled into the hook.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const REPO_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$/;

export const isRoot = () => process.getuid?.() === 0;

export function serverPaths(dir: string) {
  const root = resolve(dir);
  return {
    root,
    apache: join(root, 'apache'),
    conf: join(root, 'apache', 'httpd.conf'),
    logs: join(root, 'apache', 'logs'),
    run: join(root, 'apache', 'run'),
    pid: join(root, 'apache', 'run', 'httpd.pid'),
    htpasswd: join(root, 'htpasswd'),
    hook: join(root, 'hook'),
    repos: join(root, 'repos'),
    /** Who may read and push what: the group file Apache reads, and the policies it was made from. */
    access: join(root, 'access'),
    groups: join(root, 'access', 'groups'),
    officePolicy: join(root, 'access', 'office-policy.json'),
    standalone: join(root, 'access', 'standalone'),
  };
}

export function repositoryPath(dir: string, name: string): string {
  return join(serverPaths(dir).repos, `${name}.git`);
}

/**
 * The environment for git run on another repository than the one a hook runs
 * in: git gives hooks GIT_DIR and friends, and `git init` under them would
 * initialise the hook's repository instead of the one named.
 */
export function cleanGitEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(process.env).filter(([key]) => !key.startsWith('GIT_')));
}

function git(args: string[]): string {
  return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: cleanGitEnv() });
}

/** Started as root, the workers run as another account: it must own what they write and read what they read. */
export function shareWithWorkers(path: string, mode?: number): void {
  if (!isRoot()) {
    if (mode !== undefined) chmodSync(path, mode);
    return;
  }
  const account = process.env.GAZETTE_OFFICE_SERVER_RUN_AS ?? 'www-data';
  execFileSync('chown', ['-R', `${account}:${account}`, path]);
  if (mode !== undefined) chmodSync(path, mode);
}

export function installHooks(repo: string, hookDir: string): void {
  const node = process.execPath;
  const post = `'${node}' '${join(hookDir, 'post-receive.mjs')}' </dev/null >/dev/null 2>>"$(git rev-parse --absolute-git-dir)/gazette-hook.log"`;
  const scripts = {
    'pre-receive': `exec '${node}' '${join(hookDir, 'pre-receive.mjs')}'`,
    // Everything it does follows from the office policy on main, so only a push that changes the policy
    // needs it. That one may create repositories and let people into them, and the desktop that pushed
    // asks for those next, in the same round: git holds the client's answer until it ends. Any other push
    // starts no Node process at all (one started per push took the CPU the desktop's next requests needed);
    // should a policy push's run fail, the kit takes every repository's policy in again when it starts.
    'post-receive': [
      'changed=$(while read -r old new ref; do',
      '  case "$old" in 0000000000000000000000000000000000000000) git ls-tree -r --name-only "$new" -- office/policy ;;',
      '  *) git diff --name-only "$old" "$new" -- office/policy ;; esac',
      'done)',
      `if [ -n "$changed" ]; then ${post}; fi`,
    ].join('\n'),
  };
  for (const [name, command] of Object.entries(scripts)) {
    const file = join(repo, 'hooks', name);
    writeFileSync(file, `#!/bin/sh\n# Gazette office server kit: see scripts/office-server/${name}.ts\n${command}\n`);
    chmodSync(file, 0o755);
  }
}

/**
 * Creates (or brings up to date) a bare repository. `rootKeyId` pins the
 * office's root key: the first push must then carry that office's root.json.
 */
export function addRepository(dir: string, name: string, options: { rootKeyId?: string } = {}): string {
  if (!REPO_NAME.test(name)) throw new Error(`repository name not allowed: ${name}`);
  const p = serverPaths(dir);
  const repo = repositoryPath(dir, name);
  mkdirSync(p.repos, { recursive: true });
  if (!existsSync(join(repo, 'HEAD'))) git(['init', '--quiet', '--bare', '--initial-branch=main', repo]);
  const config: Array<[string, string]> = [
    ['http.receivepack', 'true'],
    ['http.uploadpack', 'true'],
    // Belt and braces: git itself refuses these too, after the hook has said why.
    ['receive.denyNonFastForwards', 'true'],
    ['receive.denyDeletes', 'true'],
    ['receive.fsckObjects', 'true'],
    ['core.logAllRefUpdates', 'always'],
    ['gpg.format', 'ssh'],
    // `git log --show-signature` on the server checks against the policy's keys (post-receive keeps the file current).
    ['gpg.ssh.allowedSignersFile', join(repo, 'allowed_signers')],
    // The hooks find the server's access files (the office policy in force, the group file) from here.
    ['gazette.serverDir', p.root],
  ];
  if (options.rootKeyId) config.push(['gazette.rootKeyId', options.rootKeyId]);
  for (const [key, value] of config) git(['config', '--file', join(repo, 'config'), key, value]);
  if (existsSync(p.hook)) installHooks(repo, p.hook);
  shareWithWorkers(repo);
  return repo;
}
