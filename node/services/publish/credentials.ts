import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCallback } from 'node:crypto';
import { chmod, mkdir, open, readFile, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
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
  entries: Record<string, SealedEntry>;
}

const SCRYPT_PARAMS = { N: 2 ** 15, r: 8, p: 1, maxmem: 64 * 1024 * 1024 };

/** Reads the machine secret, creating 32 random bytes with mode 0600 on first use; refuses a secret others can read. */
export async function loadMachineSecret(file: string): Promise<Buffer> {
  try {
    const info = await stat(file);
    if (process.platform !== 'win32' && (info.mode & 0o077) !== 0) {
      throw new CredentialError(publishMessage('credentials.error.insecure_secret', { file, mode: (info.mode & 0o777).toString(8).padStart(4, '0') }));
    }
    return await readFile(file);
  } catch (error) {
    if (!isMissing(error)) throw error;
  }
  await mkdir(dirname(file), { recursive: true, mode: 0o700 });
  const secret = randomBytes(32);
  // 'wx' so two processes starting together cannot each write their own secret.
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

/**
 * AES-256-GCM credential file for the web host and CLI: the key is derived with
 * scrypt from a per-machine secret file (0600), each entry has its own IV and is
 * bound to its name (AAD), so entries cannot be swapped or altered unnoticed.
 */
export class EncryptedFileCredentialStore implements CredentialStore {
  readonly #file: string;
  readonly #secretFile: string;
  #key: Promise<{ key: Buffer; salt: Buffer }> | null = null;

  constructor(options: { file: string; machineSecretFile: string }) {
    this.#file = options.file;
    this.#secretFile = options.machineSecretFile;
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

  #keyFor(salt: Buffer): Promise<{ key: Buffer; salt: Buffer }> {
    this.#key ??= loadMachineSecret(this.#secretFile).then(async (secret) => ({ key: await scrypt(secret, salt, 32, SCRYPT_PARAMS), salt }));
    return this.#key;
  }

  async #open(): Promise<{ data: EncryptedFile; key: Buffer }> {
    const existing = await this.#read();
    const data: EncryptedFile = existing ?? { format: 'gazette/credentials', version: 1, salt: randomBytes(16).toString('base64'), entries: {} };
    const { key } = await this.#keyFor(Buffer.from(data.salt, 'base64'));
    return { data, key };
  }

  async get(name: string): Promise<string | null> {
    const { data, key } = await this.#open();
    const entry = Object.hasOwn(data.entries, name) ? data.entries[name] : undefined;
    if (!entry) return null;
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
    const { data, key } = await this.#open();
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

  async names(): Promise<string[]> {
    return Object.keys((await this.#read())?.entries ?? {}).sort();
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
