import { createHash } from 'node:crypto';
import { z } from 'zod';
import { type Article, ArticleSchema, type Revision, RevisionSchema } from '../../../shared/domain/article';
import type { RecordCrypto } from '../../../shared/record/crypto';
import { parseRecordLines } from '../../../shared/record/entry';
import { type SignedPolicy, keyInvalidReason, personIn, type VerifiedPolicy, verifyPolicyChain } from '../../../shared/record/policy';
import { type ArticleVerdict, verifyArticleRecord } from '../../../shared/record/verify';
import { articleContentHash, canonicalJson, shortHash } from '../../../shared/workflow/canonical';
import { formatOfficeTime } from '../../../shared/text/office-time';
import { type ReviewMessageKey, type ReviewMessageParams, reviewMessage, statusLabel } from '../../../shared/workflow/messages';
import { type UnlockedKey, signBytes } from '../identity/keys';

/*
 * The transfer package is one UTF-8 JSON file, written with its keys in this order:
 *
 *   {"format":"gazette/package","version":2,
 *    "manifest":{createdAt, exporter{personId,name,keyId,publicKey}, articles[{id,title,contentHash}],
 *                entries[{path,kind,articleId,mediaType,size,sha256}]},
 *    "entries":{"<path>":"<base64>", …},
 *    "signature":{"keyId","value"},
 *    "end":"gazette/package-end"}
 *
 * Entry paths: office/policy/NNNNNN.json (every signed version of the office
 * policy), articles/<id>/article.json, record.jsonl (the article's signed,
 * hash-chained record), revisions/<revisionId>.json, assets/<name>. A package
 * carries no review state: the importer replays the record under the policy,
 * verified from its own office's root key, and believes nothing else. The
 * exporter's Ed25519 signature covers canonicalJson({format, version,
 * manifest}); the manifest holds the SHA-256 and size of every entry, so one
 * changed byte anywhere is caught. The fixed header and the closing "end"
 * marker tell "not a package", "future version" and "truncated" apart before
 * any parsing.
 */

export const PACKAGE_FORMAT = 'gazette/package';
export const PACKAGE_VERSION = 2;
const PACKAGE_END = 'gazette/package-end';
const HEADER = `{"format":"${PACKAGE_FORMAT}","version":`;
const TRAILER = `"end":"${PACKAGE_END}"}`;
/** File name suffix the UI and CLI should offer. */
export const PACKAGE_EXTENSION = '.gazette-package';

const ENTRY_KINDS = ['policy', 'article', 'record', 'revision', 'asset'] as const;
type EntryKind = (typeof ENTRY_KINDS)[number];
const SAFE_SEGMENT = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,128}$/;
const POLICY_PATH = /^office\/policy\/(\d{6})\.json$/;
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
  'foreign_office',
  'policy',
  'policy_diverged',
  'record',
  'stale',
  'purged',
  'asset',
  'exporter_revoked',
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
  /** The article's record.jsonl lines, as stored (verified on import, never trusted). */
  record: unknown[];
  revisions: Revision[];
  assets: PackageAsset[];
}

/** Who exports: their unlocked key signs the package; `name` is shown to the importer. */
export interface PackageExporter {
  key: UnlockedKey;
  name: string;
}

/** The office the package is built in or checked against. */
export interface PackageOffice {
  /** Root key id of this workstation's office. */
  rootKeyId: string;
  /** Every signed policy version here, oldest first. */
  policy: readonly SignedPolicy[];
  crypto: RecordCrypto;
}

function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/** The hash approvals are bound to, for an article and the asset bytes travelling with it. */
export function packagedContentHash(article: Article, assets: readonly PackageAsset[]): Promise<string> {
  return articleContentHash(
    article.meta,
    article.doc,
    assets.map((a) => ({ name: a.name, sha256: sha256(a.bytes) })),
  );
}

/** Builds the signed package file. Throws PackageError('unsafe_path') for ids or asset names unfit for a path. */
export async function buildPackage(
  articles: readonly PackageArticle[],
  policy: readonly SignedPolicy[],
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

  for (const signed of policy) {
    add('', 'policy', `office/policy/${String(signed.policy.version).padStart(6, '0')}.json`, json(signed), 'application/json');
  }
  for (const item of articles) {
    const { article } = item;
    const base = `articles/${article.id}`;
    manifest.articles.push({ id: article.id, title: article.meta.title, contentHash: await packagedContentHash(article, item.assets) });
    add(article.id, 'article', `${base}/article.json`, json(article), 'application/json');
    const lines = item.record.map((entry) => `${JSON.stringify(entry)}\n`).join('');
    add(article.id, 'record', `${base}/record.jsonl`, Buffer.from(lines, 'utf8'), 'application/jsonl');
    for (const revision of item.revisions) {
      add(article.id, 'revision', `${base}/revisions/${revision.id}.json`, json(revision), 'application/json');
    }
    for (const asset of item.assets) {
      add(article.id, 'asset', `${base}/assets/${asset.name}`, asset.bytes, asset.mediaType);
    }
  }

  const signature = { keyId: exporter.key.keyId, value: signBytes(exporter.key, signedPart(PACKAGE_VERSION, manifest)) };
  const file = { format: PACKAGE_FORMAT, version: PACKAGE_VERSION, manifest, entries, signature, end: PACKAGE_END };
  return new Uint8Array(Buffer.from(JSON.stringify(file), 'utf8'));
}

/** One article of a package whose record verified. */
export interface VerifiedPackageArticle extends PackageArticle {
  contentHash: string;
  verdict: ArticleVerdict;
}

/** What an import receives once every check passed. */
export interface VerifiedPackage {
  createdAt: string;
  exporter: { personId: string; name: string; keyId: string };
  /** The office policy: this machine's versions and any newer ones the package carried. */
  policy: VerifiedPolicy;
  /** Policy versions the package carried that this machine does not have yet (to adopt on import). */
  newPolicy: SignedPolicy[];
  articles: VerifiedPackageArticle[];
}

/** `checks` lists, in Chinese, what was verified (also on failure: what passed before the refusal). */
export type PackageVerification =
  | { ok: true; checks: string[]; package: VerifiedPackage }
  | { ok: false; checks: string[]; error: PackageError };

/**
 * Verifies a package against this workstation's office: format and version,
 * the policy chain from the office's root key, the exporter's key under that
 * policy and their signature, every entry's size and SHA-256, every article's
 * content hash (assets included) and its signed record replayed under the
 * policy. Never throws for bad input; nothing is written anywhere.
 */
export async function verifyPackage(bytes: Uint8Array, office: PackageOffice): Promise<PackageVerification> {
  const checks: string[] = [];
  try {
    const verified = await verifyOrThrow(bytes, office, checks);
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

function readPackageFile(bytes: Uint8Array): z.infer<typeof PackageFileSchema> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerBytes = Buffer.from(HEADER, 'utf8');
  if (buffer.length < headerBytes.length || !buffer.subarray(0, headerBytes.length).equals(headerBytes)) {
    throw new PackageError('not_a_package');
  }
  const versionText = /^\d{1,9}/.exec(buffer.subarray(headerBytes.length, headerBytes.length + 12).toString('latin1'));
  if (!versionText) throw new PackageError('damaged', { detail: 'version' });
  const version = Number(versionText[0]);
  if (version > PACKAGE_VERSION) throw new PackageError('future_version', { version, supported: PACKAGE_VERSION });
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
  return parsed.data;
}

async function verifyOrThrow(bytes: Uint8Array, office: PackageOffice, checks: string[]): Promise<VerifiedPackage> {
  const file = readPackageFile(bytes);
  const { manifest } = file;
  checks.push(reviewMessage('package.check.format', { version: file.version }));

  // Every entry's bytes first: nothing inside is read before it is known to be what was listed.
  const contents = new Map<string, Buffer>();
  const listed = new Set<string>();
  for (const entry of manifest.entries) {
    assertSafePath(entry.path);
    const placed = entry.kind === 'policy' ? POLICY_PATH.test(entry.path) : entry.path.startsWith(`articles/${entry.articleId}/`);
    if (!placed || listed.has(entry.path)) throw new PackageError('unsafe_path', { path: entry.path });
    listed.add(entry.path);
    const encoded = file.entries[entry.path];
    if (encoded === undefined) throw new PackageError('missing_entry', { path: entry.path });
    const data = strictBase64(encoded);
    const what = reviewMessage(`package.what.${entry.kind}`);
    if (!data || data.length !== entry.size || sha256(data) !== entry.sha256) {
      throw new PackageError('entry_digest_mismatch', { path: entry.path, what });
    }
    contents.set(entry.path, data);
  }
  for (const path of Object.keys(file.entries)) {
    if (!listed.has(path)) throw new PackageError('unexpected_entry', { path });
  }

  const { policy, newPolicy } = mergePolicy(manifest, contents, office);
  checks.push(reviewMessage('package.check.policy', { version: policy.latest.version }));

  const exporterKey = policy.latest.keys.find((k) => k.keyId === manifest.exporter.keyId && k.publicKey === manifest.exporter.publicKey);
  // A revoked key is judged below, whatever time the package claims: createdAt is the exporter's own word.
  const revoked = exporterKey?.revokedAt ? { at: exporterKey.revokedAt, reason: exporterKey.revokedReason } : null;
  if (
    !exporterKey ||
    file.signature.keyId !== exporterKey.keyId ||
    exporterKey.personId !== manifest.exporter.personId ||
    (!revoked && keyInvalidReason(policy.latest, exporterKey.keyId, manifest.createdAt) !== null)
  ) {
    throw new PackageError('unknown_exporter', { keyId: manifest.exporter.keyId });
  }
  const exporterName = personIn(policy.latest, exporterKey.personId)?.name ?? manifest.exporter.name;
  const revokedParams = revoked && { name: exporterName, revokedAt: formatOfficeTime(revoked.at), reason: revoked.reason };
  checks.push(
    revokedParams
      ? reviewMessage('package.check.exporterRevoked', revokedParams)
      : reviewMessage('package.check.exporter', { name: exporterName, keyId: exporterKey.keyId }),
  );
  if (!office.crypto.verify(exporterKey.publicKey, signedPart(file.version, manifest), file.signature.value)) {
    throw new PackageError('bad_package_signature');
  }
  checks.push(reviewMessage('package.check.signature'));
  checks.push(reviewMessage('package.check.entries', { count: manifest.entries.length }));

  const articles: VerifiedPackageArticle[] = [];
  for (const summary of manifest.articles) {
    const article = await verifyArticle(summary, manifest, contents, policy, office.crypto, checks);
    if (revokedParams) {
      // Once the key is revoked its signature vouches for nothing it could have written since: the text must be
      // what a record entry signed (each entry judged by the policy of its own time), and the unsigned history stays behind.
      if (article.verdict.last === null || article.verdict.state.contentHash !== article.contentHash) {
        throw new PackageError('exporter_revoked', { ...revokedParams, title: article.article.meta.title || article.article.id });
      }
      article.revisions = [];
    }
    articles.push(article);
  }
  return {
    createdAt: manifest.createdAt,
    exporter: { personId: manifest.exporter.personId, name: exporterName, keyId: manifest.exporter.keyId },
    policy,
    newPolicy,
    articles,
  };
}

/**
 * The office policy to judge the package by: this machine's chain, extended by
 * any newer versions the package carries when they verify on top of it from
 * this office's root key. Versions both have must be the very same documents.
 */
function mergePolicy(
  manifest: Manifest,
  contents: Map<string, Buffer>,
  office: PackageOffice,
): { policy: VerifiedPolicy; newPolicy: SignedPolicy[] } {
  const carried: unknown[] = [];
  for (const entry of manifest.entries) {
    if (entry.kind !== 'policy') continue;
    const match = POLICY_PATH.exec(entry.path);
    if (!match || Number(match[1]) !== carried.length + 1) throw new PackageError('bad_entry', { path: entry.path, detail: 'version' });
    try {
      carried.push(JSON.parse(contents.get(entry.path)!.toString('utf8')));
    } catch (error) {
      throw new PackageError('bad_entry', { path: entry.path, detail: error instanceof Error ? error.message : String(error) });
    }
  }
  const first = carried[0] as { signature?: { keyId?: unknown } } | undefined;
  if (first?.signature?.keyId !== office.rootKeyId) throw new PackageError('foreign_office');
  const local = office.policy;
  const shared = Math.min(local.length, carried.length);
  for (let index = 0; index < shared; index++) {
    if (canonicalJson(local[index]) !== canonicalJson(carried[index])) {
      throw new PackageError('policy_diverged', { version: index + 1 });
    }
  }
  const newPolicy = carried.slice(local.length) as SignedPolicy[];
  const result = verifyPolicyChain([...local, ...newPolicy], office.rootKeyId, office.crypto);
  if (!result.verified || result.problems.length > 0) {
    throw new PackageError('policy', { detail: result.problems.map((p) => p.message).join('；') });
  }
  return { policy: result.verified, newPolicy };
}

async function verifyArticle(
  summary: Manifest['articles'][number],
  manifest: Manifest,
  contents: Map<string, Buffer>,
  policy: VerifiedPolicy,
  crypto: RecordCrypto,
  checks: string[],
): Promise<VerifiedPackageArticle> {
  const base = `articles/${summary.id}`;
  const parse = (path: string): unknown => {
    const data = contents.get(path);
    if (!data) throw new PackageError('missing_entry', { path });
    try {
      return JSON.parse(data.toString('utf8'));
    } catch (error) {
      throw new PackageError('bad_entry', { path, detail: error instanceof Error ? error.message : String(error) });
    }
  };
  const read = <T>(path: string, schema: z.ZodType<T>): T => {
    const result = schema.safeParse(parse(path));
    if (!result.success) throw new PackageError('bad_entry', { path, detail: result.error.issues[0]?.message ?? '' });
    return result.data;
  };

  const article = read(`${base}/article.json`, ArticleSchema);
  if (article.id !== summary.id) throw new PackageError('bad_entry', { path: `${base}/article.json`, detail: 'id' });
  const title = article.meta.title || article.id;
  const revisions: Revision[] = [];
  const assets: PackageAsset[] = [];
  for (const entry of manifest.entries) {
    if (entry.articleId !== summary.id) continue;
    if (entry.kind === 'revision') revisions.push(read(entry.path, RevisionSchema));
    if (entry.kind === 'asset') {
      assets.push({ name: entry.path.slice(`${base}/assets/`.length), bytes: new Uint8Array(contents.get(entry.path)!), mediaType: entry.mediaType });
    }
  }
  const hash = await packagedContentHash(article, assets);
  if (hash !== summary.contentHash) throw new PackageError('content_hash_mismatch', { title });
  checks.push(reviewMessage('package.check.article', { title, hash: shortHash(hash), assets: assets.length }));

  const recordPath = `${base}/record.jsonl`;
  const recordData = contents.get(recordPath);
  if (!recordData) throw new PackageError('missing_entry', { path: recordPath });
  const record = parseRecordLines(recordData.toString('utf8'));
  const verdict = verifyArticleRecord({ articleId: article.id, entries: record, policy, currentHash: hash, crypto });
  if (verdict.problems.length > 0) {
    throw new PackageError('record', { title, detail: verdict.problems.map((p) => p.message).join('；') });
  }
  checks.push(reviewMessage('package.check.record', { title, count: record.length, status: statusLabel(verdict.state.status) }));
  const stageName = (stageId: string) => verdict.state.chain?.stages.find((s) => s.id === stageId)?.name ?? stageId;
  for (const approval of verdict.state.approvals) {
    if (approval.contentHash !== hash) continue;
    const name = personIn(policy.latest, approval.personId)?.name ?? approval.personId;
    checks.push(reviewMessage('package.check.approval', { title, stage: stageName(approval.stageId), name }));
  }
  return { article, record, revisions, assets, contentHash: hash, verdict };
}

function signedPart(version: number, manifest: Manifest): string {
  return canonicalJson({ format: PACKAGE_FORMAT, version, manifest });
}

function assertSafePath(path: string): void {
  if (POLICY_PATH.test(path)) return;
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
