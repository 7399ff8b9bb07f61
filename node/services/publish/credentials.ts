import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCallback } from 'node:crypto';
import { chmod, mkdir, open, readFile, stat, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { t } from '../messages';
import { isMissing, writeFileAtomic } from '../store/atomic-file';
import { publishMessage } from './outbox/messages';

const scrypt = promisify(scryptCallback) as (password: Buffer, salt: Buffer, keylen: number, options: { N: number; r: number; p: number; maxmem: number }) => Promise<Buffer>;

/** Where publishing passwords live; never in plain text at rest. */
export interface CredentialStore {
  get(name: string): Promise<string | null>;
  set(name: string, secret: string): Promise<void>;
  delete(name: string): Promise<void>;
  names(): Promise<string[]>;
}

/** A credential file that cannot be used (damaged, or made on another machine). */
export class CredentialError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialError';
  }
}

interface SealedEntry {
  iv: string;
  tag: string;
  data: string;
}

interface EncryptedFile {
  format: 'gazette/credentials';
  version: 1;
  /** scrypt salt for the file key. */
  salt: string;
  /**
   * Names this workspace's secret in the user's own secrets folder (outside the
   * workspace), so a copy of the workspace carries no key to its passwords.
   */
  secretId?: string;
  entries: Record<string, SealedEntry>;
}

/** Where the secret of a credential file is: one given file (tests, old callers), or the user's secrets folder. */
export type MachineSecretLocation = { machineSecretFile: string } | { secretsDir: string };

const SECRET_ID = /^[0-9a-f]{32}$/;

function secretFileIn(secretsDir: string, secretId: string): string {
  return join(secretsDir, `${secretId}.key`);
}

const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/** Reads a machine secret file; null when there is none. Refuses a secret others can read. */
async function readMachineSecret(file: string): Promise<Buffer | null> {
  try {
    const info = await stat(file);
    if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
      throw new CredentialError(publishMessage('credentials.error.insecure_secret', { file, mode: (info.mode & 0o777).toString(8).padStart(4, '0') }));
    }
    return await readFile(file);
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

/** Writes `secret` to a new file, 0600 in a 0700 folder; an existing file wins ('wx': two processes starting together agree on one). */
async function writeMachineSecret(file: string, secret: Buffer): Promise<Buffer> {
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  try {
    const handle = await open(file, 'wx', 0o600);
    try {
      await handle.writeFile(secret);
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch (error) {
    if ((error as { code?: string }).code === 'EEXIST') return readFile(file);
    throw error;
  }
  await chmod(file, 0o600);
  return secret;
}

/** Reads the machine secret, creating 32 random bytes with mode 0600 on first use; refuses a secret others can read. */
export async function loadMachineSecret(file: string): Promise<Buffer> {
  return (await readMachineSecret(file)) ?? writeMachineSecret(file, randomBytes(32));
}

/**
 * Moves a workspace's old `.secrets/machine.key` into the user's secrets
 * folder: copied there first, then named in the credential file, then
 * deleted, so a crash at any step leaves the passwords readable. Without a
 * credential file the key protects nothing and is just deleted. Returns what
 * it did, for the log.
 */
export async function moveMachineSecretOut(options: {
  legacySecretFile: string;
  credentialsFile: string;
  secretsDir: string;
}): Promise<{ moved: string } | { removed: string } | null> {
  const { legacySecretFile, credentialsFile, secretsDir } = options;
  let secret: Buffer;
  try {
    secret = await readFile(legacySecretFile);
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
  let data: EncryptedFile | null = null;
  try {
    data = JSON.parse(await readFile(credentialsFile, 'utf8')) as EncryptedFile;
  } catch (error) {
    // A damaged credential file stays where it is, and so does its key: nothing is lost by waiting.
    if (!isMissing(error)) return null;
  }
  if (data === null || typeof data !== 'object' || data.format !== 'gazette/credentials') {
    if (data !== null) return null;
    await unlink(legacySecretFile);
    return { removed: legacySecretFile };
  }
  const secretId = typeof data.secretId === 'string' && SECRET_ID.test(data.secretId) ? data.secretId : randomBytes(16).toString('hex');
  const target = secretFileIn(secretsDir, secretId);
  const kept = await writeMachineSecret(target, secret);
  // A file already there under this id (an interrupted move) must be this very key, or the passwords would be lost.
  if (!kept.equals(secret)) return null;
  if (data.secretId !== secretId) {
    await writeFileAtomic(credentialsFile, `${JSON.stringify({ ...data, secretId }, null, 2)}\n`);
    await chmod(credentialsFile, 0o600).catch(() => {});
  }
  await unlink(legacySecretFile);
  return { moved: target };
}

/**
 * AES-256-GCM credential file for the web host and CLI: the key is derived with
 * scrypt from a per-machine secret file (0600), each entry has its own IV and is
 * bound to its name (AAD), so entries cannot be swapped or altered unnoticed.
 */
export class EncryptedFileCredentialStore implements CredentialStore {
  readonly #file: string;
  readonly #secret: MachineSecretLocation;
  #key: { for: string; key: Promise<Buffer | null> } | null = null;

  constructor(options: { file: string } & MachineSecretLocation) {
    this.#file = options.file;
    this.#secret = 'secretsDir' in options ? { secretsDir: options.secretsDir } : { machineSecretFile: options.machineSecretFile };
  }

  async #read(): Promise<EncryptedFile | null> {
    let text: string;
    try {
      text = await readFile(this.#file, 'utf8');
    } catch (error) {
      if (isMissing(error)) return null;
      throw error;
    }
    try {
      const parsed = JSON.parse(text) as EncryptedFile;
      if (parsed.format !== 'gazette/credentials' || typeof parsed.salt !== 'string' || typeof parsed.entries !== 'object' || parsed.entries === null) {
        throw new Error('not a credential file');
      }
      return parsed;
    } catch {
      throw new CredentialError(publishMessage('credentials.error.damaged', { file: this.#file }));
    }
  }

  /**
   * The file key, or null when this desktop has no secret for the file: the
   * workspace was copied from another account or computer, whose passwords
   * stay there. A new file gets a new secret.
   */
  #keyOf(data: EncryptedFile, isNew: boolean): Promise<Buffer | null> {
    const secretFile =
      'machineSecretFile' in this.#secret
        ? this.#secret.machineSecretFile
        : data.secretId && SECRET_ID.test(data.secretId)
          ? secretFileIn(this.#secret.secretsDir, data.secretId)
          : null;
    const cacheKey = `${secretFile}\n${data.salt}`;
    if (this.#key?.for !== cacheKey) {
      const secret =
        secretFile === null
          ? Promise.resolve(null)
          : isNew || 'machineSecretFile' in this.#secret
            ? loadMachineSecret(secretFile)
            : readMachineSecret(secretFile);
      const key = secret.then((found) => (found ? scrypt(found, Buffer.from(data.salt, 'base64'), 32, SCRYPT_PARAMS) : null));
      // A failed read is not remembered: the next call tries again.
      key.catch(() => {
        if (this.#key?.key === key) this.#key = null;
      });
      this.#key = { for: cacheKey, key };
    }
    return this.#key.key;
  }

  #fresh(): EncryptedFile {
    return {
      format: 'gazette/credentials',
      version: 1,
      salt: randomBytes(16).toString('base64'),
      ...('secretsDir' in this.#secret ? { secretId: randomBytes(16).toString('hex') } : {}),
      entries: {},
    };
  }

  async #open(): Promise<{ data: EncryptedFile; key: Buffer | null }> {
    const existing = await this.#read();
    const data = existing ?? this.#fresh();
    return { data, key: await this.#keyOf(data, existing === null) };
  }

  async get(name: string): Promise<string | null> {
    const { data, key } = await this.#open();
    const entry = Object.hasOwn(data.entries, name) ? data.entries[name] : undefined;
    if (!entry) return null;
    if (!key) throw new CredentialError(t('store.secret.elsewhere', { name }));
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(entry.iv, 'base64'));
      decipher.setAAD(Buffer.from(name, 'utf8'));
      decipher.setAuthTag(Buffer.from(entry.tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(entry.data, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new CredentialError(publishMessage('credentials.error.damaged', { file: this.#file }));
    }
  }

  async set(name: string, secret: string): Promise<void> {
    let { data, key } = await this.#open();
    if (!key) {
      // Passwords saved under another account cannot be read here; this desktop starts its own file.
      data = this.#fresh();
      key = await this.#keyOf(data, true);
      if (!key) throw new CredentialError(t('store.secret.elsewhere', { name }));
    }
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(name, 'utf8'));
    const sealed = Buffer.concat([cipher.update(secret, 'utf8'), cipher.final()]);
    data.entries[name] = { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: sealed.toString('base64') };
    await this.#write(data);
  }

  async delete(name: string): Promise<void> {
    const data = await this.#read();
    if (!data || !Object.hasOwn(data.entries, name)) return;
    delete data.entries[name];
    await this.#write(data);
  }

  /** The names of the passwords this desktop can read (none, in a workspace copied from another account). */
  async names(): Promise<string[]> {
    const data = await this.#read();
    if (!data || (await this.#keyOf(data, false).catch(() => null)) === null) return [];
    return Object.keys(data.entries).sort();
  }

  async #write(data: EncryptedFile): Promise<void> {
    await mkdir(dirname(this.#file), { recursive: true });
    await writeFileAtomic(this.#file, `${JSON.stringify(data, null, 2)}\n`);
    await chmod(this.#file, 0o600).catch(() => {});
  }
}

/** The part of Electron's `safeStorage` the desktop app uses (passed in: services never import electron). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/** Desktop credential store: entries sealed by the OS keychain through Electron's safeStorage. */
export class SafeStorageCredentialStore implements CredentialStore {
  readonly #file: string;
  readonly #safeStorage: SafeStorageLike;

  constructor(options: { file: string; safeStorage: SafeStorageLike }) {
    this.#file = options.file;
    this.#safeStorage = options.safeStorage;
  }

  async #read(): Promise<Record<string, string>> {
    try {
      const parsed: unknown = JSON.parse(await readFile(this.#file, 'utf8'));
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      return parsed as Record<string, string>;
    } catch (error) {
      if (isMissing(error)) return {};
      throw new CredentialError(publishMessage('credentials.error.damaged', { file: this.#file }));
    }
  }

  #requireAvailable(): void {
    if (!this.#safeStorage.isEncryptionAvailable()) throw new CredentialError(publishMessage('credentials.error.unavailable'));
  }

  async get(name: string): Promise<string | null> {
    const entries = await this.#read();
    const sealed = Object.hasOwn(entries, name) ? entries[name] : undefined;
    if (sealed === undefined) return null;
    this.#requireAvailable();
    try {
      return this.#safeStorage.decryptString(Buffer.from(sealed, 'base64'));
    } catch {
      throw new CredentialError(publishMessage('credentials.error.damaged', { file: this.#file }));
    }
  }

  async set(name: string, secret: string): Promise<void> {
    this.#requireAvailable();
    const entries = await this.#read();
    entries[name] = this.#safeStorage.encryptString(secret).toString('base64');
    await mkdir(dirname(this.#file), { recursive: true });
    await writeFileAtomic(this.#file, `${JSON.stringify(entries, null, 2)}\n`);
  }

  async delete(name: string): Promise<void> {
    const entries = await this.#read();
    if (!Object.hasOwn(entries, name)) return;
    delete entries[name];
    await writeFileAtomic(this.#file, `${JSON.stringify(entries, null, 2)}\n`);
  }

  async names(): Promise<string[]> {
    return Object.keys(await this.#read()).sort();
  }
}
