/**
 * Column migration benchmark: `npx tsx bench/migration.ts`. A fixture portal
 * on 127.0.0.1 lists 1,000 article pages (each with a body photo) over 50
 * listing pages; the migration reads every listing page and imports every
 * article into an empty workspace, one request at a time, without the
 * politeness pause (a real run adds the pause, 1 s by default, per request).
 * Prints figures; asserts nothing.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createApiHandlers } from '../node/services/api-handlers';
import { importFileBuffer, importPortalText } from '../node/services/import';
import { MigrationService } from '../node/services/import/migration';
import { WorkspaceStore } from '../node/services/store/workspace-store';
import type { CallContext, MigrationStatus } from '../shared/api/contract';
import { articleToHtmlDocument } from '../shared/html/serialize';
import { startFixturePortal } from '../tests/support/fixture-portal';

const PAGES = Number(process.env.BENCH_MIGRATION_PAGES ?? 1000);
const PHOTOS = process.env.BENCH_MIGRATION_PHOTOS !== '0';
const cli: CallContext = { transport: 'cli', sessionId: 'cli' };

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'gazette-bench-migration-'));
  const portal = await startFixturePortal({ articles: PAGES, perPage: 20, photos: PHOTOS });
  const store = await WorkspaceStore.open(dir);
  const migrations = new MigrationService(dir);
  const handlers = createApiHandlers(store, {
    buildFromTemplate: () => {
      throw new Error('not used');
    },
    importFileBuffer,
    importPortalText: async (text, name) => importPortalText(text, name),
    articleToHtmlDocument,
    migrations,
  });
  try {
    const began = performance.now();
    const started = await handlers['import:migrationStart']({ listingUrl: portal.listingUrl, delayMs: 0 }, cli);
    let status: MigrationStatus = started;
    while (status.status === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 100));
      status = (await handlers['import:migrations']({}, cli)).find((m) => m.id === started.id) ?? status;
    }
    const seconds = (performance.now() - began) / 1000;
    const { articles, listingPages } = status;
    console.log(
      `migration: ${articles.imported} of ${PAGES} fixture pages imported (${articles.failed} failed, ${articles.duplicates} duplicates) ` +
        `from ${listingPages.done} listing pages, each with its photo, in ${seconds.toFixed(1)} s ` +
        `(${((articles.done + listingPages.done) / seconds).toFixed(1)} requests/s, pause excluded; target ≤ 60 s)`,
    );
    console.log(`requests served: ${portal.requests.length}`);
  } finally {
    await migrations.close();
    await store.close();
    await portal.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
