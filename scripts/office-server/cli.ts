/*
 * `npm run office-server -- …`: the office server kit from the command line.
 *
 *   npm run office-server -- --dir DIR --port P [--host H] [--repo NAME]…   provision and start (idempotent)
 *   npm run office-server -- stop --dir DIR
 *   npm run office-server -- user --dir DIR --name NAME [--password-file F | --remove]
 *                                  (without --password-file the password is read from OFFICE_SERVER_PASSWORD or stdin)
 *   npm run office-server -- repo --dir DIR --name NAME [--root-key-id ID]    a repository by hand (the office's come from its policy)
 *   npm run office-server -- repos --dir DIR                                 each repository: kind, unit, who may read and push
 *   npm run office-server -- check                                           which apt packages are missing
 */
import { readFileSync } from 'node:fs';
import { describeRepos } from './access';
import { addRepository, missingPackages, removeUser, repositoryUrl, setUser, startServer, stopServer } from './kit';

const COMMANDS = new Set(['start', 'stop', 'user', 'repo', 'repos', 'check']);

function parse(argv: string[]) {
  const command = argv[0] && COMMANDS.has(argv[0]) ? argv.shift()! : 'start';
  const flags = new Map<string, string[]>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument: ${arg}`);
    const name = arg.slice(2);
    const boolean = name === 'remove';
    const value = boolean ? 'true' : argv[++i];
    if (value === undefined) throw new Error(`--${name} needs a value`);
    flags.set(name, [...(flags.get(name) ?? []), value]);
  }
  const one = (name: string): string | undefined => flags.get(name)?.at(-1);
  const required = (name: string): string => {
    const value = one(name);
    if (!value) throw new Error(`--${name} is required`);
    return value;
  };
  return { command, one, required, all: (name: string) => flags.get(name) ?? [] };
}

async function readPassword(file: string | undefined): Promise<string> {
  if (file) return readFileSync(file, 'utf8').replace(/\r?\n$/, '');
  if (process.env.OFFICE_SERVER_PASSWORD) return process.env.OFFICE_SERVER_PASSWORD;
  let text = '';
  for await (const chunk of process.stdin) text += chunk;
  return text.replace(/\r?\n$/, '');
}

async function main(): Promise<void> {
  const args = parse(process.argv.slice(2));
  switch (args.command) {
    case 'check': {
      const missing = missingPackages();
      console.log(missing.length ? `missing: ${missing.join(' ')} (sudo apt-get install -y ${missing.join(' ')})` : 'git, apache2 and apache2-utils are installed');
      process.exitCode = missing.length ? 1 : 0;
      return;
    }
    case 'stop': {
      const stopped = await stopServer(args.required('dir'));
      console.log(stopped ? 'office server stopped' : 'no office server was running');
      return;
    }
    case 'user': {
      const dir = args.required('dir');
      const name = args.required('name');
      if (args.one('remove')) removeUser(dir, name);
      else setUser(dir, name, await readPassword(args.one('password-file')));
      console.log(args.one('remove') ? `login ${name} removed` : `login ${name} set`);
      return;
    }
    case 'repo': {
      const path = addRepository(args.required('dir'), args.required('name'), { rootKeyId: args.one('root-key-id') });
      console.log(path);
      return;
    }
    case 'repos': {
      const rows = describeRepos(args.required('dir'));
      const KIND: Record<string, string> = { office: '单位 office', drafts: '草稿 drafts', submitted: '已送审 submitted', person: '个人 person', standalone: '独立 standalone' };
      for (const { repo, access, policyVersion } of rows) {
        const owner = repo.unit ?? repo.personId ?? (repo.kind === 'drafts' || repo.kind === 'submitted' ? '（策略中没有这个单位 no such unit in the policy）' : '');
        console.log(`${repo.name}\t${KIND[repo.kind]}\t${owner}`);
        console.log(`  read:  ${access.read.join(' ') || '—'}`);
        console.log(`  push:  ${access.push.join(' ') || '—'}`);
        console.log(`  policy: ${policyVersion === null ? 'none yet' : `version ${policyVersion}`}`);
      }
      return;
    }
    default: {
      const dir = args.required('dir');
      const port = Number(args.required('port'));
      if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`--port must be a port number, not ${args.one('port')}`);
      const host = args.one('host');
      const repos = args.all('repo');
      const { pid } = await startServer({ dir, port, host, runAs: args.one('run-as'), repos: repos.length ? repos : ['office'] });
      console.log(`office server running (pid ${pid})`);
      for (const name of repos.length ? repos : ['office']) console.log(`  ${repositoryUrl({ port, host }, name)}`);
      console.log(`add logins with: npm run office-server -- user --dir ${dir} --name NAME --password-file FILE`);
    }
  }
}

main().catch((error: unknown) => {
  console.error(`office-server: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
