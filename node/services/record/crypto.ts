import { createHash, createPublicKey, type KeyObject, verify } from 'node:crypto';
import type { RecordCrypto } from '../../../shared/record/crypto';
import { keyIdOf } from '../identity/keys';

// DER prefix of an Ed25519 SubjectPublicKeyInfo; the raw 32-byte key follows.
const ED25519_SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

/**
 * Parsed public keys by their base64 text. Building a KeyObject costs more
 * than the signature check itself, and an office has few keys, each used for
 * many entries: verifying a workspace would otherwise spend most of its time here.
 */
const publicKeys = new Map<string, KeyObject | null>();

function publicKeyOf(publicKeyBase64: string): KeyObject | null {
  let key = publicKeys.get(publicKeyBase64);
  if (key === undefined) {
    const raw = Buffer.from(publicKeyBase64, 'base64');
    try {
      key =
        raw.length === 32 && raw.toString('base64') === publicKeyBase64
          ? createPublicKey({ key: Buffer.concat([ED25519_SPKI_PREFIX, raw]), format: 'der', type: 'spki' })
          : null;
    } catch {
      key = null;
    }
    publicKeys.set(publicKeyBase64, key);
  }
  return key;
}

/** The record's cryptography on Node: SHA-256 and Ed25519 from node:crypto. */
export const nodeRecordCrypto: RecordCrypto = {
  sha256Hex: (text) => createHash('sha256').update(text, 'utf8').digest('hex'),
  verify: (publicKeyBase64, message, signatureBase64) => {
    const key = publicKeyOf(publicKeyBase64);
    const signature = Buffer.from(signatureBase64, 'base64');
    // Only the one canonical base64 spelling of a 64-byte signature counts.
    if (!key || signature.length !== 64 || signature.toString('base64') !== signatureBase64) return false;
    try {
      return verify(null, Buffer.from(message, 'utf8'), key, signature);
    } catch {
      return false;
    }
  },
  keyIdOf,
};
