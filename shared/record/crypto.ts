/**
 * What the record's verifier needs from cryptography, supplied by the caller:
 * Node's `crypto` in the services and the CLI. Kept as an interface so the
 * rules of the record stay pure and synchronous (a verdict over 50 events must
 * take milliseconds, and await per event would dominate that).
 */
export interface RecordCrypto {
  /** Lower-case hex SHA-256 of the UTF-8 text. */
  sha256Hex(text: string): string;
  /** Ed25519 signature check; the public key is the raw 32 bytes in base64, the signature base64. */
  verify(publicKeyBase64: string, message: string, signatureBase64: string): boolean;
  /** The key id derived from a public key, so a key cannot be listed under an id that is not its own. */
  keyIdOf(publicKeyBase64: string): string;
}

/** A signature as it is stored: which key made it and the base64 value. */
export interface SignatureRef {
  keyId: string;
  value: string;
}
