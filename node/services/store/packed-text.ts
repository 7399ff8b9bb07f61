/**
 * Search texts as the index keeps them in memory. Kept as JS strings, the
 * texts of an archive of 100,000 import-sized articles took 200 MB (two bytes
 * per Han character), most of the host's whole memory budget. Packed, each
 * UTF-16 code unit becomes one byte when it is among the {@link ONE_BYTE}
 * most frequent ones (about half of a government article, punctuation
 * included), two bytes for the next few thousand and three for the rest, and
 * the bytes are held as a one-byte (Latin-1) string, which V8 stores at one
 * byte per character on its own compacting heap.
 *
 * The code is built so that a packed term found at a position where a
 * character starts is exactly the term found in the text: the last byte of
 * every code is below {@link FIRST_LEAD} and every other byte is not, so a
 * match is at a character start exactly when the byte before it ends a code.
 * Queries then search the packed strings with the engine's own indexOf.
 *
 * The table lives in this process only (first come, first coded, after the
 * seed); packed texts are never written anywhere: the index shards on disk
 * hold the texts as they are.
 */

/** Bytes 0x00–0xDF code a unit on their own, or end a longer code; the bytes above start or continue one. */
const FIRST_LEAD = 0xe0;
/** How many units get a one-byte code. */
const ONE_BYTE = FIRST_LEAD;
/** Leads 0xE0–0xF3 start a two-byte code (lead, end); 0xF4–0xFF a three-byte one (lead, middle ≥ 0xE0, end). */
const THREE_BYTE_LEAD = 0xf4;
const TWO_BYTE_END = ONE_BYTE + (THREE_BYTE_LEAD - FIRST_LEAD) * FIRST_LEAD;
const MIDDLES = 0x100 - FIRST_LEAD;

/**
 * The units that get the one-byte codes: line break, space, digits and the
 * commonest punctuation, then the most frequent Han characters of modern
 * Chinese interleaved with those of the portal pages in the test fixtures.
 * The order only decides sizes, never results.
 */
const SEED =
  '\n 0123456789.-:/%，。、；：“”（）《》！？—·…' +
  '的开一区是在动不政了人有全和要工这发中会大公为展上部个学国日我生以作态他时市来府用们关各到民重地办于页出实就局分县对月成建可项主年进议位同书也务能安下导过记子业说首产领种保面好而新方员后习多目定行防水法干所理审得党经期十社三点之乡着环等精度镇家传电境力小里持如通总化管高间自源二起信物设现活农加坚量推都体两质强制机当使知从神本去把讲性话应前打它合指还因由节其改些召然情外天示四门那施';

/** Code + 1 of each UTF-16 unit (0: not coded yet). */
const codeOf = new Uint32Array(0x10000);
/** The unit of each code. */
const unitOf: number[] = [];

for (const unit of SEED) assign(unit.charCodeAt(0));

function assign(unit: number): number {
  const known = codeOf[unit] as number;
  if (known !== 0) return known - 1;
  const code = unitOf.push(unit) - 1;
  codeOf[unit] = code + 1;
  return code;
}

let scratch = Buffer.allocUnsafe(1 << 16);

function room(bytes: number): Buffer {
  if (scratch.length < bytes) scratch = Buffer.allocUnsafe(Math.max(bytes, scratch.length * 2));
  return scratch;
}

/** Writes one code at `at`; returns the position after it. */
function put(out: Buffer, at: number, code: number): number {
  if (code < ONE_BYTE) {
    out[at] = code;
    return at + 1;
  }
  if (code < TWO_BYTE_END) {
    const rest = code - ONE_BYTE;
    out[at] = FIRST_LEAD + Math.floor(rest / FIRST_LEAD);
    out[at + 1] = rest % FIRST_LEAD;
    return at + 2;
  }
  // 12 leads × 32 middles × 224 ends: more codes than there are UTF-16 units.
  const rest = code - TWO_BYTE_END;
  const high = Math.floor(rest / (MIDDLES * FIRST_LEAD));
  const low = rest % (MIDDLES * FIRST_LEAD);
  out[at] = THREE_BYTE_LEAD + high;
  out[at + 1] = FIRST_LEAD + Math.floor(low / FIRST_LEAD);
  out[at + 2] = low % FIRST_LEAD;
  return at + 3;
}

/** The packed form of a text. */
export function packText(text: string): string {
  const out = room(text.length * 3);
  let at = 0;
  for (let i = 0; i < text.length; i++) at = put(out, at, assign(text.charCodeAt(i)));
  return out.toString('latin1', 0, at);
}

/** The packed form of UTF-16LE text in `data` from byte `start` to `end`, without making the string first. */
export function packUtf16(data: Buffer, start: number, end: number): string {
  const out = room(((end - start) >> 1) * 3);
  let at = 0;
  for (let i = start; i + 1 < end; i += 2) at = put(out, at, assign((data[i] as number) | ((data[i + 1] as number) << 8)));
  return out.toString('latin1', 0, at);
}

/**
 * The packed form of a query term, or null when the term holds a unit no
 * packed text has (then no text can contain it). Never adds to the table, so
 * queries cannot grow it.
 */
export function packTerm(term: string): string | null {
  const out = room(term.length * 3);
  let at = 0;
  for (let i = 0; i < term.length; i++) {
    const known = codeOf[term.charCodeAt(i)] as number;
    if (known === 0) return null;
    at = put(out, at, known - 1);
  }
  return out.toString('latin1', 0, at);
}

/** True when the packed text contains the packed term (at a character start). */
export function containsPacked(packed: string, term: string): boolean {
  for (let at = packed.indexOf(term); at !== -1; at = packed.indexOf(term, at + 1)) {
    if (at === 0 || packed.charCodeAt(at - 1) < FIRST_LEAD) return true;
  }
  return false;
}

let units = new Uint16Array(1 << 15);

/** The text a packed string was made from. */
export function unpackText(packed: string): string {
  if (units.length < packed.length) units = new Uint16Array(Math.max(packed.length, units.length * 2));
  let n = 0;
  for (let i = 0; i < packed.length; ) {
    const lead = packed.charCodeAt(i);
    let code: number;
    if (lead < FIRST_LEAD) {
      code = lead;
      i += 1;
    } else if (lead < THREE_BYTE_LEAD) {
      code = ONE_BYTE + (lead - FIRST_LEAD) * FIRST_LEAD + packed.charCodeAt(i + 1);
      i += 2;
    } else {
      code =
        TWO_BYTE_END + (lead - THREE_BYTE_LEAD) * MIDDLES * FIRST_LEAD + (packed.charCodeAt(i + 1) - FIRST_LEAD) * FIRST_LEAD + packed.charCodeAt(i + 2);
      i += 3;
    }
    units[n++] = unitOf[code] as number;
  }
  return Buffer.from(units.buffer, units.byteOffset, n * 2).toString('utf16le');
}
