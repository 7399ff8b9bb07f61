import type { ImportOutcome, MigrationStatus } from '../../../shared/api/contract';
import type { MessageKey, MessageParams } from '../../../shared/i18n';
import { api } from '../api/client';

/** Imports the page at a web address, with its body's pictures; `allowDuplicate` imports material already here on purpose. */
export function importWebPage(url: string, allowDuplicate = false): Promise<ImportOutcome> {
  return api.invoke('import:url', { url, ...(allowDuplicate ? { allowDuplicate } : {}) });
}

/** Starts migrating the column whose listing page is at `listingUrl`, pausing `delaySeconds` between requests. */
export function startMigration(listingUrl: string, delaySeconds: number): Promise<MigrationStatus> {
  return api.invoke('import:migrationStart', { listingUrl, delayMs: Math.round(delaySeconds * 1000) });
}

/** Goes on with a stopped or interrupted migration from its saved progress. */
export function resumeMigration(id: string): Promise<MigrationStatus> {
  return api.invoke('import:migrationStart', { resumeId: id });
}

export function stopMigration(id: string): Promise<MigrationStatus> {
  return api.invoke('import:migrationStop', { id });
}

export function listMigrations(): Promise<MigrationStatus[]> {
  return api.invoke('import:migrations', {});
}

/** A migration the user can go on with. */
export function canResume(migration: MigrationStatus): boolean {
  return migration.status === 'stopped' || migration.status === 'interrupted';
}

/** Still working (so the panel keeps asking for news). */
export function isActive(migration: MigrationStatus): boolean {
  return migration.status === 'running' || migration.status === 'stopping';
}

/** The estimate as a message: whole minutes from two minutes up, seconds below. */
export function estimateMessage(ms: number): [MessageKey, MessageParams] {
  const seconds = Math.max(1, Math.round(ms / 1000));
  return seconds >= 120 ? ['webImport.progress.minutes', { n: Math.round(seconds / 60) }] : ['webImport.progress.seconds', { n: seconds }];
}
