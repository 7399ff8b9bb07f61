import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../../../node/services';
import { passwordProtector, signBytes, type StoredKeyPair, unlockKeyPair, verifyBytes } from '../../../node/services/identity/keys';
import type { CallContext, PersonKeyView, PersonSummary } from '../../../shared/api/contract';
import { keyInvalidReason } from '../../../shared/record/policy';
import { TEST_SCRYPT } from '../../support/review-api';

/*
 * A reset or an administrator's revocation takes a key out of service from
 * that moment, in a policy version the administrator signs: the key stays
 * listed (what it signed before still verifies), nothing it signs afterwards
 * is accepted, and the person's sessions end.
 */

const pw = (who: string) => `pw-${who}-secret`;
const ctx = (who: string): CallContext => ({ transport: 'http', sessionId: `http:${who}` });

let dir: string;
let workspace: Workspace;
let clock: Date;
const people: Record<string, PersonSummary> = {};

/** Moves the workspace's clock on; returns the new time as the policy writes it. */
function tick(ms = 60_000): string {
  clock = new Date(clock.getTime() + ms);
  return clock.toISOString();
}

async function call(who: string, channel: Parameters<Workspace['dispatch']>[0], payload: unknown) {
  return workspace.dispatch(channel, payload, ctx(who));
}

async function ok<T>(who: string, channel: Parameters<Workspace['dispatch']>[0], payload: unknown): Promise<T> {
  const reply = await call(who, channel, payload);
  if (!reply.ok) throw new Error(`${who} ${channel}: ${reply.error.code} ${reply.error.detail}`);
  return reply.value as T;
}

function storedKey(name: string): StoredKeyPair | null {
  const file = JSON.parse(readFileSync(join(dir, 'people.json'), 'utf8')) as {
    people: { person: { name: string }; key: StoredKeyPair | null }[];
  };
  return file.people.find((p) => p.person.name === name)?.key ?? null;
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'gazette-revoke-'));
  clock = new Date('2025-03-01T08:00:00.000Z');
  workspace = await openWorkspace(dir, { scrypt: TEST_SCRYPT, now: () => clock, failureDelayMs: 0 });
  const setup = await ok<{ person: PersonSummary }>('admin', 'session:setup', { name: '管理员', password: pw('admin') });
  people.admin = setup.person;
  for (const [who, name, roles] of [
    ['writer', '张撰稿', ['writer']],
    ['reviewer', '李审核', ['reviewer']],
  ] as const) {
    tick();
    people[who] = await ok<PersonSummary>('admin', 'people:save', { name, roles, password: pw(who) });
    await ok(who, 'session:signIn', { personId: people[who]!.id, password: pw(who) });
  }
  tick();
});

afterEach(async () => {
  await workspace.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('an administrator’s password reset', () => {
  it('issues a new key and revokes the old one from the reset on: old signatures verify, new ones with it do not', async () => {
    const reviewer = people.reviewer!;
    const oldStored = storedKey('李审核')!;
    // Whoever kept a copy of the old people.json and knew the old password still holds this key.
    const oldKey = await unlockKeyPair(oldStored, passwordProtector(pw('reviewer')));
    const before = (await workspace.identity.policy()).latest.version;

    const resetAt = tick();
    await ok('admin', 'people:setPassword', { personId: reviewer.id, newPassword: 'a-brand-new-password' });

    const policy = await workspace.identity.policy();
    expect(policy.latest.version).toBe(before + 1);
    expect(policy.latest.issuedBy).toBe(people.admin!.id);
    const old = policy.latest.keys.find((k) => k.keyId === oldStored.keyId)!;
    expect(old.revokedAt).toBe(resetAt);
    const fresh = storedKey('李审核')!;
    expect(fresh.keyId).not.toBe(oldStored.keyId);
    expect(policy.latest.keys.find((k) => k.keyId === fresh.keyId)).toMatchObject({ validFrom: resetAt, revokedAt: null });

    // Signed before the reset: still valid. At or after it: refused, saying it was revoked.
    expect(keyInvalidReason(policy.latest, oldKey.keyId, new Date(Date.parse(resetAt) - 1).toISOString())).toBeNull();
    expect(keyInvalidReason(policy.latest, oldKey.keyId, resetAt)).toMatch(/吊销/);
    expect(keyInvalidReason(policy.latest, oldKey.keyId, tick())).toMatch(/吊销/);
    // The signature itself is still good Ed25519: the policy is what refuses it.
    expect(verifyBytes(oldKey.publicKey, 'x', signBytes(oldKey, 'x'))).toBe(true);

    // The reviewer's session (holding the old key) is over; the old password no longer signs in.
    expect(await call('reviewer', 'review:queue', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect(await call('reviewer', 'session:signIn', { personId: reviewer.id, password: pw('reviewer') })).toMatchObject({
      ok: false,
      error: { code: 'unauthorized' },
    });
    await ok('reviewer', 'session:signIn', { personId: reviewer.id, password: 'a-brand-new-password' });
    const person = workspace.identity.personOf(ctx('reviewer'))!;
    expect(workspace.identity.signingKey(ctx('reviewer'), person).keyId).toBe(fresh.keyId);
  });

  it('is refused, changing nothing, when the caller cannot sign the policy now', async () => {
    const before = readFileSync(join(dir, 'people.json'), 'utf8');
    const version = (await workspace.identity.policy()).latest.version;
    const cli: CallContext = { transport: 'cli', sessionId: 'cli' };
    const reply = await workspace.dispatch('people:setPassword', { personId: people.reviewer!.id, newPassword: 'another-password-1' }, cli);
    expect(reply).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(readFileSync(join(dir, 'people.json'), 'utf8')).toBe(before);
    expect((await workspace.identity.policy()).latest.version).toBe(version);
    expect(await call('reviewer', 'review:queue', {})).toMatchObject({ ok: true });
  });
});

describe('people:revokeKey', () => {
  it('is for administrators only, and needs a reason; a refusal changes nothing', async () => {
    const keyId = people.reviewer!.keyId!;
    const before = readFileSync(join(dir, 'people.json'), 'utf8');
    const version = (await workspace.identity.policy()).latest.version;
    for (const who of ['writer', 'reviewer']) {
      const reply = await call(who, 'people:revokeKey', { personId: people.reviewer!.id, keyId, reason: '电脑遗失' });
      expect(reply, who).toMatchObject({ ok: false, error: { code: 'forbidden' } });
      expect(await call(who, 'people:keys', {}), who).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    for (const reason of ['', '   ']) {
      const reply = await call('admin', 'people:revokeKey', { personId: people.reviewer!.id, keyId, reason });
      expect(reply).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    }
    expect(await call('admin', 'people:revokeKey', { personId: people.reviewer!.id, keyId })).toMatchObject({
      ok: false,
      error: { code: 'invalid_request' },
    });
    expect(readFileSync(join(dir, 'people.json'), 'utf8')).toBe(before);
    expect((await workspace.identity.policy()).latest.version).toBe(version);
    expect(await call('reviewer', 'review:queue', {})).toMatchObject({ ok: true });
  });

  it('revokes the key from now with the reason in a signed version, ends the sessions, and the person cannot sign until a reset', async () => {
    const reviewer = people.reviewer!;
    const keyId = reviewer.keyId!;
    const revokeAt = tick();
    const reply = await ok<{ revokedAt: string }>('admin', 'people:revokeKey', {
      personId: reviewer.id,
      keyId,
      reason: '笔记本电脑遗失',
    });
    expect(reply.revokedAt).toBe(revokeAt);

    const policy = await workspace.identity.policy();
    expect(policy.latest.issuedBy).toBe(people.admin!.id);
    expect(policy.latest.note).toContain('李审核');
    expect(policy.latest.note).toContain('笔记本电脑遗失');
    expect(policy.latest.keys.find((k) => k.keyId === keyId)).toMatchObject({ revokedAt: revokeAt, revokedReason: '笔记本电脑遗失' });
    expect(keyInvalidReason(policy.latest, keyId, revokeAt)).toMatch(/吊销/);
    expect(keyInvalidReason(policy.latest, keyId, new Date(Date.parse(revokeAt) - 1).toISOString())).toBeNull();

    // The private half is gone from this workstation; the session that held it is over.
    expect(storedKey('李审核')).toBeNull();
    expect(await call('reviewer', 'review:queue', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });

    // Signing in again gives no key back: an administrator must reset the password.
    tick();
    await ok('reviewer', 'session:signIn', { personId: reviewer.id, password: pw('reviewer') });
    const person = workspace.identity.personOf(ctx('reviewer'))!;
    expect(() => workspace.identity.signingKey(ctx('reviewer'), person)).toThrow(/重置其密码/);
    expect(storedKey('李审核')).toBeNull();

    const keys = await ok<PersonKeyView[]>('admin', 'people:keys', {});
    expect(keys.filter((k) => k.personId === reviewer.id)).toEqual([
      { personId: reviewer.id, keyId, validFrom: expect.any(String), revokedAt: revokeAt, revokedReason: '笔记本电脑遗失', held: false },
    ]);

    // Once is enough: the same revocation again is refused.
    expect(await call('admin', 'people:revokeKey', { personId: reviewer.id, keyId, reason: '再次' })).toMatchObject({
      ok: false,
      error: { code: 'conflict' },
    });

    // The reset issues a new key the policy accepts from then on.
    const resetAt = tick();
    await ok('admin', 'people:setPassword', { personId: reviewer.id, newPassword: 'reviewer-new-password' });
    await ok('reviewer', 'session:signIn', { personId: reviewer.id, password: 'reviewer-new-password' });
    const fresh = workspace.identity.signingKey(ctx('reviewer'), workspace.identity.personOf(ctx('reviewer'))!);
    expect(fresh.keyId).not.toBe(keyId);
    expect(keyInvalidReason((await workspace.identity.policy()).latest, fresh.keyId, resetAt)).toBeNull();
  });

  it('a people file that still holds a key the policy revoked does not sign with it, and revoking again finishes the job', async () => {
    const reviewer = people.reviewer!;
    const keyId = reviewer.keyId!;
    const stale = readFileSync(join(dir, 'people.json'), 'utf8');
    const revokeAt = tick();
    await ok('admin', 'people:revokeKey', { personId: reviewer.id, keyId, reason: '离职' });
    // As if this people file had been restored from a backup, or the policy had come from another workstation.
    await workspace.close();
    writeFileSync(join(dir, 'people.json'), stale);
    workspace = await openWorkspace(dir, { scrypt: TEST_SCRYPT, now: () => clock, failureDelayMs: 0 });

    tick();
    await ok('reviewer', 'session:signIn', { personId: reviewer.id, password: pw('reviewer') });
    const person = workspace.identity.personOf(ctx('reviewer'))!;
    expect(() => workspace.identity.signingKey(ctx('reviewer'), person)).toThrow(/吊销（离职）/);

    await ok('admin', 'session:signIn', { personId: people.admin!.id, password: pw('admin') });
    const again = await ok<{ revokedAt: string }>('admin', 'people:revokeKey', { personId: reviewer.id, keyId, reason: '离职' });
    expect(again.revokedAt).toBe(revokeAt);
    expect(storedKey('李审核')).toBeNull();
  });

  it('refuses to revoke the last administrator’s valid key, which would leave nobody able to sign the policy', async () => {
    const version = (await workspace.identity.policy()).latest.version;
    const reply = await call('admin', 'people:revokeKey', { personId: people.admin!.id, keyId: people.admin!.keyId, reason: '测试' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect((await workspace.identity.policy()).latest.version).toBe(version);
    expect(storedKey('管理员')?.keyId).toBe(people.admin!.keyId);
  });

  it('names a key the person does not have', async () => {
    const reply = await call('admin', 'people:revokeKey', { personId: people.reviewer!.id, keyId: people.writer!.keyId, reason: '测试' });
    expect(reply).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(storedKey('张撰稿')?.keyId).toBe(people.writer!.keyId);
  });
});
