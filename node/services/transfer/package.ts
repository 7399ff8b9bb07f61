import { createHash } from 'node:crypto';
import { z } from 'zod';
import { type Article, ArticleSchema, type Revision, RevisionSchema } from '../../../shared/domain/article';
import { canonicalJson, contentHash, shortHash } from '../../../shared/workflow/canonical';
import { type ReviewMessageKey, type ReviewMessageParams, reviewMessage } from '../../../shared/workflow/messages';
import {
  type Approval,
  approvalStatement,
  type ReviewEvent,
  ReviewEventSchema,
  type ReviewState,
  ReviewStateSchema,
} from '../../../shared/workflow/review-chain';
import { type TrustedKey, type UnlockedKey, signBytes, verifyBytes } from '../identity/keys';

/*
 * The transfer package is one UTF-8 JSON file, written with its keys in this order:
 *
 *   {"format":"gazette/package","version":1,
 *    "manifest":{createdAt, exporter{personId,name,keyId,publicKey}, articles[{id,title,contentHash}],
 *                entries[{path,kind,articleId,mediaType,size,sha256}]},
 *    "entries":{"<path>":"<base64>", …},
 *    "signature":{"keyId","value"},
 *    "end":"gazette/package-end"}
 *
 * Entry paths: articles/<id>/article.json, review.json, events.json,
 * revisions/<revisionId>.json, assets/<name>. The exporter's Ed25519 signature
 * covers canonicalJson({format, version, manifest}); the manifest holds the
 * SHA-256 and size of every entry, so one changed byte anywhere is caught.
 * Every approval inside review.json carries its own Ed25519 signature over
 * approvalStatement() (which includes the content hash), checked against the
 * office's trusted keys independently of who exported the package. The fixed
 * header and the closing "end" marker tell "not a package", "future version"
 * and "truncated" apart before any parsing.
 */

export const PACKAGE_FORMAT = 'gazette/package';
export const PACKAGE_VERSION = 1;
const PACKAGE_END = 'gazette/package-end';
const HEADER = `{"format":"${PACKAGE_FORMAT}","version":`;
const TRAILER = `"end":"${PACKAGE_END}"}`;
/** File name suffix the UI and CLI should offer. */
export const PACKAGE_EXTENSION = '.gazette-package';

const ENTRY_KINDS = ['article', 'review', 'events', 'revision', 'asset'] as const;
type EntryKind = (typeof ENTRY_KINDS)[number];
const SAFE_SEGMENT = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,128}$/;
const HEX64 = /^[0-9a-f]{64}$/;

const ManifestEntrySchema = z.strictObject({
  path: z.string(),
  kind: z.enum(ENTRY_KINDS),
  articleId: z.string(),
  mediaType: z.string(),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(HEX64),
});
const ManifestSchema = z.strictObject({
  createdAt: z.string(),
  exporter: z.strictObject({ personId: z.string(), name: z.string(), keyId: z.string(), publicKey: z.string() }),
  articles: z.array(z.strictObject({ id: z.string(), title: z.string(), contentHash: z.string().regex(HEX64) })),
  entries: z.array(ManifestEntrySchema),
});
type Manifest = z.infer<typeof ManifestSchema>;
const PackageFileSchema = z.strictObject({
  format: z.literal(PACKAGE_FORMAT),
  version: z.literal(PACKAGE_VERSION),
  manifest: ManifestSchema,
  entries: z.record(z.string(), z.string()),
  signature: z.strictObject({ keyId: z.string(), value: z.string() }),
  end: z.literal(PACKAGE_END),
});

export const PACKAGE_ERROR_CODES = [
  'not_a_package',
  'truncated',
  'damaged',
  'future_version',
  'old_version',
  'malformed',
  'unsafe_path',
  'unknown_exporter',
  'bad_package_signature',
  'missing_entry',
  'unexpected_entry',
  'entry_digest_mismatch',
  'bad_entry',
  'content_hash_mismatch',
  'unknown_approver_key',
  'approver_mismatch',
  'bad_approval_signature',
  'approval_hash_mismatch',
] as const;
export type PackageErrorCode = (typeof PACKAGE_ERROR_CODES)[number];

/** A refused package, with a ready Chinese message; `code` + `params` allow translation (`package.error.<code>`). */
export class PackageError extends Error {
  readonly code: PackageErrorCode;
  readonly params: ReviewMessageParams;

  constructor(code: PackageErrorCode, params: ReviewMessageParams = {}) {
    super(reviewMessage(`package.error.${code}` as ReviewMessageKey, params));
    this.name = 'PackageError';
    this.code = code;
    this.params = params;
  }
}

/** An asset file of an article (image, attachment). */
export interface PackageAsset {
  name: string;
  bytes: Uint8Array;
  mediaType: string;
}

/** Everything exported for one article. */
export interface PackageArticle {
  article: Article;
  review: ReviewState | null;
  events: ReviewEvent[];
  revisions: Revision[];
  assets: PackageAsset[];
}

/** Who exports: their unlocked key signs the package; `name` is shown to the importer. */
export interface PackageExporter {
  key: UnlockedKey;
  name: string;
}

/** Builds the signed package file. Throws PackageError('unsafe_path') for ids or asset names unfit for a path. */
export async function buildPackage(
  articles: readonly PackageArticle[],
  exporter: PackageExporter,
  now: string,
): Promise<Uint8Array> {
  const entries: Record<string, string> = {};
  const manifest: Manifest = {
    createdAt: now,
    exporter: {
      personId: exporter.key.personId,
      name: exporter.name,
      keyId: exporter.key.keyId,
      publicKey: exporter.key.publicKey,
    },
    articles: [],
    entries: [],
  };
  const add = (articleId: string, kind: EntryKind, path: string, bytes: Uint8Array, mediaType: string) => {
    assertSafePath(path);
    if (Object.hasOwn(entries, path)) throw new PackageError('unsafe_path', { path });
    entries[path] = Buffer.from(bytes).toString('base64');
    manifest.entries.push({ path, kind, articleId, mediaType, size: bytes.length, sha256: sha256(bytes) });
  };
  const json = (value: unknown) => Buffer.from(JSON.stringify(value), 'utf8');

  for (const item of articles) {
    const { article } = item;
    const base = `articles/${article.id}`;
    manifest.articles.push({
      id: article.id,
      title: article.meta.title,
      contentHash: await contentHash(article.meta, article.doc),
    });
    add(article.id, 'article', `${base}/article.json`, json(article), 'application/json');
    if (item.review) add(article.id, 'review', `${base}/review.json`, json(item.review), 'application/json');
    add(article.id, 'events', `${base}/events.json`, json(item.events), 'application/json');
    for (const revision of item.revisions) {
      add(article.id, 'revision', `${base}/revisions/${revision.id}.json`, json(revision), 'application/json');
    }
    for (const asset of item.assets) {
      add(article.id, 'asset', `${base}/assets/${asset.name}`, asset.bytes, asset.mediaType);
    }
  }

  const signature = {
    keyId: exporter.key.keyId,
    value: signBytes(exporter.key, signedPart(PACKAGE_VERSION, manifest)),
  };
  const file = {
    format: PACKAGE_FORMAT,
    version: PACKAGE_VERSION,
    manifest,
    entries,
    signature,
    end: PACKAGE_END,
  };
  return new Uint8Array(Buffer.from(JSON.stringify(file), 'utf8'));
}

/** What an import receives once every check passed. */
export interface VerifiedPackage {
  createdAt: string;
  exporter: { personId: string; name: string; keyId: string };
  articles: (PackageArticle & { contentHash: string })[];
}

/** `checks` lists, in Chinese, what was verified (also on failure: what passed before the refusal). */
export type PackageVerification =
  | { ok: true; checks: string[]; package: VerifiedPackage }
  | { ok: false; checks: string[]; error: PackageError };

/**
 * Verifies a package against the office's trusted keys: format and version,
 * the exporter's key and signature, every entry's size and SHA-256, every
 * article's content hash, and every approval's signer, signature and hash.
 * Never throws for bad input; nothing is written anywhere.
 */
export async function verifyPackage(bytes: Uint8Array, trustedKeys: readonly TrustedKey[]): Promise<PackageVerification> {
  const checks: string[] = [];
  try {
    const verified = await verifyOrThrow(bytes, trustedKeys, checks);
    return { ok: true, checks, package: verified };
  } catch (error) {
    if (error instanceof PackageError) return { ok: false, checks, error };
    return {
      ok: false,
      checks,
      error: new PackageError('damaged', { detail: error instanceof Error ? error.message : String(error) }),
    };
  }
}

async function verifyOrThrow(bytes: Uint8Array, trustedKeys: readonly TrustedKey[], checks: string[]): Promise<VerifiedPackage> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerBytes = Buffer.from(HEADER, 'utf8');
  if (buffer.length < headerBytes.length || !buffer.subarray(0, headerBytes.length).equals(headerBytes)) {
    throw new PackageError('not_a_package');
  }
  const versionText = /^\d{1,9}/.exec(buffer.subarray(headerBytes.length, headerBytes.length + 12).toString('latin1'));
  if (!versionText) throw new PackageError('damaged', { detail: 'version' });
  const version = Number(versionText[0]);
  if (version > PACKAGE_VERSION) {
    throw new PackageError('future_version', { version, supported: PACKAGE_VERSION });
  }
  if (version < PACKAGE_VERSION) throw new PackageError('old_version', { version });
  if (!buffer.toString('latin1').trimEnd().endsWith(TRAILER)) throw new PackageError('truncated');

  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(buffer);
  } catch {
    throw new PackageError('damaged', { detail: 'not valid UTF-8' });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PackageError('damaged', { detail: error instanceof Error ? error.message : String(error) });
  }
  const parsed = PackageFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PackageError('malformed', { detail: `${issue?.path.join('.') ?? ''} ${issue?.message ?? ''}`.trim() });
  }
  const file = parsed.data;
  const { manifest } = file;
  checks.push(reviewMessage('package.check.format', { version: file.version }));

  const exporterKey = trustedKeys.find(
    (k) => k.keyId === manifest.exporter.keyId && k.publicKey === manifest.exporter.publicKey,
  );
  if (!exporterKey || file.signature.keyId !== exporterKey.keyId || exporterKey.personId !== manifest.exporter.personId) {
    throw new PackageError('unknown_exporter', { keyId: manifest.exporter.keyId });
  }
  checks.push(reviewMessage('package.check.exporter', { name: exporterKey.name, keyId: exporterKey.keyId }));
  if (!verifyBytes(exporterKey.publicKey, signedPart(file.version, manifest), file.signature.value)) {
    throw new PackageError('bad_package_signature');
  }
  checks.push(reviewMessage('package.check.signature'));

  const contents = new Map<string, Buffer>();
  const listed = new Set<string>();
  for (const entry of manifest.entries) {
    assertSafePath(entry.path);
    if (listed.has(entry.path)) throw new PackageError('unsafe_path', { path: entry.path });
    listed.add(entry.path);
    const encoded = file.entries[entry.path];
    if (encoded === undefined) throw new PackageError('missing_entry', { path: entry.path });
    const data = strictBase64(encoded);
    const what = reviewMessage(`package.what.${entry.kind}`);
    if (!data) throw new PackageError('entry_digest_mismatch', { path: entry.path, what });
    if (data.length !== entry.size || sha256(data) !== entry.sha256) {
      throw new PackageError('entry_digest_mismatch', { path: entry.path, what });
    }
    contents.set(entry.path, data);
  }
  for (const path of Object.keys(file.entries)) {
    if (!listed.has(path)) throw new PackageError('unexpected_entry', { path });
  }
  checks.push(reviewMessage('package.check.entries', { count: manifest.entries.length }));

  const articles: VerifiedPackage['articles'] = [];
  for (const summary of manifest.articles) {
    articles.push(await verifyArticle(summary, manifest, contents, trustedKeys, checks));
  }
  return {
    createdAt: manifest.createdAt,
    exporter: { personId: manifest.exporter.personId, name: manifest.exporter.name, keyId: manifest.exporter.keyId },
    articles,
  };
}

async function verifyArticle(
  summary: Manifest['articles'][number],
  manifest: Manifest,
  contents: Map<string, Buffer>,
  trustedKeys: readonly TrustedKey[],
  checks: string[],
): Promise<PackageArticle & { contentHash: string }> {
  const base = `articles/${summary.id}`;
  const read = <T>(path: string, schema: z.ZodType<T>): T => {
    const data = contents.get(path);
    if (!data) throw new PackageError('missing_entry', { path });
    let value: unknown;
    try {
      value = JSON.parse(data.toString('utf8'));
    } catch (error) {
      throw new PackageError('bad_entry', { path, detail: error instanceof Error ? error.message : String(error) });
    }
    const result = schema.safeParse(value);
    if (!result.success) {
      throw new PackageError('bad_entry', { path, detail: result.error.issues[0]?.message ?? '' });
    }
    return result.data;
  };

  const article = read(`${base}/article.json`, ArticleSchema);
  if (article.id !== summary.id) throw new PackageError('bad_entry', { path: `${base}/article.json`, detail: 'id' });
  const title = article.meta.title || article.id;
  const hash = await contentHash(article.meta, article.doc);
  if (hash !== summary.contentHash) throw new PackageError('content_hash_mismatch', { title });
  checks.push(reviewMessage('package.check.article', { title, hash: shortHash(hash) }));

  const review = contents.has(`${base}/review.json`) ? read(`${base}/review.json`, ReviewStateSchema) : null;
  if (review && review.articleId !== article.id) {
    throw new PackageError('bad_entry', { path: `${base}/review.json`, detail: 'articleId' });
  }
  const events = read(`${base}/events.json`, z.array(ReviewEventSchema));
  const revisions: Revision[] = [];
  const assets: PackageAsset[] = [];
  for (const entry of manifest.entries) {
    if (entry.articleId !== summary.id) continue;
    if (entry.kind === 'revision') revisions.push(read(entry.path, RevisionSchema));
    if (entry.kind === 'asset') {
      assets.push({
        name: entry.path.slice(`${base}/assets/`.length),
        bytes: new Uint8Array(contents.get(entry.path)!),
        mediaType: entry.mediaType,
      });
    }
  }

  if (review) {
    const stageName = (stageId: string) => review.chain?.stages.find((s) => s.id === stageId)?.name ?? stageId;
    const checkSignature = (approval: Approval): TrustedKey => {
      const params = { title, stage: stageName(approval.stageId), personId: approval.personId };
      const signature = approval.signature;
      if (!signature) throw new PackageError('bad_approval_signature', params);
      const key = trustedKeys.find((k) => k.keyId === signature.keyId);
      if (!key) throw new PackageError('unknown_approver_key', { ...params, keyId: signature.keyId });
      if (key.personId !== approval.personId) throw new PackageError('approver_mismatch', params);
      if (!verifyBytes(key.publicKey, approvalStatement(article.id, approval), signature.value)) {
        throw new PackageError('bad_approval_signature', params);
      }
      return key;
    };
    for (const approval of review.approvals) {
      const key = checkSignature(approval);
      if (approval.contentHash !== hash) {
        throw new PackageError('approval_hash_mismatch', { title, stage: stageName(approval.stageId) });
      }
      checks.push(
        reviewMessage('package.check.approval', {
          title,
          stage: stageName(approval.stageId),
          personId: approval.personId,
          keyId: key.keyId,
        }),
      );
    }
    // Superseded approvals are history, but a forged history is still a forgery.
    for (const approval of review.invalidatedApprovals) checkSignature(approval);
  }
  return { article, review, events, revisions, assets, contentHash: hash };
}

function signedPart(version: number, manifest: Manifest): string {
  return canonicalJson({ format: PACKAGE_FORMAT, version, manifest });
}

function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

function assertSafePath(path: string): void {
  const segments = path.split('/');
  if (segments.length < 3 || segments[0] !== 'articles' || !segments.every((s) => SAFE_SEGMENT.test(s))) {
    throw new PackageError('unsafe_path', { path });
  }
}

/** Node's base64 decoder skips characters it does not know; a package must not. */
function strictBase64(text: string): Buffer | null {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return null;
  const data = Buffer.from(text, 'base64');
  return data.toString('base64') === text ? data : null;
}
