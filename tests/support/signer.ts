import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { nodeRecordCrypto as crypto } from '../../node/services/record/crypto';
import type { Person } from '../../shared/workflow/review-chain';

/** A person with a fresh Ed25519 key pair, for tests and benchmarks that sign records and policies. */
const SPKI_PREFIX_LENGTH = 12;

export interface Signer {
  person: Person;
  keyId: string;
  publicKey: string;
  privateKey: KeyObject;
}

export function newSigner(person: Person): Signer {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = publicKey.export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX_LENGTH).toString('base64');
  return { person, keyId: crypto.keyIdOf(raw), publicKey: raw, privateKey };
}

export const signText = (signer: Signer, text: string) => sign(null, Buffer.from(text, 'utf8'), signer.privateKey).toString('base64');
