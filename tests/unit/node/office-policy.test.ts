import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../../node/services';
import type { CallContext } from '../../../shared/api/contract';
import { createOffice, type Office, passwordOf, TEST_SCRYPT } from '../../support/review-api';

/*
 * The office policy is signed: who works here, in which roles, with which keys,
 * and the review chain. Administrators' changes on this workstation become new
 * signed versions; a reset revokes the old key from that moment.
 */

const offices: Office[] = [];
afterEach(async () => {
  for (const office of offices.splice(0)) await office.close();
});

async function office() {
  const o = await createOffice([
    { who: 'writer', name: '张撰稿', roles: ['writer'] },
    { who: 'reviewer', name: '李审核', roles: ['reviewer'] },
  ]);
  offices.push(o);
  return o;
}

describe('the signed office policy', () => {
  it('is created at setup under the first administrator’s key and signs every person the admin adds', async () => {
    const o = await office();
    const policy = await o.workspace.identity.policy();
    const root = JSON.parse(readFileSync(join(o.dir, 'office', 'root.json'), 'utf8'));
    expect(root.rootKeyId).toBe(o.people.admin?.keyId);
    expect(policy.versions[0]?.people.map((p) => p.name)).toEqual(['管理员']);
    expect(policy.latest.people.map((p) => p.name)).toEqual(['管理员', '张撰稿', '李审核']);
    expect(policy.latest.keys.map((k) => k.keyId).sort()).toEqual(
      [o.people.admin?.keyId, o.people.writer?.keyId, o.people.reviewer?.keyId].sort(),
    );
    expect(policy.latest.issuedBy).toBe(o.people.admin?.id);
  });

  it('signs a change of the review chain', async () => {
    const o = await office();
    const before = (await o.workspace.identity.policy()).latest.version;
    await o.value('admin', 'review:chainSave', { stages: [{ id: 'final', name: '终审', roles: ['reviewer'] }] });
    const after = await o.workspace.identity.policy();
    expect(after.latest.version).toBe(before + 1);
    expect(after.latest.chain.stages.map((s) => s.name)).toEqual(['终审']);
  });

  it('a reset revokes the old key from that moment, keeps it listed, adds the new one and ends the person’s sessions', async () => {
    const o = await office();
    const reviewer = o.people.reviewer!;
    await o.value('admin', 'people:setPassword', { personId: reviewer.id, newPassword: 'new-reviewer-password' });
    const policy = await o.workspace.identity.policy();
    const keys = policy.latest.keys.filter((k) => k.personId === reviewer.id);
    expect(keys).toHaveLength(2);
    const old = keys.find((k) => k.keyId === reviewer.keyId)!;
    const fresh = keys.find((k) => k.keyId !== reviewer.keyId)!;
    expect(old.revokedAt).not.toBeNull();
    expect(fresh.revokedAt).toBeNull();
    expect(policy.latest.note).toContain('李审核');
    // The session that held the old key is over.
    expect(await o.call('reviewer', 'review:queue', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('a person added without an administrator’s key waits for the next administrator to sign in', async () => {
    const o = await office();
    const cli: CallContext = { transport: 'cli', sessionId: 'cli' };
    const added = await o.workspace.dispatch('people:save', { name: '赵新人', roles: ['writer'], password: passwordOf('new') }, cli);
    expect(added.ok).toBe(true);
    expect((await o.workspace.identity.policy()).latest.people.map((p) => p.name)).not.toContain('赵新人');
    await o.value('admin', 'session:signIn', { personId: o.people.admin?.id, password: passwordOf('admin') });
    expect((await o.workspace.identity.policy()).latest.people.map((p) => p.name)).toContain('赵新人');
  });

  it('is verified on every read: a version edited on disk is named, not trusted', async () => {
    const o = await office();
    const folder = join(o.dir, 'office', 'policy');
    const last = readdirSync(folder).sort().at(-1)!;
    const signed = JSON.parse(readFileSync(join(folder, last), 'utf8'));
    signed.policy.people.find((p: { name: string }) => p.name === '张撰稿').roles.push('reviewer');
    writeFileSync(join(folder, last), JSON.stringify(signed));
    await expect(o.workspace.identity.policy()).rejects.toMatchObject({ problems: [{ code: 'policy_signature_invalid' }] });
  });

  it('an older workspace without a policy gets one when its administrator signs in', async () => {
    const o = await office();
    const dir = o.dir;
    await o.workspace.close();
    rmSync(join(dir, 'office'), { recursive: true });
    const reopened = await openWorkspace(dir, { scrypt: TEST_SCRYPT });
    try {
      await reopened.identity.signInAs('管理员', passwordOf('admin'), { transport: 'http', sessionId: 'again' });
      const policy = await reopened.identity.policy();
      expect(policy.latest.people.map((p) => p.name)).toEqual(['管理员', '张撰稿', '李审核']);
    } finally {
      await reopened.close();
      o.workspace = await openWorkspace(dir, { scrypt: TEST_SCRYPT });
    }
  });

  it('an administrator signing in on a second, joined desktop — which holds only their own record — leaves everyone else, their keys and the chain as the policy has them', async () => {
    const o = await office();
    await o.value('admin', 'review:chainSave', { stages: [{ id: 'final', name: '终审', roles: ['reviewer'] }] });
    const before = await o.workspace.identity.policy();
    // The second desktop as joining an office server leaves it: the office's
    // policy files, and a people file with the administrator's record alone.
    const second = mkdtempSync(join(tmpdir(), 'gazette-second-desktop-'));
    cpSync(join(o.dir, 'office'), join(second, 'office'), { recursive: true });
    const people = JSON.parse(readFileSync(join(o.dir, 'people.json'), 'utf8'));
    people.people = people.people.filter((r: { person: { id: string } }) => r.person.id === o.people.admin?.id);
    writeFileSync(join(second, 'people.json'), `${JSON.stringify(people, null, 2)}\n`);
    const desktop = await openWorkspace(second, { scrypt: TEST_SCRYPT });
    try {
      await desktop.identity.signInAs('管理员', passwordOf('admin'), { transport: 'http', sessionId: 'second' });
      const after = await desktop.identity.policy();
      expect(after.latest.people).toEqual(before.latest.people);
      expect(after.latest.keys.filter((k) => k.revokedAt !== null)).toEqual([]);
      expect(after.latest.chain.stages.map((s) => s.name)).toEqual(['终审']);
    } finally {
      await desktop.close();
      rmSync(second, { recursive: true, force: true });
    }
  });
});
