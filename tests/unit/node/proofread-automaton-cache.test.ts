import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encode, FileAutomatonStore } from '../../../node/services/proofread/automaton-cache';
import { ArticleMetaSchema } from '../../../shared/domain/article';
import { type Doc, paragraph } from '../../../shared/domain/doc';
import { TermAutomaton } from '../../../shared/proofread/automaton';
import { DEFAULT_PACKS } from '../../../shared/proofread/default-packs';
import { type AutomatonStore, checkArticle, setAutomatonStore } from '../../../shared/proofread/engine';

const doc: Doc = { type: 'doc', content: [paragraph('依照中华人民共合国有关法律，截止目前再接再励，检查院和成份都要改。')] };
const input = { meta: ArticleMetaSchema.parse({ publishAt: '2024-05-20' }), doc };
const expected = (() => {
  setAutomatonStore(null);
  return checkArticle(input, [...DEFAULT_PACKS]);
})();

/** The store, recording whether the engine used a stored automaton or built one. */
function recording(store: FileAutomatonStore) {
  const seen = { loaded: 0, saved: 0 };
  const wrapper: AutomatonStore = {
    load: (patterns) => {
      const arrays = store.load(patterns);
      if (arrays) seen.loaded++;
      return arrays;
    },
    save: (patterns, arrays) => {
      seen.saved++;
      store.save(patterns, arrays);
    },
  };
  return { wrapper, seen };
}

let dir = '';
afterEach(() => {
  setAutomatonStore(null);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A check with a fresh pack array, as after a start (the engine's in-memory build is per array). */
function checkAfterStart(store: AutomatonStore) {
  setAutomatonStore(store);
  return checkArticle(input, [...DEFAULT_PACKS]);
}

describe('the built dictionaries on disk', () => {
  it('are written once and loaded by the next start, with the same findings', async () => {
    dir = mkdtempSync(join(tmpdir(), 'gazette-automaton-'));
    const store = new FileAutomatonStore(dir);
    const first = recording(store);
    expect(checkAfterStart(first.wrapper)).toEqual(expected);
    expect(first.seen).toEqual({ loaded: 0, saved: 1 });
    await store.written();
    expect(readdirSync(dir)).toHaveLength(1);

    const second = recording(new FileAutomatonStore(dir));
    expect(checkAfterStart(second.wrapper)).toEqual(expected);
    expect(second.seen).toEqual({ loaded: 1, saved: 0 });
  });

  it('a damaged file is never trusted: it is rebuilt and written anew', async () => {
    dir = mkdtempSync(join(tmpdir(), 'gazette-automaton-'));
    const store = new FileAutomatonStore(dir);
    checkAfterStart(store);
    await store.written();
    const [name] = readdirSync(dir);
    const file = join(dir, name as string);
    const bytes = readFileSync(file);
    bytes[bytes.length - 9] = (bytes[bytes.length - 9] as number) ^ 0xff;
    writeFileSync(file, bytes);

    const again = new FileAutomatonStore(dir);
    const run = recording(again);
    expect(checkAfterStart(run.wrapper)).toEqual(expected);
    expect(run.seen).toEqual({ loaded: 0, saved: 1 });
    await again.written();
    const third = recording(new FileAutomatonStore(dir));
    expect(checkAfterStart(third.wrapper)).toEqual(expected);
    expect(third.seen.loaded).toBe(1);
  });

  it('a well-formed file built from other patterns, under this version’s name, is refused by the engine', async () => {
    dir = mkdtempSync(join(tmpdir(), 'gazette-automaton-'));
    const store = new FileAutomatonStore(dir);
    checkAfterStart(store);
    await store.written();
    const [name] = readdirSync(dir);
    const file = join(dir, name as string);
    // Same header hash (so the file passes its own checks), arrays of another dictionary.
    const other = new TermAutomaton<number>();
    other.add('甲乙', 0);
    other.add('丙丁', 1);
    const original = readFileSync(file);
    writeFileSync(file, encode(other.build(), original.subarray(8, 40)));

    const rebuilt = new FileAutomatonStore(dir);
    const run = recording(rebuilt);
    expect(checkAfterStart(run.wrapper)).toEqual(expected);
    // The file passes its own checks, but its arrays do not fit the patterns: the engine builds anew.
    expect(run.seen.saved).toBe(1);
    await rebuilt.written();
  });

  it('a file of another pack version is not loaded', async () => {
    dir = mkdtempSync(join(tmpdir(), 'gazette-automaton-'));
    const store = new FileAutomatonStore(dir);
    checkAfterStart(store);
    await store.written();
    const withOffice = [...DEFAULT_PACKS, { id: 'office', name: '本办', kind: 'protected' as const, source: '本办', version: '1', entries: [{ text: '新乡经开区' }] }];
    const next = new FileAutomatonStore(dir);
    const run = recording(next);
    setAutomatonStore(run.wrapper);
    checkArticle(input, withOffice);
    expect(run.seen).toEqual({ loaded: 0, saved: 1 });
    await next.written();
    // The earlier version's file is removed once the new one is written.
    expect(readdirSync(dir)).toHaveLength(1);
  });
});

describe('the automaton from stored arrays', () => {
  it('finds exactly what the built one finds, and refuses arrays that do not fit its patterns', () => {
    const patterns = ['中华', '华人', '人民', '中华人民共和国', '和国'];
    const built = new TermAutomaton<number>();
    for (const [i, p] of patterns.entries()) built.add(p, i);
    const arrays = built.build();
    const loaded = TermAutomaton.fromArrays(arrays, patterns, patterns.map((_, i) => i));
    const hits = (a: TermAutomaton<number>) => {
      const out: string[] = [];
      a.search('中华人民共和国人民', (s, e, p) => out.push(`${s}-${e}:${p}`));
      return out;
    };
    expect(loaded && hits(loaded)).toEqual(hits(built));
    expect(hits(built)).toContain('0-7:3');
    expect(TermAutomaton.fromArrays(arrays, ['中华', '华人', '人民', '中华人民共和国', '共和'], [0, 1, 2, 3, 4])).toBeNull();
    const broken = { ...arrays, edgeTarget: arrays.edgeTarget.map((t) => t + 1000) };
    expect(TermAutomaton.fromArrays(broken, patterns, [0, 1, 2, 3, 4])).toBeNull();
  });
});
