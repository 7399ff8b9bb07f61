import { resolve } from 'node:path';
import type { SyncRoundReport } from '../../shared/api/contract/sync';
import { KeyError, PASSWORD_ONLY, personalKeyProtector, unlockKeyPair } from '../services/identity/keys';
import { PeopleDirectory } from '../services/identity/people-directory';
import { syncSignerFor } from '../services/sync/client';
import { joinOfficeServer, readSyncConfig, readSyncLog, WorkspaceSync } from '../services/sync/workspace-sync';

/*
 * The CLI's office sync: `gazette office join`, `gazette sync`, `gazette
 * office status`. These run without opening the whole workspace (no store,
 * no outbox, no sign-in side effects): a sync only needs the person's key and
 * the repositories under `.sync/`.
 */

export interface SyncCliIo {
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}

export class SyncUsageError extends Error {}

export interface SyncCliValues {
  workspace?: string;
  json?: boolean;
  as?: string;
  attempts?: string;
}

function retryOf(values: SyncCliValues) {
  if (values.attempts === undefined) return undefined;
  const attempts = Number(values.attempts);
  if (!Number.isInteger(attempts) || attempts < 1 || attempts > 20) throw new SyncUsageError('--attempts must be a whole number from 1 to 20');
  return { attempts, baseDelayMs: 500, maxDelayMs: 5_000 };
}

/** `gazette office join <url> --as PERSON --workspace DIR` */
export async function runOfficeJoin(args: string[], values: SyncCliValues, password: () => Promise<string>, io: SyncCliIo): Promise<number> {
  const [url, ...rest] = args;
  if (!url || rest.length > 0) throw new SyncUsageError('usage: office join <url> --as PERSON --workspace DIR');
  if (!values.as) throw new SyncUsageError('office join needs --as PERSON (the person id the office server knows)');
  const report = await joinOfficeServer({ serverUrl: url, personId: values.as, password: await password(), dir: resolve(values.workspace!), retry: retryOf(values) });
  if (values.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else if (report.status === 'joined') {
    io.stdout.write(
      report.alreadyJoined
        ? `already joined as ${report.person.name} (${report.person.id})\n`
        : `joined as ${report.person.name} (${report.person.id}): ${report.repos.join(', ')}; ${report.received} files received\n`,
    );
    if (report.round) printRound(report.round, io);
  } else io.stderr.write(`gazette: office join: ${report.status}: ${report.message}\n`);
  if (report.status !== 'joined') return 1;
  return report.round && failed(report.round) ? 1 : 0;
}

/** Exit 1 when something was refused, did not verify, or waits as a conflict; offline and pending are not failures. */
function failed(report: SyncRoundReport): boolean {
  return ['refused', 'rejected_incoming', 'conflict', 'revoked', 'unauthorized'].includes(report.phase);
}

function printRound(report: SyncRoundReport, io: SyncCliIo): void {
  io.stdout.write(`phase: ${report.phase}\n`);
  io.stdout.write(`sent: ${report.sent.length} commit(s)\n`);
  io.stdout.write(`received: ${report.received.length} file(s)${report.received.length ? ` (${report.received.slice(0, 5).join(', ')}${report.received.length > 5 ? ', …' : ''})` : ''}\n`);
  io.stdout.write(`merged: ${report.merged.length ? report.merged.join(', ') : '—'}\n`);
  io.stdout.write(`in conflict: ${report.conflicts.length ? report.conflicts.join(', ') : '—'}\n`);
  for (const refused of report.refused) for (const reason of refused.reasons) io.stdout.write(`refused (${refused.repo}): ${reason}\n`);
  for (const rejected of report.rejected) io.stdout.write(`not taken (${rejected.repo}): ${rejected.reason}\n`);
  for (const item of report.invalidated) io.stdout.write(`invalidated: ${item.articleId}: ${item.message}\n`);
  if (report.message) io.stdout.write(`${report.message}\n`);
}

/** Opens the joined workspace's sync as its person, the key unlocked with the password. */
async function openAs(dir: string, password: string, values: SyncCliValues): Promise<WorkspaceSync> {
  const config = await readSyncConfig(dir);
  if (!config) throw new SyncUsageError(`${dir} has not joined an office server (gazette office join <url> --as PERSON --workspace DIR)`);
  const people = await PeopleDirectory.open(dir);
  const record = people.record(config.personId);
  let signer = null;
  if (record?.key) {
    try {
      signer = syncSignerFor(await unlockKeyPair(record.key, personalKeyProtector(password, PASSWORD_ONLY)), record.person.name);
    } catch (error) {
      if (error instanceof KeyError && error.code === 'wrong_password') throw new Error(`the password does not open the signing key of ${config.personId}`);
      throw error;
    }
  }
  const sync = await WorkspaceSync.open(dir, {
    credentials: () => ({ username: config.personId, password }),
    signer,
    retry: retryOf(values),
  });
  if (!sync) throw new SyncUsageError(`${dir} has not joined an office server`);
  return sync;
}

/** `gazette sync --workspace DIR [--json]`: one round. */
export async function runSync(values: SyncCliValues, password: () => Promise<string>, io: SyncCliIo): Promise<number> {
  const sync = await openAs(resolve(values.workspace!), await password(), values);
  const report = await sync.round();
  if (values.json) io.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else printRound(report, io);
  return failed(report) ? 1 : 0;
}

/** `gazette office status --workspace DIR [--json]`: server, repositories, pending, last sync, conflicts. */
export async function runOfficeStatus(values: SyncCliValues, io: SyncCliIo): Promise<number> {
  const dir = resolve(values.workspace!);
  const config = await readSyncConfig(dir);
  if (!config) {
    if (values.json) io.stdout.write(`${JSON.stringify({ phase: 'not_joined' }, null, 2)}\n`);
    else io.stdout.write('not joined to an office server\n');
    return 0;
  }
  // Status reads only: no key is needed.
  const sync = await WorkspaceSync.open(dir, { credentials: () => ({ username: config.personId, password: '' }), signer: null });
  const status = await sync!.status();
  const pending = await sync!.pending();
  const log = await readSyncLog(dir, 10);
  if (values.json) {
    io.stdout.write(`${JSON.stringify({ ...status, personId: config.personId, pendingArticles: pending.articles, log }, null, 2)}\n`);
    return 0;
  }
  io.stdout.write(`server: ${config.serverUrl}\nperson: ${config.personId}\nphase: ${status.phase}\n`);
  io.stdout.write(`last sync: ${status.lastSyncAt ?? '—'}\npending: ${status.pending}${pending.articles.length ? ` (${pending.articles.join(', ')})` : ''}\nconflicts: ${status.conflicts}\n`);
  for (const repo of status.repos) {
    io.stdout.write(`  ${repo.name}  ${repo.kind}${repo.unit ? ` ${repo.unit}` : ''}  ${repo.head?.slice(0, 10) ?? '—'}  ${repo.pending} unpushed${repo.problem ? `  ${repo.problem}` : ''}\n`);
  }
  if (status.message) io.stdout.write(`${status.message}\n`);
  return 0;
}
