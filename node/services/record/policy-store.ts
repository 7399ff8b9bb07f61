import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { RecordCrypto, SignatureRef } from '../../../shared/record/crypto';
import {
  type OfficePolicy,
  OfficePolicySchema,
  POLICY_FORMAT,
  type PolicyChainResult,
  policySigningText,
  type SignedPolicy,
  type VerifiedPolicy,
  verifyPolicyChain,
} from '../../../shared/record/policy';
import { RecordError, recordProblem } from '../../../shared/record/problems';
import { fsyncDirectory, isMissing, TEMP_MARKER } from '../store/atomic-file';
import { KeyedQueue } from '../store/keyed-queue';

/*
 * The office policy on disk: `office/root.json` names the root key, and
 * `office/policy/NNNNNN.json` holds each signed version. Versions are created
 * exclusively (never overwritten), so two writers cannot both make version N,
 * and a sync or a package only ever adds files. Everything read is verified
 * before use; what is cached is only what verified, keyed by the files' names
 * and sizes so an edit on disk is seen.
 */

const ROOT_FORMAT = 'gazette/office-root/v1';
const RootSchema = z.object({ format: z.literal(ROOT_FORMAT), rootKeyId: z.string().min(1), createdAt: z.string() });

/** Signs as an administrator: who, with which key, and the signature of a text. */
export interface PolicySigner {
  personId: string;
  keyId: string;
  sign(text: string): string;
}

export class OfficePolicyStore {
  readonly #dir: string;
  readonly #crypto: RecordCrypto;
  readonly #writes = new KeyedQueue();
  #cache: { stamp: string; result: PolicyChainResult } | null = null;

  constructor(workspaceDir: string, crypto: RecordCrypto) {
    this.#dir = join(workspaceDir, 'office');
    this.#crypto = crypto;
  }

  get #versionsDir(): string {
    return join(this.#dir, 'policy');
  }

  async #rootKeyId(): Promise<string | null> {
    try {
      const raw = JSON.parse(await readFile(join(this.#dir, 'root.json'), 'utf8'));
      return RootSchema.parse(raw).rootKeyId;
    } catch (error) {
      if (isMissing(error)) return null;
      throw new RecordError([recordProblem('policy_unreadable', { version: 0, detail: 'office/root.json' })]);
    }
  }

  async #versionFiles(): Promise<string[]> {
    try {
      return (await readdir(this.#versionsDir)).filter((name) => /^\d{6}\.json$/.test(name)).sort();
    } catch (error) {
      if (isMissing(error)) return [];
      throw error;
    }
  }

  /** Whether this workspace has an office at all (a new workspace has not). */
  async exists(): Promise<boolean> {
    return (await this.#rootKeyId()) !== null;
  }

  /** Reads and verifies the whole chain. */
  async load(): Promise<PolicyChainResult> {
    const root = await this.#rootKeyId();
    const files = await this.#versionFiles();
    const texts = await Promise.all(files.map((name) => readFile(join(this.#versionsDir, name), 'utf8')));
    const stamp = `${root}|${files.join(',')}|${texts.map((t) => this.#crypto.sha256Hex(t)).join(',')}`;
    if (this.#cache?.stamp === stamp) return this.#cache.result;
    if (root === null) return { verified: null, problems: [recordProblem('policy_missing')] };
    const parsed: unknown[] = texts.map((text, index) => {
      try {
        return JSON.parse(text);
      } catch {
        return { unreadable: files[index] };
      }
    });
    // A file named for version N must hold version N: a renamed file is a gap.
    parsed.forEach((value, index) => {
      const version = (value as { policy?: { version?: unknown } })?.policy?.version;
      if (version !== Number(files[index]!.slice(0, 6))) parsed[index] = { misnamed: files[index] };
    });
    const result = verifyPolicyChain(parsed, root, this.#crypto);
    this.#cache = { stamp, result };
    return result;
  }

  /**
   * The versions that verified at the last {@link load} (any reading of the
   * policy is one), without touching the disk: for answers that must be
   * synchronous. Null before the first reading or when not even version 1 verified.
   */
  lastVerified(): VerifiedPolicy | null {
    return this.#cache?.result.verified ?? null;
  }

  /** The verified policy; throws {@link RecordError} naming what failed when the chain does not verify to its end. */
  async current(): Promise<VerifiedPolicy> {
    const result = await this.load();
    if (!result.verified || result.problems.length) throw new RecordError(result.problems);
    return result.verified;
  }

  /** Creates the office: version 1, signed by the first administrator, whose key becomes the root. */
  async create(draft: Omit<OfficePolicy, 'format' | 'version' | 'previous'>, signer: PolicySigner): Promise<VerifiedPolicy> {
    return this.#writes.run('policy', async () => {
      if (await this.exists()) throw new Error('office already exists');
      const policy = OfficePolicySchema.parse({ ...draft, format: POLICY_FORMAT, version: 1, previous: null });
      await mkdir(this.#versionsDir, { recursive: true });
      await this.#writeExclusive(join(this.#versionsDir, fileName(1)), signedJson(policy, signer));
      await this.#writeExclusive(
        join(this.#dir, 'root.json'),
        JSON.stringify({ format: ROOT_FORMAT, rootKeyId: signer.keyId, createdAt: draft.issuedAt }, null, 2),
      );
      return this.current();
    });
  }

  /**
   * A new version: `change` edits a copy of the latest, and the result, signed
   * by `signer`, is written only if the chain with it still verifies (the
   * signer must be an administrator of the latest version): a refused version
   * is never left on disk to break the chain for everyone.
   */
  async amend(change: (policy: OfficePolicy) => OfficePolicy, signer: PolicySigner, issuedAt: string, note: string): Promise<VerifiedPolicy> {
    return this.#writes.run('policy', async () => {
      const current = await this.current();
      const stored = await this.signedVersions();
      const next = OfficePolicySchema.parse({
        ...change(structuredClone(current.latest)),
        format: POLICY_FORMAT,
        version: current.latest.version + 1,
        previous: current.head,
        issuedAt,
        issuedBy: signer.personId,
        note,
      });
      const text = signedJson(next, signer);
      const candidate = verifyPolicyChain([...stored, JSON.parse(text)], (await this.#rootKeyId())!, this.#crypto);
      if (candidate.problems.length) throw new RecordError(candidate.problems);
      await this.#writeExclusive(join(this.#versionsDir, fileName(next.version)), text);
      return this.current();
    });
  }

  /**
   * Writes newer versions received from elsewhere (a package, a sync), after
   * the whole chain with them verified from this office's root key.
   */
  async adopt(versions: readonly SignedPolicy[]): Promise<VerifiedPolicy> {
    return this.#writes.run('policy', async () => {
      const stored = await this.signedVersions();
      const root = await this.#rootKeyId();
      if (root === null) throw new RecordError([recordProblem('policy_missing')]);
      const fresh = versions.filter((v) => v.policy.version > stored.length);
      const candidate = verifyPolicyChain([...stored, ...fresh], root, this.#crypto);
      if (candidate.problems.length) throw new RecordError(candidate.problems);
      for (const version of fresh) {
        await this.#writeExclusive(join(this.#versionsDir, fileName(version.policy.version)), `${JSON.stringify(version, null, 2)}\n`);
      }
      return this.current();
    });
  }

  /** The signed versions as stored, for packages and sync. */
  async signedVersions(): Promise<SignedPolicy[]> {
    const files = await this.#versionFiles();
    return Promise.all(files.map(async (name) => JSON.parse(await readFile(join(this.#versionsDir, name), 'utf8'))));
  }

  async rootKeyId(): Promise<string | null> {
    return this.#rootKeyId();
  }

  /**
   * Whole or not at all, and never over an existing file: the text is written
   * and synced under a temporary name, then hard-linked to its name (which
   * fails if another writer made that version first).
   */
  async #writeExclusive(file: string, text: string): Promise<void> {
    const temp = `${file}${TEMP_MARKER}${randomBytes(6).toString('hex')}`;
    const handle = await open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await link(temp, file);
    } finally {
      await unlink(temp).catch(() => {});
    }
    await fsyncDirectory(dirname(file));
  }
}

function fileName(version: number): string {
  return `${String(version).padStart(6, '0')}.json`;
}

function signedJson(policy: OfficePolicy, signer: PolicySigner): string {
  const signature: SignatureRef = { keyId: signer.keyId, value: signer.sign(policySigningText(policy)) };
  return `${JSON.stringify({ policy, signature }, null, 2)}\n`;
}
