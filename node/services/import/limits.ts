import { inflateRawSync } from 'node:zlib';
import { type MessageKey, translate } from '../../../shared/i18n';

/**
 * What an imported file may ask of the machine. A Word file is a zip of XML:
 * 100 KB of it can unpack to gigabytes or to a million paragraphs, and the
 * converter holds every element in memory several times over. So the zip's
 * directory and the XML are measured here, with bounded work, before any
 * converter sees the file; what gets through still runs in a worker thread
 * with a time and a memory limit (import-thread.ts).
 */
export const IMPORT_LIMITS = {
  /** A Word file beyond this is almost always scans; the converter would hold it several times over. */
  fileBytes: 100 * 1024 * 1024,
  /** A text or HTML file beyond this is not one article. */
  textBytes: 32 * 1024 * 1024,
  /** Everything in the zip, unpacked (images count: they are held in memory too). */
  unpackedBytes: 256 * 1024 * 1024,
  /** One XML part, unpacked (a 500-page report's document.xml is a few MB). */
  xmlBytes: 48 * 1024 * 1024,
  /** Parts in the zip (a Word file has a few dozen, plus one per image). */
  entries: 5_000,
  /** Unpacked over packed size of one part; real Word XML packs 5–30 to 1. */
  ratio: 100,
  /** Parts smaller than this may pack as tightly as they like: they cannot hurt. */
  ratioFloorBytes: 1024 * 1024,
  /** Paragraphs in the body, notes, headers and footers together (a 500-page report has ~20,000). */
  paragraphs: 50_000,
  /** XML elements in those parts together. */
  elements: 1_000_000,
  /** How long one import may run in its thread. */
  timeMs: 60_000,
  /** The import thread's JavaScript heap. */
  heapMb: 1024,
} as const;

/** Which limit a file went past; each names its own message (`importLimit.<kind>`). */
export type ImportLimitKind =
  | 'fileBytes'
  | 'textBytes'
  | 'unpackedBytes'
  | 'xmlBytes'
  | 'entries'
  | 'ratio'
  | 'paragraphs'
  | 'elements'
  | 'timeMs'
  | 'heapMb'
  | 'understated'
  | 'zip64';

/**
 * A file refused because it would cost more than an import may: the service's
 * own error, mapped to the API's `too_large` in api-errors.ts. `detail` is the
 * Chinese message naming the file and the limit; `params` lets a window say it
 * in English.
 */
export class ImportLimitError extends Error {
  readonly kind: ImportLimitKind;
  readonly detail: string;
  readonly params: Record<string, string | number>;

  constructor(kind: ImportLimitKind, params: Record<string, string | number>) {
    const detail = translate('zh-CN', `importLimit.${kind}` as MessageKey, params);
    super(detail);
    this.name = 'ImportLimitError';
    this.kind = kind;
    this.detail = detail;
    this.params = params;
  }
}

const MB = 1024 * 1024;
const megabytes = (bytes: number): string => (bytes / MB).toFixed(bytes < 10 * MB ? 1 : 0);

/** One part of a zip as its central directory declares it. */
interface ZipEntry {
  name: string;
  method: number;
  packed: number;
  unpacked: number;
  localOffset: number;
}

/** The central directory, or null when the bytes are not a zip this check can read (the converter then says it is damaged). */
function readCentralDirectory(data: Buffer, file: string): ZipEntry[] | null {
  // The end record is in the last 22 bytes plus at most a 65,535-byte comment.
  const from = Math.max(0, data.length - 22 - 0xffff);
  let end = -1;
  for (let at = data.length - 22; at >= from; at--) {
    if (data.readUInt32LE(at) === 0x06054b50) {
      end = at;
      break;
    }
  }
  if (end < 0) return null;
  const count = data.readUInt16LE(end + 10);
  const size = data.readUInt32LE(end + 12);
  const offset = data.readUInt32LE(end + 16);
  if (count === 0xffff || size === 0xffffffff || offset === 0xffffffff) throw new ImportLimitError('zip64', { file });
  if (count > IMPORT_LIMITS.entries) throw new ImportLimitError('entries', { file, count, limit: IMPORT_LIMITS.entries });
  const entries: ZipEntry[] = [];
  let at = offset;
  for (let index = 0; index < count; index++) {
    if (at + 46 > data.length || data.readUInt32LE(at) !== 0x02014b50) return null;
    const nameLength = data.readUInt16LE(at + 28);
    const entry: ZipEntry = {
      method: data.readUInt16LE(at + 10),
      packed: data.readUInt32LE(at + 20),
      unpacked: data.readUInt32LE(at + 24),
      localOffset: data.readUInt32LE(at + 42),
      name: data.toString('utf8', at + 46, at + 46 + nameLength),
    };
    if (entry.packed === 0xffffffff || entry.unpacked === 0xffffffff || entry.localOffset === 0xffffffff) {
      throw new ImportLimitError('zip64', { file });
    }
    entries.push(entry);
    at += 46 + nameLength + data.readUInt16LE(at + 30) + data.readUInt16LE(at + 32);
  }
  return entries;
}

/** The packed bytes of an entry, found through its local header (whose sizes may be zero: the directory's are used). */
function packedBytes(data: Buffer, entry: ZipEntry): Buffer | null {
  const at = entry.localOffset;
  if (at + 30 > data.length || data.readUInt32LE(at) !== 0x04034b50) return null;
  const start = at + 30 + data.readUInt16LE(at + 26) + data.readUInt16LE(at + 28);
  if (start + entry.packed > data.length) return null;
  return data.subarray(start, start + entry.packed);
}

/**
 * An entry unpacked, never to more than it declares: a directory that
 * understates a part (to slip past the checks above) is refused here rather
 * than trusted by the converter. Null when it cannot be unpacked at all
 * (damaged; the converter says so in its words).
 */
function unpack(data: Buffer, entry: ZipEntry, file: string): Buffer | null {
  const packed = packedBytes(data, entry);
  if (!packed) return null;
  if (entry.method === 0) return packed;
  if (entry.method !== 8) return null;
  try {
    // One byte of room past the declared size tells "as declared" from "more than declared".
    return inflateRawSync(packed, { maxOutputLength: entry.unpacked + 1 });
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) {
      throw new ImportLimitError('understated', { file, part: entry.name, size: megabytes(entry.unpacked) });
    }
    return null;
  }
}

/** Parts whose XML the converter walks element by element. */
const WALKED_PART = /^word\/(?:document\d*|footnotes|endnotes|header\d*|footer\d*|comments|numbering|styles)\.xml$/iu;

const LT = 0x3c;
const SLASH = 0x2f;
const QUESTION = 0x3f;
const BANG = 0x21;

/** Elements and `<w:p>` paragraphs in one XML part: a byte scan, no parse (so no cost that grows with nesting). */
function countXml(xml: Buffer): { elements: number; paragraphs: number } {
  let elements = 0;
  let paragraphs = 0;
  for (let at = xml.indexOf(LT); at >= 0 && at < xml.length - 1; at = xml.indexOf(LT, at + 1)) {
    const next = xml[at + 1];
    if (next === SLASH || next === QUESTION || next === BANG) continue;
    elements++;
    // `<w:p` followed by a space, `>` or `/` (not `<w:pPr`, `<w:proofErr`).
    if (next === 0x77 && xml[at + 2] === 0x3a && xml[at + 3] === 0x70) {
      const after = xml[at + 4];
      if (after === 0x20 || after === 0x3e || after === SLASH || after === 0x09 || after === 0x0a || after === 0x0d) paragraphs++;
    }
  }
  return { elements, paragraphs };
}

/**
 * Checks a Word file (.docx, or a .doc that is one) against IMPORT_LIMITS and
 * throws ImportLimitError naming the first limit it passes. Work and memory
 * are bounded by the limits themselves: the directory is read as declared,
 * each part is unpacked to at most its declared size, and only the parts
 * the converter walks are scanned. A file this cannot read as a zip passes
 * unchanged: the converter refuses it as damaged.
 */
export function checkWordZip(data: Buffer, file: string): void {
  if (data.length > IMPORT_LIMITS.fileBytes) {
    throw new ImportLimitError('fileBytes', { file, size: megabytes(data.length), limit: megabytes(IMPORT_LIMITS.fileBytes) });
  }
  const entries = readCentralDirectory(data, file);
  if (!entries) return;
  let unpacked = 0;
  for (const entry of entries) {
    unpacked += entry.unpacked;
    if (unpacked > IMPORT_LIMITS.unpackedBytes) {
      throw new ImportLimitError('unpackedBytes', { file, size: megabytes(unpacked), limit: megabytes(IMPORT_LIMITS.unpackedBytes) });
    }
    if (entry.unpacked > IMPORT_LIMITS.ratioFloorBytes) {
      const ratio = entry.unpacked / Math.max(1, entry.packed);
      if (ratio > IMPORT_LIMITS.ratio) {
        throw new ImportLimitError('ratio', { file, part: entry.name, ratio: Math.round(ratio), limit: IMPORT_LIMITS.ratio });
      }
    }
  }
  let elements = 0;
  let paragraphs = 0;
  for (const entry of entries) {
    const walked = WALKED_PART.test(entry.name);
    if (walked && entry.unpacked > IMPORT_LIMITS.xmlBytes) {
      throw new ImportLimitError('xmlBytes', { file, part: entry.name, size: megabytes(entry.unpacked), limit: megabytes(IMPORT_LIMITS.xmlBytes) });
    }
    // Every part is unpacked once to hold it to its declared size; only the walked ones are counted.
    const bytes = unpack(data, entry, file);
    if (!bytes || !walked) continue;
    const counted = countXml(bytes);
    elements += counted.elements;
    paragraphs += counted.paragraphs;
    if (paragraphs > IMPORT_LIMITS.paragraphs) {
      throw new ImportLimitError('paragraphs', { file, count: paragraphs, limit: IMPORT_LIMITS.paragraphs });
    }
    if (elements > IMPORT_LIMITS.elements) {
      throw new ImportLimitError('elements', { file, count: elements, limit: IMPORT_LIMITS.elements });
    }
  }
}
