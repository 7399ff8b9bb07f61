/**
 * Aho–Corasick over UTF-16 code units: all term lists are found in one pass,
 * so a 20,000-character article costs the same whether a pack has 50 or 50,000
 * entries.
 */
export class TermAutomaton<T> {
  readonly #next: Map<number, number>[] = [new Map()];
  readonly #fail: number[] = [0];
  /** Payloads ending at each node, including those reached through failure links once built. */
  readonly #out: { length: number; payload: T }[][] = [[]];
  #built = false;

  /** Adds a pattern; call before the first search. */
  add(pattern: string, payload: T): void {
    if (this.#built) throw new Error('automaton already built');
    if (pattern.length === 0) return;
    let node = 0;
    for (let i = 0; i < pattern.length; i++) {
      const code = pattern.charCodeAt(i);
      const edges = this.#next[node] as Map<number, number>;
      let child = edges.get(code);
      if (child === undefined) {
        child = this.#next.length;
        this.#next.push(new Map());
        this.#fail.push(0);
        this.#out.push([]);
        edges.set(code, child);
      }
      node = child;
    }
    (this.#out[node] as { length: number; payload: T }[]).push({ length: pattern.length, payload });
  }

  #build(): void {
    const queue: number[] = [];
    for (const child of (this.#next[0] as Map<number, number>).values()) queue.push(child);
    for (let head = 0; head < queue.length; head++) {
      const node = queue[head] as number;
      for (const [code, child] of this.#next[node] as Map<number, number>) {
        let fallback = this.#fail[node] as number;
        while (fallback !== 0 && !(this.#next[fallback] as Map<number, number>).has(code)) {
          fallback = this.#fail[fallback] as number;
        }
        const target = (this.#next[fallback] as Map<number, number>).get(code);
        this.#fail[child] = target !== undefined && target !== child ? target : 0;
        const inherited = this.#out[this.#fail[child] as number] as { length: number; payload: T }[];
        if (inherited.length > 0) (this.#out[child] as { length: number; payload: T }[]).push(...inherited);
        queue.push(child);
      }
    }
    this.#built = true;
  }

  /** Calls `hit(start, end, payload)` for every occurrence of every pattern. */
  search(text: string, hit: (start: number, end: number, payload: T) => void): void {
    if (!this.#built) this.#build();
    let node = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      let target = (this.#next[node] as Map<number, number>).get(code);
      while (target === undefined && node !== 0) {
        node = this.#fail[node] as number;
        target = (this.#next[node] as Map<number, number>).get(code);
      }
      node = target ?? 0;
      const outputs = this.#out[node] as { length: number; payload: T }[];
      for (const output of outputs) hit(i + 1 - output.length, i + 1, output.payload);
    }
  }
}
