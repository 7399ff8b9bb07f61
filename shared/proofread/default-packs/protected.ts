import type { RulePack } from '../packs';

const terms = (list: readonly string[]) => list.map((text) => ({ text }));

/** State and Party names: near misses are errors. */
export const PROTECTED_NATIONAL_PACK: RulePack = {
  id: 'default-protected-national',
  name: '国家名称与国家机构、党的机构名称',
  kind: 'protected',
  source:
    '《中华人民共和国宪法》（2018年修正）第三章国家机构；《中国共产党章程》；国务院、全国人大、全国政协、最高人民法院、最高人民检察院官方网站所列机构名称；国务院组成部门名单（中国政府网，2023年机构改革后）',
  version: '2024.1',
  entries: terms([
    '中华人民共和国',
    '中华人民共和国宪法',
    '中华人民共和国主席',
    '中华人民共和国国务院',
    '中国共产党',
    '中国共产党中央委员会',
    '中共中央',
    '中共中央办公厅',
    '中央军事委员会',
    '中国人民解放军',
    '全国人民代表大会',
    '全国人民代表大会常务委员会',
    '全国人大常委会',
    '中国人民政治协商会议',
    '中国人民政治协商会议全国委员会',
    '全国政协',
    '国务院',
    '国务院办公厅',
    '国家监察委员会',
    '中央纪律检查委员会',
    '最高人民法院',
    '最高人民检察院',
    '人民法院',
    '人民检察院',
    '检察院',
    '人民政府',
    '政府',
    '政协',
    '外交部',
    '国防部',
    '国家发展和改革委员会',
    '教育部',
    '科学技术部',
    '工业和信息化部',
    '国家民族事务委员会',
    '公安部',
    '国家安全部',
    '民政部',
    '司法部',
    '财政部',
    '人力资源和社会保障部',
    '自然资源部',
    '生态环境部',
    '住房和城乡建设部',
    '交通运输部',
    '水利部',
    '农业农村部',
    '商务部',
    '文化和旅游部',
    '国家卫生健康委员会',
    '退役军人事务部',
    '应急管理部',
    '中国人民银行',
    '审计署',
    '中国共产主义青年团',
  ]),
};

/**
 * Leaders' names with their titles. Names are written with the title forms
 * the press uses, so a near miss of the whole form is an error; a bare
 * two-character name is left out where a one-character slip would name
 * another real person, and no "title + name" form is listed whose
 * predecessor's name is one insertion away (国务院总理李强 / 李克强).
 */
export const PROTECTED_LEADERS_PACK: RulePack = {
  id: 'default-protected-leaders',
  name: '党和国家领导人姓名与职务',
  kind: 'protected',
  source:
    '新华社《中国共产党第二十届中央委员会第一次全体会议公报》（2022年10月23日）；第十四届全国人民代表大会第一次会议选举和决定任命的国家机构组成人员名单（2023年3月，中国政府网）；全国政协十四届一次会议选举结果（2023年3月）。以2023年3月后的任职为准：领导人变动后请更新本包，或在本单位规则包中补充。',
  version: '2023.3',
  entries: terms([
    '习近平',
    '习近平总书记',
    '习近平主席',
    '习近平同志',
    '国家主席习近平',
    '中共中央总书记、国家主席、中央军委主席习近平',
    '李强总理',
    '赵乐际',
    '赵乐际委员长',
    '全国人大常委会委员长赵乐际',
    '王沪宁',
    '王沪宁主席',
    '全国政协主席王沪宁',
    '丁薛祥',
    '国务院副总理丁薛祥',
    '中央纪委书记李希',
    '国家副主席韩正',
    '中共中央政治局常委',
    '中共中央政治局委员',
    '中央书记处书记',
    // Each title with its deputy form: either one is one character from the other.
    '国务院总理',
    '国务院副总理',
    '全国人大常委会委员长',
    '全国人大常委会副委员长',
    '全国政协主席',
    '全国政协副主席',
    '国家主席',
    '国家副主席',
    '中央军委主席',
    '中央军委副主席',
  ]),
};

/** Fixed political formulations as published by Xinhua and the Party's documents. */
export const PROTECTED_FORMULATIONS_PACK: RulePack = {
  id: 'default-protected-formulations',
  name: '规范表述',
  kind: 'protected',
  source: '《中国共产党章程》；党的十九大、二十大报告；新华社《新华社新闻报道中的禁用词和慎用词》（2016年修订）所附规范表述',
  version: '2024.1',
  entries: terms([
    '习近平新时代中国特色社会主义思想',
    '中国特色社会主义',
    '社会主义核心价值观',
    '四个意识',
    '四个自信',
    '两个维护',
    '两个确立',
    '全面建成小康社会',
    '中华民族伟大复兴',
    '人类命运共同体',
    '一国两制',
    '全过程人民民主',
  ]),
};

/**
 * The names local organs take after their place (新乡市人民代表大会常务委员会,
 * 红旗区人民法院): a slip in the part after the place is an error at any level.
 * Only forms of five characters or more: a shorter one (法院, 政协) is one
 * character from too many ordinary words.
 */
export const PROTECTED_LOCAL_ORGANS_PACK: RulePack = {
  id: 'default-protected-local-organs',
  name: '地方各级国家机关和党的机关名称',
  kind: 'protected',
  source:
    '《中华人民共和国地方各级人民代表大会和地方各级人民政府组织法》（2022年修正）；《中华人民共和国人民法院组织法》《中华人民共和国人民检察院组织法》（2018年修订）；《中华人民共和国监察法》；《中国人民政治协商会议章程》；《中国共产党章程》',
  version: '2024.1',
  entries: terms([
    '人民代表大会',
    '人民代表大会常务委员会',
    '人大常委会',
    '人民政府办公室',
    '人民政府办公厅',
    '政府办公室',
    '高级人民法院',
    '中级人民法院',
    '人民检察院',
    '政治协商会议',
    '监察委员会',
    '纪律检查委员会',
    '纪委监委',
    '人民武装部',
    '党委办公室',
    '党工委',
    '管理委员会',
  ]),
};

/** Ordinary words that look like a near miss of a protected term (检查 vs 检察). */
export const ALLOW_COMMON_WORDS_PACK: RulePack = {
  id: 'default-allow-common',
  name: '常用词（不作近似误写）',
  kind: 'allow',
  source: '《现代汉语词典》（第7版）常用词，用于排除与保护词近似的正常词语',
  version: '2024.1',
  entries: terms(['检查', '检查院内', '观察', '视察', '考察', '督察', '监察', '警察', '政策', '正副', '公府', '政治', '攻坚', '人民政治', '检察员', '属于', '步伐', '步骤']),
};
