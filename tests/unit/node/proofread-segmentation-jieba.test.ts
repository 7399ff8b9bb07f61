import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';
import { describe, expect, it } from 'vitest';
import { shippedSegmenter } from '../../../shared/proofread/segment';

/*
 * The checks segment with a pure TypeScript copy of jieba's dictionary method
 * (so the editor's worker and the host agree); jieba itself, through its
 * native binding, is the reference it is held to.
 */
describe('segmentation agrees with jieba', () => {
  it('cuts the sample portal pages into the same words as jieba (without its HMM) nearly everywhere', () => {
    const jieba = Jieba.withDict(dict);
    const segmenter = shippedSegmenter();
    const dir = join(import.meta.dirname, '../../fixtures/portal');
    const runs = ['sample-2021-05-20.txt', 'gt-breadcrumb-byline.txt', 'no-date.txt']
      .map((name) => readFileSync(join(dir, name), 'utf8'))
      .join('\n')
      .match(/[\u4e00-\u9fff]+/g) ?? [];
    let same = 0;
    let total = 0;
    for (const run of runs) {
      const ours = new Set(boundaries(segmenter.cut(run)));
      const theirs = boundaries(jieba.cut(run, false));
      total += theirs.length;
      for (const b of theirs) if (ours.has(b)) same++;
    }
    expect(total).toBeGreaterThan(500);
    // The shipped list leaves out jieba's rarest words (frequency < 10), mostly names.
    console.log(`segmentation: ${same} of ${total} word ends as jieba`);
    expect(same / total).toBeGreaterThan(0.97);
  });
});

function boundaries(words: string[]): number[] {
  const ends: number[] = [];
  let at = 0;
  for (const word of words) {
    at += word.length;
    ends.push(at);
  }
  return ends;
}
