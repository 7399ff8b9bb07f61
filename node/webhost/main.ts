import { basename, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { translate } from '../../shared/i18n';
import { defaultWorkspaceDir, openWorkspace } from '../services';
import { parseWebHostArgs, startWebHost, WebHostStartError } from './cli';
import { userDataDir } from './paths';

/*
 * `npm run web` (bundled to dist/node/webhost.mjs; in development
 * `npx tsx node/webhost/main.ts`). Serves the built renderer and the API
 * on 127.0.0.1 and prints the one-time link to open.
 */

const here = dirname(fileURLToPath(import.meta.url));
// The bundle sits in dist/node/ next to dist/renderer/; the source in node/webhost/.
const runningFromBundle = basename(here) === 'node';
const rendererCandidates = [resolve(here, runningFromBundle ? '../renderer' : '../../dist/renderer')];

async function main(): Promise<void> {
  const args = parseWebHostArgs(process.argv.slice(2));
  const started = await startWebHost(args, {
    openWorkspace: (dir) => openWorkspace(dir, { log: (message) => console.error(message), lockAs: 'web', loadInBackground: true }),
    defaultWorkspaceDir: () => defaultWorkspaceDir(userDataDir()),
    rendererCandidates,
    log: (message) => console.error(message),
  });
  const { host } = started;
  if (args.printJson) {
    // `url` is the link to open (with the token), as printed below; `origin` is the bare address.
    console.log(JSON.stringify({ url: host.bootstrapUrl, port: host.port, token: host.token, origin: host.url.slice(0, -1) }));
  }
  console.log(translate('zh-CN', 'webhost.started', { url: host.bootstrapUrl }));
  console.log(translate('zh-CN', 'webhost.workspace', { path: started.workspaceDir }));

  const shutdown = (signal: NodeJS.Signals) => {
    console.error(translate('zh-CN', 'webhost.stopping'));
    started.stop().then(
      () => process.exit(0),
      (error: unknown) => {
        console.error(`${signal}: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

main().catch((error: unknown) => {
  console.error(error instanceof WebHostStartError ? error.message : error);
  process.exit(1);
});
