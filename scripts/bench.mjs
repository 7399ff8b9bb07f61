// `npm run bench`: the speed figures the app is held to (store, a 100,000-article archive, editor, static site, publishing, proofreading, import, imports not blocking the host, column migration, the verifiable record, office sync, photos), printed (never asserted).
import { spawnSync } from 'node:child_process';

const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';
const only = process.argv[2];
const benches = [
  ['store', 'bench/store.ts'],
  ['search-index', 'bench/search-index.ts'],
  ['archive-100k', 'bench/archive-100k.ts'],
  ['editor', 'bench/editor.ts'],
  ['static-site', 'bench/static-site.ts'],
  ['publish-wordpress', 'bench/publish-wordpress.ts'],
  ['proofread', 'bench/proofread.ts'],
  ['import', 'bench/import.ts'],
  ['import-blocking', 'bench/import-blocking.ts'],
  ['migration', 'bench/migration.ts'],
  ['record', 'bench/record.ts'],
  ['sync', 'bench/sync.ts'],
  ['sync-office', 'bench/sync-office.ts'],
  ['sync-blocking', 'bench/sync-blocking.ts'],
  ['notifications', 'bench/notifications.ts'],
  ['photos', 'bench/photos.ts'],
].filter(([name]) => !only || name === only);

let failed = false;
for (const [name, file] of benches) {
  console.log(`\n##### bench: ${name}`);
  const result = spawnSync(npx, ['tsx', file], { stdio: 'inherit' });
  if (result.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
