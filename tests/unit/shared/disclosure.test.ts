import { describe, expect, it } from 'vitest';
import { ArticleMetaSchema, DisclosureSchema } from '../../../shared/domain/article';
import {
  describeDisclosureProblem,
  disclosureProblems,
  docNoProblem,
  fixDocNo,
  formatIndexNo,
  isKnownTopic,
  parseIndexNo,
  TOPIC_CATEGORIES,
  topicOptions,
  writtenDateText,
} from '../../../shared/domain/disclosure';
import { paragraph } from '../../../shared/domain/doc';
import { prePublishChecklist } from '../../../shared/workflow/pre-publish-checklist';

describe('文号', () => {
  it('accepts the official form and an empty value', () => {
    for (const ok of ['镇政发〔2024〕7号', '国办发明电〔2021〕11号', '区政办发〔2024〕128号', '']) expect(docNoProblem(ok)).toBeNull();
  });

  it('names the brackets when [] or 【】 or （） hold the year, and fixes them in one step', () => {
    expect(docNoProblem('镇政发[2024]7号')).toBe('brackets');
    expect(fixDocNo('镇政发[2024]7号')).toBe('镇政发〔2024〕7号');
    expect(fixDocNo('镇政发【2024】7号')).toBe('镇政发〔2024〕7号');
    expect(fixDocNo('镇政发（2024）7号')).toBe('镇政发〔2024〕7号');
    expect(fixDocNo('镇政发 ［２０２４］ 7号')).toBe('镇政发〔2024〕7号');
  });

  it('drops 第 and leading zeros from the serial', () => {
    expect(docNoProblem('镇政发〔2024〕第07号')).toBe('serial');
    expect(fixDocNo('镇政发〔2024〕第07号')).toBe('镇政发〔2024〕7号');
    expect(fixDocNo('镇政发[2024]007号')).toBe('镇政发〔2024〕7号');
  });

  it('offers no fix it cannot make valid, and none for a value already right', () => {
    expect(docNoProblem('2024年第7号')).toBe('format');
    expect(fixDocNo('2024年第7号')).toBeNull();
    expect(fixDocNo('镇政发[24]7号')).toBeNull();
    expect(fixDocNo('镇政发〔2024〕7号')).toBeNull();
  });
});

describe('索引号', () => {
  it('is organ code / year - five-digit serial and reads back', () => {
    expect(formatIndexNo('003087762', 2024, 7)).toBe('003087762/2024-00007');
    expect(parseIndexNo('003087762/2024-00007')).toEqual({ organCode: '003087762', year: 2024, serial: 7 });
    expect(formatIndexNo('6107280000', 2024, 123456)).toBe('6107280000/2024-123456');
  });

  it('refuses an organ code that would break the number', () => {
    expect(() => formatIndexNo('00/3', 2024, 1)).toThrow();
    expect(() => formatIndexNo('003087762', 2024, 0)).toThrow();
  });
});

describe('主题分类', () => {
  it('has the 22 categories of the State Council list, 其他 last', () => {
    expect(TOPIC_CATEGORIES).toHaveLength(22);
    expect(TOPIC_CATEGORIES[1]?.name).toBe('综合政务');
    expect(TOPIC_CATEGORIES.at(-1)?.name).toBe('其他');
  });

  it('knows category and 类\\子类 values and nothing else', () => {
    expect(isKnownTopic('综合政务')).toBe(true);
    expect(isKnownTopic('综合政务\\政务公开')).toBe(true);
    expect(isKnownTopic('综合政务\\宏观经济')).toBe(false);
    expect(isKnownTopic('政务公开')).toBe(false);
    expect(topicOptions().every(isKnownTopic)).toBe(true);
  });
});

describe('the 信息公开 checks', () => {
  const good = DisclosureSchema.parse({
    publisher: '某镇人民政府',
    writtenAt: '2024-04-06',
    docNo: '镇政发〔2024〕7号',
    topic: '综合政务\\政务公开',
    genre: '通知',
  });

  it('pass a complete document', () => {
    expect(disclosureProblems(good, '2024-04-08T09:00')).toEqual([]);
  });

  it('find a 成文日期 after the 发布日期', () => {
    expect(disclosureProblems({ ...good, writtenAt: '2024-04-09' }, '2024-04-08T09:00')).toEqual([
      { code: 'written_after_publish', writtenAt: '2024-04-09', publishAt: '2024-04-08' },
    ]);
  });

  it('find 有效性 dates out of order and a 废止 without its date', () => {
    const codes = disclosureProblems({ ...good, validity: { state: '废止', from: '2024-05-01', until: null } }, null).map((p) => p.code);
    expect(codes).toEqual(['validity_until_missing']);
    const order = disclosureProblems({ ...good, validity: { state: '有效', from: '2024-05-01', until: '2024-04-01' } }, null);
    expect(order.map((p) => p.code)).toEqual(['validity_order']);
  });

  it('say what is wrong with a 文号 and carry its fix', () => {
    const [problem] = disclosureProblems({ ...good, docNo: '镇政发[2024]7号' }, null);
    expect(problem).toEqual({ code: 'doc_no', problem: 'brackets', fix: '镇政发〔2024〕7号' });
    expect(problem && describeDisclosureProblem(problem, '镇政发[2024]7号')).toContain('〔〕');
  });

  it('block publishing through the pre-publish checklist, only for a document that has them', () => {
    const base = { title: '关于开展检查的通知', column: ['首页', '通知公告', '通知'], publishAt: '2024-04-08', source: '党政办' };
    const doc = { type: 'doc' as const, content: [paragraph('正文。')] };
    const plain = prePublishChecklist({ meta: ArticleMetaSchema.parse(base), doc });
    expect(plain.map((item) => item.code)).not.toContain('disclosure');
    const bad = prePublishChecklist({ meta: ArticleMetaSchema.parse({ ...base, disclosure: { ...good, docNo: '镇政发【2024】7号' } }), doc });
    const item = bad.find((i) => i.code === 'disclosure');
    expect(item?.ok).toBe(false);
    expect(item?.message).toContain('镇政发【2024】7号');
    const fine = prePublishChecklist({ meta: ArticleMetaSchema.parse({ ...base, disclosure: good }), doc });
    expect(fine.find((i) => i.code === 'disclosure')?.ok).toBe(true);
  });
});

describe('成文日期 in the 公文', () => {
  it('is written with Arabic numerals and no leading zeros', () => {
    expect(writtenDateText('2024-04-06')).toBe('2024年4月6日');
  });
});
