import { FORMULATION_LISTS, type FormulationList } from './default-packs/formulation-lists';
import { isHanCode } from './text';

/** A listing of a formulation's parts that is not the standard one. */
export interface FormulationSlip {
  start: number;
  end: number;
  list: FormulationList;
  /** Set when the listing mixes in parts of another formulation. */
  mixedWith?: FormulationList;
  /** The standard listing, when the slip can be replaced by it as a whole. */
  suggestion?: string;
}

interface Part {
  list: FormulationList;
  index: number;
}

/** Item text → the lists it belongs to. */
const ITEMS = new Map<string, Part[]>();
for (const list of FORMULATION_LISTS) {
  for (const [index, item] of list.items.entries()) {
    const parts = ITEMS.get(item) ?? [];
    parts.push({ list, index });
    ITEMS.set(item, parts);
  }
}
const SEPARATORS = '、，';

/** The parts `segment` stands for: the item itself, or (3+ characters) the item with one character changed. */
function partsOf(segment: string, allowPrefix: boolean): { parts: Part[]; exact: boolean; offset: number } | null {
  const exact = ITEMS.get(segment);
  if (exact) return { parts: exact, exact: true, offset: 0 };
  for (const [item, parts] of ITEMS) {
    // 增强政治意识: a verb before the first part.
    if (allowPrefix && segment.length > item.length && segment.endsWith(item)) return { parts, exact: true, offset: segment.length - item.length };
    if (item.length >= 3 && segment.length === item.length) {
      let diff = 0;
      for (let i = 0; i < item.length && diff < 2; i++) if (item[i] !== segment[i]) diff++;
      if (diff === 1) return { parts, exact: false, offset: 0 };
    }
  }
  return null;
}

/**
 * Listings of a formulation's parts in another order, with a part misspelt,
 * or mixed with another formulation's parts (政治意识、大局意识、道路自信).
 * A listing of only some parts, in order, is fine: 增强政治意识、大局意识.
 */
export function findFormulationSlips(text: string): FormulationSlip[] {
  const slips: FormulationSlip[] = [];
  let i = 0;
  while (i < text.length) {
    if (!isHanCode(text.charCodeAt(i))) {
      i++;
      continue;
    }
    // The listing: Han segments joined by 、 or ，, each one a known part.
    const run: { start: number; end: number; parts: Part[]; exact: boolean }[] = [];
    let p = i;
    while (p < text.length) {
      let q = p;
      while (q < text.length && isHanCode(text.charCodeAt(q))) q++;
      const found = q > p ? partsOf(text.slice(p, q), run.length === 0) : null;
      if (!found) break;
      run.push({ start: p + found.offset, end: q, parts: found.parts, exact: found.exact });
      if (!SEPARATORS.includes(text[q] ?? '')) break;
      p = q + 1;
    }
    if (run.length >= 2) {
      const slip = judge(run);
      if (slip) slips.push(slip);
    }
    // Go on after the listing (or after the segment that started no listing).
    let next = run.length > 0 ? run[run.length - 1]!.end : i;
    if (next === i) while (next < text.length && isHanCode(text.charCodeAt(next))) next++;
    i = Math.max(next, i + 1);
  }
  return slips;
}

function judge(run: { start: number; end: number; parts: Part[]; exact: boolean }[]): FormulationSlip | null {
  const counts = new Map<FormulationList, number>();
  for (const segment of run) for (const part of segment.parts) counts.set(part.list, (counts.get(part.list) ?? 0) + 1);
  let main: FormulationList | null = null;
  for (const [list, n] of counts) if (!main || n > (counts.get(main) ?? 0)) main = list;
  if (!main) return null;
  const start = run[0]!.start;
  const end = run[run.length - 1]!.end;
  const inMain = (segment: (typeof run)[number]) => segment.parts.find((part) => part.list === main);
  const others = run.filter((segment) => !inMain(segment));
  const mixedWith = others.flatMap((segment) => segment.parts.map((part) => part.list)).find((list) => list.distinctive && main.distinctive);
  if (run.length === main.items.length) {
    const standard = run.every((segment, index) => segment.exact && inMain(segment)?.index === index);
    if (standard) return null;
    // Every part is the formulation's (perhaps misspelt or reordered), or another distinctive list's.
    if (others.length === 0 || mixedWith) return { start, end, list: main, suggestion: main.standard, ...(mixedWith ? { mixedWith } : {}) };
    return null;
  }
  if (mixedWith && (counts.get(main) ?? 0) >= 2) return { start, end, list: main, mixedWith };
  return null;
}
