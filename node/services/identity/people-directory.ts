import { join } from 'node:path';
import { z } from 'zod';
import { ApiError } from '../../../shared/api/errors';
import {
  defaultReviewChain,
  PersonSchema,
  type ReviewChain,
  ReviewChainSchema,
} from '../../../shared/workflow/review-chain';
import { readJsonFile, StoredFileError, writeFileAtomic } from '../store/atomic-file';
import { exportTrustedKeys, parseTrustedKeys, StoredKeyPairSchema, type TrustedKey } from './keys';

/*
 * The office's directory on this workstation, one file each:
 *   people.json         people, scrypt password hashes, Ed25519 key pairs (private halves sealed)
 *   review-chain.json   the review chain the admin defined (default 初审 → 复审 → 终审)
 *   trusted-keys.json   public keys whose signatures packages may carry
 * All written atomically with a .bak of the previous version. A damaged file
 * is never overwritten: every call that needs it fails with a clear message.
 */

export const PEOPLE_FILE = 'people.json';
export const CHAIN_FILE = 'review-chain.json';
export const TRUSTED_KEYS_FILE = 'trusted-keys.json';

const PersonRecordSchema = z.object({
  person: PersonSchema,
  passwordHash: z.string().min(1),
  key: StoredKeyPairSchema.nullable(),
  /**
   * The person's signature (with their own key) over the office's root key id,
   * made the first time they signed in to this office here. A root swapped in
   * office/root.json, with a whole policy chain re-signed under it, cannot
   * carry this signature: their next sign-in or publication here stops.
   */
  rootAnchor: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
/** A person as stored: profile, password hash, key pair. */
export type PersonRecord = z.infer<typeof PersonRecordSchema>;

const PeopleFileSchema = z.object({
  format: z.literal('gazette/people'),
  version: z.literal(1),
  people: z.array(PersonRecordSchema),
});
const ChainFileSchema = z.object({
  format: z.literal('gazette/review-chain'),
  version: z.literal(1),
  chain: ReviewChainSchema,
});

function validator<T>(schema: z.ZodType<T>) {
  return (raw: unknown, file: string): T => {
    const parsed = schema.safeParse(raw);
    if (!parsed.success) {
      throw new StoredFileError('damaged', file, parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    }
    return parsed.data;
  };
}

const TrustedFileValidator = (raw: unknown, file: string): TrustedKey[] => {
  try {
    return parseTrustedKeys(JSON.stringify(raw));
  } catch (error) {
    throw new StoredFileError('damaged', file, error instanceof Error ? error.message : String(error));
  }
};

/**
 * Who works in the office, as this workstation knows it: the people with
 * their passwords and keys, the review chain they sit in, and the public keys
 * whose signatures are trusted here.
 */
export class PeopleDirectory {
  readonly dir: string;
  #people: PersonRecord[] = [];
  #chain: ReviewChain = defaultReviewChain();
  /** Whether an administrator saved a chain on this desktop (else the chain is the default, and a joined desktop takes the office policy's). */
  #ownChain = false;
  #trusted: TrustedKey[] = [];
  /** Files that could not be read; the services refuse to touch what depends on them. */
  readonly #damaged = new Map<string, string>();

  private constructor(dir: string) {
    this.dir = dir;
  }

  /** Reads the three files; a missing file is an empty (or default) one. */
  static async open(dir: string): Promise<PeopleDirectory> {
    const directory = new PeopleDirectory(dir);
    directory.#people = (await directory.#read(PEOPLE_FILE, validator(PeopleFileSchema)))?.people ?? [];
    const chainFile = await directory.#read(CHAIN_FILE, validator(ChainFileSchema));
    directory.#chain = chainFile?.chain ?? defaultReviewChain();
    directory.#ownChain = chainFile !== null;
    directory.#trusted = (await directory.#read(TRUSTED_KEYS_FILE, TrustedFileValidator)) ?? [];
    return directory;
  }

  /** Reads people.json again after another writer replaced it (joining an office server brings the person's record). */
  async reloadPeople(): Promise<void> {
    this.#damaged.delete(PEOPLE_FILE);
    this.#people = (await this.#read(PEOPLE_FILE, validator(PeopleFileSchema)))?.people ?? [];
  }

  async #read<T>(name: string, validate: (raw: unknown, file: string) => T): Promise<T | null> {
    try {
      return await readJsonFile(join(this.dir, name), validate);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      this.#damaged.set(name, detail);
      return null;
    }
  }

  /** Throws a clear `damaged_file` error when `name` could not be read at startup. */
  assertReadable(name: string): void {
    const detail = this.#damaged.get(name);
    if (detail !== undefined) {
      throw new ApiError(
        'damaged_file',
        `工作区文件 ${name} 已损坏，无法读取（${detail}）。为避免丢失数据，程序不会覆盖它；请从 ${name}.bak 恢复或联系管理员。`,
      );
    }
  }

  // ---- people ----

  /** Every stored person (active or not). */
  people(): readonly PersonRecord[] {
    this.assertReadable(PEOPLE_FILE);
    return this.#people;
  }

  /** True while nobody has been set up (and people.json is not merely unreadable). */
  needsSetup(): boolean {
    return !this.#damaged.has(PEOPLE_FILE) && this.#people.length === 0;
  }

  /** The record of `id`, or undefined. */
  record(id: string): PersonRecord | undefined {
    return this.people().find((r) => r.person.id === id);
  }

  /** The person with this id or (unique) name. */
  findByIdOrName(key: string): PersonRecord | undefined {
    const people = this.people();
    return people.find((r) => r.person.id === key) ?? people.find((r) => r.person.name === key);
  }

  /** Replaces or adds a record and writes people.json. */
  async putPerson(record: PersonRecord): Promise<void> {
    this.assertReadable(PEOPLE_FILE);
    const next = this.#people.filter((r) => r.person.id !== record.person.id);
    next.push(record);
    await writeFileAtomic(
      join(this.dir, PEOPLE_FILE),
      `${JSON.stringify({ format: 'gazette/people', version: 1, people: next }, null, 2)}\n`,
      { backup: true },
    );
    this.#people = next;
  }

  // ---- chain ----

  /** The office's review chain. */
  chain(): ReviewChain {
    this.assertReadable(CHAIN_FILE);
    return this.#chain;
  }

  /** Whether this desktop has a chain of its own (saved here), rather than the default. */
  hasOwnChain(): boolean {
    return this.#ownChain;
  }

  /** Stores a new chain; articles already in review keep the chain they were submitted under. */
  async saveChain(chain: ReviewChain): Promise<ReviewChain> {
    this.assertReadable(CHAIN_FILE);
    await writeFileAtomic(
      join(this.dir, CHAIN_FILE),
      `${JSON.stringify({ format: 'gazette/review-chain', version: 1, chain }, null, 2)}\n`,
      { backup: true },
    );
    this.#chain = chain;
    this.#ownChain = true;
    return chain;
  }

  // ---- trusted keys ----

  /** Public keys whose signatures this workstation accepts. */
  trustedKeys(): readonly TrustedKey[] {
    this.assertReadable(TRUSTED_KEYS_FILE);
    return this.#trusted;
  }

  /** Adds keys not yet present (by key id); returns how many were new. */
  async addTrustedKeys(keys: readonly TrustedKey[]): Promise<number> {
    this.assertReadable(TRUSTED_KEYS_FILE);
    const known = new Set(this.#trusted.map((k) => k.keyId));
    const added = keys.filter((k) => {
      if (known.has(k.keyId)) return false;
      known.add(k.keyId);
      return true;
    });
    if (added.length === 0) return 0;
    const next = [...this.#trusted, ...added];
    await writeFileAtomic(join(this.dir, TRUSTED_KEYS_FILE), exportTrustedKeys(next), { backup: true });
    this.#trusted = next;
    return added.length;
  }
}
