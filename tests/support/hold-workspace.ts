import { openWorkspace } from '../../node/services';

/*
 * A second program on a workspace, as a separate process: opens the folder
 * given as argv[2] the way the web host does (`lockAs: 'web'`), sets up its
 * first administrator, prints `ready`, and keeps the workspace until its stdin
 * closes (or it is killed).
 */
const dir = process.argv[2];
if (!dir) throw new Error('usage: hold-workspace.ts DIR');
const workspace = await openWorkspace(dir, { lockAs: 'web', scrypt: { N: 1024, r: 8, p: 1 } });
const setup = await workspace.dispatch('session:setup', { name: '第一位管理员', password: 'first-admin-pw' }, { transport: 'http', sessionId: 'holder' });
if (!setup.ok) throw new Error(setup.error.detail);
process.stdout.write('ready\n');
process.stdin.resume();
process.stdin.on('end', () => {
  workspace.close().then(() => process.exit(0));
});
