import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { AutomatonArrays } from '../../../shared/proofread/automaton';
import type { AutomatonStore } from '../../../shared/proofread/engine';
import { writeFileAtomic } from '../store/atomic-file';

const MAGIC = 'GZAC';
/** Raised whenever the layout below changes: an older file is then rebuilt, never misread. */
const FORMAT = 1;
const ARRAYS = ['edgeStart', 'edgeCode', 'edgeTarget', 'fail', 'outStart', 'outLength', 'outPayload'] as const;
const HEADER = 4 + 4 + 32 + 32;

function patternsHash(patterns: readonly string[]): Buffer {
  return createHash('sha256').update(`${FORMAT}\n`).update(JSON.stringify(patterns)).digest();
}

/** The file of one pack version: its name carries the hash of every pattern the automaton holds. */
function fileName(hash: Buffer): string {
  return `automaton-${hash.toString('hex').slice(0, 32)}.bin`;
}

/**
 * Built automatons on disk, one file per pack version, so the first check
 * after a start loads the full dictionaries instead of building them. A file
 * is used only when its format, the hash of the patterns it was built from,
 * and the checksum of its body all match (and the engine then checks the
 * arrays against the patterns); anything else is rebuilt and written anew.
 */
export class FileAutomatonStore implements AutomatonStore {
  readonly #dir: string;
  readonly #log: (message: string) => void;
  #writing: Promise<void> = Promise.resolve();

  constructor(dir: string, log: (message: string) => void = () => {}) {
    this.#dir = dir;
    this.#log = log;
  }

  load(patterns: readonly string[]): AutomatonArrays | null {
    const hash = patternsHash(patterns);
    let bytes: Buffer;
    try {
      bytes = readFileSync(join(this.#dir, fileName(hash)));
    } catch {
      return null;
    }
    const arrays = decode(bytes, hash);
    if (!arrays) this.#log(`proofreading cache ${fileName(hash)} is damaged or from another version; rebuilding it`);
    return arrays;
  }

  save(patterns: readonly string[], arrays: AutomatonArrays): void {
    const hash = patternsHash(patterns);
    const name = fileName(hash);
    try {
      mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
    } catch (error) {
      this.#log(`proofreading cache folder: ${error instanceof Error ? error.message : String(error)}`);
      return;
    }
    this.#writing = writeFileAtomic(join(this.#dir, name), encode(arrays, hash))
      .then(() => {
        // Files of earlier pack versions are of no further use.
        for (const other of readdirSync(this.#dir)) {
          if (other !== name && /^automaton-[0-9a-f]{32}\.bin$/.test(other)) unlinkSync(join(this.#dir, other));
        }
      })
      .catch((error: unknown) => this.#log(`proofreading cache ${name}: ${error instanceof Error ? error.message : String(error)}`));
  }

  /** Resolves once the last save is on disk (or failed and was logged). */
  written(): Promise<void> {
    return this.#writing;
  }
}

/** MAGIC, FORMAT, patterns hash, body sha256, then each array as (element count, bytes padded to 4). */
export function encode(arrays: AutomatonArrays, hash: Buffer): Buffer {
  const parts: Buffer[] = [];
  for (const name of ARRAYS) {
    const array = arrays[name];
    const count = Buffer.alloc(4);
    count.writeUInt32LE(array.length);
    const data = Buffer.from(array.buffer, array.byteOffset, array.byteLength);
    parts.push(count, data, Buffer.alloc((4 - (data.length % 4)) % 4));
  }
  const body = Buffer.concat(parts);
  const header = Buffer.alloc(HEADER);
  header.write(MAGIC, 0, 'latin1');
  header.writeUInt32LE(FORMAT, 4);
  hash.copy(header, 8);
  createHash('sha256').update(body).digest().copy(header, 40);
  return Buffer.concat([header, body]);
}

export function decode(bytes: Buffer, hash: Buffer): AutomatonArrays | null {
  if (bytes.length < HEADER || bytes.toString('latin1', 0, 4) !== MAGIC || bytes.readUInt32LE(4) !== FORMAT) return null;
  if (!bytes.subarray(8, 40).equals(hash)) return null;
  const body = bytes.subarray(HEADER);
  if (!createHash('sha256').update(body).digest().equals(bytes.subarray(40, 72))) return null;
  const out: Partial<Record<(typeof ARRAYS)[number], Int32Array | Uint16Array>> = {};
  let at = 0;
  for (const name of ARRAYS) {
    if (at + 4 > body.length) return null;
    const count = body.readUInt32LE(at);
    at += 4;
    const width = name === 'edgeCode' ? 2 : 4;
    const length = count * width;
    if (at + length > body.length) return null;
    // A copy, so the array is aligned whatever the file's layout.
    const copy = new Uint8Array(body.subarray(at, at + length)).buffer;
    out[name] = width === 2 ? new Uint16Array(copy) : new Int32Array(copy);
    at += length + ((4 - (length % 4)) % 4);
  }
  if (at !== body.length) return null;
  return out as AutomatonArrays;
}
