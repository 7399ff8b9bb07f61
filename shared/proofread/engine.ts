import { isRealDate } from '../domain/calendar-date';
import { chineseNumeralValue as numeralValue } from '../text/chinese-numerals';
import { countBlocks } from '../text/count';
import { CITY_NAMES, COUNTY_NAMES, PROVINCE_DIRECT_COUNTY_NAMES, PROVINCE_NAMES } from './default-packs/place-names';
import { type AutomatonArrays, TermAutomaton } from './automaton';
import { findFormulationSlips } from './formulations';
import { type FindingParams, renderFindingMessage } from './messages';
import type { PackEntry, PackKind, RulePacks } from './packs';
import { shippedSegmenter, TextWordBoundaries, type WordSegmenter } from './segment';
import { type CharConfusion, charConfusion, isLookalike } from './soundalike';
import { isStandardChar, nonStandardChar } from './standard-chars';
import { CHINESE_PUNCTUATION, isHanCode, type TextBlock, textBlocks } from './text';
import type { CheckInput, Finding, ProofMessageKey, Severity } from './types';

/** Tuning of {@link checkArticle}; the defaults suit portal news copy. */
export interface CheckOptions {
  /** Protected terms up to this length (at most 7) only match one sound-alike or look-alike substitution (default 4). */
  shortTermMaxLength?: number;
  /** A paragraph longer than this many characters gets an accessibility warning (default 500). */
  longParagraphChars?: number;
  /** 'YYYY-MM-DD' used for outdated names when the article has no date (default: today). */
  today?: string;
}

/** Counts that suit Chinese copy. */
export interface ArticleCounts {
  /** Characters as Chinese word processors count them: each Han character and punctuation mark, each Latin word or number. */
  characters: number;
  /** Han characters only. */
  hanCharacters: number;
  /** Non-empty paragraphs and headings. */
  paragraphs: number;
  images: number;
  /** Estimated minutes to read, at 350 Han characters a minute (0 for an empty article). */
  readingMinutes: number;
}

type Payload =
  | { type: 'entry'; kind: PackKind; packId: string; entry: PackEntry }
  | { type: 'half'; term: string; side: 'left' | 'right' };

interface CompiledPacks {
  automaton: TermAutomaton<Payload>;
  protectedTerms: Set<string>;
  /** Protected terms only packs marked `nearMisses: 'unless-words'` hold. */
  cautiousTerms: Set<string>;
  allowWords: Set<string>;
  shortTermMaxLength: number;
  /** Short protected terms by length and masked position (see {@link MaskedTerms}). */
  masked: MaskedTerms;
  /** The shipped word list plus every protected term and 常用词, so 学习习近平 reads 学习 + 习近平. */
  segmenter: WordSegmenter;
}

/** How common a protected term or 常用词 the word list lacks counts for segmentation: about as common as 学习. */
const ADDED_WORD_FREQUENCY = 10_000;

/** True when `a` and `b` are a known look-alike pair (kept for callers of the engine). */
export { isLookalike };

/**
 * Short protected terms with one character masked, for finding sound-alike and
 * look-alike spellings without a pattern per variant: one map per term length
 * and masked position, keyed by a hash of the other characters. The hash stays
 * a small integer (no number boxed per lookup); a collision only costs a
 * comparison, since every window found is compared with its term.
 */
interface MaskedTerms {
  bySlot: Map<number, Map<number, string[]>>;
  /** For each UTF-16 code, a bit per (length, position) where some short term has that character: most windows fail here. */
  positions: Uint32Array;
}

const maskSlot = (length: number, index: number): number => length * 8 + index;
/** Short terms are at most this long, so each (length, position) has a bit of its own in 32. */
const MAX_SHORT_TERM = 7;
const positionBit = (length: number, position: number): number => 1 << ((length * (length - 1)) / 2 + position);

/** The key of the window's characters other than `index`, or -1 when one of them is in no term at its place. */
function maskedKey(text: string, start: number, length: number, index: number, positions: Uint32Array | null): number {
  let key = 0;
  for (let j = 0; j < length; j++) {
    if (j === index) continue;
    const code = text.charCodeAt(start + j);
    if (positions && (positions[code]! & positionBit(length, j)) === 0) return -1;
    key = (Math.imul(key, 1_000_003) + code) & 0x3fffffff;
  }
  return key;
}

const compiledCache = new WeakMap<RulePacks, Map<number, CompiledPacks>>();

/** Builds (once per pack array and option) the automaton every term list is matched with. */
function compile(packs: RulePacks, shortTermMaxLength: number): CompiledPacks {
  let byOption = compiledCache.get(packs);
  if (!byOption) {
    byOption = new Map();
    compiledCache.set(packs, byOption);
  }
  const cached = byOption.get(shortTermMaxLength);
  if (cached) return cached;
  const patterns: string[] = [];
  const payloads: Payload[] = [];
  const protectedTerms = new Set<string>();
  const strictTerms = new Set<string>();
  const allowWords = new Set<string>();
  const masked: MaskedTerms = { bySlot: new Map(), positions: new Uint32Array(65_536) };
  for (const pack of packs) {
    for (const entry of pack.entries) {
      patterns.push(entry.text);
      payloads.push({ type: 'entry', kind: pack.kind, packId: pack.id, entry });
      if (pack.kind === 'protected') {
        protectedTerms.add(entry.text);
        if (pack.nearMisses !== 'unless-words') strictTerms.add(entry.text);
      }
      if (pack.kind === 'allow') allowWords.add(entry.text);
    }
  }
  for (const term of protectedTerms) {
    const chars = [...term];
    if (chars.length < 2) continue;
    if (chars.length <= shortTermMaxLength) {
      // Short terms: one character changed; the window is found by its other characters.
      if (chars.length !== term.length || !allHan(term)) continue;
      for (let index = 0; index < term.length; index++) {
        masked.positions[term.charCodeAt(index)]! |= positionBit(term.length, index);
        const slot = maskSlot(term.length, index);
        let byKey = masked.bySlot.get(slot);
        if (!byKey) {
          byKey = new Map();
          masked.bySlot.set(slot, byKey);
        }
        const key = maskedKey(term, 0, term.length, index, null);
        const list = byKey.get(key);
        if (list) list.push(term);
        else byKey.set(key, [term]);
      }
    } else {
      // One edit leaves one half intact, so exact halves find every candidate window.
      const half = Math.floor(term.length / 2);
      patterns.push(term.slice(0, half), term.slice(half));
      payloads.push({ type: 'half', term, side: 'left' }, { type: 'half', term, side: 'right' });
      // Two neighbours swapped leave a half intact too, except the two either side of the middle: that spelling is looked for as it is.
      if (half >= 2 && half <= term.length - 2 && chars.length === term.length && allHan(term)) {
        patterns.push(`${term.slice(0, half - 1)}${term[half]}${term[half - 1]}${term.slice(half + 1)}`);
        payloads.push({ type: 'half', term, side: 'left' });
      }
    }
  }
  const automaton = automatonFor(patterns, payloads);
  const cautiousTerms = new Set([...protectedTerms].filter((term) => !strictTerms.has(term)));
  // Cautious terms are left out of the word list: thirty thousand town names as common as 学习 would cut everyday text around them (为了和平乡亲).
  const segmenter = shippedSegmenter().withWords([...strictTerms, ...allowWords], ADDED_WORD_FREQUENCY);
  const compiled = { automaton, protectedTerms, cautiousTerms, allowWords, shortTermMaxLength, masked, segmenter };
  byOption.set(shortTermMaxLength, compiled);
  return compiled;
}

/**
 * Where built automatons are kept between runs (the host's and the CLI's
 * worker: a file per pack version in the workspace's cache folder). `load`
 * returns what was saved for exactly these patterns, or null; whatever it
 * returns is still checked against the patterns before it is used.
 */
export interface AutomatonStore {
  load(patterns: readonly string[]): AutomatonArrays | null;
  save(patterns: readonly string[], arrays: AutomatonArrays): void;
}

let automatonStore: AutomatonStore | null = null;

/** Keeps built automatons in `store` (null: build in memory only). */
export function setAutomatonStore(store: AutomatonStore | null): void {
  automatonStore = store;
}

function automatonFor(patterns: readonly string[], payloads: readonly Payload[]): TermAutomaton<Payload> {
  const stored = automatonStore?.load(patterns);
  const loaded = stored ? TermAutomaton.fromArrays(stored, patterns, payloads) : null;
  if (loaded) return loaded;
  const automaton = new TermAutomaton<Payload>();
  for (const [index, pattern] of patterns.entries()) automaton.add(pattern, payloads[index] as Payload);
  const arrays = automaton.build();
  automatonStore?.save(patterns, arrays);
  return automaton;
}

function allHan(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (!isHanCode(text.charCodeAt(i))) return false;
  return true;
}

/** Characters naming an administrative level; swapping one for another names a different, real body. */
const ADMINISTRATIVE_LEVELS = '国省市区县州盟旗乡镇村';

/** The first of two neighbouring characters written the other way round inside `term` (人民代大表会), or -1. */
function swappedAt(window: string, term: string): number {
  if (window.length !== term.length) return -1;
  let first = -1;
  for (let i = 0; i < term.length; i++) {
    if (window[i] === term[i]) continue;
    if (first >= 0) return i === first + 1 && window[first] === term[i] && window[i] === term[first] && window.slice(i + 1) === term.slice(i + 1) ? first : -1;
    first = i;
  }
  return -1;
}

/**
 * Whether `window` is `term` with one character substituted, dropped or added,
 * or, in a long term, two neighbours inside it swapped. Edits at either end
 * only count as look-alike substitutions: "中华人民共和国的" is the term
 * followed by a word, not a misspelling of it.
 */
function isNearMiss(window: string, term: string, short: boolean): boolean {
  if (window === term || !allHan(window)) return false;
  const n = term.length;
  if (window.length === n) {
    const swap = swappedAt(window, term);
    if (swap >= 0) return !short && swap > 0 && swap + 1 < n - 1;
    let diff = -1;
    for (let i = 0; i < n; i++) {
      if (window[i] !== term[i]) {
        if (diff >= 0) return false;
        diff = i;
      }
    }
    if (diff < 0) return false;
    const written = window[diff] as string;
    const expected = term[diff] as string;
    if (short || diff === 0 || diff === n - 1) return charConfusion(written, expected) !== null;
    // 全省人民代表大会 is the province's own body, not a misspelt 全国人民代表大会.
    return !(ADMINISTRATIVE_LEVELS.includes(written) && ADMINISTRATIVE_LEVELS.includes(expected));
  }
  if (short) return false;
  const [longer, shorter] = window.length === n + 1 ? [window, term] : window.length === n - 1 ? [term, window] : [null, null];
  if (longer === null || shorter === null) return false;
  if (longer[0] !== shorter[0] || longer[longer.length - 1] !== shorter[shorter.length - 1]) return false;
  let p = 0;
  while (p < shorter.length && longer[p] === shorter[p]) p++;
  return p > 0 && p < longer.length - 1 && longer.slice(p + 1) === shorter.slice(p);
}

/**
 * Whether a window with one character changed at an end of the term is
 * ordinary words as written: 北京是 is 北京 + 是 (a place is often named
 * without its 市 or 县), 人民检察员 is 人民 + 检察员. A change inside the term
 * (检查院) cannot be read that way: the term's own characters surround it.
 */
function readsAsWritten(window: string, term: string, segmenter: WordSegmenter): boolean {
  if (window.length !== term.length) return false;
  const last = term.length - 1;
  const at = window[0] !== term[0] ? 0 : window[last] !== term[last] ? last : -1;
  if (at < 0) return false;
  if (at === last && ADMINISTRATIVE_LEVELS.includes(term[last] as string)) return true;
  const rest = at === 0 ? window.slice(1) : window.slice(0, last);
  if (rest.length >= 2 && segmenter.has(rest)) return true;
  // The changed character makes a word with its neighbour inside the window.
  const ends = segmenter.cutEnds(window);
  if (at === 0) return ends[0]! > 1;
  for (let i = 0; i < window.length; i = ends[i]!) if (ends[i] === window.length) return i < last;
  return false;
}

/**
 * Every finding's wording goes through here: the key and params let the UI
 * and the CLI say it in the reader's language, and the Chinese text is stored
 * as `message` once the finding is known to be listed (see {@link capPerRule}):
 * most of tens of thousands of findings are only counted.
 */
function say(messageKey: ProofMessageKey, params: FindingParams = {}): Required<Pick<Finding, 'message' | 'messageKey' | 'params'>> {
  return { message: '', messageKey, params };
}

function withMessage(finding: Finding): Finding {
  if (finding.messageKey) finding.message = renderFindingMessage('zh-CN', finding.messageKey, finding.params ?? {});
  return finding;
}

const DEFAULT_SEVERITY: Record<Exclude<PackKind, 'allow' | 'protected'>, Severity> = {
  sensitive: 'error',
  misspelling: 'error',
  outdated: 'error',
};

interface Span {
  start: number;
  end: number;
}

/** What the term lists find, and where the text holds a protected term or 常用词 exactly. */
interface ListResult {
  findings: Finding[];
  exact: Span[];
}

function listFindings(text: string, compiled: CompiledPacks, articleDate: string, words: TextWordBoundaries): ListResult {
  const findings: Finding[] = [];
  const exact: Span[] = [];
  const candidates = new Map<string, { start: number; end: number; term: string }>();
  const consider = (start: number, end: number, term: string) => {
    if (start < 0 || end > text.length) return;
    const key = `${start}:${end}:${term}`;
    if (candidates.has(key)) return;
    const window = text.slice(start, end);
    if (compiled.protectedTerms.has(window) || compiled.allowWords.has(window)) return;
    const short = term.length <= compiled.shortTermMaxLength;
    // A short window that is a word of its own (正副 beside 政府) was meant as written.
    if (short && compiled.segmenter.has(window)) return;
    if (isNearMiss(window, term, short) && !readsAsWritten(window, term, compiled.segmenter) && !termDiffersByVariant(window, term)) {
      candidates.set(key, { start, end, term });
    }
  };
  findMaskedWindows(text, compiled.masked, consider);
  compiled.automaton.search(text, (start, end, payload) => {
    if (payload.type === 'half') {
      const n = payload.term.length;
      for (const length of [n - 1, n, n + 1]) {
        if (payload.side === 'left') consider(start, start + length, payload.term);
        else consider(end - length, end, payload.term);
      }
      return;
    }
    const { kind, entry } = payload;
    if (kind === 'protected' || kind === 'allow') {
      exact.push({ start, end });
      return;
    }
    // 叫做为人民服务 is 叫做 + 为, 讲座落幕 is 讲座 + 落幕: the pair's characters belong to other words there.
    if (kind === 'misspelling' && !(words.isBoundary(start) && words.isBoundary(end))) return;
    if (kind === 'outdated') {
      if (entry.since && articleDate < entry.since) return;
      // "原国土资源部" names the old body on purpose.
      if (text[start - 1] === '原' || text[start - 1] === '前') return;
    }
    const messageKey: ProofMessageKey =
      kind === 'sensitive'
        ? entry.suggestion
          ? 'proof.finding.sensitiveWithSuggestion'
          : 'proof.finding.sensitive'
        : kind === 'misspelling'
          ? entry.severity === 'hint'
            ? 'proof.finding.preferredSpelling'
            : 'proof.finding.misspelling'
          : entry.suggestion
            ? 'proof.finding.outdatedWithSuggestion'
            : 'proof.finding.outdated';
    // 截止5 → 截至5: the figure only says where the rule applies, so the mark, the message and the fix leave it out.
    const kept = entry.suggestion ? sharedTailOutsideHan(entry.text, entry.suggestion) : 0;
    const params: FindingParams = { text: entry.text.slice(0, entry.text.length - kept) };
    if (entry.suggestion || kind === 'misspelling') params.suggestion = (entry.suggestion ?? '').slice(0, (entry.suggestion ?? '').length - kept);
    if (kind === 'outdated') params.since = entry.since ?? '';
    if (entry.note) params.note = entry.note;
    findings.push({
      rule: `${kind}:${entry.text}`,
      family: kind,
      severity: entry.severity ?? DEFAULT_SEVERITY[kind],
      start,
      end: end - kept,
      text: entry.text.slice(0, entry.text.length - kept),
      ...say(messageKey, params),
      ...(entry.suggestion ? { suggestion: entry.suggestion.slice(0, entry.suggestion.length - kept) } : {}),
    });
  });
  // Index maps instead of nested scans: an office pack of overlapping entries can yield tens of thousands of matches.
  const exactMaxEnd = spanMaxEnds(exact, text.length);
  const exactCoverFromLeft = coverFromLeft(exactMaxEnd);
  const overlapsExact = (c: Span): boolean => {
    // An exact term (or 常用词) that starts before the window and runs into it, or starts inside and runs past it.
    if (exactCoverFromLeft[c.start]! > c.start) return true;
    for (let p = c.start; p < c.end; p++) if (exactMaxEnd[p]! > c.end) return true;
    return false;
  };
  const nearMisses = [...candidates.values()].filter(
    (c) =>
      // 学习习近平: the first 习 belongs to 学习, so 习习近平 is not what was written.
      words.isBoundary(c.start) &&
      words.isBoundary(c.end) &&
      !overlapsExact(c) &&
      !(compiled.cautiousTerms.has(c.term) && changeInWord(text, c, words)),
  );
  const missMaxEnd = spanMaxEnds(nearMisses, text.length);
  let longestMiss = 0;
  for (const miss of nearMisses) longestMiss = Math.max(longestMiss, miss.end - miss.start);
  const insideLongerMiss = (miss: Span): boolean => {
    for (let p = Math.max(0, miss.end - longestMiss); p <= miss.start; p++) {
      const end = missMaxEnd[p]!;
      if (end > miss.end || (end === miss.end && p < miss.start)) return true;
    }
    return false;
  };
  // One window can be a near miss of two terms (最高人民检院: 最高人民检察院 without 察, or 最高人民法院 with 检 for 法).
  const termsBySpan = new Map<string, string[]>();
  for (const miss of nearMisses) {
    if (insideLongerMiss(miss)) continue;
    const span = `${miss.start}:${miss.end}`;
    const terms = termsBySpan.get(span);
    if (terms) terms.push(miss.term);
    else termsBySpan.set(span, [miss.term]);
  }
  const reported = new Set<string>();
  for (const miss of nearMisses) {
    const span = `${miss.start}:${miss.end}`;
    const terms = termsBySpan.get(span);
    if (!terms || reported.has(span)) continue;
    reported.add(span);
    const window = text.slice(miss.start, miss.end);
    // Which one was meant cannot be known, so neither is offered as the fix.
    const ambiguous = terms.length > 1;
    findings.push({
      rule: `protected-term:${terms.join('|')}`,
      family: 'protected',
      // A list of names that is never complete (towns are renamed, merged, founded) cannot say a name is wrong, only unknown.
      severity: terms.every((term) => compiled.cautiousTerms.has(term)) ? 'warning' : 'error',
      start: miss.start,
      end: miss.end,
      text: window,
      ...(ambiguous ? say('proof.finding.protectedNearMissOfSeveral', { text: window, first: terms[0] as string, second: terms.slice(1).join('、') }) : say(...nearMissMessage(window, miss.term))),
      ...(ambiguous ? {} : { suggestion: miss.term }),
    });
  }
  // A misspelling pair that is also a protected near miss (攻府) is reported once, as the protected term.
  return { findings: findings.filter((f) => f.family === 'protected' || !reported.has(`${f.start}:${f.end}`)), exact };
}

/** How many characters `window` and `term` share at their start and, after that, at their end. */
function sharedEnds(window: string, term: string): { head: number; tail: number } {
  let head = 0;
  while (head < window.length && head < term.length && window[head] === term[head]) head++;
  let tail = 0;
  while (tail < window.length - head && tail < term.length - head && window[window.length - 1 - tail] === term[term.length - 1 - tail]) tail++;
  return { head, tail };
}

/**
 * True when the term differs from what was written by a character outside
 * 《通用规范汉字表》 (the town 濛江乡 against 蒙江乡): the standard character
 * written is no slip, whatever name keeps the old form.
 */
function termDiffersByVariant(window: string, term: string): boolean {
  const { head, tail } = sharedEnds(window, term);
  for (const char of term.slice(head, term.length - tail)) if (!isStandardChar(char)) return true;
  return false;
}

/**
 * True when a character where the window differs from its term belongs to a
 * word of two or more characters in the text as segmented (和城乡建设: 城 is
 * in 城乡). A dropped character is judged by the two it left side by side.
 */
function changeInWord(text: string, miss: { start: number; end: number; term: string }, words: TextWordBoundaries): boolean {
  const { head, tail } = sharedEnds(text.slice(miss.start, miss.end), miss.term);
  let from = miss.start + head;
  let to = miss.end - tail;
  if (from >= to) {
    from = Math.max(miss.start, from - 1);
    to = Math.min(miss.end, to + 1);
  }
  for (let at = from; at < to; at++) if (!words.isBoundary(at) || !words.isBoundary(at + 1)) return true;
  return false;
}

/** Calls `consider` for every window that is a short protected term with one character changed. */
function findMaskedWindows(text: string, masked: MaskedTerms, consider: (start: number, end: number, term: string) => void): void {
  if (masked.bySlot.size === 0) return;
  const slots = [...masked.bySlot.entries()].map(([slot, byKey]) => {
    const length = slot >> 3;
    const index = slot & 7;
    // The first character the key reads, tested before the key is computed.
    const first = index === 0 ? 1 : 0;
    return { length, index, byKey, first, firstBit: positionBit(length, first) };
  });
  const bits = new Uint32Array(text.length);
  for (let i = 0; i < text.length; i++) bits[i] = masked.positions[text.charCodeAt(i)]!;
  let runEnd = 0;
  for (let start = 0; start < text.length; start++) {
    if (bits[start] === 0 && bits[start + 1] === 0) continue;
    if (!isHanCode(text.charCodeAt(start))) continue;
    if (runEnd <= start) {
      runEnd = start;
      while (runEnd < text.length && isHanCode(text.charCodeAt(runEnd))) runEnd++;
    }
    for (const slot of slots) {
      if (start + slot.length > runEnd || (bits[start + slot.first]! & slot.firstBit) === 0) continue;
      const key = maskedKey(text, start, slot.length, slot.index, masked.positions);
      if (key < 0) continue;
      const terms = slot.byKey.get(key);
      if (terms) for (const term of terms) consider(start, start + slot.length, term);
    }
  }
}

const CONFUSION_MESSAGES: Record<CharConfusion, ProofMessageKey> = {
  homophone: 'proof.finding.protectedHomophone',
  nearHomophone: 'proof.finding.protectedNearHomophone',
  lookalike: 'proof.finding.protectedLookalike',
};

/** The message of a near miss: which character stands for which, and why, when one was substituted; which two were swapped. */
function nearMissMessage(window: string, term: string): [ProofMessageKey, FindingParams] {
  const swap = swappedAt(window, term);
  if (swap >= 0) return ['proof.finding.protectedSwap', { text: window, term, written: window.slice(swap, swap + 2), expected: term.slice(swap, swap + 2) }];
  if (window.length === term.length) {
    for (let i = 0; i < term.length; i++) {
      if (window[i] === term[i]) continue;
      const written = window[i] as string;
      const expected = term[i] as string;
      const confusion = charConfusion(written, expected);
      if (confusion) return [CONFUSION_MESSAGES[confusion], { text: window, term, written, expected }];
      break;
    }
  }
  return ['proof.finding.protectedNearMiss', { text: window, term }];
}

/** Listings of a fixed formulation's parts out of order, misspelt or mixed with another's. */
function formulationFindings(text: string): Finding[] {
  return findFormulationSlips(text).map((slip) => {
    const written = text.slice(slip.start, slip.end);
    const said = slip.suggestion
      ? say('proof.finding.formulationOrder', { text: written, name: slip.list.name, standard: slip.suggestion })
      : say('proof.finding.formulationMixed', { text: written, name: slip.list.name, other: slip.mixedWith?.name ?? '' });
    return {
      rule: `formulation:${slip.list.name}`,
      family: 'protected',
      severity: 'error' as const,
      start: slip.start,
      end: slip.end,
      text: written,
      ...said,
      ...(slip.suggestion ? { suggestion: slip.suggestion } : {}),
    };
  });
}

/** How many characters, none of them Han, `a` and `b` end with alike (never all of `a`). */
function sharedTailOutsideHan(a: string, b: string): number {
  let k = 0;
  while (k < a.length - 1 && k < b.length && a[a.length - 1 - k] === b[b.length - 1 - k] && !isHanCode(a.charCodeAt(a.length - 1 - k))) k++;
  return k;
}

/** For each offset, the furthest end of the spans starting there (0 when none does). */
function spanMaxEnds(spans: readonly Span[], length: number): Int32Array {
  const maxEnd = new Int32Array(length + 1);
  for (const s of spans) if (s.end > maxEnd[s.start]!) maxEnd[s.start] = s.end;
  return maxEnd;
}

/** For each offset x, the furthest end of the spans starting before x. */
function coverFromLeft(maxEnd: Int32Array): Int32Array {
  const cover = new Int32Array(maxEnd.length);
  let furthest = 0;
  for (let x = 0; x < maxEnd.length; x++) {
    cover[x] = furthest;
    furthest = Math.max(furthest, maxEnd[x]!);
  }
  return cover;
}

const HALF_TO_FULL: Record<string, string> = { ',': '，', ';': '；', ':': '：', '?': '？', '!': '！', '(': '（', ')': '）' };

function isChineseNeighbour(char: string | undefined): boolean {
  if (char === undefined) return false;
  return isHanCode(char.charCodeAt(0)) || CHINESE_PUNCTUATION.includes(char);
}

function punctuationFindings(block: TextBlock): Finding[] {
  const findings: Finding[] = [];
  const { text, start: base } = block;
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    const full = HALF_TO_FULL[char];
    if (!full) continue;
    let p = i - 1;
    while (p >= 0 && text[p] === ' ') p--;
    let q = i + 1;
    while (q < text.length && text[q] === ' ') q++;
    const before = text[p];
    const after = text[q];
    if ((char === ':' || char === ',') && /\d/.test(text[i - 1] ?? '') && /\d/.test(text[i + 1] ?? '')) continue;
    if (char === ':' && text.startsWith('//', i + 1)) continue;
    const chinese =
      char === '(' ? isChineseNeighbour(after) || isChineseNeighbour(before) : char === ')' ? isChineseNeighbour(before) || isChineseNeighbour(after) : isChineseNeighbour(before) || (isChineseNeighbour(after) && !/[A-Za-z]/.test(before ?? ''));
    if (!chinese) continue;
    findings.push({
      rule: 'punct:half-width-in-chinese',
      family: 'punctuation',
      severity: 'warning',
      start: base + i,
      end: base + i + 1,
      text: char,
      ...say('proof.finding.halfWidth', { char, full }),
      suggestion: full,
    });
  }
  findings.push(...quoteFindings(block), ...halfWidthStopFindings(block));
  return findings;
}

/**
 * A half-width full stop between two Han characters (会议.研究): wrong in
 * Chinese text, but whether it stands for 。 or for the interpunct of a
 * transliterated name (阿卜杜勒·艾尼) cannot be known, so no fix is offered.
 */
function halfWidthStopFindings(block: TextBlock): Finding[] {
  const { text, start: base } = block;
  const findings: Finding[] = [];
  for (let i = text.indexOf('.'); i >= 0; i = text.indexOf('.', i + 1)) {
    if (!isHanCode(text.charCodeAt(i - 1)) || !isHanCode(text.charCodeAt(i + 1))) continue;
    findings.push({
      rule: 'punct:half-width-in-chinese',
      family: 'punctuation',
      severity: 'warning',
      start: base + i,
      end: base + i + 1,
      text: '.',
      ...say('proof.finding.halfWidthStop'),
    });
  }
  return findings;
}

const HAN_CHAR = /\p{Script=Han}/u;

/**
 * Straight double quotes in Chinese text (会议强调"两个确立"): taken in pairs
 * in the order they come in the paragraph, a pair is reported when it
 * encloses a Han character or stands between Chinese on both sides, the first
 * as “ and the second as ”. A quote left without a partner, or a pair that
 * does not hug its words, is left alone: which way it should face, or whether
 * it is a quote at all, cannot be known.
 */
function quoteFindings(block: TextBlock): Finding[] {
  const { text, start: base } = block;
  const quotes: number[] = [];
  for (let i = text.indexOf('"'); i >= 0; i = text.indexOf('"', i + 1)) quotes.push(i);
  const findings: Finding[] = [];
  for (let k = 0; k + 1 < quotes.length; k += 2) {
    const open = quotes[k] as number;
    const close = quotes[k + 1] as number;
    // An opening quote hugs what follows it and a closing one what precedes it; 5" is an inch mark.
    const hugs = !/\s/.test(text[open + 1] ?? ' ') && !/\s/.test(text[close - 1] ?? ' ') && !/\d/.test(text[open - 1] ?? '');
    const chinese = HAN_CHAR.test(text.slice(open + 1, close)) || (isChineseNeighbour(text[open - 1]) && isChineseNeighbour(text[close + 1]));
    if (!hugs || !chinese) continue;
    for (const [at, full] of [
      [open, '“'],
      [close, '”'],
    ] as const) {
      findings.push({
        rule: 'punct:half-width-in-chinese',
        family: 'punctuation',
        severity: 'warning',
        start: base + at,
        end: base + at + 1,
        text: '"',
        ...say('proof.finding.halfWidth', { char: '"', full }),
        suggestion: full,
      });
    }
  }
  return findings;
}

const OPENERS: Record<string, string> = { '“': '”', '‘': '’', '（': '）', '(': ')', '《': '》', '〈': '〉', '【': '】', '「': '」' };
const CLOSERS = new Map(Object.entries(OPENERS).map(([open, close]) => [close, open]));
const UNPAIRED_KEYS: Record<string, ProofMessageKey> = {
  '“': 'proof.finding.unpairedQuote',
  '‘': 'proof.finding.unpairedQuote',
  '（': 'proof.finding.unpairedParenthesis',
  '(': 'proof.finding.unpairedParenthesis',
  '《': 'proof.finding.unpairedTitleMark',
  '〈': 'proof.finding.unpairedTitleMark',
  '【': 'proof.finding.unpairedSquareBracket',
  '「': 'proof.finding.unpairedQuote',
};

function pairFindings(block: TextBlock): Finding[] {
  const findings: Finding[] = [];
  const { text, start: base } = block;
  const report = (index: number, char: string, opener: string) =>
    findings.push({
      rule: 'pairs:unpaired',
      family: 'pairs',
      severity: 'warning',
      start: base + index,
      end: base + index + 1,
      text: char,
      ...say(UNPAIRED_KEYS[opener] ?? 'proof.finding.unpairedMark', { char }),
    });
  // One stack of open marks, plus one per kind of mark, so a closer finds its opener without a scan.
  interface OpenMark {
    char: string;
    index: number;
    /** Its place in `stack` while open. */
    at: number;
    open: boolean;
  }
  const stack: OpenMark[] = [];
  const byKind = new Map<string, OpenMark[]>();
  const kindOf = (opener: string) => (opener === '(' ? '（' : opener);
  for (let i = 0; i < text.length; i++) {
    const char = text[i] as string;
    if (OPENERS[char]) {
      const mark = { char, index: i, at: stack.length, open: true };
      const kind = kindOf(char);
      const marks = byKind.get(kind);
      if (marks) marks.push(mark);
      else byKind.set(kind, [mark]);
      stack.push(mark);
      continue;
    }
    const opener = CLOSERS.get(char);
    if (!opener) continue;
    const marks = byKind.get(kindOf(opener)) ?? [];
    // Marks already reported as unclosed are dropped here, each once.
    while (marks.length > 0 && !marks[marks.length - 1]!.open) marks.pop();
    const match = marks.pop();
    if (match === undefined) {
      report(i, char, opener);
      continue;
    }
    // Openers above the matched one were never closed.
    for (const inner of stack.splice(match.at)) {
      inner.open = false;
      if (inner !== match) report(inner.index, inner.char, inner.char);
    }
  }
  for (const open of stack) report(open.index, open.char, open.char);
  return findings;
}

const SENTENCE_PUNCTUATION = '，。、；：';
/** Characters that are almost never doubled on purpose, so 的的 or 了了 is a slip. */
const FUNCTION_CHARS = '的了是在和与及对把被将从以而并或于地得着过就也都又把';
/** Words in which a doubled function character is right. */
const LEGITIMATE_DOUBLES = ['的的确确', '是是非非', '了了解', '不了了之', '实实在在', '自由自在在', '地地道道', '过过日子', '和和美美', '在在都是', '明了了', '对对联', '为了了'];

/** The longest phrase looked for typed twice in a row. */
const LONGEST_REPEATED_PHRASE = 24;

/**
 * A run of three or more Han characters typed twice in a row (进一步进一步加强,
 * 会议指出会议指出): in official writing that is a slip, never a form. Two
 * characters doubled are left alone (研究研究, 看看, 一步一步 are words).
 */
function repeatedPhraseFindings(block: TextBlock): Finding[] {
  const findings: Finding[] = [];
  const { text, start: base } = block;
  for (let i = 0; i < text.length; i++) {
    if (!isHanCode(text.charCodeAt(i))) continue;
    for (let length = 3; length <= LONGEST_REPEATED_PHRASE && i + 2 * length <= text.length; length++) {
      if (text.charCodeAt(i + length) !== text.charCodeAt(i) || !isHanCode(text.charCodeAt(i + length - 1))) continue;
      const phrase = text.slice(i, i + length);
      if (!allHan(phrase) || !text.startsWith(phrase, i + length)) continue;
      findings.push({
        rule: 'repeat:phrase',
        family: 'repeat',
        severity: 'warning',
        start: base + i,
        end: base + i + 2 * length,
        text: phrase + phrase,
        ...say('proof.finding.doubledPhrase', { phrase }),
        suggestion: phrase,
      });
      i += 2 * length - 1;
      break;
    }
  }
  return findings;
}

function repeatFindings(block: TextBlock, words: TextWordBoundaries): Finding[] {
  const findings: Finding[] = repeatedPhraseFindings(block);
  const { text, start: base } = block;
  for (let i = 0; i + 1 < text.length; i++) {
    const char = text[i] as string;
    const next = text[i + 1] as string;
    if (SENTENCE_PUNCTUATION.includes(char) && SENTENCE_PUNCTUATION.includes(next)) {
      let end = i + 2;
      while (end < text.length && SENTENCE_PUNCTUATION.includes(text[end] as string)) end++;
      const run = text.slice(i, end);
      findings.push({
        rule: 'repeat:punctuation',
        family: 'repeat',
        severity: 'warning',
        start: base + i,
        end: base + end,
        text: run,
        ...say('proof.finding.doubledPunctuation', { run }),
        suggestion: run[run.length - 1] === '。' ? '。' : char,
      });
      i = end - 1;
      continue;
    }
    if ((char === '！' || char === '？') && next === char) {
      findings.push({ rule: 'repeat:punctuation', family: 'repeat', severity: 'warning', start: base + i, end: base + i + 2, text: char + next, ...say('proof.finding.doubledPunctuation', { run: char + next }), suggestion: char });
      i++;
      continue;
    }
    if (char === next && FUNCTION_CHARS.includes(char)) {
      const legitimate = LEGITIMATE_DOUBLES.some((word) => {
        const k = word.indexOf(char + char);
        for (let at = k; at >= 0; at = word.indexOf(char + char, at + 1)) {
          if (text.slice(i - at, i - at + word.length) === word) return true;
        }
        return false;
      });
      // 的的确确, 为了了解: each of the two belongs to a word of its own.
      if (legitimate || (words.inLongerWord(base + i) && words.inLongerWord(base + i + 1))) continue;
      findings.push({
        rule: 'repeat:character',
        family: 'repeat',
        severity: 'warning',
        start: base + i,
        end: base + i + 2,
        text: char + next,
        ...say('proof.finding.doubledCharacter', { char }),
        suggestion: char,
      });
      i++;
    }
  }
  return findings;
}

const WEEKDAYS = '日一二三四五六';

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function ymd(year: number, month: number, day: number): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

interface FoundDate {
  start: number;
  end: number;
  year: number | null;
  month: number;
  day: number;
  /** How it is written: all in figures, all in Chinese numerals, or both mixed. */
  numerals: 'figures' | 'chinese' | 'mixed';
  /** A year in Chinese numerals with 零, ○, O or 0 where 〇 belongs, as written. */
  badZero: string | null;
}

/**
 * A date in figures (2024年5月31日) or in Chinese numerals (二〇二四年五月三十一日),
 * or a mix of both. The year's digits in Chinese also take the characters
 * written by mistake for 〇 (零, ○, O, 0), so those are found too.
 */
const DATE_PATTERN =
  /(?:(\d{4}|[〇零○OＯ0一二三四五六七八九]{4})年)?(\d{1,2}|十[一二]?|[一二三四五六七八九])月(\d{1,2}|三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九])日/g;
const NUMERAL_BEFORE = /[\d〇零一二三四五六七八九十]/;
function findDates(text: string): FoundDate[] {
  const found: FoundDate[] = [];
  for (const match of text.matchAll(DATE_PATTERN)) {
    const start = match.index;
    if (start > 0 && NUMERAL_BEFORE.test(text[start - 1] as string)) continue;
    const [, year, month, day] = match as unknown as [string, string | undefined, string, string];
    const parts = [year, month, day].filter((part): part is string => part !== undefined);
    const figures = parts.filter((part) => /^\d+$/.test(part)).length;
    // A year in figures (2024) is all figures; one with 0 or O among Chinese numerals is a Chinese year written wrong.
    const chineseYear = year !== undefined && !/^\d{4}$/.test(year);
    found.push({
      start,
      end: start + match[0].length,
      year: year ? numeralValue(year) : null,
      month: numeralValue(month),
      day: numeralValue(day),
      numerals: figures === parts.length ? 'figures' : figures === 0 ? 'chinese' : 'mixed',
      badZero: chineseYear && /[零○OＯ0]/.test(year) ? year : null,
    });
  }
  return found;
}

/** The date in figures, as standard writing has it (GB/T 15835). */
function dateInFigures(date: FoundDate): string {
  return `${date.year === null ? '' : `${date.year}年`}${date.month}月${date.day}日`;
}

/**
 * Figures joined to 百 or 千 (3千万元, 5百余人): standard writing (GB/T 15835)
 * joins figures only to 万 and 亿. What follows 千 or 百 in 千米, 千克, 千瓦,
 * 千伏, 千帕, 千焦, 千卡, 千赫, 百帕 makes a unit, which is right as it is.
 */
const FIGURE_WITH_PLACE = /(\d+(?:\.\d+)?)([百千])(?![米克瓦伏帕焦卡赫])/g;

function numberFindings(text: string): Finding[] {
  const findings: Finding[] = [];
  for (const match of text.matchAll(FIGURE_WITH_PLACE)) {
    const [written, figure, place] = match as unknown as [string, string, '百' | '千'];
    if (/[\d.]/.test(text[match.index - 1] ?? '')) continue;
    // Rounded so 1.1千 is 1100, not 1100.0000000000002.
    const right = String(Number((Number(figure) * (place === '千' ? 1000 : 100)).toFixed(6)));
    findings.push({
      rule: 'number:figure-with-place',
      family: 'number',
      severity: 'warning',
      start: match.index,
      end: match.index + written.length,
      text: written,
      ...say('proof.finding.figureWithPlace', { text: written, place, right }),
      suggestion: right,
    });
  }
  return findings;
}

function dateFindings(text: string, articleYear: number | null): Finding[] {
  const findings: Finding[] = [];
  for (const date of findDates(text)) {
    const year = date.year ?? articleYear;
    const span = text.slice(date.start, date.end);
    if (date.badZero !== null) {
      const right = date.badZero.replace(/[零○OＯ0]/g, '〇');
      const at = date.start;
      findings.push({
        rule: 'date:year-zero',
        family: 'date',
        severity: 'error',
        start: at,
        end: at + 4,
        text: date.badZero,
        ...say('proof.finding.yearZero', { text: date.badZero, right }),
        suggestion: right,
      });
    } else if (date.numerals === 'mixed') {
      const right = dateInFigures(date);
      findings.push({
        rule: 'date:mixed-numerals',
        family: 'date',
        severity: 'warning',
        start: date.start,
        end: date.end,
        text: span,
        ...say('proof.finding.mixedDateNumerals', { text: span, right }),
        suggestion: right,
      });
    }
    const possible = date.month >= 1 && date.month <= 12 && date.day >= 1 && date.day <= daysInMonth(year ?? 2000, date.month);
    if (!possible) {
      findings.push({ rule: 'date:impossible', family: 'date', severity: 'error', start: date.start, end: date.end, text: span, ...say('proof.finding.impossibleDate', { text: span }) });
      continue;
    }
    if (year === null) continue;
    const weekday = /^\s*[（(]?\s*(星期|周|礼拜)([一二三四五六日天])/.exec(text.slice(date.end, date.end + 8));
    if (!weekday) continue;
    const actual = new Date(Date.UTC(year, date.month - 1, date.day)).getUTCDay();
    const written = weekday[2] === '天' ? 0 : WEEKDAYS.indexOf(weekday[2] as string);
    if (written === actual) continue;
    const prefix = weekday[1] as string;
    const wordText = `${prefix}${weekday[2]}`;
    const wordStart = date.end + weekday[0].length - wordText.length;
    const right = `${prefix}${WEEKDAYS[actual]}`;
    findings.push({
      rule: 'date:weekday',
      family: 'date',
      severity: 'error',
      start: wordStart,
      end: wordStart + wordText.length,
      text: wordText,
      ...say('proof.finding.weekdayMismatch', { year, month: date.month, day: date.day, right, written: wordText }),
      suggestion: right,
    });
  }
  return findings;
}

function leadBlock(blocks: readonly TextBlock[]): TextBlock | undefined {
  return (
    blocks.find((b) => b.node.attrs?.role === 'lead' && b.text.trim()) ??
    blocks.find((b) => b.node.type === 'paragraph' && b.text.trim() !== '')
  );
}

function leadDateFindings(blocks: readonly TextBlock[], publishAt: string | null): Finding[] {
  if (!publishAt || !isRealDate(publishAt.slice(0, 10))) return [];
  const lead = leadBlock(blocks);
  if (!lead) return [];
  const first = findDates(lead.text)[0];
  if (!first) return [];
  const [py, pm, pd] = publishAt.slice(0, 10).split('-').map(Number) as [number, number, number];
  const year = first.year ?? (first.month > pm ? py - 1 : py);
  if (first.month < 1 || first.month > 12 || first.day > daysInMonth(year, first.month)) return [];
  const leadTime = Date.UTC(year, first.month - 1, first.day);
  const publishTime = Date.UTC(py, pm - 1, pd);
  const dayMs = 86_400_000;
  if (leadTime === publishTime || leadTime === publishTime - dayMs) return [];
  const span = lead.text.slice(first.start, first.end);
  const sameMonth = first.month === pm && year === py;
  return [
    {
      rule: sameMonth ? 'date:lead-day-vs-meta' : 'date:lead-month-vs-meta',
      family: 'date',
      severity: sameMonth ? 'hint' : 'warning',
      start: lead.start + first.start,
      end: lead.start + first.end,
      text: span,
      ...(sameMonth
        ? say('proof.finding.leadDateDay', {
            text: span,
            publishDate: publishAt.slice(0, 10),
            days: Math.round(Math.abs(publishTime - leadTime) / dayMs),
          })
        : say('proof.finding.leadDateMonth', { text: span, publishDate: publishAt.slice(0, 10) })),
      field: 'publishAt',
    },
  ];
}

function metadataFindings(input: CheckInput, text: string, compiled: CompiledPacks): Finding[] {
  const findings: Finding[] = [];
  const meeting = input.meta.meeting;
  const metaFinding = (
    rule: string,
    field: string,
    severity: Severity,
    said: ReturnType<typeof say>,
    suggestion?: string,
  ): Finding => ({
    rule,
    family: 'metadata',
    severity,
    start: 0,
    end: 0,
    text: '',
    ...said,
    field,
    ...(suggestion ? { suggestion } : {}),
  });
  for (const attendee of meeting?.attendees ?? []) {
    if (attendee.kind !== 'person' || text.includes(attendee.name)) continue;
    findings.push(metaFinding('metadata:attendee-missing', 'attendees', 'warning', say('proof.finding.attendeeMissing', { name: attendee.name })));
  }
  if (meeting?.host && !text.includes(meeting.host)) {
    findings.push(metaFinding('metadata:host-missing', 'meeting.host', 'warning', say('proof.finding.hostMissing', { name: meeting.host })));
  }
  const source = input.meta.source;
  if (source && !compiled.protectedTerms.has(source)) {
    for (const term of compiled.protectedTerms) {
      if (Math.abs(term.length - source.length) > 1) continue;
      if (isNearMiss(source, term, term.length <= compiled.shortTermMaxLength)) {
        findings.push(metaFinding('metadata:source-near-miss', 'source', 'error', say('proof.finding.sourceNearMiss', { source, term }), term));
        break;
      }
    }
  }
  return findings;
}

type UnitLevel = 'district' | 'city' | 'province';

/** Words that contain a level character without naming a level (区市场监督管理局 is a district unit). */
const NOT_LEVELS = /市场|市民|城市|都市|乡村|城乡|城镇|乡镇企业|区域/g;
const LEVEL_MARKS: [RegExp, UnitLevel][] = [
  [/自治区/g, 'province'],
  [/省/g, 'province'],
  [/市|自治州|州|盟/g, 'city'],
  [/区|县|旗|街道|乡|镇/g, 'district'],
];

/**
 * The level each GB/T 2260 division speaks for. A county-level city (辉县市)
 * rightly says 全市 of itself, so it counts as a city here; other county-level
 * units (区、县、旗) as districts.
 */
let placeLevels: { levels: Map<string, UnitLevel>; longest: number } | null = null;

function knownPlaceLevels(): { levels: Map<string, UnitLevel>; longest: number } {
  if (placeLevels) return placeLevels;
  const levels = new Map<string, UnitLevel>();
  for (const name of COUNTY_NAMES) levels.set(name, name.endsWith('市') ? 'city' : 'district');
  for (const name of CITY_NAMES) levels.set(name, 'city');
  for (const name of PROVINCE_NAMES) levels.set(name, 'province');
  let longest = 0;
  for (const name of levels.keys()) longest = Math.max(longest, name.length);
  placeLevels = { levels, longest };
  return placeLevels;
}

/** The last division named in `source` (the longest one ending furthest right). */
function lastPlace(source: string): { end: number; level: UnitLevel } | null {
  const { levels, longest } = knownPlaceLevels();
  for (let end = source.length; end >= 2; end--) {
    for (let length = Math.min(longest, end); length >= 2; length--) {
      const level = levels.get(source.slice(end - length, end));
      if (level) return { end, level };
    }
  }
  return null;
}

/**
 * The administrative level of the unit the article comes from, read from its
 * name. Names run from the larger place to the smaller (河南省新乡市红旗区…),
 * so the last level named is the unit's own. A division of GB/T 2260 gives its
 * own level (辉县市 is county-level, 新乡市 prefecture-level); after it, or
 * where no division is named (区党政办), the level characters decide, and a
 * word that merely contains one (市场) does not count.
 */
export function unitLevel(source: string): UnitLevel | null {
  const place = lastPlace(source);
  const rest = place ? source.slice(place.end) : source;
  const name = rest.replace(NOT_LEVELS, (word) => '　'.repeat(word.length));
  let best: { at: number; level: UnitLevel } | null = null;
  for (const [pattern, level] of LEVEL_MARKS) {
    for (const match of name.matchAll(pattern)) {
      const at = match.index + match[0].length;
      // 自治区 ends where its 区 does; the longer, earlier-listed mark wins that tie.
      if (!best || at > best.at) best = { at, level };
    }
  }
  return best?.level ?? place?.level ?? null;
}

type DivisionLevel = 'province' | 'prefecture' | 'county';

/** Each division's level as GB/T 2260 lists it; a name listed at two levels, and a county a province governs directly, have none here. */
let divisionLevels: Map<string, DivisionLevel | null> | null = null;

function divisionLevel(name: string): DivisionLevel | null | undefined {
  if (!divisionLevels) {
    divisionLevels = new Map();
    const add = (names: readonly string[], level: DivisionLevel) => {
      for (const n of names) divisionLevels!.set(n, divisionLevels!.has(n) ? null : level);
    };
    add(PROVINCE_NAMES, 'province');
    add(CITY_NAMES, 'prefecture');
    add(COUNTY_NAMES, 'county');
    for (const n of PROVINCE_DIRECT_COUNTY_NAMES) divisionLevels.set(n, null);
  }
  return divisionLevels.get(name);
}

/**
 * The levels of the courts (人民法院组织法): a 高级人民法院 for each province,
 * a 中级人民法院 for a prefecture; a county has its 基层人民法院 only. A
 * court named right after a division of the wrong level (辉县市中级人民法院)
 * is reported; whether the place or the court is wrong the text cannot say.
 */
const COURTS: { court: string; levels: readonly DivisionLevel[] }[] = [
  { court: '高级人民法院', levels: ['province'] },
  { court: '中级人民法院', levels: ['province', 'prefecture'] },
];

function courtLevelFindings(text: string): Finding[] {
  const findings: Finding[] = [];
  const { longest } = knownPlaceLevels();
  for (const { court, levels } of COURTS) {
    for (let at = text.indexOf(court); at >= 0; at = text.indexOf(court, at + 1)) {
      for (let length = Math.min(longest, at); length >= 2; length--) {
        const place = text.slice(at - length, at);
        const level = divisionLevel(place);
        if (level === undefined) continue;
        if (level !== null && !levels.includes(level)) {
          findings.push({
            rule: 'scope:court-level',
            family: 'scope',
            severity: 'warning',
            start: at - length,
            end: at + court.length,
            text: place + court,
            ...say(level === 'county' ? 'proof.finding.courtAboveCounty' : 'proof.finding.highCourtBelowProvince', { place, court }),
          });
        }
        break;
      }
    }
  }
  return findings;
}

const NON_STANDARD_MESSAGES = {
  compatibility: 'proof.finding.compatibilityChar',
  traditional: 'proof.finding.traditionalChar',
  unknown: 'proof.finding.nonStandardChar',
} as const;

/**
 * Characters outside 《通用规范汉字表》: a radical or compatibility code point
 * copied from a PDF (looks right, breaks search and screen readers), a
 * traditional character, or a variant or rare one. Only the first two have a
 * certain fix; the third is left to the writer, since names may use it.
 */
function standardCharFindings(text: string, exact: readonly Span[]): Finding[] {
  const findings: Finding[] = [];
  // A character inside a protected term or 常用词 written exactly (a name with 堃, the office's own 王𡒄) is that name's, and only there.
  const reach = new Int32Array(text.length + 1);
  for (const span of exact) reach[span.start] = Math.max(reach[span.start]!, span.end);
  let covered = 0;
  for (let i = 0; i < text.length; i++) {
    covered = Math.max(covered, reach[i]!);
    const code = text.charCodeAt(i);
    // Nothing below the radicals block (U+2E80) is Han; above it most characters are in the table, decided by one lookup.
    if (code < 0x2e80) continue;
    const char = String.fromCodePoint(text.codePointAt(i)!);
    const end = i + char.length;
    const found = covered > i ? null : nonStandardChar(char);
    if (found) {
      findings.push({
        rule: `charset:${found.kind}`,
        family: 'charset',
        severity: 'warning',
        start: i,
        end,
        text: char,
        ...say(NON_STANDARD_MESSAGES[found.kind], { char, ...(found.kind === 'unknown' ? {} : { standard: found.standard }) }),
        ...(found.kind === 'unknown' ? {} : { suggestion: found.standard }),
      });
    }
    i = end - 1;
  }
  return findings;
}

function scopeFindings(text: string, source: string): Finding[] {
  const level = unitLevel(source);
  if (level === null || level === 'province') return [];
  const words = level === 'district' ? ['全市', '全省'] : ['全省'];
  const findings: Finding[] = [];
  for (const word of words) {
    for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
      if (word === '全市' && text[at + 2] === '场') continue;
      findings.push({
        rule: 'scope:wider-than-source',
        family: 'scope',
        severity: 'warning',
        start: at,
        end: at + word.length,
        text: word,
        ...say(level === 'district' ? 'proof.finding.scopeDistrict' : 'proof.finding.scopeCity', { source, word }),
        ...(level === 'district' && word === '全市' ? { suggestion: source.includes('县') ? '全县' : '全区' } : {}),
      });
    }
  }
  return findings;
}

function accessibilityFindings(input: CheckInput, blocks: readonly TextBlock[], longParagraphChars: number): Finding[] {
  const findings: Finding[] = [];
  for (const block of blocks) {
    if (block.node.type === 'image') {
      const alt = block.node.attrs?.alt;
      if (typeof alt === 'string' && alt.trim()) continue;
      findings.push({
        rule: 'a11y:image-alt',
        family: 'accessibility',
        severity: 'warning',
        start: block.start,
        end: block.start + block.text.length,
        text: block.text,
        ...say('proof.finding.imageAlt'),
        field: 'alt',
      });
    } else if (block.text.length > longParagraphChars) {
      const sentenceEnd = block.text.search(/[。！？]/);
      const end = sentenceEnd >= 0 && sentenceEnd < 60 ? sentenceEnd + 1 : Math.min(block.text.length, 40);
      findings.push({
        rule: 'a11y:long-paragraph',
        family: 'accessibility',
        severity: 'warning',
        start: block.start,
        end: block.start + end,
        text: block.text.slice(0, end),
        ...say('proof.finding.longParagraph', { length: block.text.length, limit: longParagraphChars }),
      });
    }
  }
  if (input.meta.cover && !input.meta.cover.alt.trim()) {
    findings.push({ rule: 'a11y:cover-alt', family: 'accessibility', severity: 'warning', start: 0, end: 0, text: '', ...say('proof.finding.coverAlt'), field: 'cover' });
  }
  return findings;
}

function todayYmd(): string {
  const now = new Date();
  return ymd(now.getFullYear(), now.getMonth() + 1, now.getDate());
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, hint: 2 };

/** Findings listed one by one per rule and article; the rest are counted in one summary (共 N 处). */
export const FINDINGS_PER_RULE = 50;

/**
 * Keeps the first {@link FINDINGS_PER_RULE} findings of each rule (in text
 * order) and puts one summary of the same rule and severity where the first
 * left-out one is, so an error left out still blocks and the reader knows how
 * many there are.
 */
function capPerRule(sorted: readonly Finding[]): Finding[] {
  const counts = new Map<string, number>();
  for (const f of sorted) counts.set(f.rule, (counts.get(f.rule) ?? 0) + 1);
  const seen = new Map<string, number>();
  const kept: Finding[] = [];
  for (const f of sorted) {
    const n = (seen.get(f.rule) ?? 0) + 1;
    seen.set(f.rule, n);
    if (n <= FINDINGS_PER_RULE) kept.push(withMessage(f));
    else if (n === FINDINGS_PER_RULE + 1) {
      const total = counts.get(f.rule) ?? n;
      const summary: Finding = {
        rule: f.rule,
        family: f.family,
        severity: f.severity,
        start: f.start,
        end: f.end,
        text: f.text,
        ...say('proof.finding.moreOfRule', { count: total, shown: FINDINGS_PER_RULE, text: f.text }),
        ...(f.field ? { field: f.field } : {}),
      };
      kept.push(withMessage(summary));
    }
  }
  return kept;
}

/**
 * Checks an article against the rule packs and the built-in rules. Pure and
 * synchronous, so it runs the same in a Web Worker, the main process and the
 * CLI. Findings are sorted by start offset (in `docToPlainText(doc)`).
 */
export function checkArticle(input: CheckInput, packs: RulePacks, options: CheckOptions = {}): Finding[] {
  const compiled = compile(packs, Math.min(options.shortTermMaxLength ?? 4, MAX_SHORT_TERM));
  const blocks = textBlocks(input.doc);
  const text = blocks.map((b) => b.text).join('\n');
  const articleDate = input.meta.publishAt?.slice(0, 10) ?? options.today ?? todayYmd();
  const articleYear = input.meta.publishAt ? Number(input.meta.publishAt.slice(0, 4)) : null;
  const words = new TextWordBoundaries(text, compiled.segmenter);
  const lists = listFindings(text, compiled, articleDate, words);
  const findings: Finding[] = [
    ...lists.findings,
    ...formulationFindings(text),
    ...dateFindings(text, articleYear),
    ...numberFindings(text),
    ...leadDateFindings(blocks, input.meta.publishAt),
    ...metadataFindings(input, text, compiled),
    ...scopeFindings(text, input.meta.source),
    ...courtLevelFindings(text),
    ...standardCharFindings(text, lists.exact),
    ...accessibilityFindings(input, blocks, options.longParagraphChars ?? 500),
  ];
  for (const block of blocks) findings.push(...punctuationFindings(block), ...pairFindings(block), ...repeatFindings(block, words));
  findings.sort((a, b) => a.start - b.start || a.end - b.end || SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
  return capPerRule(findings);
}

/** Character, paragraph and reading-time counts of an article: the same {@link countBlocks} the editor's status line uses. */
export function articleCounts(input: CheckInput): ArticleCounts {
  const counts = countBlocks(textBlocks(input.doc).map((block) => ({ text: block.text, image: block.node.type === 'image' })));
  return {
    characters: counts.words,
    hanCharacters: counts.han,
    paragraphs: counts.paragraphs,
    images: counts.images,
    readingMinutes: counts.readingMinutes,
  };
}
