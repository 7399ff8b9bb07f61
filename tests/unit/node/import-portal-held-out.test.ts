import { describe, expect, it } from 'vitest';
import { fixtureNames, listed, MUST_LIST, readExpected, type Score, score } from './portal-fixture-scoring';

/**
 * Held-out sets of portal pages and copied texts, written without looking at the importer
 * or at the pages it was tuned on (tests/fixtures/portal/families/), scored like the
 * families set. They measure how the importer does on pages it has not been fitted to.
 *
 * Each set is read once untouched for an honest figure; then its misses are studied to find
 * rules that hold for every portal (a menu of links is not a sentence, 佚名 is nobody's name,
 * a 信息公开 table's key cells need no colons…), and it stays as a regression set while the
 * next, newly written set gives the honest figure. First readings: set 1 144/159 (8 wrong),
 * set 2 144/169 (12 wrong), set 3 147/169 (15 wrong: none in a title, date or source), set 4
 * 129/161 (20 wrong, 12 left empty and listed, and one page's two 来源 not listed as such).
 */
const SETS = [
  { name: 'held-out set 1 (studied once for general rules)', dir: new URL('../../fixtures/portal/held-out/', import.meta.url) },
  { name: 'held-out set 2 (studied once for general rules)', dir: new URL('../../fixtures/portal/held-out-2/', import.meta.url) },
  { name: 'held-out set 3 (studied once for general rules)', dir: new URL('../../fixtures/portal/held-out-3/', import.meta.url) },
  { name: 'held-out set 4 (studied once for general rules)', dir: new URL('../../fixtures/portal/held-out-4/', import.meta.url) },
];

const show = (value: unknown): string => JSON.stringify(value);

describe.each(SETS)('$name', ({ name: setName, dir: DIR }) => {
  const fixtures = fixtureNames(DIR);

  it('has at least 14 page structures, each with its expected fields', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(14);
    const families = fixtures.map((name) => readExpected(DIR, name).family);
    expect(new Set(families).size).toBe(fixtures.length);
  });

  it('measures field accuracy and names every missed and every wrong field', async () => {
    const all: Score[] = [];
    const unlisted: string[] = [];
    const uncertainMismatch: string[] = [];
    for (const name of fixtures) {
      const { draft, expected, scores } = await score(DIR, name);
      all.push(...scores);
      for (const entry of scores) {
        if (entry.verdict === 'missed' && MUST_LIST.includes(entry.field) && !listed(draft, entry.field)) {
          unlisted.push(`${name}: ${entry.field}`);
        }
      }
      // As in the families test, only a page that contradicts itself is held to its list of uncertain fields.
      if (expected.uncertain) {
        // The time is shown and listed with the date it belongs to: only the fields a writer sees listed are compared.
        const want = expected.uncertain.filter((field) => MUST_LIST.includes(field)).sort();
        const got = (draft.fields.uncertain ?? []).map((entry) => entry.field).sort();
        if (show(want) !== show(got)) uncertainMismatch.push(`${name}: expected uncertain ${show(want)}, got ${show(got)}`);
      }
    }
    const right = all.filter((entry) => entry.verdict === 'right').length;
    const wrong = all.filter((entry) => entry.verdict === 'wrong');
    const missed = all.filter((entry) => entry.verdict === 'missed');
    console.log(`${setName}: importer field accuracy: ${right}/${all.length} (${missed.length} left empty and listed, ${wrong.length} wrong)`);
    for (const entry of missed) console.log(`  missed ${entry.fixture} ${entry.field}: expected ${show(entry.expected)}`);
    for (const entry of wrong) console.log(`  wrong ${entry.fixture} ${entry.field}: expected ${show(entry.expected)}, got ${show(entry.actual)}`);
    for (const line of unlisted) console.log(`  missed but not listed to the writer: ${line}`);
    for (const line of uncertainMismatch) console.log(`  uncertain fields differ: ${line}`);
    // Wrong values here are printed, not failed: this set measures how the importer
    // generalises to pages it was not tuned on, and tuning it until this passes would make
    // the figure as optimistic as the families set's. Every miss must still be named to
    // the writer, and a contradiction must be listed as such.
    expect(unlisted).toEqual([]);
    expect(uncertainMismatch).toEqual([]);
    expect(all.length).toBeGreaterThan(0);
  });
});
