import { describe, expect, it } from 'vitest';
import { ArticleMetaSchema } from '../../../shared/domain/article';
import { type Doc, paragraph } from '../../../shared/domain/doc';
import { DEFAULT_PACKS } from '../../../shared/proofread/default-packs';
import { checkArticle } from '../../../shared/proofread/engine';
import type { RulePack, RulePacks } from '../../../shared/proofread/packs';
import { SEGMENTATION_WORDS } from '../../../shared/proofread/default-packs/segmentation-words';
import { buildWordTrie, shippedSegmenter, TextWordBoundaries, WordSegmenter } from '../../../shared/proofread/segment';
import type { Finding } from '../../../shared/proofread/types';

const PLACES: RulePack = {
  id: 'office-places',
  name: '本地地名',
  kind: 'protected',
  source: '本办',
  version: '1',
  entries: [{ text: '新乡市' }, { text: '新乡县' }, { text: '新乡经开区' }],
};

function check(text: string, packs: RulePacks = [...DEFAULT_PACKS, PLACES]): Finding[] {
  const doc: Doc = { type: 'doc', content: text.split('\n').map((p) => paragraph(p)) };
  return checkArticle({ meta: ArticleMetaSchema.parse({ publishAt: '2024-05-20' }), doc }, packs);
}
const of = (findings: Finding[], family: string) => findings.filter((f) => f.family === family).map((f) => [f.text, f.suggestion]);

describe('word segmentation', () => {
  it('cuts a government sentence into the words a reader sees', () => {
    const segmenter = shippedSegmenter().withWords(['习近平总书记'], 10_000);
    expect(segmenter.cut('会议学习习近平总书记重要讲话精神')).toEqual(['会议', '学习', '习近平总书记', '重要', '讲话', '精神']);
    expect(shippedSegmenter().cut('为了了解情况')).toEqual(['为了', '了解', '情况']);
  });

  it('cuts the same whatever order the word list comes in (a list edited by hand need not be sorted)', () => {
    const lines = SEGMENTATION_WORDS.split('\n');
    // A fixed shuffle: every 7th line first, then the rest reversed.
    const shuffled = [...lines.filter((_, i) => i % 7 === 0), ...lines.filter((_, i) => i % 7 !== 0).reverse()].join('\n');
    const fromShuffled = new WordSegmenter(buildWordTrie(shuffled));
    for (const sentence of ['会议学习习近平总书记重要讲话精神', '为了了解情况', '这的的确确是为了了解群众的意见', '中华人民共和国国务院办公厅']) {
      expect(fromShuffled.cut(sentence)).toEqual(shippedSegmenter().cut(sentence));
    }
    expect(fromShuffled.has('一丝不苟')).toBe(true);
    expect(fromShuffled.has('一丝不')).toBe(false);
  });

  it('takes the last frequency of a word listed twice, and counts both towards the total', () => {
    // 研究生 alone is likelier than 研究 + 生 only while 研究生 is common.
    const rare = new WordSegmenter(buildWordTrie('研究 1000\n生 1000\n研究生 1000\n命 10\n研究生 1'));
    const common = new WordSegmenter(buildWordTrie('研究 1000\n生 1000\n研究生 1\n命 10\n研究生 1000'));
    expect(rare.cut('研究生')).toEqual(['研究', '生']);
    expect(common.cut('研究生')).toEqual(['研究生']);
  });

  it('answers word boundaries across punctuation and Latin text', () => {
    const words = new TextWordBoundaries('学习，AB学习', shippedSegmenter());
    expect([0, 1, 2, 3, 4, 5, 6, 7].map((i) => words.isBoundary(i))).toEqual([true, false, true, true, true, true, false, true]);
  });
});

describe('near misses read with their neighbours', () => {
  it('does not flag 学习习近平总书记 (the first 习 belongs to 学习)', () => {
    const text = '会议学习习近平总书记在中央经济工作会议上的重要讲话精神，学习习近平新时代中国特色社会主义思想。';
    expect(of(check(text), 'protected')).toEqual([]);
  });

  it('still flags a doubled character inside the name, where no word explains it', () => {
    expect(of(check('会议传达习近近平总书记重要讲话。'), 'protected')).toEqual([['习近近平总书记', '习近平总书记']]);
  });

  it('does not flag a look-alike of a short term made of two real words (行政付费 is not 政府)', () => {
    expect(of(check('推行行政付费事项清单管理。'), 'protected')).toEqual([]);
    // The same two characters where they stand alone are the slip.
    expect(of(check('区人民政付召开会议。'), 'protected')).toEqual([['人民政付', '人民政府']]);
  });

  it('keeps flagging real near misses of long terms', () => {
    expect(of(check('依照中华人民共合国有关法律。'), 'protected')).toEqual([['中华人民共合国', '中华人民共和国']]);
    expect(of(check('新乡开区召开会议。'), 'protected')).toEqual([['新乡开区', '新乡经开区']]);
  });

  it('does not flag place names that contain or neighbour other place names (新乡县/新乡市)', () => {
    expect(of(check('新乡县与新乡市、新乡经开区联合开展检查，新乡市新乡县交界处。'), 'protected')).toEqual([]);
  });

  it("an office's 常用词 are words too: 焕新新乡经开区 is the 焕新 campaign and the zone", () => {
    const text = '开展焕新新乡经开区行动。';
    expect(of(check(text), 'protected')).toEqual([['新新乡经开区', '新乡经开区']]);
    const allow: RulePack = { id: 'office-words', name: '常用词', kind: 'allow', source: '本办', version: '1', entries: [{ text: '焕新' }] };
    expect(of(check(text, [...DEFAULT_PACKS, PLACES, allow]), 'protected')).toEqual([]);
  });
});

describe('doubled characters read with their neighbours', () => {
  it('does not flag 的的确确 or 为了了解, flags 的的 and 了了 where they are slips', () => {
    expect(of(check('这的的确确是为了了解群众的意见，目的是解决问题。'), 'repeat')).toEqual([]);
    expect(of(check('我们的的工作完成了了。'), 'repeat')).toEqual([
      ['的的', '的'],
      ['了了', '了'],
    ]);
  });
});
