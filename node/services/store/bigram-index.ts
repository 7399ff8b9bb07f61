/**
 * The full-text index: each Han character pair (see search-tokens.ts) → the
 * articles holding it, as numbers. An archive of 100,000 articles holds about
 * 70 million (pair, article) postings; a search library that keeps each as an
 * element of a JS array pays 8 bytes for it (FlexSearch held ~670 MB there,
 * measured by bench/archive-100k.ts), more than the host's whole memory
 * budget. Here a pair's articles are a byte string of gaps between ascending
 * numbers (one byte for most gaps), or, once more than one article in eight
 * holds the pair, a bitmap (one bit per article): about 0.6 bytes per posting.
 *
 * It only narrows: the caller checks every proposed article against its text.
 */

/** A pair as one number: its two code points. */
function pairCode(first: number, second: number): number {
  return first * 0x110000 + second;
}

const HAN = /\p{Script=Han}/u;
/** Han or not, for each code point of the Basic Multilingual Plane (a regular expression per character would cost seconds over an archive). */
let bmpHan: Uint8Array | null = null;

function isHan(codePoint: number): boolean {
  if (codePoint > 0xffff) return HAN.test(String.fromCodePoint(codePoint));
  if (!bmpHan) {
    bmpHan = new Uint8Array(0x10000);
    for (let cp = 0; cp <= 0xffff; cp++) if (HAN.test(String.fromCharCode(cp))) bmpHan[cp] = 1;
  }
  return bmpHan[codePoint] === 1;
}

/** Room for one text's pairs, reused from call to call (it grows with the longest text seen). */
let scratch = new Float64Array(4096);

/**
 * The distinct Han pairs of a text, as numbers, ascending, in a buffer the
 * next call reuses. Building the index of an archive asks this of every
 * article: a Set per article was gigabytes of garbage over 100,000 of them,
 * which kept V8's young generation at its largest while the index was built.
 */
export function sortedPairCodes(text: string): Float64Array {
  if (scratch.length < text.length) scratch = new Float64Array(text.length);
  let count = 0;
  let previous = -1;
  for (let i = 0; i < text.length; i++) {
    let cp = text.charCodeAt(i);
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length) {
      const low = text.charCodeAt(i + 1);
      if (low >= 0xdc00 && low <= 0xdfff) {
        cp = (cp - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
        i++;
      }
    }
    if (isHan(cp)) {
      if (previous >= 0) scratch[count++] = pairCode(previous, cp);
      previous = cp;
    } else previous = -1;
  }
  const codes = scratch.subarray(0, count).sort();
  let unique = 0;
  for (let j = 0; j < count; j++) if (j === 0 || codes[j] !== codes[j - 1]) codes[unique++] = codes[j] as number;
  return codes.subarray(0, unique);
}

/** The distinct Han pairs of a text, as numbers. */
export function pairCodes(text: string): Set<number> {
  return new Set(sortedPairCodes(text));
}

/** One pair's articles: ascending gaps as variable-length bytes, or a bitmap. */
interface Postings {
  /** Gap bytes (7 bits each, high bit = more bytes follow); null once a bitmap. */
  gaps: Uint8Array | null;
  gapLength: number;
  /** Bit n set = article n holds the pair; null while gaps are used. */
  bits: Uint32Array | null;
  /** The highest article number written to `gaps` (-1: none). */
  last: number;
  /** Articles added out of order (an article written again after higher numbers); few, searched as they are. */
  late: number[] | null;
  count: number;
}

export class BigramIndex {
  readonly #postings = new Map<number, Postings>();
  /** One more than the highest article number seen: the bitmaps' size. */
  #span = 0;
  /** How many articles a build under way will number: bitmaps are made that size at once instead of growing with each article. */
  #expectedSpan = 0;
  /** Where lists grow until the first {@link compact}; after it, each grows on its own. */
  #arena: GrowthArena | null = new GrowthArena();

  /** Says how many articles a build is about to add (numbered from 0). */
  expectArticles(count: number): void {
    this.#expectedSpan = count;
  }

  /** Records that article `n` holds every pair of `codes`. */
  add(n: number, codes: Iterable<number>): void {
    if (n + 1 > this.#span) this.#span = n + 1;
    for (const code of codes) {
      let postings = this.#postings.get(code);
      if (!postings) {
        postings = { gaps: new Uint8Array(4), gapLength: 0, bits: null, last: -1, late: null, count: 0 };
        this.#postings.set(code, postings);
      }
      this.#addOne(postings, n);
    }
  }

  /** Article numbers that hold every pair of `codes` (ascending); null when `codes` is empty (nothing to narrow by). */
  candidates(codes: Iterable<number>): Uint32Array | null {
    const lists: Postings[] = [];
    for (const code of codes) {
      const postings = this.#postings.get(code);
      if (!postings) return new Uint32Array(0);
      lists.push(postings);
    }
    if (lists.length === 0) return null;
    lists.sort((a, b) => a.count - b.count);
    let result = this.#decode(lists[0] as Postings);
    for (const postings of lists.slice(1)) {
      if (result.length === 0) break;
      result = postings.bits ? keepSet(result, postings.bits) : intersect(result, this.#decode(postings));
    }
    return result;
  }

  /**
   * Once a build is done: moves every list into one block of exactly the room
   * it needs, and lets go of the arena the lists grew in (see GrowthArena).
   */
  compact(): void {
    moveIntoOneBlock(this.#postings.values());
    this.#arena = null;
    this.#expectedSpan = 0;
  }

  /** Bytes held by the postings (for the benchmark). */
  get byteSize(): number {
    let bytes = 0;
    for (const postings of this.#postings.values()) {
      bytes += 64 + (postings.gaps?.byteLength ?? 0) + (postings.bits?.byteLength ?? 0) + (postings.late?.length ?? 0) * 8;
    }
    return bytes;
  }

  #addOne(postings: Postings, n: number): void {
    if (postings.bits) {
      const word = n >>> 5;
      if (word >= postings.bits.length) {
        const grown = this.#words(Math.max(word + 1, Math.ceil(postings.bits.length * 1.5)));
        grown.set(postings.bits);
        this.#arena?.give(postings.bits);
        postings.bits = grown;
      }
      const mask = 1 << (n & 31);
      if ((postings.bits[word] as number) & mask) return;
      postings.bits[word] = (postings.bits[word] as number) | mask;
      postings.count++;
      return;
    }
    if (n === postings.last) return;
    if (n < postings.last) {
      // Rare (an older article saved with new pairs): kept aside rather than re-encoding the whole list.
      postings.late ??= [];
      postings.late.push(n);
      postings.count++;
      return;
    }
    this.#writeGap(postings, n - postings.last);
    postings.last = n;
    postings.count++;
    // Dense enough that one bit per article is smaller than the gaps.
    if (postings.gapLength > 64 && postings.gapLength * 8 > this.#span) this.#toBits(postings);
  }

  #writeGap(postings: Postings, gap: number): void {
    let gaps = postings.gaps as Uint8Array;
    if (postings.gapLength + 5 > gaps.length) {
      const grown = this.#bytes(Math.max(gaps.length * 2, postings.gapLength + 5, this.#projectedLength(postings)));
      grown.set(gaps.subarray(0, postings.gapLength));
      this.#arena?.give(gaps);
      gaps = grown;
      postings.gaps = grown;
    }
    let value = gap;
    while (value >= 0x80) {
      gaps[postings.gapLength++] = (value & 0x7f) | 0x80;
      value = Math.floor(value / 0x80);
    }
    gaps[postings.gapLength++] = value;
  }

  /**
   * While a build is under way, the room a list will need by its end if it
   * keeps growing as it has: given at once, it spares the list the rooms it
   * would grow through and drop on the way (most lists of an archive grow at
   * the same pace, so a dropped room finds no list to take it).
   */
  #projectedLength(postings: Postings): number {
    if (this.#expectedSpan <= this.#span || this.#span === 0) return 0;
    const projected = Math.ceil((postings.gapLength * this.#expectedSpan * 1.15) / this.#span);
    // A list never grows past an eighth of the articles: it turns into a bitmap.
    return Math.min(projected, Math.ceil(this.#expectedSpan / 8) + ON_HEAP_BYTES + 8);
  }

  /** Zeroed room for `length` bytes: from the arena while it is there and the room is too big for V8's own heap. */
  #bytes(length: number): Uint8Array {
    return this.#arena && length > ON_HEAP_BYTES ? this.#arena.take(length) : new Uint8Array(length);
  }

  #words(length: number): Uint32Array {
    const bytes = this.#bytes(length * 4);
    return new Uint32Array(bytes.buffer, bytes.byteOffset, length);
  }

  #toBits(postings: Postings): void {
    const bits = this.#words(Math.ceil(Math.max(this.#span, this.#expectedSpan, postings.last + 1) / 32) + 1);
    const members = this.#decode(postings);
    for (const n of members) bits[n >>> 5] = (bits[n >>> 5] as number) | (1 << (n & 31));
    postings.count = members.length;
    postings.bits = bits;
    if (postings.gaps) this.#arena?.give(postings.gaps);
    postings.gaps = null;
    postings.gapLength = 0;
    postings.late = null;
  }

  /** Every article number of one pair, ascending. */
  #decode(postings: Postings): Uint32Array {
    const out = new Uint32Array(postings.count);
    let k = 0;
    if (postings.bits) {
      const bits = postings.bits;
      for (let word = 0; word < bits.length; word++) {
        let value = bits[word] as number;
        while (value !== 0) {
          const low = value & -value;
          out[k++] = word * 32 + 31 - Math.clz32(low);
          value ^= low;
        }
      }
      return out.subarray(0, k);
    }
    const gaps = postings.gaps as Uint8Array;
    let n = -1;
    let i = 0;
    while (i < postings.gapLength) {
      let gap = 0;
      let scale = 1;
      let byte: number;
      do {
        byte = gaps[i++] as number;
        gap += (byte & 0x7f) * scale;
        scale *= 0x80;
      } while (byte & 0x80);
      n += gap;
      out[k++] = n;
    }
    if (!postings.late) return out.subarray(0, k);
    for (const late of postings.late) out[k++] = late;
    // A pair an article lost and then regained may be listed twice.
    const sorted = out.subarray(0, k).sort();
    let unique = 0;
    for (let j = 0; j < sorted.length; j++) if (j === 0 || sorted[j] !== sorted[j - 1]) sorted[unique++] = sorted[j] as number;
    return sorted.subarray(0, unique);
  }
}

/** Typed arrays up to this size V8 keeps on its own heap (V8_TYPED_ARRAY_MAX_SIZE_IN_HEAP). */
const ON_HEAP_BYTES = 64;

/** Room a list takes in the compacted block (0: it stays on V8's heap), a multiple of 4 so bitmaps stay aligned. */
function compactBytes(postings: Postings): number {
  const bytes = postings.bits ? postings.bits.byteLength : postings.gapLength;
  return bytes > ON_HEAP_BYTES ? Math.ceil(bytes / 4) * 4 : 0;
}

/**
 * The room lists grow in while an archive is indexed. Each list doubles as it
 * grows; allocated and freed one by one by the process's allocator, the
 * dropped rooms stay behind as holes among the live ones that it never gives
 * back to the system (about 40 MB of the host's memory at 100,000 articles,
 * which no collection returns). Here they are cut from blocks big enough for
 * the system to map each on its own (glibc maps any allocation of 32 MB or
 * more directly), a dropped room is reused by the next list of its size, and
 * {@link BigramIndex.compact} moves the lists out, so the blocks go back to
 * the system whole.
 */
class GrowthArena {
  static readonly BLOCK_BYTES = 40 * 2 ** 20;
  /** Dropped rooms by size class (log2 of their size). */
  readonly #free: Uint8Array[][] = [];
  readonly #blocks = new Set<ArrayBufferLike>();
  #block: ArrayBuffer | null = null;
  #used = 0;

  /** Zeroed room for `length` bytes (its `byteLength` is the room's size, a power of two). */
  take(length: number): Uint8Array {
    const sizeClass = Math.ceil(Math.log2(length));
    const size = 2 ** sizeClass;
    if (size > GrowthArena.BLOCK_BYTES) return new Uint8Array(size);
    const reused = this.#free[sizeClass]?.pop() ?? this.#split(sizeClass);
    if (reused) return reused.fill(0);
    if (!this.#block || this.#used + size > GrowthArena.BLOCK_BYTES) {
      this.#block = new ArrayBuffer(GrowthArena.BLOCK_BYTES);
      this.#blocks.add(this.#block);
      this.#used = 0;
    }
    const room = new Uint8Array(this.#block, this.#used, size);
    this.#used += size;
    return room;
  }

  /**
   * A dropped room of the size class asked for, cut from the smallest bigger
   * one (the rest goes back as one room of each size in between): the rooms
   * lists drop when they turn into bitmaps are mostly bigger than any still
   * growing, and would otherwise stay unused to the end of the build.
   */
  #split(sizeClass: number): Uint8Array | undefined {
    for (let bigger = sizeClass + 1; bigger < this.#free.length; bigger++) {
      const room = this.#free[bigger]?.pop();
      if (!room) continue;
      for (let part = sizeClass; part < bigger; part++) {
        const piece = room.subarray(2 ** part, 2 ** (part + 1));
        const rooms = this.#free[part];
        if (rooms) rooms.push(piece);
        else this.#free[part] = [piece];
      }
      return room.subarray(0, 2 ** sizeClass);
    }
    return undefined;
  }

  /** Takes back a room it gave (through a view of any type from its start); anything else is left to the collector. */
  give(view: Uint8Array | Uint32Array): void {
    // Rooms are never that small, and reading `buffer` of an array V8 keeps on its own heap would move it off.
    if (view.byteLength <= ON_HEAP_BYTES || !this.#blocks.has(view.buffer)) return;
    const sizeClass = Math.ceil(Math.log2(view.byteLength));
    const room = new Uint8Array(view.buffer, view.byteOffset, 2 ** sizeClass);
    const rooms = this.#free[sizeClass];
    if (rooms) rooms.push(room);
    else this.#free[sizeClass] = [room];
  }
}

/** Moves `lists` into one block of exactly the room they need (the small ones onto V8's heap, each of its exact size). */
function moveIntoOneBlock(lists: Iterable<Postings>): void {
  const all = [...lists];
  let total = 0;
  for (const postings of all) total += compactBytes(postings);
  const block = new ArrayBuffer(total);
  let offset = 0;
  for (const postings of all) {
    const bytes = compactBytes(postings);
    if (postings.bits) {
      const moved = bytes > 0 ? new Uint32Array(block, offset, postings.bits.length) : new Uint32Array(postings.bits.length);
      moved.set(postings.bits);
      postings.bits = moved;
    } else if (postings.gaps && (bytes > 0 || postings.gaps.length > postings.gapLength)) {
      const moved = bytes > 0 ? new Uint8Array(block, offset, postings.gapLength) : new Uint8Array(postings.gapLength);
      moved.set(postings.gaps.subarray(0, postings.gapLength));
      postings.gaps = moved;
    }
    offset += bytes;
  }
}

/** The numbers of `sorted` that are set in `bits`. */
function keepSet(sorted: Uint32Array, bits: Uint32Array): Uint32Array {
  const out = new Uint32Array(sorted.length);
  let k = 0;
  for (const n of sorted) {
    const word = n >>> 5;
    if (word < bits.length && ((bits[word] as number) & (1 << (n & 31))) !== 0) out[k++] = n;
  }
  return out.subarray(0, k);
}

/** Numbers in both ascending arrays. */
function intersect(a: Uint32Array, b: Uint32Array): Uint32Array {
  const out = new Uint32Array(Math.min(a.length, b.length));
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    const x = a[i] as number;
    const y = b[j] as number;
    if (x === y) {
      out[k++] = x;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return out.subarray(0, k);
}
