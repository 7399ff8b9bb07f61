/**
 * The built automaton as flat arrays, so it can be stored on disk and loaded
 * without rebuilding: node n's edges are edgeCode/edgeTarget[edgeStart[n] ..
 * edgeStart[n+1]) sorted by code; its outputs (its own and those reached
 * through failure links) are outLength/outPayload[outStart[n] .. outStart[n+1]).
 * outPayload indexes the payloads in the order they were added.
 */
export interface AutomatonArrays {
  edgeStart: Int32Array;
  edgeCode: Uint16Array;
  edgeTarget: Int32Array;
  fail: Int32Array;
  outStart: Int32Array;
  outLength: Int32Array;
  outPayload: Int32Array;
}

/**
 * Aho–Corasick over UTF-16 code units: all term lists are found in one pass,
 * so a 20,000-character article costs the same whether a pack has 50 or 50,000
 * entries.
 */
export class TermAutomaton<T> {
  #next: Map<number, number>[] | null = [new Map()];
  /** The patterns' payloads, in the order they were added. */
  readonly #payloads: T[] = [];
  /** The pattern of each payload (checked against a stored automaton). */
  readonly #patterns: string[] = [];
  #frozen: AutomatonArrays | null = null;
  /** The root's transitions by code, for speed: most characters of a text start from the root. */
  #root: Int32Array | null = null;

  /** Adds a pattern; call before the first search. */
  add(pattern: string, payload: T): void {
    if (this.#frozen || !this.#next) throw new Error('automaton already built');
    const index = this.#payloads.length;
    this.#payloads.push(payload);
    this.#patterns.push(pattern);
    // An empty pattern keeps its place among the payloads but matches nothing.
    if (pattern.length === 0) return;
    let node = 0;
    for (let i = 0; i < pattern.length; i++) {
      const code = pattern.charCodeAt(i);
      const edges = this.#next[node] as Map<number, number>;
      let child = edges.get(code);
      if (child === undefined) {
        child = this.#next.length;
        this.#next.push(new Map());
        edges.set(code, child);
      }
      node = child;
    }
    this.#ends.push([node, index]);
  }

  /** (node, payload index) of each pattern's last character, until built. */
  #ends: [number, number][] = [];

  /** The patterns added, in order (what a stored automaton must have been built from). */
  patterns(): readonly string[] {
    return this.#patterns;
  }

  /** Builds the failure links and freezes the automaton into flat arrays. */
  build(): AutomatonArrays {
    if (this.#frozen) return this.#frozen;
    const next = this.#next as Map<number, number>[];
    const n = next.length;
    const fail = new Int32Array(n);
    const own: number[][] = Array.from({ length: n }, () => []);
    for (const [node, index] of this.#ends) (own[node] as number[]).push(index);
    const outputs: number[][] = new Array(n);
    outputs[0] = own[0] as number[];
    const queue: number[] = [];
    for (const child of (next[0] as Map<number, number>).values()) {
      queue.push(child);
      outputs[child] = own[child] as number[];
    }
    for (let head = 0; head < queue.length; head++) {
      const node = queue[head] as number;
      for (const [code, child] of next[node] as Map<number, number>) {
        let fallback = fail[node] as number;
        while (fallback !== 0 && !(next[fallback] as Map<number, number>).has(code)) fallback = fail[fallback] as number;
        const target = (next[fallback] as Map<number, number>).get(code);
        fail[child] = target !== undefined && target !== child ? target : 0;
        const inherited = outputs[fail[child] as number] as number[];
        outputs[child] = inherited.length > 0 ? [...(own[child] as number[]), ...inherited] : (own[child] as number[]);
        queue.push(child);
      }
    }
    let edges = 0;
    let outs = 0;
    for (let node = 0; node < n; node++) {
      edges += (next[node] as Map<number, number>).size;
      outs += (outputs[node] ?? []).length;
    }
    const arrays: AutomatonArrays = {
      edgeStart: new Int32Array(n + 1),
      edgeCode: new Uint16Array(edges),
      edgeTarget: new Int32Array(edges),
      fail,
      outStart: new Int32Array(n + 1),
      outLength: new Int32Array(outs),
      outPayload: new Int32Array(outs),
    };
    let e = 0;
    let o = 0;
    for (let node = 0; node < n; node++) {
      arrays.edgeStart[node] = e;
      for (const [code, child] of [...(next[node] as Map<number, number>)].sort((a, b) => a[0] - b[0])) {
        arrays.edgeCode[e] = code;
        arrays.edgeTarget[e] = child;
        e++;
      }
      arrays.outStart[node] = o;
      for (const index of outputs[node] ?? []) {
        arrays.outLength[o] = (this.#patterns[index] as string).length;
        arrays.outPayload[o] = index;
        o++;
      }
    }
    arrays.edgeStart[n] = e;
    arrays.outStart[n] = o;
    this.#freeze(arrays);
    return arrays;
  }

  /**
   * An automaton from stored arrays, for `patterns` with `payloads` (same
   * order as they were added). Returns null when the arrays do not fit the
   * patterns: a stored automaton is never trusted, only checked.
   */
  static fromArrays<T>(arrays: AutomatonArrays, patterns: readonly string[], payloads: readonly T[]): TermAutomaton<T> | null {
    if (patterns.length !== payloads.length || !fits(arrays, patterns)) return null;
    const automaton = new TermAutomaton<T>();
    automaton.#payloads.push(...payloads);
    automaton.#patterns.push(...patterns);
    automaton.#freeze(arrays);
    return automaton;
  }

  #freeze(arrays: AutomatonArrays): void {
    this.#frozen = arrays;
    this.#next = null;
    this.#ends = [];
    const root = new Int32Array(65_536);
    for (let e = arrays.edgeStart[0] as number; e < (arrays.edgeStart[1] as number); e++) root[arrays.edgeCode[e] as number] = arrays.edgeTarget[e] as number;
    this.#root = root;
  }

  /** The node reached from `node` by `code`, or -1. */
  #step(node: number, code: number): number {
    if (node === 0) {
      const target = (this.#root as Int32Array)[code] as number;
      return target === 0 ? -1 : target;
    }
    const { edgeStart, edgeCode, edgeTarget } = this.#frozen as AutomatonArrays;
    let lo = edgeStart[node] as number;
    let hi = (edgeStart[node + 1] as number) - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const c = edgeCode[mid] as number;
      if (c === code) return edgeTarget[mid] as number;
      if (c < code) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Calls `hit(start, end, payload)` for every occurrence of every pattern. */
  search(text: string, hit: (start: number, end: number, payload: T) => void): void {
    const arrays = this.#frozen ?? this.build();
    const { fail, outStart, outLength, outPayload } = arrays;
    const payloads = this.#payloads;
    let node = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      let target = this.#step(node, code);
      while (target < 0 && node !== 0) {
        node = fail[node] as number;
        target = this.#step(node, code);
      }
      node = Math.max(0, target);
      for (let o = outStart[node] as number; o < (outStart[node + 1] as number); o++) {
        const length = outLength[o] as number;
        hit(i + 1 - length, i + 1, payloads[outPayload[o] as number] as T);
      }
    }
  }
}

/**
 * Whether stored arrays are a well-formed automaton whose outputs are exactly
 * these patterns: every index in range, edges sorted, and each pattern found
 * where the trie spells it, with its own length.
 */
function fits(arrays: AutomatonArrays, patterns: readonly string[]): boolean {
  const { edgeStart, edgeCode, edgeTarget, fail, outStart, outLength, outPayload } = arrays;
  const n = fail.length;
  if (n < 1 || edgeStart.length !== n + 1 || outStart.length !== n + 1) return false;
  if (edgeCode.length !== edgeTarget.length || outLength.length !== outPayload.length) return false;
  if (edgeStart[0] !== 0 || edgeStart[n] !== edgeCode.length || outStart[0] !== 0 || outStart[n] !== outLength.length) return false;
  for (let node = 0; node < n; node++) {
    const e0 = edgeStart[node] as number;
    const e1 = edgeStart[node + 1] as number;
    const o0 = outStart[node] as number;
    const o1 = outStart[node + 1] as number;
    if (e1 < e0 || o1 < o0 || (fail[node] as number) < 0 || (fail[node] as number) >= n) return false;
    for (let e = e0; e < e1; e++) {
      const target = edgeTarget[e] as number;
      if (target <= 0 || target >= n || (e > e0 && (edgeCode[e] as number) <= (edgeCode[e - 1] as number))) return false;
    }
    for (let o = o0; o < o1; o++) {
      const index = outPayload[o] as number;
      if (index < 0 || index >= patterns.length || outLength[o] !== (patterns[index] as string).length) return false;
    }
  }
  // Each pattern is spelt by the trie and ends at a node that outputs it.
  for (const [index, pattern] of patterns.entries()) {
    if (pattern.length === 0) continue;
    let node = 0;
    for (let i = 0; i < pattern.length && node >= 0; i++) {
      const code = pattern.charCodeAt(i);
      let lo = edgeStart[node] as number;
      let hi = (edgeStart[node + 1] as number) - 1;
      let found = -1;
      while (lo <= hi && found < 0) {
        const mid = (lo + hi) >> 1;
        const c = edgeCode[mid] as number;
        if (c === code) found = edgeTarget[mid] as number;
        else if (c < code) lo = mid + 1;
        else hi = mid - 1;
      }
      node = found;
    }
    if (node < 0) return false;
    let outputs = false;
    for (let o = outStart[node] as number; o < (outStart[node + 1] as number); o++) if (outPayload[o] === index) outputs = true;
    if (!outputs) return false;
  }
  return true;
}
