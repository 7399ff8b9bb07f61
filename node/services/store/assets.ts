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

const IMAGE_SIGNATURES: Readonly<Record<string, (data: Uint8Array) => boolean>> = {
  png: (d) => d[0] === 0x89 && d[1] === 0x50 && d[2] === 0x4e && d[3] === 0x47,
  jpg: (d) => d[0] === 0xff && d[1] === 0xd8,
  jpeg: (d) => d[0] === 0xff && d[1] === 0xd8,
  gif: (d) => d[0] === 0x47 && d[1] === 0x49 && d[2] === 0x46,
  webp: (d) => d[0] === 0x52 && d[1] === 0x49 && d[2] === 0x46 && d[3] === 0x46 && d[8] === 0x57,
  bmp: (d) => d[0] === 0x42 && d[1] === 0x4d,
};

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
  const dot = fileName.lastIndexOf('.');
  const ext = dot > 0 ? fileName.slice(dot + 1).toLowerCase() : '';
  if (!Object.hasOwn(ASSET_TYPES, ext)) {
    throw new StoreError('unsupported_file', `file type not allowed as an attachment: ${fileName}`);
  }
  if (data.byteLength > MAX_ASSET_BYTES) {
    throw new StoreError('invalid_request', `${fileName} is larger than 50 MB`);
  }
  const looksRight = IMAGE_SIGNATURES[ext];
  if (looksRight && !looksRight(data)) {
    throw new StoreError('unsupported_file', `${fileName} is not a valid .${ext} image`);
  }
  const hash = createHash('sha256').update(data).digest('hex').slice(0, 20);
  return `${hash}.${ext}`;
}
