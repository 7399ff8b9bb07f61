import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openWorkspace, type Workspace } from '../../../node/services';
import {
  bufferCipherProtector,
  desktopKeySealing,
  KEYCHAIN_WRAPPED_KIND,
  type KeySealing,
  PASSWORD_KIND,
  type SafeStorageKeychainLike,
  passwordProtector,
  personalKeyProtector,
  reprotectKeyPair,
  type StoredKeyPair,
  unlockKeyPair,
} from '../../../node/services/identity/keys';
import type { CallContext } from '../../../shared/api/contract';
import { TEST_SCRYPT } from '../../support/review-api';

/*
 * Every private key is sealed by its owner's password. The desktop's
 * safeStorage may wrap that seal, but only where the OS keychain is real, and
 * keys older versions sealed with safeStorage alone move under the password
 * at their owner's next sign-in.
 */

const dirs: string[] = [];
const open: Workspace[] = [];
afterEach(async () => {
  for (const workspace of open.splice(0)) await workspace.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const ADMIN_PW = 'admin-password-1';
const REVIEWER_PW = 'reviewer-password-1';
const adminCtx: CallContext = { transport: 'http', sessionId: 'http:admin' };
const reviewerCtx: CallContext = { transport: 'http', sessionId: 'http:reviewer' };

/** A stand-in for Electron's safeStorage that counts what it seals; `secret` tells one machine's keychain from another's. */
function fakeSafeStorage(backend: string, secret = 'this-machine'): SafeStorageKeychainLike & { sealed: number } {
  const fake = {
    sealed: 0,
    isEncryptionAvailable: () => true,
    getSelectedStorageBackend: () => backend,
    encryptString(plain: string): Buffer {
      fake.sealed += 1;
      return Buffer.from(`${secret}:${Buffer.from(plain).toString('base64')}`);
    },
    decryptString(sealed: Buffer): string {
      const [owner, body] = sealed.toString().split(':');
      if (owner !== secret) throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
      return Buffer.from(body ?? '', 'base64').toString();
    },
  };
  return fake;
}

async function workspaceIn(dir: string, keySealing?: KeySealing, log?: (message: string) => void): Promise<Workspace> {
  const workspace = await openWorkspace(dir, { scrypt: TEST_SCRYPT, keySealing, log, failureDelayMs: 0 });
  open.push(workspace);
  return workspace;
}

async function freshOffice(keySealing?: KeySealing): Promise<{ dir: string; workspace: Workspace; reviewerId: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'gazette-sealing-'));
  dirs.push(dir);
  const workspace = await workspaceIn(dir, keySealing);
  const setup = await workspace.dispatch('session:setup', { name: '管理员', password: ADMIN_PW }, adminCtx);
  expect(setup.ok).toBe(true);
  const saved = await workspace.dispatch('people:save', { name: '李审核', roles: ['reviewer'], password: REVIEWER_PW }, adminCtx);
  if (!saved.ok) throw new Error(saved.error.detail);
  return { dir, workspace, reviewerId: (saved.value as { id: string }).id };
}

interface PeopleFile {
  people: { person: { id: string; name: string }; key: StoredKeyPair | null }[];
}

function readPeople(dir: string): PeopleFile {
  return JSON.parse(readFileSync(join(dir, 'people.json'), 'utf8')) as PeopleFile;
}

function storedKeyOf(dir: string, name: string): StoredKeyPair {
  const key = readPeople(dir).people.find((p) => p.person.name === name)?.key;
  if (!key) throw new Error(`${name} has no key`);
  return key;
}

/** The session's key, or the refusal a signing action would give. */
function signingKeyOf(workspace: Workspace, ctx: CallContext) {
  const person = workspace.identity.personOf(ctx);
  if (!person) throw new Error('not signed in');
  return workspace.identity.signingKey(ctx, person);
}

describe('a private key in people.json is sealed by its owner’s password', () => {
  it('web host: cannot be opened with a wrong password, opens with the right one', async () => {
    const { dir } = await freshOffice();
    const stored = storedKeyOf(dir, '李审核');
    expect(stored.privateKey.kind).toBe(PASSWORD_KIND);
    await expect(unlockKeyPair(stored, passwordProtector('wrong-password'))).rejects.toMatchObject({ code: 'wrong_password' });
    const opened = await unlockKeyPair(stored, passwordProtector(REVIEWER_PW));
    expect(opened.keyId).toBe(stored.keyId);
  });

  it('desktop with a real keychain: the wrap does not replace the password — the keychain alone opens nothing', async () => {
    const safeStorage = fakeSafeStorage('gnome_libsecret');
    const { sealing } = desktopKeySealing(safeStorage, 'linux');
    const { dir } = await freshOffice(sealing);
    const stored = storedKeyOf(dir, '李审核');
    expect(stored.privateKey.kind).toBe(KEYCHAIN_WRAPPED_KIND);
    // Anything running as this OS user can ask the keychain to unwrap; without the password that is not enough.
    await expect(unlockKeyPair(stored, personalKeyProtector('wrong-password', sealing))).rejects.toMatchObject({
      code: 'wrong_password',
    });
    expect((await unlockKeyPair(stored, personalKeyProtector(REVIEWER_PW, sealing))).keyId).toBe(stored.keyId);
    // Away from the keychain (the web host, another machine) it says why, rather than blaming the password.
    await expect(unlockKeyPair(stored, personalKeyProtector(REVIEWER_PW, { wrap: null, open: null }))).rejects.toMatchObject({
      code: 'keychain_unavailable',
    });
    const elsewhere = desktopKeySealing(fakeSafeStorage('gnome_libsecret', 'other-machine'), 'linux').sealing;
    await expect(unlockKeyPair(stored, personalKeyProtector(REVIEWER_PW, elsewhere))).rejects.toMatchObject({
      code: 'keychain_mismatch',
    });
  });

  it('a password change re-seals the key under the new password (same key)', async () => {
    const { dir, workspace, reviewerId } = await freshOffice();
    const before = storedKeyOf(dir, '李审核');
    await workspace.identity.signInAs('李审核', REVIEWER_PW, reviewerCtx);
    const changed = await workspace.dispatch(
      'people:setPassword',
      { personId: reviewerId, oldPassword: REVIEWER_PW, newPassword: 'reviewer-password-2' },
      reviewerCtx,
    );
    expect(changed.ok).toBe(true);
    const after = storedKeyOf(dir, '李审核');
    expect(after.keyId).toBe(before.keyId);
    await expect(unlockKeyPair(after, passwordProtector(REVIEWER_PW))).rejects.toMatchObject({ code: 'wrong_password' });
    expect((await unlockKeyPair(after, passwordProtector('reviewer-password-2'))).keyId).toBe(before.keyId);
  });

  it('refuses a password change it could not re-seal the key for, and changes nothing', async () => {
    const safeStorage = fakeSafeStorage('kwallet5');
    const { dir, workspace } = await freshOffice(desktopKeySealing(safeStorage, 'linux').sealing);
    await workspace.close();
    open.splice(open.indexOf(workspace), 1);
    const before = readFileSync(join(dir, 'people.json'), 'utf8');

    const web = await workspaceIn(dir);
    const reviewer = await web.identity.signInAs('李审核', REVIEWER_PW, reviewerCtx);
    const reply = await web.dispatch(
      'people:setPassword',
      { personId: reviewer.id, oldPassword: REVIEWER_PW, newPassword: 'reviewer-password-2' },
      reviewerCtx,
    );
    expect(reply).toMatchObject({ ok: false, error: { code: 'conflict' } });
    if (!reply.ok) expect(reply.error.detail).toContain('密码未修改');
    expect(readFileSync(join(dir, 'people.json'), 'utf8')).toBe(before);
  });
});

describe('the desktop’s safeStorage wraps keys only where the OS keychain is real', () => {
  it('Linux basic_text (or a backend it cannot name) adds no wrap: new keys are sealed by the password alone', async () => {
    for (const backend of ['basic_text', 'unknown', 'something_new']) {
      const safeStorage = fakeSafeStorage(backend);
      const { sealing, note } = desktopKeySealing(safeStorage, 'linux');
      expect(sealing.wrap, backend).toBeNull();
      expect(note).toContain(backend);
      const { dir } = await freshOffice(sealing);
      expect(safeStorage.sealed, backend).toBe(0);
      expect(readPeople(dir).people.map((p) => p.key?.privateKey.kind)).toEqual([PASSWORD_KIND, PASSWORD_KIND]);
    }
  });

  it('a Linux keyring, macOS and Windows wrap; no encryption at all means the password alone', () => {
    expect(desktopKeySealing(fakeSafeStorage('gnome_libsecret'), 'linux').sealing.wrap).not.toBeNull();
    expect(desktopKeySealing(fakeSafeStorage('kwallet6'), 'linux').sealing.wrap).not.toBeNull();
    expect(desktopKeySealing(fakeSafeStorage('n/a'), 'darwin').sealing.wrap).not.toBeNull();
    expect(desktopKeySealing(fakeSafeStorage('n/a'), 'win32').sealing.wrap).not.toBeNull();
    const unavailable = { ...fakeSafeStorage('gnome_libsecret'), isEncryptionAvailable: () => false };
    expect(desktopKeySealing(unavailable, 'linux').sealing).toEqual({ wrap: null, open: null });
    const throwing = {
      ...fakeSafeStorage('gnome_libsecret'),
      getSelectedStorageBackend: (): string => {
        throw new Error('not supported');
      },
    };
    expect(desktopKeySealing(throwing, 'linux').sealing.wrap).toBeNull();
  });
});

/** Rewrites `name`'s key in people.json as older desktop versions stored it: sealed by safeStorage alone. */
async function sealBySafeStorageAlone(dir: string, name: string, password: string, safeStorage: SafeStorageKeychainLike) {
  const legacy = bufferCipherProtector('safeStorage', {
    encrypt: (plain) => safeStorage.encryptString(plain.toString('base64')),
    decrypt: (sealed) => Buffer.from(safeStorage.decryptString(sealed), 'base64'),
  });
  const file = JSON.parse(readFileSync(join(dir, 'people.json'), 'utf8')) as PeopleFile;
  const record = file.people.find((p) => p.person.name === name)!;
  record.key = await reprotectKeyPair(record.key!, passwordProtector(password), legacy);
  writeFileSync(join(dir, 'people.json'), JSON.stringify(file, null, 2));
  return record.key;
}

describe('keys sealed by safeStorage alone (older desktop versions)', () => {
  it('are re-sealed under the password at the next sign-in, and the log says so', async () => {
    const { dir, workspace } = await freshOffice();
    await workspace.close();
    open.splice(open.indexOf(workspace), 1);
    const safeStorage = fakeSafeStorage('basic_text');
    const legacy = await sealBySafeStorageAlone(dir, '李审核', REVIEWER_PW, safeStorage);
    expect(legacy.privateKey.kind).toBe('safeStorage');

    const log: string[] = [];
    const desktop = await workspaceIn(dir, desktopKeySealing(safeStorage, 'linux').sealing, (m) => log.push(m));
    await desktop.identity.signInAs('李审核', REVIEWER_PW, reviewerCtx);

    const migrated = storedKeyOf(dir, '李审核');
    expect(migrated.keyId).toBe(legacy.keyId);
    expect(migrated.privateKey.kind).toBe(PASSWORD_KIND);
    await expect(unlockKeyPair(migrated, passwordProtector('wrong-password'))).rejects.toMatchObject({ code: 'wrong_password' });
    expect((await unlockKeyPair(migrated, passwordProtector(REVIEWER_PW))).keyId).toBe(legacy.keyId);
    expect(log.some((m) => m.includes(legacy.keyId) && m.includes('re-sealed under the person'))).toBe(true);
    // The session signs with the same key.
    expect(signingKeyOf(desktop, reviewerCtx).keyId).toBe(legacy.keyId);
  });

  it('one sealed on another machine gives a clear refusal to sign, not a crash, and is left as it was', async () => {
    const { dir, workspace } = await freshOffice();
    await workspace.close();
    open.splice(open.indexOf(workspace), 1);
    await sealBySafeStorageAlone(dir, '李审核', REVIEWER_PW, fakeSafeStorage('gnome_libsecret', 'old-laptop'));
    const before = readFileSync(join(dir, 'people.json'), 'utf8');

    const desktop = await workspaceIn(dir, desktopKeySealing(fakeSafeStorage('gnome_libsecret'), 'linux').sealing);
    await desktop.identity.signInAs('李审核', REVIEWER_PW, reviewerCtx);
    expect(() => signingKeyOf(desktop, reviewerCtx)).toThrow(/另一台电脑.*钥匙串/);
    expect(readFileSync(join(dir, 'people.json'), 'utf8')).toBe(before);

    // In the web host there is no keychain at all: it says that instead.
    await desktop.close();
    open.splice(open.indexOf(desktop), 1);
    const web = await workspaceIn(dir);
    await web.identity.signInAs('李审核', REVIEWER_PW, reviewerCtx);
    expect(() => signingKeyOf(web, reviewerCtx)).toThrow(/safeStorage/);
  });
});
