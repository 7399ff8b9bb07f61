import { createHash } from 'node:crypto';
import { StoreError } from './store-error';

/** Largest asset accepted (a scanned attachment can be big; anything larger is a mistake). */
export const MAX_ASSET_BYTES = 50 * 1024 * 1024;

/**
 * Extensions accepted as article assets, with the MIME type they are served
 * with. SVG is left out on purpose: it can carry scripts into the preview.
 */
export const ASSET_TYPES: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  bmp: 'image/bmp',
  pdf: 'application/pdf',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ppt: 'application/vnd.ms-powerpoint',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  wps: 'application/vnd.ms-works',
  et: 'application/vnd.ms-excel',
  dps: 'application/vnd.ms-powerpoint',
  ofd: 'application/ofd',
  txt: 'text/plain',
  csv: 'text/csv',
  zip: 'application/zip',
  rar: 'application/vnd.rar',
  '7z': 'application/x-7z-compressed',
};

const startsWith =
  (...bytes: number[]) =>
  (d: Uint8Array): boolean =>
    bytes.every((b, i) => d[i] === b);
const ZIP = startsWith(0x50, 0x4b, 0x03, 0x04);
const OLE = startsWith(0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1);
// Plain text has no NUL byte; anything binary posing as .txt/.csv does.
const TEXT = (d: Uint8Array): boolean => !d.includes(0);

/**
 * What the bytes of each allowed type begin with. Every asset, whatever path
 * it arrives by (paste, drop, import, a package, a sync), is checked against
 * this table: a file is what its bytes say, not what its name says.
 */
const FILE_SIGNATURES: Readonly<Record<string, (data: Uint8Array) => boolean>> = {
  png: startsWith(0x89, 0x50, 0x4e, 0x47),
  jpg: startsWith(0xff, 0xd8),
  jpeg: startsWith(0xff, 0xd8),
  gif: startsWith(0x47, 0x49, 0x46),
  webp: (d) => startsWith(0x52, 0x49, 0x46, 0x46)(d) && d[8] === 0x57,
  bmp: startsWith(0x42, 0x4d),
  pdf: startsWith(0x25, 0x50, 0x44, 0x46, 0x2d),
  doc: OLE,
  xls: OLE,
  ppt: OLE,
  wps: OLE,
  et: OLE,
  dps: OLE,
  docx: ZIP,
  xlsx: ZIP,
  pptx: ZIP,
  ofd: ZIP,
  zip: ZIP,
  rar: startsWith(0x52, 0x61, 0x72, 0x21, 0x1a, 0x07),
  '7z': startsWith(0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c),
  txt: TEXT,
  csv: TEXT,
};

const IMAGE_EXTENSIONS = new Set(['png', 'jpg', 'jpeg', 'gif', 'webp', 'bmp']);

function extensionOf(fileName: string): string {
  const dot = fileName.lastIndexOf('.');
  return dot > 0 ? fileName.slice(dot + 1).toLowerCase() : '';
}

function assertContent(fileName: string, ext: string, data: Uint8Array): void {
  if (data.byteLength > MAX_ASSET_BYTES) {
    throw new StoreError('invalid_request', `${fileName} is larger than 50 MB`);
  }
  if (!FILE_SIGNATURES[ext]!(data)) {
    const kind = IMAGE_EXTENSIONS.has(ext) ? 'image' : 'file';
    throw new StoreError('unsupported_file', `${fileName} is not a valid .${ext} ${kind}`);
  }
}

/** Stored asset names: content hash + allowed extension, nothing else. */
export const STORED_ASSET_NAME = /^[a-f0-9]{20}\.[a-z0-9]{1,5}$/;

/** MIME type for a stored asset name (octet-stream when unknown). */
export function mimeForAsset(fileName: string): string {
  const ext = fileName.slice(fileName.lastIndexOf('.') + 1).toLowerCase();
  return ASSET_TYPES[ext] ?? 'application/octet-stream';
}

/**
 * Checks an incoming asset and returns the name to store it under. The user's
 * file name only contributes its extension, so no name can reach outside the
 * assets folder.
 */
export function storedAssetName(fileName: string, data: Uint8Array): string {
  if (/[/\\\0]/.test(fileName) || fileName.includes('..') || fileName.trim() === '') {
    throw new StoreError('invalid_request', `unsafe file name: ${fileName}`);
  }
  const ext = extensionOf(fileName);
  if (!Object.hasOwn(ASSET_TYPES, ext)) {
    throw new StoreError('unsupported_file', `file type not allowed as an attachment: ${fileName}`);
  }
  assertContent(fileName, ext, data);
  return `${contentName(data)}.${ext}`;
}

function contentName(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex').slice(0, 20);
}

/**
 * Checks an asset that arrives already named (a package, a sync): the name
 * must be a stored name, its type allowed, its bytes of that type, and the
 * name's hash the hash of those bytes — so an HTML or SVG file, or an image
 * swapped under an approved name, is refused rather than written.
 */
export function assertStoredAsset(name: string, data: Uint8Array): void {
  const ext = extensionOf(name);
  if (!STORED_ASSET_NAME.test(name) || !Object.hasOwn(ASSET_TYPES, ext)) {
    throw new StoreError('unsupported_file', `file type not allowed as an attachment: ${name}`);
  }
  assertContent(name, ext, data);
  if (!name.startsWith(`${contentName(data)}.`)) {
    throw new StoreError('unsupported_file', `${name} does not hold the content its name was given for`);
  }
}
