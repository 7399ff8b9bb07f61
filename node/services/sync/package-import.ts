import type { CallContext } from '../../../shared/api/contract';
import type { IdentityService } from '../identity/identity-service';
import { syncSignerFor } from './client';
import type { SyncService } from './sync-service';
import { readSyncConfig, WorkspaceSync } from './workspace-sync';

/*
 * The air gap meets the office server: a `.gazette-package` imported into a
 * workspace that joined an office is committed at once, signed, its commit
 * message naming the package's SHA-256, so the office's history says which
 * package brought the articles (WorkspaceSync.recordPackageImport). The next
 * round sends it like any other commit. The commit goes through the app's
 * sync (SyncService.recordPackageImport), so it never runs inside a round on
 * the same repositories.
 */

export interface ImportedPackage {
  sha256: string;
  articleIds: string[];
  context: CallContext;
}

/**
 * Records an import for the office, or does nothing: a workspace that never
 * joined, or someone other than the person this desktop syncs as (the server
 * knows this desktop by that person's login; what another person imported
 * here is sent by the next round, without the package's name).
 */
export async function recordImportForOffice(
  dir: string,
  identity: IdentityService,
  sync: Pick<SyncService, 'recordPackageImport'>,
  imported: ImportedPackage,
): Promise<void> {
  if (imported.articleIds.length === 0) return;
  const config = await readSyncConfig(dir);
  if (!config) return;
  const person = identity.personOf(imported.context);
  if (!person || person.id !== config.personId) return;
  const key = identity.signingKey(imported.context, person);
  // With no rounds running in this process (the command line), the commit is made here.
  const here = async () => {
    const workspace = await WorkspaceSync.open(dir, {
      // Committing is local: a login asked for here would mean the commit tried to reach the server.
      credentials: () => {
        throw new Error('recording a package import does not talk to the office server');
      },
      signer: syncSignerFor(key, person.name),
    });
    await workspace?.recordPackageImport(imported.sha256, imported.articleIds);
  };
  await sync.recordPackageImport(person.id, imported.sha256, imported.articleIds, here);
}
