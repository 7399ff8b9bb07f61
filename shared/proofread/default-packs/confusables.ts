import type { RulePack } from '../packs';

const BEFORE_A_TIME = '“截至”用在时间之前，表示到某时为止；“截止”表示到期停止，用在时间之后（如“5月31日截止”）';
const byTime = (time: string) => ({ text: `截止${time}`, suggestion: `截至${time}`, note: BEFORE_A_TIME });

/**
 * Words that are right in one place and wrong in another, listed with the
 * context that makes them wrong: 截止 is a word (截止日期), but before a point
 * in time it must be 截至. A match only counts where it is a word of its own
 * in the sentence, so 叫做为人民服务 (叫做 + 为) is not 做为.
 */
export const CONFUSABLES_PACK: RulePack = {
  id: 'default-confusables',
  name: '易混用词语',
  kind: 'misspelling',
  source:
    '《现代汉语词典》（第7版）“截至”“截止”“作为”“秸秆”“其他”“其它”条；《咬文嚼字》编辑部“当代汉语出版物中最常见的100个错别字”中“截止/截至”“做/作”的辨析',
  version: '2024.1',
  entries: [
    ...['目前', '现在', '当前', '今天', '今日', '昨天', '昨日', '今年', '去年', '本月', '上月', '本周', '上周', '年底', '月底', '年末', '发稿时'].map(byTime),
    // 截止 before a date written in figures (截止5月31日, 截止2024年底): the figure is kept as written.
    ...['1', '2', '3', '4', '5', '6', '7', '8', '9', '１', '２', '３', '４', '５', '６', '７', '８', '９'].map(byTime),
    { text: '做为', suggestion: '作为' },
    { text: '秸杆', suggestion: '秸秆' },
    { text: '其它', suggestion: '其他', severity: 'hint', note: '“其它”同“其他”，规范文稿宜统一用“其他”' },
  ],
};
