import { createHash } from 'node:crypto';
import type { RecordCrypto } from '../../../shared/record/crypto';
import { keyIdOf, verifyBytes } from '../identity/keys';

/** The record's cryptography on Node: SHA-256 and Ed25519 from node:crypto. */
export const nodeRecordCrypto: RecordCrypto = {
  sha256Hex: (text) => createHash('sha256').update(text, 'utf8').digest('hex'),
  verify: (publicKey, message, signature) => verifyBytes(publicKey, message, signature),
  keyIdOf,
};
