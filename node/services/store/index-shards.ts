import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ARTICLE_STATUSES, type ArticleSummary, type ImportOrigin } from '../../../shared/domain/article';
import { ARTICLE_FILE, ID_PATTERN } from './article-file';
import { type FileStamp, isMissing, statOrNull } from './atomic-file';
import { packUtf16 } from './packed-text';

/**
 * The index cache (summaries + search text of every article) lives in
 * `<ws>/index/NN.idx` shards rather than one index.json: a save then rewrites
 * one ~1/64 shard instead of tens of MB, so a background flush never stalls
 * the main process. Shards are UTF-16LE because decoding 40 MB of UTF-8 Chinese
 * takes ~0.5 s while UTF-16 is a plain copy; search text is kept outside the
 * JSON (NUL-separated) so opening does not JSON-parse it either.
 */
export const INDEX_DIR = 'index';
export const SHARD_COUNT = 64;
const SHARD_FORMAT = 'gazette/index-shard';
const SHARD_VERSION = 1;
const SEPARATOR = '\u0000';
/** The separator as UTF-16LE bytes (found only at even offsets, where a code unit starts). */
const NUL_UNIT = Buffer.from([0, 0]);

/** One article as the index remembers it. */
export interface IndexRecord {
  summary: ArticleSummary;
  /** Lower-cased searchable text, without NUL characters, packed (see packed-text.ts). */
  packedText: string;
  stamp: FileStamp;
  /** The article's `importedFrom`, so a re-import is recognised without reading 10,000 article files. */
  origin: ImportOrigin | null;
  /** Content fingerprint of the article as it is now (see contentFingerprint). */
  contentSha256: string | null;
}

/** True when the article file is still exactly the one a record was made from (same size and modification time). */
export function recordIsCurrent(articlesDir: string, record: IndexRecord): boolean {
  const stat = statOrNull(join(articlesDir, record.summary.id, ARTICLE_FILE));
  return stat !== null && stat.mtimeMs === record.stamp.mtimeMs && stat.size === record.stamp.size;
}

/** Which shard holds an article (FNV-1a over the id). */
export function shardOf(id: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < id.length; i++) {
    hash ^= id.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % SHARD_COUNT;
}

/** Path of one shard file. */
export function shardPath(workspaceDir: string, shard: number): string {
  return join(workspaceDir, INDEX_DIR, `${String(shard).padStart(2, '0')}.idx`);
}

/** JSON of a record without its text, cached by the store between flushes. */
export function recordHeader(record: IndexRecord): string {
  return JSON.stringify({
    stamp: record.stamp,
    summary: record.summary,
    origin: record.origin,
    contentSha256: record.contentSha256,
  });
}

/** File content of one shard. `headers[i]` belongs to `texts[i]` (as written, not packed). */
export function encodeShard(headers: string[], texts: string[]): Buffer {
  const head = `{"format":"${SHARD_FORMAT}","version":${SHARD_VERSION},"entries":[${headers.join(',')}]}`;
  return Buffer.from(`\ufeff${[head, ...texts].join(SEPARATOR)}`, 'utf16le');
}

const STATUS_SET = new Set<string>(ARTICLE_STATUSES);
const SHA256_HEX = /^[0-9a-f]{64}$/;

function isHashOrNull(value: unknown): value is string | null {
  return value === null || (typeof value === 'string' && SHA256_HEX.test(value));
}

/** `undefined` when the record predates fingerprints or is malformed: the article is then re-read from its file. */
function toOrigin(value: unknown): ImportOrigin | null | undefined {
  if (value === null) return null;
  if (typeof value !== 'object') return undefined;
  const { name, sha256, contentSha256 } = value as Partial<ImportOrigin>;
  if (typeof name !== 'string' || typeof sha256 !== 'string' || !SHA256_HEX.test(sha256) || !isHashOrNull(contentSha256)) {
    return undefined;
  }
  return { name, sha256, contentSha256 };
}

/** Checks one record by hand: zod over 10,000 records would cost most of the open budget. */
export function toRecord(item: unknown, packedText: string): IndexRecord | null {
  if (typeof item !== 'object' || item === null) return null;
  const {
    stamp,
    summary: s,
    origin: rawOrigin,
    contentSha256,
  } = item as { stamp?: Partial<FileStamp>; summary?: Partial<ArticleSummary>; origin?: unknown; contentSha256?: unknown };
  if (!stamp || !s || typeof stamp.mtimeMs !== 'number' || typeof stamp.size !== 'number') return null;
  const origin = toOrigin(rawOrigin);
  if (origin === undefined || !isHashOrNull(contentSha256)) return null;
  const nullableString = (v: unknown) => v === null || typeof v === 'string';
  const ok =
    typeof s.id === 'string' &&
    ID_PATTERN.test(s.id) &&
    typeof s.title === 'string' &&
    Array.isArray(s.column) &&
    s.column.every((c) => typeof c === 'string') &&
    typeof s.status === 'string' &&
    STATUS_SET.has(s.status) &&
    nullableString(s.publishAt) &&
    typeof s.source === 'string' &&
    typeof s.createdAt === 'string' &&
    typeof s.updatedAt === 'string' &&
    nullableString(s.trashedAt) &&
    (s.trashedBy === undefined || nullableString(s.trashedBy)) &&
    (s.createdBy === undefined || nullableString(s.createdBy)) &&
    typeof s.charCount === 'number';
  if (!ok) return null;
  return { summary: s as ArticleSummary, packedText, stamp: { mtimeMs: stamp.mtimeMs, size: stamp.size }, origin, contentSha256 };
}

/**
 * One copy of each of the few values many records repeat (column names, 来源,
 * status, people): parsed, each record would hold its own (~10 MB at 100,000 articles).
 */
export type StringPool = Map<string, string>;

function shared(pool: StringPool, value: string): string {
  const known = pool.get(value);
  if (known !== undefined) return known;
  pool.set(value, value);
  return value;
}

function shareRepeatedValues(summary: ArticleSummary, pool: StringPool): void {
  summary.column = summary.column.map((name) => shared(pool, name));
  summary.source = shared(pool, summary.source);
  summary.status = shared(pool, summary.status) as ArticleSummary['status'];
  if (typeof summary.createdBy === 'string') summary.createdBy = shared(pool, summary.createdBy);
  if (typeof summary.trashedBy === 'string') summary.trashedBy = shared(pool, summary.trashedBy);
}

/** Records of one shard file; throws if the file is not a shard. */
export function decodeShard(data: Buffer, pool: StringPool = new Map()): IndexRecord[] {
  if (data.length < 2 || data.readUInt16LE(0) !== 0xfeff) throw new Error('not an index shard');
  // Each text is packed on its own straight from the bytes: parts split from one decoded string would each
  // keep the whole shard (its JSON head included) alive for as long as any one text is kept.
  const parts: string[] = [];
  let start = 2;
  for (let at = data.indexOf(NUL_UNIT, start); at !== -1; at = data.indexOf(NUL_UNIT, at + 1)) {
    if (at % 2 !== 0) continue;
    parts.push(parts.length === 0 ? data.toString('utf16le', start, at) : packUtf16(data, start, at));
    start = at + 2;
  }
  const end = data.length - (data.length % 2);
  parts.push(parts.length === 0 ? data.toString('utf16le', start, end) : packUtf16(data, start, end));
  const head = JSON.parse(parts[0] ?? '') as { format?: unknown; version?: unknown; entries?: unknown };
  if (head.format !== SHARD_FORMAT || head.version !== SHARD_VERSION || !Array.isArray(head.entries)) {
    throw new Error('unknown index shard format');
  }
  if (head.entries.length !== parts.length - 1) throw new Error('index shard is incomplete');
  const records: IndexRecord[] = [];
  head.entries.forEach((item: unknown, i) => {
    const record = toRecord(item, parts[i + 1] ?? '');
    if (!record) return;
    shareRepeatedValues(record.summary, pool);
    records.push(record);
  });
  return records;
}

/**
 * Every record the index holds. Unreadable shards are skipped (their articles
 * are simply re-read from their files), so the index is never trusted blindly.
 */
export async function readIndex(workspaceDir: string, log: (message: string) => void): Promise<Map<string, IndexRecord>> {
  const records = new Map<string, IndexRecord>();
  const pool: StringPool = new Map();
  // One shard at a time: decoding is synchronous anyway, and 64 shard buffers alive at once
  // (200 MB at 100,000 articles) left the process that much larger after they were freed.
  for (let shard = 0; shard < SHARD_COUNT; shard++) {
    const path = shardPath(workspaceDir, shard);
    try {
      for (const record of decodeShard(await readFile(path), pool)) {
        if (shardOf(record.summary.id) === shard) records.set(record.summary.id, record);
      }
    } catch (error) {
      if (!isMissing(error)) {
        log(`[store] index shard ${path} ignored (${error instanceof Error ? error.message : String(error)})`);
      }
    }
  }
  return records;
}
