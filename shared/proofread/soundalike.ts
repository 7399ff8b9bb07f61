import { CHAR_READINGS } from './default-packs/char-readings';
import { LOOKALIKE_GROUPS } from './default-packs/lookalikes';

/**
 * Why one character may have been written for another: typed by pinyin and
 * picked from the wrong candidate (同音字, 音近字 when only the tone differs),
 * or mistaken for one of similar shape (形近字, from the shipped groups).
 */
export type CharConfusion = 'homophone' | 'nearHomophone' | 'lookalike';

interface Readings {
  /** The character's most common reading, e.g. "cha2". */
  primary: string;
  /** Every reading, the primary one included. */
  all: string[];
}

let readingTable: Map<string, Readings> | null = null;

function readings(): Map<string, Readings> {
  if (readingTable) return readingTable;
  const table = new Map<string, Readings>();
  const entry = (char: string): Readings => {
    let found = table.get(char);
    if (!found) {
      found = { primary: '', all: [] };
      table.set(char, found);
    }
    return found;
  };
  for (const line of CHAR_READINGS.split('\n')) {
    const space = line.indexOf(' ');
    const reading = line.slice(0, space);
    const [primary = '', other = ''] = line.slice(space + 1).split('|');
    for (const char of primary) {
      const r = entry(char);
      r.primary = reading;
      r.all.push(reading);
    }
    for (const char of other) entry(char).all.push(reading);
  }
  readingTable = table;
  return table;
}

const lookalikes = new Map<string, Set<string>>();
for (const group of LOOKALIKE_GROUPS) {
  for (const a of group) {
    let set = lookalikes.get(a);
    if (!set) {
      set = new Set();
      lookalikes.set(a, set);
    }
    for (const b of group) if (b !== a) set.add(b);
  }
}

/** True when `a` and `b` are in one of the shipped look-alike groups. */
export function isLookalike(a: string, b: string): boolean {
  return lookalikes.get(a)?.has(b) ?? false;
}

const toneless = (reading: string): string => reading.replace(/[0-5]$/, '');

/**
 * How `written` may have come to stand for `expected`, or null when the two
 * neither sound nor look alike. A sound-alike needs one of the two read in its
 * most common way: 长 (chang2, rarely zhang3) is a sound-alike of 常, but two
 * characters sharing only rare readings are not.
 */
export function charConfusion(written: string, expected: string): CharConfusion | null {
  if (written === expected) return null;
  const table = readings();
  const w = table.get(written);
  const e = table.get(expected);
  if (w?.primary && e?.primary) {
    if (e.all.includes(w.primary) || w.all.includes(e.primary)) return 'homophone';
    if (toneless(w.primary) === toneless(e.primary)) return 'nearHomophone';
  }
  return isLookalike(written, expected) ? 'lookalike' : null;
}
