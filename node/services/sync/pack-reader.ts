import { createHash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { inflateSync } from 'node:zlib';
import type { ObjectType } from './git-objects';

/*
 * Objects in a repository's packs (`objects/pack/*.pack` with their version-2
 * `.idx`), read with Node's native zlib. isomorphic-git reads them with a
 * JavaScript inflater, a few milliseconds per object: a join checks and
 * writes every file of a 10,000-article unit, and that alone took minutes.
 *
 * Every object read is hashed again and compared with the id asked for, so a
 * pack changed on disk after it was indexed yields an error, never other bytes.
 */

const TYPES: Record<number, ObjectType> = { 1: 'commit', 2: 'tree', 3: 'blob', 4: 'tag' };
const OFS_DELTA = 6;
const REF_DELTA = 7;
/**
 * Objects kept resolved, by bytes: a chain of fifty deltas is read once, not
 * fifty times, and a join's second walk over a unit's 10,000 article folders
 * (checking them, then listing their files) finds every folder's tree here.
 */
const KEPT_TOTAL_BYTES = 16 * 1024 * 1024;
const KEPT_OBJECT_MAX_BYTES = 4 * 1024 * 1024;

interface Pack {
  packFile: string;
  /** Object ids, sorted, 20 bytes each (the index's table). */
  ids: Buffer;
  count: number;
  /** Each object's offset, in the index's order. */
  offsets: Float64Array;
  /** Where each object's data ends: the next object's offset in the pack (or the trailing checksum). */
  ends: Map<number, number>;
  fanout: Uint32Array;
  /** The pack file's size when it was indexed. */
  size: number;
}

interface Raw {
  type: ObjectType;
  data: Buffer;
}

function parseIndex(idxFile: string, packFile: string): Pack | null {
  const idx = readFileSync(idxFile);
  // Version 2: "\377tOc", version, fan-out, ids, CRCs, offsets, large offsets.
  if (idx.length < 8 + 1024 || idx.readUInt32BE(0) !== 0xff744f63 || idx.readUInt32BE(4) !== 2) return null;
  const fanout = new Uint32Array(256);
  for (let i = 0; i < 256; i++) fanout[i] = idx.readUInt32BE(8 + i * 4);
  const count = fanout[255]!;
  const idsAt = 8 + 1024;
  const offsetsAt = idsAt + count * 20 + count * 4;
  const largeAt = offsetsAt + count * 4;
  if (idx.length < largeAt + 40) return null;
  const offsets = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const small = idx.readUInt32BE(offsetsAt + i * 4);
    offsets[i] = small & 0x80000000 ? Number(idx.readBigUInt64BE(largeAt + (small & 0x7fffffff) * 8)) : small;
  }
  const packSize = fileSize(packFile);
  if (packSize === null) return null;
  const sorted = Float64Array.from(offsets).sort();
  const ends = new Map<number, number>();
  for (let i = 0; i < sorted.length; i++) ends.set(sorted[i]!, i + 1 < sorted.length ? sorted[i + 1]! : packSize - 20);
  return { packFile, ids: Buffer.from(idx.subarray(idsAt, idsAt + count * 20)), count, offsets, ends, fanout, size: packSize };
}

function fileSize(file: string): number | null {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return null;
  }
  try {
    const header = Buffer.alloc(12);
    if (readSync(fd, header, 0, 12, 0) !== 12 || header.toString('latin1', 0, 4) !== 'PACK') return null;
    // fstat through the descriptor we hold: the size of the file the header came from.
    return fstatSync(fd).size;
  } finally {
    closeSync(fd);
  }
}

/** Packs up to this size are read whole, once, and kept: reading a unit's trees and files is then no system call per object. */
const WHOLE_PACK_MAX_BYTES = 64 * 1024 * 1024;
/** What all readers keep in memory of whole packs at most; the oldest goes first. */
const WHOLE_PACKS_TOTAL_BYTES = 128 * 1024 * 1024;
const wholePacks = new Map<string, Buffer>();
let wholePacksBytes = 0;

function wholePack(file: string, size: number): Buffer | null {
  if (size > WHOLE_PACK_MAX_BYTES) return null;
  const known = wholePacks.get(file);
  if (known && known.length === size) return known;
  const bytes = readFileSync(file);
  if (bytes.length !== size) return null;
  if (known) wholePacksBytes -= known.length;
  while (wholePacksBytes + bytes.length > WHOLE_PACKS_TOTAL_BYTES && wholePacks.size > 0) {
    const [oldest, buffer] = wholePacks.entries().next().value!;
    wholePacks.delete(oldest);
    wholePacksBytes -= buffer.length;
  }
  wholePacks.set(file, bytes);
  wholePacksBytes += bytes.length;
  return bytes;
}

function readRange(pack: Pack, start: number, end: number): Buffer {
  const whole = wholePack(pack.packFile, pack.size);
  if (whole) return whole.subarray(start, end);
  const fd = openSync(pack.packFile, 'r');
  try {
    const out = Buffer.alloc(end - start);
    let done = 0;
    while (done < out.length) {
      const n = readSync(fd, out, done, out.length - done, start + done);
      if (n === 0) throw new Error(`${pack.packFile} ends early`);
      done += n;
    }
    return out;
  } finally {
    closeSync(fd);
  }
}

/** Applies a git delta to its base. */
function applyDelta(base: Buffer, delta: Buffer): Buffer {
  let at = 0;
  const varint = () => {
    let value = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = delta[at++]!;
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return value;
  };
  if (varint() !== base.length) throw new Error('a delta does not fit its base');
  const out = Buffer.alloc(varint());
  let written = 0;
  while (at < delta.length) {
    const op = delta[at++]!;
    if (op & 0x80) {
      let offset = 0;
      let size = 0;
      for (let bit = 0; bit < 4; bit++) if (op & (1 << bit)) offset += delta[at++]! * 2 ** (8 * bit);
      for (let bit = 0; bit < 3; bit++) if (op & (0x10 << bit)) size += delta[at++]! * 2 ** (8 * bit);
      if (size === 0) size = 0x10000;
      if (offset + size > base.length || written + size > out.length) throw new Error('a delta copies past its base');
      base.copy(out, written, offset, offset + size);
      written += size;
    } else if (op > 0) {
      if (at + op > delta.length || written + op > out.length) throw new Error('a delta inserts past its end');
      delta.copy(out, written, at, at + op);
      at += op;
      written += op;
    } else {
      throw new Error('a delta holds a reserved instruction');
    }
  }
  if (written !== out.length) throw new Error('a delta is shorter than it says');
  return out;
}

export class PackReader {
  readonly #packDir: string;
  #packs: Pack[] = [];
  #listed = '';
  readonly #kept = new Map<string, Raw>();
  #keptBytes = 0;

  constructor(gitdir: string) {
    this.#packDir = join(gitdir, 'objects', 'pack');
  }

  /** Picks up packs that arrived since the last look (a fetch adds one). */
  #refresh(): boolean {
    let names: string[];
    try {
      names = readdirSync(this.#packDir).filter((n) => n.endsWith('.idx')).sort();
    } catch {
      names = [];
    }
    const listed = names.join('\n');
    if (listed === this.#listed) return false;
    const known = new Map(this.#packs.map((p) => [p.packFile, p]));
    const packs: Pack[] = [];
    for (const name of names) {
      const packFile = join(this.#packDir, `${name.slice(0, -4)}.pack`);
      const pack = known.get(packFile) ?? parseIndex(join(this.#packDir, name), packFile);
      if (pack) packs.push(pack);
    }
    this.#packs = packs;
    this.#listed = listed;
    return true;
  }

  #find(oid: string): { pack: Pack; offset: number } | null {
    const id = Buffer.from(oid, 'hex');
    if (id.length !== 20) return null;
    for (const pack of this.#packs) {
      let lo = id[0]! === 0 ? 0 : pack.fanout[id[0]! - 1]!;
      let hi = pack.fanout[id[0]!]!;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        // The index's id at `mid` against the one asked for.
        const cmp = pack.ids.compare(id, 0, 20, mid * 20, mid * 20 + 20);
        if (cmp === 0) return { pack, offset: pack.offsets[mid]! };
        if (cmp < 0) lo = mid + 1;
        else hi = mid;
      }
    }
    return null;
  }

  /** The object, or null when no pack holds it. Throws when a pack's bytes do not hash to the id. */
  read(oid: string): Raw | null {
    let found = this.#find(oid);
    if (!found && this.#refresh()) found = this.#find(oid);
    if (!found) return null;
    const object = this.#at(found.pack, found.offset, 0);
    const hash = createHash('sha1').update(`${object.type} ${object.data.length}\0`).update(object.data).digest('hex');
    if (hash !== oid) throw new Error(`object ${oid} in ${found.pack.packFile} is damaged`);
    return object;
  }

  #at(pack: Pack, offset: number, depth: number): Raw {
    if (depth > 10_000) throw new Error(`${pack.packFile}: a delta chain does not end`);
    const key = `${pack.packFile}:${offset}`;
    const cached = this.#kept.get(key);
    if (cached) return cached;
    const end = pack.ends.get(offset);
    if (end === undefined) throw new Error(`${pack.packFile}: no object at ${offset}`);
    const bytes = readRange(pack, offset, end);
    let at = 0;
    let byte = bytes[at++]!;
    const typeCode = (byte >> 4) & 7;
    while (byte & 0x80) byte = bytes[at++]!;
    let result: Raw;
    if (typeCode === OFS_DELTA) {
      byte = bytes[at++]!;
      let back = byte & 0x7f;
      while (byte & 0x80) {
        byte = bytes[at++]!;
        back = (back + 1) * 128 + (byte & 0x7f);
      }
      const base = this.#at(pack, offset - back, depth + 1);
      result = { type: base.type, data: applyDelta(base.data, inflateSync(bytes.subarray(at))) };
    } else if (typeCode === REF_DELTA) {
      const baseId = bytes.toString('hex', at, at + 20);
      const base = this.read(baseId);
      if (!base) throw new Error(`${pack.packFile}: the base ${baseId} of a delta is missing`);
      result = { type: base.type, data: applyDelta(base.data, inflateSync(bytes.subarray(at + 20))) };
    } else {
      const type = TYPES[typeCode];
      if (!type) throw new Error(`${pack.packFile}: unknown object type ${typeCode}`);
      result = { type, data: inflateSync(bytes.subarray(at)) };
    }
    if (result.data.length <= KEPT_OBJECT_MAX_BYTES) {
      while (this.#keptBytes + result.data.length > KEPT_TOTAL_BYTES && this.#kept.size > 0) {
        const [oldest, gone] = this.#kept.entries().next().value!;
        this.#kept.delete(oldest);
        this.#keptBytes -= gone.data.length;
      }
      this.#kept.set(key, result);
      this.#keptBytes += result.data.length;
    }
    return result;
  }
}
