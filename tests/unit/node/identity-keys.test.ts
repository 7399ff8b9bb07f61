import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  bufferCipherProtector,
  createKeyPair,
  DEFAULT_SCRYPT,
  exportTrustedKeys,
  hashPassword,
  KeyError,
  keyIdOf,
  parseTrustedKeys,
  passwordProtector,
  reprotectKeyPair,
  type ScryptParams,
  signApproval,
  signBytes,
  StoredKeyPairSchema,
  trustedKeyFor,
  unlockKeyPair,
  verifyBytes,
  verifyPassword,
} from '../../../node/services/identity/keys';
import { approvalStatement } from '../../../shared/workflow/review-chain';

// Cheap parameters keep the suite fast; one test below runs the real cost.
const FAST: ScryptParams = { N: 2 ** 12, r: 8, p: 1 };
const NOW = '2024-03-01T09:00:00.000Z';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gazette-keys-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('password hashing', () => {
  it('accepts the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('正确的密码 correct horse', FAST);
    expect(await verifyPassword('正确的密码 correct horse', stored)).toBe(true);
    expect(await verifyPassword('正确的密码 correct hors', stored)).toBe(false);
    expect(await verifyPassword('', stored)).toBe(false);
  });

  it('stores neither the password nor the same hash twice (random salt)', async () => {
    const a = await hashPassword('secret-密码', FAST);
    const b = await hashPassword('secret-密码', FAST);
    expect(a).not.toBe(b);
    expect(a).not.toContain('secret');
    expect(a.split('$')[0]).toBe('scrypt');
  });

  it('uses a slow default cost (N=2^15) and still verifies', async () => {
    const started = performance.now();
    const stored = await hashPassword('pw', DEFAULT_SCRYPT);
    const elapsed = performance.now() - started;
    expect(stored.split('$').slice(1, 4)).toEqual(['32768', '8', '1']);
    expect(elapsed).toBeGreaterThan(5);
    expect(await verifyPassword('pw', stored)).toBe(true);
  });

  it('reports a damaged stored hash instead of answering yes or no', async () => {
    for (const damaged of ['', 'plain-text-password', 'scrypt$abc$8$1$c2FsdA==$aGFzaA==', 'bcrypt$1$2$3$4$5']) {
      await expect(verifyPassword('pw', damaged)).rejects.toMatchObject({ code: 'bad_password_hash' });
    }
  });
});

describe('Ed25519 key pairs protected by a password', () => {
  it('signs after unlocking with the right password; the file never holds the private key in clear', async () => {
    const stored = await createKeyPair('r1', passwordProtector('审核人密码', FAST), NOW);
    const file = join(dir, 'r1.key.json');
    writeFileSync(file, JSON.stringify(stored));
    const reread = StoredKeyPairSchema.parse(JSON.parse(readFileSync(file, 'utf8')));
    expect(reread.keyId).toBe(keyIdOf(reread.publicKey));

    const key = await unlockKeyPair(reread, passwordProtector('审核人密码', FAST));
    const signature = signBytes(key, '数据');
    expect(verifyBytes(reread.publicKey, '数据', signature)).toBe(true);
    expect(verifyBytes(reread.publicKey, '数据!', signature)).toBe(false);

    const pkcs8 = key.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    expect(readFileSync(file, 'utf8')).not.toContain(pkcs8);
  });

  it('refuses a wrong password with a clear Chinese message', async () => {
    const stored = await createKeyPair('r1', passwordProtector('right', FAST), NOW);
    const attempt = unlockKeyPair(stored, passwordProtector('wrong', FAST));
    await expect(attempt).rejects.toBeInstanceOf(KeyError);
    await expect(unlockKeyPair(stored, passwordProtector('wrong', FAST))).rejects.toThrow('密码不正确');
  });

  it('notices a key file whose sealed part was altered or swapped', async () => {
    const stored = await createKeyPair('r1', passwordProtector('pw', FAST), NOW);
    const other = await createKeyPair('r2', passwordProtector('pw', FAST), NOW);
    const ciphertext = String(stored.privateKey.data.ciphertext);
    const flipped = `${ciphertext.slice(0, 4)}${ciphertext[4] === 'A' ? 'B' : 'A'}${ciphertext.slice(5)}`;
    await expect(
      unlockKeyPair({ ...stored, privateKey: { ...stored.privateKey, data: { ...stored.privateKey.data, ciphertext: flipped } } }, passwordProtector('pw', FAST)),
    ).rejects.toBeInstanceOf(KeyError);
    // r2's private key under r1's public key must not pass as r1's key.
    await expect(unlockKeyPair({ ...stored, privateKey: other.privateKey }, passwordProtector('pw', FAST))).rejects.toMatchObject({
      code: 'damaged_key',
    });
  });

  it('works with a pluggable protector such as Electron safeStorage, and can move between protectors', async () => {
    const sealedWith: Buffer[] = [];
    const fakeSafeStorage = bufferCipherProtector('electron-safe-storage', {
      encrypt: (plain) => {
        const sealed = Buffer.from(plain.map((b) => b ^ 0x5a));
        sealedWith.push(sealed);
        return sealed;
      },
      decrypt: (sealed) => Buffer.from(sealed.map((b) => b ^ 0x5a)),
    });
    const stored = await createKeyPair('r1', fakeSafeStorage, NOW);
    expect(stored.privateKey.kind).toBe('electron-safe-storage');
    expect(sealedWith).toHaveLength(1);
    const key = await unlockKeyPair(stored, fakeSafeStorage);
    expect(verifyBytes(stored.publicKey, 'x', signBytes(key, 'x'))).toBe(true);

    await expect(unlockKeyPair(stored, passwordProtector('pw', FAST))).rejects.toMatchObject({ code: 'unknown_protector' });

    const moved = await reprotectKeyPair(stored, fakeSafeStorage, passwordProtector('新密码', FAST));
    expect(moved.publicKey).toBe(stored.publicKey);
    const again = await unlockKeyPair(moved, passwordProtector('新密码', FAST));
    expect(verifyBytes(moved.publicKey, 'y', signBytes(again, 'y'))).toBe(true);
  });

  it('signs approvals over the statement holding the content hash', async () => {
    const stored = await createKeyPair('r1', passwordProtector('pw', FAST), NOW);
    const key = await unlockKeyPair(stored, passwordProtector('pw', FAST));
    const approval = { personId: 'r1', stageId: 'first', at: NOW, opinion: '同意', contentHash: 'a'.repeat(64) };
    const signature = signApproval(key, 'article-1', approval);
    expect(signature.keyId).toBe(stored.keyId);
    expect(verifyBytes(stored.publicKey, approvalStatement('article-1', approval), signature.value)).toBe(true);
    expect(
      verifyBytes(stored.publicKey, approvalStatement('article-1', { ...approval, contentHash: 'b'.repeat(64) }), signature.value),
    ).toBe(false);
  });

  it('treats malformed keys and signatures as invalid rather than crashing', () => {
    expect(verifyBytes('not-a-key', 'x', 'AAAA')).toBe(false);
    expect(verifyBytes(Buffer.alloc(32).toString('base64'), 'x', '')).toBe(false);
  });
});

describe('trusted key list', () => {
  it('round-trips through the file the admin exports', async () => {
    const a = await createKeyPair('r1', passwordProtector('pw', FAST), NOW);
    const b = await createKeyPair('r2', passwordProtector('pw', FAST), NOW);
    const list = [trustedKeyFor(a, { name: '钱初审', unit: '办公室' }, NOW), trustedKeyFor(b, { name: '孙复审' }, NOW)];
    const file = join(dir, 'trusted-keys.json');
    writeFileSync(file, exportTrustedKeys(list));
    expect(parseTrustedKeys(readFileSync(file, 'utf8'))).toEqual(list);
  });

  it('refuses a list that pairs a key id with someone else’s public key', async () => {
    const a = await createKeyPair('r1', passwordProtector('pw', FAST), NOW);
    const b = await createKeyPair('r2', passwordProtector('pw', FAST), NOW);
    const forged = [{ ...trustedKeyFor(a, { name: '钱初审' }, NOW), publicKey: b.publicKey }];
    expect(() => parseTrustedKeys(exportTrustedKeys(forged))).toThrow(KeyError);
  });

  it('gives a clear message for a file that is not a trusted key list', () => {
    expect(() => parseTrustedKeys('{"format":"gazette/trusted-keys"')).toThrow(/可信公钥列表无法读取/);
    expect(() => parseTrustedKeys('{"format":"something-else","version":1,"keys":[]}')).toThrow(KeyError);
  });
});
