import { open, readFile, stat, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecordCrypto } from '../../../shared/record/crypto';
import { entrySigningText, nextEntry, parseRecordLines, type RecordEntry, type SignedEvent, signedEntry } from '../../../shared/record/entry';
import type { VerifiedPolicy } from '../../../shared/record/policy';
import { RecordError } from '../../../shared/record/problems';
import { type ArticleVerdict, verifyArticleRecord } from '../../../shared/record/verify';
import { isMissing } from '../store/atomic-file';
import { KeyedQueue } from '../store/keyed-queue';

/*
 * Each article's record on disk: `record.jsonl` in its folder, one signed
 * entry per line, only ever appended. Every read is verified; the verdict is
 * cached against the file's size and time, the content hash and the policy's
 * head, so a byte changed on disk, new content or a new policy version is
 * always verified afresh.
 */

export const RECORD_FILE = 'record.jsonl';

/** Who signs an entry: the person's id, their key id and a way to sign text with it. */
export interface EntrySigner {
  personId: string;
  keyId: string;
  sign(text: string): string;
}

export interface ArticleRecordStoreOptions {
  folderOf(articleId: string): string;
  crypto: RecordCrypto;
  log?: (message: string) => void;
}

export class ArticleRecordStore {
  readonly #folderOf: (articleId: string) => string;
  readonly #crypto: RecordCrypto;
  readonly #log: (message: string) => void;
  readonly #appends = new KeyedQueue();
  readonly #cache = new Map<string, { key: string; verdict: ArticleVerdict }>();

  constructor(options: ArticleRecordStoreOptions) {
    this.#folderOf = options.folderOf;
    this.#crypto = options.crypto;
    this.#log = options.log ?? (() => {});
  }

  #file(articleId: string): string {
    return join(this.#folderOf(articleId), RECORD_FILE);
  }

  /** The entries as stored, each line parsed as JSON (an unparseable line stays in place for the verifier to name). */
  async entries(articleId: string): Promise<unknown[]> {
    return parseRecordLines(wholeLines(await this.#text(articleId)));
  }

  async #text(articleId: string): Promise<string> {
    try {
      return await readFile(this.#file(articleId), 'utf8');
    } catch (error) {
      if (isMissing(error)) return '';
      throw error;
    }
  }

  /** Whether the article has any record (a new draft has none). */
  async exists(articleId: string): Promise<boolean> {
    return (await this.#text(articleId)).length > 0;
  }

  /** Verifies the article's record under `policy` against the content as it is now. */
  async verdict(articleId: string, policy: VerifiedPolicy, currentHash: string | null): Promise<ArticleVerdict> {
    const info = await stat(this.#file(articleId)).catch((error: unknown) => {
      if (isMissing(error)) return null;
      throw error;
    });
    const key = `${info?.size ?? 0}|${info?.mtimeMs ?? 0}|${info?.ctimeMs ?? 0}|${currentHash}|${policy.head}`;
    const cached = this.#cache.get(articleId);
    if (cached?.key === key) return cached.verdict;
    const verdict = verifyArticleRecord({
      articleId,
      entries: await this.entries(articleId),
      policy,
      currentHash,
      crypto: this.#crypto,
    });
    this.#cache.set(articleId, { key, verdict });
    return verdict;
  }

  /**
   * Signs `event` as the next entry and appends it. Refuses (RecordError) when
   * the record as it stands does not verify: nothing is ever added on top of a
   * broken or forged record.
   */
  async append(articleId: string, policy: VerifiedPolicy, event: SignedEvent, signer: EntrySigner): Promise<RecordEntry> {
    return this.#appends.run(articleId, async () => {
      const entries = parseRecordLines(await this.#dropTornTail(articleId));
      const verdict = verifyArticleRecord({ articleId, entries, policy, currentHash: null, crypto: this.#crypto });
      if (!verdict.intact) throw new RecordError(verdict.problems);
      const unsigned = nextEntry(articleId, verdict.last, policy.latest.version, event, this.#crypto);
      const entry = signedEntry(unsigned, { keyId: signer.keyId, value: signer.sign(entrySigningText(unsigned)) });
      // The new entry must verify on top of the record as every other machine
      // will replay it: a key the policy does not (yet) list, or a role it does
      // not give, is refused here rather than written to break the record.
      const withEntry = verifyArticleRecord({ articleId, entries: [...entries, entry], policy, currentHash: null, crypto: this.#crypto });
      if (!withEntry.intact) throw new RecordError(withEntry.problems);
      const handle = await open(this.#file(articleId), 'a', 0o600);
      try {
        await handle.write(`${JSON.stringify(entry)}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      this.#cache.delete(articleId);
      return entry;
    });
  }

  /**
   * Appends entries that were signed elsewhere (a package, a sync), only if the
   * record as it is now, with them on top, still verifies: an act appended here
   * in between (a comment while a package was being imported) makes them refused
   * rather than leaving the record broken for good.
   */
  async adopt(articleId: string, policy: VerifiedPolicy, entries: readonly RecordEntry[]): Promise<void> {
    await this.#appends.run(articleId, async () => {
      if (entries.length === 0) return;
      const current = parseRecordLines(await this.#dropTornTail(articleId));
      const verdict = verifyArticleRecord({ articleId, entries: [...current, ...entries], policy, currentHash: null, crypto: this.#crypto });
      if (!verdict.intact) throw new RecordError(verdict.problems);
      const handle = await open(this.#file(articleId), 'a', 0o600);
      try {
        await handle.write(entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
        await handle.sync();
      } finally {
        await handle.close();
      }
      this.#cache.delete(articleId);
    });
  }

  /**
   * A line without its newline is a write the process did not finish (killed
   * mid-append): it was never acknowledged, so it is cut off rather than left to
   * break the record forever. Returns the whole lines that remain.
   */
  async #dropTornTail(articleId: string): Promise<string> {
    const text = await this.#text(articleId);
    const whole = wholeLines(text);
    if (whole.length !== text.length) {
      this.#log(`[record] ${articleId}: an unfinished last entry was cut off`);
      await truncate(this.#file(articleId), Buffer.byteLength(whole, 'utf8'));
    }
    return whole;
  }
}

/** The text up to its last newline: a torn last line (no newline) was never acknowledged. */
function wholeLines(text: string): string {
  return text.slice(0, text.lastIndexOf('\n') + 1);
}
