import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWorkspace } from '../../../node/services';
import { EncryptedFileCredentialStore } from '../../../node/services/publish/credentials';
import type { CallContext } from '../../../shared/api/contract';

/*
 * The key to a workspace's publishing passwords lives in the user's own
 * folder, not in the workspace: a copy of the workspace (a backup stick,
 * another account on the computer) carries the encrypted passwords but
 * nothing that opens them.
 */

const FAST_SCRYPT = { N: 1024, r: 8, p: 1 };
const admin: CallContext = { transport: 'http', sessionId: 'admin' };
const PASSWORD = 'abcd EFGH ijkl MNOP qrst UVWX';
const modeOf = (path: string) => statSync(path).mode & 0o777;

let parent: string;
beforeEach(() => {
  parent = mkdtempSync(join(tmpdir(), 'gazette-secret-'));
});
afterEach(() => {
  rmSync(parent, { recursive: true, force: true });
});

async function value<T>(workspace: Awaited<ReturnType<typeof openWorkspace>>, channel: string, payload: unknown): Promise<T> {
  const reply = await workspace.dispatch(channel, payload, admin);
  if (!reply.ok) throw new Error(`${channel}: ${reply.error.detail}`);
  return reply.value as T;
}

type Listed = { targets: { id: string; hasCredential: boolean }[] }[];

describe('the machine secret', () => {
  it('lives outside the workspace, so a copy given to another account shows no password and cannot decrypt it', async () => {
    const workspace = join(parent, 'workspace');
    const mine = join(parent, 'me', 'secrets');
    const first = await openWorkspace(workspace, { secretsDir: mine, scrypt: FAST_SCRYPT });
    try {
      await value(first, 'session:setup', { name: '管理员', password: 'admin-pw-1' });
      const site = await value<Record<string, unknown>>(first, 'sites:get', { id: 'main' });
      await value(first, 'sites:save', { ...site, targets: [{ id: 'wp', kind: 'wordpress', label: '区政府 WordPress', baseUrl: 'http://127.0.0.1:9/', user: 'editor' }] });
      await value(first, 'targets:setCredential', { targetId: 'wp', secret: PASSWORD });
      expect((await value<Listed>(first, 'sites:list', {}))[0]?.targets[0]?.hasCredential).toBe(true);
    } finally {
      await first.close();
    }
    // Nothing in the workspace opens the password; the key is the user's, owner-only.
    expect(readdirSync(join(workspace, '.secrets'))).toEqual(['credentials.json']);
    const keys = readdirSync(mine);
    expect(keys).toHaveLength(1);
    if (process.platform !== 'win32') {
      expect(modeOf(mine)).toBe(0o700);
      expect(modeOf(join(mine, keys[0] ?? ''))).toBe(0o600);
    }

    const copy = join(parent, 'copy');
    cpSync(workspace, copy, { recursive: true });
    const elsewhere = await openWorkspace(copy, { secretsDir: join(parent, 'someone-else', 'secrets'), scrypt: FAST_SCRYPT });
    try {
      const people = await value<{ people: { id: string }[] }>(elsewhere, 'session:get', {});
      await value(elsewhere, 'session:signIn', { personId: people.people[0]?.id, password: 'admin-pw-1' });
      expect((await value<Listed>(elsewhere, 'sites:list', {}))[0]?.targets[0]?.hasCredential).toBe(false);
    } finally {
      await elsewhere.close();
    }
    // The target's password, by the name the site settings store it under.
    const name = 'target:wp';
    const copied = new EncryptedFileCredentialStore({ file: join(copy, '.secrets', 'credentials.json'), secretsDir: join(parent, 'someone-else', 'secrets') });
    await expect(copied.get(name)).rejects.toThrow(`${name} 的密码是在另一个账户或另一台电脑上保存的，本机无法解开`);
    expect(await copied.names()).toEqual([]);
    // Typing the password again on this account works, and the original still opens its own.
    await copied.set(name, 'typed again');
    expect(await copied.get(name)).toBe('typed again');
    const original = new EncryptedFileCredentialStore({ file: join(workspace, '.secrets', 'credentials.json'), secretsDir: mine });
    expect(await original.names()).toEqual([name]);
    expect(await original.get(name)).toBe(PASSWORD);
  });

  it('an older workspace’s .secrets/machine.key moves out on open, and its passwords still decrypt', async () => {
    const workspace = join(parent, 'workspace');
    const legacyKey = join(workspace, '.secrets', 'machine.key');
    const file = join(workspace, '.secrets', 'credentials.json');
    mkdirSync(join(workspace, '.secrets'), { recursive: true });
    await new EncryptedFileCredentialStore({ file, machineSecretFile: legacyKey }).set('wordpress:wp', PASSWORD);
    const secret = readFileSync(legacyKey);

    const mine = join(parent, 'me', 'secrets');
    const logged: string[] = [];
    const opened = await openWorkspace(workspace, { secretsDir: mine, log: (line) => logged.push(line) });
    await opened.close();
    expect(existsSync(legacyKey)).toBe(false);
    const [moved] = readdirSync(mine);
    expect(readFileSync(join(mine, moved ?? ''))).toEqual(secret);
    expect(logged.join('\n')).toContain('moved the workspace\'s machine secret out of it');
    expect(await new EncryptedFileCredentialStore({ file, secretsDir: mine }).get('wordpress:wp')).toBe(PASSWORD);
    // Opening again finds nothing left to move.
    await (await openWorkspace(workspace, { secretsDir: mine })).close();
    expect(readdirSync(mine)).toEqual([moved]);
  });
});
