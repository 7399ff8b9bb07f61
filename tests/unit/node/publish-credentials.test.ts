import { chmodSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CredentialError,
  EncryptedFileCredentialStore,
  SafeStorageCredentialStore,
  type SafeStorageLike,
} from '../../../node/services/publish/credentials';

function fresh() {
  const dir = mkdtempSync(join(tmpdir(), 'gazette-cred-'));
  return { dir, file: join(dir, 'workspace', 'credentials.json'), machineSecretFile: join(dir, 'machine', 'secret') };
}

describe('encrypted credential file', () => {
  it('stores secrets encrypted (never in plain text) and reads them back in a new process', async () => {
    const paths = fresh();
    await new EncryptedFileCredentialStore(paths).set('wp:portal', 'abcd EFGH 1234 应用密码');
    const onDisk = readFileSync(paths.file, 'utf8');
    expect(onDisk).not.toContain('abcd');
    expect(onDisk).not.toContain('应用密码');
    if (process.platform !== 'win32') expect(statSync(paths.machineSecretFile).mode & 0o777).toBe(0o600);
    const reopened = new EncryptedFileCredentialStore(paths);
    expect(await reopened.get('wp:portal')).toBe('abcd EFGH 1234 应用密码');
    expect(await reopened.get('other')).toBeNull();
    expect(await reopened.names()).toEqual(['wp:portal']);
    await reopened.delete('wp:portal');
    expect(await reopened.get('wp:portal')).toBeNull();
  });

  it('cannot be decrypted with another machine secret, and says so clearly', async () => {
    const paths = fresh();
    await new EncryptedFileCredentialStore(paths).set('sftp', 'secret-1');
    const elsewhere = new EncryptedFileCredentialStore({ file: paths.file, machineSecretFile: join(paths.dir, 'other-machine') });
    await expect(elsewhere.get('sftp')).rejects.toThrow(CredentialError);
    await expect(elsewhere.get('sftp')).rejects.toThrow(/无法用本机密钥解密/);
  });

  it('detects entries swapped between names or altered on disk', async () => {
    const paths = fresh();
    const store = new EncryptedFileCredentialStore(paths);
    await store.set('a', 'alpha');
    await store.set('b', 'bravo');
    const data = JSON.parse(readFileSync(paths.file, 'utf8'));
    [data.entries.a, data.entries.b] = [data.entries.b, data.entries.a];
    writeFileSync(paths.file, JSON.stringify(data));
    await expect(new EncryptedFileCredentialStore(paths).get('a')).rejects.toThrow(CredentialError);
  });

  it('refuses a machine secret readable by others', async () => {
    if (process.platform === 'win32') return;
    const paths = fresh();
    await new EncryptedFileCredentialStore(paths).set('a', 'x');
    chmodSync(paths.machineSecretFile, 0o644);
    await expect(new EncryptedFileCredentialStore(paths).get('a')).rejects.toThrow(/0600/);
  });

  it('reports a damaged file instead of crashing', async () => {
    const paths = fresh();
    await new EncryptedFileCredentialStore(paths).set('a', 'x');
    writeFileSync(paths.file, '{ broken');
    await expect(new EncryptedFileCredentialStore(paths).get('a')).rejects.toThrow(/已损坏/);
  });
});

describe('safeStorage credential store', () => {
  const fakeSafeStorage = (available = true): SafeStorageLike => ({
    isEncryptionAvailable: () => available,
    encryptString: (text) => Buffer.from(Buffer.from(text, 'utf8').map((byte) => byte ^ 0x5a)),
    decryptString: (sealed) => Buffer.from(sealed.map((byte) => byte ^ 0x5a)).toString('utf8'),
  });

  it('keeps only sealed blobs on disk', async () => {
    const file = join(fresh().dir, 'creds.json');
    await new SafeStorageCredentialStore({ file, safeStorage: fakeSafeStorage() }).set('wp', 'pass word');
    expect(readFileSync(file, 'utf8')).not.toContain('pass word');
    expect(await new SafeStorageCredentialStore({ file, safeStorage: fakeSafeStorage() }).get('wp')).toBe('pass word');
  });

  it('refuses to save when the OS offers no secure storage', async () => {
    const file = join(fresh().dir, 'creds.json');
    await expect(new SafeStorageCredentialStore({ file, safeStorage: fakeSafeStorage(false) }).set('wp', 'x')).rejects.toThrow(/不支持安全存储/);
  });
});
