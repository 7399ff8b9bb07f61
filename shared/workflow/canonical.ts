import type { ArticleMeta } from '../domain/article';
import type { Doc } from '../domain/doc';

/**
 * Approvals are bound to a SHA-256 of this serialisation, so it must never
 * change for equal content: a reviewer on another machine, another OS or a
 * later version of the app must arrive at the same bytes. Bump the tag if the
 * rules below ever change, so old hashes are recognisably old.
 */
export const CANONICAL_CONTENT_TAG = 'gazette/content/v1';

/** Why a value cannot be hashed (cycles, functions, NaN…) — never silently skipped. */
export class CanonicalFormError extends Error {
  constructor(detail: string) {
    super(`cannot serialise canonically: ${detail}`);
    this.name = 'CanonicalFormError';
  }
}

/**
 * Deterministic JSON: object keys sorted by code unit, no whitespace, strings
 * (keys too) NFC-normalised, `undefined` properties dropped as JSON.stringify
 * does, -0 written as 0. Non-JSON values throw rather than hash to something
 * that a different machine would serialise differently.
 */
export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  write(value, parts, new Set());
  return parts.join('');
}

function write(value: unknown, out: string[], ancestors: Set<object>): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'string':
      out.push(JSON.stringify(value.normalize('NFC')));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalFormError(`non-finite number ${value}`);
      out.push(Object.is(value, -0) ? '0' : JSON.stringify(value));
      return;
    case 'object':
      break;
    default:
      throw new CanonicalFormError(`unsupported ${typeof value}`);
  }
  const obj = value as object;
  if (ancestors.has(obj)) throw new CanonicalFormError('cycle');
  ancestors.add(obj);
  if (Array.isArray(obj)) {
    out.push('[');
    obj.forEach((item: unknown, i) => {
      if (i > 0) out.push(',');
      // JSON.stringify writes holes and undefined array items as null; so do we.
      write(item === undefined ? null : item, out, ancestors);
    });
    out.push(']');
  } else {
    const proto = Object.getPrototypeOf(obj);
    if (proto !== Object.prototype && proto !== null) {
      throw new CanonicalFormError(`unsupported object ${proto?.constructor?.name ?? 'unknown'}`);
    }
    const entries = Object.entries(obj as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k.normalize('NFC'), v] as const)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    out.push('{');
    entries.forEach(([k, v], i) => {
      if (i > 0) out.push(',');
      out.push(JSON.stringify(k), ':');
      write(v, out, ancestors);
    });
    out.push('}');
  }
  ancestors.delete(obj);
}

/** The exact text whose hash an approval signs: content and metadata only, no ids, timestamps or status. */
export function canonicalContent(meta: ArticleMeta, doc: Doc): string {
  return canonicalJson({ tag: CANONICAL_CONTENT_TAG, meta, doc });
}

/** Everything that goes live with an article, so everything an approval covers. */
export const CANONICAL_ARTICLE_TAG = 'gazette/content/v2';

/** A stored asset and the SHA-256 of its bytes. */
export interface AssetDigest {
  name: string;
  sha256: string;
}

/**
 * The exact text an approval is bound to since assets count: metadata,
 * document and the SHA-256 of every asset in the article's folder, listed by
 * name — so an image swapped after approval, or a file added beside the text,
 * changes the hash like a changed word does.
 */
export function canonicalArticle(meta: ArticleMeta, doc: Doc, assets: readonly AssetDigest[]): string {
  const listed = [...assets].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)).map((a) => [a.name, a.sha256]);
  return canonicalJson({ tag: CANONICAL_ARTICLE_TAG, meta, doc, assets: listed });
}

/** Hex SHA-256 of {@link canonicalArticle}. */
export function articleContentHash(meta: ArticleMeta, doc: Doc, assets: readonly AssetDigest[]): Promise<string> {
  return sha256Hex(canonicalArticle(meta, doc, assets));
}

/** Lower-case hex SHA-256 via WebCrypto (works in Node 20 and in the renderer). */
export async function sha256Hex(data: string | Uint8Array): Promise<string> {
  const bytes = typeof data === 'string' ? new TextEncoder().encode(data) : data;
  const digest = await globalThis.crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return bytesToHex(new Uint8Array(digest));
}

/** Hex SHA-256 of the canonical content and metadata: what approvals are bound to. */
export function contentHash(meta: ArticleMeta, doc: Doc): Promise<string> {
  return sha256Hex(canonicalContent(meta, doc));
}

/** Lower-case hex of bytes. */
export function bytesToHex(bytes: Uint8Array): string {
  let hex = '';
  for (const b of bytes) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/** A short form for people to compare on screen and on the printed sign-off sheet. */
export function shortHash(hash: string): string {
  return hash.slice(0, 12);
}
