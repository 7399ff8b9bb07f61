import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../../../node/services';
import type { SyncRunnerFactory } from '../../../node/services/sync/sync-service';
import { SYNC_CONFIG_FORMAT } from '../../../node/services/sync/workspace-sync';
import type { CallContext, PersonSummary } from '../../../shared/api/contract';
import { createOffice, type Office, passwordOf, TEST_SCRYPT } from '../../support/review-api';
import { EMPTY_INSPECTION, roundReport } from '../../support/sync-round';

/*
 * A desktop that joined the office holds people.json records of only the
 * people who sign in there, as they were when they joined. Who works in the
 * office, in which roles and units, is what the newest verified policy says:
 * a policy a sync round brings (an administrator on another desktop added a
 * person, changed a role) shows on this desktop at once, without a restart.
 */

let office: Office;
let dir: string;
let joined: Workspace;
const ctx: CallContext = { transport: 'http', sessionId: 'http:w1-on-b' };

/** What a round does to the policy here: writes the versions the office repository holds. */
function roundBringsPolicy(): string[] {
  const from = join(office.dir, 'office', 'policy');
  const received: string[] = [];
  for (const name of readdirSync(from)) {
    cpSync(join(from, name), join(dir, 'office', 'policy', name));
    received.push(`office/policy/${name}`);
  }
  return received;
}

const runner: SyncRunnerFactory = async () => ({
  round: async () => roundReport('synced', { received: roundBringsPolicy() }),
  inspect: async () => EMPTY_INSPECTION,
  commit: async () => ({ commits: [], skipped: [] }),
  recordImport: async () => ({ commits: [], skipped: [] }),
  close: async () => {},
});

async function value<T>(channel: string, payload: unknown): Promise<T> {
  const envelope = await joined.dispatch(channel as never, payload, ctx);
  if (!envelope.ok) throw new Error(`${channel}: ${envelope.error.code} ${envelope.error.detail}`);
  return envelope.value as T;
}

beforeEach(async () => {
  office = await createOffice([{ who: 'w1', name: '张撰稿', roles: ['writer'] }]);
  const w1 = office.people.w1!.id;
  // w1's own desktop, as joining left it: the office's policy, w1's own record, the sync's config.
  dir = mkdtempSync(join(tmpdir(), 'gazette-joined-people-'));
  cpSync(join(office.dir, 'office'), join(dir, 'office'), { recursive: true });
  const people = JSON.parse(readFileSync(join(office.dir, 'people.json'), 'utf8')) as { people: { person: { id: string } }[] };
  people.people = people.people.filter((r) => r.person.id === w1);
  writeFileSync(join(dir, 'people.json'), JSON.stringify(people));
  const root = JSON.parse(readFileSync(join(dir, 'office', 'root.json'), 'utf8')) as { rootKeyId: string };
  mkdirSync(join(dir, '.sync'), { recursive: true });
  writeFileSync(
    join(dir, '.sync', 'config.json'),
    JSON.stringify({ format: SYNC_CONFIG_FORMAT, serverUrl: 'http://127.0.0.1:1/git/', personId: w1, rootKeyId: root.rootKeyId, joinedAt: new Date().toISOString() }),
  );
  joined = await openWorkspace(dir, { scrypt: TEST_SCRYPT, autoStartOutbox: false, sync: { runner, intervalMs: 3_600_000 } });
  await value('session:signIn', { personId: w1, password: passwordOf('w1') });
});

afterEach(async () => {
  await joined.close();
  await office.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('people on a joined desktop follow the newest verified policy a sync brings', () => {
  it('a person added and a role changed on another desktop show here after the round, without a restart', async () => {
    const w1 = office.people.w1!.id;
    expect((await value<PersonSummary[]>('people:list', {})).map((p) => p.name)).not.toContain('李初审');

    // The administrator, on their desktop: a new reviewer, and w1 becomes a reviewer as well.
    const added = await office.value('admin', 'people:save', { name: '李初审', unit: '区融媒体中心', roles: ['reviewer'], password: passwordOf('r1') });
    await office.value('admin', 'people:save', { id: w1, name: '张撰稿', roles: ['writer', 'reviewer'], unit: '区融媒体中心' });

    await value('sync:now', {});

    const people = await value<PersonSummary[]>('people:list', {});
    expect(people.find((p) => p.id === added.id)).toMatchObject({ name: '李初审', roles: ['reviewer'], unit: '区融媒体中心', active: true });
    expect(people.find((p) => p.id === w1)?.roles).toEqual(['writer', 'reviewer']);
    // The signed-in person's own session says what the office now says.
    const session = await value<{ person: PersonSummary | null }>('session:get', {});
    expect(session.person?.roles).toEqual(['writer', 'reviewer']);
  });

  it('lists everyone the verified policy names, not only who signs in here', async () => {
    await value('sync:now', {});
    const people = await value<PersonSummary[]>('people:list', {});
    expect(people.map((p) => p.name).sort()).toEqual(['张撰稿', '管理员'].sort());
  });
});
