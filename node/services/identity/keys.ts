import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  scrypt,
  sign,
  timingSafeEqual,
  verify,
} from 'node:crypto';
import { z } from 'zod';
import { type Approval, type ApprovalSignature, approvalStatement } from '../../../shared/workflow/review-chain';
import { type ReviewMessageKey, type ReviewMessageParams, reviewMessage } from '../../../shared/workflow/messages';

/** scrypt cost: N=2^15, r=8, p=1 (about 32 MiB and ~0.1 s), the OWASP-recommended floor. */
export interface ScryptParams {
  N: number;
  r: number;
  p: number;
}
export const DEFAULT_SCRYPT: ScryptParams = { N: 2 ** 15, r: 8, p: 1 };

/** A refused key or password operation, with a ready Chinese message. */
export class KeyError extends Error {
  readonly code:
    | 'wrong_password'
    | 'damaged_key'
    | 'unknown_protector'
    | 'keychain_unavailable'
    | 'keychain_mismatch'
    | 'bad_password_hash'
    | 'bad_trusted_keys';

  constructor(code: KeyError['code'], params: ReviewMessageParams = {}) {
    super(reviewMessage(`key.error.${code}` as ReviewMessageKey, params));
    this.name = 'KeyError';
    this.code = code;
  }
}

function scryptAsync(password: string, salt: Buffer, length: number, params: ScryptParams): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // Node's default maxmem (32 MiB) is exactly what N=2^15, r=8 needs and rejects it; allow twice that.
    const maxmem = 256 * params.N * params.r;
    scrypt(password.normalize('NFC'), salt, length, { ...params, maxmem }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

// ───────────────────────────── passwords ─────────────────────────────

/** `scrypt$N$r$p$salt$hash` (base64), so the cost can be raised later without breaking stored hashes. */
export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, 32, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64'), hash.toString('base64')].join('$');
}

/** Constant-time check of a password against {@link hashPassword}'s output; throws KeyError on a damaged hash. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  const [tag, n, r, p, salt, hash] = parts;
  const params = { N: Number(n), r: Number(r), p: Number(p) };
  const expected = Buffer.from(hash ?? '', 'base64');
  if (
    parts.length !== 6 ||
    tag !== 'scrypt' ||
    !Object.values(params).every((v) => Number.isSafeInteger(v) && v > 0) ||
    params.N > 2 ** 22 ||
    expected.length < 16
  ) {
    throw new KeyError('bad_password_hash');
  }
  const actual = await scryptAsync(password, Buffer.from(salt ?? '', 'base64'), expected.length, params);
  return timingSafeEqual(actual, expected);
}

// ───────────────────────────── protecting private keys ─────────────────────────────

/** An encrypted private key as stored on disk; `kind` names the protector able to open it. */
export const ProtectedSecretSchema = z.object({
  kind: z.string().min(1),
  data: z.record(z.string(), z.union([z.string(), z.number()])),
});
export type ProtectedSecret = z.infer<typeof ProtectedSecretSchema>;

/**
 * Seals and opens private keys. A person's key is always sealed by their
 * password ({@link personalKeyProtector}); {@link bufferCipherProtector} adapts
 * a plain cipher for the outer layers and for tests.
 */
export interface KeyProtector {
  readonly kind: string;
  protect(secret: Uint8Array): Promise<ProtectedSecret>;
  /** Throws KeyError('wrong_password' | 'damaged_key' | 'unknown_protector' | 'keychain_unavailable' | 'keychain_mismatch'). */
  unprotect(sealed: ProtectedSecret): Promise<Uint8Array>;
}

/** A private key sealed by its owner's password (scrypt + AES-256-GCM). */
export const PASSWORD_KIND = 'scrypt-aes-256-gcm';
const KEY_AAD = Buffer.from('gazette/private-key/v1');

/** A scrypt-derived AES-256-GCM key from the person's password; a wrong password fails GCM authentication. */
export function passwordProtector(password: string, params: ScryptParams = DEFAULT_SCRYPT): KeyProtector {
  return {
    kind: PASSWORD_KIND,
    async protect(secret) {
      const salt = randomBytes(16);
      const iv = randomBytes(12);
      const key = await scryptAsync(password, salt, 32, params);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(KEY_AAD);
      const ciphertext = Buffer.concat([cipher.update(secret), cipher.final()]);
      return {
        kind: PASSWORD_KIND,
        data: {
          N: params.N,
          r: params.r,
          p: params.p,
          salt: salt.toString('base64'),
          iv: iv.toString('base64'),
          tag: cipher.getAuthTag().toString('base64'),
          ciphertext: ciphertext.toString('base64'),
        },
      };
    },
    async unprotect(sealed) {
      if (sealed.kind !== PASSWORD_KIND) throw new KeyError('unknown_protector', { kind: sealed.kind });
      const { N, r, p, salt, iv, tag, ciphertext } = sealed.data;
      if (
        typeof N !== 'number' ||
        typeof r !== 'number' ||
        typeof p !== 'number' ||
        typeof salt !== 'string' ||
        typeof iv !== 'string' ||
        typeof tag !== 'string' ||
        typeof ciphertext !== 'string'
      ) {
        throw new KeyError('damaged_key', { detail: 'missing fields' });
      }
      const key = await scryptAsync(password, Buffer.from(salt, 'base64'), 32, { N, r, p });
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64'));
        decipher.setAAD(KEY_AAD);
        decipher.setAuthTag(Buffer.from(tag, 'base64'));
        return new Uint8Array(Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64')), decipher.final()]));
      } catch {
        // GCM cannot tell a wrong password from a damaged file; the password is by far the likelier cause.
        throw new KeyError('wrong_password');
      }
    },
  };
}

/**
 * Adapts a synchronous buffer cipher such as Electron's safeStorage
 * (`encryptString`/`decryptString` wrapped to bytes) to a KeyProtector.
 */
export function bufferCipherProtector(
  kind: string,
  cipher: { encrypt(plain: Buffer): Buffer; decrypt(sealed: Buffer): Buffer },
): KeyProtector {
  return {
    kind,
    async protect(secret) {
      return { kind, data: { sealed: cipher.encrypt(Buffer.from(secret)).toString('base64') } };
    },
    async unprotect(sealed) {
      if (sealed.kind !== kind) throw new KeyError('unknown_protector', { kind: sealed.kind });
      const data = sealed.data.sealed;
      if (typeof data !== 'string') throw new KeyError('damaged_key', { detail: 'missing fields' });
      try {
        return new Uint8Array(cipher.decrypt(Buffer.from(data, 'base64')));
      } catch (error) {
        throw new KeyError('damaged_key', { detail: error instanceof Error ? error.message : String(error) });
      }
    },
  };
}

// ───────────────────────────── the desktop keychain ─────────────────────────────

/** Bytes in, bytes out: the OS keychain as the desktop app offers it (Electron safeStorage, adapted). */
export interface Keychain {
  encrypt(plain: Buffer): Buffer;
  decrypt(sealed: Buffer): Buffer;
}

/**
 * What seals people's private keys on this machine besides their passwords.
 * The password seal is always there: anything running as the same OS user can
 * ask the keychain to open what it sealed, so the keychain may only add to it.
 */
export interface KeySealing {
  /** Wraps every new password seal; null unless the OS keychain really protects what it seals. */
  wrap: Keychain | null;
  /** Opens what this machine's keychain sealed (wrapped keys, and keys of older desktop versions); null where there is none. */
  open: Keychain | null;
}

/** The web host and the CLI: the password alone. */
export const PASSWORD_ONLY: KeySealing = { wrap: null, open: null };

/** The password seal, wrapped by the desktop keychain. */
export const KEYCHAIN_WRAPPED_KIND = `safeStorage+${PASSWORD_KIND}`;
/** Older desktop versions sealed keys by safeStorage alone; such a key is re-sealed at its owner's next sign-in. */
export const KEYCHAIN_ONLY_KIND = 'safeStorage';

/** Whether a stored key is sealed by its owner's password (alone or wrapped); false for the older keychain-only seal. */
export function isPasswordSealed(sealed: ProtectedSecret): boolean {
  return sealed.kind === PASSWORD_KIND || sealed.kind === KEYCHAIN_WRAPPED_KIND;
}

function keychainOpen(sealing: KeySealing, sealed: ProtectedSecret): Buffer {
  if (!sealing.open) throw new KeyError('keychain_unavailable');
  const data = sealed.data.sealed;
  if (typeof data !== 'string') throw new KeyError('damaged_key', { detail: 'missing fields' });
  try {
    return sealing.open.decrypt(Buffer.from(data, 'base64'));
  } catch {
    throw new KeyError('keychain_mismatch');
  }
}

function isPkcs8PrivateKey(bytes: Buffer): boolean {
  try {
    createPrivateKey({ key: bytes, format: 'der', type: 'pkcs8' });
    return true;
  } catch {
    return false;
  }
}

/**
 * A person's key protector: seals under their password, wrapped by the
 * keychain when `sealing.wrap` is set, and opens every kind a people file may
 * hold (the keychain-only kind so that it can be re-sealed under the password).
 */
export function personalKeyProtector(
  password: string,
  sealing: KeySealing,
  params: ScryptParams = DEFAULT_SCRYPT,
): KeyProtector {
  const inner = passwordProtector(password, params);
  return {
    kind: sealing.wrap ? KEYCHAIN_WRAPPED_KIND : PASSWORD_KIND,
    async protect(secret) {
      const sealed = await inner.protect(secret);
      if (!sealing.wrap) return sealed;
      const wrapped = sealing.wrap.encrypt(Buffer.from(JSON.stringify(sealed), 'utf8'));
      return { kind: KEYCHAIN_WRAPPED_KIND, data: { sealed: wrapped.toString('base64') } };
    },
    async unprotect(sealed) {
      if (sealed.kind === PASSWORD_KIND) return inner.unprotect(sealed);
      if (sealed.kind === KEYCHAIN_WRAPPED_KIND) {
        const opened = keychainOpen(sealing, sealed);
        let json: unknown;
        try {
          json = JSON.parse(opened.toString('utf8'));
        } catch {
          json = null;
        }
        // Another machine's keychain may "decrypt" to noise instead of failing.
        const parsed = ProtectedSecretSchema.safeParse(json);
        if (!parsed.success || parsed.data.kind !== PASSWORD_KIND) throw new KeyError('keychain_mismatch');
        return inner.unprotect(parsed.data);
      }
      if (sealed.kind === KEYCHAIN_ONLY_KIND) {
        const pkcs8 = keychainOpen(sealing, sealed);
        if (!isPkcs8PrivateKey(pkcs8)) throw new KeyError('keychain_mismatch');
        return new Uint8Array(pkcs8);
      }
      throw new KeyError('unknown_protector', { kind: sealed.kind });
    },
  };
}

/** The part of Electron's safeStorage key sealing uses (passed in: services never import electron). */
export interface SafeStorageKeychainLike {
  isEncryptionAvailable(): boolean;
  /** Linux only: the store behind it ('gnome_libsecret', 'kwallet5' … or 'basic_text', 'unknown'). */
  getSelectedStorageBackend?(): string;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/** Linux stores that really protect what safeStorage seals; `basic_text` is a key built into every copy of Chromium. */
const LINUX_KEYRINGS = new Set(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']);

/**
 * The desktop app's key sealing from Electron's safeStorage: the outer wrap
 * only where the OS keychain is real (macOS Keychain, Windows DPAPI, a Linux
 * keyring), never Linux's `basic_text` fallback or a backend it cannot name.
 * Without the wrap the keychain still opens keys older versions sealed with
 * it, so they can be re-sealed under their owners' passwords. `note` says
 * which it is, for the log.
 */
export function desktopKeySealing(
  safeStorage: SafeStorageKeychainLike,
  platform: string,
): { sealing: KeySealing; note: string } {
  if (!safeStorage.isEncryptionAvailable()) {
    return { sealing: PASSWORD_ONLY, note: 'safeStorage is not available: signing keys are sealed by passwords alone' };
  }
  const keychain: Keychain = {
    // Base64 text in, as older versions stored it, so their keys still open.
    encrypt: (plain) => safeStorage.encryptString(plain.toString('base64')),
    decrypt: (sealed) => Buffer.from(safeStorage.decryptString(sealed), 'base64'),
  };
  if (platform === 'linux') {
    let backend = 'unknown';
    try {
      backend = safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
    } catch {
      backend = 'unknown';
    }
    if (!LINUX_KEYRINGS.has(backend)) {
      return {
        sealing: { wrap: null, open: keychain },
        note: `safeStorage backend "${backend}" is no OS keyring: signing keys are sealed by passwords alone`,
      };
    }
    return { sealing: { wrap: keychain, open: keychain }, note: `signing keys: password seal wrapped by safeStorage (${backend})` };
  }
  return { sealing: { wrap: keychain, open: keychain }, note: 'signing keys: password seal wrapped by safeStorage' };
}

// ───────────────────────────── Ed25519 key pairs ─────────────────────────────

/** A person's key pair as stored: the public key in the clear, the private key sealed. */
export const StoredKeyPairSchema = z.object({
  keyId: z.string().min(1),
  personId: z.string().min(1),
  /** Raw 32-byte Ed25519 public key, base64. */
  publicKey: z.string().min(1),
  createdAt: z.string(),
  privateKey: ProtectedSecretSchema,
});
export type StoredKeyPair = z.infer<typeof StoredKeyPairSchema>;

/** A private key opened for signing; never stored. */
export interface UnlockedKey {
  keyId: string;
  personId: string;
  publicKey: string;
  privateKey: KeyObject;
}

// DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/** The key id people compare: first 16 bytes of SHA-256 over the raw public key, hex. */
export function keyIdOf(publicKeyBase64: string): string {
  return createHash('sha256').update(Buffer.from(publicKeyBase64, 'base64')).digest('hex').slice(0, 32);
}

function publicKeyObject(publicKeyBase64: string): KeyObject {
  const raw = Buffer.from(publicKeyBase64, 'base64');
  if (raw.length !== 32) throw new Error('an Ed25519 public key has 32 bytes');
  return createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

/** Makes a new Ed25519 key pair for a person, the private half sealed by `protector`. */
export async function createKeyPair(personId: string, protector: KeyProtector, now: string): Promise<StoredKeyPair> {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  const raw = spki.subarray(ED25519_SPKI_PREFIX.length).toString('base64');
  const pkcs8 = privateKey.export({ format: 'der', type: 'pkcs8' });
  return {
    keyId: keyIdOf(raw),
    personId,
    publicKey: raw,
    createdAt: now,
    privateKey: await protector.protect(pkcs8),
  };
}

/** Opens the private key (wrong password → KeyError('wrong_password')) and checks it belongs to the stored public key. */
export async function unlockKeyPair(stored: StoredKeyPair, protector: KeyProtector): Promise<UnlockedKey> {
  const pkcs8 = await protector.unprotect(stored.privateKey);
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: Buffer.from(pkcs8), format: 'der', type: 'pkcs8' });
  } catch (error) {
    throw new KeyError('damaged_key', { detail: error instanceof Error ? error.message : String(error) });
  }
  const derived = createPublicKey(privateKey).export({ format: 'der', type: 'spki' });
  if (derived.subarray(ED25519_SPKI_PREFIX.length).toString('base64') !== stored.publicKey) {
    throw new KeyError('damaged_key', { detail: 'private key does not match public key' });
  }
  return { keyId: stored.keyId, personId: stored.personId, publicKey: stored.publicKey, privateKey };
}

/** Re-seals a key pair: after a password change, or to move a keychain-only key under its owner's password. */
export async function reprotectKeyPair(
  stored: StoredKeyPair,
  from: KeyProtector,
  to: KeyProtector,
): Promise<StoredKeyPair> {
  const secret = await from.unprotect(stored.privateKey);
  return { ...stored, privateKey: await to.protect(secret) };
}

/** Ed25519 signature of `data`, base64. */
export function signBytes(key: UnlockedKey, data: Uint8Array | string): string {
  return sign(null, typeof data === 'string' ? Buffer.from(data, 'utf8') : data, key.privateKey).toString('base64');
}

/** Checks an Ed25519 signature; false for any malformed key or signature rather than throwing. */
export function verifyBytes(publicKeyBase64: string, data: Uint8Array | string, signatureBase64: string): boolean {
  try {
    const signature = Buffer.from(signatureBase64, 'base64');
    if (signature.length !== 64 || signature.toString('base64') !== signatureBase64) return false;
    return verify(null, typeof data === 'string' ? Buffer.from(data, 'utf8') : data, publicKeyObject(publicKeyBase64), signature);
  } catch {
    return false;
  }
}

/** Signs an approval: Ed25519 over {@link approvalStatement}, which carries the content hash. */
export function signApproval(
  key: UnlockedKey,
  articleId: string,
  approval: Omit<Approval, 'signature'>,
): ApprovalSignature {
  return { keyId: key.keyId, value: signBytes(key, approvalStatement(articleId, approval)) };
}

// ───────────────────────────── the office's trusted keys ─────────────────────────────

export const TrustedKeySchema = z.object({
  keyId: z.string().min(1),
  personId: z.string().min(1),
  name: z.string(),
  unit: z.string().default(''),
  publicKey: z.string().min(1),
  addedAt: z.string(),
});
export type TrustedKey = z.infer<typeof TrustedKeySchema>;

export const TRUSTED_KEYS_FORMAT = 'gazette/trusted-keys';
export const TrustedKeysFileSchema = z.object({
  format: z.literal(TRUSTED_KEYS_FORMAT),
  version: z.literal(1),
  keys: z.array(TrustedKeySchema),
});

/** The trusted-key entry for a person's key pair (what the admin distributes). */
export function trustedKeyFor(
  stored: Pick<StoredKeyPair, 'keyId' | 'personId' | 'publicKey'>,
  person: { name: string; unit?: string },
  now: string,
): TrustedKey {
  return {
    keyId: stored.keyId,
    personId: stored.personId,
    name: person.name,
    unit: person.unit ?? '',
    publicKey: stored.publicKey,
    addedAt: now,
  };
}

/** The file the admin exports and other machines import. */
export function exportTrustedKeys(keys: readonly TrustedKey[]): string {
  return `${JSON.stringify({ format: TRUSTED_KEYS_FORMAT, version: 1, keys }, null, 2)}\n`;
}

/** Reads a trusted-keys file; every key id must match its public key, so a list cannot alias one key to another person. */
export function parseTrustedKeys(text: string): TrustedKey[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new KeyError('bad_trusted_keys', { detail: error instanceof Error ? error.message : String(error) });
  }
  const parsed = TrustedKeysFileSchema.safeParse(json);
  if (!parsed.success) {
    throw new KeyError('bad_trusted_keys', { detail: parsed.error.issues.map((i) => i.message).join('; ') });
  }
  for (const key of parsed.data.keys) {
    let valid = false;
    try {
      valid = keyIdOf(key.publicKey) === key.keyId && publicKeyObject(key.publicKey).asymmetricKeyType === 'ed25519';
    } catch {
      valid = false;
    }
    if (!valid) throw new KeyError('bad_trusted_keys', { detail: `key ${key.keyId} of ${key.name}` });
  }
  return parsed.data.keys;
}
