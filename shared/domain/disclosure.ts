import { fillTemplate } from '../i18n/define';
import metaMessages from '../i18n/messages/meta';
import { type ArticleMeta, type Disclosure, DisclosureSchema, type TemplateId } from './article';
import type { Locale } from './settings';

/**
 * Rules of the 信息公开 block (政府信息公开条例): the 文号 format and its
 * one-click fix, the 索引号 scheme, the State Council's 主题分类 and the
 * 体裁分类 lists, and the checks a document's fields must pass before it is
 * published. Pure functions: the editor, the publish flow and the portal use
 * the same ones.
 */

/** Article types that carry the 信息公开 block unless the writer removes it. */
export const DISCLOSURE_TEMPLATES: readonly TemplateId[] = ['notice', 'announcement', 'policy'];

/** Whether the editor offers the 信息公开 fields for this article without being asked. */
export function expectsDisclosure(meta: Pick<ArticleMeta, 'template' | 'disclosure'>, disclosureColumns: readonly string[] = [], columnKey = ''): boolean {
  return meta.disclosure !== undefined || DISCLOSURE_TEMPLATES.includes(meta.template) || (columnKey !== '' && disclosureColumns.includes(columnKey));
}

/**
 * The article after the writer picks `column`: a column the site lists among
 * its 信息公开 columns starts the fields (as the 通知/公告/政策文件 templates
 * do) unless the article already has them. Leaving such a column keeps what
 * was typed: nothing the writer entered is dropped by a change of column.
 */
export function withColumn<M extends Pick<ArticleMeta, 'template' | 'disclosure' | 'column'>>(
  meta: M,
  column: string[],
  isDisclosureColumn: (column: readonly string[]) => boolean,
): M {
  const next = { ...meta, column };
  if (meta.disclosure !== undefined || !isDisclosureColumn(column)) return next;
  return { ...next, disclosure: DisclosureSchema.parse({ genre: defaultGenre(meta.template) }) };
}

// ---------------------------------------------------------------------------
// 文号

/**
 * 发文字号 as GB/T 9704-2012 7.2.4 writes it: 发文机关代字, the year in 六角括号
 * 〔〕, the serial number without 第 and without leading zeros, then 号 —
 * e.g. 镇政发〔2024〕7号, 国办发明电〔2021〕11号.
 */
const DOC_NO = /^[\u3400-\u9fffA-Za-z]+〔(\d{4})〕([1-9]\d*)号$/;

/** Why a 文号 is not in the official form; null when it is (or when it is empty: not every document has one). */
export type DocNoProblem = 'brackets' | 'serial' | 'format';

export function docNoProblem(value: string): DocNoProblem | null {
  const text = value.trim();
  if (text === '' || DOC_NO.test(text)) return null;
  if (/[[\]【】()（）［］〈〉<>{}｛｝〖〗]\s*[0-9０-９]{4}\s*[\]】)）］〉>}｝〗]/.test(text)) return 'brackets';
  if (/〔\d{4}〕\s*(第\s*)?0*\d+\s*号/.test(text)) return 'serial';
  return 'format';
}

/**
 * The 文号 written the official way, or null when no safe rewrite exists:
 * the year's brackets (e.g. [] 【】 （）) become 〔〕, full-width digits become
 * ASCII, 第 and leading zeros go from the serial, spaces go. Only offered when
 * the result is a valid 文号, so a click never produces another wrong value.
 */
export function fixDocNo(value: string): string | null {
  let text = value.trim().replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xff10 + 0x30));
  text = text.replace(/\s+/g, '');
  text = text.replace(/[[【(（［〈<{｛〖〔]\s*(\d{4})\s*[\]】)）］〉>}｝〗〕]/, '〔$1〕');
  text = text.replace(/〔(\d{4})〕第?0*(\d+)号$/, '〔$1〕$2号');
  if (text === value || !DOC_NO.test(text)) return null;
  return text;
}

/** The year inside a valid 文号, e.g. 2024 for 镇政发〔2024〕7号. */
export function docNoYear(value: string): number | null {
  const match = DOC_NO.exec(value.trim());
  return match ? Number(match[1]) : null;
}

// ---------------------------------------------------------------------------
// 索引号

/**
 * The office's 索引号 scheme: `<organ code>/<year>-<serial>`, the serial
 * counted per organ and year from 1 and zero-padded to five digits, e.g.
 * 003087762/2024-00007. The organ code is the one the office's 政府信息公开
 * 目录 uses (组织机构代码 or the code the platform assigned); it is set in the
 * site profile.
 */
export const INDEX_SERIAL_DIGITS = 5;
const ORGAN_CODE = /^[0-9A-Z]{4,24}$/;
const INDEX_NO = /^([0-9A-Z]{4,24})\/(\d{4})-(\d{5,})$/;

export function isValidOrganCode(code: string): boolean {
  return ORGAN_CODE.test(code);
}

export function formatIndexNo(organCode: string, year: number, serial: number): string {
  if (!isValidOrganCode(organCode)) throw new RangeError(`invalid organ code ${organCode}`);
  if (!Number.isInteger(year) || year < 1000 || year > 9999) throw new RangeError(`invalid year ${year}`);
  if (!Number.isInteger(serial) || serial < 1) throw new RangeError(`invalid serial ${serial}`);
  return `${organCode}/${year}-${String(serial).padStart(INDEX_SERIAL_DIGITS, '0')}`;
}

export function parseIndexNo(value: string): { organCode: string; year: number; serial: number } | null {
  const match = INDEX_NO.exec(value.trim());
  if (!match) return null;
  return { organCode: match[1] ?? '', year: Number(match[2]), serial: Number(match[3]) };
}

// ---------------------------------------------------------------------------
// 主题分类 and 体裁分类

/**
 * The State Council's 公文主题分类 as the 国务院政策文件库 (gov.cn) files its
 * documents: 22 categories, most with subcategories. A topic is stored as
 * `类\子类` (the way portals print it, e.g. 综合政务\政务公开) or as the
 * category alone.
 */
export const TOPIC_CATEGORIES: readonly { name: string; subcategories: readonly string[] }[] = [
  {
    name: '国务院组织机构',
    subcategories: [
      '国务院',
      '国务院办公厅',
      '国务院组成部门',
      '国务院直属特设机构',
      '国务院直属机构',
      '国务院办事机构',
      '国务院直属事业单位',
      '国务院部委管理的国家局',
      '国务院议事协调机构',
      '其他',
    ],
  },
  { name: '综合政务', subcategories: ['政务公开', '政务督查', '应急管理', '电子政务', '文秘工作', '保密工作', '信访', '参事、文史', '其他'] },
  { name: '国民经济管理、国有资产监管', subcategories: ['宏观经济', '经济体制改革', '统计', '物价', '国有资产监管', '重大建设项目', '其他'] },
  { name: '财政、金融、审计', subcategories: ['财政', '税务', '银行', '货币（含外汇）', '证券', '保险', '社会信用体系建设', '审计', '其他'] },
  { name: '国土资源、能源', subcategories: ['土地', '矿产', '水资源', '海洋', '煤炭', '石油与天然气', '电力', '其他'] },
  { name: '农业、林业、水利', subcategories: ['农业、畜牧业、渔业', '林业', '水利', '其他'] },
  {
    name: '工业、交通',
    subcategories: ['机械制造与重工业', '轻工纺织', '化工', '国防工业', '航天、航空', '信息产业（含电信）', '公路', '水运', '铁路', '民航', '邮政', '其他'],
  },
  { name: '商贸、海关、旅游', subcategories: ['对外经贸合作', '国内贸易（含供销）', '海关', '检验、检疫', '旅游', '其他'] },
  { name: '市场监管、安全生产监管', subcategories: ['工商', '质量监督', '标准', '食品药品监管', '安全生产监管', '其他'] },
  { name: '城乡建设、环境保护', subcategories: ['城市规划', '城乡建设（含住房）', '环境监测、保护与治理', '节能与资源综合利用', '气象、水文、测绘、地震', '其他'] },
  { name: '科技、教育', subcategories: ['科技', '教育', '知识产权', '其他'] },
  { name: '文化、广电、新闻出版', subcategories: ['文化', '文物', '新闻出版', '广播、电影、电视', '其他'] },
  { name: '卫生、体育', subcategories: ['卫生', '医药管理', '体育', '其他'] },
  { name: '人口与计划生育、妇女儿童工作', subcategories: ['人口与计划生育', '妇女儿童', '其他'] },
  { name: '劳动、人事、监察', subcategories: ['劳动就业', '社会保障', '人事工作', '军转安置', '监察', '纠正行业不正之风', '其他'] },
  { name: '公安、安全、司法', subcategories: ['公安', '国家安全', '司法', '其他'] },
  { name: '民政、扶贫、救灾', subcategories: ['减灾救灾', '优抚安置', '社会福利', '行政区划与地名', '社团管理', '扶贫', '其他'] },
  { name: '民族、宗教', subcategories: ['民族事务', '宗教事务'] },
  { name: '对外事务', subcategories: ['外交、外事', '国际条约、国际组织', '其他'] },
  { name: '港澳台侨工作', subcategories: ['港澳工作', '对台工作', '侨务工作'] },
  { name: '国防', subcategories: ['国防建设', '国防动员'] },
  { name: '其他', subcategories: [] },
];

/** The separator portals print between a category and its subcategory. */
export const TOPIC_SEPARATOR = '\\';

/** Every value a topic may take: each category, and each `类\子类`. */
export function topicOptions(): string[] {
  return TOPIC_CATEGORIES.flatMap((category) => [
    category.name,
    ...category.subcategories.map((sub) => `${category.name}${TOPIC_SEPARATOR}${sub}`),
  ]);
}

export function isKnownTopic(value: string): boolean {
  const [category, sub, ...rest] = value.split(TOPIC_SEPARATOR);
  if (rest.length > 0) return false;
  const found = TOPIC_CATEGORIES.find((c) => c.name === category);
  if (!found) return false;
  return sub === undefined || found.subcategories.includes(sub);
}

/**
 * 体裁分类: the 15 kinds of 公文 of the 党政机关公文处理工作条例 (2012, art. 8)
 * in its order, then 其他 for what is none of them (e.g. a 办法 issued by a 通知).
 */
export const GENRES = [
  '决议',
  '决定',
  '命令（令）',
  '公报',
  '公告',
  '通告',
  '意见',
  '通知',
  '通报',
  '报告',
  '请示',
  '批复',
  '议案',
  '函',
  '纪要',
  '其他',
] as const;

/** The genre a template starts with. */
export function defaultGenre(template: TemplateId): string {
  if (template === 'announcement') return '公告';
  if (template === 'notice' || template === 'policy') return '通知';
  return '';
}

// ---------------------------------------------------------------------------
// Checks

/** One reason a document's 信息公开 fields cannot be published as they are. */
export type DisclosureProblem =
  | { code: 'publisher_missing' }
  | { code: 'written_missing' }
  | { code: 'doc_no'; problem: DocNoProblem; fix: string | null }
  | { code: 'written_after_publish'; writtenAt: string; publishAt: string }
  | { code: 'topic_unknown'; topic: string }
  | { code: 'validity_order'; from: string; until: string }
  | { code: 'validity_until_missing'; state: string };

/**
 * What stops these 信息公开 fields from being published: 发布机构 and 成文日期
 * present, 文号 in the official form, 成文日期
 * not after 发布日期, a known 主题分类, 有效性 dates in order, and a 失效 /
 * 废止 document saying since when. Not checked, because real documents do
 * it: a 生效日期 before the 成文日期 (retroactive effect) or a 文号 year other
 * than the 成文日期's (signed in December, numbered in January). 索引号
 * uniqueness is kept by the publish flow that assigns it.
 */
export function disclosureProblems(disclosure: Disclosure, publishAt: string | null): DisclosureProblem[] {
  const out: DisclosureProblem[] = [];
  if (disclosure.publisher.trim() === '') out.push({ code: 'publisher_missing' });
  const { writtenAt, docNo, validity } = disclosure;
  if (writtenAt === null) out.push({ code: 'written_missing' });
  const docProblem = docNoProblem(docNo);
  if (docProblem) out.push({ code: 'doc_no', problem: docProblem, fix: fixDocNo(docNo) });
  const published = publishAt?.slice(0, 10) ?? null;
  if (writtenAt !== null && published !== null && writtenAt > published) {
    out.push({ code: 'written_after_publish', writtenAt, publishAt: published });
  }
  if (disclosure.topic !== '' && !isKnownTopic(disclosure.topic)) out.push({ code: 'topic_unknown', topic: disclosure.topic });
  if (validity.from !== null && validity.until !== null && validity.from > validity.until) {
    out.push({ code: 'validity_order', from: validity.from, until: validity.until });
  }
  if (validity.state !== '有效' && validity.until === null) out.push({ code: 'validity_until_missing', state: validity.state });
  return out;
}

/** '2024-04-06' → '2024年4月6日': the 成文日期 in Arabic numerals as GB/T 9704-2012 7.3.5.1 requires. */
export function writtenDateText(ymd: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(ymd);
  return match ? `${match[1]}年${Number(match[2])}月${Number(match[3])}日` : ymd;
}

/** A problem as one sentence for the writer (the checklist, the CLI and the editor show the same). */
export function describeDisclosureProblem(problem: DisclosureProblem, docNo: string, locale: Locale = 'zh-CN'): string {
  const table = metaMessages[locale];
  switch (problem.code) {
    case 'doc_no':
      return fillTemplate(table[`meta.disclosure.problem.doc_no.${problem.problem}`], { value: docNo });
    case 'written_after_publish':
      return fillTemplate(table['meta.disclosure.problem.written_after_publish'], { writtenAt: problem.writtenAt, publishAt: problem.publishAt });
    case 'topic_unknown':
      return fillTemplate(table['meta.disclosure.problem.topic_unknown'], { topic: problem.topic });
    case 'validity_order':
      return fillTemplate(table['meta.disclosure.problem.validity_order'], { from: problem.from, until: problem.until });
    case 'validity_until_missing':
      return fillTemplate(table['meta.disclosure.problem.validity_until_missing'], { state: problem.state });
    default:
      return table[`meta.disclosure.problem.${problem.code}`];
  }
}
