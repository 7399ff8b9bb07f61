import { createHash, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import type { OfficePolicy } from '../../../shared/record/policy';

/*
 * SSH signatures (OpenSSH's PROTOCOL.sshsig), the format git writes into a
 * commit's `gpgsig` header when `gpg.format=ssh`. People's keys are the same
 * Ed25519 keys that sign the review record, so a commit is signed in JavaScript
 * and stock `git verify-commit` (with an allowed-signers file made from the
 * office policy) accepts it: the office's IT can check the history with the
 * tools they know, without Gazette.
 */

const MAGIC = Buffer.from('SSHSIG');
const SIG_VERSION = 1;
const KEY_TYPE = 'ssh-ed25519';
const BEGIN = '-----BEGIN SSH SIGNATURE-----';
const END = '-----END SSH SIGNATURE-----';
/** The namespace git signs commits in. */
export const GIT_NAMESPACE = 'git';
// DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

function sshString(bytes: Uint8Array | string): Buffer {
  const body = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : Buffer.from(bytes);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  return Buffer.concat([length, body]);
}

/** Reads SSH wire-format fields one after another; every read is bounds-checked. */
class WireReader {
  #offset = 0;
  constructor(readonly bytes: Buffer) {}

  take(length: number): Buffer {
    if (length < 0 || this.#offset + length > this.bytes.length) throw new Error('truncated');
    const out = this.bytes.subarray(this.#offset, this.#offset + length);
    this.#offset += length;
    return out;
  }

  uint32(): number {
    return this.take(4).readUInt32BE(0);
  }

  string(): Buffer {
    return this.take(this.uint32());
  }

  get done(): boolean {
    return this.#offset === this.bytes.length;
  }
}

/** The SSH wire encoding of an Ed25519 public key (raw 32 bytes, base64). */
function publicKeyBlob(publicKeyBase64: string): Buffer {
  return Buffer.concat([sshString(KEY_TYPE), sshString(Buffer.from(publicKeyBase64, 'base64'))]);
}

/** `ssh-ed25519 AAAA…`: the key as OpenSSH writes it (authorized_keys, allowed signers). */
export function sshPublicKeyLine(publicKeyBase64: string): string {
  return `${KEY_TYPE} ${publicKeyBlob(publicKeyBase64).toString('base64')}`;
}

function signedData(namespace: string, hashAlgorithm: 'sha512' | 'sha256', message: Uint8Array): Buffer {
  const digest = createHash(hashAlgorithm).update(message).digest();
  return Buffer.concat([MAGIC, sshString(namespace), sshString(''), sshString(hashAlgorithm), sshString(digest)]);
}

/** Whatever can make an Ed25519 signature over bytes: a node:crypto private key, or a wrapper around one. */
export type Ed25519Sign = (data: Uint8Array) => Uint8Array;

/** Signs with a node:crypto Ed25519 private key. */
export function ed25519Signer(privateKey: KeyObject): Ed25519Sign {
  return (data) => sign(null, data, privateKey);
}

/**
 * The armored SSH signature of `message` by the key whose raw public half is
 * `publicKeyBase64`, as `ssh-keygen -Y sign -n <namespace>` would write it
 * (SHA-512, base64 wrapped at 70 columns).
 */
export function sshSign(message: Uint8Array, publicKeyBase64: string, signBytes: Ed25519Sign, namespace = GIT_NAMESPACE): string {
  const signature = signBytes(signedData(namespace, 'sha512', message));
  const blob = Buffer.concat([
    MAGIC,
    Buffer.from([0, 0, 0, SIG_VERSION]),
    sshString(publicKeyBlob(publicKeyBase64)),
    sshString(namespace),
    sshString(''),
    sshString('sha512'),
    sshString(Buffer.concat([sshString(KEY_TYPE), sshString(signature)])),
  ]);
  const base64 = blob.toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < base64.length; i += 70) lines.push(base64.slice(i, i + 70));
  return `${BEGIN}\n${lines.join('\n')}\n${END}\n`;
}

export interface ParsedSshSignature {
  /** Raw 32-byte Ed25519 public key, base64 (the form the office policy lists). */
  publicKey: string;
  namespace: string;
  hashAlgorithm: 'sha512' | 'sha256';
  signature: Buffer;
}

/** Parses an armored SSH signature; null for anything that is not an Ed25519 sshsig we can check. */
export function parseSshSignature(armored: string): ParsedSshSignature | null {
  const text = armored.trim();
  if (!text.startsWith(BEGIN) || !text.endsWith(END)) return null;
  const body = text.slice(BEGIN.length, text.length - END.length).replace(/\s+/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(body)) return null;
  try {
    const reader = new WireReader(Buffer.from(body, 'base64'));
    if (!reader.take(6).equals(MAGIC) || reader.uint32() !== SIG_VERSION) return null;
    const key = new WireReader(reader.string());
    if (key.string().toString('latin1') !== KEY_TYPE) return null;
    const publicKey = key.string();
    const namespace = reader.string().toString('utf8');
    reader.string(); // reserved
    const hashAlgorithm = reader.string().toString('latin1');
    const sig = new WireReader(reader.string());
    if (sig.string().toString('latin1') !== KEY_TYPE) return null;
    const signature = Buffer.from(sig.string());
    if (!reader.done || !key.done || !sig.done || publicKey.length !== 32 || signature.length !== 64) return null;
    if (hashAlgorithm !== 'sha512' && hashAlgorithm !== 'sha256') return null;
    return { publicKey: publicKey.toString('base64'), namespace, hashAlgorithm, signature };
  } catch {
    return null;
  }
}

/**
 * Checks an armored SSH signature over `message` in `namespace`. Returns the
 * signing key (raw base64) when the signature is good, null otherwise; which
 * key may sign is the caller's question (the office policy answers it).
 */
export function verifySshSignature(armored: string, message: Uint8Array, namespace = GIT_NAMESPACE): string | null {
  const parsed = parseSshSignature(armored);
  if (!parsed || parsed.namespace !== namespace) return null;
  try {
    const key = createPublicKey({
      key: Buffer.concat([ED25519_SPKI_PREFIX, Buffer.from(parsed.publicKey, 'base64')]),
      format: 'der',
      type: 'spki',
    });
    return verify(null, signedData(namespace, parsed.hashAlgorithm, message), key, parsed.signature) ? parsed.publicKey : null;
  } catch {
    return null;
  }
}

/** ISO-8601 UTC (as the policy stores times) → OpenSSH's `YYYYMMDDHHMMSSZ`. */
function sshTime(iso: string): string {
  return `${iso.slice(0, 19).replace(/[-T:]/g, '')}Z`;
}

/** The committer address Gazette writes for a person; the hook reads the person back from it. */
export function committerEmail(personId: string): string {
  return `${personId}@gazette.invalid`;
}

/** The person a committer address names, or null when it is not one Gazette writes. */
export function personOfEmail(email: string): string | null {
  const match = /^([A-Za-z0-9_-]{1,64})@gazette\.invalid$/.exec(email);
  return match?.[1] ?? null;
}

/**
 * An allowed-signers file (`gpg.ssh.allowedSignersFile`) for `git verify-commit`
 * and `git log --show-signature`, made from the office policy: every key the
 * policy has ever listed, valid from its `validFrom`, and — once revoked — valid
 * before its `revokedAt`. Revoked keys are never left out: git checks a
 * signature at the commit's time, so a revoked person's earlier commits keep
 * verifying while anything they sign afterwards does not.
 */
export function allowedSigners(policy: Pick<OfficePolicy, 'keys' | 'people'>): string {
  const lines = ['# Gazette: signing keys of the office policy (generated; edits are overwritten)'];
  for (const key of policy.keys) {
    const person = policy.people.find((p) => p.id === key.personId);
    const options = [`namespaces="${GIT_NAMESPACE}"`, `valid-after="${sshTime(key.validFrom)}"`];
    if (key.revokedAt !== null) options.push(`valid-before="${sshTime(key.revokedAt)}"`);
    // A name may hold any character; comments are whole lines, so a newline in it could forge an entry.
    lines.push(`# ${(person?.name ?? key.personId).replace(/[\r\n]/g, ' ')} · key ${key.keyId}${key.revokedAt ? ` · revoked ${key.revokedAt}` : ''}`);
    lines.push(`${committerEmail(key.personId)} ${options.join(',')} ${sshPublicKeyLine(key.publicKey)}`);
  }
  return `${lines.join('\n')}\n`;
}
