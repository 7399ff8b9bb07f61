import { STANDARD_CHARS, TRADITIONAL_TO_STANDARD } from './default-packs/standard-chars';

/** What a character outside 《通用规范汉字表》 is, as far as the table can tell. */
export type NonStandardChar =
  /** A radical or compatibility code point that looks like a table character but is a different one (⼀ for 一, from PDFs). */
  | { kind: 'compatibility'; standard: string }
  /** A traditional character the table pairs with a standard one. */
  | { kind: 'traditional'; standard: string }
  /** A variant, a rare character or a Japanese form: the table does not say which, so no fix is offered. */
  | { kind: 'unknown' };

let standard: Set<string> | null = null;
let traditional: Map<string, string> | null = null;

function tables(): { standard: Set<string>; traditional: Map<string, string> } {
  if (!standard || !traditional) {
    standard = new Set(STANDARD_CHARS);
    const pairs = [...TRADITIONAL_TO_STANDARD];
    traditional = new Map();
    for (let i = 0; i + 1 < pairs.length; i += 2) traditional.set(pairs[i]!, pairs[i + 1]!);
  }
  return { standard, traditional };
}

/**
 * Radicals of the CJK Radicals Supplement drawn like whole characters (a PDF's
 * text layer uses them for 长, 西, 门…), which Unicode gives no decomposition:
 * from the block's names (C-SIMPLIFIED LONG is 长). Component-only forms (⻈ 讠)
 * are left out: they never stand alone in copied text.
 */
const RADICAL_LOOKALIKES: Record<string, string> = {
  '\u2EA0': '民',
  '\u2EC4': '西',
  '\u2EC5': '见',
  '\u2EC6': '角',
  '\u2EC9': '贝',
  '\u2ECB': '车',
  '\u2ED3': '长',
  '\u2ED4': '门',
  '\u2ED8': '青',
  '\u2ED9': '韦',
  '\u2EDA': '页',
  '\u2EDB': '风',
  '\u2EDC': '飞',
  '\u2EE2': '马',
  '\u2EE5': '鱼',
  '\u2EE6': '鸟',
  '\u2EE7': '卤',
  '\u2EE8': '麦',
  '\u2EE9': '黄',
  '\u2EEA': '黾',
  '\u2EEC': '齐',
  '\u2EEE': '齿',
  '\u2EF0': '龙',
};

/** 〇 is written in dates by the national standard for numerals, though the table lists it nowhere. */
const ALWAYS_STANDARD = '〇';
const HAN = /^\p{Script=Han}$/u;

/** True for a character of the table (or 〇). */
export function isStandardChar(char: string): boolean {
  return ALWAYS_STANDARD.includes(char) || tables().standard.has(char);
}

/** Null for a character that is not Han or is in the table; otherwise what it is and, when certain, its standard form. */
export function nonStandardChar(char: string): NonStandardChar | null {
  if (isStandardChar(char) || !HAN.test(char)) return null;
  const { standard, traditional } = tables();
  const radical = RADICAL_LOOKALIKES[char];
  if (radical) return { kind: 'compatibility', standard: radical };
  const unified = char.normalize('NFKC');
  if (unified !== char && [...unified].length === 1) {
    if (standard.has(unified)) return { kind: 'compatibility', standard: unified };
    const mapped = traditional.get(unified);
    if (mapped) return { kind: 'compatibility', standard: mapped };
  }
  const mapped = traditional.get(char);
  return mapped ? { kind: 'traditional', standard: mapped } : { kind: 'unknown' };
}
