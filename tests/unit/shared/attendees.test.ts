import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { type Meeting, MeetingSchema } from '../../../shared/domain/article';
import {
  attendeesSentence,
  hostPhrase,
  parseAttendeesSentence,
  refreshAttendeesParagraph,
} from '../../../shared/domain/attendees';
import { type Doc, paragraph } from '../../../shared/domain/doc';

const meeting = (input: Partial<Meeting>): Meeting => MeetingSchema.parse(input);
const HALF_WIDTH_PUNCTUATION = /[,;:()?!]/u;

const sampleLastParagraph = (): string => {
  const text = readFileSync(new URL('../../fixtures/portal/sample-2021-05-20.txt', import.meta.url), 'utf8');
  const paragraphs = text.split(/\n\s*\n/u).map((part) => part.trim());
  return paragraphs.find((part) => part.endsWith('参加会议。')) ?? '';
};

describe('attendeesSentence', () => {
  it("reproduces the sample article's closing sentence from a structured list", () => {
    const sampleMeeting = meeting({
      attendees: [
        { kind: 'group', name: '新乡职业技术学院、河南师范大学新联学院代表', role: '参加' },
        { kind: 'group', name: '新东产业集聚区、小店镇、纬七路街道办负责同志', role: '参加' },
        { kind: 'group', name: '各区属部门副局长及以上干部', role: '参加' },
        { kind: 'group', name: '集团公司班子成员及各子公司副总经理以上人员', role: '参加' },
        { kind: 'group', name: '垂直管理单位负责人', role: '参加' },
        { kind: 'group', name: '重点企业负责人', role: '参加' },
      ],
      headcount: { count: 150, approximate: true },
    });
    const sentence = attendeesSentence(sampleMeeting);
    // The portal page used half-width commas between groups; official copy wants full-width.
    expect(sentence).toBe(sampleLastParagraph().replace(/,/gu, '，'));
    expect(sentence).toMatch(/重点企业负责人共计150余人参加会议。$/u);
  });

  it('prints a person as unit + title + name and a group by its name', () => {
    const sentence = attendeesSentence(
      meeting({
        attendees: [
          { kind: 'person', unit: '区', title: '党工委副书记', name: '王强', role: '出席' },
          { kind: 'person', unit: '', title: '区长', name: '李建国', role: '出席' },
          { kind: 'group', name: '各部门主要负责同志', role: '参加' },
        ],
      }),
    );
    expect(sentence).toBe('区党工委副书记王强、区长李建国出席会议；各部门主要负责同志参加会议。');
  });

  it('orders roles 出席, 参加, 列席 whatever the input order, and leaves 主持 to the lead', () => {
    const sentence = attendeesSentence(
      meeting({
        attendees: [
          { kind: 'group', name: '区纪工委派驻人员', role: '列席' },
          { kind: 'group', name: '各镇负责同志', role: '参加' },
          { kind: 'person', unit: '', title: '区党工委书记', name: '刘思江', role: '主持' },
          { kind: 'person', unit: '', title: '区长', name: '李建国', role: '出席' },
        ],
      }),
    );
    expect(sentence).toBe('区长李建国出席会议；各镇负责同志参加会议；区纪工委派驻人员列席会议。');
    expect(sentence).not.toContain('刘思江');
  });

  it('attaches an exact or approximate headcount to the 参加 clause', () => {
    const groups = [
      { kind: 'group' as const, name: '各村支部书记', role: '参加' as const },
      { kind: 'group' as const, name: '驻村第一书记', role: '参加' as const },
    ];
    expect(attendeesSentence(meeting({ attendees: groups, headcount: { count: 80, approximate: false } }))).toBe(
      '各村支部书记、驻村第一书记共计80人参加会议。',
    );
    expect(attendeesSentence(meeting({ attendees: groups, headcount: { count: 80, approximate: true } }))).toBe(
      '各村支部书记、驻村第一书记共计80余人参加会议。',
    );
  });

  it('says nothing for an empty list and only the headcount when that is all we know', () => {
    expect(attendeesSentence(meeting({}))).toBe('');
    expect(attendeesSentence(meeting({ headcount: { count: 30, approximate: true } }))).toBe('共计30余人参加会议。');
  });

  it('never prints half-width punctuation, even for names typed on an English keyboard', () => {
    const sentence = attendeesSentence(
      meeting({
        attendees: [
          { kind: 'group', name: '区教育局,区卫健委负责同志', role: '参加' },
          { kind: 'group', name: '各镇(街道)分管负责人', role: '参加' },
          { kind: 'person', unit: '市委', title: '常委', name: '赵明', role: '出席' },
        ],
        headcount: { count: 60, approximate: true },
      }),
    );
    expect(sentence).not.toMatch(HALF_WIDTH_PUNCTUATION);
    expect(sentence).toContain('各镇（街道）分管负责人');
  });
});

describe('hostPhrase', () => {
  it('names the host for the lead, from the host field or the 主持 attendee', () => {
    expect(hostPhrase(meeting({ host: '区党工委书记刘思江' }))).toBe('区党工委书记刘思江主持并讲话');
    expect(
      hostPhrase(meeting({ attendees: [{ kind: 'person', unit: '', title: '区长', name: '李建国', role: '主持' }] }), {
        speech: false,
      }),
    ).toBe('区长李建国主持会议');
    expect(hostPhrase(meeting({}))).toBe('');
  });
});

describe('refreshAttendeesParagraph', () => {
  const body: Doc = {
    type: 'doc',
    content: [paragraph('5月19日，经开区召开会议。', { role: 'lead' }), paragraph('会议强调，要狠抓落实。')],
  };
  const withGroups = meeting({
    attendees: [{ kind: 'group', name: '各部门负责同志', role: '参加' }],
    headcount: { count: 40, approximate: true },
  });

  it('appends the sentence when the doc has none, without touching the writer’s paragraphs', () => {
    const refreshed = refreshAttendeesParagraph(body, withGroups);
    expect(refreshed.content).toHaveLength(3);
    expect(refreshed.content.slice(0, 2)).toEqual(body.content);
    expect(refreshed.content[2]).toEqual({
      type: 'paragraph',
      attrs: { role: 'attendees' },
      content: [{ type: 'text', text: '各部门负责同志共计40余人参加会议。' }],
    });
    expect(body.content).toHaveLength(2); // pure: the input is untouched
  });

  it('replaces the existing attendees paragraph in place and keeps its other attributes', () => {
    const doc: Doc = {
      type: 'doc',
      content: [
        paragraph('导语。'),
        paragraph('旧的参会人员句子。', { role: 'attendees', textAlign: 'left' }),
        paragraph('（记者 王晓明）'),
      ],
    };
    const refreshed = refreshAttendeesParagraph(doc, withGroups);
    expect(refreshed.content).toHaveLength(3);
    expect(refreshed.content[1]?.attrs).toEqual({ role: 'attendees', textAlign: 'left' });
    expect(refreshed.content[1]?.content?.[0]?.text).toBe('各部门负责同志共计40余人参加会议。');
    expect(refreshed.content[2]?.content?.[0]?.text).toBe('（记者 王晓明）');
  });

  it('removes the paragraph when the attendee list becomes empty', () => {
    const withSentence = refreshAttendeesParagraph(body, withGroups);
    const cleared = refreshAttendeesParagraph(withSentence, meeting({}));
    expect(cleared.content).toEqual(body.content);
  });
});

describe('parseAttendeesSentence', () => {
  it('reads the sample sentence back into groups and headcount', () => {
    const parsed = parseAttendeesSentence(sampleLastParagraph());
    expect(parsed?.headcount).toEqual({ count: 150, approximate: true });
    expect(parsed?.attendees.map((attendee) => attendee.name)).toEqual([
      '新乡职业技术学院、河南师范大学新联学院代表',
      '新东产业集聚区、小店镇、纬七路街道办负责同志',
      '各区属部门副局长及以上干部',
      '集团公司班子成员及各子公司副总经理以上人员',
      '垂直管理单位负责人',
      '重点企业负责人',
    ]);
  });

  it('refuses sentences it could not print again identically', () => {
    expect(parseAttendeesSentence('区领导张三等出席会议。')).toBeNull();
    expect(parseAttendeesSentence('各部门负责同志参加会议；区长李建国出席会议。')).toBeNull();
    expect(parseAttendeesSentence('会议要求各部门抓好落实。')).toBeNull();
  });
});
