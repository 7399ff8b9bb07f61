import { describe, expect, it } from 'vitest';
import { type TemplateInput, TemplateInputSchema } from '../../../shared/api/contract';
import { ArticleMetaSchema, TEMPLATE_IDS } from '../../../shared/domain/article';
import { BLOCK_NODE_TYPES, type Doc, DocSchema, type DocNode, docToPlainText, INLINE_NODE_TYPES } from '../../../shared/domain/doc';
import { buildFromTemplate } from '../../../node/services/templates';

const input = (fields: Partial<TemplateInput>): TemplateInput => TemplateInputSchema.parse(fields);

const texts = (doc: Doc): string[] => doc.content.map((node) => docToPlainText(node));
const byRole = (doc: Doc, role: string): DocNode | undefined => doc.content.find((node) => node.attrs?.role === role);
const KNOWN_TYPES = new Set<string>(['doc', ...BLOCK_NODE_TYPES, ...INLINE_NODE_TYPES]);

function nodeTypes(node: DocNode): string[] {
  return [node.type, ...(node.content ?? []).flatMap(nodeTypes)];
}

const fullMeeting = input({
  date: '2021-05-19',
  meetingName: '全区领导干部会议',
  host: '区党工委书记刘思江',
  place: '区行政中心三楼会议室',
  attendees: [
    { kind: 'group', name: '各区属部门副局长及以上干部', role: '参加' },
    { kind: 'group', name: '重点企业负责人', role: '参加' },
  ],
  headcount: { count: 150, approximate: true },
});

describe('buildFromTemplate', () => {
  it('meeting: writes the lead from date, place, name and host', () => {
    const { doc } = buildFromTemplate('meeting', fullMeeting);
    const lead = byRole(doc, 'lead');
    expect(lead && docToPlainText(lead)).toBe(
      '5月19日，【单位】在区行政中心三楼会议室召开全区领导干部会议，区党工委书记刘思江主持并讲话。会议【会议主要内容】。',
    );
    expect(texts(doc)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^会议指出，【/u),
        expect.stringMatching(/^会议强调，【/u),
        expect.stringMatching(/^会议要求，【/u),
      ]),
    );
  });

  it('meeting: ends with the attendees paragraph built from the structured list', () => {
    const { doc } = buildFromTemplate('meeting', fullMeeting);
    const last = doc.content[doc.content.length - 1];
    expect(last?.attrs?.role).toBe('attendees');
    expect(last && docToPlainText(last)).toBe('各区属部门副局长及以上干部、重点企业负责人共计150余人参加会议。');
  });

  it('meeting: metadata carries the template, date, default column and the meeting data', () => {
    const { meta } = buildFromTemplate('meeting', fullMeeting);
    expect(meta.template).toBe('meeting');
    expect(meta.title).toBe('全区领导干部会议');
    expect(meta.publishAt).toBe('2021-05-19');
    expect(meta.column).toEqual(['首页', '要闻动态', '政务要闻']);
    expect(meta.meeting?.host).toBe('区党工委书记刘思江');
    expect(meta.meeting?.attendees).toHaveLength(2);
    expect(meta.meeting?.headcount).toEqual({ count: 150, approximate: true });
  });

  it('meeting: leaves 【】 placeholders for what the writer has not given, and uses an explicit title', () => {
    const { doc, meta } = buildFromTemplate('meeting', input({ title: '经开区召开安全生产会议' }));
    const lead = byRole(doc, 'lead');
    expect(lead && docToPlainText(lead)).toBe(
      '【日期】，【单位】召开【会议名称】，【主持人】主持并讲话。会议【会议主要内容】。',
    );
    expect(meta.title).toBe('经开区召开安全生产会议');
    expect(meta.publishAt).toBeNull();
    const closing = byRole(doc, 'attendees');
    expect(closing && docToPlainText(closing)).toContain('【参会单位及人员】');
  });

  it('notice: salutation, numbered items, 特此通知 and a right-aligned signature with the date', () => {
    const { doc, meta } = buildFromTemplate('notice', input({ date: '2022-03-05' }));
    const lines = texts(doc);
    expect(lines[0]).toBe('各有关单位：');
    expect(lines.some((line) => line.startsWith('一、'))).toBe(true);
    expect(lines.some((line) => line.startsWith('二、'))).toBe(true);
    expect(lines).toContain('特此通知。');
    const tail = doc.content.slice(-2);
    expect(tail.map((node) => node.attrs?.textAlign)).toEqual(['right', 'right']);
    expect(tail.map((node) => docToPlainText(node))).toEqual(['【发文单位】', '2022年3月5日']);
    expect(meta.column).toEqual(['首页', '通知公告', '通知']);
    expect(meta.title).toMatch(/^关于【.+】的通知$/u);
    expect(meta.meeting).toBeNull();
  });

  it('announcement: 特此公告 and the announcement column', () => {
    const { doc, meta } = buildFromTemplate('announcement', input({ title: '关于停水的公告' }));
    expect(texts(doc)).toContain('特此公告。');
    expect(texts(doc)).not.toContain('特此通知。');
    expect(meta.column).toEqual(['首页', '通知公告', '公告']);
    expect(meta.title).toBe('关于停水的公告');
    expect(docToPlainText(doc.content[doc.content.length - 1] ?? { type: 'paragraph' })).toBe('【成文日期】');
  });

  it('event: a lead with time and place, or placeholders for them', () => {
    const filled = buildFromTemplate('event', input({ date: '2023-01-02', place: '区行政中心一楼报告厅', meetingName: '主题宣讲活动' }));
    const lead = byRole(filled.doc, 'lead');
    expect(lead && docToPlainText(lead)).toMatch(/^1月2日，【单位】在区行政中心一楼报告厅举办主题宣讲活动。/u);
    const empty = buildFromTemplate('event', input({}));
    const emptyLead = byRole(empty.doc, 'lead');
    expect(emptyLead && docToPlainText(emptyLead)).toMatch(/^【日期】，【单位】在【地点】举办【活动名称】。/u);
    expect(filled.meta.column).toEqual(['首页', '要闻动态', '政务要闻']);
  });

  it('blank: an empty paragraph, the date and title if given, no column', () => {
    const { doc, meta } = buildFromTemplate('blank', input({ title: '草稿', date: '2024-01-01T09:30' }));
    expect(doc).toEqual({ type: 'doc', content: [{ type: 'paragraph' }] });
    expect(meta).toMatchObject({ template: 'blank', title: '草稿', publishAt: '2024-01-01T09:30', column: [] });
  });

  it('every template gives valid metadata and a doc made only of known node types', () => {
    for (const template of TEMPLATE_IDS) {
      const { meta, doc } = buildFromTemplate(template, fullMeeting);
      expect(() => ArticleMetaSchema.parse(meta)).not.toThrow();
      expect(() => DocSchema.parse(doc)).not.toThrow();
      for (const type of nodeTypes(doc)) expect(KNOWN_TYPES.has(type), `${template}: ${type}`).toBe(true);
      expect(docToPlainText(doc)).not.toMatch(/[,;:()]/u);
    }
  });
});
